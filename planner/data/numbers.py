"""Reading numbers as people type them into spreadsheets.

A single cell is read by :func:`parse_number`; a whole column by :func:`parse_numbers`,
which decides the ambiguous cases (``"1,234"``: one thousand or one point two) from every
value in the column, and returns the parsed values together with one
:class:`~planner.data.values.Problem` per cell that could not be read and notes about
what was decided or assumed.

Accepted
    ``1234``, ``1,234.50``, ``1.234,50``, ``1 234,50``, ``1'234.50``, ``$1,234.50``,
    ``1.234,50 €``, ``USD 1,234``, ``(500)`` and ``500-`` (negative), ``−500``,
    ``12%`` (0.12), ``1.5k``, ``2M``, ``1e5``; blanks, ``-``, ``--``, ``n/a`` are missing.
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

from planner.base.plausible import beyond_plausible, implausible_text
from planner.data.values import Problem, clean_spaces, is_excel_error, is_missing, show_value

__all__ = [
    "CURRENCY_CODES",
    "NumberColumn",
    "parse_number",
    "parse_numbers",
    "decide_decimal",
    "decimal_votes",
    "format_number",
    "looks_like_number",
]

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
    s = clean_spaces(text).strip().replace("\u2212", "-").replace("\u2013", "-")
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
    """Return the number ``body`` stands for, as a plain numeral ("1234.5"); None if malformed."""
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
        ``nan`` for an empty cell or a placeholder (``-``, ``--``, ``n/a``); an Excel error cell (``#N/A``,
        ``#DIV/0!``) raises, though ``#N/A`` is a placeholder word too: in a sheet it is a formula that failed.

    Raises
    ------
    ValueError
        With a sentence saying why the value is not a number.
    """
    if is_excel_error(value):  # "#N/A" is also a placeholder word, but in a cell it is a formula that failed
        raise ValueError(f'"{value.strip()}" is an Excel error (a formula that failed), not a number')
    if is_missing(value):
        return math.nan
    if isinstance(value, bool):
        raise ValueError(f'"{value}" is a yes/no value, not a number')
    if isinstance(value, (int, np.integer)):
        try:
            return float(value)
        except OverflowError:  # an integer of hundreds of digits, as a hostile workbook can hold
            digits = len(str(abs(int(value)))) - 1
            raise ValueError(implausible_text(f"{'-' if value < 0 else ''}1e+{digits}")) from None
    if isinstance(value, (float, np.floating)):
        if math.isinf(value):
            raise ValueError("the value is infinite")
        return float(value)
    if isinstance(value, (_dt.date, _dt.datetime, pd.Timestamp)):
        raise ValueError(f'"{show_value(value)}" is a date, not a number')
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
    """Tell whether ``value`` reads as a number (blanks are not numbers).

    Parameters
    ----------
    value : Any
        A cell.

    Returns
    -------
    bool
        True when :func:`parse_number` reads it (a point as the decimal mark when
        ambiguous); False for blanks and bools.
    """
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

    Parameters
    ----------
    values : iterable
        The cells of a column, or its distinct cells.
    weights : iterable of int or None, default None
        How often each value occurs; None counts each once.

    Returns
    -------
    tuple of (int, int, list of str)
        The weighted votes for a point and for a comma, and the ambiguous texts
        (unweighted, stripped).  Counting stops early once 1,000 votes show a clear
        (ten to one) majority.
    """
    dots = commas = 0
    ambiguous: list[str] = []
    weights = itertools.repeat(1) if weights is None else weights
    for v, w in zip(values, weights, strict=False):
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

    Parameters
    ----------
    values : iterable
        The cells of a column, or its distinct cells.
    hint : str or None, default None
        The mark to assume when nothing tells (``"."`` or ``","``); None assumes ``"."``.
    weights : iterable of int or None, default None
        How often each value occurs; None counts each once.

    Returns
    -------
    tuple of (str, bool, str or None)
        The decimal mark (the majority of the votes, ``"."`` on a tie), whether the
        column decided it, and the note for the user when it was assumed.
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

    Returns
    -------
    NumberColumn
        ``values`` one per input value, in order; ``missing`` and the ``index`` of each
        problem are positions in ``values``; ``decided`` is False when the decimal mark
        had to be assumed; ``notes`` also says when the column mixes currencies.  A value
        beyond any plausible amount (:data:`~planner.base.plausible.MAX_AMOUNT`, infinity
        too) is a problem, not a number.
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
        if is_missing(v) and not is_excel_error(v):
            missing.append(i)
            continue
        try:
            out[i] = parse_number(v, decimal)
        except ValueError as exc:
            problems.append(Problem(i, show_value(v), str(exc)))
            continue
        if isinstance(v, str):
            c = _clean(v)
            if c is not None:
                percent = percent or c.percent
                if c.currency and c.currency not in currencies:
                    currencies.append(c.currency)
    for i in np.flatnonzero(beyond_plausible(out)):
        v = values[i]
        shown = show_value(v) if isinstance(v, str) else f"{float(v):.6g}"  # not 309 digits
        problems.append(Problem(int(i), shown, implausible_text(shown)))
        out[i] = np.nan
    problems.sort(key=lambda p: p.index)
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

    Parameters
    ----------
    x : float
        The number.
    decimal : str, default "."
        The decimal mark.
    thousands : str or None, default None
        The thousands separator; None uses the other mark, ``""`` none.
    places : int, default 2
        Decimal places.
    currency : str, default ""
        A symbol or code written before the number (``$1,234.50``), or after it with a
        space when ``currency_after``.
    currency_after : bool, default False
        Write ``currency`` after the number.
    negative : str, default "-"
        ``"()"`` writes a negative number in brackets; anything else with a minus sign.
    percent : bool, default False
        ``x`` is a share: 0.125 is written ``12.50%``.

    Returns
    -------
    str
        The text; a negative number that rounds to zero has no sign.
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

