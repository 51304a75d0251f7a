"""What a plan over time earns: a table of spend per row and period, valued on the flighting model.

A finance plan in months across columns, or the long file ``optimize --horizon`` writes
(``name, network, period, spend``), is valued period by period with the same carry-over the
planner plans with (:mod:`.problem`), so a plan read back earns what it earned when written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.curves.table import validate_curves
from planner.flighting.band import horizon_band
from planner.flighting.horizon import Horizon
from planner.flighting.plan import plan_table, value_spends
from planner.flighting.problem import build_problem

__all__ = ["PlanValue", "value_plan", "infer_horizon"]


@dataclass(frozen=True)
class PlanValue:
    """A plan over time and what it earns.

    Attributes
    ----------
    horizon : Horizon
        The plan's periods (read off its ``period`` dates when not given).
    table : DataFrame
        ``name, network, period, label, spend, response, carried, decay`` per curve-table row and
        period (rows the plan does not name have no spend).
    total_spend, total_response, after_response : float
    unknown : tuple of str
        Names in the plan that the curve table does not have (their spend is not valued).
    band : dict of str to float
        The 80 % band of ``total_response`` (:func:`planner.flighting.band.horizon_band`; no allowance for the
        optimizer's curse: the plan was not chosen on these curves).
    """

    horizon: Horizon
    table: pd.DataFrame
    total_spend: float
    total_response: float
    after_response: float
    unknown: tuple[str, ...]
    band: dict = field(default_factory=dict)


def infer_horizon(periods) -> Horizon:
    """Return the horizon whose periods start on the given dates (weeks when they are 7 days apart, else months).

    Raises
    ------
    InputError
        When the dates are neither weekly nor the 1st of consecutive months.
    """
    days = sorted(set(pd.to_datetime(pd.Series(list(periods))).dt.date))
    if not days:
        raise InputError("The plan has no periods.")
    gaps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    if gaps <= {7}:
        return Horizon(days[0], days[-1] + timedelta(days=6), "week")
    months = [(d.year, d.month) for d in days]
    consecutive = all((b[0] * 12 + b[1]) - (a[0] * 12 + a[1]) == 1 for a, b in zip(months, months[1:], strict=False))
    if consecutive and all(d.day == 1 for d in days[1:]):
        last = days[-1]
        end = (pd.Timestamp(last) + pd.offsets.MonthEnd(0)).date()
        return Horizon(days[0], end, "month")
    raise InputError("The plan's periods are neither weeks (7 days apart) nor months (the 1st of each month, one "
                     f"after another): {', '.join(d.isoformat() for d in days[:6])}"
                     f"{'...' if len(days) > 6 else ''}.")


def value_plan(curves: pd.DataFrame, plan: pd.DataFrame, horizon: Horizon | None = None,
               after: bool = False) -> PlanValue:
    """Value a plan of ``name, period, spend`` rows (``period``: each period's first day) on ``curves``.

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    plan : DataFrame
        Columns ``name``, ``period`` and ``spend``; several rows of one name and period add up.
    horizon : Horizon, optional
        Default: read off the plan's periods (:func:`infer_horizon`).
    after : bool, default False
        Also value what the plan earns after the horizon through carry-over.
    """
    curves = validate_curves(curves)
    horizon = horizon or infer_horizon(plan["period"])
    prob = build_problem(curves, horizon, after)
    starts = prob.periods["period"]
    at = {pd.Timestamp(p): i for i, p in enumerate(starts)}
    names = {n: i for i, n in enumerate(curves["name"].astype(str))}
    spend = np.zeros((len(curves), len(starts)))
    unknown = []
    for name, period, x in zip(plan["name"].astype(str), pd.to_datetime(plan["period"]), plan["spend"], strict=True):
        i, p = names.get(name), at.get(pd.Timestamp(period))
        if i is None:
            unknown.append(name)
            continue
        if p is None:
            raise InputError(f"The plan's period {pd.Timestamp(period).date().isoformat()} is not a "
                             f"{horizon.period} of {horizon.label()}.")
        spend[i, p] += float(x)
    resp, carried, after_resp = value_spends(prob, spend)
    return PlanValue(horizon, plan_table(prob, spend, resp, carried), float(spend.sum()), float(resp.sum()),
                     after_resp if after else 0.0, tuple(dict.fromkeys(unknown)), horizon_band(curves, resp))
