"""The budget frontier: the optimum at many budgets, and the budget where the next dollar returns one.

When every row is continuous and concave on its domain and no network bound is set, all budgets
are solved together (:mod:`planner.optimize.sweep`: one vectorised price search, spends not
rounded to cents); otherwise one exact optimisation per budget.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planner.bounds.bounds import Bounds
from planner.curves.intervals import band_columns, total_band
from planner.curves.table import validate_curves
from planner.optimize.problem import OBJECTIVES
from planner.optimize.result import Allocation
from planner.optimize.solver import optimize
from planner.optimize.subproblem import Entities, best_response
from planner.optimize.sweep import concave_many

__all__ = ["FRONTIER_COLUMNS", "frontier", "frontier_of", "concave_frontier", "breakeven_budget"]

FRONTIER_COLUMNS = ("budget", "spend", "response", "marginal_return", "response_p10", "response_p90")

def frontier(curves: pd.DataFrame, budgets, network_bounds: pd.DataFrame | None = None, objective: str = "revenue",
             margin: float = 1.0) -> pd.DataFrame:
    """Return the optimum at each budget: its spend, expected response and marginal return.

    When every row is continuous and concave on its domain and no network bound is set,
    all budgets are solved together (planner.optimize.sweep: one vectorised price search; spends
    not rounded to cents); otherwise one exact optimisation per budget.

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    budgets : array-like of float
        Budgets in dollars, in increasing order: the ``response`` column is made
        non-decreasing down the rows, so the search's float noise never shows a loss.
    network_bounds : DataFrame, optional
        Columns ``network, min_spend, max_spend`` on each network's total spend.
    objective : {"revenue", "profit"}
        As in :func:`planner.optimize.optimize`.
    margin : float, default 1.0
        Contribution margin for the profit objective.

    Returns
    -------
    DataFrame
        One row per budget, in the order given: ``budget, spend, response,
        marginal_return`` (the price of the budget: what one more dollar would add to the
        objective) and ``response_p10, response_p90`` (NaN when the curve table has no bands).

    Raises
    ------
    InputError
        When the curve table, the objective, the margin or a budget cannot be used.
    InfeasibleError
        When the bounds cannot all hold at one of the budgets.
    """
    fast = concave_frontier(curves, np.asarray(budgets, dtype=float), network_bounds, objective, margin)
    if fast is not None:
        return fast
    return frontier_of((float(b), optimize(curves, float(b), network_bounds, objective, margin))
                       for b in np.asarray(budgets, dtype=float))


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


def concave_frontier(curves, budgets, network_bounds, objective, margin) -> pd.DataFrame | None:
    """Return the frontier of a concave, continuous problem in one sweep (None when it is not one).

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    budgets : ndarray of float
        Budgets in dollars (rounded down to cents for the solve; the ``budget`` column keeps them as given).
    network_bounds : DataFrame or None
        Network bounds; any set bound makes this return None.
    objective : str
        ``"revenue"`` or ``"profit"``.
    margin : float
        Contribution margin of the profit objective.

    Returns
    -------
    DataFrame or None
        As :func:`frontier` returns it (spends not rounded to cents); None when there is a network
        bound, no budget, a budget that is negative or not finite, an unknown objective, a profit margin
        not above 0, a whole-unit row, an S-curve row whose minimum is below its inflection, minimums above
        the smallest budget or a minimum above a budget.

    Raises
    ------
    InputError
        When ``network_bounds`` has rows but no ``network`` column, or ``curves`` fails
        :func:`~planner.curves.table.validate_curves`.
    """
    if Bounds.from_network_frame(network_bounds).has_network_bounds or len(budgets) == 0:
        return None
    if not np.all(np.isfinite(budgets)) or budgets.min() < 0 or objective not in OBJECTIVES:
        return None
    if objective == "profit" and not (np.isfinite(margin) and margin > 0):
        return None
    curves = validate_curves(curves)
    if curves["unit_cost"].notna().any():
        return None
    ent = Entities.from_curves(curves)
    lo = np.ceil(curves["min_spend"].to_numpy(dtype=float) * 100 - 1e-6) / 100
    if np.any(ent.infl > lo) or lo.sum() > budgets.min():
        return None  # S-curves below their inflection, or budgets below the minimums: one by one
    cap = curves["max_spend"].to_numpy(dtype=float)
    b = np.floor(budgets * 100 + 1e-6) / 100
    hi = np.minimum(cap[None, :], b[:, None])
    if np.any(hi < lo[None, :]):
        return None
    w, c0 = (1.0, 0.0) if objective == "revenue" else (float(margin), 1.0)
    X, lam = concave_many(ent, lo, hi, c0, w, b)
    resp = ent.value_grid(X)
    out = pd.DataFrame({"budget": budgets, "spend": X.sum(axis=1), "response": resp.sum(axis=1),
                        "marginal_return": lam})
    p10 = p90 = np.full(len(budgets), np.nan)
    if {"beta_p10", "beta_p90"} <= set(curves.columns):  # each budget's band as optimize() reports it
        cols = band_columns(curves)
        bands = [total_band(r, *cols) for r in resp]
        p10, p90 = np.array([b["p10"] for b in bands]), np.array([b["p90"] for b in bands])
    out["response_p10"], out["response_p90"] = p10, p90
    out["response"] = np.maximum.accumulate(out["response"].to_numpy())
    return out


def breakeven_budget(curves: pd.DataFrame, network_bounds: pd.DataFrame | None = None) -> float:
    """Return the total spend at which the next dollar returns one dollar of revenue, the budget unbounded.

    This is the spend of the plan with the most profit at a margin of 1 (revenue minus spend): every row
    spends until its next dollar returns one dollar, within its own bounds and, when given, the network
    bounds (a network minimum can force spend beyond that point, a maximum stop short of it).

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    network_bounds : DataFrame, optional
        Columns ``network, min_spend, max_spend`` on each network's total spend.

    Returns
    -------
    float
        Total spend in dollars.
    """
    curves = validate_curves(curves)
    ent = Entities.from_curves(curves)
    lo = curves["min_spend"].to_numpy(dtype=float)
    cap = curves["max_spend"].to_numpy(dtype=float)
    hi = np.where(np.isfinite(cap), cap, 1e12)
    free = best_response(ent, np.ones(len(ent)), lo, hi)
    bounds = Bounds.from_network_frame(network_bounds)
    if not bounds.has_network_bounds:
        return float(free.sum())
    budget = float(free.sum() + lo.sum() + bounds.network_floor) + 1.0  # more than any such plan spends
    return optimize(curves, budget, network_bounds, objective="profit", margin=1.0).total_spend
