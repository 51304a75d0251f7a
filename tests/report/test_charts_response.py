"""Response curves and marginal returns (planner.report.charts.response): lines, points, bands and rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.base.format import money, roas, signed_money
from planner.curves.forms import marginal, response
from planner.report.charts.response import marginal_roas, response_curves
from planner.report.charts.spend_curves import MAX_LINE_POINTS, RANGE_IN, RANGE_OUT, RANGE_UNKNOWN
from planner.report.charts.style import NETWORK_COLORS
from tests.report.chart_specs import NETWORKS, fields, find, spec_of, tooltip_titles, values, views

# --------------------------------------------------------------------------- colours


def test_lines_take_network_colours_when_one_row_per_network(curves):
    spec = spec_of(response_curves(curves))
    line = find(spec, "line")[0]
    color = line["encoding"]["color"]
    assert color["field"] == "network"
    assert dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True)) == {n: NETWORK_COLORS[n] for n in NETWORKS}
    assert line["encoding"]["color"].get("legend", {}) is not None  # the lines hold the legend
    # every layer shares the colour scale with its legend on: a layer with legend=None hid the whole legend
    assert all(v["encoding"]["color"].get("legend", {}) is not None for v in views(spec) if "color" in v.get("encoding", {}))


def test_lines_take_one_colour_per_entity_when_a_network_repeats(curves):
    names = ["TikTok", "TikTok/@lena.bakes", "TikTok/@max.fit"]
    color = find(spec_of(response_curves(curves, names=names)), "line")[0]["encoding"]["color"]
    assert color["field"] == "name"
    assert color["scale"]["domain"] == names
    assert len(set(color["scale"]["range"])) == 3


# --------------------------------------------------------------------------- response curves


def test_response_curves_default_to_network_rows_and_follow_the_curve_math(curves):
    spec = spec_of(response_curves(curves))
    (line,) = find(spec, "line")
    data = values(spec, line)
    assert set(data["name"]) == set(NETWORKS)  # no creator rows by default
    rows = curves.set_index("name").loc[data["name"]].reset_index()
    np.testing.assert_allclose(data["response"], response(rows, data["spend"].to_numpy()), rtol=1e-6, atol=0.01)
    assert data["spend"].min() == 0.0
    assert fields(line)["x"] == "spend" and fields(line)["y"] == "response"
    assert {"Expected revenue", "Spend", "Return on the next $1"} <= set(tooltip_titles(line))


def test_response_curves_names_select_rows_in_order_and_ignore_unknown(curves):
    spec = spec_of(response_curves(curves, names=["TikTok/@lena.bakes", "Nope", "Instagram"]))
    data = values(spec, find(spec, "line")[0])
    assert list(dict.fromkeys(data["name"])) == ["TikTok/@lena.bakes", "Instagram"]
    spec = spec_of(response_curves(curves, names="YouTube"))
    assert set(values(spec, find(spec, "line")[0])["name"]) == {"YouTube"}


def test_current_point_is_hollow_and_optimal_point_filled_on_the_curve(curves, allocation):
    spec = spec_of(response_curves(curves, allocation))
    (hollow,) = find(spec, "point", filled=False)
    (filled,) = find(spec, "point", filled=True)
    cur, opt = values(spec, hollow), values(spec, filled)
    assert set(cur["kind"]) == {"Current spend"} and set(opt["kind"]) == {"Optimal spend"}
    a = allocation.set_index("name")
    for _, row in opt.iterrows():
        assert row["spend"] == pytest.approx(a.loc[row["name"], "spend"])
        assert row["response"] == pytest.approx(a.loc[row["name"], "response"], abs=0.01)  # on the curve
        assert row["spend_text"] == money(a.loc[row["name"], "spend"])
        assert row["change_text"] == signed_money(a.loc[row["name"], "change"])
    assert cur.set_index("name")["spend"].to_dict() == pytest.approx(
        a.loc[NETWORKS, "current_spend"].to_dict())
    assert {"Point", "Spend", "Expected revenue", "Change from current spend"} <= set(tooltip_titles(filled))
    subtitle = " ".join(spec["title"]["subtitle"]).lower()
    assert "hollow" in subtitle and "filled" in subtitle


def test_without_allocation_the_current_point_comes_from_the_curve_table(curves):
    spec = spec_of(response_curves(curves))
    assert not find(spec, "point", filled=True)
    cur = values(spec, find(spec, "point", filled=False)[0])
    assert cur.set_index("name")["spend"].to_dict() == curves.set_index("name").loc[NETWORKS, "current_spend"].to_dict()


def test_extrapolation_is_dashed_beyond_the_observed_spend(curves, allocation):
    spec = spec_of(response_curves(curves, allocation))
    line = find(spec, "line")[0]
    dash = line["encoding"]["strokeDash"]
    assert dash["field"] == "range"
    ranges = dict(zip(dash["scale"]["domain"], map(tuple, dash["scale"]["range"]), strict=True))
    assert ranges[RANGE_IN] == (1, 0) and ranges[RANGE_OUT] != (1, 0)
    assert {d["field"] for d in line["encoding"]["detail"]} == {"name", "part"}
    data = values(spec, line)
    insta = data[data["name"] == "Instagram"]
    inside = insta[insta["range"] == RANGE_IN]["spend"]
    assert inside.min() == 20_000 and inside.max() == 80_000
    assert (insta[insta["spend"] > 80_000]["range"] == RANGE_OUT).all()
    assert (insta[insta["spend"] < 20_000]["range"] == RANGE_OUT).all()
    # the boundary points belong to both parts, so the line is unbroken
    assert set(insta[insta["spend"] == 80_000]["part"]) == {1, 2}
    assert set(data[data["name"] == "Pinterest"]["range"]) == {RANGE_UNKNOWN}
    opt = values(spec, find(spec, "point", filled=True)[0]).set_index("name")
    assert opt.loc["Instagram", "data"] == RANGE_OUT  # $95k is past the $80k seen
    assert opt.loc["TikTok", "data"] == RANGE_IN
    assert "extrapolation" in " ".join(spec["title"]["subtitle"]).lower()


def test_without_observed_range_lines_are_solid_and_say_so(curves):
    plain = curves.drop(columns=["observed_min", "observed_max"])
    spec = spec_of(response_curves(plain))
    line = find(spec, "line")[0]
    assert "strokeDash" not in line["encoding"]
    assert set(values(spec, line)["range"]) == {RANGE_UNKNOWN}


def test_interval_band_from_beta_percentiles(curves):
    spec = spec_of(response_curves(curves))
    (band,) = find(spec, "area")
    assert fields(band)["y"] == "response_p10" and fields(band)["y2"] == "response_p90"
    assert band["encoding"]["y"]["stack"] is None
    data = values(spec, band).dropna(subset=["response_p10"])
    assert (data["response_p10"] <= data["response"] + 0.01).all()
    assert (data["response"] <= data["response_p90"] + 0.01).all()
    assert {"Expected revenue, 10th percentile", "Expected revenue, 90th percentile"} <= set(tooltip_titles(band))
    no_band = spec_of(response_curves(curves.drop(columns=["beta_p10", "beta_p90"])))
    assert not find(no_band, "area")


def test_max_spend_sets_the_axis(curves):
    spec = spec_of(response_curves(curves, max_spend=50_000))
    line = find(spec, "line")[0]
    assert line["encoding"]["x"]["scale"]["domain"] == [0.0, 50_000.0]
    assert values(spec, line)["spend"].max() == 50_000


def test_many_curves_are_thinned(curves):
    many = pd.concat(
        [curves.iloc[[6]].assign(name=f"TikTok/@c{i}") for i in range(300)], ignore_index=True
    )
    spec = spec_of(response_curves(many, names=many["name"], n_points=120))
    data = values(spec, find(spec, "line")[0])
    assert data["name"].nunique() == 300
    assert len(data) <= MAX_LINE_POINTS * 1.5 + 300 * 4


@pytest.mark.parametrize(
    ("curve", "k", "s"),
    [("hill", 5_000.0, 2.5), ("hill", 5_000.0, 1.0), ("hill", 5_000.0, 0.5), ("logistic", 5_000.0, np.nan),
     ("log", 5_000.0, np.nan), ("linear", np.nan, np.nan)],
    ids=["hill-s-shaped", "hill-s1", "hill-s-below-1", "logistic", "log", "linear"],
)
def test_every_curve_form_charts(curve, k, s):
    table = pd.DataFrame({"name": ["Facebook"], "network": ["Facebook"], "curve": [curve], "beta": [50_000.0],
                          "k": [k], "s": [s], "max_spend": [20_000.0 if curve == "linear" else np.inf]})
    if curve == "linear":
        table["beta"] = 2.0
    for chart in (response_curves(table), marginal_roas(table)):
        spec = spec_of(chart)
        data = values(spec, find(spec, "line")[0])
        assert len(data) >= 24 and data["spend"].max() > 0


# --------------------------------------------------------------------------- marginal returns


def test_marginal_roas_lines_rules_and_points(curves, allocation):
    spec = spec_of(marginal_roas(curves, allocation, level=2.0))
    line = find(spec, "line")[0]
    assert fields(line)["y"] == "marginal"
    data = values(spec, line).dropna(subset=["marginal"])
    rows = curves.set_index("name").loc[data["name"]].reset_index()
    np.testing.assert_allclose(data["marginal"], marginal(rows, data["spend"].to_numpy()), rtol=1e-4, atol=1e-4)
    rules = find(spec, "rule")
    assert sorted(values(spec, r)["value"].iloc[0] for r in rules) == [1.0, 2.0]
    (names,) = find(spec, "text")
    assert values(spec, names)["label"].tolist() == ["Break-even: $1 back per $1", "Best plan: $2.00 per $1"]
    assert names["encoding"]["x"] == {"value": {"expr": "width"}}  # beside the plot, where no curve runs
    assert all(v["encoding"]["tooltip"] for v in rules)
    opt = values(spec, find(spec, "point", filled=True)[0]).set_index("name")
    assert opt.loc["TikTok", "marginal_text"] == roas(
        marginal(curves[curves["name"] == "TikTok"], [45_000.0])[0], per_dollar=True)


def test_marginal_level_defaults_to_the_optimum_of_free_funded_rows(curves, allocation):
    spec = spec_of(marginal_roas(curves, allocation))
    levels = sorted(values(spec, r)["value"].iloc[0] for r in find(spec, "rule"))
    # funded rows held by no bound: 1.9, 2.1, 2.0, 2.0, 3.0, 2.0 (X is at its max; Pinterest unfunded)
    assert levels == [1.0, 2.0]
    no_alloc = spec_of(marginal_roas(curves))
    assert [values(no_alloc, r)["value"].iloc[0] for r in find(no_alloc, "rule")] == [1.0]


def test_marginal_axis_is_capped_when_a_slope_is_unbounded(curves):
    steep = curves.assign(s=np.where(curves["name"] == "Pinterest", 0.3, curves["s"]))  # slope -> inf at $0
    spec = spec_of(marginal_roas(steep, names=["Pinterest", "Facebook"]))
    line = find(spec, "line")[0]
    top = line["encoding"]["y"]["scale"]["domain"][1]
    data = values(spec, line)
    assert np.isfinite(top) and top >= 1.15
    assert top < data["marginal"].max()
