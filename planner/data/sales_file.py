"""A shop's sales over time: the total outcome per day, week or month, without spend.

Shopify's "Sales over time" (Day, Orders, Gross sales, Discounts, Returns, Net sales, ...), a shop system's or an
analytics tool's revenue by day, a finance team's weekly sales: the brand's total sales, which the marketing-mix
model splits across the networks, kept apart from the ad platforms' spend exports (planner.data.spend_join puts
them together). :func:`read_sales` reads such a file with the same reading of numbers and dates as every table and
says each row it could not read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from planner.base.format import money
from planner.data.code_report import day_text, revenue_column
from planner.data.columns import read_dates, read_numbers, table_decimal
from planner.data.dataset import DataError, Issue
from planner.data.files import peek_tables, read_source, sheets_from_bytes
from planner.data.issues import IssueLog
from planner.data.mapping import parse_mapping
from planner.data.periods import period_ends, period_step
from planner.data.table_finder import TableChoice, find_header
from planner.data.work import TableWork, skipped_frame

__all__ = ["SalesSeries", "combine_sales", "is_sales_file", "read_sales", "sales_if_any"]

_NOT_TOTAL = ("code", "network", "entity", "campaign", "spend")  # a field that makes a table something else


@dataclass(frozen=True)
class SalesSeries:
    """A brand's total sales per period, as a shop's report gives them.

    Attributes
    ----------
    source : str
        The file name.
    sheet : str
        The sheet read.
    table : DataFrame
        One row per period: ``date`` (its first day), ``outcome``, ``orders`` (NaN without such a column) and
        ``row`` (the spreadsheet row; the first where several rows share a date, whose amounts are added).
    outcome_header : str
        The header of the sales column read (net sales before total or gross ones).
    date_header : str
        The header of the date column.
    issues : tuple of Issue
        Every row that could not be read, and what was decided (warnings).
    skipped : DataFrame
        ``sheet, row, reason`` of every row left out (totals rows, rows without a date or an amount).
    fingerprint : str
        A digest of the file, its sheet, decimal mark and the user's mapping.
    currency : str or None
        The ISO code its sales are in, where the file says; None when it does not.
    orders_header : str or None
        The header of an orders column, if any.
    """

    source: str
    sheet: str
    table: pd.DataFrame
    outcome_header: str
    date_header: str
    issues: tuple[Issue, ...]
    skipped: pd.DataFrame
    fingerprint: str = ""
    currency: str | None = None
    orders_header: str | None = None

    @cached_property
    def step(self) -> str:
        """``"day"``, ``"week"`` or ``"month"``: how the rows are dated (planner.data.periods)."""
        return period_step(self.table["date"])

    @property
    def first(self) -> pd.Timestamp:
        """The first day of the first period."""
        return pd.Timestamp(self.table["date"].min())

    @property
    def last(self) -> pd.Timestamp:
        """The last day of the last period."""
        return pd.Timestamp(period_ends(self.table["date"], self.step).max())

    @property
    def has_errors(self) -> bool:
        """Whether some rows could not be read (they are left out and listed)."""
        return any(i.severity == "error" for i in self.issues)

    def describe(self) -> str:
        """Say what the file holds: ``"Sales by day: $1,234,567 of Net sales over 546 days, 1 Jan 2024 to ..."``."""
        n = len(self.table)
        unit = {"day": "day", "week": "week", "month": "month"}[self.step]
        return (f"Sales by {unit}: {money(float(self.table['outcome'].sum()))} of {self.outcome_header} over "
                f"{n:,} {unit}{'s' if n != 1 else ''}, {day_text(self.first)} to {day_text(self.last)}")


def _sales_table(choice: TableChoice | None) -> bool:
    """Whether a table's headers are sales over time: a date and a revenue column, and nothing that splits them."""
    if choice is None:
        return False
    f = choice.plan.fields
    return ("date" in f and "outcome" in f and choice.plan.layout == "unknown" and not choice.plan.channels
            and not choice.plan.outcome_channels and not any(k in f for k in _NOT_TOTAL))


