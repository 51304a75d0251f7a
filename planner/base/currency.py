"""The currency money is shown in: its code, its symbol, and where a screen or file is in it.

Amounts in the planner are plain numbers in the data's currency; only their text changes.
:func:`current` is the currency every formatter in :mod:`planner.base.format` writes in,
US dollars unless a caller chose another with :func:`using` (the app per session, the
command line per command). The chosen currency lives in a context variable, so two
sessions of the app (two threads) never see each other's.

>>> from planner.base.currency import EUR, current, using
>>> current().code
'USD'
>>> with using(EUR):
...     current().symbol
'€'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from planner.base.errors import InputError

__all__ = ["Currency", "USD", "EUR", "GBP", "KNOWN", "COLUMN", "currency_of", "for_code", "currency_in", "current",
           "using", "show_in"]

COLUMN = "currency"  # the curve table's optional column: the ISO code its amounts are in


@dataclass(frozen=True)
class Currency:
    """One currency as people write it.

    Attributes
    ----------
    code : str
        The ISO 4217 code, e.g. ``"EUR"``.
    symbol : str
        What is written before an amount: ``"€"``, ``"$"``, or the code and a space when the
        currency has no symbol of its own people would recognise (``"CHF "``).
    name : str
        The currency in words, for sentences ("Amounts in euros").
    """

    code: str
    symbol: str
    name: str

    def excel_format(self, decimals: int = 0) -> str:
        """Return an Excel number format for amounts in this currency, e.g. ``"€"#,##0``.

        Parameters
        ----------
        decimals : int, default 0
            Decimal places shown.

        Returns
        -------
        str
            The format, negative amounts with a minus sign; the symbol is quoted so Excel and
            LibreOffice read it as text whatever their locale.
        """
        digits = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        symbol = self.symbol.replace('"', "")
        return f'"{symbol}"{digits};-"{symbol}"{digits}'


USD = Currency("USD", "$", "US dollars")
EUR = Currency("EUR", "€", "euros")
GBP = Currency("GBP", "£", "pounds sterling")

KNOWN: dict[str, Currency] = {c.code: c for c in (
    USD, EUR, GBP,
    Currency("JPY", "¥", "Japanese yen"),
    Currency("CNY", "CN¥", "Chinese yuan"),
    Currency("INR", "₹", "Indian rupees"),
    Currency("KRW", "₩", "South Korean won"),
    Currency("BRL", "R$", "Brazilian reais"),
    Currency("CAD", "CA$", "Canadian dollars"),
    Currency("AUD", "A$", "Australian dollars"),
    Currency("NZD", "NZ$", "New Zealand dollars"),
    Currency("MXN", "MX$", "Mexican pesos"),
    Currency("CHF", "CHF ", "Swiss francs"),
    Currency("SEK", "SEK ", "Swedish kronor"),
    Currency("NOK", "NOK ", "Norwegian kroner"),
    Currency("DKK", "DKK ", "Danish kroner"),
    Currency("PLN", "PLN ", "Polish złoty"),
    Currency("TRY", "₺", "Turkish lira"),
    Currency("ZAR", "ZAR ", "South African rand"),
    Currency("SGD", "SGD ", "Singapore dollars"),
    Currency("HKD", "HK$", "Hong Kong dollars"),
    Currency("AED", "AED ", "UAE dirhams"),
)}

# Symbols people type beside amounts, to the currency they mean. "$" alone is US dollars,
# as the ad platforms' own exports use it; "kr" is too ambiguous to read.
SYMBOLS: dict[str, str] = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW",
                           "R$": "BRL", "CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "NZ$": "NZD",
                           "MX$": "MXN", "CN¥": "CNY", "HK$": "HKD", "₺": "TRY", "zł": "PLN"}

_CURRENT: ContextVar[Currency] = ContextVar("planner_currency", default=USD)


def currency_of(text: str) -> Currency:
    """Return the currency an ISO code or a symbol names (``"eur"``, ``"€"``, ``"US$"``).

    Parameters
    ----------
    text : str
        A code of :data:`KNOWN` (any case) or a symbol people write beside amounts.

    Returns
    -------
    Currency

    Raises
    ------
    InputError
        When ``text`` names no currency the planner knows, with the codes it does.
    """
    key = str(text).strip()
    code = SYMBOLS.get(key, key.upper())
    if code not in KNOWN:
        raise InputError(f"{key!r} is not a currency the planner knows; use one of {', '.join(sorted(KNOWN))}.")
    return KNOWN[code]


def for_code(code: str) -> Currency:
    """Return the currency of an ISO code, known or not (``"QAR"`` is written ``QAR 1,234``).

    Parameters
    ----------
    code : str
        An ISO 4217 code, any case.

    Returns
    -------
    Currency
        The one in :data:`KNOWN`, else one whose symbol and name are the code.
    """
    key = str(code).strip().upper()
    return KNOWN.get(key) or Currency(key, f"{key} ", key)


def currency_in(table) -> Currency | None:
    """Return the currency a curve table or plan states in its ``currency`` column, or None.

    Parameters
    ----------
    table : DataFrame
        Any table; its :data:`COLUMN` column, where present, holds one ISO code.

    Returns
    -------
    Currency or None
        None when the column is absent or blank; the first code written otherwise.
    """
    if COLUMN not in getattr(table, "columns", ()):
        return None
    codes = [str(c).strip() for c in table[COLUMN].tolist() if isinstance(c, str) and str(c).strip()]
    return for_code(codes[0]) if codes else None


def current() -> Currency:
    """Return the currency amounts are shown in here (US dollars unless :func:`using` chose another)."""
    return _CURRENT.get()


def show_in(currency: Currency | str) -> Currency:
    """Show amounts in ``currency`` from here on in this thread or task (an app's script run sets it first).

    Parameters
    ----------
    currency : Currency or str
        A :class:`Currency`, a code or a symbol.

    Returns
    -------
    Currency
        The currency now in force.
    """
    chosen = currency if isinstance(currency, Currency) else currency_of(currency)
    _CURRENT.set(chosen)
    return chosen


@contextlib.contextmanager
def using(currency: Currency | str) -> Iterator[Currency]:
    """Show amounts in ``currency`` inside the ``with`` block (a :class:`Currency`, a code or a symbol)."""
    chosen = currency if isinstance(currency, Currency) else currency_of(currency)
    token = _CURRENT.set(chosen)
    try:
        yield chosen
    finally:
        _CURRENT.reset(token)
