"""The budget frontier: the optimum at many budgets, and the budget where the next dollar returns one.

When every row is continuous and concave on its domain and no network bound is set, all budgets
are solved together in one vectorised price search (:mod:`planner.optimize.newton` where every row
is strictly concave, :mod:`planner.optimize.sweep` where S-curves start above their inflection;
spends not rounded to cents); otherwise one exact optimisation per budget.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planner.curves.intervals import total_band
from planner.optimize.newton import prices_newton
from planner.optimize.problem import Problem, has_network_bounds
from planner.optimize.result import Allocation
from planner.optimize.sweep import concave_many

__all__ = ["FRONTIER_COLUMNS", "frontier_of", "concave_frontier"]

FRONTIER_COLUMNS = ("budget", "spend", "response", "marginal_return", "response_p10", "response_p90")

def frontier_of(plans: Iterable[tuple[float, Allocation | None]]) -> pd.DataFrame:
    """Return the frontier table of plans already solved, one per budget.

    The one place a frontier table is made: :func:`frontier` solves the budgets and calls it,
    the app calls it on the plans it keeps for its budget slider.

    Parameters
    ----------
    plans : iterable of (float, Allocation or None)
        Each budget, in increasing order, with its optimum; None where the budget cannot be met
        (that budget is left out).

    Returns
    -------
    DataFrame
        ``budget, spend, response, marginal_return, response_p10, response_p90``.  The best
        response can only grow with the budget, so the search's float noise is evened out.
    """
    rows = [{"budget": float(b), "spend": a.total_spend, "response": a.total_response,
             "marginal_return": a.budget_value, "response_p10": a.response_p10, "response_p90": a.response_p90}
            for b, a in plans if a is not None]
    df = pd.DataFrame(rows, columns=list(FRONTIER_COLUMNS))
    if len(df):
        df["response"] = np.maximum.accumulate(df["response"].to_numpy(dtype=float))
    return df


def concave_frontier(base: Problem, budgets: np.ndarray, bands=None, prices=None) -> pd.DataFrame | None:
    """Return the frontier of a concave, continuous problem in one sweep (None when it is not one).

    Parameters
    ----------
    base : Problem
        The problem without a budget (:func:`~planner.optimize.problem.base_problem`).
    budgets : ndarray of float
        Budgets in dollars (rounded down to cents for the solve; the ``budget`` column keeps them as given).
    bands : tuple, optional
        ``beta, beta_p10, beta_p90, source`` of the curve table (:func:`~planner.curves.intervals.band_columns`);
        None when it has no bands.
    prices : callable, optional
        ``prices(budget)``: the price of a nearby budget already solved, or None (warm starts).

    Returns
    -------
    DataFrame or None
        As :func:`frontier` returns it (spends not rounded to cents); None when there is a network
        bound or a hire limit, no budget, a budget that is negative or not finite, a whole-unit row,
        an S-curve row whose minimum is below its inflection, minimums above the smallest budget or a
        minimum above a budget.
    """
    if has_network_bounds(base) or base.max_hires is not None or len(budgets) == 0:
        return None
    if not np.all(np.isfinite(budgets)) or budgets.min() < 0:
        return None
    ent, lo = base.ent, base.lo
    if np.isfinite(ent.unit).any() or np.any(ent.infl > lo) or lo.sum() > budgets.min():
        return None  # whole units, S-curves below their inflection, or budgets below the minimums: one by one
    b = np.floor(budgets * 100 + 1e-6) / 100
    hi = np.minimum(base.hi[None, :], b[:, None])
    if np.any(hi < lo[None, :]):
        return None
    if ent.smooth:  # every row strictly concave: Newton's price search, exact for every budget
        lam, X, resp = _newton_chunks(base, b, hi, prices)
    else:
        X, lam = concave_many(ent, lo, hi, base.c0 - base.bonus, base.w, b)
        resp = ent.value_grid(X)
    p10 = p90 = np.full(len(budgets), np.nan)
    if bands is not None:  # each budget's band as optimize() reports it
        totals = [total_band(r, *bands) for r in resp]
        p10, p90 = np.array([t["p10"] for t in totals]), np.array([t["p90"] for t in totals])
    return pd.DataFrame({"budget": budgets, "spend": X.sum(axis=1),
                         "response": np.maximum.accumulate(resp.sum(axis=1)), "marginal_return": lam,
                         "response_p10": p10, "response_p90": p90})


# rows x budgets searched at once: arrays of 16,000 floats (125 KiB) stay in the CPU's cache and under glibc's
# 128 KiB threshold, above which each array NumPy makes is a fresh mmap that page-faults on first touch
_CHUNK_ROWS = 16_000


def _newton_chunks(base: Problem, b: np.ndarray, hi: np.ndarray, prices) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Newton's price search over the budgets in chunks small enough to stay in the CPU's cache.

    The chunks interleave (chunk ``j`` holds budgets ``j, j + m, j + 2m, ...`` of ``m`` chunks, the
    short ones padded with their last budget), so each copy of the rows starts from its roots at the
    neighbouring budget of the chunk before.  Each budget starts from the price remembered for it,
    else from the line through its neighbours' in the chunks before.  Returns the prices, the spends
    and the responses (each chunk's while its arrays are small: a large array is a fresh ``mmap``
    from the system and costs a page fault per 4 KiB on first touch).
    """
    n, nb = len(base.ent), len(b)
    size = min(nb, max(1, _CHUNK_ROWS // max(n, 1)))
    m = -(-nb // size)  # chunks
    lam, X, resp = np.zeros(nb), np.zeros((nb, n)), np.zeros((nb, n))
    done: list[np.ndarray] = []  # each chunk's budgets, as solved
    for j in range(m):
        idx = np.arange(j, nb, m)
        idx = np.concatenate([idx, np.full(size - len(idx), idx[-1])])
        known = [prices(x) if prices is not None else None for x in b[idx]]
        guess = _extrapolated(b, lam, done[-2:], idx)
        hints = np.array([g if h is None else h for g, h in zip(guess, known, strict=True)], dtype=float)
        lam[idx], _, x = prices_newton(base.ent, base.lo, hi[idx], base.c0 - base.bonus, base.w, b[idx], hints)
        X[idx], resp[idx] = x, base.ent.value_grid(x)
        done.append(idx)
    return lam, X, resp


def _extrapolated(b: np.ndarray, lam: np.ndarray, before: list[np.ndarray], idx: np.ndarray) -> np.ndarray:
    """Each budget's price read off the line, in logs, through its neighbours' in the chunks before (NaN: none)."""
    if not before:
        return np.full(len(idx), np.nan)
    b1, p1 = b[before[-1]], lam[before[-1]]
    if len(before) < 2:
        return np.where(p1 > 0, p1, np.nan)
    b0, p0 = b[before[0]], lam[before[0]]
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.log(p1 / p0) / np.log(b1 / b0)
        out = p1 * np.exp(slope * np.log(b[idx] / b1))
    return np.where(np.isfinite(out) & (out > 0), out, np.where(p1 > 0, p1, np.nan))
