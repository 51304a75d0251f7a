"""``optimize``, ``frontier`` and ``breakeven_budget``: one call each over a :class:`~planner.optimize.prepared.Prepared` problem.

Lagrangian relaxation (:mod:`planner.optimize.relaxation`) gives a proven upper bound and a plan;
branch and bound (:mod:`planner.optimize.search`) closes the gap where S-curves, whole units or a
hire limit leave one; the plan is rounded to whole cents with every bound and the budget exact.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.optimize.prepared import prepare
from planner.optimize.problem import check_budget, has_network_bounds
from planner.optimize.result import Allocation
from planner.optimize.search import MAX_NODES, TIME_LIMIT
from planner.optimize.subproblem import best_response

__all__ = ["optimize", "frontier", "breakeven_budget"]


def optimize(curves: pd.DataFrame, budget: float, network_bounds: pd.DataFrame | None = None,
             objective: str = "revenue", margin: float = 1.0, time_limit: float = TIME_LIMIT,
             engagement_weight: float = 0.0, max_creators: int | None = None,
             node_limit: int = MAX_NODES, start=None, selection: bool = True) -> Allocation:
    """Return the spend per row of ``curves`` that maximises the objective within the budget.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1).
    budget : float
        Upper limit on total spend (dollars; rounded down to a cent).
    network_bounds : DataFrame, optional
        Columns ``network, min_spend, max_spend`` on each network's total spend.
    objective : {"revenue", "profit"}
        ``profit`` maximises ``margin * revenue - spend`` and may leave budget unspent.
    margin : float
        Contribution margin for the profit objective.
    time_limit : float
        Seconds of branch and bound (whole units, S-curves) before the best plan found is
        returned with its proven gap (``Allocation.gap``).
    engagement_weight : float
        Dollars one engagement is worth to the brand: the objective becomes revenue (or
        profit) plus ``engagement_weight`` times the plan's engagements, which are
        ``engagement_per_dollar x spend`` per row (a column of the curve table, needed
        when the weight is above zero).  0 (the default) ignores engagement.
    max_creators : int, optional
        Hire at most this many creators (rows named ``Network/@handle``) with any spend;
        paid media does not count.  Solved exactly: a price per hire in the Lagrangian
        and a hire count in the core dynamic program (planner.optimize.core), per network where
        networks have bounds (planner.optimize.core_networks).  Where the program does not apply,
        branch and bound decides creators one by one (first in a network short of its minimum)
        and may stop at a limit with its proven gap.
    node_limit : int
        Most branch-and-bound nodes searched before the best plan found is returned with its proven gap.
    start : array of float, optional
        Spend per row of a plan to start the search from (such as the plan of a problem that had a
        tighter bound); ignored when it does not meet every bound of this one.
    selection : bool, default True
        Lower the band's mean by the plan's selection allowance where the curves have bands
        (:meth:`~planner.optimize.prepared.Prepared.solve`).

    Returns
    -------
    Allocation
        The plan, its totals, a proven upper bound and the gap to it.

    Raises
    ------
    InputError
        When the curve table, the budget or a bound cannot be used.
    InfeasibleError
        When the bounds cannot all hold; the message names the conflict.
    """
    check_budget(budget)  # a bad budget is reported before anything in the curve table
    plans = prepare(curves, network_bounds, objective, margin, engagement_weight, max_creators)
    return plans.solve(budget, time_limit=time_limit, node_limit=node_limit, start=start, selection=selection)


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
    return prepare(curves, network_bounds, objective, margin).frontier(budgets)




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
    plans = prepare(curves, network_bounds, objective="profit", margin=1.0)
    base = plans.base
    hi = np.where(np.isfinite(base.hi), base.hi, 1e12)
    free = best_response(base.ent, np.ones(len(base.ent)), base.lo, hi)
    if not has_network_bounds(base):
        return float(free.sum())
    budget = float(free.sum() + base.lo.sum() + base.net_lo.sum()) + 1.0  # more than any such plan spends
    return plans.solve(budget, selection=False).total_spend
