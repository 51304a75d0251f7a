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

__all__ = ["SEASON", "YEAR_DAYS", "season_terms", "multiplier", "mean_multiplier", "peak"]

SEASON = ("season_sin", "season_cos")
YEAR_DAYS = 365.25


def _angle(days) -> np.ndarray:
    d = pd.DatetimeIndex(pd.to_datetime(np.asarray(days).ravel()))
    return (2 * np.pi * (d.day_of_year.to_numpy(dtype=float) - 1.0) / YEAR_DAYS).reshape(np.shape(days))


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
    ang = _angle(days)
    return 1.0 + np.asarray(a) * np.sin(ang) + np.asarray(b) * np.cos(ang)


def mean_multiplier(a: np.ndarray, b: np.ndarray, first, last) -> np.ndarray:
    """Return each row's mean multiplier over each span of days: rows x spans.

    Parameters
    ----------
    a, b : ndarray (rows,)
    first, last : array of dates (spans,)
        Each span's first and last day, both included.
    """
    first = pd.to_datetime(np.asarray(first)).to_numpy().astype("datetime64[D]")
    last = pd.to_datetime(np.asarray(last)).to_numpy().astype("datetime64[D]")
    n = (last - first).astype(int) + 1
    day = np.repeat(first, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)).astype("timedelta64[D]")
    ang = _angle(day)
    s = np.add.reduceat(np.sin(ang), np.cumsum(n) - n) / n
    c = np.add.reduceat(np.cos(ang), np.cumsum(n) - n) / n
    return 1.0 + np.asarray(a, dtype=float)[:, None] * s[None, :] + np.asarray(b, dtype=float)[:, None] * c[None, :]


def peak(a: float, b: float) -> tuple[float, pd.Timestamp]:
    """Return the wave's amplitude (the multiplier's rise above 1 at its top) and a day of its top (year 2001)."""
    amp = float(np.hypot(a, b))
    day = (np.arctan2(a, b) % (2 * np.pi)) * YEAR_DAYS / (2 * np.pi)
    return amp, pd.Timestamp("2001-01-01") + pd.Timedelta(days=int(round(day)) % 365)
