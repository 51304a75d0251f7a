"""Charts (planner.report.charts): valid Vega-Lite specs with the right layers, data and tooltips."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
import pytest

from planner.base.format import money, roas, signed_money
from planner.curves.forms import marginal, response
from planner.report import charts
from planner.report.charts import (
    NETWORK_COLORS,
    RANGE_IN,
    RANGE_OUT,
    RANGE_UNKNOWN,
    creator_scatter,
    current_vs_optimal,
    decomposition,
    frontier,
    marginal_roas,
    network_color,
    response_curves,
)

NETWORKS = ["Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"]


# --------------------------------------------------------------------------- data


@pytest.fixture
def curves() -> pd.DataFrame:
    """A curve table (contract 1) with every form, models' extra columns and creators."""
    return pd.DataFrame(
        {
            "name": NETWORKS + ["TikTok/@lena.bakes", "TikTok/@max.fit", "Instagram/@sara.cooks"],
            "network": NETWORKS + ["TikTok", "TikTok", "Instagram"],
            "curve": ["hill", "logistic", "log", "hill", "log", "linear", "hill", "linear", "hill"],
            "beta": [400_000.0, 250_000.0, 60_000.0, 90_000.0, 120_000.0, 1.2, 30_000.0, 2.5, 12_000.0],
            "k": [60_000.0, 40_000.0, 20_000.0, 30_000.0, 50_000.0, np.nan, 4_000.0, np.nan, 2_000.0],
            "s": [2.0, np.nan, np.nan, 0.7, np.nan, np.nan, 1.5, np.nan, 1.0],
            "min_spend": 0.0,
            "max_spend": [np.inf] * 5 + [40_000.0, np.inf, 6_000.0, np.inf],
            "unit_cost": [np.nan] * 6 + [1_500.0, np.nan, 500.0],
            "current_spend": [50_000.0, 30_000.0, 20_000.0, 10_000.0, 40_000.0, 5_000.0, 3_000.0, 1_000.0, 0.0],
            "observed_min": [20_000.0, 10_000.0, 5_000.0, np.nan, 15_000.0, 1_000.0, 1_500.0, 500.0, np.nan],
            "observed_max": [80_000.0, 50_000.0, 30_000.0, np.nan, 60_000.0, 10_000.0, 4_500.0, 3_000.0, np.nan],
            "beta_p10": [340_000.0, 200_000.0, 50_000.0, 70_000.0, 100_000.0, 1.0, 24_000.0, 2.0, np.nan],
            "beta_p90": [460_000.0, 300_000.0, 70_000.0, 110_000.0, 140_000.0, 1.4, 36_000.0, 3.0, np.nan],
        }
    )


@pytest.fixture
def allocation(curves) -> pd.DataFrame:
    """An Allocation.table (docs/architecture.md columns) consistent with ``curves``."""
    spend = np.array([95_000.0, 45_000.0, 15_000.0, 0.0, 38_000.0, 40_000.0, 4_500.0, 0.0, 2_500.0])
    current = curves["current_spend"].to_numpy()
    resp = response(curves, spend)
    cur_resp = response(curves, current)
    with np.errstate(divide="ignore", invalid="ignore"):
        roas_ = np.where(spend > 0, resp / spend, np.nan)
    return pd.DataFrame(
        {
            "name": curves["name"],
            "network": curves["network"],
            "spend": spend,
            "response": resp,
            "roas": roas_,
            "marginal_return": [1.9, 2.1, 2.0, 0.0, 2.0, 1.2, 3.0, 2.5, 2.0],
            "current_spend": current,
            "current_response": cur_resp,
            "change": spend - current,
            "min_spend": 0.0,
            "max_spend": curves["max_spend"],
            "unit_cost": curves["unit_cost"],
            "units": [np.nan] * 6 + [3.0, np.nan, 5.0],
            "binding": ["", "", "", "", "", "max", "", "", ""],
            "extrapolated": spend > curves["observed_max"].fillna(np.inf),
            "observed_max": curves["observed_max"],
        }
    )


@pytest.fixture
def frontier_df() -> pd.DataFrame:
    budgets = np.linspace(0, 400_000, 9)
    resp = 900_000 * (1 - np.exp(-budgets / 150_000))
    return pd.DataFrame(
        {
            "budget": budgets,
            "response": resp,
            "response_p10": resp * 0.85,
            "response_p90": resp * 1.15,
            "marginal_return": 6 * np.exp(-budgets / 150_000),
        }
    )


