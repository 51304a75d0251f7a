"""When a creator can post: the roster's "available from" and "available until" dates, per period.

The curve table's optional columns ``available_from`` and ``available_until`` (dates, both included;
empty = open; :func:`planner.fit.roster.apply_roster` copies them from the roster) say when a row can
be booked. A plan over time books a row without carry-over (a creator) only in the days it is available:
its posts go to the periods it is available in, by their available days, and its maximum (and minimum)
posts over the horizon shrink with the share of the horizon it is available; a row available on no day
of the horizon is not booked. Rows with carry-over (networks' paid media) are not held to these dates.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from planner.flighting.horizon import Horizon

__all__ = ["AVAILABLE", "available_days", "available_share"]

AVAILABLE = ("available_from", "available_until")


def _dates(curves: pd.DataFrame, col: str, default: date) -> np.ndarray:
    if col not in curves:
        return np.full(len(curves), np.datetime64(default, "D"))
    d = pd.to_datetime(curves[col], errors="coerce")
    return np.where(d.isna(), np.datetime64(default, "D"), d.to_numpy().astype("datetime64[D]"))


def available_days(curves: pd.DataFrame, horizon: Horizon) -> np.ndarray:
    """Return the days each row can be booked in each period of ``horizon``.

    Parameters
    ----------
    curves : DataFrame
        A curve table; ``available_from``/``available_until`` optional (empty: open).
    horizon : Horizon

    Returns
    -------
    ndarray (rows, periods)
        Days of the period within the row's dates (every day of the period for a row without dates).
    """
    periods = horizon.periods()
    first = periods["period"].to_numpy().astype("datetime64[D]")
    last = periods["last"].to_numpy().astype("datetime64[D]")
    lo = _dates(curves, AVAILABLE[0], horizon.start)[:, None]
    hi = _dates(curves, AVAILABLE[1], horizon.end)[:, None]
    days = (np.minimum(hi, last[None, :]) - np.maximum(lo, first[None, :])).astype(int) + 1
    return np.maximum(days, 0).astype(float)


def available_share(curves: pd.DataFrame, horizon: Horizon) -> np.ndarray:
    """Return each row's available share of the horizon's days (1 for a row without dates)."""
    return available_days(curves, horizon).sum(axis=1) / float(horizon.days)
