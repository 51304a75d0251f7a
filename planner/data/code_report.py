"""A promo-code report: the sales of each discount code, from a shop or a creator platform, without fees.

Shopify's "Sales by discount" and creator platforms' exports give them. Teams keep the fees they pay creators in a tracker and get the sales of each creator's code from the shop.
:func:`read_code_report` reads such a report (a code column and a revenue column, by day or over a period, no
spend), with the same reading of numbers and dates as every other table, and says each row it could not read;
planner.data.code_sales gives its sales to the tracker's campaigns by code and date.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from planner.base.format import money
from planner.data.columns import read_dates, read_numbers, table_decimal
from planner.data.dataset import DataError, Issue
from planner.data.files import peek_tables, read_source, sheets_from_bytes
from planner.data.headers import match_field, normalize_header
from planner.data.issues import IssueLog
from planner.data.mapping import parse_mapping
from planner.data.periods import period_ends, period_step
from planner.data.table_finder import TableChoice, find_header
from planner.data.totals import is_total_label
from planner.data.values import is_missing
from planner.data.work import TableWork

__all__ = ["CodeReport", "code_key", "combine_reports", "day_text", "is_code_report", "read_code_report", "report_if_any",
           "revenue_column",
           "reports_in_sheets",
           "REVENUE_PREFERENCE"]

# A shop's report gives several sales columns; the revenue a campaign brought is its net sales (after discounts
# and returns, before taxes and shipping), then what other reports call revenue.
REVENUE_PREFERENCE = ("net sales", "net revenue", "nettoumsatz", "netto umsatz", "umsatz netto", "ventes nettes",
                      "ventas netas", "vendite nette", "chiffre d affaires net", "revenue net", "sales net",
                      "total net sales", "netto omzet", "nettoerlos", "nettoerlose", "revenue", "promo code revenue", "code revenue",
                      "sales", "umsatz", "total sales", "gross sales", "gross revenue", "bruttoumsatz")
_RATE = re.compile(r"%|\brate\b|\bpct\b|percent", re.I)
_LINK = re.compile(r"/(?:discount|coupon|promo|code)s?/([^/?#&]+)")
_NO_CODE = frozenset({"none", "nocode", "no", "-", "tbd", "tbc"})


def code_key(cell: Any) -> str:
    """Return the key a promo code matches by: its text without spaces, case folded (``"Nina 15"`` -> ``"nina15"``).

    A number written as a code (``1234.0`` read from a workbook) is its digits; a shareable discount link
    (``https://shop.example/discount/NINA15``) is its code; a blank, ``"none"`` or ``"TBD"`` is ``""``.
    """
    if is_missing(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    key = "".join(str(cell).split()).casefold()
    link = _LINK.search(key)  # a shareable discount link: https://shop.example/discount/NINA15?redirect=/
    if link:
        key = link.group(1)
    return "" if key in _NO_CODE else key


@dataclass(frozen=True)
class CodeReport:
    """The sales of each promo code, as a report gives them.

    Attributes
    ----------
    source : str
        The file name.
    sheet : str
        The sheet read.
    table : DataFrame
        One row per row read: ``code`` (as written), ``key`` (:func:`code_key`), ``date`` (NaT in a report
        without dates), ``outcome``, ``orders`` and ``commission`` (NaN without such a column) and ``row`` (the
        spreadsheet row).
    code_header, outcome_header : str
        The headers of the code and revenue columns.
    orders_header, date_header : str or None
        The headers of the orders and date columns, if the report has them.
    issues : tuple of Issue
        Every row that could not be read, and what was decided (warnings).
    skipped : int
        Rows left out (totals rows, rows without a code, unreadable amounts).
    fingerprint : str
        A digest of the file, its sheet and decimal mark (the tracker's fingerprint takes it in).
    commission_header : str or None
        The header of a column of the commission paid on each code's sales (an amount, not a rate), if any.
    currency : str or None
        The ISO code its sales are in, where it says (a header such as "Net sales (EUR)", a currency column, amounts
        written with a symbol); None when it does not.
    """

    source: str
    sheet: str
    table: pd.DataFrame
    code_header: str
    outcome_header: str
    orders_header: str | None
    date_header: str | None
    issues: tuple[Issue, ...]
    skipped: int
    fingerprint: str = ""
    currency: str | None = None
    commission_header: str | None = None

    @property
    def dated(self) -> bool:
        """Whether the report gives each sale's date (by day or week), not only totals over its period."""
        return self.date_header is not None and bool(self.table["date"].notna().any())

    @property
    def first(self) -> pd.Timestamp | None:
        """The report's first date (None without dates)."""
        return pd.Timestamp(self.table["date"].min()) if self.dated else None

    @property
    def last(self) -> pd.Timestamp | None:
        """The report's last day: the end of its last row's day, week or month (None without dates)."""
        return pd.Timestamp(self.ends().max()) if self.dated else None

    @cached_property
    def step(self) -> str:
        """Say how the report's rows are dated: ``"month"``, ``"week"`` or ``"day"`` (planner.data.periods)."""
        return period_step(self.table["date"])

    def ends(self) -> np.ndarray:
        """Return the last day each row's sales may be from: its date, or the end of its week or month."""
        return period_ends(self.table["date"], self.step)

    @property
    def has_errors(self) -> bool:
        """Whether some rows could not be read (they are left out and listed)."""
        return any(i.severity == "error" for i in self.issues)

    def describe(self) -> str:
        """Say what the report holds: ``"A promo-code report: 60 codes, $5,298,041 of Net sales, 2 Jan 2024 to ..."``."""
        codes = self.table["key"].nunique()
        when = (f", {day_text(self.first)} to {day_text(self.last)}" if self.dated
                else " over its period (no dates)")
        return (f"A promo-code report: {codes:,} code{'s' if codes != 1 else ''}, "
                f"{money(float(self.table['outcome'].sum()))} of {self.outcome_header}{when}")


def day_text(t: pd.Timestamp) -> str:
    """Return a day as the notes write it: ``"2 Jan 2024"``."""
    return f"{t.day} {t:%b %Y}"


def combine_reports(reports) -> CodeReport:
    """Return several reports (a quarter each, say) as one: their rows together, their sources named together.

    Reports by day and reports of totals are not combined: the reports by day are used (their dates give each sale
    to its campaign), the others named in the result's issues.
    """
    reports = list(reports)
    dated = [r for r in reports if r.dated]
    use = dated or reports
    if len(use) == 1 and len(use) == len(reports):
        return use[0]
    left = [r for r in reports if r not in use]
    issues = [i for r in use for i in r.issues]
    for r in left:
        issues.append(Issue("warning", r.sheet, None, None, None,
                            f"{r.source} gives totals without dates, and the other promo-code reports give each day's "
                            "sales; only the reports by day were used."))
    first = use[0]
    table = pd.concat([r.table for r in use], ignore_index=True)
    return CodeReport(", ".join(r.source for r in use), first.sheet, table, first.code_header, first.outcome_header,
                      first.orders_header if all(r.orders_header for r in use) else None, first.date_header,
                      tuple(issues), sum(r.skipped for r in use), "+".join(r.fingerprint for r in use),
                      next((r.currency for r in use if r.currency), None),
                      first.commission_header if all(r.commission_header for r in use) else None)


def _report_table(choice: TableChoice | None) -> bool:
    """Whether a table's headers are a promo-code report's: a code and a revenue column, no spend."""
    if choice is None:
        return False
    f = choice.plan.fields
    return "code" in f and "outcome" in f and "spend" not in f and not choice.plan.channels


def revenue_column(choice: TableChoice) -> int:
    """Return the report's revenue column: the one the user named, else net sales before total or gross ones.

    The order is :data:`REVENUE_PREFERENCE`.
    """
    if choice.plan.fields["outcome"] in choice.plan.mapped:
        return choice.plan.fields["outcome"]
    found = {normalize_header(h): j for j, h in enumerate(choice.headers) if match_field(h) == "outcome"}
    for name in REVENUE_PREFERENCE:
        if name in found:
            return found[name]
    return choice.plan.fields["outcome"]


def is_code_report(source: Any, name: str | None = None, mapping: Mapping[str, str] | None = None) -> bool:
    """Tell from a file's first rows whether it is a promo-code report (:func:`read_code_report` reads it).

    A workbook with a sheet of spend or fees beside the report is a data file whose tracker reads the report's
    sheet itself (planner.data.ingest), not a report. ``mapping`` is the user's, as for planner.data.ingest.load
    (a code column whose header says nothing: ``{"Gutschein": "code"}``).

    Raises
    ------
    DataError
        When the file cannot be read at all.
    """
    tables = peek_tables(source, name, mapping)
    data = any(t is not None and t.plan.layout != "unknown" for t in tables)  # fees or spend: a data file
    return not data and any(_report_table(t) for t in tables)


def report_if_any(source: Any, name: str | None = None, mapping: Mapping[str, str] | None = None) -> CodeReport | None:
    """Return the file's promo-code report, or None when the file is not one (:func:`is_code_report`)."""
    return read_code_report(source, name, mapping=mapping) if is_code_report(source, name, mapping) else None


def read_code_report(source: Any, name: str | None = None, decimal: str | None = None,
                     mapping: Mapping[str, str] | None = None) -> CodeReport | None:
    """Read a promo-code report: each row's code, date (if any), revenue and orders.

    Parameters
    ----------
    source : path, bytes or file-like
        As for planner.data.ingest.load.
    name : str, optional
        The file name when ``source`` is bytes.
    decimal : {".", ","}, optional
        The decimal mark of the numbers; None decides per column.
    mapping : dict of str to str, optional
        ``{source column: field}`` as for planner.data.ingest.load (``"code"``, ``"outcome"``, ...).

    Returns
    -------
    CodeReport or None
        None when no sheet of the file has a code column and a revenue column without a spend column.

    Raises
    ------
    DataError
        When the file cannot be read at all.
    """
    raw, fname = read_source(source, name)
    sheets = sheets_from_bytes(raw, fname)
    found = reports_in_sheets(raw, fname, sheets, decimal, by_sheet=len(sheets) > 1, mapping=mapping)
    return found[0] if found else None


def reports_in_sheets(raw: bytes, fname: str, sheets, decimal: str | None = None, by_sheet: bool = False,
                      mapping: Mapping[str, str] | None = None) -> list[CodeReport]:
    """Return the promo-code reports among a file's sheets, in sheet order.

    A workbook may keep the fees on one sheet and the shop's sales by code on another; a report on a sheet of a
    workbook of several is named by file and sheet.

    Parameters
    ----------
    raw : bytes
        The file's bytes (for the reports' fingerprints).
    fname : str
        The file name.
    sheets : list of Sheet
        The file's sheets, as read.
    decimal : str or None
        The decimal mark of the numbers; None decides per column.
    by_sheet : bool, default False
        Name each report by file and sheet (``"fees.xlsx, sheet Sales"``), not by file alone.
    mapping : dict of str to str, optional
        The user's ``{source column: field}``.
    """
    out = []
    said = parse_mapping(mapping)
    for sheet in sheets:
        choice = find_header(sheet, said)
        if _report_table(choice):
            digest = hashlib.sha256(raw)
            digest.update(f"\x00{sheet.name}\x00{decimal}\x00{sorted((mapping or {}).items())}".encode())
            named = f"{fname}, sheet {sheet.name}" if by_sheet else fname
            out.append(_read(named, choice, decimal, digest.hexdigest()))
    return out


def _read(fname: str, choice: TableChoice, decimal: str | None, fingerprint: str) -> CodeReport:
    sheet, headers, f = choice.sheet, choice.headers, choice.plan.fields
    log = IssueLog(sheet.name)
    work = TableWork(choice, log, np.arange(choice.pos + 1, len(sheet), dtype=np.int64))
    out_j, ord_j, code_j = revenue_column(choice), f.get("orders"), f["code"]
    com_j = f.get("commission")
    if com_j is not None and _RATE.search(headers[com_j]):  # a rate, not the money paid: not the campaigns' cost
        com_j = None
    hint = decimal or table_decimal(work, [j for j in (out_j, ord_j, com_j) if j is not None])
    n0 = work.n
    dates = read_dates(work, hint).values if "date" in f else np.full(work.n, np.datetime64("NaT"), "M8[ns]")
    skipped = n0 - work.n  # totals and notes rows without a date
    outcome = read_numbers(work, out_j, hint, decimal)
    orders = read_numbers(work, ord_j, hint, decimal) if ord_j is not None else None
    commission = read_numbers(work, com_j, hint, decimal) if com_j is not None else None
    for col, j in ((outcome, out_j), (orders, ord_j), (commission, com_j)):
        for note in () if col is None else col.notes:
            log.add("warning", int(sheet.rownums[choice.pos]), headers[j], None, note)
    keys = work.per_value(code_j, code_key, "")
    total = work.per_value(code_j, lambda u: isinstance(u, str) and is_total_label(u), False, bool)
    rows = work.rownums
    keep = (keys != "") & ~total
    for q in np.flatnonzero((keys == "") & ~total & ~np.isnan(outcome.values) & (outcome.values != 0)):
        log.add("warning", int(rows[q]), headers[code_j], None,
                f"This row has sales ({money(float(outcome.values[q]))}) but no code, so no creator's campaign can "
                "be given them; it was left out.", kind="no code")
    for q in np.flatnonzero(keep & (outcome.bad >= 0)):
        log.add("error", int(rows[q]), headers[out_j], outcome.problems[outcome.bad[q]].value,
                f"{outcome.problems[outcome.bad[q]].message}, so this row was left out.", kind="not a number")
    keep &= outcome.bad < 0
    if "date" in f:
        for q in np.flatnonzero(keep & np.isnat(dates)):
            log.add("error", int(rows[q]), headers[f["date"]], work.cell(int(q), f["date"]),
                    "This row has no date, though the report's other rows do, so its sales cannot be given to a "
                    "campaign; it was left out.", kind="no date")
        keep &= ~np.isnat(dates)
    skipped += int((~keep).sum())
    table = pd.DataFrame({
        "code": work.per_value(code_j, lambda u: "" if is_missing(u) else str(u).strip(), "")[keep],
        "key": keys[keep], "date": pd.to_datetime(dates[keep]),
        "outcome": np.nan_to_num(outcome.values[keep]),
        "orders": orders.values[keep] if orders is not None else np.full(int(keep.sum()), np.nan),
        "commission": commission.values[keep] if commission is not None else np.full(int(keep.sum()), np.nan),
        "row": rows[keep].astype(np.int64),
    })
    if table.empty:
        raise DataError(f'"{sheet.name}" has a code and a revenue column but no row with a code and sales.')
    return CodeReport(fname, sheet.name, table, headers[code_j], headers[out_j],
                      headers[ord_j] if ord_j is not None else None,
                      headers[f["date"]] if "date" in f else None, log.issues(), skipped, fingerprint,
                      work.currency().code, headers[com_j] if com_j is not None else None)
