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

__all__ = ["SEASON", "YEAR_DAYS", "season_terms", "angle", "span_days", "multiplier", "mean_multiplier", "peak"]

SEASON = ("season_sin", "season_cos")
YEAR_DAYS = 365.25


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