@pytest.fixture
def decomp_df() -> pd.DataFrame:
    dates = pd.date_range("2024-01-01", periods=12, freq="W-MON")
    t = np.arange(12, dtype=float)
    df = pd.DataFrame(
        {"date": dates, "baseline": 50_000.0 + 500 * t, "Instagram": 8_000 + 100 * t, "TikTok": 6_000 - 50 * t,
         "Snapchat": 1_000.0}
    )
    df["fitted"] = df[["baseline", "Instagram", "TikTok", "Snapchat"]].sum(axis=1)
    df["actual"] = df["fitted"] * (1 + 0.03 * np.sin(t))
    return df


# --------------------------------------------------------------------------- spec helpers


def spec_of(chart) -> dict:
    """The Vega-Lite spec (validated by Altair against the schema) and strictly JSON."""
    spec = chart.to_dict()
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    json.dumps(spec, allow_nan=False)  # no NaN / inf anywhere: browsers reject them
    return spec


def views(spec: dict) -> list[dict]:
    """Every unit view (a dict with a mark) of a spec, layers flattened."""
    if "mark" in spec:
        return [spec]
    return [v for layer in spec.get("layer", []) for v in views(layer)]


def mark_type(view: dict) -> str:
    mark = view["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def values(spec: dict, view: dict) -> pd.DataFrame:
    """The data a view draws, after its filter (datum.kind == '...') if it has one."""
    data = view.get("data") or spec.get("data")
    rows = spec["datasets"][data["name"]] if "name" in data else data["values"]
    df = pd.DataFrame(rows)
    for t in view.get("transform", []):
        expr = t.get("filter")
        if isinstance(expr, str) and "datum.kind ===" in expr:  # e.g. "(!(datum.kind === 'Current spend'))"
            kind = expr.split("'")[1]
            df = df[(df["kind"] == kind) != ("!" in expr)]
    return df


def tooltip_titles(view: dict) -> list[str]:
    tips = view["encoding"]["tooltip"]
    tips = tips if isinstance(tips, list) else [tips]
    return [t.get("title", t.get("field")) for t in tips]


def fields(view: dict) -> dict[str, str]:
    out = {}
    for channel, enc in view.get("encoding", {}).items():
        if isinstance(enc, dict) and "field" in enc:
            out[channel] = enc["field"]
    return out


def find(spec: dict, mark: str, **props) -> list[dict]:
    found = []
    for v in views(spec):
        m = v["mark"] if isinstance(v["mark"], dict) else {"type": v["mark"]}
        if m["type"] == mark and all(m.get(k) == val for k, val in props.items()):
            found.append(v)
    return found


def assert_empty_chart(chart):
    spec = spec_of(chart)
    assert isinstance(chart, alt.Chart)
    (view,) = views(spec)
    assert mark_type(view) == "text"
    assert values(spec, view)["message"].str.lower().tolist() == ["no rows selected"]
    assert view["encoding"]["tooltip"]


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


@pytest.mark.parametrize("name", CHART_NAMES)
def test_money_axes_are_formatted_as_dollars(name, curves, allocation, frontier_df, decomp_df):
    spec = spec_of(all_charts(curves, allocation, frontier_df, decomp_df)[name])
    formats = {
        (ch, enc.get("axis", {}).get("format"))
        for v in views(spec)
        for ch, enc in v["encoding"].items()
        if ch in ("x", "y") and isinstance(enc, dict) and enc.get("type") == "quantitative" and "axis" in enc
    }
    assert formats, "no formatted axis"
    assert all(fmt.startswith("$") for _, fmt in formats)


@pytest.mark.parametrize("name", CHART_NAMES)
def test_charts_never_modify_their_inputs(name, curves, allocation, frontier_df, decomp_df):
    before = [df.copy(deep=True) for df in (curves, allocation, frontier_df, decomp_df)]
    all_charts(curves, allocation, frontier_df, decomp_df)[name].to_dict()
    for df, copy in zip((curves, allocation, frontier_df, decomp_df), before):
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


def test_lines_take_network_colours_when_one_row_per_network(curves):
    spec = spec_of(response_curves(curves))
    line = find(spec, "line")[0]
    color = line["encoding"]["color"]
    assert color["field"] == "network"
    assert dict(zip(color["scale"]["domain"], color["scale"]["range"])) == {n: NETWORK_COLORS[n] for n in NETWORKS}
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
    ranges = dict(zip(dash["scale"]["domain"], map(tuple, dash["scale"]["range"])))
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
    assert len(data) <= charts.MAX_LINE_POINTS * 1.5 + 300 * 4


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
    labels = " ".join(values(spec, t)["label"].iloc[0] for t in find(spec, "text"))
    assert "break-even" in labels and "$2.00" in labels
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


# --------------------------------------------------------------------------- frontier


def test_frontier_layers_points_and_tooltips(frontier_df):
    spec = spec_of(frontier(frontier_df, current_budget=120_000, chosen_budget=250_000))
    (line,) = find(spec, "line")
    assert (fields(line)["x"], fields(line)["y"]) == ("budget", "response")
    assert "Return on the next $1" in tooltip_titles(line)
    (band,) = find(spec, "area")
    assert fields(band)["y2"] == "response_p90"
    cur = values(spec, find(spec, "point", filled=False)[0])
    chosen = values(spec, find(spec, "point", filled=True)[0])
    assert cur["budget"].tolist() == [120_000] and chosen["budget"].tolist() == [250_000]
    expected = np.interp(250_000, frontier_df["budget"], frontier_df["response"])
    assert chosen["response"].iloc[0] == pytest.approx(expected)
    mr = np.interp(250_000, frontier_df["budget"], frontier_df["marginal_return"])
    assert chosen["marginal_text"].iloc[0] == roas(mr, per_dollar=True)
    assert set(values(spec, find(spec, "text")[0])["kind"]) == {"Current budget", "Chosen budget"}
    hover = find(spec, "circle")[0]
    assert values(spec, hover)["budget_text"].iloc[1] == money(50_000)


def test_frontier_estimates_the_next_dollar_without_marginal_return(frontier_df):
    spec = spec_of(frontier(frontier_df.drop(columns=["marginal_return", "response_p10", "response_p90"])))
    assert not find(spec, "area")
    data = values(spec, find(spec, "line")[0])
    assert data["marginal_return"].iloc[0] > data["marginal_return"].iloc[-1] > 0


def test_frontier_with_only_a_chosen_budget(frontier_df):
    spec = spec_of(frontier(frontier_df, chosen_budget=100_000))
    assert not find(spec, "point", filled=False)
    assert values(spec, find(spec, "point", filled=True)[0])["kind"].tolist() == ["Chosen budget"]


def test_frontier_budget_outside_the_range_is_noted_not_drawn(frontier_df):
    spec = spec_of(frontier(frontier_df, current_budget=1_000_000))
    assert not find(spec, "point")
    assert "outside" in " ".join(spec["title"]["subtitle"])


def test_frontier_needs_budget_and_response():
    with pytest.raises(ValueError, match="budget and response"):
        frontier(pd.DataFrame({"spend": [1.0]}))


# --------------------------------------------------------------------------- current vs optimal


def test_current_vs_optimal_by_network(allocation):
    spec = spec_of(current_vs_optimal(allocation))
    (bars,) = views(spec)
    assert mark_type(bars) == "bar"
    assert (fields(bars)["y"], fields(bars)["yOffset"], fields(bars)["x"]) == ("label", "plan", "spend")
    data = values(spec, bars)
    totals = allocation.groupby("network")[["spend", "current_spend"]].sum()
    opt = data[data["plan"] == "Optimal"].set_index("label")["spend"]
    cur = data[data["plan"] == "Current"].set_index("label")["spend"]
    assert opt.to_dict() == pytest.approx(totals["spend"].to_dict())
    assert cur.to_dict() == pytest.approx(totals["current_spend"].to_dict())
    # sorted by optimal spend, largest first
    assert bars["encoding"]["y"]["sort"][0] == totals["spend"].idxmax()
    tiktok = data[(data["label"] == "TikTok") & (data["plan"] == "Optimal")].iloc[0]
    assert tiktok["change_text"] == signed_money(totals.loc["TikTok", "spend"] - totals.loc["TikTok", "current_spend"])
    assert {"Change in spend", "Change in expected revenue", "Optimal spend"} <= set(tooltip_titles(bars))


def test_current_vs_optimal_top_creators(allocation):
    spec = spec_of(current_vs_optimal(allocation, by="creator", top=2))
    (bars,) = views(spec)
    data = values(spec, bars)
    assert bars["encoding"]["y"]["sort"] == ["TikTok/@lena.bakes", "Instagram/@sara.cooks"]
    assert set(data["label"]) == {"TikTok/@lena.bakes", "Instagram/@sara.cooks"}
    assert "Top 2 of 3 creators" in spec["title"]["subtitle"][0]


def test_current_vs_optimal_takes_the_network_table():
    network_table = pd.DataFrame({"network": ["Instagram", "TikTok"], "spend": [100.0, 300.0],
                                  "response": [500.0, 900.0], "current_spend": [200.0, 200.0],
                                  "current_response": [700.0, 700.0]})
    spec = spec_of(current_vs_optimal(network_table))
    assert views(spec)[0]["encoding"]["y"]["sort"] == ["TikTok", "Instagram"]


def test_current_vs_optimal_rejects_an_unknown_grouping(allocation):
    with pytest.raises(ValueError, match="by must be"):
        current_vs_optimal(allocation, by="influencer")


# --------------------------------------------------------------------------- creators


@pytest.mark.parametrize(
    "followers",
    [
        {"TikTok/@lena.bakes": 120_000, "TikTok/@max.fit": 40_000},
        pd.Series({"TikTok/@lena.bakes": 120_000, "TikTok/@max.fit": 40_000}),
        pd.DataFrame({"name": ["TikTok/@lena.bakes", "TikTok/@max.fit"], "followers": [120_000, 40_000]}),
    ],
    ids=["dict", "series", "frame"],
)
def test_creator_scatter(allocation, followers):
    spec = spec_of(creator_scatter(allocation, followers=followers))
    (pts,) = find(spec, "point")
    data = values(spec, pts).set_index("name")
    assert set(data.index) == {"TikTok/@lena.bakes", "TikTok/@max.fit", "Instagram/@sara.cooks"}
    assert data.loc["TikTok/@lena.bakes", "status"] == "Chosen"
    assert data.loc["TikTok/@lena.bakes", "x"] == 4_500
    # not chosen: drawn at its current spend
    assert data.loc["TikTok/@max.fit", "status"] == "Not chosen"
    assert data.loc["TikTok/@max.fit", "x"] == 1_000
    assert data.loc["TikTok/@max.fit", "shown_at"] == "current spend"
    assert fields(pts)["size"] == "followers"
    assert data.loc["TikTok/@lena.bakes", "followers_text"] == "120,000"
    assert fields(pts)["color"] == "network"
    assert fields(pts)["shape"] == fields(pts)["opacity"] == "status"
    assert {"Creator", "In the plan", "Planned spend", "Followers"} <= set(tooltip_titles(pts))
    (even,) = find(spec, "line")
    assert even["encoding"]["tooltip"]


def test_creator_scatter_without_followers_has_no_size(allocation):
    spec = spec_of(creator_scatter(allocation))
    assert "size" not in find(spec, "point")[0]["encoding"]
    spec = spec_of(creator_scatter(allocation.assign(followers=range(len(allocation)))))
    assert fields(find(spec, "point")[0])["size"] == "followers"


# --------------------------------------------------------------------------- decomposition


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


# --------------------------------------------------------------------------- pictures


@pytest.mark.parametrize("name", CHART_NAMES)
def test_charts_render_to_png(name, curves, allocation, frontier_df, decomp_df, tmp_path):
    vlc = pytest.importorskip("vl_convert", reason="vl-convert-python is not installed: no visual check")
    chart = all_charts(curves, allocation, frontier_df, decomp_df)[name].properties(width=640)
    png = vlc.vegalite_to_png(chart.to_json(), scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    (tmp_path / f"{name}.png").write_bytes(png)


# --------------------------------------------------------------------------- the budget slider's charts


def _without_data(spec: dict) -> str:
    """The spec as Streamlit compares it between reruns: without the data sets."""
    return json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)


def test_frontier_marks_what_the_next_step_buys(frontier_df):
    resp = float(np.interp(250_000, frontier_df["budget"], frontier_df["response"]))
    spec = spec_of(frontier(frontier_df, current_budget=120_000, chosen_budget=250_000, chosen_response=resp + 1_000,
                            step=10_000, step_response=resp + 5_000))
    chosen = values(spec, find(spec, "point", filled=True)[0])
    assert chosen["response"].iloc[0] == pytest.approx(resp + 1_000)  # the optimum's own figure, not interpolated
    seg = [v for v in find(spec, "line") if v.get("data", {}).get("name") == "frontier-next-step"]
    assert len(seg) == 1
    data = values(spec, seg[0])
    assert data["budget"].tolist() == [250_000, 260_000]
    assert data["response"].tolist() == pytest.approx([resp + 1_000, resp + 5_000])
    assert "Next $10,000: +$4,000" in data["label"].tolist()
    assert {"Expected revenue added", "Return per $1 of it"} <= set(tooltip_titles(seg[0]))


def test_frontier_spec_stays_the_same_when_only_the_chosen_budget_moves(frontier_df):
    """Streamlit then swaps the data into the chart already drawn instead of drawing it again."""
    def spec_at(budget):
        r = float(np.interp(budget, frontier_df["budget"], frontier_df["response"]))
        return spec_of(frontier(frontier_df, current_budget=120_000, chosen_budget=budget, chosen_response=r,
                                step=10_000, step_response=r + 3_000))
    a, b = spec_at(200_000), spec_at(300_000)
    assert _without_data(a) == _without_data(b)
    assert a["datasets"]["frontier-budgets"] != b["datasets"]["frontier-budgets"]


def test_frontier_labels_one_point_when_the_chosen_budget_is_todays(frontier_df):
    spec = spec_of(frontier(frontier_df, current_budget=250_000, chosen_budget=250_000))
    labels = values(spec, find(spec, "text")[0])
    assert sorted(labels["label"]) == ["", "Chosen budget = current budget"]


def test_current_vs_optimal_writes_the_revenue_gained_beside_the_bars(allocation):
    spec = spec_of(current_vs_optimal(allocation, gain=True))
    (bars,) = find(spec, "bar")
    (text,) = find(spec, "text")
    labels = values(spec, text).set_index("label")
    totals = allocation.groupby("network")[["response", "current_response", "spend", "current_spend"]].sum()
    gain = totals["response"] - totals["current_response"]
    assert labels["gain_label"].to_dict() == {n: f"{signed_money(v, compact=True)} revenue" for n, v in gain.items()}
    assert (labels["room"] > labels["end"]).all()  # an invisible point leaves room for the label on the axis
    assert all(view["encoding"].get("tooltip") for view in views(spec))
    assert "change in expected revenue" in spec["title"]["subtitle"][0]


def test_current_vs_optimal_spec_stays_the_same_for_another_plan_in_the_same_order(allocation):
    a = spec_of(current_vs_optimal(allocation, gain=True))
    b = spec_of(current_vs_optimal(allocation.assign(spend=allocation["spend"] * 1.01), gain=True))
    assert _without_data(a) == _without_data(b)


def test_creators_by_network_filters_the_creators_by_a_clicked_network(allocation):
    spec = spec_of(charts.creators_by_network(allocation, followers={"TikTok/@lena.bakes": 120_000}))
    bars_view, scatter = spec["vconcat"]
    (param,) = spec["params"]  # Altair lifts it to the top, naming the bars' view
    assert param["name"] == charts.NETWORK_PICK and param["views"] == [bars_view["name"]]
    assert param["select"]["type"] == "point" and param["select"]["fields"] == ["network"]
    bars = values(spec, bars_view).set_index("network")
    creators = allocation[allocation["name"].str.contains("/")]
    assert bars["spend"].to_dict() == pytest.approx(creators.groupby("network")["spend"].sum().to_dict())
    assert bars_view["encoding"]["tooltip"]
    points = [v for v in views(scatter) if mark_type(v) == "point"]
    assert len(points) == 1
    assert {"param": charts.NETWORK_PICK} in [t.get("filter") for t in points[0]["transform"]]
    assert set(values(spec, points[0])["name"]) == set(creators["name"])
    assert all(v["encoding"].get("tooltip") for v in views(scatter))


def test_creators_by_network_without_creators_says_so(allocation):
    assert_empty_chart(charts.creators_by_network(allocation[~allocation["name"].str.contains("/")]))


@pytest.fixture
def engagement() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["TikTok/@a", "TikTok/@b", "Instagram/@c", "Instagram/@d", "X/@e"],
        "network": ["TikTok", "TikTok", "Instagram", "Instagram", "X"],
        "in_plan": [True, False, True, False, False],
        "planned_spend": [3_000.0, 0.0, 1_500.0, 0.0, 0.0],
        "measured_at": "today's spend ($1,000)",
        "revenue_per_dollar": [5.0, 6.0, 9.0, 4.0, 2.0],
        "engagements_per_1000": [80_000.0, 60_000.0, 3_000.0, 2_000.0, 1_000.0],
        "engagements": [1e5, 2e5, 3e3, 4e3, 5e2],
        "campaigns": [3, 4, 5, 6, 1],
    })


