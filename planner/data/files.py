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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.data.csv_files import read_csv
from planner.data.dataset import DataError
from planner.data.limits import check_size
from planner.data.sheet import Sheet
from planner.data.workbooks import read_xls, read_xlsx

__all__ = ["OLE_MAGIC", "read_source", "read_sheets", "sheets_from_bytes"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the first bytes of an xls workbook (and of an encrypted xlsx)
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def read_source(source: Any, name: str | None) -> tuple[bytes, str]:
    """Return the bytes of a file (a path, bytes or a file-like object) and its name."""
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
    """
    raw, fname = read_source(source, name)
    return fname, sheets_from_bytes(raw, fname, max_rows, only)


def sheets_from_bytes(raw: bytes, fname: str, max_rows: int | None = None,
                      only: Sequence[str] | None = None) -> list[Sheet]:
    """Return the sheets of a file's bytes; ``max_rows`` and ``only`` as in :func:`read_sheets`."""
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
