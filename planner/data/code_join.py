"""A creators' tracker without revenue, given its campaigns' sales from a promo-code report before it is read.

planner.data.ingest hands a tracker whose table has a promo-code column and no revenue column to
:func:`join_code_sales` with the reports loaded beside it: the sales of each campaign's code
(planner.data.code_sales) become a revenue column of the table (and orders and commission columns where the
report has them and the tracker has not), named for the report, so the tracker is then read as one that wrote its revenue itself; the campaigns the
report cannot give sales to are left out with their reasons, and what was decided is said on that column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from planner.base.format import money
from planner.data.code_report import CodeReport, code_key, combine_reports
from planner.data.code_sales import attribute
from planner.data.columns import read_dates, read_numbers, table_decimal
from planner.data.dataset import DataError, Dataset
from planner.data.issues import IssueLog
from planner.data.table_finder import TableChoice
from planner.data.work import TableWork

__all__ = ["JoinedSales", "needs_code_sales", "join_code_sales"]


@dataclass(frozen=True)
class JoinedSales:
    """A tracker's table with a promo-code report's sales as its revenue (:func:`join_code_sales`).

    Attributes
    ----------
    choice : TableChoice
        The table with a revenue column (and orders and commission columns, where the tracker has none and the
        report has them) added at its right.
    drop : dict of int to str
        The rows to leave out (by position in the sheet) and why.
    notes : list of (int, str, str)
        What was decided, as ``(row, column, sentence)`` warnings.
    groups : dict of int to str
        ``{spreadsheet row: code}`` of the rows whose sales the report gives only in total with other campaigns of
        their code (``Dataset.rows["sales_group"]``).
    reports : tuple of CodeReport
        The reports whose sales these are.
    """

    choice: TableChoice
    drop: dict[int, str]
    notes: list[tuple[int, str, str]]
    groups: dict[int, str]
    reports: tuple[CodeReport, ...]

    def finish(self, ds: Dataset) -> Dataset:
        """Return the tracker's Dataset as read from :attr:`choice`, with what the join adds to it.

        Its rows' ``sales_group``; its currency, where the fees do not say one and a report does; and
        ``code_reports``, the reports' names.
        """
        if self.groups and not ds.rows.empty:  # sales known only in total over a code's campaigns (the fit allows)
            ds = replace(ds, rows=ds.rows.assign(
                sales_group=ds.rows["row"].map(self.groups).fillna("").astype(object)))
        said = next((r for r in self.reports if r.currency), None)  # fees that do not say it: the sales' currency
        if ds.currency is None and said is not None:
            ds = replace(ds, currency=said.currency, currency_from=f"the promo-code report {said.source}")
        return replace(ds, code_reports=tuple(r.source for r in self.reports))


def needs_code_sales(choice: TableChoice) -> bool:
    """Whether a table is a tracker waiting for a report's sales: spend, a promo code, and no revenue of its own."""
    f = choice.plan.fields
    return choice.plan.layout == "long" and "code" in f and "outcome" not in f and "outcome_per_order" not in f


def join_code_sales(choice: TableChoice, reports: Sequence[CodeReport], decimal: str | None,
                    own: bool = False) -> JoinedSales:
    """Return the table with the reports' sales as its revenue, the rows to leave out and what to say.

    Parameters
    ----------
    choice : TableChoice
        The tracker's table (:func:`needs_code_sales`).
    reports : sequence of CodeReport
        The promo-code reports loaded with it (at least one).
    decimal : str or None
        The user's decimal mark.
    own : bool, default False
        The reports are sheets of the tracker's own workbook: their problems are said with the tracker's (a
        report of its own file is listed on its own).

    Returns
    -------
    JoinedSales

    Raises
    ------
    DataError
        When the report's sales and the tracker's fees say two currencies, or none of the tracker's codes is in
        the report.
    """
    report = combine_reports(reports)
    sheet, plan, headers = choice.sheet, choice.plan, list(choice.headers)
    f = plan.fields
    work = TableWork(choice, IssueLog(sheet.name), np.arange(choice.pos + 1, len(sheet), dtype=np.int64))
    fees_in = work.currency().code
    if fees_in and report.currency and fees_in != report.currency:
        raise DataError(f"The promo-code report {report.source} gives its sales in {report.currency} and the "
                        f"tracker's fees are in {fees_in}: give both in one currency (the planner converts nothing).")
    hint = decimal or table_decimal(work, [f["spend"]])
    dates = read_dates(work, hint).values if "date" in f else np.full(work.n, np.datetime64("NaT"), "M8[ns]")
    keys = work.per_value(f["code"], code_key, "")
    fees = read_numbers(work, f["spend"], hint, decimal).values
    sales = attribute(keys, dates, fees, report)

    def column(values: np.ndarray) -> np.ndarray:
        col = np.full(len(sheet), None, dtype=object)
        col[work.idx] = [None if not np.isfinite(v) else float(v) for v in values]
        return col

    rev_header = f"{report.outcome_header} ({report.source})"
    cols, fields = [*sheet.cols, column(sales.outcome)], {**f, "outcome": len(headers)}
    headers.append(rev_header)
    for field, header, values in (("orders", report.orders_header, sales.orders),
                                  ("commission", report.commission_header, sales.commission)):
        if field not in f and header is not None:  # the tracker's own column, where it has one, stands
            cols.append(column(values))
            fields[field] = len(headers)
            headers.append(f"{header} ({report.source})")
    for j in range(len(choice.headers), len(headers)):  # the header cells of the new columns, for readers of the row
        cols[j][choice.pos] = headers[j]
    joined = replace(choice, sheet=replace(sheet, cols=cols, factors={}), headers=headers,
                     plan=replace(plan, fields=fields))
    drop = {int(work.idx[q]): str(sales.reasons[q]) for q in np.flatnonzero(sales.reasons != None)}  # noqa: E711
    row = int(sheet.rownums[choice.pos])
    total = float(report.table["outcome"].sum())
    notes = [(row, rev_header,
              f'Revenue is each campaign\'s sales of its code ("{headers[f["code"]]}") in {report.source}: '
              f"{money(sales.given)} of its {money(total)} went to the campaigns read.")]
    notes += [(row, rev_header, text) for text in sales.notes]
    if own:
        notes += [(row, rev_header, f"{report.source}, row {i.row}: {i.message}") for i in report.issues]
    groups = {int(r): str(g) for r, g in zip(work.rownums, sales.groups, strict=True) if g}
    return JoinedSales(joined, drop, notes, groups, tuple(reports))
