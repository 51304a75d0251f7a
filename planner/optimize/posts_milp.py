"""Whole units under a hire limit and network bounds, solved by HiGHS: one binary per row and unit count.

When every row is bought in whole units (creators paid by the post) the problem is a multiple-choice
knapsack with a few side rows: the budget, each network's minimum and maximum, the most creators
hired.  Each row's value at each count is known exactly (S-curves included: the counts are
enumerated, not linearised), so the mixed-integer program is the problem itself, and HiGHS
(``scipy.optimize.milp``) proves its optimum with its own cuts and dual bound.  The planner's own search
(Lagrangian prices, a dynamic program per network, branch and bound) is exact too and faster where
neither side row binds hard, but on rosters where a few creators must meet a network's minimum under
a hire limit it could run out of time unproven, or find no plan at all where HiGHS proves the optimum
at once (planner.bench.bounded; the sample's creators under random bounds and limits: 11 of 30 cases).
With only one of the two the planner's own program is the faster: 3,000 creators under network bounds
alone are proven in 0.35 s, where HiGHS stops at 3 s 0.07 % short.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from planner.optimize.problem import Problem, has_network_bounds, objective_value
from planner.optimize.search import feasible_start

__all__ = ["MAX_CHOICES", "MilpPlan", "applies", "solve_posts_milp"]

MAX_CHOICES = 50_000  # binaries (rows x unit counts) beyond which the planner's own search is used
_GAP = 1e-7  # HiGHS's relative gap: below the planner's own (search.GAP_TOL, 1e-6)


def _counts(prob: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Each row's fewest unit counts within its bounds and the budget, and how many counts it has."""
    unit = prob.ent.unit
    n_lo = np.ceil(prob.lo / unit - 1e-9).astype(np.int64)
    n_hi = np.floor(np.minimum(prob.hi, prob.budget) / unit + 1e-9).astype(np.int64)
    return n_lo, np.maximum(n_hi - n_lo + 1, 0)


def _choices(prob: Problem):
    """Each row's unit counts within its bounds: ``(rows, counts, spends)``, one element per binary."""
    unit = prob.ent.unit
    n_lo, sizes = _counts(prob)
    rows = np.repeat(np.arange(len(unit)), sizes)
    start = np.repeat(np.cumsum(sizes) - sizes, sizes)
    counts = n_lo[rows] + (np.arange(len(rows)) - start)
    return rows, counts, np.round(counts * unit[rows], 2)


def applies(prob: Problem) -> bool:
    """Whether every row is in whole units, a hire limit and a network bound are both set, and the program is small.

    Parameters
    ----------
    prob : Problem
        The problem at a budget.

    Returns
    -------
    bool
        True when :func:`solve_posts_milp` takes the problem (at most :data:`MAX_CHOICES` binaries).
    """
    unit = prob.ent.unit
    if not (len(unit) and np.all(np.isfinite(unit) & (unit > 0))):
        return False
    if prob.max_hires is None or not has_network_bounds(prob):  # one alone: the planner's own program is faster
        return False
    return bool(_counts(prob)[1].sum() <= MAX_CHOICES)


_QUIET = threading.Lock()


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send what is written to the process's standard output to its standard error meanwhile.

    HiGHS (scipy 1.17) writes a debugging line to the C standard output now and then, with its display off:
    on the command line it would land inside ``--json`` output. One call at a time (the lock), so two threads
    cannot leave the output pointing at the error stream.
    """
    with _QUIET:
        try:
            sys.stdout.flush()
            saved = os.dup(1)
        except (OSError, ValueError):  # no file behind standard output: nothing to protect
            yield
            return
        try:
            os.dup2(2, 1)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


@dataclass(frozen=True)
class MilpPlan:
    """What HiGHS found: a plan, its value, an upper bound on every plan, whether it is proven; or that there is none."""

    plan: np.ndarray | None
    value: float
    bound: float
    proven: bool
    infeasible: bool = False  # proven that no plan meets every bound


def solve_posts_milp(prob: Problem, time_limit: float) -> MilpPlan:
    """Solve a problem :func:`applies` takes with HiGHS.

    Parameters
    ----------
    prob : Problem
        The problem at a budget, every row in whole units.
    time_limit : float
        Seconds HiGHS may take.

    Returns
    -------
    MilpPlan
        The plan (spend per row in whole units, checked against every bound to the cent), its objective value,
        HiGHS's dual bound (at least the value) and whether HiGHS proved it optimal; no plan, with
        ``infeasible``, where HiGHS proved there is none, or without, where it found none in time.
    """
    rows, counts, spends = _choices(prob)
    n_rows = len(prob.ent.unit)
    if not len(rows) or np.bincount(rows, minlength=n_rows).min() == 0:  # a row with no whole count in its bounds
        return MilpPlan(None, -np.inf, -np.inf, True, infeasible=True)
    bonus = np.broadcast_to(np.asarray(prob.bonus, dtype=float), (n_rows,))
    value = prob.w * prob.ent.value_at(rows, spends) - (prob.c0 - bonus[rows]) * spends
    nvar = len(rows)
    cols = np.arange(nvar)
    constraints = [LinearConstraint(csr_array((np.ones(nvar), (rows, cols)), shape=(n_rows, nvar)), 1, 1),
                   LinearConstraint(csr_array(spends.reshape(1, -1)), -np.inf, prob.budget + 0.005)]
    if has_network_bounds(prob):
        net = csr_array((spends, (prob.net_idx[rows], cols)), shape=(len(prob.networks), nvar))
        constraints.append(LinearConstraint(net, prob.net_lo - 0.005, prob.net_hi + 0.005))
    if prob.max_hires is not None:
        hires = (prob.creator[rows] & (counts > 0)).astype(float)
        constraints.append(LinearConstraint(csr_array(hires.reshape(1, -1)), -np.inf, prob.max_hires))
    with _stdout_to_stderr():
        res = milp(-value, integrality=np.ones(nvar), bounds=Bounds(0, 1), constraints=constraints,
                   options={"time_limit": max(float(time_limit), 0.05), "mip_rel_gap": _GAP})
    if res.x is None:
        return MilpPlan(None, -np.inf, np.inf, False, infeasible=res.status == 2)
    pick = res.x > 0.5
    x = np.zeros(n_rows)
    x[rows[pick]] = spends[pick]
    if feasible_start(prob, x) is None:  # (HiGHS's tolerances let a bound slip by more than a cent)
        return MilpPlan(None, -np.inf, np.inf, False)
    v = objective_value(prob, x)
    dual = getattr(res, "mip_dual_bound", None)
    bound = -float(dual) if dual is not None and np.isfinite(dual) else np.inf
    return MilpPlan(x, v, max(bound, v), res.status == 0)
