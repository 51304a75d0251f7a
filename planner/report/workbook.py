"""The allocation as files finance can read, audit and change: an Excel workbook and a CSV.

The workbook is written with XlsxWriter (:mod:`planner.report.sheets.book`): every formula is
saved with the value the planner computes, so readers that do not recalculate (pandas,
openpyxl with ``data_only=True``, previews) see numbers, and Excel or LibreOffice recalculate
the same numbers.  It has these sheets:

- ``Summary``: budget, total spend, expected revenue with its P10-P50-P90 range when the
  model gives one, ROAS, the change against current spend, how close the plan is to the
  best possible, where the data and the model came from, and when it was made; every
  figure of the plan a formula over the Allocation sheet.
- ``Allocation``: one row per entity (an Excel Table).  Each row's expected revenue is a
  formula of its Optimal spend and its curve's parameters on the Curves sheet (every curve
  form: hill, logistic, log, linear), so editing a spend recalculates the revenue, the
  change (``=D-C``), the ROAS (``=IF(D>0,F/D,"")``), the totals row (``=SUM``) and every other
  sheet, and editing a curve's parameter moves its row.  A column K of expected engagements
  (``=D *`` the curve's ``engagement_per_dollar``) when the allocation has them, and the
  Summary then gives their total and the value of one engagement the plan was optimised
  with.  Beside the table: the revenue at current spend, and the helper columns of the
  P10-P90 range (:mod:`planner.report.sheets.band`).
- ``By network``: the allocation summed per network with ``SUMIF`` formulas over the
  Allocation sheet, and the return of the next dollar in each network (an array formula
  over the Allocation sheet's Marginal ROAS).
- ``By creator`` (when the plan has creators, names ``Network/@handle``): the creators
  only, largest optimal spend first, each cell a live reference to its Allocation row.
- ``Curves``: the curve table, so the workbook itself is a valid curve table for
  :func:`planner.curves.files.read_curves` (it reads the sheet named "Curves").
- ``Frontier`` (when given): expected revenue and marginal return per budget.
- ``Funnel`` (when the data's funnel is given): reach, engagements, clicks and orders per $1,000,
  click-through, conversion, order value and return per $1 by network and creator, each rate a formula
  of the counts on the sheet (:mod:`planner.report.sheets.funnel`); :func:`funnel_workbook` writes it alone.

Each row's marginal ROAS (the derivative of its revenue formula) and whether its spend is
beyond the data (against the curve's ``observed_max`` on the Curves sheet) are formulas too.
What stays as the planner wrote it: binding bounds (at its spends), the frontier, and a
row's revenue, marginal ROAS and flag (or the range) where they cannot be formulas - the
cell's comment and the Summary say so, and how to re-evaluate (``python -m planner evaluate``).

Every text a user gave (names, networks, meta values) is stored as text (XlsxWriter's
``write_string``): a creator named ``=HYPERLINK("x")`` stays text.  Spends are written
rounded to the cent, so :func:`planner.data.plans.read_plan` reads the workbook back as the
same plan.  Each sheet is written by a module of :mod:`planner.report.sheets` (allocation,
band, by_network, by_creator, summary, curves_frontier; book and cells hold the writing and
the formats they share, curve_formulas the curve forms as Excel formulas).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.base.names import is_creator
from planner.base.safe_text import to_csv_bytes
from planner.curves.support import support
from planner.report.sheets.allocation import ALLOCATION_SHEET, allocation_sheet
from planner.report.sheets.band import band_helpers
from planner.report.sheets.book import Book
from planner.report.sheets.by_creator import CREATOR_SHEET, creator_sheet
from planner.report.sheets.by_network import network_sheet
from planner.report.sheets.cells import clean_text
from planner.report.sheets.curve_formulas import CURVES_SHEET
from planner.report.sheets.curves_frontier import curves_sheet, frontier_sheet
from planner.report.sheets.funnel import FUNNEL_SHEET, funnel_sheet
from planner.report.sheets.summary import summary_sheet

__all__ = ["allocation_workbook", "allocation_csv", "funnel_workbook"]


def allocation_workbook(allocation, curves: pd.DataFrame, frontier: pd.DataFrame | None = None,
                        meta: Mapping | None = None, funnel=None) -> bytes:
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
    funnel
        Optional :class:`planner.analysis.funnel.Funnel` of the data the curves were fitted to,
        written to sheet "Funnel" when it has a network.

    Returns
    -------
    bytes
        The ``.xlsx`` file: sheets Summary, Allocation, By network, By creator (when the
        plan has creators), Funnel (when given), Curves and Frontier (when given).
    """
    table = allocation.table.reset_index(drop=True)
    if frontier is not None and not isinstance(frontier, pd.DataFrame):
        frontier = pd.DataFrame(frontier)
    book = Book()
    summary = book.sheet("Summary")
    alloc_ws = book.sheet(ALLOCATION_SHEET)
    network_ws = book.sheet("By network")
    has_creators = bool(is_creator(clean_text(n) for n in table["name"]).any())
    creator_ws = book.sheet(CREATOR_SHEET) if has_creators else None
    if funnel is not None and len(funnel.networks):
        funnel_sheet(book.sheet(FUNNEL_SHEET), funnel)
    cells = curves_sheet(book.sheet(CURVES_SHEET), curves)
    alloc = allocation_sheet(alloc_ws, table, cells)
    band = band_helpers(alloc_ws, alloc, table, cells, allocation)
    current_given = "current_spend" in table.columns and table["current_spend"].notna().any()
    network_sheet(network_ws, alloc, current_given)
    if creator_ws is not None:
        creator_sheet(creator_ws, alloc, table)
    has_frontier = frontier is not None and len(frontier.columns) > 0
    if has_frontier:
        frontier_sheet(book.sheet("Frontier"), frontier)
    summary_sheet(summary, allocation, table, alloc, meta, has_frontier, has_creators, band,
                  has_funnel=funnel is not None and len(funnel.networks) > 0,
                  support_text=support(curves).warning())
    return book.close("Marketing budget plan", "planner")


def funnel_workbook(funnel) -> bytes:
    """Write the data's funnel alone as an Excel workbook: the Funnel sheet of :func:`allocation_workbook`.

    Parameters
    ----------
    funnel : Funnel
        The data's funnel (:func:`planner.analysis.funnel.funnel`).

    Returns
    -------
    bytes
        The ``.xlsx`` file with one sheet, "Funnel".
    """
    book = Book()
    funnel_sheet(book.sheet(FUNNEL_SHEET), funnel)
    return book.close("Funnel by network and creator", "planner")


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
