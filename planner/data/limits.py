"""How big a file the planner reads: 200 MB and 2,000,000 rows; a workbook also by what it unpacks to.

An xlsx workbook is a zip: before openpyxl parses it, :mod:`planner.data.zip_limits`
checks what each part unpacks to (:data:`MAX_PART_BYTES`, :data:`MAX_SHARED_TEXT_BYTES`,
:data:`MAX_UNPACKED_BYTES`, how tightly it is packed: :data:`MAX_PACK_RATIO`) and the cells
a sheet says it spans (:data:`MAX_CELLS`, also counted while it is read).  No amount is
read beyond :data:`~planner.base.plausible.MAX_AMOUNT` (re-exported here).

The limits are read when a file is read (not when a module is imported), so a test
can lower them with ``monkeypatch.setattr(limits, "MAX_ROWS", 10)``.
"""

from __future__ import annotations

from planner.base.plausible import MAX_AMOUNT
from planner.data.dataset import DataError

__all__ = ["MAX_BYTES", "MAX_ROWS", "ROW_SLACK", "MAX_CELLS", "MAX_UNPACKED_BYTES", "MAX_PART_BYTES",
           "MAX_SHARED_TEXT_BYTES", "MAX_PACK_RATIO", "PACK_RATIO_FROM", "MAX_AMOUNT", "check_size", "check_rows",
           "check_cells", "file_too_big", "too_many_rows", "too_many_cells"]

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000
ROW_SLACK = 50  # title, header and totals rows allowed over MAX_ROWS
MAX_CELLS = 10_000_000  # cells of a workbook's sheets: a million rows of ten columns (openpyxl reads ~100,000 a second)
MAX_UNPACKED_BYTES = 2 * 1024 ** 3  # every part of a workbook, unpacked
MAX_PART_BYTES = 1024 ** 3  # one sheet's XML, unpacked (about 20,000,000 cells)
MAX_SHARED_TEXT_BYTES = 256 * 1024 ** 2  # the text of a workbook's cells (xl/sharedStrings.xml), unpacked
MAX_PACK_RATIO = 100  # Excel packs a sheet 5 to 20 times; a part packed tighter and ...
PACK_RATIO_FROM = 16 * 1024 ** 2  # ... unpacking to more than this is a zip bomb, not a spreadsheet


def file_too_big(size: int) -> DataError:
    """Return the error for a file of ``size`` bytes, over :data:`MAX_BYTES`.

    Parameters
    ----------
    size : int
        The file's size in bytes.

    Returns
    -------
    DataError
        The error (not raised), its message giving the size in MB.
    """
    return DataError(f"The file is {size / 1024 / 1024:,.1f} MB, over the {MAX_BYTES / 1024 / 1024:,.0f} MB limit; "
                     "split it or remove columns that are not needed.")


def too_many_rows() -> DataError:
    """Return the error for a file with more than :data:`MAX_ROWS` rows.

    Returns
    -------
    DataError
        The error (not raised).
    """
    return DataError(f"The file has more than {MAX_ROWS:,} rows, over the limit; "
                     "split it into smaller files, for example one per year.")


def check_size(size: int) -> None:
    """Raise :class:`DataError` when a file of ``size`` bytes is over :data:`MAX_BYTES`.

    Parameters
    ----------
    size : int
        The file's size in bytes.

    Raises
    ------
    DataError
        When ``size`` is over :data:`MAX_BYTES`.
    """
    if size > MAX_BYTES:
        raise file_too_big(size)


def check_rows(rows: int) -> None:
    """Raise :class:`DataError` when ``rows`` is over :data:`MAX_ROWS` (and the few title and totals rows).

    Parameters
    ----------
    rows : int
        The rows read (or a sheet's stated row count).

    Raises
    ------
    DataError
        When ``rows`` is over :data:`MAX_ROWS` plus :data:`ROW_SLACK`.
    """
    if rows > MAX_ROWS + ROW_SLACK:
        raise too_many_rows()


def too_many_cells(where: str) -> DataError:
    """Return the error for a workbook with more than :data:`MAX_CELLS` cells.

    Parameters
    ----------
    where : str
        What holds them, e.g. ``'The sheet "Data" of "big.xlsx" has'``.

    Returns
    -------
    DataError
        The error (not raised), saying how to read the data instead.
    """
    return DataError(f"{where} more than {MAX_CELLS:,} cells (a million rows of ten columns), over the limit "
                     "of a workbook; save the sheet as CSV, which is read much faster (up to "
                     f"{MAX_ROWS:,} rows), or split it.")


def check_cells(cells: int, where: str) -> None:
    """Raise :class:`DataError` when ``cells`` is over :data:`MAX_CELLS`.

    Parameters
    ----------
    cells : int
        The cells read so far (or a sheet's stated size).
    where : str
        As for :func:`too_many_cells`.

    Raises
    ------
    DataError
        When ``cells`` is over :data:`MAX_CELLS`.
    """
    if cells > MAX_CELLS:
        raise too_many_cells(where)
