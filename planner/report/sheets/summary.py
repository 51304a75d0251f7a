"""The workbook's Summary sheet: the plan's totals, how close it is to the best possible, and where it came from.

Budget, total spend, expected revenue (with its P10-P90 range when the model gives
one), ROAS, the change against current spend, how close the plan is to the best
possible, where the data and the model came from, and when it was made.  Totals are
live formulas over the Allocation sheet, saved with their values; so are P10, P50 and
P90 (over the range's helper columns, :mod:`planner.report.sheets.band`) and the revenue
at current spend.  Where one cannot follow edits (a row's revenue or the range is a
number), a note beside it says so and how to re-evaluate (``python -m planner evaluate``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.base.currency import current
from planner.base.format import things, unit_money
from planner.report.display import is_finite_number
from planner.report.sentences import unspent_text
from planner.report.sheets.allocation import ALLOCATION_SHEET, AllocationRows, ratio
from planner.report.sheets.band import BandCells, band_formula
from planner.report.sheets.book import Sheet
from planner.report.sheets.cells import (
    BOLD,
    COUNT,
    DATETIME,
    ITALIC_NOTE,
    MONEY,
    MONEY_SIGNED,
    MONEY_SMALL,
    PERCENT_SIGNED,
    RATIO,
    TITLE,
    WRAP,
    cell_number,
    cents,
    column_or_default,
    num,
    write_text,
)

__all__ = ["summary_sheet"]

_META_LABELS = {
    "data_source": "Data source",
    "source": "Data source",
    "model": "Model",
    "fitted": "Model fitted",
    "period": "Planning period",
    "author": "Prepared by",
}


def _money_text(x) -> str:
    return f"${x:,.2f}" if is_finite_number(x) else "n/a"


def _attr(obj, name, default=None):
    return getattr(obj, name, default) if obj is not None else default


def _statement(allocation) -> tuple[str, float | None]:
    """One sentence on how close the allocation is to the best possible."""
    objective = str(_attr(allocation, "objective", "revenue") or "revenue")
    what = "profit" if objective == "profit" else "revenue"
    value = _attr(allocation, "objective_value", None)
    if not is_finite_number(value):
        value = _attr(allocation, "total_response")
    weight = _attr(allocation, "engagement_weight", 0.0) or 0.0
    if weight and is_finite_number(value):  # the bound is on the objective with engagement valued
        value = float(value) + weight * float(np.nan_to_num(_attr(allocation, "engagements", 0.0)))
        what += f" plus engagements at {unit_money(weight)} each"
    ub = _attr(allocation, "upper_bound")
    if not (is_finite_number(ub) and is_finite_number(value)):
        gap = _attr(allocation, "gap")
        if is_finite_number(gap):
            return f"The optimizer reports a gap of {_money_text(gap)} to the best possible {what}.", None
        return "The optimizer gave no bound on the best possible result.", None
    diff = max(float(ub) - float(value), 0.0)
    rel = diff / max(abs(float(ub)), 1.0)
    bound = (f"no split of this budget within the bounds can be expected to return more than "
             f"{_money_text(ub)} of {what}")
    if diff < 0.005 or rel <= 1e-6:
        return f"Proven optimal: {bound}.", rel
    return f"Within {_money_text(diff)} ({rel:.4%}) of the best possible: {bound}.", rel


class _F(str):
    """A Summary formula with {placeholders} for the rows it refers to, and the value it computes."""

    value: object

    def __new__(cls, formula: str, value) -> _F:
        out = super().__new__(cls, formula)
        out.value = "" if value is None else value
        return out


def _n(x) -> float:
    """Return a cell's value in arithmetic: a number, or 0 for an empty or text cell (as Excel reads a blank)."""
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0


_FIXED_RANGE = "Fixed at the planner's spends; rerun evaluate after editing ({why})."


