"""Constraints as planners state them, turned into the curve table's bounds.

- a spend range relative to today's spend, the way Robyn users set channel bounds
  (``0.7:1.5`` = between 70 % and 150 % of current spend);
- a maximum share of the budget for any one network or any one row;
- a risk view: plan on the pessimistic (P10) curves instead of the expected ones.

Pure functions: they return new tables and never change their inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.curves.table import validate_curves

__all__ = ["spend_range", "max_share", "pessimistic"]


def spend_range(curves: pd.DataFrame, low: float, high: float) -> pd.DataFrame:
    """Bound each row with a current spend to ``[low, high]`` times that spend (kept within its own bounds).

    Rows without a current spend keep their bounds.  ``low <= 1 <= high`` is not required
    (a planned cut of 20 % to 50 % is ``0.5:0.8``).

    Parameters
    ----------
    curves : DataFrame
        The curve table; it is not modified.
    low, high : float
        Fractions of current spend, ``0 <= low <= high``.

    Returns
    -------
    DataFrame
        The validated copy with the new ``min_spend`` / ``max_spend`` (a minimum never above its maximum).

    Raises
    ------
    InputError
        When ``low`` is negative or above ``high``.
    CurveTableError
        When ``curves`` fails :func:`~planner.curves.table.validate_curves`.
    """
    if not (0 <= low <= high):
        raise InputError(f"A spend range needs 0 <= low <= high, not {low}:{high}.")
    out = validate_curves(curves)
    cur = out["current_spend"].to_numpy(dtype=float)
    has = np.isfinite(cur)
    lo = np.where(has, np.maximum(out["min_spend"], low * np.nan_to_num(cur)), out["min_spend"])
    hi = np.where(has, np.minimum(out["max_spend"], high * np.nan_to_num(cur)), out["max_spend"])
    out["min_spend"] = np.minimum(lo, hi)
    out["max_spend"] = hi
    return out


def max_share(curves: pd.DataFrame, budget: float, network_share: float | None = None,
              row_share: float | None = None, network_bounds: pd.DataFrame | None = None):
    """Cap any network at ``network_share`` and any row at ``row_share`` of the budget.

    Returns ``(curves, network_bounds)``; existing caps stay where they are tighter.

    Parameters
    ----------
    curves : DataFrame
        The curve table; it is not modified.
    budget : float
        The budget in dollars.
    network_share, row_share : float, optional
        Fractions of the budget, above 0 and at most 1; None sets no cap.
    network_bounds : DataFrame, optional
        Existing ``network, min_spend, max_spend`` bounds; not modified.

    Returns
    -------
    curves : DataFrame
        The validated copy, ``max_spend`` capped at ``row_share * budget`` (and ``min_spend`` lowered to
        stay at or below it).
    network_bounds : DataFrame or None
        The network bounds with every network of ``curves`` capped at ``network_share * budget``
        (networks missing from ``network_bounds`` added with no minimum); ``network_bounds`` unchanged
        (copied) without a network share.

    Raises
    ------
    InputError
        When a share is not above 0 and at most 1.
    CurveTableError
        When ``curves`` fails :func:`~planner.curves.table.validate_curves`.
    """
    out = validate_curves(curves)
    for share in (network_share, row_share):
        if share is not None and not (0 < share <= 1):
            raise InputError(f"A share of the budget must be above 0 and at most 1 (100 %), not {share}.")
    if row_share is not None:
        out["max_spend"] = np.minimum(out["max_spend"], row_share * budget)
        out["min_spend"] = np.minimum(out["min_spend"], out["max_spend"])
    nb = None if network_bounds is None else network_bounds.copy()
    if network_share is not None:
        cap = network_share * budget
        networks = list(dict.fromkeys(out["network"]))
        if nb is None or nb.empty:
            nb = pd.DataFrame({"network": networks, "min_spend": np.nan, "max_spend": cap})
        else:
            nb.columns = [str(c).strip().lower() for c in nb.columns]
            known = set(nb["network"].astype(str))
            extra = pd.DataFrame({"network": [n for n in networks if n not in known], "min_spend": np.nan,
                                  "max_spend": cap})
            nb["max_spend"] = np.minimum(pd.to_numeric(nb.get("max_spend"), errors="coerce").fillna(np.inf), cap)
            nb = pd.concat([nb, extra], ignore_index=True)
    return out, nb


def pessimistic(curves: pd.DataFrame) -> pd.DataFrame:
    """Return the curve table with each curve's scale at its 10th percentile (``beta_p10``), where known.

    Parameters
    ----------
    curves : DataFrame
        A fitted curve table; it is not modified.

    Returns
    -------
    DataFrame
        The validated copy with ``beta`` replaced by ``beta_p10`` on rows where that is a number.

    Raises
    ------
    InputError
        When the table has no ``beta_p10`` column.
    """
    out = validate_curves(curves)
    if "beta_p10" not in out.columns:
        raise InputError("The curve table has no intervals (beta_p10); fit the curves to get them.")
    p10 = pd.to_numeric(out["beta_p10"], errors="coerce")
    out["beta"] = np.where(p10.notna(), p10, out["beta"])
    return out