def test_revenue_engagement_draws_the_pareto_front(engagement):
    spec = spec_of(charts.revenue_engagement(engagement))
    assert spec["width"] == "container" and spec["title"]["text"]
    (pts,) = find(spec, "point")
    data = values(spec, pts).set_index("name")
    # @d and @e are beaten by @c on both axes; @a, @b and @c are on the front
    assert data["front"].to_dict() == {"TikTok/@a": "On the front", "TikTok/@b": "On the front",
                                       "Instagram/@c": "On the front", "Instagram/@d": "Behind the front",
                                       "X/@e": "Behind the front"}
    assert pts["encoding"]["x"]["scale"]["type"] == "log"
    (stairs,) = find(spec, "line")
    assert stairs["mark"]["interpolate"] == "step-before"
    assert values(spec, stairs)["name"].tolist() == ["Instagram/@c", "TikTok/@b", "TikTok/@a"]
    named = pd.concat([values(spec, v) for v in find(spec, "text")])
    assert set(named["handle"]) == {"@a", "@b", "@c"}
    assert all(v["encoding"].get("tooltip") for v in views(spec))
    assert {"Pareto front", "Expected revenue per $1", "Engagements per $1,000"} <= set(tooltip_titles(pts))


def test_revenue_engagement_without_engagements_says_so():
    spec = spec_of(charts.revenue_engagement(pd.DataFrame()))
    (view,) = views(spec)
    assert values(spec, view)["message"].tolist() == ["The data has no engagements per creator."]


