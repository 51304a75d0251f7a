"""Reading dates as people type them into spreadsheets.

A single cell is read by :func:`parse_date`; a whole column by :func:`parse_dates`,
which decides the ambiguous case (``"01/02/2024"``: January or February) once for the
column from every value in it, and returns the parsed values together with one
:class:`~planner.data.values.Problem` per cell that could not be read and notes about
what was decided or assumed.

Accepted
    datetime cells, ISO text (``2024-01-05``, with or without a time), Excel serial
    numbers (``45296``), ``20240105``, ``05.01.2024`` (day first), ``01/05/2024`` and
    ``01-05-24`` (day or month first: decided per column), ``Jan 5, 2024``,
    ``5 January 2024``, ``2024-01`` (month), ``2024-W01`` and ``Week 1 2024`` (ISO week), ``Q1 2024``,
    ranges such as ``2024-01-01 - 2024-01-07`` (their start), and ``Week of Jan 1, 2024`` or ``w/c 01/01/2024``
    (the week's first day).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from planner.data.values import Problem, clean_spaces, is_missing, show_value

__all__ = ["FIRST_YEAR", "LAST_YEAR", "MONTHS", "DateColumn", "parse_date", "parse_dates", "looks_like_date"]

FIRST_YEAR, LAST_YEAR = 1900, 2199  # a date of spend outside these years is a typing error or a placeholder
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_MIN, _SERIAL_MAX = 18264, 73051  # 1950-01-01 .. 2100-01-01
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")  # as written, first 3
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?)?$"
)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$")
_TRIPLE = re.compile(
    r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})\.?(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?$"
)
_YEAR_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})(?:-?(\d))?$", re.I)
_WEEK_WORD = re.compile(r"^(?:(?:week|wk|kw|w)\.?\s*(\d{1,2})[\s,/-]+(\d{4})|(\d{4})[\s,/-]+(?:week|wk|kw|w)\.?\s*(\d{1,2}))$",
                        re.I)  # "Week 1 2024", "Wk 01, 2024", "KW 1/2024", "2024 Week 1": the ISO week
_QUARTER = re.compile(r"^(?:Q([1-4])[\s/-]*(\d{4})|(\d{4})[\s/-]*Q([1-4]))$", re.I)
_WEEK_OF = re.compile(r"^(?:week\s+(?:of|starting|beginning|commencing)|w/?c|wk\s+of)[\s:.,]+(.+)$", re.I)
_RANGE = re.compile(r"^(.+?)\s+(?:-|–|—|to|bis|au)\s+(.+)$", re.I)


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 2000 if n < 70 else 1900
    return n


def _make(y: int, m: int, d: int, text: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(_dt.date(y, m, d))
    except ValueError:
        raise ValueError(f'"{text}" is not a real date') from None


def _serial(x: float, text: str) -> pd.Timestamp:
    if not (_SERIAL_MIN <= x < _SERIAL_MAX):
        raise ValueError(f'"{text}" is a number, not a date')
    return (_EXCEL_EPOCH + pd.Timedelta(days=int(math.floor(x)))).normalize()


def _triple(m: re.Match, dayfirst: bool | None, text: str) -> pd.Timestamp:
    a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), _year(m.group(4))
    if dayfirst is None:
        dayfirst = sep == "." or a > 12
    if dayfirst:
        return _make(y, b, a, text)
    return _make(y, a, b, text)


def parse_date(value: Any, dayfirst: bool | None = None) -> pd.Timestamp:
    """Read one cell as a date (midnight, no time zone), from :data:`FIRST_YEAR` to :data:`LAST_YEAR`.

    Parameters
    ----------
    value : cell value (datetime, date, Excel serial number, text)
    dayfirst : for ``01/02/2024``-style text: True reads day first, False month
        first, None decides from the text alone (day first when the first number
        is over 12 or the separator is a dot, else month first).

    Returns
    -------
    pandas.Timestamp
        ``NaT`` for an empty cell.

    Raises
    ------
    ValueError
        With a sentence saying why the value is not a date; also for a date before
        :data:`FIRST_YEAR` or after :data:`LAST_YEAR` (``9999-12-31``, a system's "no end").
    """
    got = _read_date(value, dayfirst)
    if got is not pd.NaT and not FIRST_YEAR <= got.year <= LAST_YEAR:
        when = f"before {FIRST_YEAR}" if got.year < FIRST_YEAR else f"after {LAST_YEAR}"
        raise ValueError(f'"{show_value(value)}" is not a plausible date: the year {got.year} is {when}')
    return got


def _read_date(value: Any, dayfirst: bool | None) -> pd.Timestamp:
    """Read one cell as a date, any year pandas can hold (parse_date without its range)."""
    if is_missing(value):
        return pd.NaT
    if isinstance(value, bool):
        raise ValueError(f'"{value}" is a yes/no value, not a date')
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).normalize() if value.tzinfo else value.normalize()
    if isinstance(value, _dt.datetime):
        return pd.Timestamp(value.replace(tzinfo=None)).normalize()
    if isinstance(value, _dt.date):
        return pd.Timestamp(value)
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).normalize()
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        if x.is_integer() and 19000101 <= x <= 21001231:
            s = str(int(x))
            return _make(int(s[:4]), int(s[4:6]), int(s[6:]), s)
        return _serial(x, show_value(value))
    text = clean_spaces(str(value)).strip()
    return _parse_date_text(text, dayfirst)


def _parse_date_text(text: str, dayfirst: bool | None) -> pd.Timestamp:
    if re.fullmatch(r"\d{8}", text) and text[:2] in ("19", "20"):
        return _make(int(text[:4]), int(text[4:6]), int(text[6:]), text)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return _serial(float(text), text)
    m = _ISO.match(text) or _YMD.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    m = _TRIPLE.match(text)
    if m:
        return _triple(m, dayfirst, text)
    m = _YEAR_MONTH.match(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), 1, text)
    m = _ISO_WEEK.match(text)
    if m:
        try:
            return pd.Timestamp(_dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)))
        except ValueError:
            raise ValueError(f'"{text}" is not a real week') from None
    m = _WEEK_WORD.match(text)
    if m:
        wk, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        try:
            return pd.Timestamp(_dt.date.fromisocalendar(int(y), int(wk), 1))
        except ValueError:
            raise ValueError(f'"{text}" is not a real week') from None
    m = _QUARTER.match(text)
    if m:
        q, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return _make(int(y), 3 * int(q) - 2, 1, text)
    m = _WEEK_OF.match(text)
    if m:  # "Week of Jan 1, 2024", "w/c 01/01/2024": the week's first day
        return _parse_date_text(m.group(1).strip(), dayfirst)
    m = _RANGE.match(text)
    if m:
        try:
            start = _parse_date_text(m.group(1).strip(), dayfirst)
            _parse_date_text(m.group(2).strip(), dayfirst)
            return start
        except ValueError:
            pass
    if re.search(r"[A-Za-z]", text) and re.search(r"\d{4}", text):
        from dateutil import parser as _du

        try:
            got = _du.parse(text, dayfirst=bool(dayfirst), default=_dt.datetime(2000, 1, 1))
            return pd.Timestamp(got.replace(tzinfo=None)).normalize()
        except (ValueError, OverflowError, TypeError):
            pass
    raise ValueError(f'"{text}" is not a date I can read')


def looks_like_date(value: Any) -> bool:
    """Tell whether a cell is a date: a datetime cell, or text that reads as one (not a bare number).

    Parameters
    ----------
    value : Any
        A cell.

    Returns
    -------
    bool
        True for a date, datetime, Timestamp or datetime64 cell, and for text that
        :func:`parse_date` reads and that is not just digits, points and commas (unless
        it is written ``01.02.2024``); False otherwise, numbers included.
    """
    if isinstance(value, (_dt.date, pd.Timestamp, np.datetime64)):
        return True
    if not isinstance(value, str) or is_missing(value):
        return False
    text = value.strip()
    if re.fullmatch(r"[\d.,]+", text) and not _TRIPLE.match(text):
        return False
    try:
        _read_date(text, None)
        return True
    except (ValueError, OverflowError):
        return False


@dataclass(frozen=True)
class DateColumn:
    """A column read as dates.

    ``values`` is a ``datetime64[ns]`` array (NaT where missing or unreadable);
    ``dayfirst`` the order used for ``01/02/2024``-style text (None when the column
    has none); ``decided`` False when the order had to be assumed (``notes`` says so).
    """

    values: np.ndarray
    missing: tuple[int, ...]
    problems: tuple[Problem, ...]
    dayfirst: bool | None
    decided: bool
    notes: tuple[str, ...] = ()


def parse_dates(values: Sequence[Any], dayfirst: bool | None = None, hint: bool | None = None,
                weights: Sequence[int] | None = None) -> DateColumn:
    """Read a whole column as dates, deciding day/month order once for the column.

    Parameters
    ----------
    values : the column's cells
    dayfirst : force the order of ``01/02/2024``-style text; None decides from the column
    hint : the order to assume when nothing in the column tells (None: month first)
    weights : how often each value occurs, when ``values`` are the distinct values of
        a longer column (a mixed column is read in the order most of its cells use)

    Returns
    -------
    DateColumn
        ``values`` one per input value, in order (midnight, no time zone); ``missing``
        and the ``index`` of each problem are positions in ``values``; ``dayfirst`` the
        order used (None when no value is ``01/02/2024``-style text); ``decided`` False
        when the order had to be assumed, and ``notes`` then says so.

    Notes
    -----
    The order is decided from values whose first or second number is over 12. When
    none is, dates written with dots (``01.02.2024``) are day first, as everywhere
    dots are used; for slashes and dashes the order is assumed (``hint``, else month
    first) and a note says which.
    """
    values = list(values)
    triples: list[tuple[int, re.Match]] = []
    for i, v in enumerate(values):
        if isinstance(v, str):
            m = _TRIPLE.match(clean_spaces(v).strip())
            if m:
                triples.append((i, m))
    decided = True
    notes: list[str] = []
    order = dayfirst
    if triples and order is None:
        w = (lambda i: 1) if weights is None else (lambda i: int(weights[i]))
        first_big = sum(w(i) for i, m in triples if int(m.group(1)) > 12)
        second_big = sum(w(i) for i, m in triples if int(m.group(3)) > 12)
        if first_big and not second_big:
            order = True
        elif second_big and not first_big:
            order = False
        elif first_big and second_big:
            order = first_big >= second_big
            notes.append("The date column mixes day/month and month/day orders; "
                         f"read as {'day/month' if order else 'month/day'}, the order most of its dates use.")
        elif all(m.group(2) == "." for _, m in triples):
            order = True  # 01.02.2024 is day first wherever dots are used
        else:
            order = bool(hint)
            decided = False
            ex = triples[0][1].group(0)
            got = _triple(triples[0][1], order, ex)
            notes.append(
                f'Dates such as "{ex}" could be day/month or month/day and nothing in the column tells '
                f"which; assumed {'day/month' if order else 'month/day'}, so {ex} is "
                f"{got.day} {got.strftime('%B %Y')}."
            )
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    missing: list[int] = []
    problems: list[Problem] = []
    for i, v in enumerate(values):
        if isinstance(v, str) and _ISO_DAY.match(v) and FIRST_YEAR <= int(v[:4]) <= LAST_YEAR:
            try:
                out[i] = np.datetime64(v, "D")
                continue
            except ValueError:
                pass  # e.g. 2024-02-30: parse_date says why
        if is_missing(v):
            missing.append(i)
            continue
        try:
            ts = parse_date(v, order)
        except ValueError as exc:
            problems.append(Problem(i, show_value(v), str(exc)))
            continue
        out[i] = np.datetime64(ts.to_datetime64(), "ns")
    return DateColumn(out, tuple(missing), tuple(problems), order if triples else None, decided, tuple(notes))
