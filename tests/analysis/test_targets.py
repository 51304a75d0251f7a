"""Target objectives: least spend for a revenue, most revenue at a ROAS floor."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.analysis.targets import least_spend_for_revenue, most_revenue_at_roas
from planner.optimize import InfeasibleError, optimize

CURVES = pd.DataFrame({
    "name": ["a", "b"], "network": ["A", "B"], "curve": ["log", "hill"],
    "beta": [10_000.0, 8_000.0], "k": [1_000.0, 2_000.0], "s": [np.nan, 1.8],
})


def test_least_spend_reaches_target_within_a_cent():
    a = least_spend_for_revenue(CURVES, 9_000, 50_000)
    assert a.total_response >= 9_000
    assert optimize(CURVES, a.total_spend - 0.02).total_response < 9_000


def test_unreachable_target_says_how_far():
    with pytest.raises(InfeasibleError, match=r"out of reach: .* whole budget of \$1,000"):
        least_spend_for_revenue(CURVES, 1e9, 1_000)


def test_roas_floor_is_met_and_tight():
    a = most_revenue_at_roas(CURVES, 2.0, 50_000)
    assert a.total_response / a.total_spend >= 2.0
    more = optimize(CURVES, a.total_spend + 1.0)
    assert more.total_response / more.total_spend < 2.0


def test_roas_floor_out_of_reach():
    with pytest.raises(InfeasibleError, match="reaches a ROAS"):
        most_revenue_at_roas(CURVES, 100.0, 50_000)
