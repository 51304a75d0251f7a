"""Reading numbers and dates as people type them into spreadsheets.

Pure functions.  A single cell is read by :func:`parse_number` / :func:`parse_date`;
a whole column by :func:`parse_numbers` / :func:`parse_dates`, which decide the
ambiguous cases (``"1,234"``: one thousand or one point two; ``"01/02/2024"``:
January or February) from every value in the column, and return the parsed values
together with one :class:`Problem` per cell that could not be read and notes about
what was decided or assumed.

Numbers
    ``1234``, ``1,234.50``, ``1.234,50``, ``1 234,50``, ``1'234.50``, ``$1,234.50``,
    ``1.234,50 €``, ``USD 1,234``, ``(500)`` and ``500-`` (negative), ``−500``,
    ``12%`` (0.12), ``1.5k``, ``2M``, ``1e5``; blanks, ``-``, ``--``, ``n/a`` are missing.
Dates
    datetime cells, ISO text (``2024-01-05``, with or without a time), Excel serial
    numbers (``45296``), ``20240105``, ``05.01.2024`` (day first), ``01/05/2024`` and
    ``01-05-24`` (day or month first: decided per column), ``Jan 5, 2024``,
    ``5 January 2024``, ``2024-01`` (month), ``2024-W01`` (ISO week), ``Q1 2024``,
    and ranges such as ``2024-01-01 - 2024-01-07`` (their start).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Problem",
    "NumberColumn",
    "DateColumn",
    "is_missing",
    "parse_number",
    "parse_numbers",
    "decide_decimal",
    "decimal_votes",
    "format_number",
    "parse_date",
    "parse_dates",
    "looks_like_number",
    "looks_like_date",
]

# ---------------------------------------------------------------- shared


@dataclass(frozen=True)
class Problem:
    """One cell that could not be read: its position in the input, value and why."""

    index: int
    value: str
    message: str


MISSING_TOKENS = frozenset(
    {"", "-", "--", "---", "\u2013", "\u2014", "n/a", "na", "n.a.", "nan", "none", "null",
     "#n/a", "#na", "(blank)", "?", "k.a.", "nd", "n.d."}
)


def is_missing(value: Any) -> bool:
    """True for an empty cell or a placeholder such as ``-``, ``--`` or ``n/a``."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    if isinstance(value, str):
        if len(value) > 12:  # longer than any placeholder, even with spaces around
            return False
        return _clean_spaces(value).strip().lower() in MISSING_TOKENS
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def _clean_spaces(text: str) -> str:
    for ch in ("\xa0", "\u202f", "\u2009", "\u2007", "\u200b", "\ufeff"):
        text = text.replace(ch, " " if ch not in ("\u200b", "\ufeff") else "")
    return text


def _show(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.datetime, pd.Timestamp)):
        return value.isoformat(sep=" ") if (value.hour or value.minute) else value.date().isoformat()
    return str(value).strip()


# ---------------------------------------------------------------- numbers

_CURRENCY_SYMBOLS = ("US$", "CA$", "AU$", "NZ$", "HK$", "R$", "A$", "C$", "S$", "$", "€", "£", "¥",
                     "₹", "₩", "₽", "₺", "₪", "฿", "₫", "₱", "₦", "zł", "kr.", "kr", "Fr.", "CHF")
CURRENCY_CODES = frozenset(
    "USD EUR GBP JPY CNY CAD AUD NZD CHF SEK NOK DKK PLN CZK HUF INR BRL MXN ZAR HKD SGD "
    "KRW TRY ILS AED SAR EGP MYR PEN CLP COP ARS THB IDR PHP VND RUB NGN KES TWD RON BGN".split()
)
_NUMBER_BODY = re.compile(r"^(?:\d[\d.,]*|[.,]\d+)$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d+$")
_MULTIPLIERS = {"k": 3, "K": 3, "M": 6, "mn": 6, "bn": 9}  # powers of ten


@dataclass(frozen=True)
class _Cleaned:
    body: str          # digits and separators only (or scientific notation)
    negative: bool
    percent: bool
    exponent: int      # power of ten from "%" (-2) and k/M suffixes
    currency: str | None


