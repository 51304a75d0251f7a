"""The workbook as XlsxWriter writes it: sheets whose cells are collected first and written at the end.

XlsxWriter writes each formula together with the value it computes (a reader that does not
recalculate, such as pandas or openpyxl with ``data_only=True``, still sees numbers), and each
text with ``write_string``, so user text is never read as a formula.  A cell's style is one
format in XlsxWriter; :class:`Sheet` keeps each cell's value and style properties until
:meth:`Book.close`, so a sheet module may style a totals row after writing its values, as
openpyxl allowed.  Rows and columns are 1-based here, as the sheet shows them.  Money formats
are written with ``"$"`` and shown in the currency of :func:`planner.base.currency.current`.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass, field

import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from planner.base.currency import current

__all__ = ["Book", "Sheet", "Cell", "letter", "TABLE_STYLE"]

TABLE_STYLE = "Table Style Medium 2"
_COMMENT = {"author": "planner", "x_scale": 2.0, "y_scale": 1.6}


def letter(col: int) -> str:
    """Return the column letter(s) of the 1-based column ``col`` (1 is ``A``, 27 is ``AA``).

    Parameters
    ----------
    col : int
        The column, 1-based.

    Returns
    -------
    str
    """
    return xl_col_to_name(col - 1)


@dataclass
class Cell:
    """One cell before it is written: its kind, value, cached formula value and style properties.

    Attributes
    ----------
    kind : {"text", "number", "bool", "datetime", "formula", "array", "blank"}
        How XlsxWriter writes it (``array``: a one-cell array formula, which Excel evaluates over ranges).
    value : object
        The text, number, bool, datetime or formula (a formula starts with ``=``).
    cached : object
        For a formula: the value it computes (a number, a text, or ``""`` for an empty result).
    style : dict
        XlsxWriter format properties (``num_format``, ``bold``, ``text_wrap``, ...).
    """

    kind: str
    value: object = None
    cached: object = ""
    style: dict = field(default_factory=dict)


def _rc(where) -> tuple[int, int]:
    """``(row, col)`` 1-based from an ``"A1"`` address or a tuple."""
    if isinstance(where, str):
        r, c = xl_cell_to_rowcol(where)
        return r + 1, c + 1
    return int(where[0]), int(where[1])


class Sheet:
    """A worksheet's cells, comments, widths, tables and frozen panes, written by :meth:`Book.close`.

    Parameters
    ----------
    title : str
        The sheet's name.
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self.cells: dict[tuple[int, int], Cell] = {}
        self.comments: dict[tuple[int, int], str] = {}
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.tables: list[tuple[str, int, int, int, int]] = []
        self.frozen: tuple[int, int] | None = None

    def _put(self, where, cell: Cell, style: dict) -> Cell:
        key = _rc(where)
        old = self.cells.get(key)
        cell.style = {**(old.style if old else {}), **style}
        self.cells[key] = cell
        return cell

    def text(self, where, value: str, **style) -> None:
        """Store ``value`` as text (never a formula) at ``where`` (``"B4"`` or ``(row, col)``) with ``style``."""
        self._put(where, Cell("text", str(value)), style)

    def number(self, where, value, **style) -> None:
        """Store a number (None: an empty cell keeping ``style``) at ``where``."""
        self._put(where, Cell("blank" if value is None else "number", value), style)

    def boolean(self, where, value: bool, **style) -> None:
        """Store TRUE or FALSE at ``where``."""
        self._put(where, Cell("bool", bool(value)), style)

    def datetime(self, where, value: _dt.datetime, **style) -> None:
        """Store a date and time at ``where`` (give it a ``num_format``)."""
        self._put(where, Cell("datetime", value), style)

    def formula(self, where, formula: str, value, **style) -> None:
        """Store ``formula`` with the ``value`` it computes (a number, a text, or ``""`` for an empty result)."""
        if value is None:
            value = ""
        self._put(where, Cell("formula", formula, value), style)

    def array_formula(self, where, formula: str, value, **style) -> None:
        """Store ``formula`` as a one-cell array formula (Ctrl+Shift+Enter in Excel) with the ``value`` it computes.

        Functions that take a range where a single value is expected (``MAX(IF(range=x, ...))``) evaluate
        it row by row, in every Excel version and in LibreOffice.
        """
        if value is None:
            value = ""
        self._put(where, Cell("array", formula, value), style)

    def style(self, where, **style) -> None:
        """Add ``style`` to the cell at ``where`` (an empty cell when nothing is there yet)."""
        key = _rc(where)
        if key in self.cells:
            self.cells[key].style.update(style)
        else:
            self._put(key, Cell("blank"), style)

    def comment(self, where, note: str) -> None:
        """Attach ``note`` to the cell at ``where`` as a comment by "planner"."""
        self.comments[_rc(where)] = note

    def width(self, col, width: float) -> None:
        """Set the width of column ``col`` (a letter or a 1-based number), in characters."""
        c = _rc(f"{col}1")[1] if isinstance(col, str) else int(col)
        self.widths[c] = float(width)

    def height(self, row: int, height: float) -> None:
        """Set the height of the 1-based ``row`` in points."""
        self.heights[int(row)] = float(height)

    def freeze(self, where) -> None:
        """Freeze the rows above and the columns left of ``where`` (``"B2"``: the header row and column A)."""
        self.frozen = _rc(where)

    def table(self, name: str, ref: str) -> None:
        """Make ``ref`` (e.g. ``"A1:J12"``, its first row the header already written) an Excel Table."""
        first, last = ref.split(":")
        (r1, c1), (r2, c2) = _rc(first), _rc(last)
        self.tables.append((name, r1, c1, r2, c2))

    def value(self, where):
        """Return what the cell at ``where`` shows without recalculation: its value or its formula's value."""
        cell = self.cells.get(_rc(where))
        if cell is None or cell.kind == "blank":
            return None
        return cell.cached if cell.kind in ("formula", "array") else cell.value


