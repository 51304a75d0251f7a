"""Reading Excel workbooks into sheets: xlsx and xlsm with calamine or openpyxl, xls with xlrd.

Each worksheet becomes a :class:`~planner.data.sheet.Sheet` of its non-blank rows; an
xlsx sheet also keeps a way to read the formulas of given cells (a formula whose result
was never saved reads as a blank cell, and the import says why).

A whole xlsx sheet is read by calamine (python-calamine, in Rust: a 1,000,000-row sheet in
seconds, where openpyxl takes minutes), its cells given as openpyxl gives them (whole numbers
as int, dates as datetime, blanks as None, an Excel error cell as its text, ``#N/A``, which
calamine reads as blank and which is found in the sheet's XML). openpyxl (read-only) still
reads the first rows of a sheet when only they are wanted (``max_rows``: it stops there), a
sheet calamine cannot read, and the formulas behind blank computed cells.
"""

from __future__ import annotations

import datetime as _dt
import html
import io
import re
import zipfile
from collections.abc import Sequence
from operator import itemgetter

import numpy as np

from planner.data.dataset import DataError
from planner.data.limits import check_cells, check_rows
from planner.data.merged import MAX_MERGES, read_merges
from planner.data.sheet import Cell, Sheet, clean_cell, sheet_from_rows, trim_cells
from planner.data.zip_limits import check_workbook

__all__ = ["read_xlsx", "read_xls"]


