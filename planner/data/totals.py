"""Recognising totals rows: a label (``Total``, ``Grand total``, ``Summe``) or the sum of the rows above.

A totals row is not data: the import skips it and says so, instead of counting its
spend twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planner.data.numbers import looks_like_number
from planner.data.sheet import Cell

__all__ = ["is_total_label", "total_cell", "RunningSums", "is_close"]

_TOTAL_RE = re.compile(
    r"^\s*(?:grand[\s-]*total|sub[\s-]*total|totals?|sum|summe|gesamt(?:summe)?|zwischensumme|"
    r"total g[ée]n[ée]ral|totaal|totale|overall)\b", re.I)
_TOTAL_END_RE = re.compile(r"\b(?:sub[\s-]*total|totals?|summe|gesamt)\s*:?\s*$", re.I)
_TOTAL_WORDS = frozenset({"all", "all networks", "all channels", "all creators", "alle", "tous"})


def is_total_label(text: str) -> bool:
    """Tell whether a text labels a totals row: ``"Total"``, ``"Grand total"``, ``"Summe"``, ``"All networks"``.

    Parameters
    ----------
    text : str
        A cell's text.

    Returns
    -------
    bool
        True when the text starts with a totals word (``Total``, ``Subtotal``, ``Sum``,
        ``Gesamt``, ...), ends with one, or is a word such as ``All`` or ``All networks``.
    """
    return bool(_TOTAL_RE.match(text) or _TOTAL_END_RE.search(text) or text.strip().lower() in _TOTAL_WORDS)


def total_cell(c: Cell) -> str | None:
    """Return the cell when it is a totals label (text, not a number), else None.

    Parameters
    ----------
    c : Cell
        A cell of a sheet.

    Returns
    -------
    str or None
        The cell's text when it labels a totals row, else None.
    """
    return c if isinstance(c, str) and is_total_label(c) and not looks_like_number(c) else None


class RunningSums:
    """Running spend totals of the usable rows, to recognise unlabelled totals rows."""

    def __init__(self, k: int):
        self.all = [0.0] * k
        self.since = [0.0] * k

    def add(self, values: Sequence[float]) -> None:
        """Add a usable row's spends (one per column; NaN adds nothing).

        Parameters
        ----------
        values : sequence of float
            The row's spend in each spend column, in the order the sums were made for.
        """
        for k, v in enumerate(values):
            if v == v:  # not NaN
                self.all[k] += v
                self.since[k] += v

    def is_sum(self, values: Sequence[float]) -> bool:
        """Tell whether a row's spends are the sum of the rows above (since the last such row, or all).

        A row that is a sum starts a new run of rows to add up.

        Parameters
        ----------
        values : sequence of float
            The row's spend in each spend column (NaN: blank, not compared).

        Returns
        -------
        bool
            True when every non-blank spend equals (:func:`is_close`) the sum since the last
            totals row, or the sum of all usable rows; False when all are blank or zero.
        """
        have = [(k, v) for k, v in enumerate(values) if v == v]
        if not have or all(v == 0 for _, v in have):
            return False
        for above in (self.since, self.all):
            if all(is_close(v, above[k]) for k, v in have):
                self.since = [0.0] * len(self.since)
                return True
        return False


def is_close(v: float, total: float) -> bool:
    """Tell whether ``v`` is ``total`` to the cent (or to a millionth of a big total).

    Parameters
    ----------
    v : float
        A row's amount.
    total : float
        The sum it is compared with.

    Returns
    -------
    bool
        ``|v - total| <= max(0.011, 1e-6 * |total|)``.
    """
    return abs(v - total) <= max(0.011, 1e-6 * abs(total))