def _band_rows(allocation, band: BandCells | None, rev: str) -> list:
    """Return the P10, P50 and P90 rows: formulas over the range's helper columns, or the planner's numbers with a note."""
    out = []
    for key, label, attr, q, note in (
            ("p10", "Expected revenue, P10 (pessimistic)", "response_p10", -1,
             "The model gives a 10% chance that revenue comes in below this."),
            ("p50", "Expected revenue, P50 (median)", "response_p50", 0,
             "The model gives even odds that revenue comes in below or above this."),
            ("p90", "Expected revenue, P90 (optimistic)", "response_p90", 1,
             "The model gives a 10% chance that revenue comes in above this.")):
        value = _attr(allocation, attr)
        if not is_finite_number(value):
            continue
        if band is not None and not band.reason:
            out.append((key, label, _F(band_formula(band, q, rev), float(value)), MONEY,
                        note + " A formula: it follows edited spends and curves."))
        else:
            why = band.reason if band is not None else "the range could not be written as a formula"
            out.append((key, label, cell_number(value), MONEY, note + " " + _FIXED_RANGE.format(why=why)))
    allowance = _attr(allocation, "selection_allowance", 0.0)
    if out and is_finite_number(allowance) and allowance > 0:
        note = ("By how much a plan chosen on estimated curves is expected to fall short of them (the optimizer's "
                "curse: it favours what looks best, and what looks best is more often overestimated); P10, P50 and "
                "P90 are of the expected revenue less this. The planner's figure, fixed.")
        value = _F(f"={band.allowance}", float(allowance)) if band is not None and band.allowance else cents(allowance)
        out.append(("selection", "Allowance for the optimizer's curse", value, MONEY, note))
    return out


