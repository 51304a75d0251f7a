"""The budgets the app offers and plans ahead for.

The budget slider starts at today's total spend (:func:`default_budget`) and moves in
round steps (:func:`budget_step`) over :func:`budget_options`; every position of it is a
plan already computed (the frontier through them is :func:`planner.optimize.frontier.frontier_of`,
the next step up :func:`planner.analysis.insights.next_money_between`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.report.display import column_numbers, is_finite_number

__all__ = ["DEFAULT_BUDGET", "default_budget", "budget_grid", "budget_step", "budget_options"]

DEFAULT_BUDGET = 250_000.0


def default_budget(curves: pd.DataFrame | None) -> float:
    """Return today's total quarterly spend (sum of ``current_spend``), whole dollars; else $250,000.

    Parameters
    ----------
    curves : DataFrame or None
        The curve table; its ``current_spend`` column is read (text that is no number counts as missing).

    Returns
    -------
    float
        Dollars: the rounded total when it is above 0, else :data:`DEFAULT_BUDGET` (also when ``curves``
        is None or has no ``current_spend``).
    """
    if curves is None or "current_spend" not in curves.columns:
        return DEFAULT_BUDGET
    cur = column_numbers(curves, "current_spend")
    total = float(np.nansum(cur)) if np.isfinite(cur).any() else 0.0
    return float(round(total)) if total > 0 else DEFAULT_BUDGET


def budget_grid(budget: float, curves: pd.DataFrame | None = None, n: int = 25,
                lo: float = 0.2, hi: float = 2.0) -> tuple[float, ...]:
    """Return ``n`` budgets from ``lo`` to ``hi`` times ``budget`` (whole dollars), for the frontier.

    The grid starts no lower than the sum of the curve table's minimum spends, so
    every budget on it can be met.

    Parameters
    ----------
    budget : float
        The budget in dollars; :data:`DEFAULT_BUDGET` when it is not a finite number above 0.
    curves : DataFrame, optional
        The curve table, for the sum of its ``min_spend``.
    n : int, default 25
        How many budgets.
    lo, hi : float, default 0.2 and 2.0
        The grid's ends as multiples of ``budget``.

    Returns
    -------
    tuple of float
        ``n`` evenly spaced budgets in whole dollars, increasing (all equal to the start when the
        minimums are above ``hi * budget``).
    """
    budget = float(budget) if is_finite_number(budget) and budget > 0 else DEFAULT_BUDGET
    start, stop = lo * budget, hi * budget
    if curves is not None and "min_spend" in curves.columns:
        floor = float(np.nansum(column_numbers(curves, "min_spend")))
        start = max(start, math.ceil(floor))
    stop = max(stop, start)
    return tuple(float(round(b)) for b in np.linspace(start, stop, n))


def budget_step(budget: float, positions: int = 30) -> float:
    """Return a round step for moving the budget: about ``budget / positions``, as 1, 2, 2.5 or 5 x a power of ten.

    $339,453 -> $10,000; $52,500 -> $2,000; $3M -> $100,000.

    Parameters
    ----------
    budget : float
        The budget in dollars; :data:`DEFAULT_BUDGET` when it is not a finite number above 0.
    positions : int, default 30
        About how many steps the budget should be (at least 1).

    Returns
    -------
    float
        The step in dollars nearest ``budget / positions`` on a log scale.
    """
    budget = float(budget) if is_finite_number(budget) and budget > 0 else DEFAULT_BUDGET
    raw = budget / max(int(positions), 1)
    power = 10.0 ** math.floor(math.log10(raw))
    steps = [m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0)]
    return float(min(steps, key=lambda s: abs(math.log(s / raw))))


def budget_options(budget: float, curves: pd.DataFrame | None = None, step: float | None = None,
                   lo: float = 0.5, hi: float = 1.5) -> tuple[float, ...]:
    """Return the budgets the app plans ahead for: ``budget`` and the multiples of ``step`` around it.

    The multiples run from ``lo`` to ``hi`` x ``budget``.  The budget slider offers exactly these, and the frontier is drawn through them, so
    every position of the slider is a plan already computed.  The grid starts no lower
    than the sum of the curve table's minimum spends, so every budget on it can be met.

    Parameters
    ----------
    budget : float
        The budget in dollars; :data:`DEFAULT_BUDGET` when it is not a finite number above 0.
    curves : DataFrame, optional
        The curve table, for the sum of its ``min_spend``.
    step : float, optional
        Dollars between options; default :func:`budget_step` of ``budget`` (also when not a finite
        number above 0).
    lo, hi : float, default 0.5 and 1.5
        The range as multiples of ``budget``.

    Returns
    -------
    tuple of float
        Increasing budgets in dollars (rounded to cents), ``budget`` among them.
    """
    budget = float(budget) if is_finite_number(budget) and budget > 0 else DEFAULT_BUDGET
    step = float(step) if step is not None and is_finite_number(step) and step > 0 else budget_step(budget)
    start = lo * budget
    if curves is not None and "min_spend" in curves.columns:
        start = max(start, float(np.nansum(column_numbers(curves, "min_spend"))))
    first = math.ceil(start / step - 1e-9)
    last = math.floor(max(hi * budget, start) / step + 1e-9)
    grid = [round(i * step, 2) for i in range(first, max(last, first) + 1)]
    return tuple(sorted({float(b) for b in grid} | {float(round(budget, 2))}))
