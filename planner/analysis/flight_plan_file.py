"""Reading a plan over time: spend per row and week or month, from the files people send back.

:func:`read_plan_over_time` finds, in a CSV file or a workbook, either

- the *long* shape ``optimize --horizon`` writes (``name, network, period, spend, ...``: one row per
  row of the curve table and period, ``period`` the period's first day; the first sheet, "Plan", of its
  workbook), or any table with a name (or network and creator) column, a ``period`` (or ``month``,
  ``week``, ``date``) column and a spend column;
- or finance's *wide* layout: names in rows and periods across the columns, each column headed by the
  period's first day (a date cell, ``2027-01-01``, ``Jan 2027``, ``2027-01`` or ``Week of 2027-01-04``),
  such as the "By month" or "By week" sheet of that workbook. Columns that are not periods (a ``Total``)
  are not read; rows named as totals are skipped, and the rows from a grand-total row down (a section of
  totals by network below it) are not read, so nothing is counted twice.

It returns None when the file holds a plan without periods (``evaluate`` then reads it as it always
has) and raises :class:`~planner.data.plan_files.PlanError` with a sentence naming the sheet, row and
column of a problem.  Cells are read as the one-period plan reader reads them
(:func:`planner.data.plans.read_rows`): money as people type it, blanks as 0, a negative spend or a
percentage an error, a formula by its saved value.

The horizon is read from the file where it says it (a ``period_end`` column, or a title such as
"Spend by week, 2027-01-01 to 2027-03-31"), so a last period shorter than the rest reads back as it
was planned; otherwise it runs from the first period to the end of the last full week or month.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.data.plan_files import PlanError, plan_sheets, sheet_order, where
from planner.data.plan_layout import Layout, find_layout, header_key
from planner.data.plans import read_rows
from planner.data.sheet import Sheet, sheet_from_rows
from planner.data.values import show_value
from planner.flighting import Horizon, infer_horizon
from planner.flighting.horizon import period_start

__all__ = ["PlanOverTime", "read_plan_over_time", "period_start", "PERIOD_HEADERS", "END_HEADERS", "locate",
           "dated_rows"]

PERIOD_HEADERS = frozenset({"period", "period start", "start of period", "month", "week", "date", "start",
                            "start date", "week of", "week start", "month start", "first day"})
END_HEADERS = frozenset({"period end", "end of period", "end", "end date", "last day", "period last"})
GRAND_TOTALS = frozenset({"total", "totals", "grand total", "sum", "total spend", "total budget", "overall total",
                          "all", "all networks"})
HEAD_ROWS = 30  # the rows a header is looked for in, as the one-period reader does
LISTED = 6

_SPAN = re.compile(r"(\d{4}-\d{2}-\d{2})\s+to\s+(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class PlanOverTime:
    """A plan over time as read from a file.

    Attributes
    ----------
    table : DataFrame
        ``name, network, period, spend``: one row per name and period the file gives (``period`` a Timestamp,
        the period's first day; spend in dollars to the cent; a name on several rows of a period added).
    horizon : Horizon
        The periods the plan covers.
    source : str
        The file's name.
    sheet : str or None
        The sheet it was read from (None for a CSV file).
    layout : str
        ``"long"`` (a row per name and period) or ``"wide"`` (periods across the columns).
    notes : tuple of str
        What was assumed: columns not read, totals rows skipped, where the horizon came from.
    """

    table: pd.DataFrame
    horizon: Horizon
    source: str
    sheet: str | None
    layout: str
    notes: tuple[str, ...] = ()

    @property
    def total_spend(self) -> float:
        """Every spend in the plan, to the cent."""
        return round(float(self.table["spend"].sum()), 2)


def _dated_head(sheet: Sheet) -> Sheet:
    """Return the sheet's first rows with every cell that names a period as a date, so the layout finder sees periods."""
    rows = []
    for row, cells in sheet.head(HEAD_ROWS):
        dates = [period_start(c) if isinstance(c, str) else None for c in cells]
        rows.append((row, [_dt.datetime.combine(d, _dt.time()) if d else c for c, d in zip(cells, dates, strict=True)]))
    return sheet_from_rows(sheet.name, rows)


def _ids(lay: Layout) -> set[int]:
    return {j for j in (lay.name, lay.network, lay.creator) if j is not None}


def _month_end(d: _dt.date) -> _dt.date:
    return _dt.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def _horizon(days: list[_dt.date], end: _dt.date | None, start: _dt.date | None, w: str) -> tuple[Horizon, str]:
    """Return the horizon of periods starting on ``days`` (from ``start`` to ``end`` when the file says), and how it was found."""
    days = sorted(set(days))
    if not days:
        raise PlanError(f"{w}: no row has both a period and a spend.")
    first = start if start is not None and start <= days[0] else days[0]
    if end is not None and end >= days[-1]:
        fits = []
        for kind in ("month", "week"):
            try:
                h = Horizon(first, end, kind)
            except InputError:
                continue
            if set(days) <= set(h.starts()):
                fits.append(h)
        if fits:
            return min(fits, key=lambda h: len(h.starts())), "as the file states it"
    gaps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    if len(days) > 1 and all(g % 7 == 0 for g in gaps):
        return Horizon(days[0], days[-1] + _dt.timedelta(days=6), "week"), "to the end of the last week"
    if all(d.day == 1 for d in days[1:]) and (len(days) > 1 or days[0].day == 1):
        return Horizon(days[0], _month_end(days[-1]), "month"), "to the end of the last month"
    return infer_horizon(days), "from the periods' dates"  # raises the sentence of dates that are neither


def _parse_periods(cells: np.ndarray) -> list[_dt.date | None]:
    seen: dict = {}
    out = []
    for c in cells:
        key = (type(c), c)
        if key not in seen:
            seen[key] = period_start(c)
        out.append(seen[key])
    return out


def dated_rows(sheet: Sheet, w: str, lay: Layout, pj: int, ends_from: frozenset = END_HEADERS) -> tuple:
    """Return a long table's rows with their dates: ``(table, ends, notes)``.

    Parameters
    ----------
    sheet : Sheet
    w : str
        How messages name the sheet.
    lay : Layout
        The table's layout (:func:`planner.data.plan_layout.find_layout`).
    pj : int
        The column of the dates (a period's first day, or a day).
    ends_from : frozenset of str, optional
        Headers (as :func:`header_key` writes them) of a column with each row's last day.

    Returns
    -------
    table : DataFrame
        ``name, network, spend, period`` (``period`` a Timestamp), one row per row read with a date.
    ends : list of date or None
        Each row's last day where the sheet has such a column, else None (a list of Nones).
    notes : list of str
        What the row reader assumed.

    Raises
    ------
    PlanError
        A row with a spend whose date cell is empty or not a date, named by row and column.
    """
    hs = [header_key(h) for h in lay.headers]
    ej = next((j for j, h in enumerate(hs) if h in ends_from and j not in _ids(lay)), None)
    ours = lay.header == 0 and {"name", "network", "period", "spend", "response"} <= set(hs)
    frame, notes = read_rows(sheet, w, lay, heuristic=not ours)  # our file has no totals row: "Total" is a name
    pos = np.searchsorted(sheet.rownums, frame["row"].to_numpy())
    cells = sheet.cols[pj][pos] if pj < sheet.width else np.full(len(pos), None, dtype=object)
    periods = _parse_periods(cells)
    label = lay.label(pj)
    for k in np.flatnonzero(np.array([p is None for p in periods], dtype=bool) & (frame["spend"].to_numpy() > 0)):
        cell = cells[k]
        if cell is None:
            raise PlanError(f"{w}, row {frame['row'].iloc[k]}, column {label!r} is empty, but the row has a spend; "
                            "say which period it is for (its first day, e.g. 2027-01-01).")
        raise PlanError(f"{w}, row {frame['row'].iloc[k]}, column {label!r} holds {show_value(cell)!r}, which is "
                        "not a period's first day; write a date such as 2027-01-01 or a month such as Jan 2027.")
    keep = np.array([p is not None for p in periods], dtype=bool)
    ends = _parse_periods(sheet.cols[ej][pos]) if ej is not None and ej < sheet.width else [None] * len(pos)
    table = frame.loc[keep, ["name", "network", "spend"]].assign(
        period=pd.to_datetime([p for p, k in zip(periods, keep, strict=True) if k]))
    return table.reset_index(drop=True), [e for e, k in zip(ends, keep, strict=True) if k], notes


def _long(sheet: Sheet, label_: str, w: str, lay: Layout, pj: int) -> PlanOverTime:
    table, ends, notes = dated_rows(sheet, w, lay, pj)
    label = lay.label(pj)
    ends = [e for e in ends if e is not None]
    horizon, how = _horizon(list(table["period"].dt.date), max(ends) if ends else None, None, w)
    notes = list(lay.notes) + notes + [f"{w}: the periods were read from the column {label!r}; the horizon runs "
                                       f"{horizon.label()} ({how})."]
    return PlanOverTime(_merge(table), horizon, label_, None if sheet.is_csv else sheet.name, "long",
                        tuple(dict.fromkeys(notes)))


def _label(sheet: Sheet, k: int, lay: Layout) -> str:
    for j in (lay.name, lay.network, lay.creator):
        if j is not None and j < sheet.width and sheet.cols[j][k] is not None:
            return str(sheet.cols[j][k]).strip()
    return ""


def _totals_stop(sheet: Sheet, lay: Layout) -> int | None:
    """Return the position of the first grand-total row after the plan's rows (what is below it is not read), or None."""
    seen = False
    for k in range(lay.header + 1, len(sheet)):
        text = _label(sheet, k, lay)
        if not text:
            continue
        if header_key(text) in GRAND_TOTALS:
            if seen:
                return k
            continue
        seen = True
    return None


def _title_span(sheet: Sheet, lay: Layout) -> tuple[_dt.date, _dt.date] | None:
    """Return the horizon a title above the header states ("2027-01-01 to 2027-03-31"), or None."""
    for k in range(lay.header):
        for cell in sheet.row(k):
            m = _SPAN.search(cell) if isinstance(cell, str) else None
            if m:
                try:
                    return _dt.date.fromisoformat(m.group(1)), _dt.date.fromisoformat(m.group(2))
                except ValueError:
                    return None
    return None


def _wide(sheet: Sheet, label_: str, w: str, lay: Layout) -> PlanOverTime | None:
    dates = {j: period_start(lay.headers[j]) for j in lay.amounts}
    if not dates or any(d is None for d in dates.values()):
        return None
    twice = pd.Series(list(dates.values())).duplicated()
    if twice.any():
        d = list(dates.values())[int(np.flatnonzero(twice.to_numpy())[0])]
        raise PlanError(f"{w}: two columns are headed {d.isoformat()}; keep one column per period.")
    stop = _totals_stop(sheet, lay)
    frames, notes = [], []
    for j, d in dates.items():
        f, said = read_rows(sheet, w, replace(lay, amounts=(j,), notes=()), stop=stop)
        frames.append(f.assign(period=pd.Timestamp(d)))
        notes += [n for n in said if n not in notes]  # a title's unit is said once, not per period
    table = pd.concat(frames, ignore_index=True)[["name", "network", "spend", "period"]]
    cols = [lay.label(j) for j in dates]
    notes.insert(0, f"{w}: the spend of each period was read from its column ({cols[0]} to {cols[-1]}, "
                    f"{len(cols)} {'column' if len(cols) == 1 else 'columns'}).")
    other = [j for j in range(len(lay.headers)) if j not in dates and j not in _ids(lay) and lay.label(j)]
    if other:
        shown = ", ".join(repr(lay.label(j)) for j in other[:LISTED]) + (" and more" if len(other) > LISTED else "")
        notes.append(f"{w}: the column{'s' if len(other) > 1 else ''} {shown} {'were' if len(other) > 1 else 'was'} "
                     "not read (not a period).")
    if stop is not None:
        notes.append(f"{w}: row {sheet.rownums[stop]} ({_label(sheet, stop, lay)!r}) was read as the totals row; "
                     "it and the rows below it were not read.")
    span = _title_span(sheet, lay)
    horizon, how = _horizon(list(dates.values()), span[1] if span else None, span[0] if span else None, w)
    notes.append(f"{w}: the horizon runs {horizon.label()} ({'as its title states it' if how.startswith('as') else how}).")
    return PlanOverTime(_merge(table), horizon, label_, None if sheet.is_csv else sheet.name, "wide",
                        tuple(dict.fromkeys(notes)))


def _merge(table: pd.DataFrame) -> pd.DataFrame:
    """Return one row per name and period, spends added and rounded to the cent (zero spends kept: named in the plan)."""
    t = table.groupby(["name", "period"], sort=False, as_index=False).agg(network=("network", "first"),
                                                                          spend=("spend", "sum"))
    t["spend"] = t["spend"].astype(float).round(2)
    return t[["name", "network", "period", "spend"]].reset_index(drop=True)


def read_plan_over_time(source, name: str | None = None) -> PlanOverTime | None:
    """Read a plan over time (module docstring), or return None when the file's plan has no periods.

    Parameters
    ----------
    source : str, PathLike, bytes, file-like or planner.data.plan_files.PlanFile
        The plan, as :func:`planner.data.plans.read_plan` takes it.
    name : str, optional
        The file's name (for bytes or an upload).

    Returns
    -------
    PlanOverTime or None
        None also for the one-period workbook ``optimize --out`` writes (a sheet "Allocation").

    Raises
    ------
    PlanError
        When the file cannot be read, or a plan over time in it has a problem (a period that is not a
        date, a spend that is not money, two columns of one period, periods neither weeks nor months).
    """
    found = locate(source, name)
    if found is None:
        return None
    label, s, w, lay, pj = found
    try:
        if pj is not None:
            return _long(s, label, w, lay, pj)
        return _wide(s, label, w, lay)
    except InputError as exc:
        if isinstance(exc, PlanError):
            raise
        raise PlanError(f"{w}: {exc}") from None


def locate(source, name: str | None = None, dates_from: frozenset = PERIOD_HEADERS) -> tuple | None:
    """Return where a table of spend by name and date is: ``(label, sheet, where, layout, date column)``.

    The first sheet (in :func:`planner.data.plan_files.sheet_order`) with a plan's header is it; the date
    column is None when there is none beside a spend column (then periods may run across the columns).

    Parameters
    ----------
    source : str, PathLike, bytes, file-like or planner.data.plan_files.PlanFile
    name : str, optional
        The file's name (for bytes or an upload).
    dates_from : frozenset of str, optional
        Headers (as :func:`header_key` writes them) of a date column.

    Returns
    -------
    tuple or None
        None when no sheet holds such a table, or the file is the one-period workbook ``optimize --out``
        writes (a sheet "Allocation"), or several spend columns are equally likely (the plan reader says so).
    """
    label, sheets = plan_sheets(source, name)
    if not any(len(s) for s in sheets) or any(s.name.casefold() == "allocation" for s in sheets if not s.is_csv):
        return None
    for s in sheet_order(sheets):
        w = where(label, s)
        try:
            lay = find_layout(_dated_head(s), w)
        except PlanError:
            return None
        if lay is None:
            continue
        lay = replace(lay, headers=tuple(s.row(lay.header)))  # messages quote the headers as the user wrote them
        hs = [header_key(h) for h in lay.headers]
        pj = next((j for j, h in enumerate(hs) if h in dates_from and j not in _ids(lay)
                   and j not in lay.amounts), None)
        return label, s, w, lay, (pj if lay.amounts else None)
    return None

