"""What an xlsx workbook unpacks to, checked before openpyxl parses it: zip bombs are refused in a moment.

    from planner.data.zip_limits import check_workbook
    parts = check_workbook(zf, "spend.xlsx")   # raises DataError, else returns the sheets' parts

A workbook is a zip of XML parts.  A few megabytes can unpack to gigabytes (text of a
single letter repeated, a sheet of empty rows), and openpyxl would then read for minutes
and hold the text in memory.  The zip's own directory says what each part unpacks to,
and a part cannot unpack to more than it says (zipfile stops there and checks the sum), so
the sizes are checked from the directory alone, with :mod:`planner.data.limits`:

- every part together, one sheet's XML and the shared text (``sharedStrings.xml``) each
  have a size limit;
- a big part packed far tighter than Excel packs a spreadsheet is refused;
- the cells a sheet says it spans (its ``<dimension>``, read from the first bytes of the
  sheet) are counted against :data:`~planner.data.limits.MAX_CELLS`.
"""

from __future__ import annotations

import re
import zipfile

from planner.data import limits
from planner.data.dataset import DataError
from planner.data.workbook_parts import SHARED_STRINGS, SheetPart, part_title, sheet_parts

__all__ = ["check_workbook", "stated_size", "ref_cells"]

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Za-z]{0,3}\d*(?::[A-Za-z]{0,3}\d*)?)\"")
_CELL = re.compile(r"^([A-Za-z]{0,3})(\d*)$")
_ADVICE = "save the data sheet as CSV from Excel, or split the workbook into smaller ones"


def _mb(size: float) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def ref_cells(ref: str) -> tuple[int, int, int, int] | None:
    """Return the rows and columns a range such as ``B2:D40`` spans: ``(first row, first column, last row, last column)``.

    Parameters
    ----------
    ref : str
        A cell (``A1``) or range (``A1:XFD1048576``); a range of whole rows or columns
        (``A:C``, ``2:5``) spans the whole other dimension.

    Returns
    -------
    tuple of int, or None
        Rows from 1 and columns from 0; None when ``ref`` is not a range.
    """
    ends = []
    for part in ref.split(":")[:2]:
        m = _CELL.match(part.strip())
        if m is None or not (m.group(1) or m.group(2)):
            return None
        col = 0
        for ch in m.group(1).upper():
            col = col * 26 + ord(ch) - 64
        ends.append((int(m.group(2)) if m.group(2) else None, col - 1 if m.group(1) else None))
    (r1, c1), (r2, c2) = ends[0], ends[-1]
    return (r1 or 1, c1 if c1 is not None else 0, r2 or 1_048_576, c2 if c2 is not None else 16_383)


def stated_size(zf: zipfile.ZipFile, part: str) -> tuple[str, int, int] | None:
    """Return the range a sheet says it spans (its ``<dimension>``), with its rows and columns.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open workbook.
    part : str
        The sheet's member name.

    Returns
    -------
    tuple of (str, int, int), or None
        ``(range, rows, columns)``; None when the sheet states none in its first 64 kB, or
        the part cannot be read (openpyxl says so later).
    """
    try:
        with zf.open(part) as fh:
            head = fh.read(65536)
    except Exception:  # damaged: openpyxl says so when it reads the sheet
        return None
    m = _DIMENSION.search(head)
    span = ref_cells(m.group(1).decode()) if m else None
    if span is None:
        return None
    r1, c1, r2, c2 = span
    return m.group(1).decode(), max(r2 - r1 + 1, 1), max(c2 - c1 + 1, 1)


def check_workbook(zf: zipfile.ZipFile, fname: str) -> list[SheetPart]:
    """Refuse a workbook that unpacks to too much, or says its sheets span too many cells.

    Parameters
    ----------
    zf : zipfile.ZipFile
        The open workbook (an xlsx or xlsm file).
    fname : str
        The file name, for messages.

    Returns
    -------
    list of SheetPart
        The workbook's sheets (:func:`~planner.data.workbook_parts.sheet_parts`), once
        every check passed.

    Raises
    ------
    DataError
        When the parts unpack to more than :data:`~planner.data.limits.MAX_UNPACKED_BYTES`
        together, a sheet to more than :data:`~planner.data.limits.MAX_PART_BYTES`, the
        shared text to more than :data:`~planner.data.limits.MAX_SHARED_TEXT_BYTES`, a part
        over :data:`~planner.data.limits.PACK_RATIO_FROM` is packed more than
        :data:`~planner.data.limits.MAX_PACK_RATIO` times, or the sheets state more rows
        or cells than the limits.
    """
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > limits.MAX_UNPACKED_BYTES:
        raise DataError(f'The workbook "{fname}" unpacks to {_mb(total)}, over the {_mb(limits.MAX_UNPACKED_BYTES)} '
                        f"limit; {_ADVICE}.")
    parts = sheet_parts(zf)
    for info in infos:
        limit = limits.MAX_SHARED_TEXT_BYTES if info.filename.endswith(SHARED_STRINGS) else limits.MAX_PART_BYTES
        what = part_title(info.filename, parts)
        if info.file_size > limit:
            raise DataError(f'The {what} of the workbook "{fname}" unpacks to {_mb(info.file_size)}, over the '
                            f"{_mb(limit)} limit; {_ADVICE}.")
        packed = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.PACK_RATIO_FROM and packed > limits.MAX_PACK_RATIO:
            raise DataError(f'The {what} of the workbook "{fname}" unpacks from {_mb(info.compress_size)} to '
                            f"{_mb(info.file_size)}, {packed:,.0f} times, where Excel packs a sheet 5 to 20 times "
                            f"(the limit is {limits.MAX_PACK_RATIO}): the file is damaged or made to exhaust the "
                            "computer, so it was not opened.")
    for p in parts:
        if p.part not in zf.NameToInfo:
            continue
        stated = stated_size(zf, p.part)
        if stated is None:
            continue
        ref, rows, cols = stated
        where = f'The sheet "{p.title}" of "{fname}" says it spans {ref}'
        if rows > limits.MAX_ROWS + limits.ROW_SLACK:
            raise DataError(f"{where}, {rows:,} rows, over the limit of {limits.MAX_ROWS:,}; if it holds fewer, "
                            "delete the empty rows below the data in Excel and save it again, or save it as CSV.")
        if rows * cols > limits.MAX_CELLS:
            raise DataError(f"{where}, {rows * cols:,} cells, over the limit of {limits.MAX_CELLS:,} in a workbook; "
                            "if it holds fewer, delete the empty rows and columns after the data in Excel and save "
                            "it again, or save the sheet as CSV.")
    return parts
