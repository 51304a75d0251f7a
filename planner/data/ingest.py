"""Import a spreadsheet (xlsx, xls, csv, tsv) into a :class:`~planner.data.dataset.Dataset`.

    from planner.data.ingest import load, DataError
    ds = load("creator_campaigns.xlsx")                 # or load(bytes, name="x.csv")
    ds = load(path, sheet="Weekly", mapping={"Fee paid": "spend"}, decimal=",")

What it does
    - reads the file (xlsx/xlsm with openpyxl read-only, xls with xlrd, csv/tsv/txt with
      the delimiter sniffed and UTF-8 with or without BOM, UTF-16, or Windows-1252);
    - picks the data sheet (the one whose headers map best; sheets named like
      "Roster" or "Notes" only when nothing else fits) and the header row below any
      title rows; a header of two rows (a merged band such as "Spend" over
      "Instagram | TikTok") is read as one ("Spend Instagram");
    - maps headers to fields (:mod:`planner.data.headers`), reads numbers and dates as
      people type them (:mod:`planner.data.values`), deciding locale per column (or as the
      user says: ``decimal=","``);
    - long tables (a row per date x network [x creator]) with an outcome per row
      become kind ``"attributed"``; wide tables (a row per period, a spend column per
      channel, one outcome column) become kind ``"total"``;
    - a creator's cost beyond the fee, where the table has it (product sent, usage
      rights, commission on sales), is counted: spend includes product and usage
      costs, the outcome is net of commission;
    - lists every input row that is not imported in ``skipped`` with the reason
      (totals and subtotal rows, notes, repeated headers, rows with errors).

Errors
    A file that cannot be read at all (empty, damaged, password-protected, over
    200 MB or 2,000,000 rows, unknown sheet, a mapping naming a missing column)
    raises :class:`DataError` (a ``ValueError``) whose message is one sentence.
    Everything else is reported as :class:`~planner.data.dataset.Issue` objects in the
    returned Dataset: ``ds.has_errors`` tells whether it can be used.

Speed
    Tables are held by column (object arrays) and every column is read once per
    distinct value, so a 1,000,000-row CSV export imports in seconds (see
    ``python -m planner.bench.imports``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import hashlib
import io
import itertools
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.data.dataset import OPTIONAL_COLUMNS, DataError, Dataset, Issue
from planner.data.headers import (
    ColumnPlan,
    MappedField,
    match_field,
    normalize_header,
    normalize_network,
    parse_mapping_field,
    plan_columns,
)
from planner.data.values import (
    Problem,
    decimal_votes,
    is_missing,
    looks_like_date,
    looks_like_number,
    parse_dates,
    parse_numbers,
)

__all__ = ["load", "read_sheets", "creator_handle", "Sheet", "DataError", "MAX_BYTES", "MAX_ROWS"]

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000
_ROW_SLACK = 50  # title, header and totals rows allowed over MAX_ROWS
_ISSUES_PER_KIND = 20  # per column and kind of problem; the rest are counted in one issue
_HEADER_SEARCH_ROWS = 30
_FAST_CSV_CHARS = 1_000_000  # CSV text from this size is parsed by pandas' C reader

Cell = Any  # None, str, int, float, bool, datetime


@dataclass
class Sheet:
    """The non-blank rows of one sheet, held by column.

    ``rownums[k]`` is the spreadsheet row number of the k-th non-blank row and
    ``cols[j][k]`` its cell in column j (None, str, int, float, bool or datetime;
    text trimmed, empty text None).
    """

    name: str
    rownums: np.ndarray
    cols: list[np.ndarray]
    decimal_hint: str | None = None
    hidden: bool = False
    formulas: Any = None  # callable(cells) -> {(row, col): formula} for xlsx, else None
    is_csv: bool = False
    factors: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.rownums)

    @property
    def width(self) -> int:
        return len(self.cols)

    def row(self, k: int) -> list[Cell]:
        """The cells of the k-th row, trailing blanks removed."""
        cells = [c[k] for c in self.cols]
        while cells and cells[-1] is None:
            cells.pop()
        return cells

    def head(self, n: int) -> list[tuple[int, list[Cell]]]:
        return [(int(self.rownums[k]), self.row(k)) for k in range(min(n, len(self)))]

    def factor(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Column j as ``(codes, distinct cells)``; code -1 is a blank cell."""
        if j not in self.factors:
            codes, uniq = pd.factorize(self.cols[j], use_na_sentinel=True)
            self.factors[j] = (codes.astype(np.int64, copy=False), np.asarray(uniq, dtype=object))
        return self.factors[j]


def _sheet_from_rows(name: str, rows: list[tuple[int, list[Cell]]], **kw) -> Sheet:
    n = len(rows)
    rownums = np.fromiter((r for r, _ in rows), dtype=np.int64, count=n)
    cols = [np.fromiter(col, dtype=object, count=n)
            for col in itertools.zip_longest(*(c for _, c in rows), fillvalue=None)] if n else []
    return Sheet(name, rownums, cols, **kw)


# ====================================================================== reading files


