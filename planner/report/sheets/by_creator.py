"""The workbook's By creator sheet: the creators only, largest optimal spend first.

Written when the plan has creators (names ``Network/@handle``); every cell is a live
reference to the creator's row on the Allocation sheet, so the sheet follows the
analyst's edits there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.names import is_creator
from planner.report.sheets.allocation import ALLOCATION_SHEET, AllocationRows, ratio
from planner.report.sheets.book import Sheet
from planner.report.sheets.cells import (
    MONEY,
    MONEY_SIGNED,
    RATIO,
    add_table,
    clean_text,
    fit_width,
    num,
    set_widths,
    style_total_row,
    write_header,
    write_text,
)

__all__ = ["CREATOR_SHEET", "CREATOR_TABLE", "creator_sheet"]

CREATOR_SHEET = "By creator"
CREATOR_TABLE = "CreatorTable"


def creator_sheet(ws: Sheet, alloc: AllocationRows, table: pd.DataFrame) -> None:
    """Write the By creator sheet on ``ws``: creators only, largest optimal spend first.

    Every number refers to the creator's row on the Allocation sheet (``alloc``).

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    alloc : AllocationRows
        Where the Allocation sheet put each row of ``table``, and the values its formulas compute.
    table : DataFrame
        The allocation table written on the Allocation sheet (same order); creators are its rows named
        ``Network/@handle``, ties in spend by name.
    """
    headers = ["Creator", "Network", "Current spend", "Optimal spend", "Change", "Expected revenue", "ROAS",
               "Marginal ROAS", "Beyond observed spend"]
    notes = [None, None, "From the Allocation sheet.", "From the Allocation sheet: edit the spend there.",
             "Optimal minus current spend.", "From the Allocation sheet.", "Expected revenue per dollar.",
             "Revenue expected from one more dollar at the Optimal spend (from the Allocation sheet, where it "
             "follows the spend).",
             "Yes when the optimal spend is above any spend seen in the data (from the Allocation sheet)."]
    write_header(ws, 1, headers, notes)
    names = [clean_text(v) for v in table["name"]]
    spend = pd.to_numeric(table["spend"], errors="coerce").fillna(0.0).to_numpy()
    rows = list(np.flatnonzero(is_creator(names)))
    rows.sort(key=lambda i: (-spend[i], names[i]))
    A = ALLOCATION_SHEET
    sums = {"C": 0.0, "D": 0.0, "E": 0.0, "F": 0.0}
    for k, i in enumerate(rows):
        r, src = 2 + k, alloc.first + i
        cur, spend, rev = (alloc.value(c, src) for c in "CDF")
        cur_shown = cur if isinstance(cur, (int, float)) else ""
        change = (spend or 0.0) - (cur or 0.0)
        write_text(ws, (r, 1), names[i])
        write_text(ws, (r, 2), alloc.networks[i])
        ws.formula((r, 3), f'=IF(ISNUMBER({A}!C{src}),{A}!C{src},"")', cur_shown, **num(MONEY))
        ws.formula((r, 4), f"={A}!D{src}", spend or 0.0, **num(MONEY))
        ws.formula((r, 5), f'=IF(ISNUMBER(C{r}),D{r}-C{r},D{r})', change, **num(MONEY_SIGNED))
        ws.formula((r, 6), f"={A}!F{src}", rev or 0.0, **num(MONEY))
        ws.formula((r, 7), f'=IF(D{r}>0,F{r}/D{r},"")', ratio(rev, spend), **num(RATIO))
        marginal = alloc.value("H", src)  # a number, the text ∞, or nothing
        ws.formula((r, 8), f'=IF(ISBLANK({A}!H{src}),"",{A}!H{src})', "" if marginal is None else marginal,
                   **num(RATIO))
        ws.formula((r, 9), f'=IF({A}!J{src}="Yes","Yes","")', "Yes" if alloc.value("J", src) == "Yes" else "")
        for c, v in zip("CDEF", (cur_shown, spend, change, rev), strict=True):
            sums[c] += v if isinstance(v, (int, float)) else 0.0
    last = 1 + len(rows)
    total = last + 1
    write_text(ws, (total, 1), "Total (creators)")
    for c, fmt in zip("CDEF", (MONEY, MONEY, MONEY_SIGNED, MONEY), strict=True):
        ws.formula(f"{c}{total}", f"=SUM({c}2:{c}{last})", sums[c], **num(fmt))
    ws.formula(f"G{total}", f'=IF(D{total}>0,F{total}/D{total},"")', ratio(sums["F"], sums["D"]), **num(RATIO))
    style_total_row(ws, total, 9)
    add_table(ws, CREATOR_TABLE, f"A1:I{max(last, 2)}")
    ws.freeze("B2")
    set_widths(ws, {"A": fit_width([names[i] for i in rows], "Creator", 18, 48),
                    "B": fit_width([alloc.networks[i] for i in rows], "Network", 12, 28),
                    "C": 16, "D": 16, "E": 16, "F": 18, "G": 10, "H": 14, "I": 14})
    ws.height(1, 32)
