"""Reading a file (a path, bytes or an upload) into sheets: xlsx and xlsm, xls, csv, tsv and txt.

    from planner.data.files import read_sheets
    fname, sheets = read_sheets("creator_campaigns.xlsx")    # every sheet, before any table is looked for

The file type is told from the bytes (a zip is an xlsx workbook, an OLE file an xls
workbook, anything else text), not from the name; files that cannot be read at all
(empty, damaged, password-protected, over the limits of :mod:`planner.data.limits`)
raise :class:`~planner.data.dataset.DataError` with one sentence for the user.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from planner.data.csv_files import read_csv
from planner.data.dataset import DataError
from planner.data.limits import check_size
from planner.data.mapping import parse_mapping
from planner.data.sheet import Sheet
from planner.data.table_finder import find_header
from planner.data.workbooks import read_xls, read_xlsx

__all__ = ["OLE_MAGIC", "read_source", "read_sheets", "sheets_from_bytes", "peek_tables"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the first bytes of an xls workbook (and of an encrypted xlsx)
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def read_source(source: Any, name: str | None) -> tuple[bytes, str]:
    """Return the bytes of a file (a path, bytes or a file-like object) and its name.

    Parameters
    ----------
    source : str, PathLike, bytes or file-like
        A path; the bytes (``bytes``, ``bytearray`` or ``memoryview``); or an object with
        ``getvalue()`` or ``read()`` (text it returns is encoded as UTF-8).
    name : str or None
        The file name to use; None takes the path's name, else the object's ``name``,
        else ``"upload"``.

    Returns
    -------
    tuple of (bytes, str)
        The file's bytes and its name.

    Raises
    ------
    DataError
        When the path does not exist, is a folder or cannot be opened, the file is over
        :data:`~planner.data.limits.MAX_BYTES`, or ``source`` is of another type.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        check_size(len(raw))
        return raw, name or "upload"
    if hasattr(source, "read") or hasattr(source, "getvalue"):
        fname = name or Path(str(getattr(source, "name", "upload"))).name
        raw = source.getvalue() if hasattr(source, "getvalue") else source.read()
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        check_size(len(raw))
        return bytes(raw), fname
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise DataError(f'The file "{path}" does not exist.')
        if path.is_dir():
            raise DataError(f'"{path}" is a folder, not a file.')
        check_size(path.stat().st_size)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DataError(f'The file "{path.name}" could not be opened ({exc.strerror or exc}).') from None
        return raw, name or path.name
    raise DataError("The data must be a file path or the bytes of a file.")


def read_sheets(source: Any, name: str | None = None, max_rows: int | None = None,
                only: Sequence[str] | None = None) -> tuple[str, list[Sheet]]:
    """Return every sheet of a file, as read before any table is looked for: ``(file name, sheets)``.

    For readers of other tables in the same workbooks (a creator roster).  In a
    workbook, ``max_rows`` stops each sheet after that many non-blank rows (enough to
    find a header) and ``only`` reads just the sheets named.  Raises
    :class:`DataError` like :func:`planner.data.ingest.load` for files that cannot be read.

    Parameters
    ----------
    source : str, PathLike, bytes or file-like
        As for :func:`read_source`.
    name : str or None, default None
        The file name (for bytes or an upload), as for :func:`read_source`.
    max_rows : int or None, default None
        In a workbook, stop each sheet after this many non-blank rows; None reads all.
    only : sequence of str or None, default None
        In a workbook, read only the sheets of these names; None reads all.

    Returns
    -------
    tuple of (str, list of Sheet)
        The file name and its sheets, in workbook order (one sheet for a CSV file).

    Raises
    ------
    DataError
        When the file cannot be read at all.
    """
    raw, fname = read_source(source, name)
    return fname, sheets_from_bytes(raw, fname, max_rows, only)


def sheets_from_bytes(raw: bytes, fname: str, max_rows: int | None = None,
                      only: Sequence[str] | None = None) -> list[Sheet]:
    """Return the sheets of a file's bytes; ``max_rows`` and ``only`` as in :func:`read_sheets`.

    Parameters
    ----------
    raw : bytes
        The file's bytes; the type is told from them (zip: xlsx, OLE: xls, else text).
    fname : str
        The file name, for the sheet of a CSV file and for messages.
    max_rows : int or None, default None
        As in :func:`read_sheets`.
    only : sequence of str or None, default None
        As in :func:`read_sheets`.

    Returns
    -------
    list of Sheet
        The sheets, in workbook order (one for a CSV file).

    Raises
    ------
    DataError
        When the file is empty, password-protected, a damaged workbook, an OpenDocument
        spreadsheet, a web page or XML document, or over the row limit.
    """
    if not raw or not raw.strip():
        raise DataError(f'The file "{fname}" is empty.')
    ext = Path(fname).suffix.lower()
    if raw[:4] == b"PK\x03\x04":
        return read_xlsx(raw, fname, max_rows, only)
    if raw[:8] == OLE_MAGIC:
        if ENCRYPTED in raw:
            raise DataError(f'The workbook "{fname}" is password-protected; save a copy without a password and load that.')
        return read_xls(raw, fname, max_rows, only)
    if ext in (".xlsx", ".xlsm", ".xltx", ".xls") and b"\x00" in raw[:2048] and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise DataError(f'The file "{fname}" is not a readable Excel workbook; it may be damaged. '
                        "Open it in Excel and save it again as .xlsx.")
    if ext == ".ods":
        raise DataError("OpenDocument spreadsheets (.ods) are not supported; save the file as .xlsx or .csv.")
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        raise DataError(f'The file "{fname}" is a web page or XML document, not a spreadsheet; '
                        "save it as .xlsx or .csv.")
    return [read_csv(raw, fname)]


def peek_tables(source: Any, name: str | None, mapping: Mapping[str, str] | None = None,
                rows: int = 40) -> list:
    """Return the table found on each sheet of a file from its first ``rows`` rows (None where a sheet has none).

    For telling what a file is (a promo-code report, a shop's sales) without reading it whole. ``mapping`` is the
    user's ``{source column: field}``, unparsed.

    Raises
    ------
    DataError
        When the file cannot be read at all.
    """
    said = parse_mapping(mapping)
    return [find_header(s, said) for s in read_sheets(source, name, max_rows=rows)[1]]

