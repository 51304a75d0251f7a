"""How big a file the planner reads: 200 MB and 2,000,000 rows.

The limits are read when a file is read (not when a module is imported), so a test
can lower them with ``monkeypatch.setattr(limits, "MAX_ROWS", 10)``.
"""

from __future__ import annotations

from planner.data.dataset import DataError

__all__ = ["MAX_BYTES", "MAX_ROWS", "ROW_SLACK", "check_size", "check_rows", "file_too_big", "too_many_rows"]

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000
ROW_SLACK = 50  # title, header and totals rows allowed over MAX_ROWS


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
