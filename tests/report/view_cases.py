"""A small curve table (two networks' paid media, two creators) and campaigns, for the display tables' tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

CURVES = pd.DataFrame({
    "name": ["TikTok", "X", "TikTok/@lena.bakes", "X/@amir"],
    "network": ["TikTok", "X", "TikTok", "X"],
    "curve": ["log", "log", "hill", "logistic"],
    "beta": [200_000.0, 20_000.0, 30_000.0, 8_000.0],
    "k": [40_000.0, 30_000.0, 3_000.0, 1_000.0],
    "s": [np.nan, np.nan, 1.5, np.nan],
    "min_spend": [0.0, 0.0, 0.0, 0.0],
    "max_spend": [np.inf, np.inf, 12_000.0, np.inf],
    "unit_cost": [np.nan, np.nan, 1_000.0, 250.0],
    "current_spend": [30_000.0, 20_000.0, 2_000.0, 500.0],
    "observed_min": [10_000.0, 5_000.0, 1_000.0, 250.0],
    "observed_max": [50_000.0, 30_000.0, 4_000.0, 500.0],
    "n_obs": [52, 52, 4, 2],
    "r2": [0.8, 0.7, 0.9, np.nan],
    "pooled_weight": [0.0, 0.0, 0.2, 0.4],
    "beta_p10": [180_000.0, 15_000.0, 25_000.0, 6_000.0],
    "beta_p90": [220_000.0, 25_000.0, 35_000.0, 10_000.0],
})


class Campaigns:
    """A dataset of creator campaigns, some with engagements."""

    kind = "attributed"
    rows = pd.DataFrame({
        "network": ["TikTok", "TikTok", "X", "X", "TikTok"],
        "entity": ["@lena.bakes", "@lena.bakes", "@amir", "", "@nobody"],
        "spend": [1_000.0, 3_000.0, 500.0, 9_000.0, 100.0],
        "engagements": [40_000.0, 80_000.0, 1_000.0, 99.0, np.nan],
    })


def engaging_curves() -> pd.DataFrame:
    """CURVES with engagements per dollar for three of its rows."""
    return CURVES.assign(engagement_per_dollar=[np.nan, 0.5, 60.0, 2.0])
