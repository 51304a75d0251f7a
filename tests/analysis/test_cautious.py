"""planner.analysis.cautious: the plan whose total has the highest P10 of the plans that discount uncertain curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.analysis.cautious import highest_p10
from planner.base.errors import InputError
from planner.curves.forms import response

SAMPLE_FIT = "sample_data/sample_fit.parquet"


def _two_rows(wide: float) -> pd.DataFrame:
    """Two log curves alike on average: one known well, one whose scale is uncertain by ``wide`` either way."""
    curves = pd.DataFrame({"name": ["Facebook", "TikTok"], "network": ["Facebook", "TikTok"], "curve": "log",
                           "beta": [10_000.0, 10_000.0], "k": [5_000.0, 5_000.0], "s": np.nan,
                           "source": ["marketing-mix", "creator campaigns"]})
    curves["beta_p10"] = curves["beta"] * [0.95, 1 / wide]
    curves["beta_p90"] = curves["beta"] * [1 / 0.95, wide]
    return curves


def test_the_cautious_plan_leans_on_the_curve_known_better_and_raises_the_p10():
    cp = highest_p10(_two_rows(2.0), 20_000)
    spend = cp.plan.table.set_index("name")["spend"]
    assert cp.shade > 0 and spend["Facebook"] > spend["TikTok"]
    assert cp.plan.response_p10 > cp.usual.response_p10
    assert cp.plan.total_response <= cp.usual.total_response  # the usual plan is best on the curves as fitted
    assert cp.plan.total_spend == pytest.approx(20_000, abs=0.01)
    # valued on the expected curves: its revenue is theirs at its spends
    x = cp.plan.table["spend"].to_numpy(dtype=float)
    assert cp.plan.total_response == pytest.approx(float(response(_two_rows(2.0), x).sum()))
    assert cp.plan.response_p10 == pytest.approx(cp.tried["p10"].max())
    assert cp.plan.response_mean == pytest.approx(cp.plan.total_response - cp.plan.selection_allowance)


def test_the_usual_plan_is_kept_when_no_discount_raises_the_p10():
    curves = _two_rows(2.0)
    curves["beta_p10"], curves["beta_p90"] = curves["beta"] * 0.9, curves["beta"] / 0.9  # equally uncertain
    cp = highest_p10(curves, 20_000, shades=(0.0, 1.0))
    assert cp.shade == 0.0
    assert np.allclose(cp.plan.table["spend"], cp.usual.table["spend"])
    assert cp.plan.response_p10 == pytest.approx(cp.usual.response_p10)


def test_on_the_sample_every_shade_tried_is_reported_and_none_beats_the_plan_kept():
    cp = highest_p10(pd.read_parquet(SAMPLE_FIT), 250_000)
    assert list(cp.tried["shade"])[0] == 0.0 and len(cp.tried) >= 5
    assert cp.tried["p10"].max() == pytest.approx(cp.plan.response_p10)
    assert cp.plan.response_p10 >= cp.usual.response_p10
    usual = cp.tried.iloc[0]
    assert usual["p10"] == pytest.approx(cp.usual.response_p10) and usual["mean"] == pytest.approx(cp.usual.response_mean)


def test_without_intervals_there_is_nothing_to_be_cautious_about():
    with pytest.raises(InputError, match="no intervals"):
        highest_p10(_two_rows(2.0).drop(columns=["beta_p10", "beta_p90"]), 20_000)
