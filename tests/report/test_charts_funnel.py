"""The funnel per network (planner.report.charts.funnel): one panel per step, read at a glance (issue 19.4).

Drawn by vl-convert at the widths of the Data page's column (820 and 980 px): no label crossed, no tick
colliding, bars from zero in proportion to their values, the networks in one order and colour in every panel.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from planner.analysis.funnel import funnel
from planner.base.currency import using
from planner.data import ingest
from planner.fit import saved
from planner.report import charts
from planner.report.charts.funnel import BAR, FADED, funnel_panels
from planner.report.charts.style import network_color
from tests.report.chart_scene import colliding_ticks, crossings, draw, spec_text
from tests.report.chart_specs import find, spec_of, values

PAGES = {1280: 820, 1440: 980}  # the Data page's column at these window widths
ROOT = saved.SAMPLE_FIT.parents[1]
TITLES = ["Reach per $1,000", "Click-through (clicks per reach)", "Clicks per $1,000",
          "Conversion (orders per click)", "Order value ($)", "Return per $1"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    """The sample's funnel per network, as the Data page has it."""
    return funnel([ingest.load(p.read_bytes(), name=p.name) for p in saved.SAMPLE_FILES]).networks


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    """An ad-platform export in euros: reach, link clicks and purchases, no engagements."""
    return funnel([ingest.load(ROOT / "sample_data" / "meta_ads_export_eur.csv")]).networks


def _bars(spec: dict) -> pd.DataFrame:
    (bar,) = find(spec, "bar")
    return values(spec, bar)


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("highlight", [(), ("Pinterest", "X")], ids=["all", "two compared"])
def test_no_label_is_crossed_and_the_chart_keeps_to_its_column(sample, page, highlight):
    scene = draw(charts.funnel_steps(sample, highlight), PAGES[page])
    assert not crossings(scene), crossings(scene)
    assert not colliding_ticks(scene)
    assert scene.width <= PAGES[page] + 1
    assert scene.legend_titles == ["Network"]  # colour means the network: a legend says so
    shown = [t for t, _, _ in scene.texts]
    assert [t for t in shown if t in TITLES] == TITLES  # a panel per step, in the funnel's order
    for text in ("$91.97", "$8.55", "$3.44", "1.37%", "0.76%", "10,976", "6,781"):  # Pinterest and X
        assert text in shown, text


def test_every_panel_has_a_bar_per_network_in_one_order_and_colour(sample):
    spec = spec_of(charts.funnel_steps(sample))
    bars = _bars(spec)
    order = sample.sort_values("spend", ascending=False)["network"].tolist()
    for _, panel in bars.groupby("panel", sort=False):
        assert panel["network"].tolist() == order
    (bar,) = find(spec, "bar")
    scale = bar["encoding"]["color"]["scale"]
    assert scale["domain"] == order and scale["range"] == [network_color(n) for n in order]
    assert [s.split("|", 1)[1] for s in bar["encoding"]["y"]["sort"] if not s.endswith("|")] == order * 2


def test_bars_start_at_zero_and_are_as_long_as_their_values(sample):
    scene = draw(charts.funnel_steps(sample), PAGES[1280])
    lengths = sorted((round(r[1]), r[2] - r[0]) for r in scene.rects)  # by row, then panel
    bars = _bars(spec_of(charts.funnel_steps(sample)))
    for _, panel in bars.groupby("panel", sort=False):
        v = panel["value"].to_numpy(dtype=float)
        span = (panel["x1"] - panel["x0"]).to_numpy()
        assert np.allclose(span / span.max(), v / v.max()) and span.max() == pytest.approx(BAR)
        assert (panel["x0"] == panel["x0"].iloc[0]).all()  # every bar of a panel from the same zero
    assert len(lengths) == len(bars) and min(w for _, w in lengths) > 0


def test_the_two_compared_are_in_full_colour_and_named(sample):
    spec = spec_of(charts.funnel_steps(sample, ["Pinterest", "X", "Snapchat"]))
    bars = _bars(spec)
    lit = bars[bars["opacity"] == 1.0]["network"].unique().tolist()
    assert sorted(lit) == ["Pinterest", "X"] and set(bars.loc[bars["opacity"] < 1, "opacity"]) == {FADED}
    assert "In full colour: Pinterest and X, compared below." in spec["title"]["subtitle"]
    assert set(_bars(spec_of(charts.funnel_steps(sample)))["opacity"]) == {1.0}


def test_an_export_in_euros_speaks_euros(export):
    with using("EUR"):
        chart = charts.funnel_steps(export)
    text = spec_text(chart)
    assert "$" not in text and "€" in text
    shown = [t for t, _, _ in draw(chart, PAGES[1280]).texts]
    assert {"Order value (€)", "Return per €1", "Reach per €1,000", "€42.09", "€4.55"} <= set(shown)
    assert "1.54%" in shown  # a click-through under 10% keeps two decimals


def test_data_without_reach_draws_four_panels_two_by_two(sample):
    no_reach = sample.assign(reach_per_1000=np.nan, click_through=np.nan)
    assert funnel_panels(no_reach) == ["clicks_per_1000", "conversion", "order_value", "roas"]
    scene = draw(charts.funnel_steps(no_reach), PAGES[1280])
    assert not crossings(scene)
    heads = {t: box for t, box, _ in scene.texts if t in TITLES}
    assert list(heads) == TITLES[2:]
    (a, b, c, d) = heads.values()
    assert a[1] == b[1] < c[1] == d[1] and a[0] == c[0] < b[0] == d[0]


def test_a_missing_value_is_a_dash_and_no_data_no_bar(sample):
    gaps = sample.copy()
    gaps.loc[gaps["network"] == "X", ["conversion", "order_value"]] = np.nan
    spec = spec_of(charts.funnel_steps(gaps))
    json.dumps(spec, allow_nan=False)
    x = _bars(spec).query("network == 'X'").set_index("panel")
    assert x.loc["Conversion (orders per click)", "label"] == "\u2014"
    assert x.loc["Order value ($)", "x1"] == x.loc["Order value ($)", "x0"]


def test_no_clicks_no_steps_a_sentence_instead(sample):
    chart = charts.funnel_steps(sample.assign(clicks_per_1000=np.nan, conversion=np.nan))
    assert "no clicks" in spec_text(chart)
    assert not find(spec_of(chart), "bar")
    assert "no clicks" in spec_text(charts.funnel_steps(sample.iloc[0:0]))


def test_plain_words_and_unknown_networks_get_colours_apart(sample):
    other = sample.copy()
    other.loc[other["network"] == "X", "network"] = "Snapchat"
    other.loc[other["network"] == "TikTok", "network"] = "Reddit"
    spec = spec_of(charts.funnel_steps(other))
    (bar,) = find(spec, "bar")
    colours = bar["encoding"]["color"]["scale"]["range"]
    assert len(set(colours)) == len(colours)
    assert "entity" not in spec_text(charts.funnel_steps(sample)).lower()
