"""The workbook's Allocation sheet: one row per entity, every figure a live formula with its value saved.

An Excel Table with the columns of :data:`ALLOCATION_COLUMNS` (their letters are fixed:
the other sheets' formulas refer to them): the change (``=D-C``), the expected revenue and
the marginal ROAS (the return of the next dollar) as formulas of the row's Optimal spend and
its curve's cells on the Curves sheet (:mod:`planner.report.sheets.curve_formulas`), the
ROAS (``=IF(D>0,F/D,"")``), whether the spend is beyond the data (a formula of the spend and
the curve's ``observed_max`` on the Curves sheet, when the sheet has one) and a totals row
(``=SUM``); a column K of expected engagements when the allocation has them (``=D *`` the
curve's ``engagement_per_dollar`` on the Curves sheet).  Beside the table, after a blank
column, the revenue each row's curve expects at current spend (a formula of column C).
Every formula is saved with the value the planner computes, so readers that do not
recalculate see numbers.  A row whose revenue cannot be a formula (its curve is not on the
Curves sheet, or the plan was made on other curves) holds the planner's numbers for its
revenue, marginal ROAS and flag, and its revenue cell's comment says why.  Binding is the
planner's at its spends.  Spends are written rounded to the cent, so
:func:`planner.data.plans.read_plan` reads the workbook back as the same plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.format import INFINITY
from planner.report.sheets.book import Sheet, letter
from planner.report.sheets.cells import (
    COUNT,
    ITALIC_NOTE,
    MONEY,
    MONEY_SIGNED,
    RATIO,
    add_table,
    cell_number,
    cents,
    clean_text,
    column_or_default,
    fit_width,
    num,
    set_widths,
    style_total_row,
    write_header,
    write_text,
)
from planner.report.sheets.curve_formulas import CurveCells, RowCurve, row_curves

__all__ = ["ALLOCATION_SHEET", "ALLOCATION_TABLE", "ALLOCATION_COLUMNS", "ENGAGEMENT_COLUMN", "CURRENT_REVENUE",
           "HELPER_START", "HELD_BACK", "AllocationRows", "allocation_sheet", "ratio"]

ALLOCATION_SHEET = "Allocation"
ALLOCATION_TABLE = "AllocationTable"

# Allocation sheet: header, column letter (fixed: the formulas of every sheet rely on it), help text.
ALLOCATION_COLUMNS = (
    ("Name", "A", "The network's paid media (e.g. Instagram) or one creator (Network/@handle)."),
    ("Network", "B", "The network the entity belongs to."),
    ("Current spend", "C", "Today's spend for one quarter, as given in the curve table (blank = not given)."),
    ("Optimal spend", "D", "The planner's spend for one quarter. Edit it to try another plan; "
     "Change, Expected revenue, ROAS, the totals and every other sheet follow."),
    ("Change", "E", "Optimal spend minus current spend (formula)."),
    ("Expected revenue", "F", "Revenue the response curve expects at the Optimal spend, for one quarter: a formula "
     "of the spend and the curve's parameters on the Curves sheet (edit either and it follows)."),
    ("ROAS", "G", "Expected revenue per dollar spent (formula: F / D)."),
    ("Marginal ROAS", "H", "Revenue expected from one more dollar at the Optimal spend: a formula of the spend "
     "and the curve's parameters on the Curves sheet (the slope of Expected revenue), so it follows edits of "
     f"either. {INFINITY} where a hill curve with s < 1 starts vertically at zero spend."),
    ("Binding", "I", "Whether a minimum or maximum spend bound holds this entity back, at the planner's spend "
     "(text: it does not follow edits)."),
    ("Beyond observed spend", "J", "Yes when the Optimal spend is above any spend seen in the data (observed_max on "
     "the Curves sheet, by more than 0.01 %): the expected revenue there is an extrapolation. A formula of both: "
     "it follows edits."),
)
# the note of column J when the Curves sheet has no observed_max
_BEYOND_FIXED = ("Yes when the optimal spend is above any spend seen in the data: the expected revenue there is an "
                 "extrapolation. The Curves sheet has no observed_max, so this is the planner's flag at its spend: "
                 "it does not follow edits.")
# Written after ALLOCATION_COLUMNS when the allocation table has an ``engagements`` column.
ENGAGEMENT_COLUMN = ("Expected engagements", "K", "Engagements (likes, comments, shares, saves) expected at the "
                     "optimal spend: the curve table's engagements per dollar times the spend (formula).")
# Beside the table, after a blank column: helper columns (M, then the revenue range's, see sheets.band).
HELPER_START = 13
CURRENT_REVENUE = ("Revenue at current spend", "Revenue the response curve expects at Current spend (formula of "
                   "column C and the curve on the Curves sheet); the Summary compares the plan with it.")

_BINDING_TEXT = {"min": "at minimum", "max": "at maximum", "locked": "fixed (min = max)", "zero": "not funded"}
# column I's texts of the rows that cannot take another dollar
HELD_BACK = (_BINDING_TEXT["max"], _BINDING_TEXT["locked"])


def _shown(x):
    """Return a return per dollar as a cell shows it: the number, the text ``∞`` when infinite, None when missing."""
    if isinstance(x, (int, float, np.floating)) and math.isinf(x) and x > 0:
        return INFINITY
    return cell_number(x)


def ratio(a, b):
    """Return ``a / b`` as ``IF(b>0, a/b, "")`` computes it: ``""`` unless ``b`` is a positive number.

    Parameters
    ----------
    a, b : float or None
        The numerator and denominator (None counts as 0).

    Returns
    -------
    float or str
    """
    a, b = a or 0.0, b or 0.0
    return a / b if isinstance(b, (int, float)) and b > 0 else ""


@dataclass(frozen=True, eq=False)
class AllocationRows:
    """Where the Allocation sheet put the plan: the rows the other sheets' formulas refer to.

    Attributes
    ----------
    first, last : int
        The sheet rows of the first and the last entity (``last = first - 1`` without any).
    total : int
        The row of the totals.
    networks : list of str
        Each entity's network as written (characters XML cannot hold dropped), in table order.
    sheet : Sheet
        The Allocation sheet, for the values its formulas compute (:meth:`value`).
    fixed : tuple of str
        Names of the rows whose expected revenue is a number, not a formula.
    current_revenue : str or None
        The column of the revenue at current spend (None when no current spend is given).
    live_beyond : bool
        Whether Beyond observed spend is a formula (the Curves sheet has ``observed_max``).
    """

    first: int
    last: int
    total: int
    networks: list[str]
    sheet: Sheet
    fixed: tuple[str, ...] = ()
    current_revenue: str | None = None
    live_beyond: bool = False

    def value(self, col: str, row: int):
        """Return what cell ``col`` + ``row`` of the Allocation sheet shows (its formula's value), or None."""
        return self.sheet.value(f"{col}{row}")

    def values(self, col: str) -> list:
        """Return what column ``col`` shows on each entity row, in order."""
        return [self.value(col, r) for r in range(self.first, self.last + 1)]


def _total(values) -> float:
    return float(sum(v for v in values if isinstance(v, (int, float))))


def _flag(x) -> bool:
    """Return the allocation table's ``extrapolated`` value as a bool (NaN and None are False)."""
    return x is True or x is np.True_ or (not pd.isna(x) and bool(x))


def _curve_columns(ws: Sheet, table: pd.DataFrame, cells: CurveCells | None, names: list[str], first: int,
                   spends: list) -> list[str]:
    """Write the columns that follow the curve: F, H, J (and the engagements' K).

    Returns the names of the rows whose revenue is a number.
    """
    response = column_or_default(table, "response", np.nan)
    marginal = column_or_default(table, "marginal_return", np.nan)
    extrap = column_or_default(table, "extrapolated", False)
    raw = [str(v) for v in table["name"]]
    n = len(table)
    curves: list[RowCurve | None] = (
        row_curves(cells, raw, [f"D{first + i}" for i in range(n)], spends,
                   pd.to_numeric(response, errors="coerce").to_numpy(dtype=float))
        if cells is not None else [None] * n)
    fixed = []
    for i, rc in enumerate(curves):
        r = first + i
        if rc is not None and rc.formula is not None:
            ws.formula(f"F{r}", "=" + rc.formula, rc.value, **num(MONEY))
        else:
            ws.number(f"F{r}", cell_number(response.iloc[i]), **num(MONEY))
            why = rc.reason if rc is not None else "the workbook was written without its curve table"
            ws.comment(f"F{r}", f"A number, not a formula: {why}. Fixed at the planner's spend, as are this row's "
                                 "Marginal ROAS and Beyond observed spend; after editing the spend, run "
                                 "'python -m planner evaluate'.")
            fixed.append(names[i])
        if rc is not None and rc.marginal_formula is not None:
            ws.formula(f"H{r}", "=" + rc.marginal_formula, _shown(rc.marginal), **num(RATIO))
        else:
            planned = _shown(pd.to_numeric(marginal.iloc[i], errors="coerce"))
            if isinstance(planned, str):
                write_text(ws, f"H{r}", planned, **num(RATIO))
            else:
                ws.number(f"H{r}", planned, **num(RATIO))
        if rc is not None and rc.beyond_formula is not None:
            ws.formula(f"J{r}", "=" + rc.beyond_formula, "Yes" if rc.beyond else "")
        else:
            write_text(ws, f"J{r}", "Yes" if _flag(extrap.iloc[i]) else "")
    if "engagements" in table.columns:
        for i in range(n):
            r, e = first + i, cell_number(table["engagements"].iloc[i])
            per = cells.number(raw[i], "engagement_per_dollar") if cells is not None else float("nan")
            ref = cells.ref(raw[i], "engagement_per_dollar") if cells is not None else None
            if e is not None and ref and math.isfinite(per) and abs((spends[i] or 0.0) * per - e) <= 0.5:
                ws.formula(f"K{r}", f"=D{r}*{ref}", (spends[i] or 0.0) * per, **num(COUNT))
            else:
                ws.number(f"K{r}", e, **num(COUNT))
    return fixed


def _current_revenue(ws: Sheet, table: pd.DataFrame, cells: CurveCells, first: int, total: int,
                     current: list) -> str | None:
    """Write the revenue at current spend beside the table; return its column (None when it cannot be)."""
    if not any(c is not None for c in current):
        return None
    col = letter(HELPER_START)
    raw = [str(v) for v in table["name"]]
    curves = row_curves(cells, raw, [f"C{first + i}" for i in range(len(raw))], current)
    if any(rc.formula is None for rc in curves):
        return None
    write_text(ws, (1, HELPER_START), CURRENT_REVENUE[0], bold=True, text_wrap=True, valign="vcenter")
    ws.comment((1, HELPER_START), CURRENT_REVENUE[1])
    vals = []
    for i, rc in enumerate(curves):
        r = first + i
        v = rc.value if current[i] is not None else ""
        vals.append(v)
        ws.formula(f"{col}{r}", f'=IF(ISNUMBER(C{r}),{rc.formula},"")', v, **num(MONEY), **ITALIC_NOTE)
    ws.formula(f"{col}{total}", f"=SUM({col}{first}:{col}{total - 1})", _total(vals), **num(MONEY), bold=True)
    ws.width(col, 16)
    return col


def allocation_sheet(ws: Sheet, table: pd.DataFrame, cells: CurveCells | None = None) -> AllocationRows:
    """Write the Allocation sheet of ``table`` (an Allocation's ``table``) on ``ws``; return where its rows are.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    table : DataFrame
        The allocation table with a fresh ``RangeIndex``: ``name``, ``network`` and ``spend``; the other
        columns (``current_spend``, ``response``, ``marginal_return``, ``binding``, ``extrapolated``,
        ``engagements``) are written blank when absent. Amounts in dollars, spends rounded to cents.
    cells : CurveCells, optional
        Where the Curves sheet put the curve table; without it every expected revenue is a number.

    Returns
    -------
    AllocationRows
        The first, last and totals rows, the networks as written, the sheet (for the formulas' values)
        and the rows whose revenue is a number.
    """
    columns = ALLOCATION_COLUMNS + ((ENGAGEMENT_COLUMN,) if "engagements" in table.columns else ())
    live_beyond = cells is not None and cells.column("observed_max") is not None
    notes = [_BEYOND_FIXED if c[1] == "J" and not live_beyond else c[2] for c in columns]
    write_header(ws, 1, [c[0] for c in columns], notes)
    end = columns[-1][1]
    n = len(table)
    first, last = 2, n + 1
    total = last + 1
    names = [clean_text(v) for v in table["name"]]
    networks = [clean_text(v) for v in table["network"]]
    current = [cents(v) for v in column_or_default(table, "current_spend", np.nan)]
    spends = [cents(v) for v in table["spend"]]
    binding = column_or_default(table, "binding", "")
    fixed = _curve_columns(ws, table, cells, names, first, spends)
    for i in range(n):
        r = first + i
        write_text(ws, f"A{r}", names[i])
        write_text(ws, f"B{r}", networks[i])
        ws.number(f"C{r}", current[i], **num(MONEY))
        ws.number(f"D{r}", spends[i], **num(MONEY))
        ws.formula(f"E{r}", f"=D{r}-C{r}", (spends[i] or 0.0) - (current[i] or 0.0), **num(MONEY_SIGNED))
        ws.formula(f"G{r}", f'=IF(D{r}>0,F{r}/D{r},"")', ratio(ws.value(f"F{r}"), spends[i]), **num(RATIO))
        b = binding.iloc[i]
        b = "" if b is None or (isinstance(b, float) and not math.isfinite(b)) else str(b)
        write_text(ws, f"I{r}", _BINDING_TEXT.get(b, b))
    write_text(ws, f"A{total}", "Total")
    sums = {}
    for c, fmt in zip("CDEFK" if end == "K" else "CDEF", (MONEY, MONEY, MONEY_SIGNED, MONEY, COUNT), strict=False):
        sums[c] = _total(ws.value(f"{c}{r}") for r in range(first, last + 1))
        if n:
            ws.formula(f"{c}{total}", f"=SUM({c}{first}:{c}{last})", sums[c], **num(fmt))
        else:
            ws.number(f"{c}{total}", 0, **num(fmt))
    ws.formula(f"G{total}", f'=IF(D{total}>0,F{total}/D{total},"")', ratio(sums["F"], sums["D"]), **num(RATIO))
    style_total_row(ws, total, len(columns))
    add_table(ws, ALLOCATION_TABLE, f"A1:{end}{max(last, 2)}")
    cur_col = _current_revenue(ws, table, cells, first, total, current) if cells is not None and n else None
    ws.freeze("B2")
    set_widths(ws, {
        "A": fit_width(names, "Name", 16, 48),
        "B": fit_width(networks, "Network", 12, 28),
        "C": 16, "D": 16, "E": 16, "F": 18, "G": 10, "H": 14, "I": 13, "J": 14, "K": 16,
    })
    ws.height(1, 32)
    return AllocationRows(first=first, last=last, total=total, networks=networks, sheet=ws, fixed=tuple(fixed),
                          current_revenue=cur_col, live_beyond=live_beyond)
