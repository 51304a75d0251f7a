"""Charts anyone can read (issue 15.5), checked on the drawn chart at the widths of 1280 and 1440 pixel pages.

Each chart is built as its page builds it, on the sample data, and drawn by vl-convert: no label crossed
by a mark, no two ticks of an axis colliding, money axes in the currency shown from zero (or saying they
are zoomed), money ticks each written on its own ("$200k", never "$0.2M"), a legend wherever colour means
something, the unit in every money axis's title, plain words.
"""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd
import pytest

from planner.analysis.insights import next_money_between
from planner.analysis.pareto import pareto_front
from planner.base.currency import using
from planner.data import ingest
from planner.fit import saved
from planner.fit.mmm import fit_mmm
from planner.optimize import frontier_of, optimize
from planner.report import budget_choices, charts
from planner.report.charts.budget_frontier import frontier_data
from planner.report.charts.current_and_optimal import current_vs_optimal_data
from planner.report.charts.style import money_axis, money_labels
from planner.report.data_tables import followers
from planner.report.engagement_tables import creator_engagement, engagement_table
from planner.report.plan_tables import top_creators
from planner.report.sentences import optimum_level
from tests.report.chart_scene import axes, colliding_ticks, crossings, draw, spec_text
from tests.report.chart_specs import views

PAGES = {1280: 820, 1440: 980}  # the main column of a page, in pixels, at these window widths


@pytest.fixture(scope="module")
def sample() -> dict:
    """The sample data's plan, as the pages have it: curves, the plan, its frontier, engagement, a decomposition."""
    curves = pd.read_parquet(saved.SAMPLE_FIT)
    datasets = [ingest.load(p.read_bytes(), name=p.name) for p in saved.SAMPLE_FILES]
    budget = budget_choices.default_budget(curves)
    step = budget_choices.budget_step(budget)
    alloc = optimize(curves, budget)
    nxt = next_money_between(alloc, optimize(curves, budget + step), step)
    budgets = budget_choices.budget_options(budget, curves, step)
    return {
        "curves": curves, "alloc": alloc, "step": step, "gain": nxt.gain,
        "front": frontier_of([(b, optimize(curves, b)) for b in budgets]),
        "pareto": pareto_front(curves, budget, time_limit=1.0).table,
        "engagement": creator_engagement(datasets),
        "followers": followers(datasets),
        "decomposition": next(fit_mmm(ds, n_boot=0).decomposition for ds in datasets if ds.kind == "total"),
    }


def _frontier(s):
    a = s["alloc"]
    return charts.frontier(s["front"], a.total_current_spend, a.budget, chosen_response=a.total_response,
                           step=s["step"], step_response=a.total_response + s["gain"])


PAGE_CHARTS = {  # as pages/4_Tradeoffs.py and pages/2_Model.py build them
    "frontier": _frontier,
    "plan_bars": lambda s: charts.current_vs_optimal(s["alloc"].table, gain=True, height=260),
    "creator_bars": lambda s: charts.current_vs_optimal(s["alloc"].table, by="creator", gain=True, height=480),
    "response_networks": lambda s: charts.response_curves(s["curves"], s["alloc"].table),
    "marginal_networks": lambda s: charts.marginal_roas(s["curves"], s["alloc"].table, level=optimum_level(s["alloc"])),
    "marginal_creators": lambda s: charts.marginal_roas(s["curves"], s["alloc"].table,
                                                        names=top_creators(s["alloc"].table, n=6),
                                                        level=optimum_level(s["alloc"])),
    "creators_by_network": lambda s: charts.creators_by_network(s["alloc"].table, followers=s["followers"], height=380),
    "engagement_front": lambda s: charts.engagement_front(s["pareto"], s["alloc"].engagement_weight,
                                                          s["alloc"].total_response, s["alloc"].engagements,
                                                          height=360),
    "revenue_engagement": lambda s: charts.revenue_engagement(engagement_table(s["alloc"], s["curves"],
                                                                               s["engagement"]), height=400),
    "decomposition": lambda s: charts.decomposition(s["decomposition"]),
}
MONEY_TICK = re.compile(r"^-?\$(0|\d{1,3}(\.\d+)?[kMB]|\d{1,3}(\.\d+)?|\d{1,3}(,\d{3})*\.\d\d)$")


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("name", sorted(PAGE_CHARTS))
def test_no_label_is_crossed_by_a_mark_and_no_ticks_collide(sample, name, page):
    scene = draw(PAGE_CHARTS[name](sample), PAGES[page])
    assert not crossings(scene), f"{name} at {page} px"
    assert not colliding_ticks(scene), f"{name} at {page} px"
    assert scene.width <= PAGES[page] + 1  # the chart keeps to its column