def _strip_currency(s: str) -> tuple[str, str | None]:
    changed = True
    found = None
    while changed:
        changed = False
        s = s.strip()
        for sym in _CURRENCY_SYMBOLS:
            if s.startswith(sym):
                s, found, changed = s[len(sym):], sym, True
                break
            if s.endswith(sym) and len(s) > len(sym):
                s, found, changed = s[: -len(sym)], sym, True
                break
        if changed:
            continue
        m = re.match(r"^([A-Za-z]{3})(?=[\s\d(+\-.,])", s)
        if m and m.group(1).upper() in CURRENCY_CODES:
            s, found, changed = s[3:], m.group(1).upper(), True
            continue
        m = re.search(r"(?<=[\s\d).,])([A-Za-z]{3})$", s)
        if m and m.group(1).upper() in CURRENCY_CODES:
            s, found, changed = s[:-3], m.group(1).upper(), True
    return s.strip(), found


def _clean(text: str) -> _Cleaned | None:
    """Split typed text into its number body and decorations; None if not number-like."""
    s = _clean_spaces(text).strip().replace("\u2212", "-").replace("\u2013", "-")
    negative = percent = False
    exponent = 0
    currency = None
    for _ in range(4):  # decorations can nest: "-$1,234", "($1,234)", "(1.234 €)"
        before = s
        if s.startswith("(") and s.endswith(")"):
            s, negative = s[1:-1].strip(), not negative
        if s.startswith(("-", "+")) and len(s) > 1:
            negative = (not negative) if s[0] == "-" else negative
            s = s[1:].strip()
        if s.endswith("-") and len(s) > 1 and s[-2].isdigit():
            s, negative = s[:-1].strip(), not negative
        s, cur = _strip_currency(s)
        currency = currency or cur
        if s.endswith("%"):
            s, percent = s[:-1].strip(), True
        if s == before:
            break
    for suffix, mult in _MULTIPLIERS.items():
        if s.endswith(suffix) and len(s) > len(suffix) and (s[-len(suffix) - 1].isdigit()):
            s, exponent = s[: -len(suffix)].strip(), mult
            break
    # thousands written with spaces or apostrophes between digit groups
    s = re.sub(r"(?<=\d)[ '’](?=\d{3}(?:\D|$))", "", s)
    if _SCIENTIFIC.match(s):
        return _Cleaned(s, negative, percent, exponent - 2 * percent, currency)
    if not _NUMBER_BODY.match(s):
        return None
    return _Cleaned(s, negative, percent, exponent - 2 * percent, currency)


def _evidence(body: str) -> str | None:
    """Which decimal mark a number body shows: '.', ',', '?' (ambiguous) or None."""
    if _SCIENTIFIC.match(body):
        return "."
    c, d = body.count(","), body.count(".")
    if c and d:
        return "." if body.rfind(".") > body.rfind(",") else ","
    if c + d == 0:
        return None
    sep = "," if c else "."
    n = c or d
    if n > 1:
        return "." if sep == "," else ","  # repeated: thousands separator
    head, tail = body.split(sep)
    if len(tail) != 3 or head in ("", "0") or len(head) > 3:
        return sep  # "12,5", "0,125", "1234,567": decimal mark
    return "?"


def _grouped(int_part: str, sep: str) -> str | None:
    groups = int_part.split(sep)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        return None
    return "".join(groups)


def _body_value(body: str, decimal: str) -> str | None:
    """The number ``body`` stands for, as a plain numeral ("1234.5"); None if malformed."""
    if _SCIENTIFIC.match(body):
        return body
    c, d = body.count(","), body.count(".")
    if c and d:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
        thou = "," if dec == "." else "."
        int_part, frac = body.rsplit(dec, 1)
        if thou in frac:
            return None
        digits = _grouped(int_part, thou)
        return None if digits is None else f"{digits}.{frac}"
    if c + d == 0:
        return body
    sep = "," if c else "."
    n = c or d
    if n > 1:
        return _grouped(body, sep)
    head, tail = body.split(sep)
    ev = _evidence(body)
    if ev == "?":
        ev = decimal
    if ev == sep:  # decimal mark
        return f"{head or '0'}.{tail}" if tail else head
    return _grouped(body, sep)


