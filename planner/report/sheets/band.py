"""The plan's P10-P90 range as live formulas: helper columns beside the Allocation table, read by the Summary.

The planner's range (:func:`planner.curves.intervals.total_band`) takes each row's curve scale
as lognormal with its 80 % interval ``beta_p10..beta_p90`` (Curves sheet), rows of one
``source`` sharing a part ``CORRELATION`` of their log-scale error; the total's mean and
variance are exact, and the total is read as lognormal with them.  Written for Excel, per
row of the Allocation sheet (after the revenue at current spend):

- ``Range: source group``: the row's source, as a number (rows with the same number share error);
- ``Range: log spread``: ``LN(beta_p90 / beta_p10) / (2 z)``, ``z`` the normal 90 % quantile
  (0 for a row without a usable interval);
- ``Range: mean revenue``: the row's expected revenue (column F), the mean of its range;
- ``Range: variance share``: the row's own variance plus its covariance with the rows of its source
  (a ``SUMPRODUCT`` over the columns above);
- ``Range: selection allowance`` (totals row only): by how much a plan chosen on these curves is
  expected to fall short of them (:mod:`planner.optimize.selection`), the planner's figure, fixed;

and their totals on the totals row, from which the Summary's P10, P50 and P90 are
``EXP(LN(mean - allowance) - s2/2 -/+ z SQRT(s2))`` with ``s2 = LN(1 + variance / mean^2)``.  So the
range follows every edited spend and every edited curve, its interval included.  Where it
cannot (a row's curve is not on the Curves sheet, or the sheet's intervals do not give the
planner's range), the Summary keeps the planner's numbers and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from planner.curves.intervals import CORRELATION, band_columns, log_spreads, total_band, variance_shares
from planner.report.sheets.allocation import ALLOCATION_SHEET, HELPER_START, AllocationRows
from planner.report.sheets.book import Sheet, letter
from planner.report.sheets.cells import COUNT, ITALIC_NOTE, MONEY, NUMBER, num, write_text
from planner.report.sheets.curve_formulas import CurveCells

__all__ = ["BandCells", "Z90", "band_helpers", "band_formula"]

Z90 = NormalDist().inv_cdf(0.9)
_HEADERS = (
    ("Range: source group", "Rows with the same number come from the same source (the curve table's 'source') "
     "and share part of their error."),
    ("Range: log spread", "How uncertain the curve's scale is: LN(beta_p90 / beta_p10) / 2.563 from the Curves "
     "sheet (0 without an interval)."),
    ("Range: mean revenue", "Expected revenue: the mean of the row's range."),
    ("Range: variance share", "This row's share of the variance of the total revenue, its covariance with the "
     "rows of the same source included."),
    ("Range: selection allowance", "On the totals row: by how much a plan chosen on estimated curves is expected "
     "to fall short of them (the optimizer's curse: it favours what looks best, and what looks best is more "
     "often overestimated). The planner's figure, fixed; the range's mean is the expected revenue less it."),
)


@dataclass(frozen=True)
class BandCells:
    """Where the range's totals are, or why the Summary keeps the planner's numbers.

    Attributes
    ----------
    mean, variance : str
        References (``Allocation!P12``) of the total's expected revenue and variance; empty when fixed.
    allowance : str
        Reference of the selection allowance taken off the mean; empty when there is none.
    reason : str
        Why the range is not a formula (empty when it is).
    """

    mean: str = ""
    variance: str = ""
    allowance: str = ""
    reason: str = ""


def band_formula(cells: BandCells, quantile: float, revenue: str) -> str:
    """Return the Summary's formula of one quantile of the total revenue from the range's totals.

    Parameters
    ----------
    cells : BandCells
        The range's totals (``mean`` and ``variance``).
    quantile : {-1, 0, 1}
        ``-1`` for P10, ``0`` for P50, ``1`` for P90.
    revenue : str
        The expected revenue's reference, the answer when the mean is not above zero.

    Returns
    -------
    str
        The formula, starting with ``=``.
    """
    m, v = cells.mean, cells.variance
    mean = f"({m}-{cells.allowance})" if cells.allowance else m
    s2 = f"LN(1+MAX({v},0)/{m}^2)"
    spread = "" if quantile == 0 else f"{'+' if quantile > 0 else '-'}SQRT({s2})*{Z90!r}"
    return f"=IF(AND({m}>0,{mean}>0),EXP(LN({mean})-{s2}/2{spread}),{revenue})"


def _aligned(cells: CurveCells, names) -> pd.DataFrame | None:
    """Return the curve rows of ``names`` with beta, beta_p10, beta_p90 and source, or None if one is missing."""
    if any(str(n).strip() not in cells.rows for n in names):
        return None
    out = {c: [cells.number(n, c) for n in names] for c in ("beta", "beta_p10", "beta_p90")}
    src = cells.column("source")
    if src is not None:
        out["source"] = [cells.table[src].iloc[cells.rows[str(n).strip()] - 2] for n in names]
    return pd.DataFrame(out)


def band_helpers(ws: Sheet, alloc: AllocationRows, table: pd.DataFrame, cells: CurveCells | None,
                 allocation) -> BandCells | None:
    """Write the range's helper columns on the Allocation sheet ``ws``; return where their totals are.

    Parameters
    ----------
    ws : Sheet
        The Allocation sheet; changed in place.
    alloc : AllocationRows
        Where its rows are, and the values of its formulas (each row's expected revenue).
    table : DataFrame
        The allocation table (its ``name`` column, in sheet order).
    cells : CurveCells or None
        Where the Curves sheet put the curve table.
    allocation : Allocation
        The plan: its ``response_p10`` and ``response_p90`` are the planner's range.

    Returns
    -------
    BandCells or None
        None when the plan has no range; else the totals' references, or the reason the range is fixed.
    """
    p10, p90 = (getattr(allocation, a, float("nan")) for a in ("response_p10", "response_p90"))
    if not np.isfinite(p10):
        return None
    names = [str(n) for n in table["name"]]
    aligned = _aligned(cells, names) if cells is not None and names else None
    if aligned is None:
        return BandCells(reason="some rows' curves are not on the Curves sheet")
    resp = np.array([v if isinstance(v, (int, float)) else np.nan for v in alloc.values("F")], dtype=float)
    allowance = float(getattr(allocation, "selection_allowance", 0.0) or 0.0)
    band = total_band(resp, *band_columns(aligned), allowance=allowance)
    if abs(band["p10"] - p10) > 0.005 or (np.isfinite(p90) and abs(band["p90"] - p90) > 0.005):
        return BandCells(reason="the intervals on the Curves sheet do not give the planner's range")
    beta, lo, hi, groups = band_columns(aligned)
    codes = pd.factorize(np.asarray(groups, dtype=object), use_na_sentinel=False)[0] + 1
    r = np.nan_to_num(resp, nan=0.0)
    sd = log_spreads(beta, lo, hi)
    v = variance_shares(r, beta, lo, hi, codes)
    start = HELPER_START + (1 if alloc.current_revenue else 0)
    gc, sc, mc, vc, ac = (letter(start + j) for j in range(5))
    first, last, total = alloc.first, alloc.last, alloc.total
    rho = repr(float(np.clip(CORRELATION, 0.0, 1.0)))
    for j, (title, note) in enumerate(_HEADERS):
        write_text(ws, (1, start + j), title, bold=True, text_wrap=True, valign="vcenter")
        ws.comment((1, start + j), note)
        ws.width(start + j, 14)
    for i, name in enumerate(names):
        row = first + i
        b, lo_ref, hi_ref = (cells.ref(name, c) for c in ("beta", "beta_p10", "beta_p90"))
        ws.number(f"{gc}{row}", int(codes[i]), **ITALIC_NOTE)
        if lo_ref and hi_ref and b:
            good = f"AND(ISNUMBER({lo_ref}),ISNUMBER({hi_ref}),{lo_ref}>0,{hi_ref}>={lo_ref},{b}>0)"
            ws.formula(f"{sc}{row}", f"=IF({good},LN({hi_ref}/{lo_ref})/(2*{Z90!r}),0)", float(sd[i]),
                       **num(NUMBER), **ITALIC_NOTE)
        else:
            ws.number(f"{sc}{row}", 0.0, **num(NUMBER), **ITALIC_NOTE)
        ws.formula(f"{mc}{row}", f"=F{row}", float(r[i]), **num(MONEY), **ITALIC_NOTE)
        same = f"(${gc}${first}:${gc}${last}={gc}{row})"
        ws.formula(f"{vc}{row}", f"={mc}{row}^2*(EXP({sc}{row}^2)-EXP({rho}*{sc}{row}^2))+{mc}{row}*SUMPRODUCT("
                                 f"{same}*${mc}${first}:${mc}${last}*(EXP({rho}*{sc}{row}*${sc}${first}:${sc}${last})"
                                 f"-1))", float(v[i]), **num(COUNT), **ITALIC_NOTE)
    ws.formula(f"{mc}{total}", f"=SUM({mc}{first}:{mc}{last})", float(r.sum()), **num(MONEY), bold=True)
    ws.formula(f"{vc}{total}", f"=SUM({vc}{first}:{vc}{last})", float(v.sum()), **num(COUNT), bold=True)
    ws.number(f"{ac}{total}", allowance, **num(MONEY), bold=True)
    return BandCells(mean=f"{ALLOCATION_SHEET}!{mc}{total}", variance=f"{ALLOCATION_SHEET}!{vc}{total}",
                     allowance=f"{ALLOCATION_SHEET}!{ac}{total}")
