"""Best-first branch and bound over the rows' domains, the core dynamic program in every node.

Where the relaxed plan is not feasible (an S-curve or a whole-unit row in the middle of a jump,
a hire limit, network bounds) the domain of one row is split and both halves relaxed again; a
node whose bound cannot beat the best plan known is closed.  The search stops when the gap is
below :data:`GAP_TOL` (relative), after ``node_limit`` nodes or after ``time_limit`` seconds, and
reports the proven gap.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import replace

import numpy as np

from planner.optimize.core import solve_core
from planner.optimize.hire_price import price_hires
from planner.optimize.problem import Problem, has_network_bounds, hired, network_totals, objective_value
from planner.optimize.relaxation import Relaxed, relax
from planner.optimize.rounding import to_cents
from planner.optimize.subproblem import best_response

__all__ = ["GAP_TOL", "MAX_NODES", "TIME_LIMIT", "branch_and_bound", "solve_with_hire_limit", "plan_with_hires_of",
           "can_meet", "hires_ok", "feasible_start"]

GAP_TOL = 1e-6  # relative optimality gap at which branch and bound stops


MAX_NODES = 2000
RESTRICTED_SHARE = 0.25  # of the time left, what the search for a first plan with the relaxation's creators may take
RESTRICTED_NODES = 50  # and its most nodes: a first plan is wanted, the search with the limit proves
NO_PLAN_NODES = 10  # with no plan found yet, the search may go on to this many times its node and time limits


TIME_LIMIT = 3.0  # seconds of branch and bound before the best plan found is returned with its proven gap


def can_meet(prob: Problem, lo: np.ndarray, hi: np.ndarray) -> bool:
    """Whether some plan within [lo, hi] may meet every network's bounds, the budget and the hire limit.

    A necessary check, not a sufficient one: it compares the networks' totals at ``lo`` and ``hi`` with
    their bounds and the budget.

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    lo, hi : ndarray of float
        The domain's bounds per row in dollars.

    Returns
    -------
    bool
        False when a network cannot reach its minimum or stay under its maximum, the networks' least
        spend is over the budget, or more creators than ``prob.max_hires`` must spend; True otherwise.
    """
    s_lo, s_hi = network_totals(prob, lo), network_totals(prob, hi)
    tol = 1e-9 * (1.0 + prob.budget)
    if prob.max_hires is not None and hired(prob, lo) > prob.max_hires:
        return False
    return bool(np.all(s_hi >= prob.net_lo - tol) and np.all(s_lo <= prob.net_hi + tol)
                and np.maximum(s_lo, prob.net_lo).sum() <= prob.budget + tol)


def hires_ok(prob: Problem, x) -> bool:
    """Whether plan ``x`` hires no more creators than the problem's limit.

    Parameters
    ----------
    prob : Problem
        The prepared problem (``max_hires`` None: no limit).
    x : ndarray of float
        Spend per row in dollars.

    Returns
    -------
    bool
        True without a limit or when at most ``prob.max_hires`` creator rows spend anything.
    """
    return prob.max_hires is None or hired(prob, x) <= prob.max_hires


def feasible_start(prob: Problem, x) -> tuple[np.ndarray, float] | None:
    """Return ``(x, value)`` when plan ``x`` meets every bound of ``prob`` to the cent, else None.

    A plan solved before a bound was relaxed (more budget, a higher cap, a lower minimum) still
    meets every bound: the search starts from it instead of from nothing.

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    x : array-like of float or None
        Spend per row in dollars (rounded to cents here), in the order of the curve table.

    Returns
    -------
    tuple of (ndarray, float) or None
        The rounded plan and its objective value; None when ``x`` is None, has the wrong length or a value
        that is not finite, or misses a row bound, the budget, a whole unit, a network bound or the hire
        limit (by more than half a cent for amounts).
    """
    if x is None:
        return None
    x = np.round(np.asarray(x, dtype=float), 2)
    if x.shape != prob.lo.shape or not np.all(np.isfinite(x)):
        return None
    tol = 0.005
    units = np.isfinite(prob.ent.unit)
    n = x[units] / prob.ent.unit[units]
    net = network_totals(prob, x)
    ok = (np.all(x >= prob.lo - tol) and np.all(x <= prob.hi + tol) and x.sum() <= prob.budget + tol
          and np.all(np.abs(n - np.round(n)) <= 1e-6) and np.all(net >= prob.net_lo - tol)
          and np.all(net <= prob.net_hi + tol) and hires_ok(prob, x))
    return (x, objective_value(prob, x)) if ok else None


def branch_and_bound(prob: Problem, time_limit: float = TIME_LIMIT, incumbent=None, node_limit: int = MAX_NODES):
    """Best-first branch and bound; returns (plan, value, proven upper bound, root relaxation, counts).

    ``incumbent``: a plan ``(x, value)`` known to meet every constraint, or None.

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    time_limit : float, default TIME_LIMIT (3.0)
        Seconds of search; the root node is always searched.
    incumbent : tuple of (ndarray, float), optional
        A feasible plan and its value to start from.
    node_limit : int, default MAX_NODES (2000)
        Most nodes searched.

    Returns
    -------
    x : ndarray of float or None
        The best plan found, spend per row in whole cents; None when no plan meeting every bound was found.
    value : float
        Its objective value (``-inf`` without a plan).
    bound : float
        A proven upper bound on the objective.
    root : Relaxed
        The relaxation of the whole domain (its ``lam`` is the budget's price).
    counts : dict
        ``{"nodes": int, "core_nodes": int}``: nodes searched, and those the core dynamic program closed.
    """
    best_x, best_v = incumbent if incumbent is not None else (None, -np.inf)
    start = time.perf_counter()
    root = relax(prob, prob.lo, prob.hi)
    heap = [(-root.bound, 0, prob.lo, prob.hi, root)]
    closed = -np.inf  # highest bound among nodes closed without branching
    counter, nodes = 1, 0

    def settled(bound):
        return best_x is not None and bound - best_v <= GAP_TOL * max(1.0, abs(best_v))

    use_core = bool(np.isfinite(prob.ent.unit).any())
    by_dollar = prob.max_hires is not None and bool(np.any(prob.creator & ~np.isfinite(prob.ent.unit)))
    nb_set = has_network_bounds(prob)
    core_nodes = 0
    def may_go_on() -> bool:
        # the limits bound the search for a better plan; a search that has no plan yet goes on (up to
        # NO_PLAN_NODES x node_limit nodes), since stopping then would call a feasible problem infeasible
        if best_x is None:  # (and up to NO_PLAN_NODES x its time limit: a user is told there may be no plan)
            return nodes == 0 or (nodes < NO_PLAN_NODES * node_limit
                                  and time.perf_counter() - start < NO_PLAN_NODES * time_limit)
        return nodes < node_limit and (nodes == 0 or time.perf_counter() - start < time_limit)

    while heap and may_go_on():
        if settled(-heap[0][0]):
            break
        _, _, lo, hi, rel = heapq.heappop(heap)
        nodes += 1
        cand = to_cents(prob, rel.x, lo, hi)
        if cand is not None and hires_ok(prob, cand):
            v = objective_value(prob, cand)
            if v > best_v:
                best_x, best_v = cand, v
        split = None if settled(rel.bound) else _branch(prob, rel, lo, hi)
        # the bound is loose only because of the hire limit; or, with network bounds, the relaxed plan hires too
        # many or cannot be rounded: decide creators first (where the core's program does not settle the node).
        # With creators paid by the dollar the core does not count hires: decide them first too where the relaxed
        # plan hires too many, or fewer than the limit at a positive price of a hire (its bound then counts the
        # price on every free place, loose until the creators are decided)
        hire_gap = prob.max_hires is not None and not settled(rel.bound) and (
            split is None or (nb_set and (cand is None or not hires_ok(prob, rel.x)))
            or (by_dollar and (not hires_ok(prob, rel.x)
                               or (prob.mu > 0 and hired(prob, rel.x) < prob.max_hires))))
        if hire_gap:
            split = _branch_hire(prob, rel.x, lo, hi) or split
        if (split is not None or hire_gap) and use_core:
            # whole units: reduced-cost fixing and a dynamic program over the core solve the node
            core = solve_core(prob, rel.lam, best_x, best_v, start + time_limit, lo, hi, rel.lam_g)
            if core is not None:
                x, v, node_bound, _info = core
                if v > best_v:
                    best_x, best_v = x, v
                if settled(node_bound):
                    closed = max(closed, min(node_bound, rel.bound))
                    core_nodes += 1
                    continue
        children = _split(prob, *split, lo, hi) if split else []
        if not children:
            closed = max(closed, rel.bound)
            continue
        for clo, chi in children:
            if not can_meet(prob, clo, chi):
                continue  # no plan in this part of the domain meets the network bounds and the budget
            child = relax(_priced(prob, chi), clo, chi, hint=rel.lam)
            if settled(child.bound):
                closed = max(closed, child.bound)
            else:
                heapq.heappush(heap, (-child.bound, counter, clo, chi, child))
                counter += 1
    open_bound = -heap[0][0] if heap else -np.inf
    bound = max(best_v, closed, open_bound)
    return best_x, best_v, bound, root, {"nodes": nodes, "core_nodes": core_nodes, "open": len(heap)}


def _priced(prob: Problem, hi) -> Problem:
    """Return the problem a node is relaxed in: no price of a hire where at most the limit of creators can spend.

    There the limit holds whatever the plan, and a price on its free places only loosens the bound (the dual is
    least at a price of 0).
    """
    if prob.max_hires is None or not prob.mu > 0 or hired(prob, hi) > prob.max_hires:
        return prob
    return replace(prob, mu=0.0, memo={})


def _branch(prob: Problem, rel: Relaxed, lo, hi):
    """Where to split the domain: ``(row, left_hi, right_lo)``, or None when the node is resolved.

    In order: a whole-unit row at a fraction of a unit; a whole-unit row inside its jump;
    an S-curve row on its chord; any row at one end of a jump (the relaxation chose an end
    that another solution may not).
    """
    x = rel.x
    units = np.isfinite(prob.ent.unit)
    c = np.where(units, prob.ent.unit, 1.0)
    n = x / c
    frac = np.abs(n - np.round(n))
    cand = np.flatnonzero(units & (frac > 1e-6))
    if len(cand):
        j = int(cand[np.argmax(frac[cand] * prob.ent.beta[cand])])
        return j, np.floor(n[j]) * c[j], np.ceil(n[j]) * c[j]
    cand = np.flatnonzero(units & rel.mid_jump)
    if len(cand):
        j = int(cand[np.argmax(prob.ent.beta[cand])])
        return j, x[j], x[j] + c[j]
    inside = (x > lo + 1e-6) & (x < hi - 1e-6)
    cand = np.flatnonzero(rel.jump & ~units & inside)
    if len(cand):
        price = (prob.c0 - prob.bonus + rel.lam_g[prob.net_idx]) / prob.w
        xa = best_response(prob.ent, price, lo, hi)
        j = int(cand[np.argmax(np.abs(x[cand] - xa[cand]))])
        return j, x[j], x[j]
    cand = np.flatnonzero(rel.jump & (hi - lo > 1e-9))
    if len(cand):
        j = int(cand[np.argmax(rel.high_side[cand] - rel.low_side[cand])])
        if units[j]:
            at_low = abs(x[j] - rel.low_side[j]) <= abs(x[j] - rel.high_side[j])
            return (j, x[j], x[j] + c[j]) if at_low else (j, x[j] - c[j], x[j])
        mid = 0.5 * (rel.low_side[j] + rel.high_side[j])
        return j, mid, mid
    return None


def _branch_hire(prob: Problem, x, lo, hi):
    """Split on a hired creator that may be dropped: not hired (spend 0) or hired (at least a unit or a cent)."""
    open_ = prob.creator & (lo <= 0) & (hi > 0)  # creators not yet decided
    step = np.where(np.isfinite(prob.ent.unit), prob.ent.unit, 0.01)
    short = network_totals(prob, x) < prob.net_lo - 1e-6 * (1.0 + prob.net_lo)
    if short.any():  # a network below its minimum: decide one of its creators not hired yet
        cand = np.flatnonzero(open_ & short[prob.net_idx] & (x <= 0) & (step <= hi))
        if len(cand):
            j = int(cand[np.argmax(prob.ent.value_at(cand, step[cand]) / step[cand])])
            return j, 0.0, float(min(step[j], hi[j]))
    cand = np.flatnonzero(open_ & (x > 0))
    if len(cand):
        j = int(cand[np.argmin(prob.ent.value_at(cand, x[cand]))])  # the least valuable hire
    else:
        cand = np.flatnonzero(open_ & (step <= hi))
        if not len(cand):
            return None
        j = int(cand[np.argmax(prob.ent.value_at(cand, step[cand]) / step[cand])])  # the best one not hired
    return j, 0.0, float(min(step[j], hi[j]))


def _split(prob: Problem, j: int, left_hi: float, right_lo: float, lo, hi):
    out = []
    if left_hi >= lo[j] - 1e-9 and left_hi < hi[j] - 1e-9:
        h = hi.copy()
        h[j] = left_hi
        out.append((lo, h))
    if right_lo <= hi[j] + 1e-9 and right_lo > lo[j] + 1e-9:
        l2 = lo.copy()
        l2[j] = right_lo
        out.append((l2, hi))
    return out


def plan_with_hires_of(prob: Problem, x: np.ndarray, time_limit: float):
    """Return the best plan found that hires only the creators ``x`` hires, ``(plan, value)``; None if none is.

    A plan of the relaxation within the hire limit seldom rounds to one that meets every bound (whole posts,
    each network's bounds) as it is; with the creators it hires held and the others left out, the hire limit
    holds whatever the plan, and the search without it (no count of hires: a far smaller program) finds a plan
    that meets every other bound, which the search with the limit then starts from.

    Parameters
    ----------
    prob : Problem
        A problem with ``max_hires`` and ``creator`` set.
    x : ndarray of float
        Spend per row of a plan that hires at most ``max_hires`` creators (a relaxation's).
    time_limit : float
        Seconds of search.

    Returns
    -------
    tuple of (ndarray, float) or None
        The plan (spend per row in whole cents) and its objective value; None when no plan meeting every bound
        hires only those creators, or the search found none in time.
    """
    keep = _top_up(prob, ~prob.creator | (np.asarray(x) > 0) | (prob.lo > 0))
    if keep is None:
        return None
    sub = replace(prob, lo=np.where(keep, prob.lo, 0.0), hi=np.where(keep, prob.hi, 0.0), max_hires=None, mu=0.0,
                  memo={})
    if sub.lo.sum() > sub.budget + 0.005:
        return None
    plan = branch_and_bound(sub, time_limit, None, RESTRICTED_NODES)[0]
    if plan is None or not hires_ok(prob, plan):
        return None
    return plan, objective_value(prob, plan)


def _top_up(prob: Problem, keep: np.ndarray) -> np.ndarray | None:
    """Return ``keep`` with creators added where a network's kept rows cannot reach its minimum; None past the limit.

    A network short of its minimum gets, one by one, the creator who can take what it misses and earns most per
    dollar on its first unit (or dollar), else the one who can take most, until its kept rows can take its minimum;
    None when that needs more creators than the hire limit leaves.
    """
    keep = keep.copy()
    count = int((prob.creator & keep).sum())
    if count > prob.max_hires:
        return None
    cap = np.bincount(prob.net_idx, weights=np.where(keep, prob.hi, 0.0), minlength=len(prob.networks))
    short = np.flatnonzero(cap < prob.net_lo - 1e-9)
    if not len(short):
        return keep
    first = np.where(np.isfinite(prob.ent.unit), prob.ent.unit, 1.0)
    first = np.maximum(first, np.maximum(prob.lo, 0.0))
    per_dollar = prob.ent.value(first) / np.where(first > 0, first, 1.0)
    for g in short:
        free = list(np.flatnonzero((prob.net_idx == g) & prob.creator & ~keep & (prob.hi > 0)))
        while cap[g] < prob.net_lo[g] - 1e-9:
            if count >= prob.max_hires or not free:
                return None
            need = prob.net_lo[g] - cap[g]
            # one who can take what is missing, best per dollar first; else the one who takes most
            j = max(free, key=lambda i: (prob.hi[i] >= need - 1e-9, per_dollar[i] if prob.hi[i] >= need - 1e-9
                                         else prob.hi[i]))
            free.remove(j)
            keep[j], count, cap[g] = True, count + 1, cap[g] + prob.hi[j]
    return keep


def solve_with_hire_limit(prob: Problem, time_limit: float, node_limit: int = MAX_NODES, incumbent=None):
    """At most ``prob.max_hires`` creators: a price per hire by bisection, then the core dynamic program.

    For a price ``mu`` of a hire the Lagrangian relaxation gives an upper bound (the hire
    limit earns ``mu`` per unused place); the price where the relaxed plan hires the
    limit gives the tightest, and a plan within the limit.  The core dynamic program
    (planner.optimize.core) then counts hires exactly.

    Parameters
    ----------
    prob : Problem
        A problem with ``max_hires`` and ``creator`` set (:func:`~planner.optimize.problem.with_hire_limit`).
    time_limit : float
        Seconds in all; branch and bound gets what the price search leaves.
    node_limit : int, default MAX_NODES (2000)
        Most branch-and-bound nodes searched.
    incumbent : tuple of (ndarray, float), optional
        A feasible plan and its value to start from.

    Returns
    -------
    tuple
        ``(x, value, bound, relaxation, counts)`` as :func:`branch_and_bound` returns them, the bound the
        lower of the search's and the tightest relaxation's (when a plan was found), and ``relaxation``
        the tightest relaxation over the hire prices tried.
    """
    start = time.perf_counter()
    K = prob.max_hires
    priced = price_hires(prob)
    best_p, best_rel, fp, frel = priced.tightest, priced.tightest_relaxed, priced.within, priced.within_relaxed
    best_x, best_v = None, -np.inf
    cand = to_cents(fp, frel.x, fp.lo, fp.hi)
    if cand is not None and hired(prob, cand) <= K:
        best_x, best_v = cand, objective_value(prob, cand)
    # branch and bound at that price: the core counts hires exactly in every node it solves
    left = max(0.0, time_limit - (time.perf_counter() - start))
    if incumbent is not None and incumbent[1] > best_v:
        best_x, best_v = incumbent
    if best_x is None:  # the relaxed plan does not round to one that meets every bound: keep its creators, re-plan
        found = plan_with_hires_of(prob, frel.x, RESTRICTED_SHARE * left)
        if found is not None:
            best_x, best_v = found
        left = max(0.0, time_limit - (time.perf_counter() - start))
    x, v, bound, _root, counts = branch_and_bound(best_p, left, (best_x, best_v) if best_x is not None else None,
                                                  node_limit)
    return x, v, min(bound, best_rel.bound) if x is not None else bound, best_rel, counts