def parse_number(value: Any, decimal: str = ".") -> float:
    """Read one cell as a number.

    Parameters
    ----------
    value : cell value (int, float, text, None)
    decimal : the decimal mark to assume when the text alone cannot tell
        (``"1,234"``, ``"1.234"``): ``"."`` or ``","``.

    Returns
    -------
    float
        ``nan`` for an empty cell or a placeholder (``-``, ``--``, ``n/a``).

    Raises
    ------
    ValueError
        With a sentence saying why the value is not a number.
    """
    if is_missing(value):
        return math.nan
    if isinstance(value, bool):
        raise ValueError(f'"{value}" is a yes/no value, not a number')
    if isinstance(value, (int, np.integer)):
        return float(value)
    if isinstance(value, (float, np.floating)):
        if math.isinf(value):
            raise ValueError("the value is infinite")
        return float(value)
    if isinstance(value, (_dt.date, _dt.datetime, pd.Timestamp)):
        raise ValueError(f'"{_show(value)}" is a date, not a number')
    text = str(value)
    cleaned = _clean(text)
    if cleaned is None:
        raise ValueError(f'"{text.strip()}" is not a number')
    numeral = _body_value(cleaned.body, decimal)
    if numeral is None:
        raise ValueError(f'"{text.strip()}" is not a number format I recognise')
    if "e" in numeral.lower():
        number = float(numeral) * 10.0 ** cleaned.exponent
    else:  # exact decimal scaling: "6.57%" is 0.0657, not 0.06570000000000001
        number = float(f"{numeral}e{cleaned.exponent}")
    return -number if cleaned.negative else number


def looks_like_number(value: Any) -> bool:
    """True when ``value`` reads as a number (blanks are not numbers)."""
    if is_missing(value) or isinstance(value, bool):
        return False
    try:
        parse_number(value)
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class NumberColumn:
    """A column read as numbers.

    ``values`` is a float array (``nan`` where missing or unreadable); ``missing``
    the positions of blank cells; ``problems`` one per unreadable cell; ``decimal``
    the decimal mark used for ambiguous values; ``notes`` sentences about what was
    decided or assumed; ``percent`` whether any value was written with ``%``;
    ``currencies`` the currency symbols or codes seen.
    """

    values: np.ndarray
    missing: tuple[int, ...]
    problems: tuple[Problem, ...]
    decimal: str
    decided: bool
    notes: tuple[str, ...] = ()
    percent: bool = False
    currencies: tuple[str, ...] = ()


_PLAIN = re.compile(r"^-?\d+$")
_FAST = re.compile(r"^-?\d+(?:\.\d+)?$")
_BODY_ONLY = re.compile(r"^-?\d[\d.,]*$")  # digits and separators only, e.g. "1,234.50": no decorations to strip


def decimal_votes(values: Iterable[Any], weights: Iterable[int] | None = None) -> tuple[int, int, list[str]]:
    """Count text values that show a point or a comma as the decimal mark.

    Returns ``(point votes, comma votes, ambiguous texts)``; ``"1,234"`` and
    ``"1.234"`` are ambiguous; cells that are already numbers do not vote.
    ``weights`` (optional, one per value) counts each value that many times: pass
    the distinct values of a column with how often each occurs.
    """
    dots = commas = 0
    ambiguous: list[str] = []
    weights = itertools.repeat(1) if weights is None else weights
    for v, w in zip(values, weights):
        if dots + commas >= 1000:  # plenty of evidence; the rest cannot change a clear majority
            if min(dots, commas) * 10 < max(dots, commas):
                break
        if not isinstance(v, str):
            continue
        v = v.strip()
        if _PLAIN.match(v):
            continue
        if _FAST.match(v) or _BODY_ONLY.match(v):
            ev = _evidence(v.lstrip("-"))
        else:
            c = _clean(v)
            if c is None:
                continue
            ev = _evidence(c.body)
        if ev == ".":
            dots += int(w)
        elif ev == ",":
            commas += int(w)
        elif ev == "?":
            ambiguous.append(v)
    return dots, commas, ambiguous


def decide_decimal(values: Iterable[Any], hint: str | None = None,
                   weights: Iterable[int] | None = None) -> tuple[str, bool, str | None]:
    """Decide the decimal mark of a text column from all its values.

    Returns ``(decimal, decided, note)``: ``decided`` is False when no value tells
    and ambiguous values exist, in which case ``hint`` (or ``"."``) is assumed and
    ``note`` says so.  ``weights``: as in :func:`decimal_votes`.
    """
    dots, commas, ambiguous = decimal_votes(values, weights)
    votes = {".": dots, ",": commas}
    if votes["."] or votes[","]:
        return ("," if votes[","] > votes["."] else "."), True, None
    if not ambiguous:
        return (hint or "."), True, None
    dec = hint or "."
    example = ambiguous[0]
    meaning = f"{example} was read as {parse_number(example, dec):.15g}"
    if dec == ".":
        other = "a point as the decimal mark and a comma between thousands (US/UK style)"
    else:
        other = "a comma as the decimal mark and a point between thousands (European style)"
    note = (f'Numbers such as "{example}" could use either a comma or a point as the decimal mark; '
            f"assumed {other}, so {meaning}.")
    return dec, False, note