def read_xlsx(raw: bytes, fname: str, max_rows: int | None = None, only: Sequence[str] | None = None) -> list[Sheet]:
    """Return the worksheets of an xlsx (or xlsm) workbook's bytes; ``max_rows`` and ``only`` as in read_sheets.

    Parameters
    ----------
    raw : bytes
        The workbook's bytes (a zip file).
    fname : str
        The file name, for messages.
    max_rows : int or None, default None
        Stop each sheet after this many non-blank rows; None reads all.
    only : sequence of str or None, default None
        Read only the worksheets of these names; None reads all.

    Returns
    -------
    list of Sheet
        The worksheets in workbook order (chart sheets left out), each with ``hidden``
        and ``very_hidden`` set, its ``merges`` and a ``formulas`` reader.

    Raises
    ------
    DataError
        When the zip or workbook is damaged, the zip is not an Excel workbook (or is an
        OpenDocument spreadsheet), it unpacks to more than the limits allow
        (:mod:`planner.data.zip_limits`), the rows or cells are over the limit, or no
        worksheet is read.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DataError(f'The workbook "{fname}" is damaged and cannot be opened; save it again from Excel.') from None
    with zf:
        if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
            if "content.xml" in names:
                raise DataError("OpenDocument spreadsheets (.ods) are not supported; save the file as .xlsx or .csv.")
            raise DataError(f'The file "{fname}" is a zip archive, not an Excel workbook.')
        parts = {p.title: p.part for p in check_workbook(zf, fname)}  # zip bombs stop here
        if max_rows is None:
            fast = _read_with_calamine(raw, fname, only, zf, parts)
            if fast is not None:
                return fast
        return _read_sheets(raw, fname, max_rows, only, zf, parts)


_ERROR_CELL = b't="e"'  # a cell of type error in a worksheet's XML
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]*)</v>")
_MAX_ERROR_CELLS = 100_000  # more, and openpyxl reads the sheet
_CHUNK = 1 << 22
_KEEP = 1 << 17  # bytes kept from one chunk to the next: more than any error cell's XML (a formula: 8,192 characters)


def _error_cells(zf: zipfile.ZipFile, part: str | None) -> dict[tuple[int, int], str | None] | None:
    """Return a worksheet's error cells (``#N/A``, ``#DIV/0!``), ``{(row from 1, column from 0): text}``.

    calamine reads an error cell as blank; openpyxl gives its text. The sheet's XML is searched in chunks
    for cells of type error (rare: the search costs a pass over the XML, not a parse). None when the part
    cannot be read or a cell cannot be made out (openpyxl then reads the sheet).
    """
    if part is None:
        return None
    out: dict[tuple[int, int], str | None] = {}
    try:
        with zf.open(part) as fh:
            buf, base, done = b"", 0, 0  # base: offset of buf[0] in the XML; done: searched up to there
            while True:
                chunk = fh.read(_CHUNK)
                buf += chunk
                limit = len(buf) if not chunk else max(len(buf) - _KEEP // 2, 0)
                p = buf.find(_ERROR_CELL, max(done - base, 0))
                while p != -1 and p < limit:
                    cell = _error_cell(buf, p)
                    if cell is None or len(out) >= _MAX_ERROR_CELLS:
                        return None
                    out[cell[0]] = cell[1]
                    p = buf.find(_ERROR_CELL, p + 1)
                done = base + limit
                if not chunk:
                    return out
                keep = buf[-_KEEP:]
                base += len(buf) - len(keep)
                buf = keep
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError):
        return None


def _error_cell(buf: bytes, p: int) -> tuple[tuple[int, int], str | None] | None:
    """Return the error cell whose ``t="e"`` is at ``p`` of ``buf``: its place and text (None if it has none)."""
    start = buf.rfind(b"<c ", 0, p)
    end = buf.find(b">", p)
    if start == -1 or end == -1 or buf.find(b">", start, p) != -1:
        return None
    ref = _CELL_REF.search(buf, start, end)
    if ref is None:
        return None
    col = 0
    for ch in ref.group(1):
        col = col * 26 + ch - 64
    where = (int(ref.group(2)), col - 1)
    if buf[end - 1:end] == b"/":
        return where, None  # <c r="A1" t="e"/>: no value
    close = buf.find(b"</c>", end)
    value = _CELL_VALUE.search(buf, end, close) if close != -1 else None
    return where, (html.unescape(value.group(1).decode("utf-8", "replace")) if value else None)


def _column(cells: tuple) -> np.ndarray:
    """Return one column of calamine's cells as openpyxl's cells, cleaned (:func:`~planner.data.sheet.clean_cell`).

    Whole numbers are int and dates datetime, as openpyxl gives them; text trimmed; blanks (calamine's
    empty text) None. A column of text or of numbers alone is cleaned in one sweep: a million-row sheet's
    cells go through here.
    """
    kinds = set(map(type, cells))
    if kinds <= {str}:
        return np.array([v.strip() or None for v in cells] + [None], dtype=object)[:-1]
    if kinds <= {float}:
        a = np.fromiter(cells, dtype=float, count=len(cells))
        out = a.astype(object)
        whole = (a == np.floor(a)) & (np.abs(a) < _EXACT)
        out[whole] = a[whole].astype(np.int64).astype(object)
        out[np.isnan(a)] = None
        return out
    return np.array([_cell(v) for v in cells] + [None], dtype=object)[:-1]


def _cell(v):
    """Return one of calamine's cells as openpyxl gives it (whole numbers int, dates datetime), cleaned."""
    t = type(v)
    if t is float and v.is_integer() and -_EXACT < v < _EXACT:
        v = int(v)
    elif t is _dt.date:
        v = _dt.datetime(v.year, v.month, v.day)
    return clean_cell(v)


_EXACT = 2.0**53  # floats beyond this are not whole numbers openpyxl would give as int


