"""Sales without paid media over a coming horizon: the marketing-mix model's baseline, its seasons continued.

The model's baseline is an intercept, a linear trend over the data and yearly Fourier seasons
(:func:`planner.fit.mmm_inputs.baseline_design`), plus the controls. Ahead of the data the seasons go on as
fitted, the trend is held at its level at the data's last step (a trend drawn on past weeks says little of
next year's), and the controls are left out (next year's events and prices are not known): so the forecast
is what the model expects sales to be with no paid media and no events, day by day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.curves.season import span_days
from planner.fit.mmm_inputs import YEAR_WEEKS

__all__ = ["BaselineForecast"]


@dataclass(frozen=True)
class BaselineForecast:
    """The fitted baseline's terms, to evaluate on any day.

    Attributes
    ----------
    first : Timestamp
        The data's first step.
    weeks_per_step : float
    steps : int
        Steps of data (the trend's scale).
    coef : tuple of float
        Intercept, trend, then (sin, cos) per yearly harmonic, on the outcome's scale per step.
    """

    first: pd.Timestamp
    weeks_per_step: float
    steps: int
    coef: tuple[float, ...]

    def per_day(self, days) -> np.ndarray:
        """Return the baseline outcome per day on each of ``days`` (the trend held at the data's last step)."""
        d = pd.to_datetime(np.asarray(days).ravel())
        t = (d - self.first).days.to_numpy(dtype=float) / (7.0 * self.weeks_per_step)
        T = max(self.steps, 1)
        trend_t = np.minimum(t, T - 1.0)  # held at its last fitted level
        cols = [np.ones(len(t)), (trend_t - (T - 1) / 2.0) / T]
        period = YEAR_WEEKS / self.weeks_per_step
        for j in range(1, (len(self.coef) - 2) // 2 + 1):
            cols += [np.sin(2 * np.pi * j * t / period), np.cos(2 * np.pi * j * t / period)]
        return np.column_stack(cols) @ np.asarray(self.coef, dtype=float) / (7.0 * self.weeks_per_step)

    def over(self, first, last) -> np.ndarray:
        """Return the baseline outcome summed over each span of days (``first``/``last`` both included)."""
        days, starts = span_days(first, last)
        return np.add.reduceat(self.per_day(days), starts)
