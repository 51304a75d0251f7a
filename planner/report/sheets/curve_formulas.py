"""Each response-curve form as an Excel formula of a spend cell and its curve's cells on the Curves sheet.

The formulas are the mathematics of :mod:`planner.curves.forms`, written for Excel
(DESIGN.md, contract 1; spend below zero counts as zero).  The response (:data:`EXCEL_FORMS`):

- hill: ``beta / (1 + (k/x)^s)`` for ``x > 0``, else 0 (the planner's own overflow-free form
  of ``beta * x^s / (x^s + k^s)``);
- logistic: ``beta * TANH(x / 2k)`` (= ``beta * (1 - exp(-x/k)) / (1 + exp(-x/k))``);
- log: ``beta * LN(1 + x/k)``;
- linear: ``beta * x``.

Its derivative, the return of the next dollar (:data:`EXCEL_MARGINALS`, as
:func:`planner.curves.forms.marginal`):

- hill: ``beta s / x * e / (1 + e)^2`` with ``e = EXP(-ABS(s LN(x/k)))`` for ``x > 0`` (=
  ``beta s (k/x)^s / (x (1 + (k/x)^s)^2)``, written so that no power overflows or underflows:
  the planner's 0 where they would); at ``x <= 0`` the planner's limits: 0 for ``s > 1``,
  ``beta / k`` for ``s = 1``, and ``∞`` (a text: Excel has no infinite number) for ``s < 1``;
- logistic: ``beta / (2k) / COSH(MIN(x / 2k, 350))^2``;
- log: ``beta / (k + x)``;
- linear: ``beta``.

And whether a spend is beyond the data (:func:`beyond_formula`): above the curve's
``observed_max`` by the planner's margin (:data:`BEYOND_REL`, :data:`BEYOND_ABS`).

A form without an entry here (a new one) is written as a number, and the workbook says so.
The values written with the formulas are computed by the planner's own
:func:`planner.curves.forms.response` and :func:`planner.curves.forms.marginal`, never by
this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.base.format import INFINITY
from planner.curves.forms import FORMS, marginal, response

__all__ = ["EXCEL_FORMS", "EXCEL_MARGINALS", "CURVES_SHEET", "BEYOND_REL", "BEYOND_ABS", "CurveCells", "RowCurve",
           "beyond_formula", "row_curves"]

CURVES_SHEET = "Curves"

# form name -> formula text of (spend cell, beta, k, s); each argument is a cell reference
EXCEL_FORMS: dict[str, Callable[[str, str, str, str], str]] = {
    "hill": lambda x, beta, k, s: f"IF({x}>0,{beta}/(1+({k}/{x})^{s}),0)",
    "logistic": lambda x, beta, k, s: f"{beta}*TANH(MAX({x},0)/(2*{k}))",
    "log": lambda x, beta, k, s: f"{beta}*LN(1+MAX({x},0)/{k})",
    "linear": lambda x, beta, k, s: f"{beta}*MAX({x},0)",
}


def _hill_marginal(x: str, beta: str, k: str, s: str) -> str:
    e = f"EXP(-ABS({s}*LN({x}/{k})))"  # (k/x)^s or its inverse, whichever is at most 1: the slope is symmetric
    return f'IF({x}>0,{beta}*{s}/{x}*{e}/(1+{e})^2,IF({s}>1,0,IF({s}=1,{beta}/{k},"{INFINITY}")))'


# form name -> formula text of the marginal response d response / d spend at (spend cell, beta, k, s)
EXCEL_MARGINALS: dict[str, Callable[[str, str, str, str], str]] = {
    "hill": _hill_marginal,
    "logistic": lambda x, beta, k, s: f"{beta}/(2*{k})/COSH(MIN(MAX({x},0)/(2*{k}),350))^2",
    "log": lambda x, beta, k, s: f"{beta}/({k}+MAX({x},0))",
    "linear": lambda x, beta, k, s: f"{beta}",
}

# a spend is beyond the data when above observed_max * BEYOND_REL + BEYOND_ABS (the planner's margin)
BEYOND_REL = 1.0001
BEYOND_ABS = 0.005


def beyond_formula(spend: str, observed_max: str) -> str:
    """Return the formula (without ``=``) that shows ``Yes`` when ``spend`` is beyond the data, else ``""``.

    Parameters
    ----------
    spend, observed_max : str
        References of the spend cell and of the curve's ``observed_max`` cell; an empty ``observed_max``
        means the data's range is unknown (never beyond).

    Returns
    -------
    str
        ``IF(ISNUMBER(obs),IF(spend>obs*1.0001+0.005,"Yes",""),"")``: the planner's rule
        (:attr:`planner.optimize.Allocation.table`'s ``extrapolated``); a text typed in ``observed_max``
        counts as empty, not as an error.
    """
    over = f"{spend}>{observed_max}*{BEYOND_REL!r}+{BEYOND_ABS!r}"
    return f'IF(ISNUMBER({observed_max}),IF({over},"Yes",""),"")'


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
    _cache: dict = field(default_factory=dict, init=False, repr=False)

    def ref(self, name: str, column: str) -> str | None:
        """Return the absolute reference (``Curves!$D$5``) of ``column`` in the row of curve ``name``, if any."""
        row, col = self.rows.get(str(name).strip()), self.letters.get(column)
        return None if row is None or col is None else f"{CURVES_SHEET}!${col}${row}"

    def numbers(self, column: str) -> np.ndarray:
        """Return ``column`` (named as in :attr:`letters`) as floats by sheet row, NaN where no finite number."""
        if column not in self._cache:
            col = self.column(column)
            if col is None:
                vals = np.full(len(self.table), np.nan)
            else:
                vals = pd.to_numeric(self.table[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                vals = np.where(np.isfinite(vals), vals, np.nan)
            self._cache[column] = vals
        return self._cache[column]

    def texts(self, column: str) -> list[str] | None:
        """Return ``column`` (named as in :attr:`letters`) as text by sheet row, or None when the sheet has none."""
        key = ("text", column)
        if key not in self._cache:
            col = self.column(column)
            self._cache[key] = None if col is None else [str(v) for v in self.table[col]]
        return self._cache[key]

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
    """One plan row's response, marginal response and beyond-the-data flag as formulas, or why they are numbers.

    Attributes
    ----------
    formula : str or None
        The response's formula text without ``=`` (None when the row's response cannot be one).
    value : float
        The response at the written spend, by :func:`planner.curves.forms.response` (NaN without a curve).
    reason : str
        Why the row is a number (empty with a formula).
    marginal_formula : str or None
        The marginal response's formula text (None when the response is no formula, or the form has no
        entry in :data:`EXCEL_MARGINALS`).
    marginal : float
        The marginal response at the written spend, by :func:`planner.curves.forms.marginal` (``inf`` at $0
        for a hill curve with ``s < 1``; NaN without a curve).
    beyond_formula : str or None
        The formula showing ``Yes`` when the spend is beyond the data (None when the response is no formula
        or the Curves sheet has no ``observed_max`` column).
    beyond : bool
        Whether the written spend is beyond the curve's ``observed_max`` (False when it is not given).
    """

    formula: str | None
    value: float
    reason: str
    marginal_formula: str | None = None
    marginal: float = float("nan")
    beyond_formula: str | None = None
    beyond: bool = False


def _form_of(cells: CurveCells, name: str) -> tuple[str | None, str]:
    """Return the curve's form, or None and a sentence why its response cannot be read from the Curves sheet."""
    row = cells.rows.get(str(name).strip())
    forms = cells.texts("curve")
    if row is None or forms is None:
        return None, "its curve is not on the Curves sheet"
    form = forms[row - 2].strip().lower()
    if form not in FORMS:
        return None, f"the Curves sheet gives it no known curve form ({form!r})"
    spec = FORMS[form]
    need = ["beta"] + (["k"] if spec.needs_k else []) + (["s"] if spec.needs_s else [])
    missing = [p for p in need if not np.isfinite(cells.number(name, p))]
    if missing:
        return None, f"its {form} curve has no number for {', '.join(missing)} on the Curves sheet"
    return form, ""