def is_sales_file(source: Any, name: str | None = None, mapping: Mapping[str, str] | None = None) -> bool:
    """Tell from a file's first rows whether it is a shop's sales over time (:func:`read_sales` reads it).

    A file with spend or fees on any sheet is a data file, not sales alone.

    Raises
    ------
    DataError
        When the file cannot be read at all.
    """
    tables = peek_tables(source, name, mapping)
    if any(t is not None and t.plan.layout != "unknown" for t in tables):
        return False
    return any(_sales_table(t) for t in tables)


def sales_if_any(source: Any, name: str | None = None, mapping: Mapping[str, str] | None = None,
                 decimal: str | None = None) -> SalesSeries | None:
    """Return the file's sales over time, or None when it is not such a file (:func:`is_sales_file`)."""
    return read_sales(source, name, decimal, mapping) if is_sales_file(source, name, mapping) else None


def read_sales(source: Any, name: str | None = None, decimal: str | None = None,
               mapping: Mapping[str, str] | None = None) -> SalesSeries:
    """Read a shop's sales over time: each period's date and sales (and orders).

    Parameters
    ----------
    source : path, bytes or file-like
        As for planner.data.ingest.load.
    name : str, optional
        The file name when ``source`` is bytes.
    decimal : {".", ","}, optional
        The decimal mark of the numbers; None decides per column.
    mapping : dict of str to str, optional
        ``{source column: field}`` as for planner.data.ingest.load (``"date"``, ``"outcome"``).

    Returns
    -------
    SalesSeries

    Raises
    ------
    DataError
        When the file cannot be read at all, no sheet has a date and a sales column without spend, or no row has
        a date and an amount.
    """
    raw, fname = read_source(source, name)
    said = parse_mapping(mapping)
    for sheet in sheets_from_bytes(raw, fname):
        choice = find_header(sheet, said)
        if _sales_table(choice):
            digest = hashlib.sha256(raw)
            digest.update(f"\x00{sheet.name}\x00{decimal}\x00{sorted((mapping or {}).items())}".encode())
            return _read(fname, choice, decimal, digest.hexdigest())
    raise DataError(f"{fname} has no sheet with a date column and a sales column (and no spend), so it is not a "
                    "shop's sales over time.")