def _read_source(source: Any, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        if len(raw) > MAX_BYTES:
            raise _too_big(len(raw))
        return raw, name or "upload"
    if hasattr(source, "read") or hasattr(source, "getvalue"):
        fname = name or Path(str(getattr(source, "name", "upload"))).name
        raw = source.getvalue() if hasattr(source, "getvalue") else source.read()
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        if len(raw) > MAX_BYTES:
            raise _too_big(len(raw))
        return bytes(raw), fname
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise DataError(f'The file "{path}" does not exist.')
        if path.is_dir():
            raise DataError(f'"{path}" is a folder, not a file.')
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(size)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise DataError(f'The file "{path.name}" could not be opened ({exc.strerror or exc}).') from None
        return raw, name or path.name
    raise DataError("The data must be a file path or the bytes of a file.")


def _too_big(size: int) -> DataError:
    return DataError(f"The file is {size / 1024 / 1024:,.1f} MB, over the {MAX_BYTES / 1024 / 1024:,.0f} MB limit; "
                     "split it or remove columns that are not needed.")


def _too_many_rows() -> DataError:
    return DataError(f"The file has more than {MAX_ROWS:,} rows, over the limit; "
                     "split it into smaller files, for example one per year.")


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def read_sheets(source: Any, name: str | None = None, max_rows: int | None = None,
                only: Sequence[str] | None = None) -> tuple[str, list[Sheet]]:
    """Every sheet of a file, as read before any table is looked for: ``(file name, sheets)``.

    For readers of other tables in the same workbooks (a creator roster).  In a
    workbook, ``max_rows`` stops each sheet after that many non-blank rows (enough to
    find a header) and ``only`` reads just the sheets named.  Raises
    :class:`DataError` like :func:`load` for files that cannot be read.
    """
    raw, fname = _read_source(source, name)
    return fname, _read_sheets(raw, fname, max_rows, only)


def _read_sheets(raw: bytes, fname: str, max_rows: int | None = None,
                 only: Sequence[str] | None = None) -> list[Sheet]:
    if not raw or not raw.strip():
        raise DataError(f'The file "{fname}" is empty.')
    ext = Path(fname).suffix.lower()
    if raw[:4] == b"PK\x03\x04":
        return _read_xlsx(raw, fname, max_rows, only)
    if raw[:8] == _OLE_MAGIC:
        if _ENCRYPTED in raw:
            raise DataError(f'The workbook "{fname}" is password-protected; save a copy without a password and load that.')
        return _read_xls(raw, fname, max_rows, only)
    if ext in (".xlsx", ".xlsm", ".xltx", ".xls") and b"\x00" in raw[:2048] and raw[:2] not in (b"\xff\xfe", b"\xfe\xff"):
        raise DataError(f'The file "{fname}" is not a readable Excel workbook; it may be damaged. '
                        "Open it in Excel and save it again as .xlsx.")
    if ext == ".ods":
        raise DataError("OpenDocument spreadsheets (.ods) are not supported; save the file as .xlsx or .csv.")
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        raise DataError(f'The file "{fname}" is a web page or XML document, not a spreadsheet; '
                        "save it as .xlsx or .csv.")
    return [_read_csv(raw, fname)]


def _clean_cell(v: Any) -> Cell:
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


def _trim(cells: Sequence[Any]) -> list[Cell]:
    out = [_clean_cell(v) for v in cells]
    while out and out[-1] is None:
        out.pop()
    return out


def _read_xlsx(raw: bytes, fname: str, max_rows: int | None = None, only: Sequence[str] | None = None) -> list[Sheet]:
    import openpyxl  # noqa: PLC0415 - heavy import only when needed

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DataError(f'The workbook "{fname}" is damaged and cannot be opened; save it again from Excel.') from None
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "content.xml" in names:
            raise DataError("OpenDocument spreadsheets (.ods) are not supported; save the file as .xlsx or .csv.")
        raise DataError(f'The file "{fname}" is a zip archive, not an Excel workbook.')
    try:
        wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except DataError:
        raise
    except Exception:  # openpyxl raises many types for damaged files
        raise DataError(f'The workbook "{fname}" is damaged and cannot be opened; save it again from Excel.') from None
    sheets: list[Sheet] = []
    try:
        total = 0
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows") or (only is not None and ws.title not in only):
                continue  # a chart sheet, or one not asked for
            try:
                if ws.max_row and ws.max_row > MAX_ROWS + _ROW_SLACK:
                    raise _too_many_rows()
            except (TypeError, AttributeError):
                pass
            ws.reset_dimensions()  # a wrong stored dimension must not hide rows
            rows: list[tuple[int, list[Cell]]] = []
            try:
                for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                    cells = _trim(values)
                    if cells:
                        rows.append((i, cells))
                        total += 1
                        if total > MAX_ROWS + _ROW_SLACK:
                            raise _too_many_rows()
                        if max_rows is not None and len(rows) >= max_rows:
                            break
            except DataError:
                raise
            except Exception:
                raise DataError(f'The sheet "{ws.title}" of "{fname}" is damaged and cannot be read.') from None
            hidden = getattr(ws, "sheet_state", "visible") != "visible"
            sheets.append(_sheet_from_rows(ws.title, rows, hidden=hidden, formulas=_formula_reader(raw, ws.title)))
    finally:
        wb.close()
    if not sheets:
        raise DataError(f'The workbook "{fname}" has no worksheets.')
    return sheets


def _formula_reader(raw: bytes, title: str):
    """A function returning the formulas of given cells (to explain blank computed cells)."""

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


def _read_xls(raw: bytes, fname: str, max_rows: int | None = None, only: Sequence[str] | None = None) -> list[Sheet]:
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
            if sh.nrows > MAX_ROWS + _ROW_SLACK:
                raise _too_many_rows()
            rows: list[tuple[int, list[Cell]]] = []
            for r in range(sh.nrows):
                if max_rows is not None and len(rows) >= max_rows:
                    break
                cells: list[Cell] = []
                for c, (t, v) in enumerate(zip(sh.row_types(r), sh.row_values(r))):
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
                cells = _trim(cells)
                if cells:
                    rows.append((r + 1, cells))
                    total += 1
                    if total > MAX_ROWS + _ROW_SLACK:
                        raise _too_many_rows()
            sheets.append(_sheet_from_rows(sh.name, rows, hidden=getattr(sh, "visibility", 0) != 0))
            book.unload_sheet(idx)
    finally:
        book.release_resources()
    if not sheets:
        raise DataError(f'The workbook "{fname}" has no worksheets.')
    return sheets


def _decode(raw: bytes, fname: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    sample = raw[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        enc = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        text = raw.decode(enc, errors="replace")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
    if "\x00" in text[:65536]:
        raise DataError(f'The file "{fname}" is not a spreadsheet or a text (CSV) file that can be read.')
    return text


_DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(text: str) -> str:
    """The delimiter (``, ; tab |``) that splits the first lines most consistently."""
    lines = [ln for ln in text[:1_000_000].splitlines()[:300] if ln.strip()]
    sample = "\n".join(lines)
    best, best_score = ",", None
    for d in _DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=d) if any(x.strip() for x in r)]
        except csv.Error:
            continue
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        freq = Counter(multi)
        modal = max(freq, key=lambda c: (freq[c], c))
        first = counts.index(modal)
        tail = counts[first:]
        consistent = sum(1 for c in tail if c == modal) / len(tail)
        score = (consistent >= 0.8, freq[modal], modal)
        if best_score is None or score > best_score:
            best, best_score = d, score
    return best


def _read_csv(raw: bytes, fname: str) -> Sheet:
    text = _decode(raw, fname)
    ext = Path(fname).suffix.lower()
    delim = "\t" if ext == ".tsv" else sniff_delimiter(text)
    hint = "," if delim == ";" else None
    if len(text) >= _FAST_CSV_CHARS:
        sheet = _read_csv_fast(text, fname, delim, hint)
        if sheet is not None:
            return sheet
    rows: list[tuple[int, list[Cell]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        for i, rec in enumerate(reader, start=1):
            cells = _trim(rec)
            if cells:
                rows.append((i, cells))
                if len(rows) > MAX_ROWS + _ROW_SLACK:
                    raise _too_many_rows()
    except csv.Error as exc:
        raise DataError(f'The file "{fname}" is not a well-formed CSV file ({exc}).') from None
    return _sheet_from_rows(fname, rows, decimal_hint=hint, is_csv=True)


def _read_csv_fast(text: str, fname: str, delim: str, hint: str | None) -> Sheet | None:
    """A big CSV text read by pandas' C parser, cleaned once per distinct cell.

    Gives the same sheet as the csv module; returns None (and the caller uses the
    csv module) when a row is wider than the first rows or the text does not parse.
    """
    try:
        first = list(itertools.islice(csv.reader(io.StringIO(text[:_FAST_CSV_CHARS], newline=""),
                                                 delimiter=delim), 5000))
    except csv.Error:
        return None
    width = max((len(r) for r in first), default=0)
    if width == 0:
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delim, header=None, names=list(range(width)), dtype=object,
                            na_filter=False, keep_default_na=False, skip_blank_lines=False, engine="c",
                            quotechar='"', doublequote=True, escapechar=None, index_col=False)
    except Exception:  # a wider row, a stray quote: let the csv module say what it makes of it
        return None
    if len(frame) > MAX_ROWS + _ROW_SLACK:
        raise _too_many_rows()
    n = len(frame)
    cols: list[np.ndarray] = []
    factors: list[tuple[np.ndarray, np.ndarray]] = []
    filled = np.zeros(n, dtype=bool)
    for j in range(width):
        codes, uniq = pd.factorize(frame[j].to_numpy(dtype=object), use_na_sentinel=True)
        clean = np.array([_clean_cell(u) for u in uniq] + [None], dtype=object)  # code -1 -> the last: None
        blank = np.fromiter((c is None for c in clean), dtype=bool, count=len(clean))
        codes = np.where(blank[codes], -1, codes).astype(np.int64)
        filled |= codes >= 0
        cols.append(clean[codes])
        factors.append((codes, clean[:-1]))
    del frame
    keep = np.flatnonzero(filled)
    sheet = Sheet(fname, keep.astype(np.int64) + 1, [c[keep] for c in cols], decimal_hint=hint, is_csv=True)
    for j, (codes, uniq) in enumerate(factors):
        sheet.factors[j] = (codes[keep], uniq)
    return sheet


# ====================================================================== header and sheet


_TOTAL_RE = re.compile(
    r"^\s*(?:grand[\s-]*total|sub[\s-]*total|totals?|sum|summe|gesamt(?:summe)?|zwischensumme|"
    r"total g[ée]n[ée]ral|totaal|totale|overall)\b", re.I)
_TOTAL_END_RE = re.compile(r"\b(?:sub[\s-]*total|totals?|summe|gesamt)\s*:?\s*$", re.I)
_TOTAL_WORDS = frozenset({"all", "all networks", "all channels", "all creators", "alle", "tous"})
_SIDE_SHEETS = re.compile(
    r"roster|notes?|read\s*me|info|about|instructions?|settings|lookup|lists?|config|help|legend|"
    r"sources?|glossary|dictionary|summary|overview|dashboard|chart|pivot|plan", re.I)


def _column_letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _header_names(cells: Sequence[Cell], width: int) -> list[str]:
    names: list[str] = []
    seen: Counter = Counter()
    for j in range(width):
        v = cells[j] if j < len(cells) else None
        if isinstance(v, (_dt.datetime, _dt.date)):
            text = v.strftime("%Y-%m-%d")
        elif isinstance(v, float) and v.is_integer():
            text = str(int(v))
        else:
            text = "" if v is None else " ".join(str(v).split())
        if not text:
            text = f"Column {_column_letter(j)}"
        seen[text] += 1
        if seen[text] > 1:
            text = f"{text} ({seen[text]})"
        names.append(text)
    return names


@dataclass
class _Choice:
    sheet: Sheet
    pos: int  # index of the header row (the lower one of a two-row header) in the sheet
    headers: list[str]
    plan: ColumnPlan
    score: float
    band_row: int | None = None  # spreadsheet row of the upper row of a two-row header


def _texts(cells: Sequence[Cell]) -> tuple[list[Cell], list[Cell]]:
    filled = [c for c in cells if c is not None]
    texts = [c for c in filled if isinstance(c, str) and not looks_like_number(c) and not looks_like_date(c)]
    return filled, texts


def _two_row_names(upper: Sequence[Cell], lower: Sequence[Cell], width: int) -> list[str] | None:
    """One header from a band row over a row of sub-headers ("Spend" over "Instagram | TikTok").

    A band cell with a sub-header below it carries over the blank cells to its right
    (a merged cell reads as its first cell and blanks); a cell with nothing below it
    stands alone (merged downwards).  A sub-header that names a field on its own
    ("Fee" under "Paid") keeps its own name when the joined one names nothing and
    no other sub-header has the same text.  None when the upper row is not such a band.
    """
    lows = Counter(" ".join(str(x).split()).lower() for x in lower if x is not None)
    names: list[str] = []
    band = None
    carried = False
    for j in range(width):
        u = upper[j] if j < len(upper) else None
        lo = lower[j] if j < len(lower) else None
        if u is not None:
            band = u if lo is not None else None
            top = u
        elif lo is not None and band is not None:
            top, carried = band, True
        else:
            top = None
            band = None if lo is None else band
        parts = [" ".join(str(x).split()) for x in (top, lo) if x is not None]
        name = " ".join(parts)
        if (top is not None and lo is not None and match_field(name) is None and match_field(lo) is not None
                and lows[" ".join(str(lo).split()).lower()] == 1):
            name = parts[1]
        names.append(name)
    return names if carried else None


def _find_header(sheet: Sheet, mapping: Mapping[str, MappedField]) -> _Choice | None:
    best: _Choice | None = None
    fallback: _Choice | None = None
    head = sheet.head(max(200, _HEADER_SEARCH_ROWS + 1))
    width = max((len(c) for _, c in head), default=0)
    for pos, (_, cells) in enumerate(head[:_HEADER_SEARCH_ROWS]):
        filled, texts = _texts(cells)
        if len(filled) < 2:
            continue
        if len(texts) < max(2, 0.6 * len(filled)):
            continue
        headers = _header_names(cells, max(width, len(cells)))
        plan = plan_columns(headers, mapping, strict=False)
        score = plan.score + len(texts) / 100
        cand = _Choice(sheet, pos, headers, plan, score)
        if fallback is None:
            fallback = cand
        if plan.score > 0 and (best is None or score > best.score):
            best = cand
        if pos + 1 < len(head) and len(texts) == len(filled):  # a band of merged cells over sub-headers
            below = head[pos + 1][1]
            b_filled, b_texts = _texts(below)
            if len(b_filled) >= 2 and len(b_texts) == len(b_filled):
                names = _two_row_names(cells, below, max(width, len(cells), len(below)))
                if names is not None:
                    headers2 = _header_names(names, len(names))
                    plan2 = plan_columns(headers2, mapping, strict=False)
                    score2 = plan2.score + (len(texts) + len(b_texts)) / 100
                    alone = plan_columns(_header_names(below, len(names)), mapping, strict=False).score
                    if plan2.score > max(plan.score, alone, best.plan.score if best else 0):
                        best = _Choice(sheet, pos + 1, headers2, plan2, score2, band_row=head[pos][0])
    return best or fallback


def _choose(sheets: list[Sheet], sheet: Any, mapping: Mapping[str, MappedField], fname: str) -> _Choice:
    if sheets[0].is_csv and sheet not in (None, "", 0, fname):
        raise DataError(f'"{fname}" is a CSV file: it has one table and no sheets, so leave the sheet out.')
    if sheet is not None and str(sheet) != "" and not sheets[0].is_csv:
        pick = None
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if 0 <= sheet < len(sheets):
                pick = sheets[sheet]
        else:
            for sh in sheets:
                if sh.name == str(sheet):
                    pick = sh
            if pick is None:
                for sh in sheets:
                    if sh.name.strip().lower() == str(sheet).strip().lower():
                        pick = sh
        if pick is None:
            names = ", ".join(f'"{s.name}"' for s in sheets)
            raise DataError(f'There is no sheet "{sheet}" in "{fname}"; its sheets are {names}.')
        choice = _find_header(pick, mapping)
        if choice is None:
            raise DataError(f'The sheet "{pick.name}" has no table: no row has a header with two or more columns.')
        return choice
    choices = []
    for order, sh in enumerate(sheets):
        c = _find_header(sh, mapping)
        if c is None:
            continue
        data_rows = len(sh) - c.pos - 1
        bonus = min(data_rows, 1000) / 1000 - order / 1000
        if data_rows <= 0:
            bonus -= 50
        if _SIDE_SHEETS.search(sh.name) and len(sheets) > 1:
            bonus -= 40
        if sh.hidden:
            bonus -= 30
        c.score = c.plan.score + bonus
        choices.append(c)
    if not choices:
        if not any(len(sh) for sh in sheets):
            raise DataError(f'The file "{fname}" has no data: every sheet is empty.')
        raise DataError(f'No table was found in "{fname}": no row looks like a header with two or more columns.')
    return max(choices, key=lambda c: c.score)


# ====================================================================== building the dataset


class _Log:
    """Collects issues; after a few of one kind in one column, only counts them."""

    def __init__(self, sheet: str):
        self.sheet = sheet
        self.items: list[Issue] = []
        self.counts: Counter = Counter()

    def add(self, severity: str, row: int | None, column: str | None, value: Any, message: str,
            kind: str | None = None) -> None:
        key = (severity, column, kind or message)
        self.counts[key] += 1
        if self.counts[key] <= _ISSUES_PER_KIND:
            shown = None if value is None else str(value)
            self.items.append(Issue(severity, self.sheet, None if row is None else int(row), column, shown, message))

    def bump(self, severity: str, column: str | None, kind: str, n: int) -> None:
        """Count ``n`` more issues of a kind without listing them."""
        self.counts[(severity, column, kind)] += n

    def issues(self) -> tuple[Issue, ...]:
        extra = []
        for (severity, column, kind), n in self.counts.items():
            if n > _ISSUES_PER_KIND:
                where = f' in column "{column}"' if column else ""
                extra.append(Issue(severity, self.sheet, None, column, None,
                                   f"{n - _ISSUES_PER_KIND:,} more rows{where} have the same problem as above ({kind})."))
        return tuple(self.items) + tuple(extra)


class _Events:
    """Issues found on many rows at once, logged in row order.

    Only the first few rows of each kind get an Issue built (``make``); the rest are
    counted, so a column of a million bad cells costs no more than one of twenty.
    """

    def __init__(self) -> None:
        self.items: list[tuple] = []
        self.extra: Counter = Counter()

    def add(self, positions: np.ndarray, severity: str, column: str | None, kind: str,
            make: Callable[[int], tuple[int, Any, str]]) -> None:
        positions = np.asarray(positions, dtype=np.int64)
        for p in positions[:_ISSUES_PER_KIND]:
            row, value, message = make(int(p))
            self.items.append((int(p), len(self.items), severity, row, column, value, message, kind))
        if len(positions) > _ISSUES_PER_KIND:
            self.extra[(severity, column, kind)] += len(positions) - _ISSUES_PER_KIND

    def flush(self, log: _Log) -> None:
        for _, _, severity, row, column, value, message, kind in sorted(self.items, key=lambda t: (t[0], t[1])):
            log.add(severity, row, column, value, message, kind=kind)
        for (severity, column, kind), n in self.extra.items():
            log.bump(severity, column, kind, n)
        self.items, self.extra = [], Counter()


def _fmt(x: float) -> str:
    return f"{x:,.2f}" if abs(x) < 1e15 else f"{x:.4g}"


def _shown(v: Cell) -> str | None:
    """A cell as the user wrote it, for Issue.value."""
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.strftime("%Y-%m-%d")
    return str(v)


def creator_handle(value: Cell) -> str:
    """A creator's handle as the planner writes it: ``"@name"`` (from ``name``, ``@name`` or a
    profile link); ``""`` for a blank cell or a paid-media marker such as ``"Paid media"``."""
    if is_missing(value):
        return ""
    s = " ".join(str(value).split())
    m = re.match(r"^(?:https?://)?(?:www\.|m\.)?(?:instagram|tiktok|youtube|twitter|x|pinterest|facebook)\.com/"
                 r"(?:c/|channel/|user/)?@?([^/?#\s]+)", s, re.I)
    if m:
        s = m.group(1)
    if s.lower() in ("paid", "paid media", "(paid media)", "ads", "paid ads", "none"):
        return ""
    return s if s.startswith("@") else "@" + s


def _is_total_label(text: str) -> bool:
    return bool(_TOTAL_RE.match(text) or _TOTAL_END_RE.search(text) or text.strip().lower() in _TOTAL_WORDS)


def _total_cell(c: Cell) -> str | None:
    return c if isinstance(c, str) and _is_total_label(c) and not looks_like_number(c) else None


@dataclass
class _Meta:
    """What every Dataset of one import carries besides its rows."""

    fname: str
    fingerprint: str
    mapping_pairs: list
    header_row: int
    decimal: str | None
    columns: tuple[str, ...]
    sheets: tuple[str, ...]


@dataclass
class _Work:
    """The rows of one table on their way into a Dataset: positions into the sheet."""

    choice: _Choice
    log: _Log
    idx: np.ndarray
    skipped: list = field(default_factory=list)  # (row numbers, reason or reasons)

    @property
    def sheet(self) -> Sheet:
        return self.choice.sheet

    @property
    def n(self) -> int:
        return len(self.idx)

    @property
    def rownums(self) -> np.ndarray:
        return self.sheet.rownums[self.idx]

    def factor(self, j: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Column j of these rows as ``(codes, distinct cells)``; code -1 is blank."""
        if j is None or j >= self.sheet.width:
            return np.full(self.n, -1, dtype=np.int64), np.empty(0, dtype=object)
        codes, uniq = self.sheet.factor(j)
        return codes[self.idx], uniq

    def cell(self, k: int, j: int | None) -> Cell:
        if j is None or j >= self.sheet.width:
            return None
        return self.sheet.cols[j][self.idx[k]]

    def cells(self, k: int) -> list[Cell]:
        return self.sheet.row(int(self.idx[k]))

    def per_value(self, j: int | None, fn: Callable[[Cell], Any], blank: Any = None,
                  dtype: Any = object) -> np.ndarray:
        """``fn`` of each row's cell in column j, computed once per distinct cell."""
        codes, uniq = self.factor(j)
        out = np.full(len(uniq) + 1, blank, dtype=dtype)  # code -1 reads the last: blank
        present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(uniq)))
        for k in present:
            out[k] = fn(uniq[k])
        return out[codes]

    def value_codes(self, j: int | None, fn: Callable[[Cell], Any], blank: Any = None) -> np.ndarray:
        """Integer codes of ``fn`` of each row's cell in column j: equal codes, equal results."""
        codes, uniq = self.factor(j)
        present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(uniq)))
        results = [blank] * (len(uniq) + 1)
        for k in present:
            results[k] = fn(uniq[k])
        ids = pd.factorize(pd.Series(results, dtype=object))[0]
        return ids[codes]

    def skip(self, row: int, reason: str) -> None:
        self.skipped.append((np.array([row], dtype=np.int64), reason))

    def skip_rows(self, positions: np.ndarray, reasons: Any) -> None:
        positions = np.asarray(positions, dtype=np.int64)
        if len(positions):
            self.skipped.append((self.rownums[positions], reasons))

    def keep(self, mask: np.ndarray) -> None:
        self.idx = self.idx[mask]


