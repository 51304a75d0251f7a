"""Collecting the issues of an import: a few of each kind are listed, the rest counted.

A column of a million unreadable cells gives twenty issues naming rows, and one more
saying how many other rows have the same problem.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np

from planner.data.dataset import Issue
from planner.data.sheet import Cell

__all__ = ["ISSUES_PER_KIND", "IssueLog", "RowEvents", "format_amount", "cell_text", "zeros_note"]

ISSUES_PER_KIND = 20  # per column and kind of problem; the rest are counted in one issue


class IssueLog:
    """Collects the issues of one sheet; after a few of one kind in one column, only counts them."""

    def __init__(self, sheet: str):
        self.sheet = sheet
        self.items: list[Issue] = []
        self.counts: Counter = Counter()

    def add(self, severity: str, row: int | None, column: str | None, value: Any, message: str,
            kind: str | None = None) -> None:
        """Add an issue (``kind`` groups issues to count; by default the message itself).

        Only the first :data:`ISSUES_PER_KIND` of each severity, column and kind are listed;
        the rest are counted and summed up by :meth:`issues`.

        Parameters
        ----------
        severity : str
            ``"error"`` or ``"warning"``.
        row : int or None
            The spreadsheet row number; None for the whole sheet.
        column : str or None
            The header as written in the file; None for the whole row.
        value : Any
            The cell (kept as text), or None.
        message : str
            A sentence for the user.
        kind : str or None, default None
            The kind of problem the issue is counted with.
        """
        key = (severity, column, kind or message)
        self.counts[key] += 1
        if self.counts[key] <= ISSUES_PER_KIND:
            shown = None if value is None else str(value)
            self.items.append(Issue(severity, self.sheet, None if row is None else int(row), column, shown, message))

    def bump(self, severity: str, column: str | None, kind: str, n: int) -> None:
        """Count ``n`` more issues of a kind without listing them.

        Parameters
        ----------
        severity : str
            ``"error"`` or ``"warning"``.
        column : str or None
            The header as written in the file, or None.
        kind : str
            The kind of problem, as given to :meth:`add`.
        n : int
            How many more.
        """
        self.counts[(severity, column, kind)] += n

    def issues(self) -> tuple[Issue, ...]:
        """Return the issues listed, then one per kind saying how many more rows have it.

        Returns
        -------
        tuple of Issue
            The issues in the order added, then one per severity, column and kind counted
            more than :data:`ISSUES_PER_KIND` times (row None), saying how many more.
        """
        extra = []
        for (severity, column, kind), n in self.counts.items():
            if n > ISSUES_PER_KIND:
                extra.append(Issue(severity, self.sheet, None, column, None,
                                   self.more(n - ISSUES_PER_KIND, column, kind)))
        return tuple(self.items) + tuple(extra)

    def more(self, n: int, column: str | None, kind: str) -> str:
        """Return the sentence saying that ``n`` more rows have a problem of a kind.

        Parameters
        ----------
        n : int
            How many more rows.
        column : str or None
            The header as written in the file, or None.
        kind : str
            The kind of problem.

        Returns
        -------
        str
            E.g. ``'1,234 more rows in column "Spend" have the same problem as above (not a number).'``.
        """
        where = f' in column "{column}"' if column else ""
        return f"{n:,} more rows{where} have the same problem as above ({kind})."


class RowEvents:
    """Issues found on many rows at once, logged in row order.

    Only the first few rows of each kind get an Issue built (``make``); the rest are
    counted, so a column of a million bad cells costs no more than one of twenty.
    """

    def __init__(self) -> None:
        self.items: list[tuple] = []
        self.extra: Counter = Counter()

    def add(self, positions: np.ndarray, severity: str, column: str | None, kind: str,
            make: Callable[[int], tuple[int, Any, str]]) -> None:
        """Add the rows at ``positions``; ``make(position)`` gives (row, value, message) of the first few.

        Parameters
        ----------
        positions : ndarray of int
            The rows' positions in the table being read; :meth:`flush` logs in their order.
        severity : str
            ``"error"`` or ``"warning"``.
        column : str or None
            The header as written in the file, or None.
        kind : str
            The kind of problem.
        make : callable
            ``make(position)`` returns ``(row number, value, message)``; called for the
            first :data:`ISSUES_PER_KIND` positions only.
        """
        positions = np.asarray(positions, dtype=np.int64)
        for p in positions[:ISSUES_PER_KIND]:
            row, value, message = make(int(p))
            self.items.append((int(p), len(self.items), severity, row, column, value, message, kind))
        if len(positions) > ISSUES_PER_KIND:
            self.extra[(severity, column, kind)] += len(positions) - ISSUES_PER_KIND

    def flush(self, log: IssueLog) -> None:
        """Log the issues added so far in row order, and start afresh.

        Parameters
        ----------
        log : IssueLog
            The log to add the issues and counts to.
        """
        for _, _, severity, row, column, value, message, kind in sorted(self.items, key=lambda t: (t[0], t[1])):
            log.add(severity, row, column, value, message, kind=kind)
        for (severity, column, kind), n in self.extra.items():
            log.bump(severity, column, kind, n)
        self.items, self.extra = [], Counter()


def format_amount(x: float) -> str:
    """Write an amount for a message: ``1,234.50`` (``1.235e+15`` when huge).

    Parameters
    ----------
    x : float
        An amount of money.

    Returns
    -------
    str
        Two decimals with thousands separators; four significant digits from 1e15.
    """
    return f"{x:,.2f}" if abs(x) < 1e15 else f"{x:.4g}"


def cell_text(v: Cell) -> str | None:
    """Return a cell as the user wrote it, for ``Issue.value``.

    Parameters
    ----------
    v : Cell
        A cell of a sheet.

    Returns
    -------
    str or None
        A whole float without ``.0``, a date or datetime as ``YYYY-MM-DD``, anything
        else as text; None for a blank cell.
    """
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.strftime("%Y-%m-%d")
    return str(v)



def zeros_note(count: int, first_row: int) -> str:
    """Return the sentence saying that ``count`` blank cells of a column were read as 0.

    Parameters
    ----------
    count : int
        How many blank cells (1 or more).
    first_row : int
        The spreadsheet row number of the first.

    Returns
    -------
    str
    """
    return (f"{count:,} blank cell{'s' if count > 1 else ''} in this column {'were' if count > 1 else 'was'} "
            f"read as 0 (the first at row {first_row}).")