def summary_sheet(ws: Sheet, allocation, table: pd.DataFrame, alloc: AllocationRows, meta: Mapping | None,
                  has_frontier: bool, has_creators: bool = False, band: BandCells | None = None,
                  has_funnel: bool = False, support_text: str = "") -> None:
    """Write the Summary sheet of ``allocation`` on ``ws``, its totals formulas over the Allocation rows ``alloc``.

    ``meta`` adds facts (e.g. ``data_source``, ``model``; ``generated`` overrides the
    date); ``has_frontier`` and ``has_creators`` say which sheets the workbook has.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    allocation : Allocation
        The plan; its attributes are read with defaults, so a missing one leaves its line out or says so.
    table : DataFrame
        ``allocation.table`` (index reset), for the current spend, engagements and extrapolation.
    alloc : AllocationRows
        Where :func:`~planner.report.sheets.allocation.allocation_sheet` put the rows, and their values.
    meta : mapping or None
        Facts added as rows, labelled by key (``generated``, ``date``, ``date generated`` or
        ``date_generated`` gives the date instead of now).
    has_frontier : bool
        Whether the workbook has a Frontier sheet.
    has_creators : bool, default False
        Whether the workbook has a By creator sheet.
    band : BandCells, optional
        Where the range's totals are (:func:`~planner.report.sheets.band.band_helpers`); without it, or with
        a reason, P10, P50 and P90 are the planner's numbers and a note says so.
    has_funnel : bool, default False
        Whether the workbook has a Funnel sheet.
    support_text : str, default ""
        What the data say about the curves (planner.curves.support: the headline and the advice), written
        under Optimality as "Data support" when not empty.
    """
    ws.text("A1", "Marketing budget plan", **TITLE)
    write_text(ws, "A2", f"One planning period (a quarter). Amounts in {current().code}.", italic=True)
    objective = str(_attr(allocation, "objective", "revenue") or "revenue")
    margin = _attr(allocation, "margin", 1.0)
    total = alloc.total
    A = ALLOCATION_SHEET
    budget = cents(_attr(allocation, "budget"))
    spend, rev = _n(alloc.value("D", total)), _n(alloc.value("F", total))
    # (key, label, value, number format, note); a value of type _F is a formula with its value
    rows: list[tuple[str, str, object, str | None, str | None]] = []
    rows.append(("budget", "Budget", budget, MONEY, "The most this plan may spend."))
    rows.append(("spend", "Total spend", _F(f"={A}!D{total}", spend), MONEY,
                 "Sum of Optimal spend on the Allocation sheet."))
    rows.append(("unspent", "Unspent budget", _F('=IF(ISNUMBER({budget}),{budget}-{spend},"")',
                                                  budget - spend if budget is not None else ""), MONEY_SIGNED,
                 "Budget the plan leaves unspent (spending it would not raise the objective)."))
    rows.append(("rev", "Expected revenue", _F(f"={A}!F{total}", rev), MONEY,
                 "Sum of Expected revenue on the Allocation sheet."))
    rows += _band_rows(allocation, band, "{rev}")
    rows.append(("roas", "ROAS", _F('=IF({spend}>0,{rev}/{spend},"")', ratio(rev, spend)), RATIO,
                 "Expected revenue per dollar spent."))
    weight = _attr(allocation, "engagement_weight", 0.0) or 0.0
    if "engagements" in table.columns:
        rows.append(("eng", "Expected engagements", _F(f"={A}!K{total}", _n(alloc.value("K", total))), COUNT,
                     "Sum of Expected engagements on the Allocation sheet."))
    if weight:
        rows.append(("engweight", "Value of one engagement", float(weight), MONEY_SMALL,
                     "The plan maximises the objective plus this value for each expected engagement."))
    cur_resp = _attr(allocation, "total_current_response")
    current_given = "current_spend" in table.columns and table["current_spend"].notna().any()
    if current_given:
        cur = _n(alloc.value("C", total))
        rows.append(("cur", "Current spend", _F(f"={A}!C{total}", cur), MONEY,
                     "Sum of Current spend on the Allocation sheet."))
        rows.append(("dspend", "Change in spend", _F("={spend}-{cur}", spend - cur), MONEY_SIGNED,
                     "Total spend minus current spend."))
        col = alloc.current_revenue
        if col or is_finite_number(cur_resp):
            if col:
                curresp = _n(alloc.value(col, total))
                value = _F(f"={A}!{col}{total}", curresp)
                note = ("What the response curves expect from today's spend (sum of column "
                        f"{col} of the Allocation sheet: it follows edited curves).")
            else:
                curresp = float(cur_resp)
                value = cell_number(cur_resp)
                note = ("What the response curves expect from today's spend (a number: some rows' curves "
                        "cannot be written as formulas).")
            rows.append(("curresp", "Expected revenue at current spend", value, MONEY, note))
            rows.append(("drev", "Change in expected revenue", _F("={rev}-{curresp}", rev - curresp), MONEY_SIGNED,
                         "Expected revenue of this plan minus that of current spend."))
            rows.append(("drevpct", "Change in expected revenue, %",
                         _F('=IF({curresp}>0,{rev}/{curresp}-1,"")', ratio(rev, curresp) - 1 if curresp > 0 else ""),
                         PERCENT_SIGNED, None))
    else:
        rows.append(("cur", "Current spend", "not given", None, "The curve table has no current spend."))
    statement, _rel = _statement(allocation)
    rows.append(("gap", "Optimality", statement, None, None))
    if support_text:
        rows.append(("support", "Data support", support_text, None, None))
    if objective != "revenue":
        obj_text = f"{objective} (margin {float(margin):.0%} of revenue)" if is_finite_number(margin) else objective
    else:
        obj_text = "expected revenue"
    if weight:
        obj_text += f" + {unit_money(weight)} per expected engagement"
    rows.append(("objective", "Objective maximised", obj_text, None, None))
    extrap = column_or_default(table, "extrapolated", False).fillna(False).astype(bool)
    n_ex = int(extrap.sum())
    observed = pd.to_numeric(column_or_default(table, "observed_max", np.nan), errors="coerce")
    if n_ex:
        text = (f"{n_ex} of {len(table)} entities are planned above any spend seen in the data: their "
                "expected revenue is an extrapolation (column 'Beyond observed spend').")
    elif observed.notna().any():
        text = "Every planned spend is within the range seen in the data."
    else:
        text = "The curve table does not say which spends the data has seen; extrapolation was not checked."
    rows.append(("extrap", "Beyond observed spend", text, None, None))
    message = unspent_text(allocation) if allocation is not None else ""
    if message:
        rows.append(("message", "Optimizer note", message, None, None))
    generated = None
    for key, value in (meta or {}).items():
        if str(key).lower() in ("generated", "date", "date generated", "date_generated"):
            generated = value
            continue
        label = _META_LABELS.get(str(key).lower(), str(key).replace("_", " ").capitalize())
        plain = isinstance(value, (int, float)) and not isinstance(value, bool)
        rows.append((f"meta:{key}", label, value if plain else str(value), None, None))
    if generated is None:
        generated = _dt.datetime.now().replace(microsecond=0)
    rows.append(("generated", "Date generated", generated,
                 DATETIME if isinstance(generated, _dt.datetime) else None, None))
    rows.append(("note", "Note", _live_note(alloc, band), None, None))
    contents = ("Allocation (one row per network or creator), By network"
                + (", By creator" if has_creators else "") + (", Funnel (why each network returns what it does)"
                                                                if has_funnel else "")
                + ", Curves (the response curves used)")
    rows.append(("contents", "Sheets", contents + (", Frontier (revenue per budget)." if has_frontier else "."),
                 None, None))

    start = 4
    refs = {key: f"B{start + i}" for i, (key, *_r) in enumerate(rows)}
    for i, (_key, label, value, fmt, note) in enumerate(rows):
        r = start + i
        write_text(ws, (r, 1), label, **BOLD)
        if isinstance(value, _F):
            ws.formula((r, 2), str(value).format(**refs), value.value, **num(fmt))
        elif isinstance(value, str):  # user or planner text: never a formula
            write_text(ws, (r, 2), value, **WRAP)
        elif isinstance(value, (_dt.datetime, _dt.date)):
            ws.datetime((r, 2), value, **num(fmt or DATETIME))
        elif isinstance(value, (bool, np.bool_)):
            ws.boolean((r, 2), bool(value))
        elif isinstance(value, (int, float, np.integer, np.floating)):
            ws.number((r, 2), cell_number(value), **num(fmt))
        elif value is not None:
            write_text(ws, (r, 2), value, **WRAP)
        if note:
            write_text(ws, (r, 3), note, **ITALIC_NOTE)
    ws.width("A", 36)
    ws.width("B", 60)
    ws.width("C", 60)
    ws.freeze("A4")


def _live_note(alloc: AllocationRows, band: BandCells | None) -> str:
    """Return what follows an edit in this workbook and what does not."""
    text = ("Expected revenue is a formula of each row's spend and its curve on the Curves sheet: edit a spend or "
            "a curve's parameters and the revenue, Change, ROAS and every total follow")
    text += (", the P10-P90 range too." if band is not None and not band.reason else ".")
    if alloc.fixed:
        shown = ", ".join(alloc.fixed[:5]) + (f" and {len(alloc.fixed) - 5} more" if len(alloc.fixed) > 5 else "")
        text += (f" The expected revenue of {things(len(alloc.fixed), 'row')} is a number fixed at the planner's spend "
                 f"({shown}; the cell's comment says why).")
    fixed = "Binding is" if alloc.live_beyond else "Binding and Beyond observed spend are"
    text += (" Marginal ROAS (the return of the next dollar)" + (" and Beyond observed spend follow" if alloc.live_beyond
             else " follows") + f" too. {fixed} the planner's at its spends: after editing, run 'python -m planner "
             "evaluate --curves CURVES --plan THIS.xlsx' to re-evaluate.")
    return text
