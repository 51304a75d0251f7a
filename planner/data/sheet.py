"""A sheet as read from a file: its non-blank rows, held by column, with clean cells.

Every reader (:mod:`planner.data.workbooks` for xlsx and xls, :mod:`planner.data.csv_files`
for CSV text) gives :class:`Sheet` objects; nothing after them knows which file type a
sheet came from, except for :attr:`Sheet.formulas` (xlsx only) and :attr:`Sheet.is_csv`.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Cell", "Sheet", "sheet_from_rows", "clean_cell", "trim_cells"]

Cell = Any  # None, str, int, float, bool, datetime


@dataclass
class Sheet:
    """The non-blank rows of one sheet, held by column.

    ``rownums[k]`` is the spreadsheet row number of the k-th non-blank row and
    ``cols[j][k]`` its cell in column j (None, str, int, float, bool or datetime;
    text trimmed, empty text None).  ``hidden`` is True for a hidden or very hidden
    sheet, ``very_hidden`` for the latter (shown only from Excel's VBA editor);
    ``merges`` are the merged ranges of more than one row, ``(first row, first column,
    last row, last column)`` (xlsx only, :mod:`planner.data.merged`).
    """

    name: str
    rownums: np.ndarray
    cols: list[np.ndarray]
    decimal_hint: str | None = None
    hidden: bool = False
    formulas: Any = None  # callable(cells) -> {(row, col): formula} for xlsx, else None
    is_csv: bool = False
    factors: dict = field(default_factory=dict, repr=False)
    very_hidden: bool = False
    merges: tuple = ()

    def __len__(self) -> int:
        return len(self.rownums)

    @property
    def width(self) -> int:
        """The number of columns.

        Returns
        -------
        int
            ``len(cols)``: the widest row's number of cells.
        """
        return len(self.cols)

    def row(self, k: int) -> list[Cell]:
        """Return the cells of the k-th row, trailing blanks removed.

        Parameters
        ----------
        k : int
            The position among the sheet's non-blank rows (not the spreadsheet row number).

        Returns
        -------
        list of Cell
            The row's cells by column.
        """
        cells = [c[k] for c in self.cols]
        while cells and cells[-1] is None:
            cells.pop()
        return cells

    def head(self, n: int) -> list[tuple[int, list[Cell]]]:
        """Return the first ``n`` rows as ``(spreadsheet row number, cells)``.

        Parameters
        ----------
        n : int
            The most rows to return.

        Returns
        -------
        list of tuple of (int, list of Cell)
            Up to ``n`` rows, in order.
        """
        return [(int(self.rownums[k]), self.row(k)) for k in range(min(n, len(self)))]

    def factor(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Return column j as ``(codes, distinct cells)``; code -1 is a blank cell.

        Parameters
        ----------
        j : int
            The column's position.

        Returns
        -------
        tuple of (ndarray, ndarray)
            An int64 code per row (index into the distinct cells, -1 for None) and the
            distinct cells (object array); computed once per column and kept in ``factors``.
        """
        if j not in self.factors:
            codes, uniq = pd.factorize(self.cols[j], use_na_sentinel=True)
            self.factors[j] = (codes.astype(np.int64, copy=False), np.asarray(uniq, dtype=object))
        return self.factors[j]


def sheet_from_rows(name: str, rows: list[tuple[int, list[Cell]]], **kw) -> Sheet:
    """Build a :class:`Sheet` from ``(row number, cells)`` pairs; ``kw`` are the other fields of the sheet.

    Parameters
    ----------
    name : str
        The sheet's name.
    rows : list of tuple of (int, list of Cell)
        The non-blank rows: spreadsheet row number and cleaned cells
        (:func:`trim_cells`); shorter rows are padded with None.
    **kw
        ``decimal_hint``, ``hidden``, ``very_hidden``, ``merges``, ``formulas`` or ``is_csv``.

    Returns
    -------
    Sheet
    """
    n = len(rows)
    rownums = np.fromiter((r for r, _ in rows), dtype=np.int64, count=n)
    cols = [np.fromiter(col, dtype=object, count=n)
            for col in itertools.zip_longest(*(c for _, c in rows), fillvalue=None)] if n else []
    return Sheet(name, rownums, cols, **kw)


def clean_cell(v: Any) -> Cell:
    """Return a cell as a sheet holds it: text trimmed, empty text and NaN as None, a time as text.

    Parameters
    ----------
    v : Any
        A cell as a reader gives it.

    Returns
    -------
    Cell
        None, trimmed non-empty text, a bool, int, float (not NaN), datetime or date;
        a ``datetime.time`` as ISO text; anything else as trimmed text (None if empty).
    """
    if v is None:
        return None
    if isinstance(v, str):
        v = v.strip()
        return v or None
    if isinstance(v, (bool, int, float, _dt.datetime, _dt.date)):
        if isinstance(v, float) and v != v:
            return None
        return v
    if isinstance(v, _dt.time):
        return v.isoformat()
    return str(v).strip() or None


def trim_cells(cells: Sequence[Any]) -> list[Cell]:
    """Return a row's cells cleaned (:func:`clean_cell`), trailing blanks removed.

    Parameters
    ----------
    cells : sequence
        A row's cells as a reader gives them.

    Returns
    -------
    list of Cell
        Empty for a blank row.
    """
    out = [clean_cell(v) for v in cells]
    while out and out[-1] is None:
        out.pop()
    return out

