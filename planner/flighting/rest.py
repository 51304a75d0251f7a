"""The rest of a horizon, planned after part of it is spent.

Part way through a plan, what is left of the budget is planned from the next day to the horizon's end
(:func:`plan_rest`). What was spent matters in two ways:

- A row with carry-over starts the rest with the adstock the actual spend built up (``start_adstock``),
  and is flighted over the days left exactly as :func:`planner.flighting.plan_flighting` does.
- A row without carry-over (a creator) earns on its total over the whole horizon
  (:mod:`.problem`), so what it was already paid counts: the rest books it on top of that, within
  its limits over the whole horizon (a creator paid its cap gets nothing more).

The money left is split between the two kinds of row where their sum earns most: a coarse grid over
the split, then a bounded search around the best point of it. Each side is valued exactly for its
share (the creators by the one-period optimizer, prepared once; the rows with carry-over by the exact
flighting solve on their envelopes); the split is a one-dimensional search, as good as its tolerance,
a tenth of a percent of the money left. The rows with carry-over are then planned on their share as
:func:`planner.flighting.plan_flighting` plans them (S-curves pulsed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar

from planner.base.errors import InfeasibleError
from planner.curves.table import validate_curves
from planner.flighting.availability import available_days
from planner.flighting.horizon import Horizon
from planner.flighting.plan import cents, horizon_rows, plan_flighting, spread
from planner.flighting.problem import build_problem, weekly_decay, whole_quarters
from planner.flighting.search import solve_budget
from planner.optimize import prepare

__all__ = ["plan_rest"]

GRID = 9  # split points tried before the bounded search
XTOL = 1e-3  # the search's tolerance, as a share of the money left


def _free_rows(curves: pd.DataFrame, horizon: Horizon, paid: np.ndarray) -> pd.DataFrame:
    """Return the rows as one period of the whole horizon (the part each is available), each at least what it was paid."""
    rows = horizon_rows(curves, *whole_quarters(curves, horizon))
    lo = np.maximum(pd.to_numeric(rows["min_spend"], errors="coerce").fillna(0.0).to_numpy(dtype=float), paid)
    hi = pd.to_numeric(rows["max_spend"], errors="coerce").to_numpy(dtype=float)
    rows["min_spend"] = lo
    rows["max_spend"] = np.where(np.isfinite(hi), np.maximum(hi, lo), np.nan)
    return rows


def plan_rest(curves: pd.DataFrame, left: float, horizon: Horizon, rest: Horizon, paid: np.ndarray,
              start_adstock: np.ndarray, after: bool = False, min_flight: int = 1) -> np.ndarray:
    """Plan the money ``left`` over ``rest``, the days left of ``horizon`` (module docstring).

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    left : float
        The money left (an upper limit).
    horizon : Horizon
        The whole horizon (rows without carry-over earn on their total over it).
    rest : Horizon
        The days left: from the day after the last one spent to the horizon's end.
    paid : ndarray (rows,)
        Each row's actual spend in the horizon so far.
    start_adstock : ndarray (rows,)
        Each row's adstock at the start of ``rest`` (spend per quarter; rows with carry-over).
    after : bool, default False
        Count what spend earns after the horizon through carry-over.
    min_flight : int, default 1
        Shortest flight and pause of the rows with carry-over over the rest, in periods (:mod:`.runs`).

    Returns
    -------
    ndarray (rows, periods of ``rest``)
        The spend of every row in every period of ``rest``, in cents, summing to at most ``left``.

    Raises
    ------
    InfeasibleError
        When the rows' minimums over the horizon need more than what is left.
    """
    curves = validate_curves(curves)
    free = weekly_decay(curves) <= 0
    weeks = rest.periods()["weeks"].to_numpy(dtype=float)
    out = np.zeros((len(curves), len(weeks)))
    paid = np.maximum(np.asarray(paid, dtype=float), 0.0)
    fr = _free_rows(curves[free], horizon, paid[free]) if free.any() else None
    floor = float(fr["min_spend"].sum() - paid[free].sum()) if fr is not None else 0.0
    if floor > left + 0.005:
        raise InfeasibleError("The rows' minimums over the horizon need more than the money left.")

    prepared = prepare(fr) if fr is not None else None
    carry = build_problem(validate_curves(curves[~free]), rest, after, start_adstock[~free]) if (~free).any() \
        else None

    def free_part(b: float):
        alloc = prepared.solve(float(paid[free].sum()) + b, selection=False)
        total = alloc.table.set_index("name")["spend"].reindex(fr["name"]).to_numpy(dtype=float)
        return alloc.total_response, total

    def carry_part(b: float):
        return plan_flighting(curves[~free], b, rest, after=after, start_adstock=start_adstock[~free],
                              min_flight=min(min_flight, len(rest.starts())))

    if fr is None or (~free).sum() == 0:
        split = left if fr is not None else 0.0
    else:
        memo: dict[float, float] = {}

        def loss(b: float) -> float:
            b = round(min(max(b, floor), left), 2)
            if b not in memo:
                try:
                    memo[b] = -(free_part(b)[0] + solve_budget(carry, left - b).value)
                except InfeasibleError:
                    memo[b] = np.inf
            return memo[b]

        grid = np.linspace(floor, left, GRID)
        best = int(np.argmin([loss(b) for b in grid]))
        lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, GRID - 1)]
        if hi > lo:
            minimize_scalar(loss, bounds=(lo, hi), method="bounded", options={"xatol": XTOL * max(left, 1.0)})
        split = min(memo, key=memo.get)
    if fr is not None:
        _, total = free_part(split)
        unit = pd.to_numeric(fr["unit_cost"], errors="coerce").to_numpy(dtype=float) if "unit_cost" in fr \
            else np.full(len(fr), np.nan)
        out[free] = spread(np.maximum(total - paid[free], 0.0), unit, available_days(curves[free], rest) / 7.0)
    if (~free).any():
        spent_free = float(cents(out[free]).sum())
        plan = carry_part(max(left - spent_free, 0.0))
        wide = plan.table.pivot(index="name", columns="period", values="spend")
        out[~free] = wide.reindex(curves.loc[~free, "name"].astype(str)).to_numpy(dtype=float)
    return cents(out)
