"""The rows of one table on their way into a :class:`~planner.data.dataset.Dataset`.

:class:`TableWork` holds the positions of the table's rows in the sheet, the issues found
so far and the rows skipped with their reasons; :func:`make_dataset` turns them into the
Dataset the import returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.data.currency_found import MONEY_FIELDS, CurrencyFound, table_currency
from planner.data.dataset import Dataset
from planner.data.issues import IssueLog
from planner.data.sheet import Cell, Sheet
from planner.data.table_finder import TableChoice

__all__ = ["TableMeta", "TableWork", "empty_frames", "make_dataset", "skipped_frame"]


@dataclass
class TableMeta:
    """What every Dataset of one import carries besides its rows."""

    fname: str
    fingerprint: str
    mapping_pairs: list
    header_row: int
    decimal: str | None
    columns: tuple[str, ...]
    sheets: tuple[str, ...]
    currency: str | None = None
    currency_from: str = ""
    unused: tuple[str, ...] = ()


@dataclass
class TableWork:
    """The rows of one table on their way into a Dataset: positions into the sheet."""

    choice: TableChoice
    log: IssueLog
    idx: np.ndarray
    skipped: list = field(default_factory=list)  # (row numbers, reason or reasons)

    @property
    def sheet(self) -> Sheet:
        """The sheet the table is on.

        Returns
        -------
        Sheet
            ``choice.sheet``.
        """
        return self.choice.sheet

    @property
    def n(self) -> int:
        """The number of rows left in the table.

        Returns
        -------
        int
            ``len(idx)``.
        """
        return len(self.idx)

    @property
    def rownums(self) -> np.ndarray:
        """The spreadsheet row numbers of the rows left.

        Returns
        -------
        ndarray of int
            One per row left, in order.
        """
        return self.sheet.rownums[self.idx]

    def factor(self, j: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Return column j of these rows as ``(codes, distinct cells)``; code -1 is blank.

        Parameters
        ----------
        j : int or None
            The column's position; None or a position beyond the sheet gives all blanks.

        Returns
        -------
        tuple of (ndarray, ndarray)
            An int64 code per row left (index into the distinct cells of the whole column,
            -1 for blank) and those distinct cells.
        """
        if j is None or j >= self.sheet.width:
            return np.full(self.n, -1, dtype=np.int64), np.empty(0, dtype=object)
        codes, uniq = self.sheet.factor(j)
        return codes[self.idx], uniq

    def cell(self, k: int, j: int | None) -> Cell:
        """Return the cell of the k-th row in column j (None outside the sheet).

        Parameters
        ----------
        k : int
            The row's position among the rows left.
        j : int or None
            The column's position.

        Returns
        -------
        Cell
        """
        if j is None or j >= self.sheet.width:
            return None
        return self.sheet.cols[j][self.idx[k]]

    def cells(self, k: int) -> list[Cell]:
        """Return the cells of the k-th row, trailing blanks removed.

        Parameters
        ----------
        k : int
            The row's position among the rows left.

        Returns
        -------
        list of Cell
        """
        return self.sheet.row(int(self.idx[k]))

    def currency(self) -> CurrencyFound:
        """Return the currency the table states in its currency column, money headers or amounts.

        Returns
        -------
        CurrencyFound
            As planner.data.currency_found.table_currency reads it from the plan's money columns.
        """
        plan = self.choice.plan
        money = sorted({j for f, j in plan.fields.items() if f in MONEY_FIELDS}
                       | {j for j, _ in plan.channels} | {j for j, _ in plan.outcome_channels})

        def values_of(j: int) -> list:
            codes, cells = self.factor(j)
            return [cells[c] for c in np.unique(codes[codes >= 0])]

        return table_currency(self.choice.headers, money, values_of)

    def per_value(self, j: int | None, fn: Callable[[Cell], Any], blank: Any = None,
                  dtype: Any = object) -> np.ndarray:
        """Return ``fn`` of each row's cell in column j, computed once per distinct cell.

        Parameters
        ----------
        j : int or None
            The column's position (None: every cell blank).
        fn : callable
            Called with each distinct non-blank cell.
        blank : Any, default None
            The result for a blank cell.
        dtype : Any, default object
            The dtype of the result.

        Returns
        -------
        ndarray
            One result per row left.
        """
        codes, uniq = self.factor(j)
        out = np.full(len(uniq) + 1, blank, dtype=dtype)  # code -1 reads the last: blank
        present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(uniq)))
        for k in present:
            out[k] = fn(uniq[k])
        return out[codes]

    def value_codes(self, j: int | None, fn: Callable[[Cell], Any], blank: Any = None) -> np.ndarray:
        """Return integer codes of ``fn`` of each row's cell in column j: equal codes, equal results.

        Parameters
        ----------
        j : int or None
            The column's position (None: every cell blank).
        fn : callable
            Called with each distinct non-blank cell; its results must be hashable.
        blank : Any, default None
            The result for a blank cell.

        Returns
        -------
        ndarray of int
            One code per row left, numbered in order of first appearance among the distinct
            cells (-1 where the result is None or NaN).
        """
        codes, uniq = self.factor(j)
        present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(uniq)))
        results = [blank] * (len(uniq) + 1)
        for k in present:
            results[k] = fn(uniq[k])
        ids = pd.factorize(pd.Series(results, dtype=object))[0]
        return ids[codes]

    def skip_rows(self, positions: np.ndarray, reasons: Any) -> None:
        """Note the rows at ``positions`` as not imported; ``reasons`` one for all or one per row.

        The rows stay in ``idx`` until :meth:`keep` drops them.

        Parameters
        ----------
        positions : ndarray of int
            Positions among the rows left.
        reasons : str or ndarray of str
            The reason for all, or one per position.
        """
        positions = np.asarray(positions, dtype=np.int64)
        if len(positions):
            self.skipped.append((self.rownums[positions], reasons))

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where ``mask`` is True (the others were noted as skipped).

        Parameters
        ----------
        mask : ndarray of bool
            One per row left.
        """
        self.idx = self.idx[mask]


def empty_frames(layout: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Return the empty ``(rows, outcome)`` of a Dataset of a wide or a long table.

    Parameters
    ----------
    layout : str
        ``"wide"`` for a ``"total"`` Dataset; anything else for an ``"attributed"`` one.

    Returns
    -------
    tuple of (DataFrame, DataFrame or None)
        Wide: ``rows`` with ``date, network, spend, row`` and ``outcome`` with
        ``date, outcome, row``.  Else: ``rows`` with ``date, network, entity, spend,
        outcome, row``, and None.
    """
    if layout == "wide":
        rows = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "network": pd.Series(dtype=object),
                             "spend": pd.Series(dtype=float), "row": pd.Series(dtype=int)})
        out = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "outcome": pd.Series(dtype=float),
                            "row": pd.Series(dtype=int)})
        return rows, out
    rows = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "network": pd.Series(dtype=object),
                         "entity": pd.Series(dtype=object), "spend": pd.Series(dtype=float),
                         "outcome": pd.Series(dtype=float), "row": pd.Series(dtype=int)})
    return rows, None


