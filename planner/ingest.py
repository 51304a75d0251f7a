"""Import a spreadsheet (xlsx, xls, csv, tsv) into a :class:`~planner.dataset.Dataset`.

    from planner.ingest import load, DataError
    ds = load("creator_campaigns.xlsx")                 # or load(bytes, name="x.csv")
    ds = load(path, sheet="Weekly", mapping={"Fee paid": "spend"})

What it does
    - reads the file (xlsx/xlsm with openpyxl read-only, xls with xlrd, csv/tsv/txt with
      the delimiter sniffed and UTF-8 with or without BOM, UTF-16, or Windows-1252);
    - picks the data sheet (the one whose headers map best; sheets named like
      "Roster" or "Notes" only when nothing else fits) and the header row below any
      title rows;
    - maps headers to fields (:mod:`planner.headers`), reads numbers and dates as
      people type them (:mod:`planner.values`), deciding locale per column;
    - long tables (a row per date x network [x creator]) with an outcome per row
      become kind ``"attributed"``; wide tables (a row per period, a spend column per
      channel, one outcome column) become kind ``"total"``;
    - lists every input row that is not imported in ``skipped`` with the reason
      (totals and subtotal rows, notes, repeated headers, rows with errors).

Errors
    A file that cannot be read at all (empty, damaged, password-protected, over
    200 MB or 2,000,000 rows, unknown sheet, a mapping naming a missing column)
    raises :class:`DataError` (a ``ValueError``) whose message is one sentence.
    Everything else is reported as :class:`~planner.dataset.Issue` objects in the
    returned Dataset: ``ds.has_errors`` tells whether it can be used.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import hashlib
import io
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from planner.dataset import OPTIONAL_COLUMNS, DataError, Dataset, Issue
from planner.headers import ColumnPlan, MappedField, normalize_header, normalize_network, parse_mapping_field, plan_columns
from planner.values import (
    decimal_votes,
    is_missing,
    looks_like_date,
    looks_like_number,
    parse_dates,
    parse_numbers,
)

__all__ = ["load", "DataError", "MAX_BYTES", "MAX_ROWS"]

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000
_ROW_SLACK = 50  # title, header and totals rows allowed over MAX_ROWS
_ISSUES_PER_KIND = 20  # per column and kind of problem; the rest are counted in one issue
_HEADER_SEARCH_ROWS = 30

Cell = Any  # None, str, int, float, bool, datetime


@dataclass
class _Sheet:
    name: str
    rows: list[tuple[int, list[Cell]]]  # non-blank rows: (spreadsheet row number, cells)
    decimal_hint: str | None = None
    hidden: bool = False
    formulas: Any = None  # callable(rows) -> {(row, col): formula} for xlsx, else None
    is_csv: bool = False


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


def _read_sheets(raw: bytes, fname: str) -> list[_Sheet]:
    if not raw or not raw.strip():
        raise DataError(f'The file "{fname}" is empty.')
    ext = Path(fname).suffix.lower()
    if raw[:4] == b"PK\x03\x04":
        return _read_xlsx(raw, fname)
    if raw[:8] == _OLE_MAGIC:
        if _ENCRYPTED in raw:
            raise DataError(f'The workbook "{fname}" is password-protected; save a copy without a password and load that.')
        return _read_xls(raw, fname)
    if ext in (".xlsx", ".xlsm", ".xltx", ".xls") and b"\x00" in raw[:2048] and not raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
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


def _read_xlsx(raw: bytes, fname: str) -> list[_Sheet]:
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
    sheets: list[_Sheet] = []
    try:
        total = 0
        for ws in wb.worksheets:
            if not hasattr(ws, "iter_rows"):
                continue  # chart sheet
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
            except DataError:
                raise
            except Exception:
                raise DataError(f'The sheet "{ws.title}" of "{fname}" is damaged and cannot be read.') from None
            hidden = getattr(ws, "sheet_state", "visible") != "visible"
            sheets.append(_Sheet(ws.title, rows, None, hidden, _formula_reader(raw, ws.title)))
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


def _read_xls(raw: bytes, fname: str) -> list[_Sheet]:
    import xlrd  # noqa: PLC0415

    try:
        book = xlrd.open_workbook(file_contents=raw, on_demand=True)
    except Exception as exc:  # xlrd.XLRDError and friends
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise DataError(f'The workbook "{fname}" is password-protected; save a copy without a password and load that.') from None
        raise DataError(f'The workbook "{fname}" is damaged or not an Excel file and cannot be opened.') from None
    sheets: list[_Sheet] = []
    try:
        total = 0
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            if sh.nrows > MAX_ROWS + _ROW_SLACK:
                raise _too_many_rows()
            rows: list[tuple[int, list[Cell]]] = []
            for r in range(sh.nrows):
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
            sheets.append(_Sheet(sh.name, rows, None, getattr(sh, "visibility", 0) != 0))
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
    lines = [ln for ln in text.splitlines()[:300] if ln.strip()]
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


def _read_csv(raw: bytes, fname: str) -> _Sheet:
    text = _decode(raw, fname)
    ext = Path(fname).suffix.lower()
    delim = "\t" if ext == ".tsv" else sniff_delimiter(text)
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
    return _Sheet(fname, rows, "," if delim == ";" else None, is_csv=True)


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
    sheet: _Sheet
    pos: int  # index of the header row in sheet.rows
    headers: list[str]
    plan: ColumnPlan
    score: float


def _find_header(sheet: _Sheet, mapping: Mapping[str, MappedField]) -> _Choice | None:
    best: _Choice | None = None
    fallback: _Choice | None = None
    width = max((len(c) for _, c in sheet.rows[:200]), default=0)
    for pos, (_, cells) in enumerate(sheet.rows[:_HEADER_SEARCH_ROWS]):
        filled = [c for c in cells if c is not None]
        if len(filled) < 2:
            continue
        texts = [c for c in filled if isinstance(c, str) and not looks_like_number(c) and not looks_like_date(c)]
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
    return best or fallback


def _choose(sheets: list[_Sheet], sheet: Any, mapping: Mapping[str, MappedField], fname: str) -> _Choice:
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
        data_rows = len(sh.rows) - c.pos - 1
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
        if not any(sh.rows for sh in sheets):
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
        self.first: dict = {}

    def add(self, severity: str, row: int | None, column: str | None, value: Any, message: str,
            kind: str | None = None) -> None:
        key = (severity, column, kind or message)
        self.counts[key] += 1
        if self.counts[key] <= _ISSUES_PER_KIND:
            shown = None if value is None else str(value)
            self.items.append(Issue(severity, self.sheet, row, column, shown, message))

    def issues(self) -> tuple[Issue, ...]:
        extra = []
        for (severity, column, kind), n in self.counts.items():
            if n > _ISSUES_PER_KIND:
                where = f' in column "{column}"' if column else ""
                extra.append(Issue(severity, self.sheet, None, column, None,
                                   f"{n - _ISSUES_PER_KIND:,} more rows{where} have the same problem as above ({kind})."))
        return tuple(self.items) + tuple(extra)


def _fmt(x: float) -> str:
    return f"{x:,.2f}" if abs(x) < 1e15 else f"{x:.4g}"


def _raw(cells: Sequence[Cell], j: int | None) -> str | None:
    """A cell as the user wrote it, for Issue.value."""
    v = _cell(list(cells), j)
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.strftime("%Y-%m-%d")
    return str(v)


def _handle(value: Cell) -> str:
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


def _handles(values: Sequence[Cell]) -> list[str]:
    cache: dict = {}
    out = []
    for v in values:
        key = v if isinstance(v, (str, int, float)) or v is None else str(v)
        if key not in cache:
            cache[key] = _handle(v)
        out.append(cache[key])
    return out


def _is_total_label(text: str) -> bool:
    return bool(_TOTAL_RE.match(text) or _TOTAL_END_RE.search(text) or text.strip().lower() in _TOTAL_WORDS)


def _is_total_row(cells: Sequence[Cell]) -> str | None:
    for c in cells:
        if isinstance(c, str) and _is_total_label(c) and not looks_like_number(c):
            return c
    return None


def _text_columns(rows: list[tuple[int, list[Cell]]], positions: Sequence[int]) -> list[int]:
    out = []
    for j in positions:
        vals = [cells[j] for _, cells in rows[:50] if j < len(cells) and cells[j] is not None]
        if vals and sum(isinstance(v, str) and not looks_like_number(v) for v in vals) > len(vals) / 2:
            out.append(j)
    return out


@dataclass
class _Work:
    """The rows of one table on their way into a Dataset."""

    choice: _Choice
    log: _Log
    skipped: list[dict] = field(default_factory=list)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # candidates, in order

    def skip(self, row: int, reason: str) -> None:
        self.skipped.append({"sheet": self.log.sheet, "row": int(row), "reason": reason})


def _cell(cells: list[Cell], j: int | None) -> Cell:
    if j is None or j >= len(cells):
        return None
    return cells[j]


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
         mapping: Mapping[str, str] | None = None) -> Dataset:
    """Import a spreadsheet into a Dataset.

    Parameters
    ----------
    source : path (str or Path), bytes, or a file-like object (e.g. an upload)
    name : the file name when ``source`` is bytes (its extension helps: ``.tsv``)
    sheet : sheet name or 0-based index; None picks the sheet whose headers fit best
    mapping : ``{source column: field}`` overriding header detection, e.g.
        ``{"Fee paid": "spend", "Date": "date:dmy", "x1": "spend:TV", "Notes": "ignore"}``

    Returns
    -------
    Dataset
        With every problem as an Issue; ``has_errors`` says whether it can be used.

    Raises
    ------
    DataError
        When the file cannot be read at all (one sentence for the user).
    """
    raw, fname = _read_source(source, name)
    user_map = {str(k): parse_mapping_field(v) for k, v in (mapping or {}).items()}
    sheets = _read_sheets(raw, fname)
    choice = _choose(sheets, sheet, user_map, fname)
    plan = plan_columns(choice.headers, user_map, strict=True)  # raises for unknown mapped columns
    choice.plan = plan
    digest = hashlib.sha256(raw)
    digest.update(f"\x00{choice.sheet.name}\x00{sorted((k, repr(v)) for k, v in user_map.items())}".encode())
    return _build(choice, fname, digest.hexdigest())


def _build(choice: _Choice, fname: str, fingerprint: str) -> Dataset:
    sheet, plan, headers = choice.sheet, choice.plan, choice.headers
    log = _Log(sheet.name)
    work = _Work(choice, log)
    header_row, header_cells = sheet.rows[choice.pos]
    header_key = [normalize_header(c) for c in header_cells if c is not None]
    first_raw = str(next(c for c in header_cells if c is not None)).lower()
    width = len(headers)
    for rownum, cells in sheet.rows[choice.pos + 1:]:
        cells = list(cells) + [None] * (width - len(cells))
        first = next((c for c in cells if c is not None), None)
        if (isinstance(first, str) and first.lower() == first_raw
                and normalize_header(first) == header_key[0]
                and [normalize_header(c) for c in cells if c is not None] == header_key):
            work.skip(rownum, "repeats the header row")
            continue
        work.rows.append((rownum, cells))

    mapping_pairs = [(headers[j], f) for f, j in plan.fields.items()] + [(headers[j], f"spend:{n}") for j, n in plan.channels]
    mapping_pairs.sort(key=lambda p: headers.index(p[0]))
    for text, about in plan.notes:
        log.add("warning", header_row, about, None, text)

    layout = plan.layout
    problems = []
    if not work.rows:
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
    has_outcome = "outcome" in plan.fields or ("orders" in plan.fields and "outcome_per_order" in plan.fields)
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
        for rownum, cells in work.rows:
            label = _is_total_row(cells)
            work.skip(rownum, f'a totals row ("{label}")' if label else f"not imported: {short[0].lower() + short[1:]}")
        rows, outcome = _empty_frames(layout)
        kind = "total" if layout == "wide" else "attributed"
        return _dataset(kind, rows, outcome, log, work, fname, sheet, fingerprint, mapping_pairs)

    if plan.network_guess is not None and "network" not in plan.fields and layout == "long":
        net, why = plan.network_guess
        log.add("warning", header_row, None, None,
                f'There is no network column; every row was taken as {net} because {why}. '
                'If that is wrong, add a network column or name one with --map "COLUMN=network".')
    if layout == "wide":
        return _build_wide(work, fname, fingerprint, mapping_pairs, header_row)
    return _build_long(work, fname, fingerprint, mapping_pairs, header_row)


def _dataset(kind, rows, outcome, log, work, fname, sheet, fingerprint, mapping_pairs) -> Dataset:
    skipped = pd.DataFrame(work.skipped, columns=["sheet", "row", "reason"])
    if not skipped.empty:
        skipped = skipped.sort_values("row", kind="stable").reset_index(drop=True)
    skipped["row"] = skipped["row"].astype(int)
    return Dataset(kind, rows.reset_index(drop=True), None if outcome is None else outcome.reset_index(drop=True),
                   log.issues(), skipped, fname, sheet.name, fingerprint, tuple(mapping_pairs))


# ---------------------------------------------------------------------- shared row steps


def _date_step(work: _Work, header_row: int, decimal: str | None) -> list[Any]:
    """Parse the date column; skip totals and note rows that have no usable date.

    Returns, per remaining row of ``work.rows``, its date (``np.datetime64``), the
    :class:`~planner.values.Problem` when the date is unreadable, or None when blank.
    Ambiguous ``01/02/2024`` dates are assumed day first in a table whose numbers use
    a decimal comma (a European file), else month first.
    """
    plan, headers = work.choice.plan, work.choice.headers
    j = plan.fields["date"]
    column = headers[j]
    values = [cells[j] for _, cells in work.rows]
    parsed = parse_dates(values, dayfirst=plan.dayfirst, hint=True if decimal == "," else None)
    for note in parsed.notes:
        work.log.add("warning", header_row, column, None,
                     note + (' If that is wrong, say so with --map "' + column + '=date:dmy" (day first) or "'
                             + column + '=date:mdy" (month first).' if not parsed.decided else ""))
    bad = {p.index: p for p in parsed.problems}
    keep: list[tuple[int, list[Cell]]] = []
    dates: list[Any] = []
    for i, (rownum, cells) in enumerate(work.rows):
        ok = i not in bad and not np.isnat(parsed.values[i])
        if not ok:
            label = _is_total_row(cells)
            if label:
                work.skip(rownum, f'a totals row ("{label}")')
                continue
            filled = [c for c in cells if c is not None]
            if len(filled) == 1 and isinstance(filled[0], str) and len(headers) >= 3 and not looks_like_number(filled[0]):
                work.skip(rownum, f'a note, not data (only one cell is filled: "{filled[0][:60]}")')
                continue
        keep.append((rownum, cells))
        dates.append(parsed.values[i] if ok else (bad[i] if i in bad else None))
    work.rows = keep
    return dates


def _numbers(work: _Work, j: int, hint: str | None):
    return parse_numbers([cells[j] for _, cells in work.rows], hint=hint)


def _table_decimal(work: _Work, positions: Sequence[int]) -> str | None:
    dots = commas = 0
    for j in positions:
        d, c, _ = decimal_votes(cells[j] for _, cells in work.rows)
        dots += d > 0
        commas += c > 0
    if dots != commas:
        return "." if dots > commas else ","
    return work.choice.sheet.decimal_hint


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


def _formula_blanks(work: _Work, cols: list[int], blanks: dict[int, set[int]]) -> dict[tuple[int, int], str]:
    reader = work.choice.sheet.formulas
    if reader is None:
        return {}
    wanted = {(work.rows[i][0], j) for j in cols for i in blanks.get(j, ())}
    return reader(wanted) if wanted else {}


def _outliers(values: np.ndarray, groups: Sequence[str]) -> list[tuple[int, float]]:
    """Positions of values far above the rest of their group: over 10x its median and
    over 3x every other value of the group."""
    out = []
    frame = pd.DataFrame({"v": values, "g": list(groups)})
    for _, sub in frame.groupby("g", sort=False):
        pos = sub.index[(sub["v"] > 0) & sub["v"].notna()]
        if len(pos) < 8:
            continue
        vals = frame.loc[pos, "v"].to_numpy()
        order = np.argsort(vals)
        top, second = vals[order[-1]], vals[order[-2]]
        med = float(np.median(vals))
        if top > 10 * med and top > 3 * second:
            out.append((int(pos[order[-1]]), med))
    return out


# ---------------------------------------------------------------------- long tables


def _build_long(work: _Work, fname: str, fingerprint: str, mapping_pairs, header_row: int) -> Dataset:
    choice, log = work.choice, work.log
    plan, headers = choice.plan, choice.headers
    f = plan.fields
    numeric = [fld for fld in ("spend", "outcome", "orders", "outcome_per_order", "followers", "posts", "reach",
                               "engagements", "clicks") if fld in f]
    hint = _table_decimal(work, [f[fld] for fld in numeric])
    dates = _date_step(work, header_row, hint)

    cols = {fld: _numbers(work, f[fld], hint) for fld in numeric}
    for fld, col in cols.items():
        for note in col.notes:
            log.add("warning", header_row, headers[f[fld]], None, note)

    n = len(work.rows)
    bad_num = {fld: {p.index: p for p in col.problems} for fld, col in cols.items()}
    spend = cols["spend"].values.copy()
    derived = "outcome" not in f
    if derived:
        outcome = cols["orders"].values * cols["outcome_per_order"].values
        log.add("warning", header_row, headers[f["orders"]], None,
                f'There is no revenue column; revenue was computed as "{headers[f["orders"]]}" x '
                f'"{headers[f["outcome_per_order"]]}" on every row.')
    else:
        outcome = cols["outcome"].values.copy()

    # formulas without saved values look blank; say so instead of reading them as 0
    blanks = {f[fld]: set(cols[fld].missing) for fld in ("spend", "outcome") if fld in cols}
    formulas = _formula_blanks(work, list(blanks), blanks)

    net_j, ent_j = f.get("network"), f.get("entity")
    guess = plan.network_guess[0] if plan.network_guess else None
    ok = [True] * n
    reasons: dict[int, str] = {}
    blank_count: Counter = Counter()
    blank_first: dict[str, int] = {}
    net_cache: dict[str, str] = {}
    networks: list[str] = []
    sums = _Sums(1)
    for i, (rownum, cells) in enumerate(work.rows):
        raw_net = _cell(cells, net_j)
        if net_j is not None and is_missing(raw_net):
            networks.append("")
        else:
            key = guess if net_j is None else str(raw_net)
            if key not in net_cache:
                net_cache[key] = normalize_network(key)
            networks.append(net_cache[key])
        label = next((c for c in (raw_net, _cell(cells, ent_j)) if isinstance(c, str) and _is_total_label(c)), None)
        if label is not None:
            ok[i] = False
            reasons[i] = f'skip:a totals row ("{label}")'
            continue
        d = dates[i]
        if not isinstance(d, np.datetime64):
            # no usable date: a sum of the rows above, or an error
            if sums.is_sum([spend[i]]):
                ok[i] = False
                reasons[i] = "skip:the sum of the rows above (a totals row without a label)"
                continue
            col = headers[f["date"]]
            if d is None:
                log.add("error", rownum, col, None, "This row has no date, so it was left out.", kind="no date")
                reasons[i] = "no date"
            else:
                log.add("error", rownum, col, d.value, f"{d.message}, so this row was left out.", kind="unreadable date")
                reasons[i] = "the date could not be read"
            ok[i] = False
        if net_j is not None and is_missing(raw_net):
            if ok[i]:
                log.add("error", rownum, headers[net_j], None, "This row has no network, so it was left out.", kind="no network")
                reasons[i] = "no network"
            ok[i] = False
        # numbers
        for fld in ("spend", "outcome") if not derived else ("spend", "orders", "outcome_per_order"):
            j = f[fld]
            p = bad_num[fld].get(i)
            if p is not None:
                if ok[i]:
                    log.add("error", rownum, headers[j], p.value, f"{p.message}, so this row was left out.",
                            kind="not a number")
                    reasons[i] = f'"{headers[j]}" is not a number'
                ok[i] = False
        if not ok[i]:
            continue
        s_val = spend[i]
        if np.isnan(s_val):
            formula = formulas.get((rownum, f["spend"]))
            if formula:
                log.add("error", rownum, headers[f["spend"]], formula,
                        "This cell holds a formula whose result was never saved in the file (it was written by a "
                        "program that does not calculate); open the file in Excel and save it, then load it again.",
                        kind="formula without value")
                ok[i] = False
                reasons[i] = "the spend is a formula without a saved value"
                continue
            spend[i] = 0.0
            blank_count["spend"] += 1
            blank_first.setdefault("spend", rownum)
        elif s_val < 0:
            log.add("error", rownum, headers[f["spend"]], _raw(cells, f["spend"]),
                    f"Spend cannot be negative ({_fmt(s_val)}), so this row was left out.", kind="negative spend")
            ok[i] = False
            reasons[i] = "negative spend"
            continue
        o_val = outcome[i]
        if np.isnan(o_val):
            ocol = f.get("outcome", f.get("orders"))
            formula = formulas.get((rownum, ocol))
            if formula:
                log.add("error", rownum, headers[ocol], formula,
                        "This cell holds a formula whose result was never saved in the file; open the file in "
                        "Excel and save it, then load it again.", kind="formula without value")
                ok[i] = False
                reasons[i] = "the outcome is a formula without a saved value"
                continue
            outcome[i] = 0.0
            blank_count["outcome"] += 1
            blank_first.setdefault("outcome", rownum)
        elif o_val < 0:
            ocol = f.get("outcome", f.get("orders"))
            log.add("warning", rownum, headers[ocol], _raw(cells, ocol),
                    f"The outcome is negative ({_fmt(o_val)}); it was kept (refunds?).", kind="negative outcome")
        sums.add([spend[i]])
    for fld, cnt in blank_count.items():
        col = headers[f[fld]] if fld in f else headers[f["orders"]]
        log.add("warning", blank_first[fld], col, None,
                f"{cnt:,} blank cell{'s' if cnt > 1 else ''} in this column {'were' if cnt > 1 else 'was'} "
                f"read as 0 (the first at row {blank_first[fld]}).")
    # optional numeric columns: unreadable cells are warnings only
    for fld in ("followers", "posts", "reach", "engagements", "clicks", "orders"):
        if fld in cols and not (derived and fld == "orders"):
            for idx, p in bad_num[fld].items():
                if ok[idx]:
                    log.add("warning", work.rows[idx][0], headers[f[fld]], p.value,
                            f"{p.message}; it was left empty.", kind="not a number (optional)")

    for i, (rownum, _) in enumerate(work.rows):
        if not ok[i]:
            reason = reasons.get(i, "an error in this row")
            work.skip(rownum, reason[5:] if reason.startswith("skip:") else f"left out: {reason}")

    keep = np.flatnonzero(ok)
    frame = pd.DataFrame({
        "date": pd.to_datetime(pd.Series([dates[i] for i in keep], dtype="datetime64[ns]")),
        "network": pd.Series([networks[i] for i in keep], dtype=object),
        "entity": pd.Series(_handles([_cell(work.rows[i][1], ent_j) for i in keep]), dtype=object),
        "spend": spend[keep],
        "outcome": outcome[keep],
    })
    for fld in OPTIONAL_COLUMNS:
        if fld == "campaign" and "campaign" in f:
            frame["campaign"] = pd.Series(
                ["" if is_missing(v := _cell(work.rows[i][1], f["campaign"])) else str(v) for i in keep], dtype=object)
        elif fld in cols:
            frame[fld] = cols[fld].values[keep]
    frame["row"] = np.array([work.rows[i][0] for i in keep], dtype=int)

    _check_duplicates_long(work, frame, keep)
    who = (frame["network"] + "/" + frame["entity"]).tolist()  # a creator against their own campaigns
    for pos, med in _outliers(frame["spend"].to_numpy(), who):
        r = frame.iloc[pos]
        log.add("warning", int(r["row"]), headers[f["spend"]], _fmt(r["spend"]),
                f"Spend of {_fmt(r['spend'])} is far above the usual spend of {_whose(r)} "
                f"(median {_fmt(med)}); check it for a typing error.", kind="outlier")
    for pos, med in _outliers(frame["outcome"].to_numpy(), who):
        r = frame.iloc[pos]
        col = headers[f.get("outcome", f.get("orders"))]
        log.add("warning", int(r["row"]), col, _fmt(r["outcome"]),
                f"An outcome of {_fmt(r['outcome'])} is far above the usual of {_whose(r)} "
                f"(median {_fmt(med)}); check it for a typing error.", kind="outlier")

    # An outcome repeated on every row of a date is a total per date, not per row.
    if _outcome_is_total(frame):
        col = headers[f.get("outcome", f.get("orders"))]
        log.add("warning", header_row, col, None,
                f'"{col}" has the same value on every row of a date, so it was read as the total of that date '
                "(a marketing-mix table), not as the outcome of each row.")
        rows = frame[["date", "network", "spend", "row"]].copy()
        out = frame.groupby("date", sort=True).agg(outcome=("outcome", "first"), row=("row", "min")).reset_index()
        return _dataset("total", rows, out, log, work, fname, choice.sheet, fingerprint, mapping_pairs)
    return _dataset("attributed", frame, None, log, work, fname, choice.sheet, fingerprint, mapping_pairs)


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


def _check_duplicates_long(work: _Work, frame: pd.DataFrame, keep: np.ndarray) -> None:
    if frame.empty:
        return
    choice = work.choice
    used = set(choice.plan.fields.values())
    others = _text_columns([work.rows[i] for i in keep], [j for j in range(len(choice.headers)) if j not in used])
    extra_cols = others + ([choice.plan.fields["campaign"]] if "campaign" in choice.plan.fields else [])
    keys = pd.DataFrame({"date": frame["date"], "network": frame["network"], "entity": frame["entity"]})
    for j in extra_cols:
        keys[f"c{j}"] = [str(_cell(work.rows[i][1], j)) for i in keep]
    involved = keys.duplicated(keep=False).to_numpy()
    if not involved.any():
        return
    later = keys.duplicated(keep="first").to_numpy()
    rownums = frame["row"].to_numpy()
    entities = frame["entity"].to_numpy()
    first_row: dict = {}
    for pos, key in zip(np.flatnonzero(involved), map(tuple, keys[involved].itertuples(index=False))):
        if later[pos]:
            who = "creator" if entities[pos] else "network"
            work.log.add("warning", int(rownums[pos]), None, None,
                         f"Same date, {who} and details as row {first_row[key]}; both rows were kept and count twice.",
                         kind="duplicate row")
        else:
            first_row[key] = int(rownums[pos])


# ---------------------------------------------------------------------- wide tables


def _build_wide(work: _Work, fname: str, fingerprint: str, mapping_pairs, header_row: int) -> Dataset:
    choice, log = work.choice, work.log
    plan, headers = choice.plan, choice.headers
    f = plan.fields
    chan = list(plan.channels)
    out_fields = ["outcome"] if "outcome" in f else ["orders", "outcome_per_order"]
    hint = _table_decimal(work, [j for j, _ in chan] + [f[x] for x in out_fields])
    dates = _date_step(work, header_row, hint)
    ch_cols = [(j, net, _numbers(work, j, hint)) for j, net in chan]
    o_cols = {x: _numbers(work, f[x], hint) for x in out_fields}
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
    bad = [{p.index: p for p in col.problems} for _, _, col in ch_cols]
    obad = {}
    for x, col in o_cols.items():
        for p in col.problems:
            obad.setdefault(p.index, (x, p))
    blanks = {j: set(col.missing) for j, _, col in ch_cols}
    blanks.update({f[x]: set(col.missing) for x, col in o_cols.items()})
    formulas = _formula_blanks(work, list(blanks), blanks)

    n = len(work.rows)
    ok = [True] * n
    reasons: dict[int, str] = {}
    blank_count: Counter = Counter()
    blank_first: dict[int, int] = {}
    sums = _Sums(len(ch_cols))
    for i, (rownum, cells) in enumerate(work.rows):
        d = dates[i]
        if not isinstance(d, np.datetime64):
            if sums.is_sum([v[i] for v in spend_vals]):
                ok[i] = False
                reasons[i] = "skip:the sum of the rows above (a totals row without a label)"
                continue
            col = headers[f["date"]]
            if d is None:
                log.add("error", rownum, col, None, "This row has no date, so it was left out.", kind="no date")
                reasons[i] = "no date"
            else:
                log.add("error", rownum, col, d.value, f"{d.message}, so this row was left out.", kind="unreadable date")
                reasons[i] = "the date could not be read"
            ok[i] = False
            continue
        for k, (j, net, col) in enumerate(ch_cols):
            p = bad[k].get(i)
            v = spend_vals[k][i]
            if p is not None:
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
                log.add("error", rownum, headers[j], _raw(cells, j),
                        f"Spend cannot be negative ({_fmt(v)}), so this row was left out.", kind="negative spend")
                reasons.setdefault(i, "negative spend")
                ok[i] = False
        if i in obad:
            x, p = obad[i]
            log.add("error", rownum, headers[f[x]], p.value, f"{p.message}, so this row was left out.", kind="not a number")
            reasons.setdefault(i, f'"{headers[f[x]]}" is not a number')
            ok[i] = False
        elif ok[i] and np.isnan(outcome[i]):
            ocol = f.get("outcome", f.get("orders"))
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
            ocol = f.get("outcome", f.get("orders"))
            log.add("warning", rownum, headers[ocol], _raw(cells, ocol),
                    f"The outcome is negative ({_fmt(outcome[i])}); it was kept.", kind="negative outcome")
        if ok[i]:
            sums.add([v[i] for v in spend_vals])
    for j, cnt in blank_count.items():
        log.add("warning", blank_first[j], headers[j], None,
                f"{cnt:,} blank cell{'s' if cnt > 1 else ''} in this column {'were' if cnt > 1 else 'was'} "
                f"read as 0 (the first at row {blank_first[j]}).")
    for i, (rownum, _) in enumerate(work.rows):
        if not ok[i]:
            reason = reasons.get(i, "an error in this row")
            work.skip(rownum, reason[5:] if reason.startswith("skip:") else f"left out: {reason}")

    keep = np.flatnonzero(ok)
    rownums = np.array([work.rows[i][0] for i in keep], dtype=int)
    kept_dates = pd.to_datetime(pd.Series([dates[i] for i in keep], dtype="datetime64[ns]"))
    wide = pd.DataFrame({"date": kept_dates, "row": rownums, "outcome": outcome[keep]})
    nets = [net for _, net, _ in ch_cols]
    for k, net in enumerate(nets):
        wide[f"s{k}"] = spend_vals[k][keep]

    if "geo" in f and not wide.empty:
        geos = pd.Series([str(_cell(work.rows[i][1], f["geo"])) for i in keep])
        n_geo = geos.nunique()
        agg = {"row": ("row", "min"), "outcome": ("outcome", "sum")}
        agg.update({f"s{k}": (f"s{k}", "sum") for k in range(len(nets))})
        wide = wide.groupby("date", sort=True).agg(**agg).reset_index()
        log.add("warning", header_row, headers[f["geo"]], None,
                f"The table has a row per {headers[f['geo']]} ({n_geo:,} of them) and date; spend and outcome were "
                "added up over them for each date.")
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
        col = headers[f.get("outcome", f.get("orders"))]
        log.add("warning", int(r["row"]), col, _fmt(r["outcome"]),
                f"An outcome of {_fmt(r['outcome'])} is far above the usual (median {_fmt(med)}); "
                "check it for a typing error.", kind="outlier")

    long_parts = []
    for k, net in enumerate(nets):
        long_parts.append(pd.DataFrame({"date": wide["date"], "network": net, "spend": wide[f"s{k}"],
                                        "row": wide["row"].astype(int)}))
    rows = pd.concat(long_parts, ignore_index=True) if long_parts else _empty_frames("wide")[0]
    rows["network"] = rows["network"].astype(object)
    rows = rows.sort_values(["date", "row"], kind="stable").reset_index(drop=True)
    order = {net: k for k, net in enumerate(nets)}
    rows = rows.iloc[np.lexsort((rows["network"].map(order).to_numpy(), rows["row"].to_numpy(),
                                 rows["date"].to_numpy()))].reset_index(drop=True)
    out = wide[["date", "outcome", "row"]].copy()
    out["row"] = out["row"].astype(int)
    return _dataset("total", rows, out, log, work, fname, choice.sheet, fingerprint, mapping_pairs)