@pytest.mark.parametrize("name", sorted(PAGE_CHARTS))
def test_money_axes_read_their_own_ticks_from_zero_with_the_unit_in_the_title(sample, name):
    scene = draw(PAGE_CHARTS[name](sample), PAGES[1280])
    money = [(title, labels) for title, labels in axes(scene).values() if any(t.startswith("$") for t in labels)]
    assert money, f"{name} has no money axis"
    for title, labels in money:
        assert "$" in title, f"{name}: the axis {title!r} does not name its unit"
        bad = [t for t in labels if not MONEY_TICK.match(t) or re.match(r"^\$0(\.\d+)?[kMB]$", t)]
        assert not bad, f"{name}: ticks {bad} of {title!r}"
        if "zoomed in" not in title:
            assert {"$0", "$0.00"} & set(labels), f"{name}: the axis {title!r} does not start at $0: {labels}"


@pytest.mark.parametrize("name", sorted(PAGE_CHARTS))
def test_a_legend_wherever_colour_means_something(sample, name):
    chart = PAGE_CHARTS[name](sample)
    scene = draw(chart, PAGES[1280])
    spec = chart.to_dict()
    units = views(spec) + [v for part in spec.get("vconcat", []) for v in views(part)]
    coloured = {enc["title"] for v in units if isinstance(enc := v.get("encoding", {}).get("color"), dict)
                and "field" in enc}
    assert coloured <= set(scene.legend_titles), f"{name}: no legend for {coloured - set(scene.legend_titles)}"


@pytest.mark.parametrize("name", sorted(PAGE_CHARTS))
def test_charts_speak_the_currency_in_force(sample, name):
    with using("EUR"):
        chart = PAGE_CHARTS[name](sample)
    text = spec_text(chart)
    assert "$" not in text and "€" in text, name
    scene = draw(chart, PAGES[1280])
    ticks = [t for _, labels in axes(scene).values() for t in labels]
    assert any(t.startswith("€") for t in ticks) and not any("$" in t for t in ticks)


@pytest.mark.parametrize("name", sorted(PAGE_CHARTS))
def test_plain_words(sample, name):
    text = spec_text(PAGE_CHARTS[name](sample)).lower()
    for jargon in ("free entity", "entitys", "entity", "optimum:"):
        assert jargon not in text, f"{name} says {jargon!r}"


# --------------------------------------------------------------------------- each defect found


def test_money_ticks_are_written_each_on_its_own_in_any_currency():
    values = [0, 0.5, 12.5, 950, 200_000, 1_500_000, 2_000_000_000, -500]
    for code, want in (("USD", ["$0", "$0.5", "$12.5", "$950", "$200k", "$1.5M", "$2B", "-$500"]),
                       ("CHF", ["CHF 0", "CHF 0.5", "CHF 12.5", "CHF 950", "CHF 200k", "CHF 1.5M", "CHF 2B",
                                "-CHF 500"])):
        with using(code):
            chart = alt.Chart(pd.DataFrame({"v": values})).mark_point().encode(
                x=alt.X("v:Q", axis=money_axis(values=values, labelOverlap=False, labelFlush=False)))
        labels = [t for _, (_, ticks) in axes(draw(chart.properties(width=900), 900)).items() for t in ticks]
        assert sorted(labels) == sorted(want)


def test_the_frontier_starts_at_zero_and_writes_the_next_step_clear_of_the_band(sample):
    chart = _frontier(sample)
    scene = draw(chart, PAGES[1280])
    shown = [t for t, _, _ in scene.texts]
    assert any(t.startswith("Next $10,000: +$") for t in shown) and "Chosen budget = current budget" in shown
    (x_title, x_ticks), _ = axes(scene).values()
    assert x_title == "Total budget per quarter ($)" and x_ticks[0] == "$0"
    # the label's place travels with the data swapped in when the budget moves
    data, shape = frontier_data(sample["front"], sample["alloc"].total_current_spend, sample["alloc"].budget)
    assert {"label_y", "align"} <= set(data["frontier-budgets"][0])
    with using("EUR"):
        assert frontier_data(sample["front"], sample["alloc"].total_current_spend, sample["alloc"].budget)[1] != shape