def make_dataset(kind, rows, outcome, log, work: TableWork, meta: TableMeta,
                 controls: pd.DataFrame | None = None) -> Dataset:
    """Return the Dataset of a table: its rows (and outcome), issues and skipped rows in row order.

    Parameters
    ----------
    kind : str
        ``"attributed"`` or ``"total"``.
    rows : DataFrame
        The canonical rows (see :mod:`planner.data.dataset`).
    outcome : DataFrame or None
        ``date, outcome, row`` for kind ``"total"``, else None.
    log : IssueLog
        The issues of the sheet; its ``sheet`` names the Dataset's sheet.
    work : TableWork
        The table, with the rows it skipped.
    meta : TableMeta
        File name, fingerprint, mapping, columns, sheets, currency and unused columns.
    controls : DataFrame or None, default None
        ``date`` and a column per control, a row per row of ``outcome`` (kind ``"total"``).

    Returns
    -------
    Dataset
        Its frames with a fresh index, its issues as :meth:`IssueLog.issues` gives them
        and ``skipped`` (``sheet, row, reason``) sorted by row.
    """
    skipped = skipped_frame(log.sheet, work.skipped)
    return Dataset(kind, rows.reset_index(drop=True), None if outcome is None else outcome.reset_index(drop=True),
                   log.issues(), skipped, meta.fname, log.sheet, meta.fingerprint, tuple(meta.mapping_pairs),
                   meta.columns, meta.sheets, meta.currency, meta.currency_from,
                   None if controls is None else controls.reset_index(drop=True), tuple(meta.unused))



def skipped_frame(sheet: str, parts: list) -> pd.DataFrame:
    """Return the rows a table left out as ``sheet, row, reason``, sorted by row.

    Parameters
    ----------
    sheet : str
        The sheet's name.
    parts : list of (ndarray, str or ndarray)
        :attr:`TableWork.skipped`: row numbers with one reason for all or one each.
    """
    if parts:
        nums = np.concatenate([r for r, _ in parts]).astype(int)
        why = np.concatenate([np.full(len(r), w, dtype=object) if isinstance(w, str) else np.asarray(w, dtype=object)
                              for r, w in parts])
    else:
        nums, why = np.empty(0, dtype=int), np.empty(0, dtype=object)
    skipped = pd.DataFrame({"sheet": pd.Series([sheet] * len(nums), dtype=object),
                            "row": nums, "reason": pd.Series(why, dtype=object)})
    if len(skipped):
        skipped = skipped.sort_values("row", kind="stable").reset_index(drop=True)
    skipped["row"] = skipped["row"].astype(int)
    return skipped
