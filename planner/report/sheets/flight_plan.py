"""A plan over time as files: the long CSV of ``optimize --horizon`` and finance's workbook.

:func:`flight_rows` is the plan as the command line's contract writes it (DESIGN.md, contract 2): one
row per curve-table row and period, ``name, network, period`` (the period's first day, ISO),
``spend`` (to the cent) and ``response``, then ``carried`` (of the response, what earlier spend
earns) and ``period_end`` (the period's last day, so a short last week reads back as it was planned).
:func:`flight_plan_csv` writes it as CSV; :func:`flight_workbook` as a workbook with three sheets:

- ``Plan``: that long table, its spends live references to the wide sheet (so an amount edited there
  is what the Plan sheet, and ``evaluate``, read); response and carried as the planner computed them.
- ``By month`` (or ``By week``): a row per network's paid media and per creator (Network, Name), a
  column per period headed by its first day as a date, a ``Total`` column (``=SUM`` of the row), a
  ``Total`` row (``=SUM`` of each column, and the grand total), then a section of totals by network
  (``SUMPRODUCT(EXACT(...))``: an exact match whatever the name holds) and a check that they add up.
- ``Summary``: the horizon, budget, spend (live), expected revenue, the even plan, the proven bound, and
  the plan's reading in sentences.
- ``Expected sales`` (where the data hold a weekly model): sales without paid media per period, what the
  plan's paid media adds, and their sum (formulas), with a Total row.

User text (names, networks) is written as text, never as a formula (:func:`~.cells.write_text`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.safe_text import to_csv_bytes
from planner.flighting import FlightPlan
from planner.report.flight_text import TOTAL, baseline_sentence, flight_summary, flight_table, model_note
from planner.report.sheets.book import Book, Sheet, letter
from planner.report.sheets.cells import (
    BOLD,
    MONEY,
    MONEY_SIGNED,
    PERCENT,
    TITLE,
    WRAP,
    fit_width,
    num,
    style_total_row,
    write_header,
    write_text,
)

__all__ = ["PLAN_SHEET", "SUMMARY_SHEET", "SALES_SHEET", "FLIGHT_COLUMNS", "wide_sheet_name", "flight_rows", "flight_plan_csv",
           "flight_workbook"]

PLAN_SHEET = "Plan"
SUMMARY_SHEET = "Summary"
SALES_SHEET = "Expected sales"
FLIGHT_COLUMNS = ("name", "network", "period", "spend", "response", "carried", "period_end")
HEADER_ROW = 4  # the wide sheet: title, note, a blank row, then the header
FIRST = HEADER_ROW + 1
NOTE = {"italic": True, "font_color": "#666666"}  # one line, running over the empty cells to its right
DATE_FORMATS = {"month": "mmm yyyy", "week": "yyyy-mm-dd"}


def wide_sheet_name(plan: FlightPlan) -> str:
    """Return the wide sheet's name: ``"By month"`` or ``"By week"``."""
    return f"By {plan.horizon.period}"


def flight_rows(plan: FlightPlan) -> pd.DataFrame:
    """Return the plan as the contract's long table, in the plan's order (rows of the curve table, then periods).

    Parameters
    ----------
    plan : FlightPlan

    Returns
    -------
    DataFrame
        :data:`FLIGHT_COLUMNS`: ``period`` and ``period_end`` as ISO text, ``spend`` to the cent.
    """
    t = plan.table
    per = plan.horizon.periods()
    last = dict(zip(per["period"], per["last"], strict=True))
    period = pd.to_datetime(t["period"])
    return pd.DataFrame({
        "name": t["name"].astype(str).to_numpy(), "network": t["network"].astype(str).to_numpy(),
        "period": period.dt.strftime("%Y-%m-%d").to_numpy(),
        "spend": t["spend"].to_numpy(dtype=float).round(2), "response": t["response"].to_numpy(dtype=float),
        "carried": t["carried"].to_numpy(dtype=float),
        "period_end": pd.to_datetime(period.map(last)).dt.strftime("%Y-%m-%d").to_numpy(),
    })


def flight_plan_csv(plan: FlightPlan) -> bytes:
    """Return :func:`flight_rows` as UTF-8 CSV bytes, text a spreadsheet would read as a formula kept as text."""
    return to_csv_bytes(flight_rows(plan))


def _ref(sheet: str, col: int, row: int) -> str:
    return f"'{sheet}'!${letter(col)}${row}"


