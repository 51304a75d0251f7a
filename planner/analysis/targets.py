"""Objectives stated as targets: reach a revenue at the least spend; grow while ROAS stays above a floor.

Both search over the budget with the exact optimizer inside, so every answer is the
global optimum at the budget it settles on, found to the cent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.format import money, roas
from planner.optimize import Allocation, InfeasibleError, Prepared, prepare

__all__ = ["least_spend_for_revenue", "most_revenue_at_roas"]


_SEARCH_LIMIT = 0.3  # seconds of branch and bound per step of the search; the answer gets the full search


def _at(plans: Prepared, budget, time_limit: float = _SEARCH_LIMIT) -> Allocation:
    return plans.solve(float(np.floor(budget * 100) / 100), time_limit=time_limit, selection=False)


def _final(plans: Prepared, a: Allocation) -> Allocation:
    return a if a.proven else plans.solve(a.budget, start=a.table["spend"].to_numpy(dtype=float))


def least_spend_for_revenue(curves: pd.DataFrame, target: float, max_budget: float,
                            network_bounds: pd.DataFrame | None = None) -> Allocation:
    """Find the cheapest plan whose expected revenue reaches ``target`` (budget at most ``max_budget``).

    The budget is searched (false position with bisection) to the cent, with a short
    optimisation at each step; the plan at the budget found is then optimised in full.

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    target : float
        Expected revenue to reach, in dollars.
    max_budget : float
        The most the plan may spend.
    network_bounds : DataFrame, optional
        Columns ``network, min_spend, max_spend`` on each network's total spend.

    Returns
    -------
    Allocation
        The optimum at the least budget found (to the cent) whose optimum reaches ``target``.

    Raises
    ------
    InfeasibleError
        When even the best plan at ``max_budget`` is expected to return less than
        ``target`` (the message names what it returns), or when no plan within
        ``max_budget`` meets every bound.
    InputError
        When the curve table or a bound cannot be used.
    """
    plans = prepare(curves, network_bounds)  # checked once: every step of the search is one solve of it
    top = _at(plans, max_budget)
    if top.total_response < target:
        raise InfeasibleError(
            f"A revenue of {money(target)} is out of reach: the best plan for the whole budget of "
            f"{money(max_budget)} is expected to return {money(top.total_response)}."
        )
    # false position on the budget (revenue grows with it; smooth where continuous rows absorb the
    # money, in steps where whole posts do), with bisection whenever the bracket stops halving
    lo, hi, best = 0.0, float(top.total_spend), top
    f_lo, f_hi = -float(target), top.total_response - target
    side, width = 0, hi - lo
    for it in range(200):
        if hi - lo <= 0.01:
            break
        mid = hi - f_hi * (hi - lo) / (f_hi - f_lo) if f_hi > f_lo else 0.5 * (lo + hi)
        if it % 3 == 2:
            if hi - lo > 0.5 * width:
                mid = 0.5 * (lo + hi)
            width = hi - lo
        if not lo + 0.005 < mid < hi - 0.005:
            mid = 0.5 * (lo + hi)
        try:
            a = _at(plans, mid)
        except InfeasibleError:  # minimums above this budget
            lo, f_lo = mid, -float(target)
            continue
        f = a.total_response - target
        if f >= 0:
            hi, f_hi, best = min(mid, a.total_spend), f, a  # the same plan fits any budget down to what it spends
            if side == 1:
                f_lo *= 0.5  # Illinois: the stale end counts half
            side = 1
        else:
            lo, f_lo = mid, f
            if side == -1:
                f_hi *= 0.5
            side = -1
    return _final(plans, best)


def most_revenue_at_roas(curves: pd.DataFrame, min_roas: float, max_budget: float,
                         network_bounds: pd.DataFrame | None = None, grid: int = 40) -> Allocation:
    """Find the plan with the most revenue whose ROAS (revenue / spend) stays at or above ``min_roas``.

    Robyn calls this "target efficiency".  ROAS falls as spend grows on concave curves but can
    rise first on S-shaped ones, so the budget is scanned on a grid before the last crossing is refined.

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    min_roas : float
        The least expected revenue per dollar spent.
    max_budget : float
        The most the plan may spend.
    network_bounds : DataFrame, optional
        Columns ``network, min_spend, max_spend`` on each network's total spend.
    grid : int, default 40
        Budgets scanned, evenly from ``max_budget / grid`` to ``max_budget``; between the
        last budget on the grid whose optimum keeps ``min_roas`` and the first after it that
        does not, the crossing is refined by bisection to the cent.

    Returns
    -------
    Allocation
        The optimum at the largest budget found whose ROAS is at least ``min_roas``.

    Raises
    ------
    InfeasibleError
        When no budget on the grid has an optimum that spends something at a ROAS of
        ``min_roas`` or more.
    InputError
        When the curve table or a bound cannot be used.
    """
    plans = prepare(curves, network_bounds)  # checked once: every budget scanned is one solve of it
    budgets = np.linspace(max_budget / grid, max_budget, grid)
    ok_budget, ok_alloc, fail_budget = None, None, None
    for b in budgets:
        try:
            a = _at(plans, b)
        except InfeasibleError:
            continue
        if a.total_spend > 0 and a.total_response / a.total_spend >= min_roas:
            ok_budget, ok_alloc, fail_budget = b, a, None
        elif ok_budget is not None and fail_budget is None:
            fail_budget = b
    if ok_alloc is None:
        raise InfeasibleError(
            f"No plan within {money(max_budget)} reaches a ROAS of {roas(min_roas)}: "
            f"even the best small plan returns less per dollar."
        )
    if fail_budget is None:
        return _final(plans, ok_alloc)
    lo, hi, best = ok_budget, fail_budget, ok_alloc
    while hi - lo > 0.01:
        mid = 0.5 * (lo + hi)
        a = _at(plans, mid)
        if a.total_spend > 0 and a.total_response / a.total_spend >= min_roas:
            lo, best = mid, a
        else:
            hi = mid
    return _final(plans, best)
