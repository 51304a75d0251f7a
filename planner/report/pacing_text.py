"""Pacing in words and tables: spend to date against the plan, and what the re-planned rest brings.

The app's Pacing page and ``python -m planner pace`` say the same sentences and show the same tables.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from planner.analysis.pacing import Pacing, status_of
from planner.base.format import money, pct, signed_money
from planner.base.safe_text import to_csv_bytes

__all__ = ["pacing_headline", "rest_sentence", "network_status", "row_status", "status_sentence", "period_view", "pacing_csv",
           "pacing_tables", "PacingTables", "COLUMNS", "STATUS", "TOTAL"]

TOTAL = "Total"
NAMED = 4  # networks named per status
# the tables' columns and statuses as a reader scans them
COLUMNS = {"name": "Name", "network": "Network", "planned": "Plan", "planned_to_date": "Plan to date",
           "actual": "Spent", "difference": "Difference", "status": "Status", "rest": "Re-planned rest",
           "expected": "Expected spend"}
STATUS = {"ahead": "Ahead", "on pace": "On pace", "behind": "Behind", "to come": "To come"}
_SHOWN = ["planned", "planned_to_date", "actual", "difference", "status", "rest", "expected"]


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
    out = (f"By {p.as_of.isoformat()}, {money(p.spent)} is spent{share}; the plan had {money(p.planned_to_date)} by "
           f"then, so spending is {status} ({_vs(p.spent, p.planned_to_date)}).")
    unmatched = round(p.spent - float(p.periods["actual"].sum()), 2)
    if unmatched >= 0.01:
        out += (f" Of it, {money(unmatched)} went to names the model does not have: counted as spent, left out of "
                "the tables by period, network and row.")
    return out


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


def row_status(p: Pacing) -> pd.DataFrame:
    """Return spend to date per row (a network's paid media, a creator): as :func:`network_status`, with ``name``.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    DataFrame
        ``name, network, planned, planned_to_date, actual, rest, expected, difference, status``, largest
        overspend first.
    """
    t = p.rows.groupby(["name", "network"], sort=False)[["planned", "planned_to_date", "actual", "rest",
                                                         "expected"]].sum()
    t["difference"] = t["actual"] - t["planned_to_date"]
    t["status"] = status_of(t["actual"].to_numpy(), t["planned_to_date"].to_numpy())
    return t.reset_index().sort_values("difference", ascending=False, kind="stable").reset_index(drop=True)


def status_sentence(p: Pacing) -> str:
    """Return the rows (paid media per network, creators) ahead of and behind the plan to date, in words.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    str
        The largest differences in money first; "" is never returned: all on pace says so.
    """
    t = row_status(p)
    t = t.assign(size=t["difference"].abs()).sort_values("size", ascending=False, kind="stable")
    parts = []
    for status in ("ahead", "behind"):
        s = t[t["status"] == status]
        if len(s):
            named = [f"{_row_name(r.name, r.network)} ({_vs(r.actual, r.planned_to_date)})"
                     for r in s.head(NAMED).itertuples()]
            more = f" and {len(s) - NAMED} more" if len(s) > NAMED else ""
            parts.append(f"{status}: {'; '.join(named)}{more}")
    if not parts:
        return "Every network's paid media and every creator is on pace (within 10% of the plan to date)."
    return "Against the plan to date, " + "; ".join(parts) + ". The others are on pace, within 10%."


def pacing_csv(p: Pacing) -> bytes:
    """Return the rows of the pacing as CSV: one per network's paid media or creator and period.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    bytes
        UTF-8 CSV of ``name, network, period`` (ISO first day), ``label, planned, planned_to_date, actual, rest,
        expected, status``; text that would read as a formula is written as text.
    """
    out = p.rows.assign(period=p.rows["period"].dt.date.astype(str))
    money_cols = ["planned", "planned_to_date", "actual", "rest", "expected"]
    return to_csv_bytes(out.assign(**{c: out[c].round(2) for c in money_cols}))


def _row_name(name: str, network: str) -> str:
    return f"{network} paid media" if name == network else name


def period_view(p: Pacing) -> pd.DataFrame:
    """Return the per-period table as people read it, with a total row.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    DataFrame
        ``Period, Plan, Plan to date, Spent, Re-planned rest, Expected spend, Status`` (money as floats to the
        cent, for the caller to format; a period to come has a plan to date and a spend of 0).
    """
    t = p.periods
    view = pd.DataFrame({
        "Period": t["label"], "Plan": t["planned"], "Plan to date": t["planned_to_date"], "Spent": t["actual"],
        "Re-planned rest": t["rest"],
        "Expected spend": t["expected"], "Status": t["status"],
    })
    total = {"Period": TOTAL, "Plan": view["Plan"].sum(), "Plan to date": view["Plan to date"].sum(),
             "Spent": view["Spent"].sum(), "Re-planned rest": view["Re-planned rest"].sum(),
             "Expected spend": view["Expected spend"].sum(), "Status": p.status}
    return pd.concat([view, pd.DataFrame([total])], ignore_index=True)


class PacingTables(NamedTuple):
    """The Pacing page's tables, columns and statuses in words (money as floats, for the caller to format)."""

    by_period: pd.DataFrame
    by_network: pd.DataFrame
    by_row: pd.DataFrame


def _worded(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(Status=df["Status"].map(lambda s: STATUS.get(s, s)))


def pacing_tables(p: Pacing) -> PacingTables:
    """Return the pacing's tables by period, by network and by row, as people read them.

    Parameters
    ----------
    p : Pacing

    Returns
    -------
    PacingTables
        ``by_period``: :func:`period_view`; ``by_network``: ``Network, Plan, Plan to date, Spent, Difference,
        Status, Re-planned rest, Expected spend`` (:func:`network_status`); ``by_row``: the same with ``Name``
        first (:func:`row_status`). Statuses in words (Ahead, On pace, Behind, To come).
    """
    nets = network_status(p)[["network", *_SHOWN]].rename(columns=COLUMNS)
    rows = row_status(p)[["name", "network", *_SHOWN]].rename(columns=COLUMNS)
    return PacingTables(_worded(period_view(p)), _worded(nets), _worded(rows))
