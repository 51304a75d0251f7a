"""Each response-curve form as an Excel formula of a spend cell and its curve's cells on the Curves sheet.

The formulas are the mathematics of :mod:`planner.curves.forms`, written for Excel
(DESIGN.md, contract 1; spend below zero counts as zero):

- hill: ``beta / (1 + (k/x)^s)`` for ``x > 0``, else 0 (the planner's own overflow-free form
  of ``beta * x^s / (x^s + k^s)``);
- logistic: ``beta * TANH(x / 2k)`` (= ``beta * (1 - exp(-x/k)) / (1 + exp(-x/k))``);
- log: ``beta * LN(1 + x/k)``;
- linear: ``beta * x``.

A form without an entry in :data:`EXCEL_FORMS` (a new one) is written as a number, and the
workbook says so. The values written with the formulas are computed by the planner's own
:func:`planner.curves.forms.response`, never by this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.curves.forms import FORMS, response

__all__ = ["EXCEL_FORMS", "CURVES_SHEET", "CurveCells", "RowCurve", "row_curves"]

CURVES_SHEET = "Curves"

# form name -> formula text of (spend cell, beta, k, s); each argument is a cell reference
EXCEL_FORMS: dict[str, Callable[[str, str, str, str], str]] = {
    "hill": lambda x, beta, k, s: f"IF({x}>0,{beta}/(1+({k}/{x})^{s}),0)",
    "logistic": lambda x, beta, k, s: f"{beta}*TANH(MAX({x},0)/(2*{k}))",
    "log": lambda x, beta, k, s: f"{beta}*LN(1+MAX({x},0)/{k})",
    "linear": lambda x, beta, k, s: f"{beta}*MAX({x},0)",
}


@dataclass(frozen=True, eq=False)
class CurveCells:
    """Where the Curves sheet put the curve table: each curve's row and each column's letter.

    Attributes
    ----------
    table : DataFrame
        The curve table as written (infinite numbers as NaN), in sheet order from row 2.
    rows : dict of str to int
        A curve's stripped name to its sheet row (the first row of a name given twice).
    letters : dict of str to str
        A column's stripped, lower-cased name to its letter (the first column of a name given twice).
    """

    table: pd.DataFrame
    rows: dict[str, int]
    letters: dict[str, str]
    _numbers: dict = field(default_factory=dict, init=False, repr=False)

    def ref(self, name: str, column: str) -> str | None:
        """Return the absolute reference (``Curves!$D$5``) of ``column`` in the row of curve ``name``, if any."""
        row, col = self.rows.get(str(name).strip()), self.letters.get(column)
        return None if row is None or col is None else f"{CURVES_SHEET}!${col}${row}"

    def numbers(self, column: str) -> np.ndarray:
        """Return ``column`` (named as in :attr:`letters`) as floats by sheet row, NaN where no finite number."""
        if column not in self._numbers:
            col = self.column(column)
            if col is None:
                vals = np.full(len(self.table), np.nan)
            else:
                vals = pd.to_numeric(self.table[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                vals = np.where(np.isfinite(vals), vals, np.nan)
            self._numbers[column] = vals
        return self._numbers[column]

    def number(self, name: str, column: str) -> float:
        """Return the number in ``column`` of curve ``name`` (NaN when absent, empty or not a number)."""
        row = self.rows.get(str(name).strip())
        return float("nan") if row is None else float(self.numbers(column)[row - 2])

    def column(self, column: str):
        """Return the label in :attr:`table` of the column named ``column`` (case and spaces ignored), or None."""
        for c in self.table.columns:
            if str(c).strip().lower() == column:
                return c
        return None


@dataclass(frozen=True)
class RowCurve:
    """One plan row's response as a formula of its spend cell, or why it is a number.

    Attributes
    ----------
    formula : str or None
        The formula text without ``=`` (None when the row's response cannot be one).
    value : float
        The response at the written spend, by :func:`planner.curves.forms.response` (NaN without a curve).
    reason : str
        Why the row is a number (empty with a formula).
    """

    formula: str | None
    value: float
    reason: str


def _form_of(cells: CurveCells, name: str) -> tuple[str | None, str]:
    """Return the curve's form, or None and a sentence why its response cannot be read from the Curves sheet."""
    form_col = cells.column("curve")
    row = cells.rows.get(str(name).strip())
    if row is None or form_col is None:
        return None, "its curve is not on the Curves sheet"
    form = str(cells.table[form_col].iloc[row - 2]).strip().lower()
    if form not in FORMS:
        return None, f"the Curves sheet gives it no known curve form ({form!r})"
    spec = FORMS[form]
    need = ["beta"] + (["k"] if spec.needs_k else []) + (["s"] if spec.needs_s else [])
    missing = [p for p in need if not np.isfinite(cells.number(name, p))]
    if missing:
        return None, f"its {form} curve has no number for {', '.join(missing)} on the Curves sheet"
    return form, ""


def row_curves(cells: CurveCells, names, spend_refs, spends, planned=None) -> list[RowCurve]:
    """Return each row's response as a formula of its spend cell and its curve's cells, with its value.

    Parameters
    ----------
    cells : CurveCells
        Where the Curves sheet put the curve table.
    names : sequence of str
        The rows' curve names (as the plan names them).
    spend_refs : sequence of str
        Each row's spend cell (e.g. ``"D2"``).
    spends : sequence of float
        Each row's spend as written (NaN or None: no spend; the formula then gives the response to 0).
    planned : sequence of float, optional
        The response the planner reported for each row; a row whose curve gives another value (by more
        than half a cent) is written as the planner's number, with the reason.

    Returns
    -------
    list of RowCurve
        One per row; ``value`` is :func:`planner.curves.forms.response` at the spend.
    """
    names = list(names)
    found = [_form_of(cells, n) for n in names]
    ok = np.array([f is not None for f, _why in found], dtype=bool)
    x = np.nan_to_num(pd.to_numeric(pd.Series(list(spends), dtype=object), errors="coerce")
                      .to_numpy(dtype=float, na_value=np.nan), nan=0.0)
    values = np.full(len(names), np.nan)
    if ok.any():
        idx = np.flatnonzero(ok)
        params = {p: np.array([cells.number(names[i], p) for i in idx]) for p in ("beta", "k", "s")}
        frame = pd.DataFrame({"curve": [found[i][0] for i in idx], **params})
        values[idx] = response(frame, x[idx])
    out = []
    for i, (name, ref) in enumerate(zip(names, spend_refs, strict=True)):
        form, reason = found[i]
        want = None if planned is None else planned[i]
        if form is None:
            out.append(RowCurve(None, float("nan"), reason))
        elif want is not None and np.isfinite(want) and abs(values[i] - float(want)) > 0.005:
            out.append(RowCurve(None, float(values[i]), "the plan's revenue does not follow from its curve on the "
                                                        "Curves sheet (the plan was made on other curves)"))
        elif form not in EXCEL_FORMS:
            out.append(RowCurve(None, float(values[i]), f"the {form} curve has no Excel formula here"))
        else:
            refs = [cells.ref(name, p) or "1" for p in ("beta", "k", "s")]
            out.append(RowCurve(EXCEL_FORMS[form](ref, *refs), float(values[i]), ""))
    return out