def _empty_frames(layout: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    if layout == "wide":
        rows = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "network": pd.Series(dtype=object),
                             "spend": pd.Series(dtype=float), "row": pd.Series(dtype=int)})
        out = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "outcome": pd.Series(dtype=float),
                            "row": pd.Series(dtype=int)})
        return rows, out
    rows = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "network": pd.Series(dtype=object),
                         "entity": pd.Series(dtype=object), "spend": pd.Series(dtype=float),
                         "outcome": pd.Series(dtype=float), "row": pd.Series(dtype=int)})
    return rows, None


def load(source: Any, name: str | None = None, sheet: str | int | None = None,
         mapping: Mapping[str, str] | None = None, decimal: str | None = None) -> Dataset:
    """Import a spreadsheet into a Dataset.

    Parameters
    ----------
    source : path (str or Path), bytes, or a file-like object (e.g. an upload)
    name : the file name when ``source`` is bytes (its extension helps: ``.tsv``)
    sheet : sheet name or 0-based index; None picks the sheet whose headers fit best
    mapping : ``{source column: field}`` overriding header detection, e.g.
        ``{"Fee paid": "spend", "Date": "date:dmy", "x1": "spend:TV", "Notes": "ignore"}``
    decimal : the decimal mark of every number column, ``"."`` or ``","``; None
        decides per column from its values (and says so when it had to assume)

    Returns
    -------
    Dataset
        With every problem as an Issue; ``has_errors`` says whether it can be used.

    Raises
    ------
    DataError
        When the file cannot be read at all (one sentence for the user).
    """
    if decimal is not None and str(decimal).strip() not in ("", ".", ","):
        raise DataError(f'The decimal mark must be "." or ",", not "{decimal}".')
    decimal = str(decimal).strip() or None if decimal is not None else None
    raw, fname = _read_source(source, name)
    user_map = {str(k): parse_mapping_field(v) for k, v in (mapping or {}).items()}
    sheets = _read_sheets(raw, fname)
    choice = _choose(sheets, sheet, user_map, fname)
    plan = plan_columns(choice.headers, user_map, strict=True)  # raises for unknown mapped columns
    choice.plan = plan
    digest = hashlib.sha256(raw)
    digest.update(f"\x00{choice.sheet.name}\x00{sorted((k, repr(v)) for k, v in user_map.items())}"
                  f"\x00{decimal}".encode())
    return _build(choice, fname, digest.hexdigest(), decimal, tuple(s.name for s in sheets))