def _read(fname: str, choice: TableChoice, decimal: str | None, fingerprint: str) -> SalesSeries:
    sheet, headers, f = choice.sheet, choice.headers, dict(choice.plan.fields)
    out_j, ord_j = revenue_column(choice), f.get("orders")
    f["outcome"] = out_j  # the column read, for the currency its header or amounts say
    choice = replace(choice, plan=replace(choice.plan, fields=f))
    log = IssueLog(sheet.name)
    work = TableWork(choice, log, np.arange(choice.pos + 1, len(sheet), dtype=np.int64))
    header_row = int(sheet.rownums[choice.pos])
    hint = decimal or table_decimal(work, [j for j in (out_j, ord_j) if j is not None])
    dates = read_dates(work, hint)  # totals and notes rows without a date are skipped here
    outcome = read_numbers(work, out_j, hint, decimal)
    orders = read_numbers(work, ord_j, hint, decimal) if ord_j is not None else None
    for col, j in ((outcome, out_j), (orders, ord_j)):
        for note in () if col is None else col.notes:
            log.add("warning", header_row, headers[j], None, note)
    rows = work.rownums
    reason = np.full(work.n, None, dtype=object)
    for q in np.flatnonzero(dates.bad >= 0):
        log.add("error", int(rows[q]), headers[f["date"]], dates.problems[dates.bad[q]].value,
                f"{dates.problems[dates.bad[q]].message}, so this row's sales were left out.", kind="unreadable date")
        reason[q] = "the date could not be read"
    for q in np.flatnonzero(np.isnat(dates.values) & (dates.bad < 0)):
        log.add("error", int(rows[q]), headers[f["date"]], None,
                "This row has no date, so its sales were left out.", kind="no date")
        reason[q] = "no date"
    has_date = ~np.isnat(dates.values)
    for q in np.flatnonzero(has_date & (outcome.bad >= 0)):
        log.add("error", int(rows[q]), headers[out_j], outcome.problems[outcome.bad[q]].value,
                f"{outcome.problems[outcome.bad[q]].message}, so this period was left out.", kind="not a number")
        reason[q] = f'"{headers[out_j]}" is not a number'
    blank = has_date & (outcome.bad < 0) & np.isnan(outcome.values)
    for q in np.flatnonzero(blank):
        log.add("error", int(rows[q]), headers[out_j], None,
                "This period has no sales figure (write 0 where nothing sold), so it was left out.", kind="no sales")
        reason[q] = "no sales figure"
    keep = np.equal(reason, None)
    work.skip_rows(np.flatnonzero(~keep), reason[~keep])
    frame = pd.DataFrame({
        "date": pd.to_datetime(dates.values[keep]),
        "outcome": outcome.values[keep],
        "orders": orders.values[keep] if orders is not None else np.full(int(keep.sum()), np.nan),
        "row": rows[keep].astype(np.int64),
    })
    if frame.empty:
        where = fname if sheet.name == fname else f'"{sheet.name}" of {fname}'
        first = next((i for i in log.issues() if i.severity == "error"), None)
        why = f" (row {first.row}: {first.message.rstrip('.')})" if first is not None else ""
        raise DataError(f"{where} has a date and a sales column but no row with both{why}.")
    repeated = frame["date"].duplicated(keep=False)
    if repeated.any():  # a row per sales channel, say: the day's sales are their sum
        log.add("warning", int(frame.loc[repeated, "row"].iloc[0]), headers[f["date"]], None,
                f"{int(frame.loc[repeated, 'date'].nunique()):,} dates have several rows (by sales channel or "
                "location?); each date's sales are their sum.")
    table = (frame.groupby("date", sort=True)
             .agg(outcome=("outcome", "sum"), orders=("orders", lambda s: s.sum(min_count=1)), row=("row", "min"))
             .reset_index())
    if (table["outcome"] < 0).any():
        first = table[table["outcome"] < 0].iloc[0]
        log.add("warning", int(first["row"]), headers[out_j], None,
                f"Sales are negative in {int((table['outcome'] < 0).sum()):,} period(s) (returns above sales?); "
                "kept as written.")
    skipped = skipped_frame(sheet.name, work.skipped)
    return SalesSeries(fname, sheet.name, table, headers[out_j], headers[f["date"]], log.issues(), skipped,
                       fingerprint, work.currency().code, headers[ord_j] if ord_j is not None else None)



def combine_sales(series) -> SalesSeries:
    """Return several sales files (a year each, say) as one: their periods together, their names joined.

    Raises
    ------
    DataError
        When two of them give sales for the same date (one repeats the other?).
    """
    series = list(series)
    if len(series) == 1:
        return series[0]
    table = pd.concat([s.table for s in series], ignore_index=True)
    twice = table["date"].duplicated(keep=False)
    if twice.any():
        day = pd.Timestamp(table.loc[twice, "date"].min())
        raise DataError(f"{' and '.join(s.source for s in series)} both give sales for {day_text(day)} (and "
                        f"{int(table.loc[twice, 'date'].nunique()) - 1:,} more dates); load one sales file per "
                        "period, or one with every period.")
    first = series[0]
    return SalesSeries(" + ".join(s.source for s in series), first.sheet, table.sort_values("date", ignore_index=True),
                       first.outcome_header, first.date_header, tuple(i for s in series for i in s.issues),
                       pd.concat([s.skipped.assign(sheet=s.source) for s in series], ignore_index=True),
                       "+".join(s.fingerprint for s in series), next((s.currency for s in series if s.currency), None),
                       first.orders_header if all(s.orders_header for s in series) else None)
