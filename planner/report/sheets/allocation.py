"""The workbook's Allocation sheet: one row per entity, with live formulas for the change, the ROAS and the totals.

An Excel Table with the columns of :data:`ALLOCATION_COLUMNS` (their letters are fixed:
the other sheets' formulas refer to them), the change (``=D-C``), the ROAS
(``=IF(D>0,F/D,"")``) and a totals row (``=SUM``); a column K of expected engagements
when the allocation has them (curve-table column ``engagement_per_dollar``).
Spends are written rounded to the cent, so :func:`planner.data.plans.read_plan` reads
the workbook back as the same plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.report.sheets.cells import (
    COUNT,
    MONEY,
    MONEY_SIGNED,
    RATIO,
    add_table,
    cell_number,
    cents,
    clean_text,
    column_or_default,
    fit_width,
    set_widths,
    style_total_row,
    write_header,
    write_text,
)

__all__ = ["ALLOCATION_SHEET", "ALLOCATION_TABLE", "ALLOCATION_COLUMNS", "ENGAGEMENT_COLUMN", "AllocationRows",
           "allocation_sheet"]

ALLOCATION_SHEET = "Allocation"
ALLOCATION_TABLE = "AllocationTable"

# Allocation sheet: header, column letter (fixed: the formulas of every sheet rely on it), help text.
ALLOCATION_COLUMNS = (
    ("Name", "A", "The network's paid media (e.g. Instagram) or one creator (Network/@handle)."),
    ("Network", "B", "The network the entity belongs to."),
    ("Current spend", "C", "Today's spend for one quarter, as given in the curve table (blank = not given)."),
    ("Optimal spend", "D", "The planner's spend for one quarter. Edit it to try another plan; "
     "Change, ROAS and the totals follow, expected revenue does not (run evaluate)."),
    ("Change", "E", "Optimal spend minus current spend (formula)."),
    ("Expected revenue", "F", "Revenue the response curve expects at the optimal spend, for one quarter."),
    ("ROAS", "G", "Expected revenue per dollar spent (formula: F / D)."),
    ("Marginal ROAS", "H", "Revenue expected from one more dollar at the optimal spend."),
    ("Binding", "I", "Whether a minimum or maximum spend bound holds this entity back."),
    ("Beyond observed spend", "J", "Yes when the optimal spend is above any spend seen in the data: "
     "the expected revenue there is an extrapolation."),
)
# Written after ALLOCATION_COLUMNS when the allocation table has an ``engagements`` column.
ENGAGEMENT_COLUMN = ("Expected engagements", "K", "Engagements (likes, comments, shares, saves) expected at the "
                     "optimal spend: the curve table's engagements per dollar times the spend.")

_BINDING_TEXT = {"min": "at minimum", "max": "at maximum", "locked": "fixed (min = max)", "zero": "not funded"}


@dataclass(frozen=True)
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
    """

    first: int
    last: int
    total: int
    networks: list[str]


def allocation_sheet(ws, table: pd.DataFrame) -> AllocationRows:
    """Write the Allocation sheet of ``table`` (an Allocation's ``table``) on ``ws``; return where its rows are.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet; changed in place.
    table : DataFrame
        The allocation table with a fresh ``RangeIndex``: ``name``, ``network`` and ``spend``; the other
        columns (``current_spend``, ``response``, ``marginal_return``, ``binding``, ``extrapolated``,
        ``engagements``) are written blank when absent. Amounts in dollars, spends rounded to cents.

    Returns
    -------
    AllocationRows
        The first, last and totals rows, and the networks as written.
    """
    columns = ALLOCATION_COLUMNS + ((ENGAGEMENT_COLUMN,) if "engagements" in table.columns else ())
    write_header(ws, 1, [c[0] for c in columns], [c[2] for c in columns])
    end = columns[-1][1]
    n = len(table)
    first, last = 2, n + 1
    names = [clean_text(v) for v in table["name"]]
    networks = [clean_text(v) for v in table["network"]]
    current = column_or_default(table, "current_spend", np.nan)
    response = column_or_default(table, "response", np.nan)
    marginal = column_or_default(table, "marginal_return", np.nan)
    binding = column_or_default(table, "binding", "")
    extrap = column_or_default(table, "extrapolated", False)
    for i in range(n):
        r = first + i
        write_text(ws.cell(r, 1), names[i])
        write_text(ws.cell(r, 2), networks[i])
        ws.cell(r, 3).value = cents(current.iloc[i])
        ws.cell(r, 4).value = cents(table["spend"].iloc[i])
        ws.cell(r, 5).value = f"=D{r}-C{r}"
        ws.cell(r, 6).value = cell_number(response.iloc[i])
        ws.cell(r, 7).value = f'=IF(D{r}>0,F{r}/D{r},"")'
        ws.cell(r, 8).value = cell_number(marginal.iloc[i])
        b = binding.iloc[i]
        b = "" if b is None or (isinstance(b, float) and not math.isfinite(b)) else str(b)
        write_text(ws.cell(r, 9), _BINDING_TEXT.get(b, b))
        x = extrap.iloc[i]
        write_text(ws.cell(r, 10), "Yes" if (x is True or x is np.True_ or (not pd.isna(x) and bool(x))) else "")
        for c, fmt in ((3, MONEY), (4, MONEY), (5, MONEY_SIGNED), (6, MONEY), (7, RATIO), (8, RATIO)):
            ws.cell(r, c).number_format = fmt
        if end == "K":
            ws.cell(r, 11).value = cell_number(table["engagements"].iloc[i])
            ws.cell(r, 11).number_format = COUNT
    total = last + 1
    write_text(ws.cell(total, 1), "Total")
    if end == "K":
        ws[f"K{total}"] = f"=SUM(K{first}:K{last})" if n else 0
        ws[f"K{total}"].number_format = COUNT
    if n:
        for c in "CDEF":
            ws[f"{c}{total}"] = f"=SUM({c}{first}:{c}{last})"
    else:
        for c in "CDEF":
            ws[f"{c}{total}"] = 0
    ws[f"G{total}"] = f'=IF(D{total}>0,F{total}/D{total},"")'
    for c, fmt in zip("CDEFG", (MONEY, MONEY, MONEY_SIGNED, MONEY, RATIO), strict=True):
        ws[f"{c}{total}"].number_format = fmt
    style_total_row(ws, total, len(columns))
    add_table(ws, ALLOCATION_TABLE, f"A1:{end}{max(last, 2)}")
    ws.freeze_panes = "B2"
    set_widths(ws, {
        "A": fit_width(names, "Name", 16, 48),
        "B": fit_width(networks, "Network", 12, 28),
        "C": 16, "D": 16, "E": 16, "F": 18, "G": 10, "H": 14, "I": 13, "J": 14, "K": 16,
    })
    ws.row_dimensions[1].height = 32
    return AllocationRows(first=first, last=last, total=total, networks=networks)