def _skip_repeated_headers(work: _Work, header_cells: list[Cell]) -> None:
    filled = [(j, c) for j, c in enumerate(header_cells) if c is not None]
    j0, c0 = filled[0]
    first_raw = str(c0).lower()
    header_key = [normalize_header(c) for _, c in filled]
    same = work.per_value(j0, lambda u: isinstance(u, str) and u.lower() == first_raw
                          and normalize_header(u) == header_key[0], False, bool)
    drop = np.zeros(work.n, dtype=bool)
    for k in np.flatnonzero(same):
        cells = work.cells(int(k))
        first = next((c for c in cells if c is not None), None)
        if (isinstance(first, str) and first.lower() == first_raw and normalize_header(first) == header_key[0]
                and [normalize_header(c) for c in cells if c is not None] == header_key):
            drop[k] = True
    work.skip_rows(np.flatnonzero(drop), "repeats the header row")
    work.keep(~drop)


def _build(choice: _Choice, fname: str, fingerprint: str, decimal: str | None, sheet_names: tuple[str, ...]) -> Dataset:
    sheet, plan, headers = choice.sheet, choice.plan, choice.headers
    log = _Log(sheet.name)
    header_row = int(sheet.rownums[choice.pos])
    work = _Work(choice, log, np.arange(choice.pos + 1, len(sheet), dtype=np.int64))
    _skip_repeated_headers(work, sheet.row(choice.pos))

    order = {True: "date:dmy", False: "date:mdy"}.get(plan.dayfirst, "date")  # a day/month order the user gave
    mapping_pairs = ([(headers[j], order if f == "date" else f) for f, j in plan.fields.items()]
                     + [(headers[j], f"spend:{n}") for j, n in plan.channels]
                     + [(headers[j], f"outcome:{n}") for j, n in plan.outcome_channels])
    mapping_pairs.sort(key=lambda p: headers.index(p[0]))
    meta = _Meta(fname, fingerprint, mapping_pairs, header_row, decimal, tuple(headers), sheet_names)
    if choice.band_row is not None:
        log.add("warning", header_row, None, None,
                f"The header spans rows {choice.band_row} and {header_row}; their texts were joined, e.g. "
                f'"{next((h for h in headers if " " in h), headers[0])}".')
    for text, about in plan.notes:
        log.add("warning", header_row, about, None, text)

    layout = plan.layout
    problems = []
    if not work.n:
        problems.append(("rows", "The table has a header but no data rows below it."))
    if layout == "unknown":
        problems.append(("spend", 'No spend column was found (such as "Spend", "Cost", "Amount spent", "Fee paid", '
                                  'or one column per channel such as "Instagram spend"); name one with --map "COLUMN=spend".'))
    if "date" not in plan.fields:
        problems.append(("date", 'No date column was found (such as "Date", "Week" or "Day"); '
                                 'name one with --map "COLUMN=date".'))
    if layout == "long" and "network" not in plan.fields and plan.network_guess is None:
        problems.append(("network", 'No network column was found (such as "Network", "Platform" or "Channel"); '
                                    'add one, or name it with --map "COLUMN=network".'))
    has_outcome = ("outcome" in plan.fields or ("orders" in plan.fields and "outcome_per_order" in plan.fields)
                   or bool(plan.outcome_channels))
    if layout != "unknown" and not has_outcome:
        if "orders" in plan.fields:
            col = headers[plan.fields["orders"]]
            problems.append(("outcome", f'There is no revenue or sales column, only "{col}" (a count), so returns in '
                                        f'money cannot be measured; add a revenue column, or plan for {col.lower()} '
                                        f'with --map "{col}=outcome".'))
        else:
            problems.append(("outcome", 'There is spend but no outcome column (such as "Revenue", "Sales", '
                                        '"Promo-code revenue" or "Purchases conversion value"), so returns cannot '
                                        'be measured; add one, or name it with --map "COLUMN=outcome".'))
    if problems:
        for _, text in problems:
            log.add("error", header_row, None, None, text)
        short = problems[0][1].split(";")[0].split(" (")[0]
        labels = _total_labels(work, np.arange(work.n))
        reasons = np.array([f'a totals row ("{lab}")' if lab is not None else f"not imported: {short[0].lower() + short[1:]}"
                            for lab in labels], dtype=object)
        work.skip_rows(np.arange(work.n), reasons)
        rows, outcome = _empty_frames(layout)
        kind = "total" if layout == "wide" else "attributed"
        return _dataset(kind, rows, outcome, log, work, meta)

    if plan.network_guess is not None and "network" not in plan.fields and layout == "long":
        net, why = plan.network_guess
        log.add("warning", header_row, None, None,
                f'There is no network column; every row was taken as {net} because {why}. '
                'If that is wrong, add a network column or name one with --map "COLUMN=network".')
    if layout == "wide" and plan.outcome_channels:
        return _build_wide_attributed(work, meta)
    if layout == "wide":
        return _build_wide(work, meta)
    return _build_long(work, meta)


def _dataset(kind, rows, outcome, log, work: _Work, meta: _Meta) -> Dataset:
    if work.skipped:
        nums = np.concatenate([r for r, _ in work.skipped]).astype(int)
        why = np.concatenate([np.full(len(r), w, dtype=object) if isinstance(w, str) else np.asarray(w, dtype=object)
                              for r, w in work.skipped])
    else:
        nums, why = np.empty(0, dtype=int), np.empty(0, dtype=object)
    skipped = pd.DataFrame({"sheet": pd.Series([log.sheet] * len(nums), dtype=object),
                            "row": nums, "reason": pd.Series(why, dtype=object)})
    if len(skipped):
        skipped = skipped.sort_values("row", kind="stable").reset_index(drop=True)
    skipped["row"] = skipped["row"].astype(int)
    return Dataset(kind, rows.reset_index(drop=True), None if outcome is None else outcome.reset_index(drop=True),
                   log.issues(), skipped, meta.fname, log.sheet, meta.fingerprint, tuple(meta.mapping_pairs),
                   meta.columns, meta.sheets)


# ---------------------------------------------------------------------- reading columns


@dataclass
class _Num:
    """A column read as numbers, one entry per row of the work."""

    values: np.ndarray  # float; NaN where blank or unreadable
    blank: np.ndarray  # bool
    bad: np.ndarray  # index into ``problems``, -1 where readable or blank
    problems: list[Problem]  # one per distinct unreadable cell
    notes: tuple[str, ...]
    percent: bool


_DECIMAL_ADVICE = (' If that is wrong, say which mark the file uses: --decimal "," (a decimal comma) or '
                   '--decimal "." (a decimal point).')


def _numbers(work: _Work, j: int, hint: str | None, decimal: str | None = None) -> _Num:
    codes, uniq = work.factor(j)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
    present = np.flatnonzero(counts)
    col = parse_numbers(uniq[present].tolist(), decimal=decimal, hint=hint, weights=counts[present])
    k = len(uniq)
    values = np.full(k + 1, np.nan)
    values[present] = col.values
    blank = np.zeros(k + 1, dtype=bool)
    blank[-1] = True
    blank[present[np.asarray(col.missing, dtype=np.int64)]] = True
    bad = np.full(k + 1, -1, dtype=np.int64)
    for b, p in enumerate(col.problems):
        bad[present[p.index]] = b
    notes = tuple(note + _DECIMAL_ADVICE if not col.decided and note.startswith("Numbers such as") else note
                  for note in col.notes)
    return _Num(values[codes], blank[codes], bad[codes], list(col.problems), notes, col.percent)


@dataclass
class _Dates:
    values: np.ndarray  # datetime64[ns]; NaT where blank or unreadable
    bad: np.ndarray  # index into ``problems`` or -1
    problems: list[Problem]


def _table_decimal(work: _Work, positions: Sequence[int]) -> str | None:
    dots = commas = 0
    for j in positions:
        codes, uniq = work.factor(j)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
        present = np.flatnonzero(counts)
        d, c, _ = decimal_votes(uniq[present].tolist(), counts[present])
        dots += d > 0
        commas += c > 0
    if dots != commas:
        return "." if dots > commas else ","
    return work.choice.sheet.decimal_hint


