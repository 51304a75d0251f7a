"""Planner-style constraints become bounds that the optimizer then holds exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.bounds.presets import max_share, pessimistic, spend_range
from planner.optimize import optimize

CURVES = pd.DataFrame({
    "name": ["IG", "TT", "YT", "TT/@a"], "network": ["Instagram", "TikTok", "YouTube", "TikTok"],
    "curve": ["log", "log", "log", "log"], "beta": [90_000.0, 20_000.0, 10_000.0, 5_000.0],
    "k": [2_000.0] * 4, "current_spend": [10_000.0, 10_000.0, np.nan, 1_000.0],
    "beta_p10": [60_000.0, 15_000.0, 8_000.0, 3_000.0],
})


def test_spend_range_bounds_rows_with_current_spend():
    c = spend_range(CURVES, 0.5, 1.5)
    assert c["min_spend"].tolist() == [5_000.0, 5_000.0, 0.0, 500.0]
    assert c["max_spend"].iloc[:2].tolist() == [15_000.0, 15_000.0] and np.isinf(c["max_spend"].iloc[2])
    a = optimize(c, 30_000).table.set_index("name")["spend"]
    assert a["IG"] <= 15_000 + 1e-9 and a["TT"] >= 5_000 - 1e-9
    with pytest.raises(ValueError, match="low <= high"):
        spend_range(CURVES, 2, 1)


def test_network_share_caps_every_network():
    c, nb = max_share(CURVES, 40_000, network_share=0.4)
    a = optimize(c, 40_000, network_bounds=nb)
    by_net = a.table.groupby("network")["spend"].sum()
    assert by_net.max() <= 16_000 + 1e-9
    assert by_net["Instagram"] == pytest.approx(16_000)  # the best network is held at its share


def test_row_share_caps_rows():
    c, _ = max_share(CURVES, 40_000, row_share=0.3)
    assert optimize(c, 40_000).table["spend"].max() <= 12_000 + 1e-9


def test_pessimistic_uses_p10_scale():
    p = pessimistic(CURVES)
    assert p["beta"].tolist() == CURVES["beta_p10"].tolist()
    assert optimize(p, 20_000).total_response < optimize(CURVES, 20_000).total_response
