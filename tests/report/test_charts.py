"""Every chart (planner.report.charts): valid Vega-Lite specs, sized, titled, with tooltips, and pictures."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest

from planner.base.currency import using
from planner.report.charts import (
    NETWORK_COLORS,
    creator_scatter,
    creators_by_network,
    current_vs_optimal,
    decomposition,
    frontier,
    marginal_roas,
    network_color,
    response_curves,
    revenue_engagement,
)
from tests.report.chart_specs import NETWORKS, assert_empty_chart, mark_type, spec_of, values, views


def all_charts(curves, allocation, frontier_df, decomp_df):
    return {
        "response_curves": response_curves(curves, allocation),
        "response_curves_creators": response_curves(curves, allocation, names=curves["name"]),
        "marginal_roas": marginal_roas(curves, allocation),
        "frontier": frontier(frontier_df, current_budget=120_000, chosen_budget=250_000),
        "current_vs_optimal": current_vs_optimal(allocation),
        "current_vs_optimal_creators": current_vs_optimal(allocation, by="creator"),
        "creator_scatter": creator_scatter(allocation, followers={"TikTok/@lena.bakes": 120_000}),
        "decomposition": decomposition(decomp_df),
    }


CHART_NAMES = [
    "response_curves", "response_curves_creators", "marginal_roas", "frontier",
    "current_vs_optimal", "current_vs_optimal_creators", "creator_scatter", "decomposition",
]


# --------------------------------------------------------------------------- every chart


@pytest.mark.parametrize("name", CHART_NAMES)
def test_every_chart_is_valid_titled_sized_and_has_tooltips_on_every_mark(
    name, curves, allocation, frontier_df, decomp_df
):
    chart = all_charts(curves, allocation, frontier_df, decomp_df)[name]
    assert isinstance(chart, (alt.Chart, alt.LayerChart))
    spec = spec_of(chart)
    assert spec["width"] == "container"
    assert spec["height"] == 320
    assert spec["title"]["text"]
    marks = views(spec)
    assert marks
    for view in marks:
        assert view["encoding"].get("tooltip"), f"{mark_type(view)} layer without a tooltip"
        assert not values(spec, view).empty or "transform" in view


def money_axes(spec: dict) -> list[dict]:
    """The x and y encodings of a spec whose axis writes money (a label expression with a currency symbol)."""
    return [enc for v in views(spec) for ch, enc in v["encoding"].items()
            if ch in ("x", "y") and isinstance(enc, dict) and enc.get("type") == "quantitative"
            and "format(" in str((enc.get("axis") or {}).get("labelExpr", ""))]


@pytest.mark.parametrize("name", CHART_NAMES)
def test_money_axes_are_in_the_currency_shown_and_start_at_zero(name, curves, allocation, frontier_df, decomp_df):
    spec = spec_of(all_charts(curves, allocation, frontier_df, decomp_df)[name])
    found = money_axes(spec)
    assert found, "no money axis"
    for enc in found:
        assert '"$"' in enc["axis"]["labelExpr"]
        assert "($)" in enc["title"] or "$1" in enc["title"]
        scale = enc.get("scale", {})
        assert scale.get("zero") is True or scale.get("domain", [None])[0] == 0, enc["title"]
    with using("EUR"):
        spec = spec_of(all_charts(curves, allocation, frontier_df, decomp_df)[name])
    assert all('"€"' in enc["axis"]["labelExpr"] and "$" not in enc["title"] for enc in money_axes(spec))


@pytest.mark.parametrize("name", CHART_NAMES)
def test_charts_never_modify_their_inputs(name, curves, allocation, frontier_df, decomp_df):
    before = [df.copy(deep=True) for df in (curves, allocation, frontier_df, decomp_df)]
    all_charts(curves, allocation, frontier_df, decomp_df)[name].to_dict()
    for df, copy in zip((curves, allocation, frontier_df, decomp_df), before, strict=True):
        pd.testing.assert_frame_equal(df, copy)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda c, a: response_curves(c.iloc[:0]), id="response_curves-empty-table"),
        pytest.param(lambda c, a: response_curves(c, a, names=["Snapchat"]), id="response_curves-unknown-name"),
        pytest.param(lambda c, a: response_curves(c, a, names=[]), id="response_curves-no-names"),
        pytest.param(lambda c, a: response_curves(c[c["name"].str.contains("/")]), id="response_curves-no-networks"),
        pytest.param(lambda c, a: marginal_roas(c, a, names=[]), id="marginal_roas-no-names"),
        pytest.param(lambda c, a: marginal_roas(None), id="marginal_roas-none"),
        pytest.param(lambda c, a: frontier(pd.DataFrame(columns=["budget", "response"])), id="frontier-empty"),
        pytest.param(lambda c, a: frontier(pd.DataFrame({"budget": [np.nan], "response": [1.0]})), id="frontier-nan"),
        pytest.param(lambda c, a: current_vs_optimal(a.iloc[:0]), id="current_vs_optimal-empty"),
        pytest.param(lambda c, a: current_vs_optimal(a[~a["name"].str.contains("/")], by="creator"),
                     id="current_vs_optimal-no-creators"),
        pytest.param(lambda c, a: creator_scatter(a.iloc[:0]), id="creator_scatter-empty"),
        pytest.param(lambda c, a: creator_scatter(a[~a["name"].str.contains("/")]), id="creator_scatter-no-creators"),
        pytest.param(lambda c, a: decomposition(pd.DataFrame(columns=["date", "actual"])), id="decomposition-empty"),
    ],
)
def test_empty_selection_gives_a_no_rows_selected_chart(make, curves, allocation):
    assert_empty_chart(make(curves, allocation))


def test_width_and_height_can_be_set(curves, allocation):
    spec = spec_of(response_curves(curves, allocation, width=500, height=200))
    assert (spec["width"], spec["height"]) == (500, 200)
    spec = spec_of(response_curves(curves, names=[], width=500, height=200))
    assert (spec["width"], spec["height"]) == (500, 200)


# --------------------------------------------------------------------------- colours


def test_network_colors_are_okabe_ito_distinct_with_a_fallback():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
    assert set(NETWORKS) <= set(NETWORK_COLORS)
    six = [NETWORK_COLORS[n] for n in NETWORKS]
    assert len(set(six)) == 6 and set(six) <= okabe_ito
    assert network_color("tiktok") == NETWORK_COLORS["TikTok"]
    assert network_color("Snapchat") == NETWORK_COLORS["Other"]
    assert network_color("Twitch", others=["Snapchat", "Twitch"]) not in (set(six) | {NETWORK_COLORS["Other"]})


# --------------------------------------------------------------------------- pictures


@pytest.mark.parametrize("name", CHART_NAMES)
def test_charts_render_to_png(name, curves, allocation, frontier_df, decomp_df, tmp_path):
    vlc = pytest.importorskip("vl_convert", reason="vl-convert-python is not installed: no visual check")
    chart = all_charts(curves, allocation, frontier_df, decomp_df)[name].properties(width=640)
    png = vlc.vegalite_to_png(chart.to_json(), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    (tmp_path / f"{name}.png").write_bytes(png)


def test_new_charts_render_to_png(allocation, engagement, frontier_df):
    vlc = pytest.importorskip("vl_convert", reason="vl-convert-python is not installed: no visual check")
    made = {
        "frontier_next_step": frontier(frontier_df, 120_000, 250_000, step=10_000, step_response=700_000),
        "current_vs_optimal_gain": current_vs_optimal(allocation, gain=True),
        "creators_by_network": creators_by_network(allocation),
        "revenue_engagement": revenue_engagement(engagement),
    }
    for name, chart in made.items():
        text = chart.to_json().replace('"container"', "640")
        png = vlc.vegalite_to_png(text, scale=1)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000, name