def _total_labels(work: _Work, positions: np.ndarray) -> np.ndarray:
    """For each row at ``positions``: the first cell that labels it a totals row, or None."""
    out = np.full(len(positions), None, dtype=object)
    for j in range(work.sheet.width):
        codes, uniq = work.factor(j)
        sub = codes[positions]
        lab = np.full(len(uniq) + 1, None, dtype=object)
        for k in np.unique(sub[sub >= 0]):
            lab[k] = _total_cell(uniq[k])
        vals = lab[sub]
        fill = np.equal(out, None) & ~np.equal(vals, None)
        out[fill] = vals[fill]
    return out


def _date_step(work: _Work, decimal: str | None) -> _Dates:
    """Parse the date column; skip totals and note rows that have no usable date.

    Returns the dates of the rows left in ``work`` (NaT where blank or unreadable,
    with the Problem in ``bad``).  Ambiguous ``01/02/2024`` dates are assumed day
    first in a table whose numbers use a decimal comma (a European file), else
    month first.
    """
    plan, headers, log = work.choice.plan, work.choice.headers, work.log
    header_row = int(work.sheet.rownums[work.choice.pos])
    j = plan.fields["date"]
    column = headers[j]
    codes, uniq = work.factor(j)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
    present = np.flatnonzero(counts)
    parsed = parse_dates(uniq[present].tolist(), dayfirst=plan.dayfirst, hint=True if decimal == "," else None,
                         weights=counts[present])
    for note in parsed.notes:
        log.add("warning", header_row, column, None,
                note + (' If that is wrong, say so with --map "' + column + '=date:dmy" (day first) or "'
                        + column + '=date:mdy" (month first).' if not parsed.decided else ""))
    k = len(uniq)
    values = np.full(k + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
    values[present] = parsed.values
    bad = np.full(k + 1, -1, dtype=np.int64)
    for b, p in enumerate(parsed.problems):
        bad[present[p.index]] = b
    values, bad = values[codes], bad[codes]

    notok = np.flatnonzero(np.isnat(values))
    drop = np.zeros(work.n, dtype=bool)
    if len(notok):
        labels = _total_labels(work, notok)
        is_label = ~np.equal(labels, None)
        work.skip_rows(notok[is_label], np.array([f'a totals row ("{lab}")' for lab in labels[is_label]], dtype=object))
        drop[notok[is_label]] = True
        rest = notok[~is_label]
        if len(rest) and len(headers) >= 3:
            n_filled = np.zeros(len(rest), dtype=np.int64)
            for jj in range(work.sheet.width):
                n_filled += work.factor(jj)[0][rest] >= 0
            notes, why = [], []
            for p in rest[n_filled == 1]:
                text = next(c for c in work.cells(int(p)) if c is not None)
                if isinstance(text, str) and not looks_like_number(text):
                    notes.append(p)
                    why.append(f'a note, not data (only one cell is filled: "{text[:60]}")')
            work.skip_rows(np.array(notes, dtype=np.int64), np.array(why, dtype=object))
            drop[np.array(notes, dtype=np.int64)] = True
    work.keep(~drop)
    return _Dates(values[~drop], bad[~drop], list(parsed.problems))


def _formula_cells(work: _Work, blanks: dict[int, np.ndarray]) -> dict[tuple[int, int], str]:
    """Formulas (without saved values) of blank cells: {column: positions} -> {(row, column): formula}."""
    reader = work.sheet.formulas
    if reader is None:
        return {}
    rownums = work.rownums
    wanted = {(int(rownums[p]), j) for j, pos in blanks.items() for p in pos}
    return reader(wanted) if wanted else {}


class _Sums:
    """Running spend totals of the usable rows, to recognise unlabelled totals rows."""

    def __init__(self, k: int):
        self.all = [0.0] * k
        self.since = [0.0] * k

    def add(self, values: Sequence[float]) -> None:
        for k, v in enumerate(values):
            if v == v:  # not NaN
                self.all[k] += v
                self.since[k] += v

    def is_sum(self, values: Sequence[float]) -> bool:
        have = [(k, v) for k, v in enumerate(values) if v == v]
        if not have or all(v == 0 for _, v in have):
            return False
        for above in (self.since, self.all):
            if all(abs(v - above[k]) <= max(0.011, 1e-6 * abs(above[k])) for k, v in have):
                self.since = [0.0] * len(self.since)
                return True
        return False


def _close(v: float, total: float) -> bool:
    return abs(v - total) <= max(0.011, 1e-6 * abs(total))


def _outliers(values: np.ndarray, groups: Sequence[str]) -> list[tuple[int, float]]:
    """Positions of values far above the rest of their group: over 10x its median and
    over 3x every other value of the group."""
    out = []
    frame = pd.DataFrame({"v": values, "g": pd.Series(groups, dtype=object)})
    frame = frame[(frame["v"] > 0) & frame["v"].notna()]
    sizes = frame.groupby("g", sort=False)["v"].transform("size")
    frame = frame[sizes >= 8]
    for _, sub in frame.groupby("g", sort=False):
        vals = sub["v"].to_numpy()
        order = np.argsort(vals)
        top, second = vals[order[-1]], vals[order[-2]]
        med = float(np.median(vals))
        if top > 10 * med and top > 3 * second:
            out.append((int(sub.index[order[-1]]), med))
    return sorted(out)


_PERIOD_UNITS = ((1.5, "day", "days"), (8, "week", "weeks"), (15, "fortnight", "fortnights"),
                 (32, "month", "months"), (95, "quarter", "quarters"), (370, "year", "years"))


def _check_dates_in_order(log: _Log, dates: np.ndarray, rows: np.ndarray, column: str) -> None:
    """Warn about dates earlier than one above them, and about periods missing between dates."""
    if len(dates) < 3:
        return
    days = dates.astype("datetime64[D]").astype(np.int64)
    running = np.maximum.accumulate(days)
    back = np.flatnonzero(days[1:] < running[:-1]) + 1
    if len(back):
        at_max = {int(d): int(r) for d, r in zip(days[::-1], rows[::-1])}  # first row of each date
        ev = _Events()
        ev.add(back, "warning", column, "date order",
               lambda p: (int(rows[p]), str(dates[p].astype("datetime64[D]")),
                          f"This date comes after {np.datetime64(int(running[p - 1]), 'D')} "
                          f"(row {at_max[int(running[p - 1])]}) although it is earlier; the rows were put in date order."))
        ev.flush(log)
    uniq, first = np.unique(days, return_index=True)
    if len(uniq) < 3:
        return
    gaps = np.diff(uniq)
    step = float(np.median(gaps))
    if step <= 0:
        return
    one, many = next(((a, b) for lim, a, b in _PERIOD_UNITS if step <= lim), ("period", "periods"))
    big = np.flatnonzero(gaps > 1.5 * step)
    ev = _Events()

    def gap(b: int) -> tuple[int, str, str]:
        missing = max(int(round(gaps[b] / step)) - 1, 1)
        a, z = np.datetime64(int(uniq[b]), "D"), np.datetime64(int(uniq[b + 1]), "D")
        return (int(rows[first[b + 1]]), str(z),
                f"{missing} {one if missing == 1 else many} between {a} (row {int(rows[first[b]])}) and {z} "
                f"{'is' if missing == 1 else 'are'} missing from the table; add {'it' if missing == 1 else 'them'} "
                "if you have the figures, as spend and sales then are otherwise unknown.")

    ev.add(big, "warning", column, "missing periods", gap)
    ev.flush(log)


# ---------------------------------------------------------------------- long tables


_RATE_WORDS = re.compile(r"%|\brate\b|\bpct\b|percent|\bin %", re.I)


def _build_long(work: _Work, meta: _Meta) -> Dataset:
    choice, log = work.choice, work.log
    plan, headers = choice.plan, choice.headers
    f = plan.fields
    header_row = meta.header_row
    numeric = [fld for fld in ("spend", "outcome", "orders", "outcome_per_order", "followers", "posts", "reach",
                               "engagements", "clicks", "product_cost", "usage_rights", "commission") if fld in f]
    hint = meta.decimal or _table_decimal(work, [f[fld] for fld in numeric])
    dates = _date_step(work, hint)

    cols = {fld: _numbers(work, f[fld], hint, meta.decimal) for fld in numeric}
    for fld, col in cols.items():
        for note in col.notes:
            log.add("warning", header_row, headers[f[fld]], None, note)

    n = work.n
    rownums = work.rownums
    spend = cols["spend"].values.copy()
    derived = "outcome" not in f
    if derived:
        outcome = cols["orders"].values * cols["outcome_per_order"].values
        log.add("warning", header_row, headers[f["orders"]], None,
                f'There is no revenue column; revenue was computed as "{headers[f["orders"]]}" x '
                f'"{headers[f["outcome_per_order"]]}" on every row.')
    else:
        outcome = cols["outcome"].values.copy()
    ocol_j = f.get("outcome", f.get("orders"))
    ocol = headers[ocol_j]

    # formulas without saved values look blank; say so instead of reading them as 0
    blank_pos = {f[fld]: np.flatnonzero(cols[fld].blank) for fld in ("spend", "outcome") if fld in cols}
    formulas = _formula_cells(work, blank_pos)

    def has_formula(j: int) -> np.ndarray:
        if not formulas:
            return np.zeros(n, dtype=bool)
        return np.fromiter(((int(r), j) in formulas for r in rownums), dtype=bool, count=n)

    net_j, ent_j = f.get("network"), f.get("entity")
    if net_j is None:
        guess = plan.network_guess[0] if plan.network_guess else ""
        networks = np.full(n, normalize_network(guess), dtype=object)
        no_net = np.zeros(n, dtype=bool)
    else:
        networks = work.per_value(net_j, lambda u: "" if is_missing(u) else normalize_network(str(u)), "")
        no_net = work.per_value(net_j, is_missing, True, bool)
    is_total = lambda u: u if isinstance(u, str) and _is_total_label(u) else None  # noqa: E731
    label = work.per_value(net_j, is_total) if net_j is not None else np.full(n, None, dtype=object)
    if ent_j is not None:
        ent_label = work.per_value(ent_j, is_total)
        label = np.where(np.equal(label, None), ent_label, label)

    ev = _Events()
    reason = np.full(n, None, dtype=object)
    ok = np.equal(label, None)
    lab_pos = np.flatnonzero(~ok)
    reason[lab_pos] = [f'skip:a totals row ("{lab}")' for lab in label[lab_pos]]
    dateless = ok & np.isnat(dates.values)
    live = ok & ~dateless

    if net_j is not None:
        p = np.flatnonzero(live & no_net)
        ev.add(p, "error", headers[net_j], "no network",
               lambda q: (rownums[q], None, "This row has no network, so it was left out."))
        reason[p] = "no network"
        live[p] = False
    for fld in ("spend", "outcome") if not derived else ("spend", "orders", "outcome_per_order"):
        j, col = f[fld], cols[fld]
        p = np.flatnonzero(live & (col.bad >= 0))
        ev.add(p, "error", headers[j], "not a number",
               lambda q, col=col: (rownums[q], col.problems[col.bad[q]].value,
                                   f"{col.problems[col.bad[q]].message}, so this row was left out."))
        reason[p] = f'"{headers[j]}" is not a number'
        live[p] = False

    blank_first: dict[str, tuple[int, int]] = {}  # field -> (first row, count)
    s_blank = live & np.isnan(spend)
    s_formula = s_blank & has_formula(f["spend"])
    p = np.flatnonzero(s_formula)
    ev.add(p, "error", headers[f["spend"]], "formula without value",
           lambda q: (rownums[q], formulas.get((int(rownums[q]), f["spend"])),
                      "This cell holds a formula whose result was never saved in the file (it was written by a "
                      "program that does not calculate); open the file in Excel and save it, then load it again."))
    reason[p] = "the spend is a formula without a saved value"
    live &= ~s_formula
    s_zero = np.flatnonzero(s_blank & ~s_formula)
    spend[s_zero] = 0.0
    if len(s_zero):
        blank_first["spend"] = (int(rownums[s_zero[0]]), len(s_zero))
    p = np.flatnonzero(live & (spend < 0))
    ev.add(p, "error", headers[f["spend"]], "negative spend",
           lambda q: (rownums[q], _shown(work.cell(q, f["spend"])),
                      f"Spend cannot be negative ({_fmt(spend[q])}), so this row was left out."))
    reason[p] = "negative spend"
    live[p] = False

    o_blank = live & np.isnan(outcome)
    o_formula = o_blank & has_formula(ocol_j)
    p = np.flatnonzero(o_formula)
    ev.add(p, "error", ocol, "formula without value",
           lambda q: (rownums[q], formulas.get((int(rownums[q]), ocol_j)),
                      "This cell holds a formula whose result was never saved in the file; open the file in "
                      "Excel and save it, then load it again."))
    reason[p] = "the outcome is a formula without a saved value"
    live &= ~o_formula
    o_zero = np.flatnonzero(o_blank & ~o_formula)
    outcome[o_zero] = 0.0
    if len(o_zero):
        blank_first["outcome"] = (int(rownums[o_zero[0]]), len(o_zero))
    p = np.flatnonzero(live & (outcome < 0))
    ev.add(p, "warning", ocol, "negative outcome",
           lambda q: (rownums[q], _shown(work.cell(q, ocol_j)),
                      f"The outcome is negative ({_fmt(outcome[q])}); it was kept (refunds?)."))

    # rows without a date: a sum of the usable rows above (a totals row without a label), or an error
    good = live
    prefix = np.concatenate([[0.0], np.cumsum(np.where(good, spend, 0.0))])
    since = 0
    sums, errs = [], []
    for q in np.flatnonzero(dateless):
        v = spend[q]
        if v == v and v != 0 and (_close(v, prefix[q] - prefix[since]) or _close(v, prefix[q])):
            sums.append(q)
            since = q
        else:
            errs.append(q)
    reason[np.array(sums, dtype=np.int64)] = "skip:the sum of the rows above (a totals row without a label)"
    dcol = headers[f["date"]]
    errs = np.array(errs, dtype=np.int64)
    no_date = errs[dates.bad[errs] < 0]
    unreadable = errs[dates.bad[errs] >= 0]
    ev.add(no_date, "error", dcol, "no date", lambda q: (rownums[q], None, "This row has no date, so it was left out."))
    ev.add(unreadable, "error", dcol, "unreadable date",
           lambda q: (rownums[q], dates.problems[dates.bad[q]].value,
                      f"{dates.problems[dates.bad[q]].message}, so this row was left out."))
    reason[no_date] = "no date"
    reason[unreadable] = "the date could not be read"
    ev.flush(log)

    for fld, (first, cnt) in sorted(blank_first.items(), key=lambda kv: kv[1][0]):
        col = headers[f[fld]] if fld in f else headers[f["orders"]]
        log.add("warning", first, col, None,
                f"{cnt:,} blank cell{'s' if cnt > 1 else ''} in this column {'were' if cnt > 1 else 'was'} "
                f"read as 0 (the first at row {first}).")
    # optional numeric columns: unreadable cells are warnings only
    for fld in ("followers", "posts", "reach", "engagements", "clicks", "orders",
                "product_cost", "usage_rights", "commission"):
        if fld in cols and not (derived and fld == "orders"):
            col = cols[fld]
            what = "it was counted as 0" if fld in ("product_cost", "usage_rights", "commission") else "it was left empty"
            ev.add(np.flatnonzero(good & (col.bad >= 0)), "warning", headers[f[fld]], "not a number (optional)",
                   lambda q, col=col, what=what: (rownums[q], col.problems[col.bad[q]].value,
                                                  f"{col.problems[col.bad[q]].message}; {what}."))
            ev.flush(log)

    spend, outcome, costs = _creator_costs(work, cols, spend, outcome, header_row)

    bad_rows = np.flatnonzero(~good)
    why = reason[bad_rows]
    why = np.array(["an error in this row" if w is None else w for w in why], dtype=object)
    skip_prefix = np.char.startswith(why.astype(str), "skip:") if len(why) else np.zeros(0, dtype=bool)
    work.skip_rows(bad_rows, np.where(skip_prefix, [w[5:] for w in why], [f"left out: {w}" for w in why]))

    keep = np.flatnonzero(good)
    entity = work.per_value(ent_j, creator_handle, "") if ent_j is not None else np.full(n, "", dtype=object)
    frame = pd.DataFrame({
        "date": pd.Series(dates.values[keep], dtype="datetime64[ns]"),
        "network": pd.Series(networks[keep], dtype=object),
        "entity": pd.Series(entity[keep], dtype=object),
        "spend": spend[keep],
        "outcome": outcome[keep],
    })
    for fld in OPTIONAL_COLUMNS:
        if fld == "campaign" and "campaign" in f:
            text = work.per_value(f["campaign"], lambda u: "" if is_missing(u) else str(u), "")
            frame["campaign"] = pd.Series(text[keep], dtype=object)
        elif fld in costs:
            frame[fld] = costs[fld][keep]
        elif fld in cols:
            frame[fld] = cols[fld].values[keep]
    frame["row"] = rownums[keep].astype(int)

    _check_duplicates_long(work, frame, keep)
    # a creator against their own campaigns, a network's paid media against its own rows
    who = pd.MultiIndex.from_arrays([frame["network"].to_numpy(), frame["entity"].to_numpy()]).codes
    who = who[0].astype(np.int64) * (int(who[1].max(initial=0)) + 1) + who[1]
    for pos, med in _outliers(frame["spend"].to_numpy(), who):
        r = frame.iloc[pos]
        log.add("warning", int(r["row"]), headers[f["spend"]], _fmt(r["spend"]),
                f"Spend of {_fmt(r['spend'])} is far above the usual spend of {_whose(r)} "
                f"(median {_fmt(med)}); check it for a typing error.", kind="outlier")
    for pos, med in _outliers(frame["outcome"].to_numpy(), who):
        r = frame.iloc[pos]
        log.add("warning", int(r["row"]), ocol, _fmt(r["outcome"]),
                f"An outcome of {_fmt(r['outcome'])} is far above the usual of {_whose(r)} "
                f"(median {_fmt(med)}); check it for a typing error.", kind="outlier")

    # An outcome repeated on every row of a date is a total per date, not per row.
    if _outcome_is_total(frame):
        log.add("warning", header_row, ocol, None,
                f'"{ocol}" has the same value on every row of a date, so it was read as the total of that date '
                "(a marketing-mix table), not as the outcome of each row.")
        rows = frame[["date", "network", "spend", "row"]].copy()
        out = frame.groupby("date", sort=True).agg(outcome=("outcome", "first"), row=("row", "min")).reset_index()
        _check_dates_in_order(log, out["date"].to_numpy(), out["row"].to_numpy(), headers[f["date"]])
        return _dataset("total", rows, out, log, work, meta)
    return _dataset("attributed", frame, None, log, work, meta)


def _creator_costs(work: _Work, cols: dict[str, _Num], spend: np.ndarray, outcome: np.ndarray,
                   header_row: int) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Count a creator's cost beyond the fee: product sent and usage rights add to spend;
    commission on sales (a rate, or an amount of money) comes off the outcome."""
    headers, f = work.choice.headers, work.choice.plan.fields
    costs: dict[str, np.ndarray] = {}
    added = []
    for fld in ("product_cost", "usage_rights"):
        if fld in cols:
            v = np.nan_to_num(cols[fld].values, nan=0.0)
            costs[fld] = v
            spend = spend + v
            added.append(f'"{headers[f[fld]]}"')
    text = []
    if added:
        text.append(f'spend is "{headers[f["spend"]]}" plus {" and ".join(added)}')
    if "commission" in cols:
        col = cols["commission"]
        head = headers[f["commission"]]
        v = np.nan_to_num(col.values, nan=0.0)
        if col.percent or _RATE_WORDS.search(head) or (len(v) and np.all(np.abs(v) <= 1.0) and np.any(v != 0)):
            rate = np.where(np.abs(v) > 1.0, v / 100.0, v)  # "12" in a percent column is 12 %
            amount = rate * outcome
            text.append(f'the outcome is net of "{head}" (a share of sales)')
        else:
            amount = v
            text.append(f'the outcome is net of "{head}" (money paid)')
        costs["commission"] = amount
        outcome = outcome - amount
    if text:
        work.log.add("warning", header_row, None, None,
                     "A creator's cost is more than the fee: " + "; ".join(text)
                     + ", so every return computed from this table is net of these costs.")
    return spend, outcome, costs


def _whose(r) -> str:
    return f"{r['entity']} on {r['network']}" if r["entity"] else f"{r['network']} paid media"


def _outcome_is_total(frame: pd.DataFrame) -> bool:
    if frame.empty or (frame["entity"] != "").any():
        return False
    g = frame.groupby("date")
    multi = g["network"].nunique()
    multi = multi[multi > 1]
    if len(multi) < 3:
        return False
    sub = frame[frame["date"].isin(multi.index)]
    same = sub.groupby("date")["outcome"].nunique() == 1
    return bool(same.all()) and float(sub["outcome"].abs().sum()) > 0


def _text_columns(work: _Work, keep: np.ndarray, positions: Sequence[int]) -> list[int]:
    out = []
    first = keep[:50]
    for j in positions:
        vals = [v for v in (work.cell(int(k), j) for k in first) if v is not None]
        if vals and sum(isinstance(v, str) and not looks_like_number(v) for v in vals) > len(vals) / 2:
            out.append(j)
    return out


def _check_duplicates_long(work: _Work, frame: pd.DataFrame, keep: np.ndarray) -> None:
    if frame.empty:
        return
    choice = work.choice
    used = set(choice.plan.fields.values())
    others = _text_columns(work, keep, [j for j in range(len(choice.headers)) if j not in used])
    extra_cols = others + ([choice.plan.fields["campaign"]] if "campaign" in choice.plan.fields else [])
    f = choice.plan.fields
    keys = pd.DataFrame({"date": frame["date"].to_numpy().astype(np.int64)})
    if "network" in f:
        keys["network"] = work.value_codes(f["network"], lambda u: "" if is_missing(u) else normalize_network(str(u)),
                                           "")[keep]
    if "entity" in f:
        keys["entity"] = work.value_codes(f["entity"], creator_handle, "")[keep]
    for j in extra_cols:
        keys[f"c{j}"] = work.value_codes(j, str, "None")[keep]
    involved = keys.duplicated(keep=False).to_numpy()
    if not involved.any():
        return
    later = keys.duplicated(keep="first").to_numpy()
    rownums = frame["row"].to_numpy()
    entities = frame["entity"].to_numpy()
    first_row: dict = {}
    ev = _Events()
    dup_pos = []
    for pos, key in zip(np.flatnonzero(involved), map(tuple, keys[involved].itertuples(index=False))):
        if later[pos]:
            dup_pos.append((pos, first_row[key]))
        else:
            first_row[key] = int(rownums[pos])
    ev.add(np.array([p for p, _ in dup_pos], dtype=np.int64), "warning", None, "duplicate row",
           lambda q, firsts=dict(dup_pos): (
               int(rownums[q]), None,
               f"Same date, {'creator' if entities[q] else 'network'} and details as row {firsts[q]}; "
               "both rows were kept and count twice."))
    ev.flush(work.log)


# ---------------------------------------------------------------------- wide tables


def _build_wide(work: _Work, meta: _Meta) -> Dataset:
    choice, log = work.choice, work.log
    plan, headers = choice.plan, choice.headers
    f = plan.fields
    header_row = meta.header_row
    chan = list(plan.channels)
    out_fields = ["outcome"] if "outcome" in f else ["orders", "outcome_per_order"]
    hint = meta.decimal or _table_decimal(work, [j for j, _ in chan] + [f[x] for x in out_fields])
    dates = _date_step(work, hint)
    ch_cols = [(j, net, _numbers(work, j, hint, meta.decimal)) for j, net in chan]
    o_cols = {x: _numbers(work, f[x], hint, meta.decimal) for x in out_fields}
    for j, _, col in ch_cols:
        for note in col.notes:
            log.add("warning", header_row, headers[j], None, note)
    for x, col in o_cols.items():
        for note in col.notes:
            log.add("warning", header_row, headers[f[x]], None, note)
    if "outcome" in f:
        outcome = o_cols["outcome"].values.copy()
    else:
        outcome = o_cols["orders"].values * o_cols["outcome_per_order"].values
        log.add("warning", header_row, headers[f["orders"]], None,
                f'There is no revenue column; revenue was computed as "{headers[f["orders"]]}" x '
                f'"{headers[f["outcome_per_order"]]}" for every row.')
    spend_vals = [col.values.copy() for _, _, col in ch_cols]
    blanks = {j: np.flatnonzero(col.blank) for j, _, col in ch_cols}
    blanks.update({f[x]: np.flatnonzero(col.blank) for x, col in o_cols.items()})
    formulas = _formula_cells(work, blanks)

    n = work.n
    rownums = work.rownums
    ok = np.ones(n, dtype=bool)
    reasons: dict[int, str] = {}
    blank_count: Counter = Counter()
    blank_first: dict[int, int] = {}
    sums = _Sums(len(ch_cols))
    dcol = headers[f["date"]]
    ocol = f.get("outcome", f.get("orders"))
    for i in range(n):
        rownum = int(rownums[i])
        if np.isnat(dates.values[i]):
            if sums.is_sum([v[i] for v in spend_vals]):
                ok[i] = False
                reasons[i] = "skip:the sum of the rows above (a totals row without a label)"
                continue
            if dates.bad[i] < 0:
                log.add("error", rownum, dcol, None, "This row has no date, so it was left out.", kind="no date")
                reasons[i] = "no date"
            else:
                p = dates.problems[dates.bad[i]]
                log.add("error", rownum, dcol, p.value, f"{p.message}, so this row was left out.", kind="unreadable date")
                reasons[i] = "the date could not be read"
            ok[i] = False
            continue
        for k, (j, net, col) in enumerate(ch_cols):
            v = spend_vals[k][i]
            if col.bad[i] >= 0:
                p = col.problems[col.bad[i]]
                log.add("error", rownum, headers[j], p.value, f"{p.message}, so this row was left out.", kind="not a number")
                reasons.setdefault(i, f'"{headers[j]}" is not a number')
                ok[i] = False
            elif np.isnan(v):
                if (rownum, j) in formulas:
                    log.add("error", rownum, headers[j], formulas[(rownum, j)],
                            "This cell holds a formula whose result was never saved in the file; open the file in "
                            "Excel and save it, then load it again.", kind="formula without value")
                    reasons.setdefault(i, "a formula without a saved value")
                    ok[i] = False
                else:
                    spend_vals[k][i] = 0.0
                    blank_count[j] += 1
                    blank_first.setdefault(j, rownum)
            elif v < 0:
                log.add("error", rownum, headers[j], _shown(work.cell(i, j)),
                        f"Spend cannot be negative ({_fmt(v)}), so this row was left out.", kind="negative spend")
                reasons.setdefault(i, "negative spend")
                ok[i] = False
        obad = next(((x, col.problems[col.bad[i]]) for x, col in o_cols.items() if col.bad[i] >= 0), None)
        if obad is not None:
            x, p = obad
            log.add("error", rownum, headers[f[x]], p.value, f"{p.message}, so this row was left out.", kind="not a number")
            reasons.setdefault(i, f'"{headers[f[x]]}" is not a number')
            ok[i] = False
        elif ok[i] and np.isnan(outcome[i]):
            if (rownum, ocol) in formulas:
                log.add("error", rownum, headers[ocol], formulas[(rownum, ocol)],
                        "This cell holds a formula whose result was never saved in the file; open the file in "
                        "Excel and save it, then load it again.", kind="formula without value")
                reasons[i] = "a formula without a saved value"
            else:
                log.add("warning", rownum, headers[ocol], None,
                        "This period has no outcome, so it was left out.", kind="no outcome")
                reasons[i] = "no outcome for this period"
            ok[i] = False
        elif ok[i] and outcome[i] < 0:
            log.add("warning", rownum, headers[ocol], _shown(work.cell(i, ocol)),
                    f"The outcome is negative ({_fmt(outcome[i])}); it was kept.", kind="negative outcome")
        if ok[i]:
            sums.add([v[i] for v in spend_vals])
    for j, cnt in blank_count.items():
        log.add("warning", blank_first[j], headers[j], None,
                f"{cnt:,} blank cell{'s' if cnt > 1 else ''} in this column {'were' if cnt > 1 else 'was'} "
                f"read as 0 (the first at row {blank_first[j]}).")
    bad_rows = np.flatnonzero(~ok)
    why = [reasons.get(int(i), "an error in this row") for i in bad_rows]
    work.skip_rows(bad_rows, np.array([w[5:] if w.startswith("skip:") else f"left out: {w}" for w in why],
                                      dtype=object))

    keep = np.flatnonzero(ok)
    wide = pd.DataFrame({"date": pd.Series(dates.values[keep], dtype="datetime64[ns]"),
                         "row": rownums[keep].astype(int), "outcome": outcome[keep]})
    nets = [net for _, net, _ in ch_cols]
    for k, net in enumerate(nets):
        wide[f"s{k}"] = spend_vals[k][keep]

    if "geo" in f and not wide.empty:
        geos = work.per_value(f["geo"], str, "None")[keep]
        n_geo = len(pd.unique(geos))
        agg = {"row": ("row", "min"), "outcome": ("outcome", "sum")}
        agg.update({f"s{k}": (f"s{k}", "sum") for k in range(len(nets))})
        wide = wide.groupby("date", sort=True).agg(**agg).reset_index()
        log.add("warning", header_row, headers[f["geo"]], None,
                f"The table has a row per {headers[f['geo']]} ({n_geo:,} of them) and date; spend and outcome were "
                "added up over them for each date.")
        _check_dates_in_order(log, wide["date"].to_numpy(), wide["row"].to_numpy(), dcol)
    else:
        dup = wide["date"].duplicated(keep="first")
        if dup.any():
            first = {}
            for d, r, is_dup in zip(wide["date"], wide["row"], dup):
                if is_dup:
                    log.add("warning", int(r), headers[f["date"]], str(pd.Timestamp(d).date()),
                            f"The same date is on row {first[d]} too; both rows were kept.", kind="duplicate date")
                else:
                    first[d] = int(r)
        _check_dates_in_order(log, wide["date"].to_numpy(), wide["row"].to_numpy(), dcol)

    if plan.guessed and len(wide):
        top = max((float(np.nanmax(wide[f"s{k}"])) if len(wide) else 0.0) for k in range(len(nets)))
        if top <= 1.0:
            names = ", ".join(headers[j] for j, _, _ in ch_cols)
            log.add("warning", header_row, None, None,
                    f"The spend in {names} is never above 1, so it looks like a scaled index rather than money; "
                    "budgets and returns will be in the same units.")
    for k, (j, net, _) in enumerate(ch_cols):
        for pos, med in _outliers(wide[f"s{k}"].to_numpy(), [net] * len(wide)):
            r = wide.iloc[pos]
            log.add("warning", int(r["row"]), headers[j], _fmt(r[f"s{k}"]),
                    f"Spend of {_fmt(r[f's{k}'])} is far above the usual spend on {net} (median {_fmt(med)}); "
                    "check it for a typing error.", kind="outlier")
    for pos, med in _outliers(wide["outcome"].to_numpy(), ["all"] * len(wide)):
        r = wide.iloc[pos]
        log.add("warning", int(r["row"]), headers[ocol], _fmt(r["outcome"]),
                f"An outcome of {_fmt(r['outcome'])} is far above the usual (median {_fmt(med)}); "
                "check it for a typing error.", kind="outlier")

    long_parts = []
    for k, net in enumerate(nets):
        long_parts.append(pd.DataFrame({"date": wide["date"], "network": net, "spend": wide[f"s{k}"],
                                        "row": wide["row"].astype(int)}))
    rows = pd.concat(long_parts, ignore_index=True) if long_parts else _empty_frames("wide")[0]
    rows["network"] = rows["network"].astype(object)
    order = {net: k for k, net in enumerate(nets)}
    rows = rows.iloc[np.lexsort((rows["network"].map(order).to_numpy(), rows["row"].to_numpy(),
                                 rows["date"].to_numpy()))].reset_index(drop=True)
    out = wide[["date", "outcome", "row"]].sort_values(["date", "row"], kind="stable").copy()
    out["row"] = out["row"].astype(int)
    return _dataset("total", rows, out, log, work, meta)


def _build_wide_attributed(work: _Work, meta: _Meta) -> Dataset:
    """A row per period with a spend and an outcome column per channel: the outcome is
    attributed per channel, so each period x channel becomes one attributed row."""
    choice, log = work.choice, work.log
    plan, headers = choice.plan, choice.headers
    f = plan.fields
    header_row = meta.header_row
    spend_j = dict((net, j) for j, net in plan.channels)
    out_j = dict((net, j) for j, net in plan.outcome_channels)
    nets = [net for _, net in plan.channels]
    hint = meta.decimal or _table_decimal(work, list(spend_j.values()) + list(out_j.values()))
    dates = _date_step(work, hint)
    spend = {net: _numbers(work, spend_j[net], hint, meta.decimal) for net in nets}
    outcome = {net: _numbers(work, out_j[net], hint, meta.decimal) for net in nets}
    for net in nets:
        for col, j in ((spend[net], spend_j[net]), (outcome[net], out_j[net])):
            for note in col.notes:
                log.add("warning", header_row, headers[j], None, note)
    s_vals = {net: spend[net].values.copy() for net in nets}
    o_vals = {net: outcome[net].values.copy() for net in nets}
    blanks = {spend_j[net]: np.flatnonzero(spend[net].blank) for net in nets}
    blanks.update({out_j[net]: np.flatnonzero(outcome[net].blank) for net in nets})
    formulas = _formula_cells(work, blanks)

    n = work.n
    rownums = work.rownums
    dcol = headers[f["date"]]
    ok = np.ones(n, dtype=bool)
    reasons: dict[int, str] = {}
    blank_count: Counter = Counter()
    blank_first: dict[int, int] = {}
    sums = _Sums(len(nets))
    for i in range(n):
        rownum = int(rownums[i])
        if np.isnat(dates.values[i]):
            if sums.is_sum([s_vals[net][i] for net in nets]):
                ok[i] = False
                reasons[i] = "skip:the sum of the rows above (a totals row without a label)"
                continue
            if dates.bad[i] < 0:
                log.add("error", rownum, dcol, None, "This row has no date, so it was left out.", kind="no date")
                reasons[i] = "no date"
            else:
                p = dates.problems[dates.bad[i]]
                log.add("error", rownum, dcol, p.value, f"{p.message}, so this row was left out.", kind="unreadable date")
                reasons[i] = "the date could not be read"
            ok[i] = False
            continue
        for net in nets:
            for what, col, vals, j in (("spend", spend[net], s_vals[net], spend_j[net]),
                                       ("outcome", outcome[net], o_vals[net], out_j[net])):
                v = vals[i]
                if col.bad[i] >= 0:
                    p = col.problems[col.bad[i]]
                    log.add("error", rownum, headers[j], p.value, f"{p.message}, so this row was left out.",
                            kind="not a number")
                    reasons.setdefault(i, f'"{headers[j]}" is not a number')
                    ok[i] = False
                elif np.isnan(v):
                    if (rownum, j) in formulas:
                        log.add("error", rownum, headers[j], formulas[(rownum, j)],
                                "This cell holds a formula whose result was never saved in the file; open the file "
                                "in Excel and save it, then load it again.", kind="formula without value")
                        reasons.setdefault(i, "a formula without a saved value")
                        ok[i] = False
                    else:
                        vals[i] = 0.0
                        blank_count[j] += 1
                        blank_first.setdefault(j, rownum)
                elif v < 0 and what == "spend":
                    log.add("error", rownum, headers[j], _shown(work.cell(i, j)),
                            f"Spend cannot be negative ({_fmt(v)}), so this row was left out.", kind="negative spend")
                    reasons.setdefault(i, "negative spend")
                    ok[i] = False
                elif v < 0:
                    log.add("warning", rownum, headers[j], _shown(work.cell(i, j)),
                            f"The outcome is negative ({_fmt(v)}); it was kept (refunds?).", kind="negative outcome")
        if ok[i]:
            sums.add([s_vals[net][i] for net in nets])
    for j, cnt in sorted(blank_count.items(), key=lambda kv: blank_first[kv[0]]):
        log.add("warning", blank_first[j], headers[j], None,
                f"{cnt:,} blank cell{'s' if cnt > 1 else ''} in this column {'were' if cnt > 1 else 'was'} "
                f"read as 0 (the first at row {blank_first[j]}).")
    bad_rows = np.flatnonzero(~ok)
    why = [reasons.get(int(i), "an error in this row") for i in bad_rows]
    work.skip_rows(bad_rows, np.array([w[5:] if w.startswith("skip:") else f"left out: {w}" for w in why],
                                      dtype=object))
    keep = np.flatnonzero(ok)
    parts = [pd.DataFrame({"date": pd.Series(dates.values[keep], dtype="datetime64[ns]"),
                           "network": pd.Series([net] * len(keep), dtype=object),
                           "entity": pd.Series([""] * len(keep), dtype=object),
                           "spend": s_vals[net][keep], "outcome": o_vals[net][keep],
                           "row": rownums[keep].astype(int)}) for net in nets]
    frame = pd.concat(parts, ignore_index=True) if parts else _empty_frames("long")[0]
    order = {net: k for k, net in enumerate(nets)}
    frame = frame.iloc[np.lexsort((frame["network"].map(order).to_numpy(), frame["row"].to_numpy()))]
    frame = frame.reset_index(drop=True)
    first: dict = {}
    for d, r in zip(dates.values[keep], rownums[keep]):
        if d in first:
            log.add("warning", int(r), dcol, str(pd.Timestamp(d).date()),
                    f"The same date is on row {first[d]} too; both rows were kept.", kind="duplicate date")
        else:
            first[d] = int(r)
    _check_dates_in_order(log, dates.values[keep], rownums[keep], dcol)
    for net in nets:
        sub = frame.index[frame["network"] == net]
        for col, j in (("spend", spend_j[net]), ("outcome", out_j[net])):
            for pos, med in _outliers(frame.loc[sub, col].to_numpy(), [net] * len(sub)):
                r = frame.loc[sub[pos]]
                log.add("warning", int(r["row"]), headers[j], _fmt(r[col]),
                        f"{'Spend' if col == 'spend' else 'An outcome'} of {_fmt(r[col])} is far above the usual on "
                        f"{net} (median {_fmt(med)}); check it for a typing error.", kind="outlier")
    return _dataset("attributed", frame, None, log, work, meta)
