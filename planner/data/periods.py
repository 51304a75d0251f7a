"""How a report's rows are dated: by day, by week or by month, and the last day each row covers.

A shop's reports (sales over time, sales by discount code) give one row per day, per week or per month, dated at
its first day. :func:`period_step` tells which from the dates; :func:`period_ends` gives each row's last day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["period_step", "period_ends", "STEP_DAYS"]

STEP_DAYS = {"day": 1, "week": 7, "month": 30.4}  # the length of a step, for comparing steps


def period_step(dates) -> str:
    """Say how rows are dated: ``"month"``, ``"week"`` or ``"day"``.

    By month when every date is a month's first day (two or more dates); by week when three or more dates all fall
    on one weekday; else by day.

    Parameters
    ----------
    dates : array_like of datetime64
        The rows' dates, NaT allowed, in any order, repeats allowed.
    """
    days = pd.DatetimeIndex(pd.Series(dates).dropna().unique())
    if len(days) >= 2 and (days.day == 1).all():
        return "month"
    if len(days) >= 3 and len(set(days.day_of_week)) == 1:
        return "week"
    return "day"


def period_ends(dates, step: str) -> np.ndarray:
    """Return the last day each row may be from: its date, or the last day of its week or month.

    Parameters
    ----------
    dates : array_like of datetime64
        The rows' dates (each its period's first day).
    step : {"day", "week", "month"}
        As :func:`period_step` says.
    """
    days = pd.DatetimeIndex(dates)
    if step == "month":
        days = days + pd.offsets.MonthEnd(0)
    elif step == "week":
        days = days + pd.Timedelta(days=6)
    return days.to_numpy(dtype="datetime64[ns]")
