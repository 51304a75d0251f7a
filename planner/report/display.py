"""How the app's display tables are shown, and the small readers they share.

The display tables (planner.report.data_tables, model_tables, plan_tables,
engagement_tables) keep money columns numeric so that they sort by value; the page
formats them through :data:`COLUMN_FORMATS` (column name -> kind: ``money``, ``price``
(money with its cents: an order's value, revenue per click), ``roas``, ``pct``, ``rate`` (a percent with
two decimals: a conversion rate), ``r2``, ``count``,
and ``number`` for large counts shown with thousands separators).  Sentences format their numbers
with :mod:`planner.base.format`.

None of these modules imports streamlit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from planner.base.names import is_creator

__all__ = ["COLUMN_FORMATS", "column_numbers", "whole_dollars", "is_finite_number", "row_kinds"]

# Display column -> how the page formats it.
COLUMN_FORMATS: dict[str, str] = {
    "Spend": "money",
    "Outcome": "money",
    "Revenue": "money",
    "Sales": "money",
    "Current spend": "money",
    "Optimal spend": "money",
    "Planned spend": "money",
    "Change": "money",
    "Change to optimal": "money",
    "Expected revenue": "money",
    "Revenue now": "money",
    "Revenue change": "money",
    "Expected revenue, optimal": "money",
    "Revenue P10": "money",
    "Revenue P90": "money",
    "Cost per post": "money",
    "Min spend": "money",
    "Max spend": "money",
    "Contribution": "money",
    "Effect per unit": "money",
    "Plan": "money",
    "Rest held": "money",
    "Rest re-planned": "money",
    "Change, re-planned": "money",
    "Saved spend": "money",
    "Re-planned spend": "money",
    "Spend change": "money",
    "Revenue then": "money",
    "Measured lift": "money",
    "Standard error": "money",
    "Model, without experiments": "money",
    "Model, with them": "money",
    "Next $1 then": "roas",
    "Next $1 now": "roas",
    "Return per $1": "roas",
    "ROAS": "roas",
    "ROAS at current spend": "roas",
    "Next $1 returns": "roas",
    "Next $1 at current spend": "roas",
    "Share of sales": "pct",
    "Carry-over": "pct",
    "Read from its data": "pct",
    "Change %": "pct",
    "Fit (R²)": "r2",
    "Data points": "count",
    "Posts": "count",
    "Row": "count",
    "Rows beyond data": "count",
    "Revenue per $1": "roas",
    "Engagements per $1,000": "number",
    "Engagements": "number",
    "Campaigns": "count",
    # the funnel (planner.report.funnel_text)
    "Reach per $1,000": "number",
    "Clicks per $1,000": "number",
    "Orders per $1,000": "number",
    "Orders": "number",
    "Click-through": "rate",
    "Conversion": "rate",
    "Pulled toward network": "pct",
    "Order value": "price",
    "Revenue per click": "price",
}


def column_numbers(df: pd.DataFrame, col: str) -> np.ndarray:
    """Return column ``col`` of ``df`` as floats (text that is no number is NaN); all NaN when it is missing.

    Parameters
    ----------
    df : DataFrame
        Any table.
    col : str
        The column's name.

    Returns
    -------
    ndarray of float
        One value per row of ``df``.
    """
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def whole_dollars(values) -> np.ndarray:
    """Return ``values`` in whole dollars that add up to their total in whole dollars (largest remainders).

    A table whose money is shown to the dollar should add up as shown: a budget of $200,000 split
    into cents and each row rounded alone can read $200,001. Each value is rounded down, then the
    dollars the total still needs go to the values with the largest remainders, so no value moves
    by a dollar or more and the column adds up to its rounded total (negative values too, rounded
    down and then up the same way). NaN and infinite values stay as they are, left out of the total.

    Parameters
    ----------
    values : array-like of float
        Amounts in dollars.

    Returns
    -------
    ndarray of float
        One whole-dollar amount per value (NaN where the value was no finite number).
    """
    x = np.asarray(values, dtype=float)
    out = x.copy()
    ok = np.isfinite(x)
    if not ok.any():
        return out
    v = x[ok]
    floors = np.floor(v)
    short = int(round(float(np.round(v.sum())) - floors.sum()))
    rem = v - floors
    order = np.argsort(-rem, kind="stable")
    bump = np.zeros(len(v))
    bump[order[:max(short, 0)]] = 1.0  # the floors never add up to more than the total, so short >= 0
    out[ok] = floors + bump
    return out


def is_finite_number(x) -> bool:
    """Return True when ``x`` reads as a finite number (not None, NaN, infinite or text).

    Parameters
    ----------
    x : object
        Any value; it is read with ``float(x)``, so numeric text such as ``"12"`` counts.

    Returns
    -------
    bool
    """
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def row_kinds(names) -> np.ndarray:
    """Return ``"Creator"`` for each creator's name (``Network/@handle``), else ``"Paid media"``.

    Parameters
    ----------
    names : Series or sequence of str
        Curve-table names.

    Returns
    -------
    ndarray of str
        One label per name.
    """
    return np.where(is_creator(names), "Creator", "Paid media")