def _evaluate(cells: CurveCells, names: list[str], forms: list, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the planner's response and marginal response of the rows with a form (NaN elsewhere) at ``x``."""
    values, slopes = np.full(len(names), np.nan), np.full(len(names), np.nan)
    idx = np.flatnonzero([f is not None for f in forms])
    if len(idx):
        params = {p: np.array([cells.number(names[i], p) for i in idx]) for p in ("beta", "k", "s")}
        frame = pd.DataFrame({"curve": [forms[i] for i in idx], **params})
        values[idx] = response(frame, x[idx])
        slopes[idx] = marginal(frame, x[idx])
    return values, slopes


def row_curves(cells: CurveCells, names, spend_refs, spends, planned=None) -> list[RowCurve]:
    """Return each row's response, marginal response and beyond-the-data flag as formulas, with their values.

    Parameters
    ----------
    cells : CurveCells
        Where the Curves sheet put the curve table.
    names : sequence of str
        The rows' curve names (as the plan names them).
    spend_refs : sequence of str
        Each row's spend cell (e.g. ``"D2"``).
    spends : sequence of float
        Each row's spend as written (NaN or None: no spend; the formulas then give the figures at 0).
    planned : sequence of float, optional
        The response the planner reported for each row; a row whose curve gives another value (by more
        than half a cent) is written as the planner's number, with the reason.

    Returns
    -------
    list of RowCurve
        One per row; ``value`` and ``marginal`` are :func:`planner.curves.forms.response` and
        :func:`planner.curves.forms.marginal` at the spend, ``beyond`` the planner's rule
        (:data:`BEYOND_REL`, :data:`BEYOND_ABS`) on the curve's ``observed_max``.  A row whose response
        is a number has no marginal or beyond formula either.
    """
    names = list(names)
    found = [_form_of(cells, n) for n in names]
    x = np.nan_to_num(pd.to_numeric(pd.Series(list(spends), dtype=object), errors="coerce")
                      .to_numpy(dtype=float, na_value=np.nan), nan=0.0)
    values, slopes = _evaluate(cells, names, [f for f, _why in found], x)
    observed = cells.column("observed_max") is not None
    out = []
    for i, (name, ref) in enumerate(zip(names, spend_refs, strict=True)):
        form, reason = found[i]
        want = None if planned is None else planned[i]
        if form is None:
            out.append(RowCurve(None, float("nan"), reason))
            continue
        value, slope = float(values[i]), float(slopes[i])
        if want is not None and np.isfinite(want) and abs(value - float(want)) > 0.005:
            out.append(RowCurve(None, value, "the plan's revenue does not follow from its curve on the Curves sheet "
                                             "(the plan was made on other curves)", marginal=slope))
        elif form not in EXCEL_FORMS:
            out.append(RowCurve(None, value, f"the {form} curve has no Excel formula here", marginal=slope))
        else:
            refs = [cells.ref(name, p) or "1" for p in ("beta", "k", "s")]
            slope_formula = EXCEL_MARGINALS[form](ref, *refs) if form in EXCEL_MARGINALS else None
            obs = cells.number(name, "observed_max")
            over = bool(np.isfinite(obs) and x[i] > obs * BEYOND_REL + BEYOND_ABS)
            out.append(RowCurve(EXCEL_FORMS[form](ref, *refs), value, "", slope_formula, slope,
                                beyond_formula(ref, cells.ref(name, "observed_max")) if observed else None, over))
    return out
