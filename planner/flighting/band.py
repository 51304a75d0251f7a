"""The 80 % band of a plan over time, as the one-period plan's: each row's error shared by all its periods.

A row's curve is right or wrong by the same factor in every period (its ``beta`` is one number), so a plan
over time is, for its band, one plan whose rows earn their horizon totals: the total's P10, P50, P90 and mean
follow from :func:`planner.curves.intervals.total_band` as the Optimize page's do, rows of one source sharing a
part of their error (the sum of the rows' P10s, which assumes every row errs in the same direction at once, was
twice as wide).  A plan the planner chose is lowered by the optimizer's curse as its one-quarter plan at the
same budget per quarter is (:mod:`planner.optimize.selection`), as a share of its return: a plan over time
favours the same curves that look best.  A plan someone else made is not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.errors import InfeasibleError, InputError
from planner.curves.intervals import band_columns, has_bands, total_band
from planner.flighting.horizon import QUARTER_WEEKS, Horizon
from planner.optimize import optimize

__all__ = ["horizon_band", "period_bands", "selection_share"]


def horizon_band(curves: pd.DataFrame, response: np.ndarray, allowance: float = 0.0) -> dict[str, float]:
    """Return the band of a plan over time: ``p10, p50, p90, mean, expected`` and ``allowance`` (dollars).

    Parameters
    ----------
    curves : DataFrame
        The validated curve table (``beta`` and, when fitted, ``beta_p10``, ``beta_p90``, ``source``).
    response : ndarray of float
        What each row earns in each period, shape (rows, periods) in the order of ``curves``.
    allowance : float, default 0.0
        Dollars the mean is lowered by for the plan's selection (0 for a plan not chosen on these curves).

    Returns
    -------
    dict of str to float
        As :func:`~planner.curves.intervals.total_band` returns it, with ``allowance``; empty where the curve
        table has no intervals (``beta_p10``, ``beta_p90``).
    """
    if not has_bands(curves):  # a table without intervals: no band, rather than one from $X to $X
        return {}
    totals = np.asarray(response, dtype=float).reshape(len(curves), -1).sum(axis=1)
    band = total_band(totals, *band_columns(curves), allowance=allowance)
    return {**band, "allowance": max(float(allowance), 0.0) if band["expected"] > 0 else 0.0}


def period_bands(curves: pd.DataFrame, response: np.ndarray, share: float = 0.0) -> np.ndarray:
    """Return each period's P10 and P90, shape (periods, 2), as :func:`horizon_band` gives the horizon's.

    Parameters
    ----------
    curves : DataFrame
        The validated curve table.
    response : ndarray of float
        What each row earns in each period, shape (rows, periods).
    share : float, default 0.0
        The optimizer's curse as a share of what a period earns (:func:`selection_share`).

    Returns
    -------
    ndarray of float
        One ``(p10, p90)`` per period; none (shape (0, 2)) where the curve table has no intervals.
    """
    resp = np.asarray(response, dtype=float).reshape(len(curves), -1)
    if not has_bands(curves):
        return np.zeros((0, 2))
    cols = band_columns(curves)
    out = np.empty((resp.shape[1], 2))
    for p in range(resp.shape[1]):
        b = total_band(resp[:, p], *cols, allowance=share * float(resp[:, p].sum()))
        out[p] = b["p10"], b["p90"]
    return out


def selection_share(curves: pd.DataFrame, budget: float, horizon: Horizon) -> float:
    """Return the optimizer's curse of the one-quarter plan at the horizon's budget per quarter, as a share of its return.

    Parameters
    ----------
    curves : DataFrame
        The validated curve table.
    budget : float
        The budget over the horizon, dollars.
    horizon : Horizon
        The horizon (its weeks give the quarters).

    Returns
    -------
    float
        ``selection_allowance / total_response`` of ``optimize(curves, budget per quarter)``; 0 where the table
        has no bands, the plan earns nothing, or the bounds cannot be met at that budget (then the plan over time
        is not lowered).
    """
    if not has_bands(curves) or budget <= 0:
        return 0.0
    per_quarter = float(budget) * QUARTER_WEEKS / max(horizon.weeks, 1.0)
    try:
        a = optimize(curves, per_quarter)
    except (InputError, InfeasibleError):  # bounds one quarter's share of the budget cannot meet: no allowance
        return 0.0
    return float(a.selection_allowance) / a.total_response if a.total_response > 0 else 0.0
