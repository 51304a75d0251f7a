"""The rows every fit adds to the curve table: their columns and sources, and what every fit measures.

Each part of the fit (creators, attributed paid media, the marketing mix) returns rows
with the columns :data:`TABLE_COLUMNS`; planner.fit.pipeline.fit_curves stacks them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SOURCES", "TABLE_COLUMNS", "floor_outcome", "in_sample", "period_spend"]

SOURCES = {"creator": "creator campaigns", "mmm": "marketing-mix", "paid": "attributed paid"}

TABLE_COLUMNS = (
    "name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend", "unit_cost",
    "current_spend", "observed_min", "observed_max", "n_obs", "r2", "mape", "source",
    "pooled_weight", "beta_p10", "beta_p90", "pooling_note", "decay",
)


def floor_outcome(y: np.ndarray) -> np.ndarray:
    """Return the outcomes, zero or negative ones counted as half the smallest positive (logs need them above 0).

    Parameters
    ----------
    y : ndarray
        Outcomes.

    Returns
    -------
    ndarray
        ``y`` where above 0, else half the smallest positive outcome (1.0 when none is
        positive).
    """
    pos = y[y > 0]
    floor = 0.5 * pos.min() if len(pos) else 1.0
    return np.where(y > 0, y, floor)


def in_sample(y: np.ndarray, yhat: np.ndarray) -> tuple[float, float]:
    """Return R² (NaN below 3 points) and MAPE on the revenue scale.

    Parameters
    ----------
    y : ndarray
        Observed outcomes.
    yhat : ndarray
        Fitted outcomes, same length.

    Returns
    -------
    tuple of (float, float)
        R² (NaN below three points or when ``y`` does not vary) and the mean absolute
        percentage error as a share (NaN when an outcome is 0).
    """
    mape = float(np.mean(np.abs(y - yhat) / np.abs(y))) if np.all(y != 0) else float("nan")
    if len(y) < 3:
        return float("nan"), mape
    sst = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum((y - yhat) ** 2)) / sst if sst > 0 else float("nan")
    return r2, mape


def period_spend(x: np.ndarray, conv: float) -> np.ndarray:
    """Return the spend of every window of one planning period (``conv`` data points), in order.

    Parameters
    ----------
    x : ndarray
        Spend per data point (week or data period), in order.
    conv : float
        Data points per planning period.

    Returns
    -------
    ndarray
        The rolling sum of ``round(conv)`` (at least 1) points, scaled by ``conv`` over
        that number; the mean spend times ``conv`` when there are fewer points.
    """
    window = max(1, int(round(conv)))
    roll = pd.Series(x).rolling(window).sum().dropna().to_numpy() * (conv / window)
    return roll if len(roll) else np.array([float(np.mean(x)) * conv])
