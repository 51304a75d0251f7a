"""Merged cells of an xlsx sheet: read from the sheet's XML, and their value given to every row they cover.

openpyxl's read-only mode (which the import uses, for speed and memory) does not say
which cells are merged: a merged cell reads as its value on its first row and blanks
below.  A column of network names merged over four rows each would then leave three
rows of four without a network.  :func:`read_merges` finds the ranges in the sheet's XML
(one pass, without parsing it); :func:`fill_merges` gives each range's value to the rows it
covers below a table's header, in the columns where repeating a value is right (a date, a
network, a creator), and says where it kept the value on the first row only (an amount,
which repeated would be counted several times).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.data.sheet import Sheet
from planner.data.table_finder import column_letter
from planner.data.zip_limits import ref_cells

__all__ = ["MAX_MERGES", "Merge", "MergeFill", "read_merges", "fill_merges"]

MAX_MERGES = 100_000  # ranges read from one sheet; a sheet with more is not a table of data
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Za-z]{1,3}\d{1,7}:[A-Za-z]{1,3}\d{1,7})\"")
_CHUNK = 1 << 20
_OVERLAP = 256  # more than any <mergeCell ref="..."/> element

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (rows from 1, columns from 0)


@dataclass(frozen=True)
class MergeFill:
    """The merged ranges of one column of a table, and what was done with them.

    ``repeated`` True: the value was given to every row a range covers; False: it was
    kept on the first row only (the rows below read as blank).
    """

    column: int
    ranges: tuple[str, ...]
    first_row: int
    repeated: bool
    rows: int  # the rows below the first of each range that now hold its value (0 when not repeated)


def read_merges(zf: zipfile.ZipFile, part: str) -> tuple[Merge, ...]:
    """Return the merged ranges of a sheet that span more than one row, from its XML.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open workbook, its sizes already checked (:mod:`planner.data.zip_limits`).
    part : str
        The sheet's member name.

    Returns
    -------
    tuple of Merge
        ``(first row, first column, last row, last column)`` of each range, in the
        sheet's order, at most :data:`MAX_MERGES`; empty when the part cannot be read.
    """
    out: list[Merge] = []
    tail = b""
    try:
        with zf.open(part) as fh:
            while len(out) < MAX_MERGES:
                chunk = fh.read(_CHUNK)
                buf = tail + chunk
                end = len(buf) if not chunk else len(buf) - _OVERLAP
                last = 0
                for m in _MERGE.finditer(buf):
                    if m.end() > end:
                        break
                    span = ref_cells(m.group(1).decode())
                    if span is not None and span[2] > span[0]:
                        out.append(span)
                    last = m.end()
                if not chunk:
                    break
                tail = buf[max(last, end - _OVERLAP, 0):]
    except Exception:  # a damaged sheet: openpyxl has said so already, or the merges are left as they are
        return tuple(out[:MAX_MERGES])
    return tuple(out[:MAX_MERGES])


def fill_merges(sheet: Sheet, below: int, repeat: Callable[[int], bool]) -> list[MergeFill]:
    """Give each merged range's value to the rows it covers, below a header row, where ``repeat`` says so.

    Only ranges starting below the header row (``below``), on a row that is not blank, are
    filled, in the first column of each range (the one holding the value).  Rows that are blank apart from the range
    are not in the sheet and stay out.  The sheet's columns are changed in place.

    Parameters
    ----------
    sheet : Sheet
        The sheet, with its ``merges``.
    below : int
        The spreadsheet row of the table's header; ranges starting on it or above are
        left alone (a merged header is read by :mod:`planner.data.table_finder`).
    repeat : callable
        ``repeat(column)`` True when the column's value belongs to every row (text,
        dates); False keeps it on the first row (an amount).

    Returns
    -------
    list of MergeFill
        One per column with merged ranges, in column order.
    """
    by_col: dict[int, list[Merge]] = {}
    starts = set(sheet.rownums[sheet.rownums > below].tolist())
    for m in sheet.merges:
        if m[0] in starts and m[1] < sheet.width:  # below the header, starting on a row of the sheet
            by_col.setdefault(m[1], []).append(m)
    out = []
    for j in sorted(by_col):
        ranges = sorted(by_col[j])
        col = sheet.cols[j]
        filled = 0
        if repeat(j):
            col = col.copy()
            for r1, _, r2, _ in ranges:
                a, b = np.searchsorted(sheet.rownums, [r1, r2], side="left")
                b = b + int(b < len(sheet.rownums) and sheet.rownums[b] == r2)
                if a >= len(sheet.rownums) or sheet.rownums[a] != r1 or col[a] is None:
                    continue
                blank = np.flatnonzero(np.equal(col[a + 1:b], None)) + a + 1
                col[blank] = col[a]
                filled += len(blank)
            sheet.cols[j] = col
            sheet.factors.pop(j, None)
        names = tuple(f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}" for r1, c1, r2, c2 in ranges)
        out.append(MergeFill(j, names, ranges[0][0], repeat(j), filled))
    return out
