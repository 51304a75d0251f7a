"""Reading CSV text into a sheet: the encoding and the delimiter are found, not asked for.

UTF-8 with or without a byte-order mark, UTF-16 or Windows-1252; the delimiter (``, ; tab |``)
is the one that splits the first lines most consistently (tab for ``.tsv``).  A big text
(from :data:`FAST_CSV_CHARS` characters) is parsed by pandas' C reader and gives the same
sheet as the csv module, which reads the rest.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from planner.data.dataset import DataError
from planner.data.limits import check_rows
from planner.data.sheet import Cell, Sheet, clean_cell, sheet_from_rows, trim_cells

__all__ = ["FAST_CSV_CHARS", "sniff_delimiter", "read_csv"]

FAST_CSV_CHARS = 1_000_000  # CSV text from this size is parsed by pandas' C reader (read when a file is read)


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
    """Return the delimiter (``, ; tab |``) that splits the first lines most consistently.

    Parameters
    ----------
    text : str
        The decoded file; its first 300 non-blank lines (within the first 1,000,000
        characters) are tried.

    Returns
    -------
    str
        One of ``","``, ``";"``, the tab character and ``"|"``; ``","`` when none
        splits a line in two or more.
    """
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


def read_csv(raw: bytes, fname: str) -> Sheet:
    """Return the one sheet of a CSV (or TSV, or delimited text) file's bytes.

    Parameters
    ----------
    raw : bytes
        The file's bytes, in UTF-8 (with or without a byte-order mark), UTF-16 or
        Windows-1252.
    fname : str
        The file name: it names the sheet and the messages; ``.tsv`` means tab-delimited.

    Returns
    -------
    Sheet
        Named ``fname``, with ``is_csv`` True and ``decimal_hint`` ``","`` when the
        delimiter is a semicolon.

    Raises
    ------
    DataError
        When the bytes are not text, the CSV is malformed, or it has more rows than
        :data:`~planner.data.limits.MAX_ROWS`.
    """
    text = _decode(raw, fname)
    ext = Path(fname).suffix.lower()
    delim = "\t" if ext == ".tsv" else sniff_delimiter(text)
    hint = "," if delim == ";" else None
    if len(text) >= FAST_CSV_CHARS:
        sheet = _read_csv_fast(text, fname, delim, hint)
        if sheet is not None:
            return sheet
    rows: list[tuple[int, list[Cell]]] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        for i, rec in enumerate(reader, start=1):
            cells = trim_cells(rec)
            if cells:
                rows.append((i, cells))
                check_rows(len(rows))
    except csv.Error as exc:
        raise DataError(f'The file "{fname}" is not a well-formed CSV file ({exc}).') from None
    return sheet_from_rows(fname, rows, decimal_hint=hint, is_csv=True)


def _read_csv_fast(text: str, fname: str, delim: str, hint: str | None) -> Sheet | None:
    """Read a big CSV text with pandas' C parser, cleaning each distinct cell once.

    Gives the same sheet as the csv module; returns None (and the caller uses the
    csv module) when a row is wider than the first rows or the text does not parse.
    """
    try:
        first = list(itertools.islice(csv.reader(io.StringIO(text[:FAST_CSV_CHARS], newline=""),
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
    check_rows(len(frame))
    n = len(frame)
    cols: list[np.ndarray] = []
    factors: list[tuple[np.ndarray, np.ndarray]] = []
    filled = np.zeros(n, dtype=bool)
    for j in range(width):
        codes, uniq = pd.factorize(frame[j].to_numpy(dtype=object), use_na_sentinel=True)
        clean = np.array([clean_cell(u) for u in uniq] + [None], dtype=object)  # code -1 -> the last: None
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