def _read_with_calamine(raw: bytes, fname: str, only: Sequence[str] | None, zf: zipfile.ZipFile,
                        parts: dict[str, str]) -> list[Sheet] | None:
    """Read every worksheet with calamine; None where a sheet holds error cells (openpyxl reads them all then)."""
    try:
        from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum  # noqa: PLC0415
    except ImportError:  # pragma: no cover - a dependency; openpyxl reads every workbook too
        return None
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        metas = [m for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet
                 and (only is None or m.name in only)]
    except Exception:  # calamine raises its own types for files it cannot read: openpyxl says what is wrong
        return None
    errors = {m.name: _error_cells(zf, parts.get(m.name)) for m in metas}
    if any(e is None for e in errors.values()):
        return None
    sheets: list[Sheet] = []
    total = cells = 0
    try:
        for meta in metas:
            ws = wb.get_sheet_by_name(meta.name)
            check_rows(ws.height)
            where = f'The sheet "{meta.name}" of "{fname}" has' if not cells else f'The workbook "{fname}" has'
            grid = ws.to_python(skip_empty_area=False)  # from A1, as openpyxl counts
            for (r, c), text in errors[meta.name].items():  # calamine reads error cells as blank
                if r > len(grid) or c >= len(grid[r - 1]):
                    return None
                grid[r - 1][c] = "" if text is None else text
            cells += len(grid) * (len(grid[0]) if grid else 0)
            check_cells(cells, where)
            width = len(grid[0]) if grid else 0  # calamine's rows are all as wide
            cols = [_column(tuple(map(itemgetter(j), grid))) for j in range(width)]  # by column, as a Sheet holds them
            blank = np.ones(len(grid), dtype=bool)
            for c in cols:
                blank &= np.equal(c, None)
            while cols and not (~np.equal(cols[-1], None)).any():
                cols.pop()  # trailing blank columns: a Sheet is as wide as its widest row
            keep = np.flatnonzero(~blank)
            total += len(keep)
            check_rows(total)
            merges = tuple((a[0] + 1, a[1], b[0] + 1, b[1]) for a, b in (ws.merged_cell_ranges or ())
                           if b[0] > a[0])[:MAX_MERGES]  # as read_merges gives them
            sheets.append(Sheet(meta.name, (keep + 1).astype(np.int64), [c[keep] for c in cols],
                                hidden=meta.visible != SheetVisibleEnum.Visible,
                                very_hidden=meta.visible == SheetVisibleEnum.VeryHidden,
                                merges=merges if len(keep) else (), formulas=_formula_reader(raw, meta.name)))
    except DataError:
        raise
    except Exception:  # a sheet calamine cannot read: openpyxl says what is wrong
        return None
    finally:
        wb.close()
    if not sheets:
        return None
    return sheets


def _read_sheets(raw: bytes, fname: str, max_rows: int | None, only: Sequence[str] | None, zf: zipfile.ZipFile,
                 parts: dict[str, str]) -> list[Sheet]:
    """Read the worksheets with openpyxl (read-only), counting rows and cells, with each sheet's merged ranges."""
    import openpyxl  # noqa: PLC0415 - heavy import only when needed

    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except DataError:
        raise
    except Exception:  # openpyxl raises many types for damaged files
        raise DataError(f'The workbook "{fname}" is damaged and cannot be opened; save it again from Excel.') from None
    sheets: list[Sheet] = []
    try:
        total = cells = 0
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows") or (only is not None and ws.title not in only):
                continue  # a chart sheet, or one not asked for
            try:
                if ws.max_row:
                    check_rows(ws.max_row)
            except (TypeError, AttributeError):
                pass
            ws.reset_dimensions()  # a wrong stored dimension must not hide rows
            rows: list[tuple[int, list[Cell]]] = []
            where = f'The sheet "{ws.title}" of "{fname}" has' if not cells else f'The workbook "{fname}" has'
            try:
                for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    cells += len(values)
                    check_cells(cells, where)
                    row = trim_cells(values)
                    if row:
                        rows.append((i, row))
                        total += 1
                        check_rows(total)
                        if max_rows is not None and len(rows) >= max_rows:
                            break
            except DataError:
                raise
            except Exception:
                raise DataError(f'The sheet "{ws.title}" of "{fname}" is damaged and cannot be read.') from None
            state = getattr(ws, "sheet_state", "visible")
            merges = read_merges(zf, parts[ws.title]) if rows and ws.title in parts else ()
            sheets.append(sheet_from_rows(ws.title, rows, hidden=state != "visible", very_hidden=state == "veryHidden",
                                          merges=merges, formulas=_formula_reader(raw, ws.title)))
    finally:
        wb.close()
    if not sheets:
        raise DataError(f'The workbook "{fname}" has no worksheets.')
    return sheets