def _wide_sheet(ws: Sheet, plan: FlightPlan) -> tuple[dict, dict]:
    """Write the wide sheet; return where each (name, period) spend is, and the cells of the totals."""
    h = plan.horizon
    per = h.periods()
    starts = list(pd.to_datetime(per["period"]))
    table = flight_table(plan)
    rows = table[table["Name"] != TOTAL].reset_index(drop=True)
    labels = list(per["label"])
    P, n = len(starts), len(rows)
    tot_col = 3 + P
    write_text(ws, "A1", f"Spend by {h.period}, {h.label()}", **TITLE)
    write_text(ws, "A2", "One row per network's paid media and per creator. Type new amounts in the period "
                         "columns: every total follows, and so does the Plan sheet. Expected revenue depends on "
                         "when money is spent (carry-over): value an edited plan with python -m planner evaluate "
                         "--curves CURVES --plan THIS_FILE.", **NOTE)
    write_header(ws, HEADER_ROW, ["Network", "Name"])
    for p, start in enumerate(starts):
        ws.datetime((HEADER_ROW, 3 + p), start.to_pydatetime(), bold=True, num_format=DATE_FORMATS[h.period])
    write_text(ws, (HEADER_ROW, tot_col), "Total", bold=True, text_wrap=True, valign="vcenter")
    spends = rows[labels].to_numpy(dtype=float).round(2) if n else np.zeros((0, P))
    where: dict[tuple[str, pd.Timestamp], tuple[int, int]] = {}
    for i, row in enumerate(rows.itertuples(index=False)):
        r = FIRST + i
        write_text(ws, (r, 1), row.Network)
        write_text(ws, (r, 2), row.Name)
        values = [float(v) for v in spends[i]]
        for p, v in enumerate(values):
            ws.number((r, 3 + p), v, **num(MONEY))
            where[(row.Name, starts[p])] = (r, 3 + p)
        ws.formula((r, tot_col), f"=SUM({letter(3)}{r}:{letter(2 + P)}{r})", round(sum(values), 2), **num(MONEY))
    last = FIRST + n - 1
    total = last + 1
    write_text(ws, (total, 1), TOTAL)
    col_sums = [round(float(spends[:, p].sum()), 2) for p in range(P)]
    grand = round(sum(col_sums), 2)
    for c in range(3, tot_col + 1):
        cached = col_sums[c - 3] if c < tot_col else grand
        if n:
            ws.formula((total, c), f"=SUM({letter(c)}{FIRST}:{letter(c)}{last})", cached, **num(MONEY))
        else:
            ws.number((total, c), 0.0, **num(MONEY))
    style_total_row(ws, total, tot_col)
    _network_section(ws, rows, labels, total, tot_col, n)
    ws.freeze(f"C{FIRST}")
    ws.width(1, fit_width(list(rows["Network"]) + ["Total by network"], "Network", 12, 32))
    ws.width(2, fit_width(rows["Name"], "Name", 14, 40))
    for c in range(3, tot_col + 1):
        ws.width(c, 14)
    return where, {"grand": (total, tot_col)}


def _network_section(ws: Sheet, rows: pd.DataFrame, labels: list[str], total: int, tot_col: int, n: int) -> None:
    """Below the totals row: the totals by network (exact matches) and a check that they add up to the total."""
    nets = list(dict.fromkeys(rows["Network"]))
    top = total + 2
    write_text(ws, (top, 1), "Total by network", **BOLD)
    last = FIRST + n - 1
    for i, net in enumerate(nets):
        r = top + 1 + i
        write_text(ws, (r, 1), net)
        mine = rows["Network"] == net
        for c in range(3, tot_col):
            col = letter(c)
            cached = round(float(rows.loc[mine, labels[c - 3]].round(2).sum()), 2)
            ws.formula((r, c), f"=SUMPRODUCT(EXACT($A${FIRST}:$A${last},$A{r})*{col}${FIRST}:{col}${last})",
                       cached, **num(MONEY))
        row_sum = round(float(rows.loc[mine, labels].round(2).to_numpy().sum()), 2)
        ws.formula((r, tot_col), f"=SUM({letter(3)}{r}:{letter(tot_col - 1)}{r})", row_sum, **num(MONEY))
    if nets:
        check = top + len(nets) + 1
        write_text(ws, (check, 1), "Check: the networks add up to the total")
        ws.formula((check, tot_col),
                   f'=IF(ABS(SUM({letter(tot_col)}{top + 1}:{letter(tot_col)}{check - 1})'
                   f'-{letter(tot_col)}{total})<0.005,"OK","DIFFERENT")', "OK")


def _plan_sheet(ws: Sheet, plan: FlightPlan, long: pd.DataFrame, wide: str, where: dict) -> None:
    """Write the long table; each spend a live reference to its cell on the wide sheet."""
    notes = ["The curve table's name: a network's paid media, or Network/@creator.", None,
             "The period's first day.", "Linked to the sheet " + wide + ": edit the amounts there.",
             "Expected revenue in the period as the planner computed it for the spends it wrote (carry-over "
             "included); after editing spends, value the plan with python -m planner evaluate.",
             "Of the expected revenue, what spend of earlier periods (or before the horizon) earns.",
             "The period's last day."]
    write_header(ws, 1, list(FLIGHT_COLUMNS), notes)
    for i, row in enumerate(long.itertuples(index=False)):
        r = 2 + i
        write_text(ws, (r, 1), row.name)
        write_text(ws, (r, 2), row.network)
        write_text(ws, (r, 3), row.period)
        at = where.get((row.name, pd.Timestamp(row.period)))
        if at is None:
            ws.number((r, 4), float(row.spend), **num(MONEY))
        else:
            ws.formula((r, 4), f"={_ref(wide, at[1], at[0])}", float(row.spend), **num(MONEY))
        ws.number((r, 5), float(row.response), **num(MONEY))
        ws.number((r, 6), float(row.carried), **num(MONEY))
        write_text(ws, (r, 7), row.period_end)
    ws.freeze("A2")
    ws.width(1, fit_width(long["name"], "name", 14, 40))
    ws.width(2, fit_width(long["network"], "network", 12, 30))
    for c, w in zip(range(3, 8), (12, 14, 16, 14, 12), strict=True):
        ws.width(c, w)


