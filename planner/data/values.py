"""What every cell reader shares: a cell that could not be read, and blank cells.

A cell is read as a number by :mod:`planner.data.numbers` and as a date by
:mod:`planner.data.dates`; both report a cell they cannot read as a :class:`Problem`
and take the placeholders of :func:`is_missing` (``-``, ``--``, ``n/a``) as blank.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["Problem", "MISSING_TOKENS", "is_missing", "clean_spaces", "show_value", "EXCEL_ERRORS", "is_excel_error"]


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


# the texts of Excel's error values (a formula that failed), lower case: not blanks, and not numbers
EXCEL_ERRORS = frozenset(
    {"#n/a", "#div/0!", "#value!", "#ref!", "#name?", "#num!", "#null!", "#spill!", "#calc!", "#getting_data",
     "#field!", "#blocked!", "#connect!", "#busy!", "#unknown!"}
)


def is_excel_error(value: Any) -> bool:
    """Tell whether a cell holds the text of an Excel error value (``#N/A``, ``#DIV/0!``, ``#REF!``...).

    Parameters
    ----------
    value : Any
        A cell.

    Returns
    -------
    bool
        True for text that is one of :data:`EXCEL_ERRORS`, whatever its case and surrounding spaces.
    """
    return isinstance(value, str) and value.strip().lower() in EXCEL_ERRORS


def is_missing(value: Any) -> bool:
    """Tell whether a cell is blank: empty, or a placeholder such as ``-``, ``--`` or ``n/a``.

    Parameters
    ----------
    value : Any
        A cell.

    Returns
    -------
    bool
        True for None, NaN, NaT and text that is one of :data:`MISSING_TOKENS` (case and
        spaces aside); False otherwise, and for lists, tuples and dicts.
    """
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    if isinstance(value, str):
        if len(value) > 12:  # longer than any placeholder, even with spaces around
            return False
        return clean_spaces(value).strip().lower() in MISSING_TOKENS
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict)) else False
    except (TypeError, ValueError):
        return False


def clean_spaces(text: str) -> str:
    """Replace the spaces a spreadsheet hides (no-break, thin, figure) by plain ones; drop zero-width ones.

    Parameters
    ----------
    text : str
        Text from a cell.

    Returns
    -------
    str
        The text with no-break, narrow no-break, thin and figure spaces made plain
        spaces, and zero-width spaces and byte-order marks removed.
    """
    for ch in ("\xa0", "\u202f", "\u2009", "\u2007", "\u200b", "\ufeff"):
        text = text.replace(ch, " " if ch not in ("\u200b", "\ufeff") else "")
    return text


def show_value(value: Any) -> str:
    """Return a cell as the user wrote it, for a :class:`Problem`.

    Parameters
    ----------
    value : Any
        A cell.

    Returns
    -------
    str
        A whole float without its ``.0``; a datetime as its ISO date (and time, when it
        has hours or minutes); anything else as trimmed text.
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (_dt.datetime, pd.Timestamp)):
        return value.isoformat(sep=" ") if (value.hour or value.minute) else value.date().isoformat()
    return str(value).strip()
