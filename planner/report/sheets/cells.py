"""How the workbook's cells are written: number formats, styles, text that stays text, headers, widths, tables.

Every text a user gave (names, networks, meta values) goes through :func:`write_text`:
it is stored as text (XlsxWriter's ``write_string``, see :mod:`planner.report.sheets.book`),
so a creator named ``=HYPERLINK("x")`` stays text, and characters XML cannot hold are dropped.
Styles are dicts of XlsxWriter format properties, given to a :class:`~planner.report.sheets.book.Sheet`
method as keywords (``ws.text("A1", "Total", **BOLD)``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from planner.report.display import is_finite_number
from planner.report.sheets.book import Sheet

__all__ = [
    "MONEY", "MONEY_SMALL", "COUNT", "MONEY_SIGNED", "RATIO", "PERCENT", "PERCENT_SIGNED", "DATETIME", "NUMBER",
    "BOLD", "TITLE", "WRAP", "ITALIC_NOTE", "num",
    "clean_text", "write_text", "cell_number", "cents", "column_or_default", "write_header", "set_widths",
    "fit_width", "add_table", "style_total_row",
]

MONEY = '"$"#,##0.00'
MONEY_SMALL = '"$"#,##0.00##'  # the value of one engagement: $0.05, $0.0025
COUNT = "#,##0"
MONEY_SIGNED = '"$"#,##0.00;[Red]-"$"#,##0.00'
RATIO = '0.00"x"'
PERCENT = "0.0%"
PERCENT_SIGNED = "+0.0%;[Red]-0.0%"
DATETIME = "yyyy-mm-dd hh:mm"
NUMBER = "0.000000"

BOLD = {"bold": True}
TITLE = {"bold": True, "font_size": 14}
WRAP = {"text_wrap": True, "valign": "top"}
ITALIC_NOTE = {"italic": True, "font_color": "#666666", "text_wrap": True, "valign": "top"}
_HEADER = {"bold": True, "text_wrap": True, "valign": "vcenter"}
_TOTAL = {"bold": True, "top": 1, "bottom": 6}  # thin line above, double below

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def num(fmt: str | None) -> dict:
    """Return the style of a number format ``fmt`` (an empty style for None).

    Parameters
    ----------
    fmt : str or None
        An Excel number format, e.g. :data:`MONEY`.

    Returns
    -------
    dict
        ``{"num_format": fmt}``, or ``{}``.
    """
    return {"num_format": fmt} if fmt else {}


def clean_text(value) -> str:
    """Return ``value`` as text a cell can hold.

    XML 1.0 forbids control characters other than tab and line breaks, lone surrogates
    and U+FFFE/U+FFFF; they are dropped.

    Parameters
    ----------
    value : object
        Any value; converted with ``str``.

    Returns
    -------
    str
    """
    return _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def write_text(ws: Sheet, where, value, **style) -> None:
    """Store ``value`` at ``where`` on ``ws`` as text (never a formula), without the characters XML cannot hold.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    where : str or tuple of int
        The cell: ``"B4"`` or ``(row, col)``, 1-based.
    value : object
        Any value; converted with :func:`clean_text`.
    **style
        XlsxWriter format properties for the cell.
    """
    ws.text(where, clean_text(value), **style)


def cell_number(x):
    """Return a plain Python float for a cell, or None for missing / non-finite values (and booleans).

    Parameters
    ----------
    x : object
        A number, numeric text, None or NaN.

    Returns
    -------
    float or None
    """
    if isinstance(x, (bool, np.bool_)):
        return None
    return float(x) if is_finite_number(x) else None


def cents(x):
    """Return ``x`` rounded to the cent, or None when it is no finite number.

    Parameters
    ----------
    x : object
        A number in dollars (numeric text counts).

    Returns
    -------
    float or None
    """
    return round(float(x), 2) if is_finite_number(x) else None


def column_or_default(table: pd.DataFrame, name: str, default) -> pd.Series:
    """Return column ``name`` of ``table``, or a column of ``default`` when the table has none.

    Parameters
    ----------
    table : DataFrame
        Any table.
    name : str
        The column's name.
    default : object
        The value of every row when the column is missing.

    Returns
    -------
    Series
        The column itself (not a copy), or a new Series on ``table``'s index.
    """
    if name in table.columns:
        return table[name]
    return pd.Series([default] * len(table), index=table.index)


def write_header(ws: Sheet, row: int, headers, notes=None) -> None:
    """Write bold, wrapped column titles in ``row``; a title with a note gets it as a comment.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    row : int
        The sheet row (1-based); titles start in column A.
    headers : sequence of str
        The titles, stored as text.
    notes : sequence of str or None, optional
        One note per title (None or ``""`` for none); None for no notes.
    """
    for j, title in enumerate(headers, start=1):
        write_text(ws, (row, j), title, **_HEADER)
        if notes and notes[j - 1]:
            ws.comment((row, j), notes[j - 1])


def set_widths(ws: Sheet, widths: Mapping[str, float]) -> None:
    """Set the width of each column (by letter).

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    widths : mapping of str to float
        Column letter to width in Excel's character units.
    """
    for col, w in widths.items():
        ws.width(col, w)


def fit_width(values, header: str, lo: float = 10, hi: float = 48) -> float:
    """Return a column width that fits the longest of ``values`` and ``header``, within ``lo`` and ``hi``.

    Parameters
    ----------
    values : iterable
        The column's values (converted with ``str``).
    header : str
        The column's title.
    lo, hi : float, default 10 and 48
        The least and most width.

    Returns
    -------
    float
        The longest text's length plus 3, clipped to ``[lo, hi]``.
    """
    longest = max([len(str(v)) for v in values] + [len(header)], default=len(header))
    return float(max(lo, min(hi, longest + 3)))


def add_table(ws: Sheet, name: str, ref: str) -> None:
    """Make the range ``ref`` an Excel Table named ``name``, striped; its header row must be written.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    name : str
        The table's display name (unique in the workbook).
    ref : str
        The range, header row included, e.g. ``"A1:J12"``.
    """
    ws.table(name, ref)


def style_total_row(ws: Sheet, row: int, columns: int) -> None:
    """Set the first ``columns`` cells of a totals ``row`` in bold between a thin line above and a double below.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    row : int
        The sheet row (1-based).
    columns : int
        How many cells from column A.
    """
    for c in range(1, columns + 1):
        ws.style((row, c), **_TOTAL)
