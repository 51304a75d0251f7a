"""Reading actual spend to date: what was spent, by network or creator, day by day or period by period.

:func:`read_actuals` reads the files a team has at hand to say what it has spent so far:

- an ad-platform export with a row per day (Meta's ``Day``, ``Platform``, ``Amount spent (EUR)``) or per
  reporting window (``Reporting starts``, ``Reporting ends``);
- the team's own sheet with a date, week or month column beside a network (and creator, or name) and a
  spend column;
- a plan-shaped sheet of actuals: names in rows and weeks or months across the columns, as finance keeps
  them (read as :func:`planner.analysis.flight_plan_file.read_plan_over_time` reads a plan over time).

Every row covers a span of days: its own day, its reporting window, or its week or month (a sheet whose
dates are the firsts of months, or 7 days apart, holds periods; one whose date header is ``Day`` holds
days). Pacing spreads a row's spend evenly over its span. Nothing is dropped without a word: the notes say
which columns were read and how the spans were read, and a row that cannot be read is an error naming
its sheet, row and column.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import pandas as pd

from planner.analysis.flight_plan_file import (
    END_HEADERS,
    PERIOD_HEADERS,
    dated_rows,
    locate,
    read_plan_over_time,
)
from planner.data.plan_files import PlanError
from planner.data.plan_layout import header_key

__all__ = ["Actuals", "read_actuals"]

DAY_HEADERS = frozenset({"day", "reporting starts", "reporting start", "date start", "start date", "day start"})
DATE_HEADERS = PERIOD_HEADERS | DAY_HEADERS
SPAN_ENDS = END_HEADERS | frozenset({"reporting ends", "reporting end", "date stop", "date end", "day end"})


@dataclass(frozen=True)
class Actuals:
    """Actual spend, each amount with the days it covers.

    Attributes
    ----------
    table : DataFrame
        ``name, network, first, last, spend``: ``first`` and ``last`` the first and last day the spend
        covers (Timestamps, both inclusive); names as the file gives them (a network, a creator's
        ``Network/@handle`` or handle).
    source : str
        The file's name.
    notes : tuple of str
        How the file was read.
    """

    table: pd.DataFrame
    source: str
    notes: tuple[str, ...] = ()

    @property
    def total_spend(self) -> float:
        """Every amount in the file, to the cent."""
        return round(float(self.table["spend"].sum()), 2)

    @property
    def last_day(self) -> _dt.date:
        """The last day any amount covers."""
        return pd.Timestamp(self.table["last"].max()).date()


def _month_last(ts: pd.Series) -> pd.Series:
    return ts + pd.offsets.MonthEnd(0)


def _spans(table: pd.DataFrame, ends: list, label: str, is_day: bool, w: str) -> tuple[pd.Series, str]:
    """Return each row's last day and a sentence saying how the spans were read."""
    first = table["period"]
    if any(e is not None for e in ends):
        last = pd.Series(pd.to_datetime([e if e is not None else f for e, f in zip(ends, first, strict=True)]),
                         index=table.index)
        bad = last < first
        if bad.any():
            k = int(bad.to_numpy().argmax())
            raise PlanError(f"{w}: a row's window ends ({last.iloc[k].date().isoformat()}) before it starts "
                            f"({first.iloc[k].date().isoformat()}).")
        return last, f"{w}: each row's spend covers its window, from the column {label!r} to its end."
    days = sorted(set(first.dt.date))
    gaps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    if not is_day and len(days) > 1 and all(d.day == 1 for d in days):
        return _month_last(first), f"{w}: the column {label!r} holds months; each row's spend covers its month."
    if not is_day and len(days) > 1 and all(g % 7 == 0 for g in gaps):
        return first + pd.Timedelta(days=6), (f"{w}: the column {label!r} holds weeks; each row's spend covers the "
                                              "7 days from its date.")
    return first, f"{w}: the column {label!r} holds days; each row's spend is that day's."


def read_actuals(source, name: str | None = None) -> Actuals:
    """Read actual spend to date (module docstring).

    Parameters
    ----------
    source : str, PathLike, bytes or file-like
        A CSV file or a workbook.
    name : str, optional
        The file's name (for bytes or an upload).

    Returns
    -------
    Actuals

    Raises
    ------
    PlanError
        With a sentence naming the sheet, row and column: no sheet with a network (or name) and a spend
        column, a date that is not a date, a window that ends before it starts, no spend at all.
    """
    found = locate(source, name, DATE_HEADERS)
    if found is None:
        raise PlanError(f"{name or source}: no sheet has a network (or creator, or name) column and a spend "
                        "column, so the spend to date cannot be read; a sheet with Date, Network and Spend "
                        "columns, or an ad-platform export, works.")
    label, sheet, w, lay, pj = found
    if pj is None:
        plan = read_plan_over_time(source, name)
        if plan is None:
            raise PlanError(f"{w}: no column says when the money was spent; add a Date (or Week, or Month) column, "
                            "or put the weeks or months across the columns.")
        t = plan.table.copy()
        ends = {p: pd.Timestamp(last) for p, last in zip(plan.horizon.periods()["period"],
                                                         plan.horizon.periods()["last"], strict=True)}
        t["first"], t["last"] = t["period"], t["period"].map(ends)
        notes = plan.notes
    else:
        table, ends, notes = dated_rows(sheet, w, lay, pj, SPAN_ENDS)
        if table.empty:
            raise PlanError(f"{w}: no row has both a date and a spend.")
        col = lay.label(pj)
        last, how = _spans(table, ends, col, header_key(lay.headers[pj]) in DAY_HEADERS, w)
        t = table.assign(first=table["period"], last=last)
        notes = tuple(dict.fromkeys([*lay.notes, *notes, how]))
    t = t[["name", "network", "first", "last", "spend"]].reset_index(drop=True)
    if not (t["spend"] > 0).any():
        raise PlanError(f"{w}: no row has a spend above zero; there is nothing to pace.")
    return Actuals(t, label, tuple(notes))
