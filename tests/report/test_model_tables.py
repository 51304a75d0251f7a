"""planner.report.model_tables: the curve table as people read it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planner.report.model_tables import (
    curve_counts,
    curve_view,
    mmm_view,
    observed_range_text,
    pooled_text,
    pulled_caption,
)
from tests.report.view_cases import CURVES


def test_pooled_and_range_texts():
    assert pooled_text(0.4) == "pulled toward network average: 40%"
    assert pooled_text(0.0) == "" and pooled_text(np.nan) == ""
    assert observed_range_text(1_000, 3_000) == "$1,000 \u2013 $3,000"
    assert observed_range_text(500, 500) == "$500"
    assert observed_range_text(np.nan, np.nan) == "\u2014"
    assert observed_range_text(85, 255) == "$85 \u2013 $255"  # one format in a range: whole amounts


def test_curve_view_reads_at_current_spend():
    v = curve_view(CURVES)
    assert list(v["Name"]) == list(CURVES["name"])
    tiktok = v.iloc[0]
    expected = 200_000 * math.log1p(30_000 / 40_000)
    assert tiktok["ROAS at current spend"] == pytest.approx(expected / 30_000)
    assert tiktok["Next $1 at current spend"] == pytest.approx(200_000 / (40_000 + 30_000))
    assert tiktok["Pooling"] == "" and v.iloc[3]["Pooling"] == "pulled toward network average: 40%"
    assert list(v["Type"]) == ["Paid media", "Paid media", "Creator", "Creator"]
    assert curve_counts(CURVES) == "4 response curves: 2 networks' paid media and 2 creators"


def test_fit_in_words_and_the_warning_for_poor_fits():
    from planner.report.model_tables import fit_warning, fit_words

    assert [fit_words(v) for v in (0.9, 0.5, 0.1, -0.55, np.nan, None)] == [
        "good", "fair", "weak", "poor: worse than a flat average", "not measured", "not measured"]
    curves = CURVES.assign(r2=[0.8, -0.55, np.nan, -0.1])
    text = fit_warning(curves)
    assert text.startswith("2 curves predict the data worse than a flat average would (R\u00b2 below 0): ")
    assert f"{CURVES['name'][1]}, {CURVES['name'][3]}." in text
    assert fit_warning(CURVES.assign(r2=0.5)) == ""
    assert list(curve_view(curves)["Fit"]) == ["good", "poor: worse than a flat average", "not measured",
                                               "poor: worse than a flat average"]


def test_curve_view_leaves_out_pooling_without_creators():
    networks = CURVES[~CURVES["name"].str.contains("/")]
    v = curve_view(networks.drop(columns=[c for c in ("pooling_note",) if c in networks.columns]))
    assert "Pooling" not in v.columns and "Why" not in v.columns
    assert "Pooling" in curve_view(CURVES).columns


def test_the_season_caption_says_what_the_test_found_and_why_not():
    from planner.fit.seasonal_response import SeasonalResponse
    from planner.report.model_tables import season_caption

    found = season_caption(SeasonalResponse(0.3, 0.1, 40.0, 156.0, True, "found"))
    assert found == ("Seasons in what paid media earns: the 156 weeks show up to 32% more per dollar around 15 March "
                     "than in an average week, and as much less half a year later; the Plan over time page places spend by it.")
    short = season_caption(SeasonalResponse(0.0, 0.0, float("nan"), 40.0, False, "short"))
    assert "none assumed (40 weeks are under a year, too few to tell)" in short
    weak = season_caption(SeasonalResponse(0.0, 0.0, 3.0, 104.0, False, "weak"))
    assert "none assumed (the 104 weeks show no yearly wave beyond chance)" in weak
    assert season_caption(None) == ""


def test_the_mix_says_how_much_of_each_return_its_data_decide():
    params = pd.DataFrame({"network": ["TV", "Radio", "Print"], "contribution": [5e5, 2e5, 1e5],
                           "share": [0.1, 0.04, 0.02], "decay": [0.3, 0.2, 0.1], "prior_weight": [0.2, 0.5, 1.0]})
    v = mmm_view(params)
    assert list(v["Network"]) == ["TV", "Radio", "Print"]
    assert list(v["Read from its data"]) == pytest.approx([0.8, 0.5, 0.0])
    assert pulled_caption(params) == (
        "The weekly data hardly tell Radio and Print apart from baseline sales: their return per dollar is at least "
        "half the pull toward the other networks' level and at most half their own data, so plans that move money "
        "into or out of them rest on little evidence. A lift test of them (Experiments, below) would tell.")
    assert pulled_caption(params.assign(prior_weight=[0.2, 0.1, 0.7])).startswith(
        "The weekly data hardly tell Print apart from baseline sales: its return per dollar")
    assert pulled_caption(params.assign(prior_weight=0.1)) == ""
    assert pulled_caption(params.drop(columns="prior_weight")) == ""
    assert mmm_view(params.drop(columns="prior_weight"))["Read from its data"].isna().all()