def test_new_charts_render_to_png(allocation, engagement, frontier_df):
    vlc = pytest.importorskip("vl_convert", reason="vl-convert-python is not installed: no visual check")
    made = {
        "frontier_next_step": frontier(frontier_df, 120_000, 250_000, step=10_000, step_response=700_000),
        "current_vs_optimal_gain": current_vs_optimal(allocation, gain=True),
        "creators_by_network": charts.creators_by_network(allocation),
        "revenue_engagement": charts.revenue_engagement(engagement),
    }
    for name, chart in made.items():
        text = chart.to_json().replace('"container"', "640")
        png = vlc.vegalite_to_png(text, scale=1)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000, name


def _swapped(template: dict, datasets: dict) -> dict:
    return {**template, "datasets": {**template["datasets"], **datasets}}


def test_frontier_data_swapped_into_another_budgets_chart_is_that_budgets_chart(frontier_df):
    """What the app does on a slider move: the chart built once, the moving data put in."""
    def kw(budget):
        r = float(np.interp(budget, frontier_df["budget"], frontier_df["response"]))
        return dict(chosen_response=r, step=10_000, step_response=r + 2_500)
    template = spec_of(frontier(frontier_df, 120_000, 200_000, **kw(200_000)))
    data, shape = charts.frontier_data(frontier_df, 120_000, 300_000, **kw(300_000))
    assert shape == charts.frontier_data(frontier_df, 120_000, 200_000, **kw(200_000))[1]
    assert _swapped(template, data) == spec_of(frontier(frontier_df, 120_000, 300_000, **kw(300_000)))
    # a budget off the curve changes the subtitle: another shape, so the chart is built afresh
    assert charts.frontier_data(frontier_df, 120_000, 1_000_000)[1] != shape


