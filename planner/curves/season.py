"""A response that rises and falls over the year: the curve table's optional ``season_sin`` and ``season_cos``.

A row with them earns, on a day ``d`` of the year, its curve's response times
``m(d) = 1 + season_sin * sin(2 pi d / 365.25) + season_cos * cos(2 pi d / 365.25)``: one yearly wave
around its average (the curve is the average quarter's). The marketing-mix model writes them where its
weekly data show such a wave (:mod:`planner.fit.seasonal_response`); empty means none. A plan over time
counts each period at its mean multiplier; the one-quarter optimizer plans the average quarter.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.curves.intervals import scaled

__all__ = ["SEASON", "YEAR_DAYS", "QUARTERS", "QUARTER", "season_terms", "angle", "span_days", "multiplier",
           "mean_multiplier", "peak", "has_wave", "quarter_name", "quarter_days", "quarter_multipliers",
           "for_quarter"]

SEASON = ("season_sin", "season_cos")
YEAR_DAYS = 365.25
# the calendar quarters a one-quarter plan can be made for, and their months; the wave is yearly, so the days of
# one year stand for every year's (a year that is not a leap year: 2027)
QUARTERS = {"Q1": ("January", "March"), "Q2": ("April", "June"), "Q3": ("July", "September"),
            "Q4": ("October", "December")}
_FIRST_DAY = {"Q1": "2027-01-01", "Q2": "2027-04-01", "Q3": "2027-07-01", "Q4": "2027-10-01"}
QUARTER = "quarter"  # the column a table planned for a quarter says it in


def angle(days) -> np.ndarray:
    """Return each day's place in the year as an angle: ``2 pi (day of the year - 1) / 365.25``."""
    d = pd.DatetimeIndex(pd.to_datetime(np.asarray(days).ravel()))
    return (2 * np.pi * (d.day_of_year.to_numpy(dtype=float) - 1.0) / YEAR_DAYS).reshape(np.shape(days))


def span_days(first, last) -> tuple[np.ndarray, np.ndarray]:
    """Return every day of the spans ``first[i]..last[i]`` (both included), in order, and where each span starts.

    Sums per span are then ``np.add.reduceat(values, starts)``.
    """
    firsts = pd.to_datetime(np.asarray(first)).to_numpy().astype("datetime64[D]")
    lasts = pd.to_datetime(np.asarray(last)).to_numpy().astype("datetime64[D]")
    n = (lasts - firsts).astype(int) + 1
    starts = np.cumsum(n) - n
    return np.repeat(firsts, n) + (np.arange(n.sum()) - np.repeat(starts, n)).astype("timedelta64[D]"), starts


def season_terms(curves: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's ``(season_sin, season_cos)``, 0 where the table has none."""
    out = []
    for col in SEASON:
        v = pd.to_numeric(curves[col], errors="coerce").to_numpy(dtype=float) if col in curves \
            else np.zeros(len(curves))
        out.append(np.where(np.isfinite(v), v, 0.0))
    return out[0], out[1]


def multiplier(a, b, days) -> np.ndarray:
    """Return ``1 + a sin + b cos`` of the days' place in the year (``a``, ``b`` broadcast against ``days``)."""
    ang = angle(days)
    return 1.0 + np.asarray(a) * np.sin(ang) + np.asarray(b) * np.cos(ang)


def mean_multiplier(a: np.ndarray, b: np.ndarray, first, last) -> np.ndarray:
    """Return each row's mean multiplier over each span of days: rows x spans.

    Parameters
    ----------
    a, b : ndarray (rows,)
    first, last : array of dates (spans,)
        Each span's first and last day, both included.
    """
    day, starts = span_days(first, last)
    n = np.diff(np.append(starts, len(day)))
    ang = angle(day)
    s = np.add.reduceat(np.sin(ang), starts) / n
    c = np.add.reduceat(np.cos(ang), starts) / n
    return 1.0 + np.asarray(a, dtype=float)[:, None] * s[None, :] + np.asarray(b, dtype=float)[:, None] * c[None, :]


def peak(a: float, b: float) -> tuple[float, pd.Timestamp]:
    """Return the wave's amplitude (the multiplier's rise above 1 at its top) and a day of its top (year 2001)."""
    amp = float(np.hypot(a, b))
    day = (np.arctan2(a, b) % (2 * np.pi)) * YEAR_DAYS / (2 * np.pi)
    return amp, pd.Timestamp("2001-01-01") + pd.Timedelta(days=int(round(day)) % 365)


def has_wave(curves: pd.DataFrame | None) -> bool:
    """Return True when some row of the curve table rises and falls over the year (a nonzero season term)."""
    if curves is None or not len(curves):
        return False
    a, b = season_terms(curves)
    return bool(((a != 0) | (b != 0)).any())


def quarter_name(text) -> str:
    """Return ``"Q1"``..``"Q4"`` for a quarter written ``q4``, ``Q4`` or ``2027Q4`` (the year is not needed).

    Raises
    ------
    InputError
        For anything else, in a sentence.
    """
    t = str(text).strip().upper().replace("-", "").replace(" ", "")
    if len(t) == 6 and t[:4].isdigit():
        t = t[4:]
    if t not in QUARTERS:
        raise InputError(f"{str(text)!r} is not a quarter: write Q1, Q2, Q3 or Q4 (January to March is Q1).")
    return t


def quarter_days(quarter: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day of a calendar quarter (``"Q1"``..``"Q4"``, in a year that is not a leap year)."""
    first = pd.Timestamp(_FIRST_DAY[quarter_name(quarter)])
    return first, first + pd.DateOffset(months=3) - pd.Timedelta(days=1)


def quarter_multipliers(curves: pd.DataFrame, quarter: str) -> np.ndarray:
    """Return each row's mean multiplier over the quarter's days: 1 for a row without a wave."""
    a, b = season_terms(curves)
    first, last = quarter_days(quarter)
    return mean_multiplier(a, b, [first], [last])[:, 0]


def for_quarter(curves: pd.DataFrame, quarter: str | None) -> pd.DataFrame:
    """Return the curve table for one calendar quarter: each row's scale and band times its wave's mean over it.

    A row's curve is the average quarter's; in a quarter its wave lifts or lowers it by the mean of its
    multiplier over the quarter's days (:func:`mean_multiplier`), so ``beta`` and its band (``beta_p10``,
    ``beta_p50``, ``beta_p90``) are multiplied by it. The season terms are then 0 (the wave is counted) and the
    column ``quarter`` says which quarter the table is for. ``quarter`` None, or a table without a wave, is the
    average quarter: the table as it is.

    Parameters
    ----------
    curves : DataFrame
        A curve table (its optional ``season_sin``/``season_cos``).
    quarter : str or None
        ``"Q1"``..``"Q4"`` (as :func:`quarter_name` reads it), or None for the average quarter.

    Returns
    -------
    DataFrame
        A new table (the input is not changed), or ``curves`` itself when nothing changes.

    Raises
    ------
    InputError
        When ``quarter`` is not a quarter's name.
    """
    if quarter is None:
        return curves
    quarter = quarter_name(quarter)
    if not has_wave(curves):
        return curves
    m = quarter_multipliers(curves, quarter)
    out = scaled(curves, m)
    for col in SEASON:
        out[col] = 0.0
    out[QUARTER] = quarter
    return out
