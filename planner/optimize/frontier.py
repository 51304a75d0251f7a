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
        lam, X = _newton_chunks(base, b, hi, prices)
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


_CHUNK_ROWS = 32_768  # rows x budgets searched at once: more spills the CPU's cache and each step slows down


def _newton_chunks(base: Problem, b: np.ndarray, hi: np.ndarray, prices) -> tuple[np.ndarray, np.ndarray]:
    """Newton's price search over the budgets in chunks small enough to stay in the CPU's cache.

    Each chunk starts from the prices remembered for its budgets, else from the last chunk's.
    """
    n = len(base.ent)
    size = max(1, _CHUNK_ROWS // max(n, 1))
    lam, X = np.zeros(len(b)), np.zeros((len(b), n))
    last = np.nan
    for start in range(0, len(b), size):
        sl = slice(start, start + size)
        known = [prices(x) if prices is not None else None for x in b[sl]]
        hints = np.array([last if h is None else h for h in known], dtype=float)
        lam[sl], _, X[sl] = prices_newton(base.ent, base.lo, hi[sl], base.c0 - base.bonus, base.w, b[sl], hints)
        if lam[sl][-1] > 0:  # the next chunk starts from this one's last price
            last = lam[sl][-1]
    return lam, X
