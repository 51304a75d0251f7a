"""The allocation as files finance can read, audit and change: an Excel workbook and a CSV.

The workbook has these sheets:

- ``Summary``: budget, total spend, expected revenue (with its P10-P90 range when the
  model gives one), ROAS, the change against current spend, how close the plan is to
  the best possible, where the data and the model came from, and when it was made.
- ``Allocation``: one row per entity (an Excel Table) with live formulas for the
  change (``=D-C``), the ROAS (``=IF(D>0,F/D,"")``) and a totals row (``=SUM``); a
  column K of expected engagements when the allocation has them (curve-table column
  ``engagement_per_dollar``), and the Summary then gives their total and the value of
  one engagement the plan was optimised with.
- ``By network``: the allocation summed per network with ``SUMIF`` formulas over the
  Allocation sheet, so it follows the analyst's edits, and the return of the next dollar
  in each network.
- ``By creator`` (when the plan has creators, names ``Network/@handle``): the creators
  only, largest optimal spend first, each cell a live reference to its Allocation row.
- ``Curves``: the curve table, so the workbook itself is a valid curve table for
  :func:`planner.curves.files.read_curves` (it reads the sheet named "Curves").
- ``Frontier`` (when given): expected revenue and marginal return per budget.

Every text a user gave (names, networks, meta values) is stored as text with
:func:`planner.base.safe_text.set_text`: a creator named ``=HYPERLINK("x")`` stays text.
Spends are written rounded to the cent, so :func:`planner.data.plans.read_plan` reads the
workbook back as the same plan.

Expected revenue in the Allocation sheet is the planner's value at the optimal spend;
it is a number, not a formula of the curve, so a note on the Summary says how to
re-evaluate a plan whose spends were edited (``python -m planner evaluate``).

Each sheet is written by a module of :mod:`planner.report.sheets` (allocation,
by_network, by_creator, summary, curves_frontier; cells holds the formats and styles
they share).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl import Workbook

from planner.base.names import is_creator
from planner.base.safe_text import to_csv_bytes
from planner.report.sheets.allocation import ALLOCATION_SHEET, allocation_sheet
from planner.report.sheets.by_creator import CREATOR_SHEET, creator_sheet
from planner.report.sheets.by_network import network_sheet
from planner.report.sheets.cells import clean_text
from planner.report.sheets.curves_frontier import curves_sheet, frontier_sheet
from planner.report.sheets.summary import summary_sheet

__all__ = ["allocation_workbook", "allocation_csv"]


def allocation_workbook(allocation, curves: pd.DataFrame, frontier: pd.DataFrame | None = None,
                        meta: Mapping | None = None) -> bytes:
    """Write the allocation as an Excel workbook a finance analyst can audit and edit.

    Parameters
    ----------
    allocation
        An :class:`planner.optimize.Allocation` (``table``, ``budget``, ``total_response``,
        ``response_p10/p50/p90``, ``upper_bound``, ``gap``, ``objective``, ``objective_value``,
        ``margin``, ``total_current_response``, ``engagement_weight``, ``engagements`` and
        ``unspent``, for the Summary's note on unspent budget).
    curves
        The curve table the allocation was computed from (written to sheet "Curves").
    frontier
        Optional DataFrame with ``budget``, ``total_response`` (or ``response``) and
        ``marginal_return`` columns, written to sheet "Frontier".
    meta
        Optional facts for the Summary, e.g. ``{"data_source": "weekly.xlsx",
        "model": "hill curves, weekly MMM"}``; ``generated`` overrides the date.

    Returns
    -------
    bytes
        The ``.xlsx`` file: sheets Summary, Allocation, By network, By creator (when the
        plan has creators), Curves and Frontier (when given).
    """
    table = allocation.table.reset_index(drop=True)
    if frontier is not None and not isinstance(frontier, pd.DataFrame):
        frontier = pd.DataFrame(frontier)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    alloc_ws = wb.create_sheet(ALLOCATION_SHEET)
    alloc = allocation_sheet(alloc_ws, table)
    current_given = "current_spend" in table.columns and table["current_spend"].notna().any()
    network_sheet(wb.create_sheet("By network"), alloc, current_given, table)
    has_creators = bool(is_creator(clean_text(n) for n in table["name"]).any())
    if has_creators:
        creator_sheet(wb.create_sheet(CREATOR_SHEET), alloc, table)
    curves_sheet(wb.create_sheet("Curves"), curves)
    has_frontier = frontier is not None and len(frontier.columns) > 0
    if has_frontier:
        frontier_sheet(wb.create_sheet("Frontier"), frontier)
    summary_sheet(summary, allocation, table, alloc, meta, has_frontier, has_creators)
    wb.properties.title = "Marketing budget plan"
    wb.properties.creator = "planner"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_CSV_FIRST = ("name", "network", "spend", "response")
_CSV_MONEY = ("spend", "current_spend", "change", "min_spend", "max_spend", "unit_cost")


def allocation_csv(allocation) -> bytes:
    """Write the allocation table as CSV.

    Parameters
    ----------
    allocation
        An :class:`planner.optimize.Allocation`.

    Returns
    -------
    bytes
        ``name, network, spend, response`` then the other columns of
        ``allocation.table``; spends rounded to the cent, formula-like text neutralised
        (:func:`planner.base.safe_text.to_csv_bytes`).
    """
    table = allocation.table.reset_index(drop=True)
    cols = [c for c in _CSV_FIRST if c in table.columns] + [c for c in table.columns if c not in _CSV_FIRST]
    out = table[cols].copy()
    for c in _CSV_MONEY:
        if c in out.columns:
            vals = pd.to_numeric(out[c], errors="coerce").replace([np.inf, -np.inf], np.nan)
            out[c] = vals.round(2)
    for c in ("name", "network"):
        if c in out.columns:
            out[c] = out[c].astype(str)
    return to_csv_bytes(out)
