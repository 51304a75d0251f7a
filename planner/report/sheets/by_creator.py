"""The workbook's By creator sheet: the creators only, largest optimal spend first.

Written when the plan has creators (names ``Network/@handle``); every cell is a live
reference to the creator's row on the Allocation sheet, so the sheet follows the
analyst's edits there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.names import is_creator
from planner.report.sheets.allocation import ALLOCATION_SHEET, AllocationRows
from planner.report.sheets.cells import (
    MONEY,
    MONEY_SIGNED,
    RATIO,
    add_table,
    clean_text,
    fit_width,
    set_widths,
    style_total_row,
    write_header,
    write_text,
)

__all__ = ["CREATOR_SHEET", "CREATOR_TABLE", "creator_sheet"]

CREATOR_SHEET = "By creator"
CREATOR_TABLE = "CreatorTable"


def creator_sheet(ws, alloc: AllocationRows, table: pd.DataFrame) -> None:
    """Write the By creator sheet on ``ws``: creators only, largest optimal spend first.

    Every number refers to the creator's row on the Allocation sheet (``alloc``).

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet; changed in place.
    alloc : AllocationRows
        Where the Allocation sheet put each row of ``table``.
    table : DataFrame
        The allocation table written on the Allocation sheet (same order); creators are its rows named
        ``Network/@handle``, ties in spend by name.
    """
    headers = ["Creator", "Network", "Current spend", "Optimal spend", "Change", "Expected revenue", "ROAS",
               "Marginal ROAS", "Beyond observed spend"]
    notes = [None, None, "From the Allocation sheet.", "From the Allocation sheet: edit the spend there.",
             "Optimal minus current spend.", "From the Allocation sheet.", "Expected revenue per dollar.",
             "Revenue expected from one more dollar at the optimal spend.",
             "Yes when the optimal spend is above any spend seen in the data."]
    write_header(ws, 1, headers, notes)
    names = [clean_text(v) for v in table["name"]]
    spend = pd.to_numeric(table["spend"], errors="coerce").fillna(0.0).to_numpy()
    rows = list(np.flatnonzero(is_creator(names)))
    rows.sort(key=lambda i: (-spend[i], names[i]))
    A = ALLOCATION_SHEET
    for k, i in enumerate(rows):
        r, src = 2 + k, alloc.first + i
        write_text(ws.cell(r, 1), names[i])
        write_text(ws.cell(r, 2), alloc.networks[i])
        ws.cell(r, 3).value = f'=IF(ISNUMBER({A}!C{src}),{A}!C{src},"")'
        ws.cell(r, 4).value = f"={A}!D{src}"
        ws.cell(r, 5).value = f'=IF(ISNUMBER(C{r}),D{r}-C{r},D{r})'
        ws.cell(r, 6).value = f"={A}!F{src}"
        ws.cell(r, 7).value = f'=IF(D{r}>0,F{r}/D{r},"")'
        ws.cell(r, 8).value = f'=IF(ISNUMBER({A}!H{src}),{A}!H{src},"")'
        ws.cell(r, 9).value = f'=IF({A}!J{src}="Yes","Yes","")'
        for c, fmt in ((3, MONEY), (4, MONEY), (5, MONEY_SIGNED), (6, MONEY), (7, RATIO), (8, RATIO)):
            ws.cell(r, c).number_format = fmt
    last = 1 + len(rows)
    total = last + 1
    write_text(ws.cell(total, 1), "Total (creators)")
    for c in "CDEF":
        ws[f"{c}{total}"] = f"=SUM({c}2:{c}{last})"
    ws[f"G{total}"] = f'=IF(D{total}>0,F{total}/D{total},"")'
    for c, fmt in zip("CDEFG", (MONEY, MONEY, MONEY_SIGNED, MONEY, RATIO), strict=True):
        ws[f"{c}{total}"].number_format = fmt
    style_total_row(ws, total, 9)
    add_table(ws, CREATOR_TABLE, f"A1:I{max(last, 2)}")
    ws.freeze_panes = "B2"
    set_widths(ws, {"A": fit_width([names[i] for i in rows], "Creator", 18, 48),
                    "B": fit_width([alloc.networks[i] for i in rows], "Network", 12, 28),
                    "C": 16, "D": 16, "E": 16, "F": 18, "G": 10, "H": 14, "I": 14})
    ws.row_dimensions[1].height = 32