def _summary_sheet(ws: Sheet, plan: FlightPlan, wide: str, grand: tuple[int, int]) -> None:
    write_text(ws, "A1", "Plan over time", **TITLE)
    lines: list[tuple[str, object, str | None]] = [
        ("Horizon", plan.horizon.label(), None),
        ("Budget (total over the horizon)", plan.budget, MONEY),
        ("Total spend", None, MONEY),
        ("Expected revenue in the horizon", plan.total_response, MONEY),
        ("Of which carried over from earlier spend", float(plan.table["carried"].sum()), MONEY),
    ]
    if plan.after:
        lines.append(("Expected revenue after the horizon (carry-over)", plan.after_response, MONEY))
    lines += [
        ("An even plan of the same budget earns", plan.even_response, MONEY),
        ("This plan over the even plan", plan.over_even, MONEY_SIGNED),
        ("No plan of this budget earns more than", plan.bound, MONEY),
        ("This plan is within this of the best plan, at most", max(float(plan.gap), 0.0), PERCENT),
    ]
    for i, (label, value, fmt) in enumerate(lines):
        r = 3 + i
        write_text(ws, (r, 1), label, **BOLD)
        if label == "Total spend":
            ws.formula((r, 2), f"={_ref(wide, grand[1], grand[0])}", round(plan.total_spend, 2), **num(MONEY))
        elif isinstance(value, str):
            write_text(ws, (r, 2), value)
        else:
            ws.number((r, 2), float(value) if np.isfinite(value) else None, **num(fmt))
    r = 3 + len(lines) + 1
    for sentence in [*flight_summary(plan), model_note(plan),
                     "Revenue figures are the planner's for the spends it wrote; the Total spend follows edits."]:
        write_text(ws, (r, 1), sentence, **WRAP)
        ws.height(r, 48)
        r += 1
    ws.width(1, 52)
    ws.width(2, 22)


def _sales_sheet(ws: Sheet, sales: pd.DataFrame) -> None:
    """Write expected sales per period: sales without paid media, what the plan's paid media adds, their sum.

    The sum and the Total row are formulas.
    """
    write_text(ws, "A1", "Expected sales", **TITLE)
    write_text(ws, "A2", baseline_sentence(sales), **NOTE)
    body = sales[sales["Period"] != TOTAL].reset_index(drop=True)
    top = HEADER_ROW
    write_header(ws, top, list(body.columns))
    for i, r in enumerate(body.itertuples(index=False)):
        row = top + 1 + i
        write_text(ws, (row, 1), str(r[0]))
        ws.number((row, 2), round(float(r[1]), 2), **num(MONEY))
        ws.number((row, 3), round(float(r[2]), 2), **num(MONEY))
        ws.formula((row, 4), f"=B{row}+C{row}", round(float(r[1]) + float(r[2]), 2), **num(MONEY))
    last, total = top + len(body), top + len(body) + 1
    write_text(ws, (total, 1), TOTAL)
    for c in (2, 3, 4):
        col = letter(c)
        ws.formula((total, c), f"=SUM({col}{top + 1}:{col}{last})", round(float(body.iloc[:, c - 1].sum()), 2),
                   **num(MONEY))
    style_total_row(ws, total, 4)
    ws.width(1, 14)
    for c in (2, 3, 4):
        ws.width(c, 26)


def flight_workbook(plan: FlightPlan, sales: pd.DataFrame | None = None) -> bytes:
    """Write the plan over time as an Excel workbook for finance (module docstring).

    Parameters
    ----------
    plan : FlightPlan
        From :func:`planner.flighting.plan_flighting`.
    sales : DataFrame, optional
        :func:`planner.report.flight_text.baseline_frame` of the plan: adds an ``Expected sales`` sheet (the
        weekly model's sales without paid media per period, the plan's paid media, their sum as formulas).

    Returns
    -------
    bytes
        The ``.xlsx`` file: sheets ``Plan`` (the contract's long table), ``By month`` or ``By week`` (names
        in rows, periods across, live totals), ``Summary`` and, with ``sales``, ``Expected sales``.
    """
    long = flight_rows(plan)
    wide = wide_sheet_name(plan)
    book = Book()
    plan_ws = book.sheet(PLAN_SHEET)
    wide_ws = book.sheet(wide)
    where, cells = _wide_sheet(wide_ws, plan)
    _plan_sheet(plan_ws, plan, long, wide, where)
    _summary_sheet(book.sheet(SUMMARY_SHEET), plan, wide, cells["grand"])
    if sales is not None and len(sales):
        _sales_sheet(book.sheet(SALES_SHEET), sales)
    return book.close(f"Plan over time, {plan.horizon.label()}", "planner")

