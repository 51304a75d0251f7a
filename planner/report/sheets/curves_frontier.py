"""The workbook's reference sheets: the curve table it was planned from, and the budget frontier.

The Curves sheet makes the workbook itself a valid curve table for
:func:`planner.curves.files.read_curves` (it reads the sheet named "Curves"), and every
row's expected revenue on the Allocation sheet is a formula of its curve's cells here, so
editing a parameter moves that row; the Frontier sheet gives expected revenue and marginal
return per budget (numbers: each budget's optimum).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.report.sheets.book import Sheet, letter
from planner.report.sheets.cells import (
    DATETIME,
    MONEY,
    RATIO,
    cell_number,
    fit_width,
    num,
    write_header,
    write_text,
)
from planner.report.sheets.curve_formulas import CurveCells

__all__ = ["curves_sheet", "frontier_sheet"]


def _write_frame(ws: Sheet, df: pd.DataFrame, formats: Mapping[str, str] | None = None) -> None:
    """Header + rows, user text as text, non-finite numbers as blanks."""
    formats = formats or {}
    cols = [str(c) for c in df.columns]
    write_header(ws, 1, cols)
    for i, row in enumerate(df.itertuples(index=False), start=2):
        for j, v in enumerate(row, start=1):
            style = num(formats.get(cols[j - 1]))
            if isinstance(v, str):
                write_text(ws, (i, j), v)
            elif isinstance(v, (bool, np.bool_)):
                ws.boolean((i, j), bool(v))
            elif isinstance(v, (int, float, np.integer, np.floating)):
                x = cell_number(v)
                if x is not None:
                    ws.number((i, j), x, **style)
            elif isinstance(v, pd.Timestamp):
                if pd.notna(v):
                    ws.datetime((i, j), v.to_pydatetime(), **num(DATETIME))
            elif v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
                continue
            else:
                write_text(ws, (i, j), v)
    for j, c in enumerate(cols, start=1):
        values = df.iloc[:, j - 1].head(200).tolist()
        ws.width(j, fit_width([v for v in values if isinstance(v, str)], c, 10, 40))
    ws.freeze("A2")


def curves_sheet(ws: Sheet, curves: pd.DataFrame) -> CurveCells:
    """Write the curve table on ``ws`` (no limit as an empty cell); return where each curve and column is.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    curves : DataFrame
        The curve table; it is not modified. Written with its own column names as the header (frozen),
        text as text, infinite and NaN numbers as empty cells.

    Returns
    -------
    CurveCells
        The table as written, each curve's row (by stripped name) and each column's letter (by stripped,
        lower-cased name), for the Allocation sheet's formulas.
    """
    out = curves.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].replace([np.inf, -np.inf], np.nan)
    _write_frame(ws, out)
    letters: dict[str, str] = {}
    for j, c in enumerate(out.columns, start=1):
        letters.setdefault(str(c).strip().lower(), letter(j))
    rows: dict[str, int] = {}
    name_col = next((c for c in out.columns if str(c).strip().lower() == "name"), None)
    if name_col is not None:
        for i, n in enumerate(out[name_col]):
            rows.setdefault(str(n).strip(), i + 2)
    return CurveCells(out.reset_index(drop=True), rows, letters)


_FRONTIER_NAMES = (
    (("budget",), "Budget", MONEY),
    (("total_spend", "spend"), "Total spend", MONEY),
    (("total_response", "response", "expected_revenue", "revenue"), "Expected revenue", MONEY),
    (("marginal_return", "marginal", "marginal_roas"), "Marginal return", RATIO),
    (("response_p10",), "Expected revenue, P10", MONEY),
    (("response_p90",), "Expected revenue, P90", MONEY),
)


def frontier_sheet(ws: Sheet, frontier: pd.DataFrame) -> None:
    """Write the budget frontier on ``ws``: the columns it knows under readable titles, then any others.

    Parameters
    ----------
    ws : Sheet
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
    ws.width("A", 16)
    for col in "BCDEF":
        ws.width(col, 18)