def parse_numbers(values: Sequence[Any], decimal: str | None = None, hint: str | None = None,
                  weights: Sequence[int] | None = None) -> NumberColumn:
    """Read a whole column as numbers, deciding ``"1,234"``-style ambiguity once.

    Parameters
    ----------
    values : the column's cells, in order
    decimal : force the decimal mark (``"."`` or ``","``); None decides from the column
    hint : the decimal mark to assume when the column itself cannot tell (e.g. from
        other columns of the same table, or a semicolon-separated file)
    weights : how often each value occurs, when ``values`` are the distinct values of
        a longer column (the decision then counts each as often as it occurs)
    """
    values = list(values)
    decided, note = True, None
    if decimal is None:
        decimal, decided, note = decide_decimal(values, hint, weights)
    out = np.full(len(values), np.nan)
    missing: list[int] = []
    problems: list[Problem] = []
    percent = False
    currencies: list[str] = []
    for i, v in enumerate(values):
        if isinstance(v, str) and _FAST.match(v) and (decimal == "." or "." not in v):
            out[i] = float(v)
            continue
        if isinstance(v, str) and _BODY_ONLY.match(v):  # "1,234.50": what parse_number does, without its search
            numeral = _body_value(v.lstrip("-"), decimal)
            if numeral is not None and _FAST.match(numeral):
                out[i] = -float(numeral) if v.startswith("-") else float(numeral)
                continue
        if is_missing(v):
            missing.append(i)
            continue
        try:
            out[i] = parse_number(v, decimal)
        except ValueError as exc:
            problems.append(Problem(i, _show(v), str(exc)))
            continue
        if isinstance(v, str):
            c = _clean(v)
            if c is not None:
                percent = percent or c.percent
                if c.currency and c.currency not in currencies:
                    currencies.append(c.currency)
    notes = [note] if note else []
    if len(currencies) > 1:
        notes.append(f"The column mixes currencies ({', '.join(currencies)}); amounts were not converted.")
    return NumberColumn(out, tuple(missing), tuple(problems), decimal, decided, tuple(notes), percent,
                        tuple(currencies))


def format_number(x: float, decimal: str = ".", thousands: str | None = None, places: int = 2,
                  currency: str = "", currency_after: bool = False, negative: str = "-",
                  percent: bool = False) -> str:
    """Write ``x`` the way people type numbers (the inverse of :func:`parse_number`).

    ``negative`` is ``"-"`` or ``"()"``; ``thousands`` defaults to the other mark
    (``","`` for ``"."`` decimals, ``"."`` for ``","``); pass ``""`` for none.
    """
    if thousands is None:
        thousands = "," if decimal == "." else "."
    value = abs(x) * (100 if percent else 1)
    text = f"{value:,.{places}f}"  # "1,234.50"
    text = text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)
    if percent:
        text += "%"
    if currency:
        text = f"{text} {currency}" if currency_after else f"{currency}{text}"
    if x < 0 and float(f"{value:.{places}f}") != 0:
        text = f"({text})" if negative == "()" else f"-{text}"
    return text


# ---------------------------------------------------------------- dates

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_MIN, _SERIAL_MAX = 18264, 73051  # 1950-01-01 .. 2100-01-01
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
_QUARTER = re.compile(r"^(?:Q([1-4])[\s/-]*(\d{4})|(\d{4})[\s/-]*Q([1-4]))$", re.I)
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
    """Read one cell as a date (midnight, no time zone).

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
        With a sentence saying why the value is not a date.
    """
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
        return _serial(x, _show(value))
    text = _clean_spaces(str(value)).strip()
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
    m = _QUARTER.match(text)
    if m:
        q, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return _make(int(y), 3 * int(q) - 2, 1, text)
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
    """True for datetime cells and text that reads as a date (not bare numbers)."""
    if isinstance(value, (_dt.date, pd.Timestamp, np.datetime64)):
        return True
    if not isinstance(value, str) or is_missing(value):
        return False
    text = value.strip()
    if re.fullmatch(r"[\d.,]+", text) and not _TRIPLE.match(text):
        return False
    try:
        parse_date(text)
        return True
    except ValueError:
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
            m = _TRIPLE.match(_clean_spaces(v).strip())
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
        if isinstance(v, str) and _ISO_DAY.match(v):
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
            problems.append(Problem(i, _show(v), str(exc)))
            continue
        out[i] = np.datetime64(ts.to_datetime64(), "ns")
    return DateColumn(out, tuple(missing), tuple(problems), order if triples else None, decided, tuple(notes))
