"""The workbook's reference sheets: the curve table it was planned from, and the budget frontier.

The Curves sheet makes the workbook itself a valid curve table for
:func:`planner.curves.files.read_curves` (it reads the sheet named "Curves"); the
Frontier sheet gives expected revenue and marginal return per budget.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from planner.report.sheets.cells import (
    MONEY,
    RATIO,
    cell_number,
    fit_width,
    write_header,
    write_text,
)

__all__ = ["curves_sheet", "frontier_sheet"]


def _write_frame(ws, df: pd.DataFrame, formats: Mapping[str, str] | None = None) -> None:
    """Header + rows, user text as text, non-finite numbers as blanks."""
    formats = formats or {}
    cols = [str(c) for c in df.columns]
    write_header(ws, 1, cols)
    for i, row in enumerate(df.itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j)
            if isinstance(v, str):
                write_text(cell, v)
            elif isinstance(v, (bool, np.bool_)):
                cell.value = bool(v)
            elif isinstance(v, (int, float, np.integer, np.floating)):
                cell.value = cell_number(v)
            elif isinstance(v, pd.Timestamp):
                cell.value = v.to_pydatetime()
            elif v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
                cell.value = None
            else:
                write_text(cell, v)
            fmt = formats.get(cols[j - 1])
            if fmt and cell.value is not None:
                cell.number_format = fmt
    for j, c in enumerate(cols, start=1):
        values = df.iloc[:, j - 1].head(200).tolist()
        ws.column_dimensions[get_column_letter(j)].width = fit_width(
            [v for v in values if isinstance(v, str)], c, 10, 40)
    ws.freeze_panes = "A2"


def curves_sheet(ws, curves: pd.DataFrame) -> None:
    """Write the curve table on ``ws`` (no limit as an empty cell).

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet; changed in place.
    curves : DataFrame
        The curve table; it is not modified. Written with its own column names as the header (frozen),
        text as text, infinite and NaN numbers as empty cells.
    """
    out = curves.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].replace([np.inf, -np.inf], np.nan)
    _write_frame(ws, out)


_FRONTIER_NAMES = (
    (("budget",), "Budget", MONEY),
    (("total_spend", "spend"), "Total spend", MONEY),
    (("total_response", "response", "expected_revenue", "revenue"), "Expected revenue", MONEY),
    (("marginal_return", "marginal", "marginal_roas"), "Marginal return", RATIO),
    (("response_p10",), "Expected revenue, P10", MONEY),
    (("response_p90",), "Expected revenue, P90", MONEY),
)


def frontier_sheet(ws, frontier: pd.DataFrame) -> None:
    """Write the budget frontier on ``ws``: the columns it knows under readable titles, then any others.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet; changed in place.
    frontier : DataFrame
        The frontier table. Columns matched ignoring case: ``budget``; ``total_spend`` or ``spend``;
        ``total_response``, ``response``, ``expected_revenue`` or ``revenue``; ``marginal_return``,
        ``marginal`` or ``marginal_roas``; ``response_p10``; ``response_p90`` - written first, in that
        order, under readable titles with money or ratio formats.
    """
    lower = {str(c).lower(): c for c in frontier.columns}
    cols, formats, used = {}, {}, set()
    for keys, title, fmt in _FRONTIER_NAMES:
        for k in keys:
            if k in lower and lower[k] not in used:
                cols[title] = frontier[lower[k]]
                formats[title] = fmt
                used.add(lower[k])
                break
    for c in frontier.columns:  # anything else the optimizer reports, under its own name
        if c not in used:
            cols[str(c)] = frontier[c]
    _write_frame(ws, pd.DataFrame(cols), formats)
    ws.column_dimensions["A"].width = 16
    for letter in "BCDEF":
        ws.column_dimensions[letter].width = 18
