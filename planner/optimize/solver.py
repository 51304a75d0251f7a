"""``optimize``: the spend per row of a curve table that maximises the objective within a budget.

Lagrangian relaxation (:mod:`planner.optimize.relaxation`) gives a proven upper bound and a plan;
branch and bound (:mod:`planner.optimize.search`) closes the gap where S-curves, whole units or a
hire limit leave one; the plan is rounded to whole cents with every bound and the budget exact.
"""

from __future__ import annotations

import pandas as pd

from planner.base.errors import InfeasibleError
from planner.optimize.problem import prepare, with_hire_limit
from planner.optimize.result import Allocation, build_allocation
from planner.optimize.search import MAX_NODES, TIME_LIMIT, branch_and_bound, feasible_start, solve_with_hire_limit

__all__ = ["optimize"]


def optimize(curves: pd.DataFrame, budget: float, network_bounds: pd.DataFrame | None = None,
             objective: str = "revenue", margin: float = 1.0, time_limit: float = TIME_LIMIT,
             engagement_weight: float = 0.0, max_creators: int | None = None,
             node_limit: int = MAX_NODES, start=None) -> Allocation:
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
        and a hire count in the core dynamic program (planner.optimize.core).  With network bounds
        the core does not apply: branch and bound decides creators one by one (first in a
        network short of its minimum) and may stop at a limit with its proven gap.
    node_limit : int
        Most branch-and-bound nodes searched before the best plan found is returned with its proven gap.
    start : array of float, optional
        Spend per row of a plan to start the search from (such as the plan of a problem that had a
        tighter bound); ignored when it does not meet every bound of this one.

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
    curves, prob = prepare(curves, float(budget), network_bounds, objective, float(margin), float(engagement_weight))
    if max_creators is not None:
        prob = with_hire_limit(prob, curves, max_creators)
    incumbent = feasible_start(prob, start)
    if prob.max_hires is not None:
        x, value, bound, root, counts = solve_with_hire_limit(prob, time_limit, node_limit, incumbent)
    else:
        x, value, bound, root, counts = branch_and_bound(prob, time_limit, incumbent, node_limit)
    if x is None and counts.get("open"):  # the search stopped with parts of the domain still unexplored
        raise InfeasibleError(f"No plan that meets every bound was found in {counts['nodes']:,} steps of the search; "
                              "the bounds and the budget leave very few plans, if any. Loosen a bound to see one.")
    if x is None:
        raise InfeasibleError("No plan meets every bound within the budget.")
    return build_allocation(curves, prob, x, value, bound, root.lam, counts, max_creators)
