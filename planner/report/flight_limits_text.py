"""A plan over time's limits in words: each limit, what the plan spends there, and which limits bind."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.format import money
from planner.flighting import FlightPlan
from planner.flighting.limits import read_limits

__all__ = ["limit_rows", "limits_sentence"]

BINDS = 0.5  # within half a dollar of a limit, the limit binds


def limit_rows(plan: FlightPlan, curves: pd.DataFrame, limits: pd.DataFrame) -> pd.DataFrame:
    """Return one row per limit: ``Limit``, ``Allowed``, ``Planned`` (money), ``Binds`` (bool).

    Parameters
    ----------
    plan : FlightPlan
    curves : DataFrame
        The curve table the plan was made of (validated).
    limits : DataFrame
        The limits table (:func:`planner.flighting.limits.read_limits`).

    Returns
    -------
    DataFrame
    """
    bounds = read_limits(limits, curves, plan.horizon)
    spend = plan.table.pivot(index="name", columns="period", values="spend").reindex(
        curves["name"].astype(str)).fillna(0.0).to_numpy(dtype=float)
    out = []
    for lim in bounds:
        s = float(spend[lim.rows[:, None] & lim.periods[None, :]].sum())
        binds = (lim.lo > 0 and s <= lim.lo + BINDS) or (np.isfinite(lim.hi) and s >= lim.hi - BINDS)
        out.append({"Limit": lim.label, "Allowed": lim.allowed(), "Planned": s, "Binds": bool(binds)})
    return pd.DataFrame(out, columns=["Limit", "Allowed", "Planned", "Binds"])


def limits_sentence(plan: FlightPlan, curves: pd.DataFrame, limits: pd.DataFrame) -> str:
    """Return the limits the plan keeps and those that bind, in words.

    Parameters
    ----------
    plan : FlightPlan
    curves : DataFrame
    limits : DataFrame

    Returns
    -------
    str
    """
    rows = limit_rows(plan, curves, limits)
    if rows.empty:
        return "No limit is set (every row of the limits table is blank)."
    n = len(rows)
    said = f"The plan keeps {n} {'limit' if n == 1 else 'limits'} on the networks' paid media"
    tight = rows[rows["Binds"]]
    if tight.empty:
        return said + "; none binds: the best plan stays inside them all."
    named = "; ".join(f"{r.Limit} ({r.Allowed}; planned {money(r.Planned)})" for r in tight.itertuples())
    return said + f"; {'this one binds' if len(tight) == 1 else 'these bind'}, costing revenue: {named}."