def test_current_vs_optimal_data_swapped_into_another_plans_chart_is_that_plans_chart(allocation):
    other = allocation.assign(spend=allocation["spend"] * 1.02, response=allocation["response"] * 1.01)
    template = spec_of(current_vs_optimal(allocation, gain=True))
    data, shape = charts.current_vs_optimal_data(other)
    assert shape == charts.current_vs_optimal_data(allocation)[1]
    assert _swapped(template, data) == spec_of(current_vs_optimal(other, gain=True))
    reordered = allocation.assign(spend=allocation["spend"][::-1].to_numpy())
    assert charts.current_vs_optimal_data(reordered)[1] != shape  # bars in another order: another spec


# --------------------------------------------------------------------------- revenue-engagement front of plans


@pytest.fixture
def engagement_front_table() -> pd.DataFrame:
    """planner.analysis.pareto.pareto_front(...).table: revenue falls and engagements rise with the weight."""
    w = np.array([0.0, 0.01, 0.05, 0.2, 1.0])
    rev = np.array([1_600_000.0, 1_599_500.0, 1_596_000.0, 1_580_000.0, 1_540_000.0])
    eng = np.array([970_000.0, 1_010_000.0, 1_060_000.0, 1_100_000.0, 1_130_000.0])
    lost, gained = rev[0] - rev, eng - eng[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(w > 0, lost / gained, np.nan)
    return pd.DataFrame({"weight": w, "revenue": rev, "engagements": eng, "spend": 250_000.0,
                         "revenue_lost": lost, "revenue_lost_pct": lost / rev[0], "engagements_gained": gained,
                         "engagements_gained_pct": gained / eng[0], "revenue_per_engagement": per})


def test_engagement_front_draws_the_plans_and_highlights_the_chosen_one(engagement_front_table):
    spec = spec_of(charts.engagement_front(engagement_front_table, 0.03, 1_598_000.0, 1_040_000.0))
    assert spec["width"] == "container"
    assert spec["title"]["text"] == "Best plans of the budget: expected revenue against engagements"
    (line,) = find(spec, "line")
    data = values(spec, line)
    assert data["engagements"].is_monotonic_increasing and data["revenue"].is_monotonic_decreasing
    assert len(data) == 5
    assert line["encoding"]["x"]["title"] == "Expected engagements per quarter"
    assert line["encoding"]["y"]["title"] == "Expected revenue per quarter"
    assert line["encoding"]["y"]["axis"]["format"] == "$~s"
    points = find(spec, "point")
    chosen = [v for v in points if v["mark"].get("color") == charts.CHOSEN_COLOR]
    assert len(chosen) == 1 and chosen[0]["mark"]["size"] > points[0]["mark"]["size"]
    c = values(spec, chosen[0]).iloc[0]
    assert (c["revenue"], c["engagements"], c["weight_text"]) == (1_598_000.0, 1_040_000.0, "$0.03")
    assert c["lost_text"] == "$2,000" and c["gained_text"] == "+70,000" and c["label"] == \
        "Your plan ($0.03 per engagement)"
    labels = pd.concat([values(spec, v) for v in find(spec, "text")])
    assert {"Revenue only", "Your plan ($0.03 per engagement)"} <= set(labels["label"])
    # every mark explains itself in words, money and counts formatted
    assert all(v["encoding"].get("tooltip") for v in views(spec))
    assert {"Value of one engagement", "Expected revenue", "Expected engagements", "Revenue given up",
            "Engagements gained", "Revenue given up per engagement gained"} <= set(tooltip_titles(line))
    row = data.set_index("weight").loc[0.05]
    assert (row["weight_text"], row["revenue_text"], row["engagements_text"]) == ("$0.05", "$1,596,000",
                                                                                 "1,060,000")
    assert row["lost_pct_text"] == "0.25%" and row["per_text"] == "$0.04"
    assert data.set_index("weight").loc[0.0, "weight_text"] == "not valued (revenue only)"


def test_engagement_front_without_a_chosen_plan_or_points(engagement_front_table):
    spec = spec_of(charts.engagement_front(engagement_front_table))
    assert not [v for v in find(spec, "point") if v["mark"].get("color") == charts.CHOSEN_COLOR]
    spec = spec_of(charts.engagement_front(engagement_front_table, 0.0, 1_600_000.0, 970_000.0))
    (chosen,) = [v for v in find(spec, "point") if v["mark"].get("color") == charts.CHOSEN_COLOR]
    assert values(spec, chosen)["label"].tolist() == ["Your plan (revenue only)"]
    for empty in (pd.DataFrame(), None):
        (view,) = views(spec_of(charts.engagement_front(empty)))
        assert "no engagements per dollar" in values(spec_of(charts.engagement_front(empty)), view)["message"][0]