def test_the_next_dollar_chart_names_its_lines_apart_beside_the_plot(curves, allocation):
    """Break-even at $1 and a best plan at $1.05: names one line apart, right of the plot, not over the curves."""
    chart = charts.marginal_roas(curves, allocation, level=1.05)
    scene = draw(chart, 640)
    names = {t: (box, plot) for t, box, plot in scene.texts}
    (best, (px, _, w, _)), (even, _) = names["Best plan: $1.05 per $1"], names["Break-even: $1 back per $1"]
    assert best[3] <= even[1] + 1  # one above the other, not drawn over each other
    assert min(best[0], even[0]) >= px + w  # in the margin right of the plot, where no curve runs
    assert not crossings(scene)


def test_the_largest_creator_bubble_stays_inside_the_plot(sample):
    scene = draw(charts.creator_scatter(sample["alloc"].table, followers=sample["followers"]), PAGES[1280])
    assert scene.points
    for x, y, r, (px, py, w, h) in scene.points:
        assert px - 1 <= x - r and x + r <= px + w + 1 and py - 1 <= y - r and y + r <= py + h + 1


def test_a_zoomed_axis_says_so_and_how_far(sample):
    spec = charts.engagement_front(sample["pareto"]).to_dict()
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "zoomed in, not from zero" in subtitle and "revenue only from $" in subtitle and "% apart" in subtitle
    # a front whose revenue falls by half is drawn from zero, and says nothing of zooming
    wide = sample["pareto"].assign(revenue=np.linspace(2_000_000, 600_000, len(sample["pareto"])))
    spec = charts.engagement_front(wide).to_dict()
    assert "revenue only from" not in " ".join(spec["title"]["subtitle"])
    y = next(v["encoding"]["y"] for v in views(spec) if v["encoding"]["y"]["field"] == "revenue")
    assert y["scale"]["domain"][0] == 0 and "zoomed" not in y["title"]


def test_labels_beside_bars_share_one_format(allocation):
    gains = {"Instagram": 102_345.0, "YouTube": -432.1, "TikTok": 76.29}
    table = allocation.assign(current_response=allocation["response"]
                              - allocation["network"].map(gains).fillna(0.0)).iloc[:6]
    spec = charts.current_vs_optimal(table, gain=True).to_dict()
    labels = [r["gain_label"] for r in spec["datasets"]["network-revenue-change"]]
    assert {"+$102k revenue", "-$0.4k revenue", "+$0.1k revenue"} <= set(labels)
    assert all(re.fullmatch(r"([+-]?\$\d+(\.\d)?[kMB]|\$0) revenue", t) for t in labels), labels
    shape = current_vs_optimal_data(table)[1]
    with using("EUR"):  # another currency, another spec: the app builds the chart afresh
        assert current_vs_optimal_data(table)[1] != shape


@pytest.mark.parametrize(("values", "want"), [
    ([102_345, 63_000, -432.1, 76.29, -2_345, np.nan], ["+$102k", "+$63k", "-$0.4k", "+$0.1k", "-$2.3k", "\u2014"]),
    ([12.0, 20.0], ["+$12.00", "+$20.00"]),  # all under $1,000: as money() writes them
    ([1_500_000, 30.0], ["+$1.5M", "$0"]),
])
def test_money_labels_write_one_chart_alike(values, want):
    assert money_labels(values, signed=True) == want


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_time_axis_names_the_first_year_and_every_year_after(sample, decomp_df, page):
    scene = draw(charts.decomposition(sample["decomposition"]), PAGES[page])
    (_, dates), (title, _) = axes(scene).values()
    assert re.search(r"\b20\d\d\b", dates[0]), dates
    years = sorted({int(y) for t in dates for y in re.findall(r"\b20\d\d\b", t)})
    assert years == list(range(years[0], years[0] + len(years))) and len(years) >= 3, dates
    assert title == "Sales per week ($)"
    (_, dates), _ = axes(draw(charts.decomposition(decomp_df), 640)).values()  # twelve weeks of 2024
    assert re.search(r"\b2024\b", dates[0]), dates
