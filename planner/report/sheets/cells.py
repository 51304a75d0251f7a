"""How the workbook's cells are written: number formats, styles, text that stays text, headers, widths, tables.

Every text a user gave (names, networks, meta values) goes through :func:`write_text`:
it is stored as text (:func:`planner.base.safe_text.set_text`), so a creator named
``=HYPERLINK("x")`` stays text, and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.table import Table, TableStyleInfo

from planner.base.safe_text import set_text
from planner.report.display import is_finite_number

__all__ = [
    "MONEY", "MONEY_SMALL", "COUNT", "MONEY_SIGNED", "RATIO", "PERCENT", "PERCENT_SIGNED", "DATETIME",
    "BOLD", "TITLE", "WRAP",
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

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
_TOP_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
_TABLE_STYLE = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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


def write_text(cell, value) -> None:
    """Store ``value`` in ``cell`` as text (never a formula), without the characters XML cannot hold.

    Parameters
    ----------
    cell : openpyxl.cell.Cell
        The cell; changed in place.
    value : object
        Any value; converted with :func:`clean_text`.
    """
    set_text(cell, clean_text(value))


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


def write_header(ws, row: int, headers, notes=None) -> None:
    """Write bold, wrapped column titles in ``row``; a title with a note gets it as a comment.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet; changed in place.
    row : int
        The sheet row (1-based); titles start in column A.
    headers : sequence of str
        The titles, stored as text.
    notes : sequence of str or None, optional
        One note per title (None or ``""`` for none); None for no notes.
    """
    for j, title in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=j)
        write_text(cell, title)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if notes and notes[j - 1]:
            cell.comment = Comment(notes[j - 1], "planner", width=320, height=90)


def set_widths(ws, widths: Mapping[str, float]) -> None:
    """Set the width of each column (by letter).

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet; changed in place.
    widths : mapping of str to float
        Column letter to width in Excel's character units.
    """
    for letter, w in widths.items():
        ws.column_dimensions[letter].width = w


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


def add_table(ws, name: str, ref: str) -> None:
    """Make the range ``ref`` an Excel Table named ``name``, striped.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet; changed in place.
    name : str
        The table's display name (unique in the workbook).
    ref : str
        The range, header row included, e.g. ``"A1:J12"``.
    """
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = _TABLE_STYLE
    ws.add_table(table)


def style_total_row(ws, row: int, columns: int) -> None:
    """Set the first ``columns`` cells of a totals ``row`` in bold above a double line.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet; changed in place.
    row : int
        The sheet row (1-based).
    columns : int
        How many cells from column A.
    """
    for c in range(1, columns + 1):
        ws.cell(row, c).font = BOLD
        ws.cell(row, c).border = _TOP_BORDER