class Book:
    """A workbook being written: :meth:`sheet` adds sheets in order, :meth:`close` returns the ``.xlsx`` bytes."""

    def __init__(self) -> None:
        self.sheets: list[Sheet] = []

    def sheet(self, title: str) -> Sheet:
        """Add a sheet named ``title`` after the others and return it."""
        ws = Sheet(title)
        self.sheets.append(ws)
        return ws

    def close(self, title: str, creator: str) -> bytes:
        """Write every sheet and return the workbook's bytes.

        Parameters
        ----------
        title, creator : str
            The document properties.

        Returns
        -------
        bytes
            The ``.xlsx`` file.
        """
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                       "strings_to_numbers": False, "strings_to_urls": False})
        formats: dict[tuple, object] = {}
        symbol = '"' + current().symbol.replace('"', "") + '"'

        def fmt(style: dict):
            if not style:
                return None
            if "$" in str(style.get("num_format", "")):  # money in the currency shown here
                style = {**style, "num_format": style["num_format"].replace('"$"', symbol)}
            key = tuple(sorted(style.items()))
            if key not in formats:
                formats[key] = wb.add_format(dict(style))
            return formats[key]

        for sheet in self.sheets:
            _write_sheet(wb.add_worksheet(sheet.title), sheet, fmt)
        wb.set_properties({"title": title, "author": creator})
        wb.close()
        return buf.getvalue()


def _write_sheet(ws, sheet: Sheet, fmt) -> None:
    for name, r1, c1, r2, c2 in sheet.tables:  # before the cells: the header cells below keep their style
        headers = [sheet.value((r1, c)) for c in range(c1, c2 + 1)]
        ws.add_table(r1 - 1, c1 - 1, r2 - 1, c2 - 1, {
            "name": name, "style": TABLE_STYLE, "banded_rows": True,
            "columns": [{"header": str(h if h is not None else f"Column{j}")} for j, h in enumerate(headers, 1)],
        })
    for (r, c), cell in sorted(sheet.cells.items()):
        f, r0, c0 = fmt(cell.style), r - 1, c - 1
        if cell.kind == "text":
            ws.write_string(r0, c0, cell.value, f)
        elif cell.kind == "number":
            ws.write_number(r0, c0, cell.value, f)
        elif cell.kind == "bool":
            ws.write_boolean(r0, c0, cell.value, f)
        elif cell.kind == "datetime":
            ws.write_datetime(r0, c0, cell.value, f)
        elif cell.kind == "formula":
            ws.write_formula(r0, c0, cell.value, f, cell.cached)
        elif cell.kind == "array":
            ws.write_array_formula(r0, c0, r0, c0, cell.value, f, cell.cached)
        elif f is not None:
            ws.write_blank(r0, c0, None, f)
    for (r, c), note in sheet.comments.items():
        ws.write_comment(r - 1, c - 1, note, _COMMENT)
    for c, w in sheet.widths.items():
        ws.set_column(c - 1, c - 1, w)
    for r, h in sheet.heights.items():
        ws.set_row(r - 1, h)
    if sheet.frozen is not None:
        ws.freeze_panes(sheet.frozen[0] - 1, sheet.frozen[1] - 1)
