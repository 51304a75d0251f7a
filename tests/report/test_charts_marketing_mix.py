"""The marketing-mix decomposition (planner.report.charts.marketing_mix): stacked parts and sales lines."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.report.charts.marketing_mix import decomposition
from planner.report.charts.style import NETWORK_COLORS
from tests.report.chart_specs import fields, find, spec_of, tooltip_titles, values


def test_decomposition_stacks_baseline_then_networks_with_actual_line(decomp_df):
    spec = spec_of(decomposition(decomp_df))
    (area,) = find(spec, "area")
    assert area["encoding"]["y"]["stack"] == "zero"
    color = area["encoding"]["color"]
    assert color["scale"]["domain"] == ["Baseline", "Instagram", "TikTok", "Snapchat"]
    assert color["scale"]["range"][1:3] == [NETWORK_COLORS["Instagram"], NETWORK_COLORS["TikTok"]]
    assert color["scale"]["range"][3] == NETWORK_COLORS["Other"]
    data = values(spec, area)
    assert len(data) == 4 * len(decomp_df)
    assert data.groupby("date")["value"].sum().to_numpy() == pytest.approx(decomp_df["fitted"].to_numpy())
    (line,) = find(spec, "line")
    assert line["encoding"]["strokeDash"]["scale"]["domain"] == ["Actual sales", "Model fit"]
    lines = values(spec, line)
    actual = lines[lines["series"] == "Actual sales"]["value"].to_numpy()
    assert actual == pytest.approx(decomp_df["actual"].to_numpy())
    assert fields(area)["x"] == "date" and area["encoding"]["x"]["type"] == "temporal"
    assert {"Part", "Contribution", "Share of the fit"} <= set(tooltip_titles(area))


def test_decomposition_without_fitted_uses_the_sum_of_parts(decomp_df):
    spec = spec_of(decomposition(decomp_df.drop(columns=["fitted"])))
    lines = values(spec, find(spec, "line")[0])
    fit = lines[lines["series"] == "Model fit"]["value"].to_numpy()
    assert fit == pytest.approx(decomp_df["fitted"].to_numpy())


def test_decomposition_needs_a_date():
    with pytest.raises(ValueError, match="date"):
        decomposition(pd.DataFrame({"actual": [1.0]}))
