"""Pacing in words and tables: spend to date against the plan, and what the re-planned rest brings.

The app's Pacing page and ``python -m planner pace`` say the same sentences and show the same tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.analysis.pacing import Pacing, status_of
from planner.base.format import money, pct, signed_money

__all__ = ["pacing_headline", "rest_sentence", "network_status", "network_sentence", "period_view", "TOTAL"]

TOTAL = "Total"
NAMED = 4  # networks named per status


def _vs(actual: float, planned: float) -> str:
    diff = actual - planned
    return f"{signed_money(diff)}, {pct(diff / planned, signed=True)}" if planned > 0 else signed_money(diff)


def pacing_headline(p: Pacing) -> str:
    """Return what was spent by the pacing day against the plan to date and the budget.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    str
    """
    share = f" ({pct(p.spent / p.budget)} of the budget of {money(p.budget)})" if p.budget > 0 else ""
    status = {"ahead": "ahead of the plan", "behind": "behind the plan", "on pace": "on pace"}[p.status]
    return (f"By {p.as_of.isoformat()}, {money(p.spent)} is spent{share}; the plan had {money(p.planned_to_date)} by "
            f"then, so spending is {status} ({_vs(p.spent, p.planned_to_date)}).")


def rest_sentence(p: Pacing) -> str:
    """Return what the money left is planned for and what the horizon is then expected to bring.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    str
    """
    brings = (f"the horizon is expected to bring {money(p.expected.total_response)} of revenue, against "
              f"{money(p.planned.total_response)} in the plan ({_vs(p.expected.total_response, p.planned.total_response)})")
    if p.rest is None:
        return f"Nothing is left to plan: {brings}."
    out = (f"{money(p.remaining)} is left for {p.rest.start.isoformat()} to {p.rest.end.isoformat()}. Re-planned from "
           f"the carry-over the spend so far built up, {brings}.")
    if p.kept is not None:
        gain = p.over_kept
        if abs(gain) < 0.5:
            out += (f" Keeping the plan's own pattern for the rest with the same money brings as much "
                    f"({money(p.kept.total_response)}).")
        else:
            out += (f" Keeping the plan's own pattern for the rest with the same money would bring "
                    f"{money(p.kept.total_response)}: re-planning earns {signed_money(gain)}.")
    return out


def network_status(p: Pacing) -> pd.DataFrame:
    """Return spend to date per network: ``network, planned_to_date, actual, difference, status, rest``.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    DataFrame
        Sorted by the difference, largest overspend first.
    """
    t = p.rows.groupby("network", sort=False)[["planned", "planned_to_date", "actual", "rest", "expected"]].sum()
    t["difference"] = t["actual"] - t["planned_to_date"]
    t["status"] = status_of(t["actual"].to_numpy(), t["planned_to_date"].to_numpy())
    return t.reset_index().sort_values("difference", ascending=False, kind="stable").reset_index(drop=True)


def network_sentence(p: Pacing) -> str:
    """Return the networks ahead of and behind the plan to date, in words ("" when all are on pace).

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    str
    """
    t = network_status(p)
    parts = []
    for status, order in (("ahead", False), ("behind", True)):
        s = t[t["status"] == status].sort_values("difference", ascending=order)
        if len(s):
            named = [f"{r.network} ({_vs(r.actual, r.planned_to_date)})" for r in s.head(NAMED).itertuples()]
            more = f" and {len(s) - NAMED} more" if len(s) > NAMED else ""
            parts.append(f"{status}: {'; '.join(named)}{more}")
    if not parts:
        return "Every network is on pace (within 10% of the plan to date)."
    return "Against the plan to date, " + "; ".join(parts) + " (on pace: within 10%)."


def period_view(p: Pacing) -> pd.DataFrame:
    """Return the per-period table as people read it, with a total row.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    DataFrame
        ``Period, Plan, Plan to date, Spent, Re-planned rest, Expected spend, Status`` (money as floats to the
        cent, for the caller to format).
    """
    t = p.periods
    view = pd.DataFrame({
        "Period": t["label"], "Plan": t["planned"], "Plan to date": np.where(t["elapsed"] > 0, t["planned_to_date"],
                                                                             np.nan),
        "Spent": np.where(t["elapsed"] > 0, t["actual"], np.nan), "Re-planned rest": t["rest"],
        "Expected spend": t["expected"], "Status": t["status"],
    })
    total = {"Period": TOTAL, "Plan": view["Plan"].sum(), "Plan to date": view["Plan to date"].sum(),
             "Spent": view["Spent"].sum(), "Re-planned rest": view["Re-planned rest"].sum(),
             "Expected spend": view["Expected spend"].sum(), "Status": p.status}
    return pd.concat([view, pd.DataFrame([total])], ignore_index=True)
