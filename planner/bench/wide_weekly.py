"""Wide weekly marketing-mix files: many spend channels over many weeks, with total sales only.

Issue 16 met a weekly file of 99 spend channels over 60 weeks whose fit never finished. :func:`wide_weekly`
makes such tables, seeded: ``Week | Channel 001 spend | ... | Total sales``, Monday dates, every channel's
spend drifting on the log scale, some channels always on, some in flights with weeks of zero spend, a few
that start late; sales a seasonal baseline plus each channel's adstocked hill response and 5 % noise.
:func:`write_wide_weekly` writes it as a CSV or workbook the importer reads as a person's file.
``python -m planner.bench.fit_wide`` times the fit of such files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["wide_weekly", "write_wide_weekly"]

MEDIA_SHARE = 0.35  # share of expected sales the channels drive, on average


def _adstock(x: np.ndarray, decay: float) -> np.ndarray:
    a, prev = np.empty_like(x), x[0]
    for t, v in enumerate(x):
        prev = (1.0 - decay) * v + decay * prev
        a[t] = prev
    return a


def _flights(rng: np.random.Generator, n: int) -> np.ndarray:
    """On/off weeks: runs of 3-10 weeks on, 1-6 off."""
    on, t, state = np.zeros(n, dtype=bool), 0, bool(rng.random() < 0.8)
    while t < n:
        length = int(rng.integers(3, 11) if state else rng.integers(1, 7))
        on[t:t + length] = state
        t += length
        state = not state
    return on


def _spend(rng: np.random.Generator, weeks: int, level: float) -> np.ndarray:
    drift = np.zeros(weeks)
    for t in range(1, weeks):
        drift[t] = 0.85 * drift[t - 1] + rng.normal(0.0, 0.15)
    kind = rng.random()
    if kind < 0.45:  # always on, a few pauses
        active = rng.random(weeks) >= 0.05
    elif kind < 0.85:  # flights
        active = _flights(rng, weeks)
    else:  # starts late
        active = np.arange(weeks) >= int(rng.integers(weeks // 5, weeks // 2 + 1))
    spend = level * np.exp(drift + rng.normal(0.0, 0.2, weeks)) * active
    if not spend.any():
        spend[-1] = level
    return np.round(spend, 2)


def wide_weekly(channels: int = 100, weeks: int = 156, seed: int = 0) -> pd.DataFrame:
    """Return a wide weekly table of ``channels`` spend columns and total sales.

    Parameters
    ----------
    channels : int, default 100
        Spend columns, ``Channel 001 spend`` on.
    weeks : int, default 156
        Mondays from 2022-01-03.
    seed : int, default 0
        Seed of every draw; the same arguments always give the same table.

    Returns
    -------
    DataFrame
        ``Week`` (datetime64), one spend column per channel (dollars, two decimals, zero in weeks off) and
        ``Total sales``.
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2022-01-03", periods=weeks, freq="7D")
    table = {"Week": dates}
    media = np.zeros(weeks)
    for i in range(channels):
        level = float(np.exp(rng.uniform(np.log(200.0), np.log(20_000.0))))
        x = _spend(rng, weeks, level)
        m = float(x[x > 0].mean())
        s, k = float(rng.uniform(0.8, 2.0)), m * float(rng.uniform(0.6, 1.6))
        decay, roas = float(rng.uniform(0.05, 0.6)), float(np.exp(rng.normal(np.log(2.0), 0.4)))
        beta = roas * m * (1.0 + (m / k) ** s) / (m / k) ** s
        a = _adstock(x, decay)
        media += beta * a**s / (a**s + k**s)
        table[f"Channel {i + 1:03d} spend"] = x
    t = np.arange(weeks)
    season = 1.0 + 0.06 * np.cos(2 * np.pi * (t * 7 - 320) / 365.25) + 0.05 * t / 52.0
    base = media.mean() * (1.0 - MEDIA_SHARE) / MEDIA_SHARE * season / season.mean()
    expected = base + media
    table["Total sales"] = np.round(expected * (1.0 + 0.05 * rng.normal(size=weeks)), 2)
    return pd.DataFrame(table)


def write_wide_weekly(path: str | Path, channels: int = 100, weeks: int = 156, seed: int = 0) -> Path:
    """Write :func:`wide_weekly` to ``path`` (``.xlsx``: one sheet "Weekly"; else CSV) and return the path.

    Parameters
    ----------
    path : str or Path
        Where to write; the suffix chooses the format.
    channels, weeks, seed : int
        As :func:`wide_weekly`.

    Returns
    -------
    Path
    """
    path = Path(path)
    table = wide_weekly(channels, weeks, seed)
    if path.suffix.lower() == ".xlsx":
        table.to_excel(path, sheet_name="Weekly", index=False)
    else:
        table.assign(Week=table["Week"].dt.strftime("%Y-%m-%d")).to_csv(path, index=False)
    return path