def _formula_reader(raw: bytes, title: str):
    """Return a function that reads the formulas of given cells (to explain blank computed cells)."""

    def read(wanted: set[tuple[int, int]]) -> dict[tuple[int, int], str]:
        import openpyxl  # noqa: PLC0415

        if not wanted:
            return {}
        out: dict[tuple[int, int], str] = {}
        last = max(r for r, _ in wanted)
        try:
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
            try:
                ws = wb[title]
                ws.reset_dimensions()
                for i, values in enumerate(ws.iter_rows(values_only=True, max_row=last), start=1):
                    for j, v in enumerate(values):
                        if (i, j) in wanted and isinstance(v, str) and v.startswith("="):
                            out[(i, j)] = v
            finally:
                wb.close()
        except Exception:  # a second look is best effort only
            return out
        return out

    return read


def read_xls(raw: bytes, fname: str, max_rows: int | None = None, only: Sequence[str] | None = None) -> list[Sheet]:
    """Return the worksheets of an xls workbook's bytes; ``max_rows`` and ``only`` as in read_sheets.

    Parameters
    ----------
    raw : bytes
        The workbook's bytes (an OLE file).
    fname : str
        The file name, for messages.
    max_rows : int or None, default None
        Stop each sheet after this many non-blank rows; None reads all.
    only : sequence of str or None, default None
        Read only the worksheets of these names; None reads all.

    Returns
    -------
    list of Sheet
        The worksheets in workbook order, each with ``hidden`` and ``very_hidden`` set (no
        ``formulas`` or ``merges``).

    Raises
    ------
    DataError
        When the workbook is password-protected, damaged or not an Excel file, the rows
        are over the limit, or no worksheet is read.
    """
    import xlrd  # noqa: PLC0415

    try:
        book = xlrd.open_workbook(file_contents=raw, on_demand=True)
    except Exception as exc:  # xlrd.XLRDError and friends
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise DataError(f'The workbook "{fname}" is password-protected; save a copy without a password and load that.') from None
        raise DataError(f'The workbook "{fname}" is damaged or not an Excel file and cannot be opened.') from None
    sheets: list[Sheet] = []
    try:
        total = 0
        for idx in range(book.nsheets):
            try:
                sh = book.sheet_by_index(idx)
            except Exception:
                raise DataError(f'A sheet of "{fname}" is damaged and cannot be read.') from None
            if only is not None and sh.name not in only:
                book.unload_sheet(idx)
                continue
            check_rows(sh.nrows)
            rows: list[tuple[int, list[Cell]]] = []
            for r in range(sh.nrows):
                if max_rows is not None and len(rows) >= max_rows:
                    break
                cells: list[Cell] = []
                for t, v in zip(sh.row_types(r), sh.row_values(r), strict=False):
                    if t == xlrd.XL_CELL_DATE:
                        try:
                            v = xlrd.xldate.xldate_as_datetime(v, book.datemode)
                        except Exception:
                            pass
                    elif t == xlrd.XL_CELL_ERROR:
                        v = xlrd.error_text_from_code.get(v, "#ERROR")
                    elif t == xlrd.XL_CELL_BOOLEAN:
                        v = bool(v)
                    elif t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        v = None
                    cells.append(v)
                cells = trim_cells(cells)
                if cells:
                    rows.append((r + 1, cells))
                    total += 1
                    check_rows(total)
            visibility = getattr(sh, "visibility", 0)  # 1 hidden, 2 very hidden
            sheets.append(sheet_from_rows(sh.name, rows, hidden=visibility != 0, very_hidden=visibility == 2))
            book.unload_sheet(idx)
    finally:
        book.release_resources()
    if not sheets:
        raise DataError(f'The workbook "{fname}" has no worksheets.')
    return sheets
