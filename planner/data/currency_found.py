"""Which currency a table's amounts are in, read from the table itself.

Three things say it, most certain first:

- a currency column (``Currency``, ``Currency code``, ``Account currency``, as the ad
  platforms export them): its values, e.g. ``EUR``;
- the headers of the money columns: ``Amount spent (EUR)``, ``Revenue (€)``,
  ``Spend in account currency`` says nothing;
- the amounts as typed: ``1.234,50 €``, ``USD 1,234``, ``$1,234``.

A bare ``$`` is taken as US dollars only when nothing names another dollar (``$`` in a
column headed ``(CAD)`` is Canadian dollars). Two currencies in one table are refused:
the planner would add euros to dollars.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner.base.currency import SYMBOLS
from planner.data.headers import normalize_header
from planner.data.numbers import CURRENCY_CODES, parse_numbers

__all__ = ["MONEY_FIELDS", "CurrencyFound", "names_currency_column", "table_currency", "same_currency"]

# Canonical fields whose values are amounts of money (planner.data.headers.SYNONYMS).
MONEY_FIELDS = frozenset({"spend", "outcome", "outcome_per_order", "product_cost", "usage_rights", "commission"})

_CURRENCY_COLUMNS = frozenset({"currency", "currency code", "account currency", "wahrungscode", "wahrung", "devise",
                               "moneda", "valuta"})
_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "MXN"})
_IN_BRACKETS = re.compile(r"[\(\[]\s*([^\)\]]{1,4}?)\s*[\)\]]")
_CODE_WORD = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")


@dataclass(frozen=True)
class CurrencyFound:
    """The currency a table states, and where.

    Attributes
    ----------
    code : str or None
        The ISO code (``"EUR"``); None when the table does not say.
    where : str
        Where it was read, for a sentence: ``column "Amount spent (EUR)"``; ``""`` when not said.
    conflict : str
        When the table names more than one currency, the sentence that says which and where; else ``""``.
    """

    code: str | None
    where: str = ""
    conflict: str = ""


def names_currency_column(header: object) -> bool:
    """Tell whether a header names a currency column (``Currency``, ``Currency code``), which the import reads.

    Parameters
    ----------
    header : object
        A column header.

    Returns
    -------
    bool
        True when the header, normalised, is one a currency column has.
    """
    return normalize_header(header) in _CURRENCY_COLUMNS


def _symbol_code(text: str) -> str | None:
    """Return the code a symbol or a code stands for (``"€"`` -> ``"EUR"``, ``"usd"`` -> ``"USD"``), or None."""
    t = str(text).strip()
    if t in SYMBOLS:
        return SYMBOLS[t]
    return t.upper() if t.upper() in CURRENCY_CODES else None


def _header_code(header: str) -> str | None:
    """Return the currency a header names in brackets or as a code word: ``Amount spent (EUR)``, ``Spend USD``."""
    for inside in _IN_BRACKETS.findall(header):
        code = _symbol_code(inside)
        if code:
            return code
    words = [w for w in _CODE_WORD.findall(header) if w in CURRENCY_CODES]
    return words[-1] if words else None


def table_currency(headers: Sequence[str], money_columns: Iterable[int], values_of) -> CurrencyFound:
    """Return the currency a table states in a currency column, its money headers or its amounts.

    Parameters
    ----------
    headers : sequence of str
        The table's column headers.
    money_columns : iterable of int
        Positions of the columns that hold amounts (spend, revenue, fees).
    values_of : callable
        ``values_of(j)`` gives the distinct non-blank values of column ``j``.

    Returns
    -------
    CurrencyFound
        The code and where it was read; ``conflict`` says so when two currencies are named.
    """
    said: dict[str, str] = {}  # code -> where it was first read
    dollar_sign = ""
    for j, header in enumerate(headers):
        if names_currency_column(header):
            for value in values_of(j):
                code = _symbol_code(value)
                if code and code != "USD" or code == "USD" and str(value).strip().upper() == "USD":
                    said.setdefault(code, f'column "{header}" ({str(value).strip()})')
    for j in money_columns:
        header = str(headers[j])
        code = _header_code(header)
        if code == "USD" and "$" in header and "USD" not in header.upper():
            dollar_sign = dollar_sign or f'column "{header}"'
        elif code:
            said.setdefault(code, f'column "{header}"')
        strings = [v for v in values_of(j) if isinstance(v, str)]
        if not strings:
            continue
        for seen in parse_numbers(strings).currencies:
            code = _symbol_code(seen)
            if code is None:
                continue
            if seen.strip() == "$":
                dollar_sign = dollar_sign or f'amounts such as "{_example(strings, seen)}" in column "{header}"'
            else:
                said.setdefault(code, f'amounts such as "{_example(strings, seen)}" in column "{header}"')
    if dollar_sign and not said.keys() & _DOLLARS:
        said.setdefault("USD", dollar_sign)
    if len(said) > 1:
        (a, wa), (b, wb) = list(said.items())[:2]
        more = f" (and {', '.join(list(said)[2:])})" if len(said) > 2 else ""
        return CurrencyFound(None, "", f"The table mixes currencies: {a} in {wa} and {b} in {wb}{more}. "
                                       "Convert them to one currency before importing; the planner would add "
                                       "one to the other.")
    if said:
        code, where = next(iter(said.items()))
        return CurrencyFound(code, where)
    return CurrencyFound(None)


def _example(strings: Sequence[str], symbol: str) -> str:
    return next((s for s in strings if symbol in s), strings[0]).strip()


def same_currency(found: Sequence[tuple[str, str | None]]) -> str:
    """Say why files in different currencies cannot be planned together; ``""`` when they can.

    Parameters
    ----------
    found : sequence of (file name, code or None)
        Each file and the currency it states (None: it does not say).

    Returns
    -------
    str
        E.g. ``"ads.csv is in EUR and tracker.xlsx in USD: ..."``; ``""`` when at most one currency is stated.
    """
    stated = [(name, code) for name, code in found if code]
    codes = list(dict.fromkeys(code for _, code in stated))
    if len(codes) <= 1:
        return ""
    first = next(name for name, code in stated if code == codes[0])
    second = next(name for name, code in stated if code == codes[1])
    return (f"{first} is in {codes[0]} and {second} in {codes[1]}: the planner would add one to the other. "
            f"Plan them one at a time, or convert {second} to {codes[0]} in the spreadsheet and load it again.")
