"""Numbers as a marketing manager reads them: money, percent and return per dollar.

Every function takes one number (Python, NumPy or pandas scalar) and returns a
string; a missing value (``None``, ``NaN``, ``pd.NA``) is shown as an em dash.
Rounding is half-up on the number as written (``0.125`` -> ``0.13``), as a
person rounding by hand would, not banker's rounding.

>>> money(1234.4), money(12.5), money(-500), money(1_234_567, compact=True)
('$1,234', '$12.50', '-$500', '$1.2M')
>>> signed_money(1200), pct(0.125), ratio(6.5), roas(6.5), roas(6.5, per_dollar=True)
('+$1,200', '12.5%', '6.50x', '$6.50', '$6.50 per $1')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pandas as pd

from planner.base.currency import current

__all__ = ["MISSING", "join_words", "money", "one", "whole_money", "signed_money", "shown_mean", "pct", "ratio", "roas", "unit_money", "count", "things", "format_table",
           "interval_text"]

MISSING = "\u2014"  # em dash
INFINITY = "\u221e"
_CENTS_BELOW = Decimal(100)  # amounts under $100 keep their cents
_UNITS = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "k"))


def _is_missing(x) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # array-likes: not a scalar, let float() complain
        return False


def _decimal(x) -> Decimal:
    """``x`` as a Decimal of its shortest written form (so 0.125 stays 0.125)."""
    if isinstance(x, Decimal):
        return x
    try:
        return Decimal(repr(float(x)))
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise TypeError(f"{x!r} is not a number.") from exc


def _round(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _infinite(d: Decimal) -> str | None:
    """Return the sign and infinity symbol when ``d`` is infinite, else None."""
    if d.is_infinite():
        return INFINITY if d > 0 else "-" + INFINITY
    return None


def _compact(a: Decimal) -> str:
    """Positive amount of $1,000 or more as ``1.2M`` / ``250k`` (two to three digits)."""
    for i, (size, suffix) in enumerate(_UNITS):
        if a >= size or (i == len(_UNITS) - 1):
            v = a / size
            places = 1 if v < 10 else 0
            r = _round(v, places)
            if r >= 1000 and i > 0:  # 999,950 -> 1000k -> 1M
                size, suffix = _UNITS[i - 1]
                r = _round(a / size, 1)
            text = f"{r:,.{1 if r < 10 else 0}f}"
            if text.endswith(".0"):
                text = text[:-2]
            return text + suffix
    raise AssertionError("unreachable")  # pragma: no cover


def interval_text(p10, p50, p90, mean=None) -> str:
    """Write an 80 % interval in words: ``80% interval: $1,517,127 to $1,752,581, median $1,631,000``.

    With ``mean``: ``..., median $1,631,000, mean $1,635,000``.

    Parameters
    ----------
    p10, p50, p90 : number or None
        The 10th percentile, the median and the 90th percentile, in dollars.
    mean : number, optional
        The mean of the same distribution.

    Returns
    -------
    str
        The amounts as :func:`money` writes them (whole dollars from $100); ``""``
        when ``p10`` or ``p90`` is missing, and no median (mean) when ``p50`` (``mean``) is missing.
    """
    if _is_missing(p10) or _is_missing(p90):
        return ""
    median = "" if _is_missing(p50) else f", median {money(p50)}"
    average = "" if _is_missing(mean) else f", mean {money(mean)}"
    return f"80% interval: {money(p10)} to {money(p90)}{median}{average}"


def band_text(p10, p50, p90, mean=None, allowance=None) -> str:
    """Write a plan's band and what its mean allows: :func:`interval_text` then :func:`selection_text`.

    Parameters
    ----------
    p10, p50, p90, mean : number or None
        As :func:`interval_text` takes them.
    allowance : number, optional
        As :func:`selection_text` takes it.

    Returns
    -------
    str
        ``"80% interval: ..., mean $X. The mean allows ..."``; ``""`` when there is no interval.
    """
    interval = interval_text(p10, p50, p90, mean)
    return f"{interval}. {selection_text(allowance)}".rstrip() if interval else ""


def shown_mean(mean, allowance):
    """Return ``mean`` where a band's mean is lowered for the optimizer's curse by half a dollar or more, else None.

    Parameters
    ----------
    mean : number
        The band's mean.
    allowance : number or None
        Dollars the mean is below the expected revenue (:mod:`planner.optimize.selection`).

    Returns
    -------
    number or None
        ``mean``, or None where the allowance is missing or under half a dollar (the median then says it).
    """
    return None if _is_missing(allowance) or allowance < 0.5 else mean


def selection_text(allowance) -> str:
    """Say what a plan's mean allows for the optimizer's curse (:mod:`planner.optimize.selection`).

    Parameters
    ----------
    allowance : number or None
        Dollars the mean of the plan's range is below its expected revenue on the curves.

    Returns
    -------
    str
        One sentence, or ``""`` when the allowance is missing or under half a dollar.
    """
    if shown_mean(1.0, allowance) is None:
        return ""
    return (f"The mean allows {money(allowance, whole=True)} for the optimizer's curse: a plan favours the curves "
            "that look best, and those are more often overestimated.")


def money(x, compact: bool = False, whole: bool = False, cents: bool = False) -> str:
    """Format an amount of money in the currency shown here: ``$1,234``, ``€1,234``, ``CHF 1,234``.

    The currency is :func:`planner.base.currency.current` (US dollars unless one is chosen).

    Parameters
    ----------
    x : number
        The amount; ``None``/``NaN`` gives an em dash, infinity gives ``∞``.
    compact : bool, default False
        Amounts of $1,000 or more as ``$1.2M``, ``$250k``, ``$12k``.
    whole : bool, default False
        Whole amounts below $100 too (``$85``), for a range or table whose other amounts are whole.
    cents : bool, default False
        Cents wherever the amount has them, whatever its size (``$1,000.50``, not ``$1,001``), for an amount
        someone typed that must read back as typed; an amount whole to the cent is written as without it.
        Takes precedence over ``compact`` and ``whole`` for amounts with cents.

    Returns
    -------
    str
        ``$1,234`` (whole dollars from $100), ``$12.50`` (cents below $100 unless ``whole``),
        ``-$500`` for a negative amount and ``$0`` for zero.
    """
    if _is_missing(x):
        return MISSING
    d = _decimal(x)
    if (inf := _infinite(d)) is not None:
        return inf
    sign = "-" if d < 0 else ""
    a = abs(d)
    to_cent = _round(a, 2)
    symbol = current().symbol
    if to_cent == 0:
        return f"{symbol}0"
    if cents and to_cent != _round(a, 0):
        return f"{sign}{symbol}{to_cent:,.2f}"
    if to_cent < _CENTS_BELOW and not (whole and _round(a, 0) > 0):
        return f"{sign}{symbol}{to_cent:,.2f}"
    if compact and a >= 1000:
        return f"{sign}{symbol}{_compact(a)}"
    return f"{sign}{symbol}{_round(a, 0):,.0f}"


def whole_money(values) -> np.ndarray:
    """Round amounts to whole units as :func:`money` writes them (half away from zero), for tables of numbers.

    A table that shows numbers with a format of its own (Streamlit's cuts the decimals off) then shows the
    same whole amounts as every sentence, the workbook and the command line.

    Parameters
    ----------
    values : array-like of float
        Amounts; NaN and infinities are kept.

    Returns
    -------
    ndarray of float
        Each finite amount rounded to a whole number, ``x.5`` away from zero (``2.5 -> 3``, ``-2.5 -> -3``).
    """
    arr = np.asarray(values, dtype=float)
    out = arr.copy()
    finite = np.isfinite(arr)
    out[finite] = [float(_round(_decimal(v), 0)) + 0.0 for v in arr[finite]]  # + 0.0: no "-$0"
    return out


def one(amount: int = 1) -> str:
    """Write a round unit of money in the currency shown here, for "per $1" and "the next $1,000".

    Parameters
    ----------
    amount : int, default 1
        The whole amount.

    Returns
    -------
    str
        ``"$1"``, ``"€1,000"``, ``"CHF 1"``.
    """
    return f"{current().symbol}{int(amount):,}"


def signed_money(x, compact: bool = False, whole: bool = False) -> str:
    """Format a change in dollars with its sign: ``+$1,200``, ``-$300``; ``$0`` when nothing changes.

    Parameters
    ----------
    x : number
        The change; ``None``/``NaN`` gives an em dash.
    compact : bool, default False
        As in :func:`money`: ``+$1.2M``, ``-$250k``.
    whole : bool, default False
        As in :func:`money`: whole dollars below $100 too (``+$2``), for a change between amounts shown whole.

    Returns
    -------
    str
        :func:`money` of ``x``, with ``+`` in front when it is above zero once rounded
        (``+$1,200``, ``+∞``); ``$0`` and negative amounts as :func:`money` writes them.
    """
    text = money(x, compact=compact, whole=whole)
    if text in (MISSING, f"{current().symbol}0") or text.startswith("-"):
        return text
    return "+" + text


def pct(x, decimals: int = 1, signed: bool = False) -> str:
    """Format a fraction as a percentage: ``0.125`` -> ``12.5%``; ``signed=True`` adds ``+``.

    Parameters
    ----------
    x : number
        The fraction (``0.125`` is 12.5 %); ``None``/``NaN`` gives an em dash.
    decimals : int, default 1
        Decimal places of the percentage, rounded half-up.
    signed : bool, default False
        Put ``+`` in front of a percentage above zero once rounded (a negative one always has ``-``).

    Returns
    -------
    str
        ``12.5%``, with thousands separators (``1,250.0%``); ``0.0%``, never ``-0.0%``;
        ``∞%`` or ``-∞%`` for an infinite fraction.
    """
    if _is_missing(x):
        return MISSING
    d = _decimal(x)
    if (inf := _infinite(d)) is not None:
        return inf + "%"
    v = _round(d * 100, decimals)
    if v == 0:
        v = abs(v)  # never "-0.0%"
    text = f"{v:,.{decimals}f}%"
    return "+" + text if signed and v > 0 else text


def ratio(x, decimals: int = 2) -> str:
    """Format a multiple such as a return on ad spend: ``6.5`` -> ``6.50x``.

    Parameters
    ----------
    x : number
        The multiple; ``None``/``NaN`` gives an em dash.
    decimals : int, default 2
        Decimal places, rounded half-up.

    Returns
    -------
    str
        ``6.50x``, with thousands separators; ``0.00x``, never ``-0.00x``; ``∞x`` or ``-∞x``
        for an infinite multiple.
    """
    if _is_missing(x):
        return MISSING
    d = _decimal(x)
    if (inf := _infinite(d)) is not None:
        return inf + "x"
    v = _round(d, decimals)
    if v == 0:
        v = abs(v)
    return f"{v:,.{decimals}f}x"


def roas(x, per_dollar: bool = False, decimals: int = 2) -> str:
    """Format revenue per dollar spent: ``6.5`` -> ``$6.50`` (or ``$6.50 per $1``).

    Parameters
    ----------
    x : number
        Revenue per dollar; ``None``/``NaN`` gives an em dash.
    per_dollar : bool, default False
        Add `` per $1`` (also after ``∞``).
    decimals : int, default 2
        Decimal places of the dollars, rounded half-up.

    Returns
    -------
    str
        ``$6.50``, ``-$0.25`` below zero, with thousands separators; ``∞`` or ``-∞`` when
        ``x`` is infinite.
    """
    if _is_missing(x):
        return MISSING
    d = _decimal(x)
    if (inf := _infinite(d)) is not None:
        text = inf
    else:
        v = _round(d, decimals)
        text = f"{'-' if v < 0 else ''}{current().symbol}{abs(v):,.{decimals}f}"
    return text + f" per {current().symbol}1" if per_dollar else text


def unit_money(x) -> str:
    """Format the price of one small thing (an engagement, a click): ``0.05`` -> ``$0.05``, ``0.0025`` -> ``$0.0025``.

    Parameters
    ----------
    x : number
        The price in dollars; ``None``/``NaN`` gives an em dash, infinity ``∞``.

    Returns
    -------
    str
        Below a cent, two significant digits (``$0.0025``), so a price is never shown as
        ``$0``; zero and from a cent on, :func:`money` of ``x``.
    """
    if _is_missing(x):
        return MISSING
    d = _decimal(x)
    if (inf := _infinite(d)) is not None:
        return inf
    a = abs(d)
    if a == 0 or a >= Decimal("0.01"):
        return money(x)
    places = 1 - a.adjusted()  # two significant digits
    return f"{'-' if d < 0 else ''}{current().symbol}{_round(a, places):.{places}f}"


def count(x, signed: bool = False) -> str:
    """Format a number of things, whole and with thousands separators: ``41023.4`` -> ``41,023``.

    Parameters
    ----------
    x : number
        The count; ``None``/``NaN`` gives an em dash, infinity ``∞``.
    signed : bool, default False
        Put ``+`` in front of a count above zero once rounded (``+41,023``).

    Returns
    -------
    str
        The count rounded half-up to a whole number; ``0``, never ``-0``.
    """
    if _is_missing(x):
        return MISSING
    d = _decimal(x)
    if (inf := _infinite(d)) is not None:
        return inf
    v = _round(d, 0)
    if v == 0:
        v = abs(v)
    return ("+" if signed and v > 0 else "") + f"{v:,.0f}"


def things(n, word: str, plural: str | None = None) -> str:
    """Return a count of things with the word in the right number: ``1 row``, ``6 rows``, ``2 entries``.

    Parameters
    ----------
    n : number
        How many (written by :func:`count`).
    word : str
        The thing, singular.
    plural : str, optional
        Its plural when it is not ``word + "s"``.

    Returns
    -------
    str
        ``"<count> <word>"``, the word plural unless the count rounds to one.
    """
    one_thing = not _is_missing(n) and count(n) in ("1", "-1")
    return f"{count(n)} {word if one_thing else (plural or word + 's')}"


def format_table(
    df: pd.DataFrame,
    money_cols: Iterable[str] = (),
    pct_cols: Iterable[str] = (),
    ratio_cols: Iterable[str] = (),
    *,
    roas_cols: Iterable[str] = (),
    signed_money_cols: Iterable[str] = (),
    compact: bool = False,
) -> pd.DataFrame:
    """Return a copy of ``df`` with the named columns as display strings.

    Parameters
    ----------
    df : DataFrame
        The table to show; it is not modified.
    money_cols, pct_cols, ratio_cols : iterable of str
        Columns formatted with :func:`money`, :func:`pct` (values are fractions)
        and :func:`ratio` (``6.50x``).
    roas_cols, signed_money_cols : iterable of str, keyword-only
        Columns formatted with :func:`roas` (``$6.50``) and :func:`signed_money`.
    compact : bool, default False
        Money as ``$1.2M`` / ``$250k``.

    Returns
    -------
    DataFrame
        Same index and column order.  Columns named but absent from ``df`` are
        skipped, so one call serves tables with and without optional columns.

    Raises
    ------
    ValueError
        When one column is named under two formats.
    """
    plan: dict[str, Callable[[object], str]] = {}
    groups: tuple[tuple[Iterable[str], Callable[[object], str]], ...] = (
        (money_cols, lambda v: money(v, compact=compact)),
        (signed_money_cols, lambda v: signed_money(v, compact=compact)),
        (pct_cols, pct),
        (ratio_cols, ratio),
        (roas_cols, roas),
    )
    for cols, fn in groups:
        for col in [cols] if isinstance(cols, str) else cols:
            if col in plan:
                raise ValueError(f"The column {col!r} is named under two formats.")
            plan[col] = fn
    out = df.copy()
    for col, fn in plan.items():
        if col in out.columns:
            out[col] = pd.Series([fn(v) for v in df[col]], index=df.index, dtype=object)
    return out


def join_words(items: Sequence[str]) -> str:
    """Join items as a sentence does: ``["a", "b", "c"]`` -> ``"a, b and c"``.

    Parameters
    ----------
    items : sequence of str
        The words or phrases.

    Returns
    -------
    str
        ``""`` for none, the item itself for one.
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
