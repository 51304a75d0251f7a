"""Charts of a plan over time (planner.report.charts.flighting), on the sample's curves with and without carry-over.

Each chart is drawn by vl-convert as the Plan over time page draws it, at the page's column widths: bars that add
up to the plan, money axes from $0 with the unit in their titles, a legend wherever colour means something, no
label crossed by a mark, no ticks colliding, the currency in force.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from planner.base.currency import using
from planner.fit import saved
from planner.flighting import Horizon, plan_flighting
from planner.report import charts
from planner.report.charts.flighting import CARRIED, EVEN, FLIGHTED, OWN, period_ticks
from planner.report.charts.style import CURRENT_COLOR, OPTIMAL_COLOR
from tests.report.chart_scene import axes, colliding_ticks, crossings, draw, spec_text
from tests.report.chart_specs import mark_type, spec_of, values, views

COLUMN = {1280: 820, 1440: 980}  # the page's main column at these window widths
MONEY_TICK = re.compile(r"^-?\$(0|\d{1,3}(\.\d+)?[kMB]|\d{1,3}(\.\d+)?)$")
DECAYS = {"Facebook": 0.6, "Instagram": 0.5, "YouTube": 0.4, "TikTok": 0.3, "Pinterest": 0.2, "X": 0.1}


def _sample(decay: bool) -> pd.DataFrame:
    curves = pd.read_parquet(saved.SAMPLE_FIT).drop(columns="decay", errors="ignore")  # the fit's own carry-over
    if decay:  # the marketing-mix rows (paid media per network) carry over; creators do not
        curves = curves.assign(decay=np.where(curves["name"].isin(list(DECAYS)), curves["name"].map(DECAYS), np.nan))
    return curves


@pytest.fixture(scope="module")
def plans() -> dict:
    """Plans as the page makes them: a quarter in months without carry-over; with it, a quarter in weeks and a
    year in weeks counting what is earned after it."""
    out = {}
    for name, decay, end, period, after in (("months", False, "2026-08-31", "month", False),
                                            ("weeks", True, "2026-08-31", "week", False),
                                            ("year", True, "2027-05-31", "week", True)):
        h = Horizon(date(2026, 6, 1), date.fromisoformat(end), period)
        out[name] = plan_flighting(_sample(decay), 339_453.0 * h.weeks / 13, h, after=after)
    return out


CHARTS = {"spend": charts.flight_spend, "response": charts.flight_response, "vs_even": charts.flight_vs_even}


@pytest.mark.parametrize("plan", ["months", "weeks", "year"])
@pytest.mark.parametrize("name", sorted(CHARTS))
@pytest.mark.parametrize("page", sorted(COLUMN))
def test_readable_at_the_pages_widths(plans, name, plan, page):
    chart = CHARTS[name](plans[plan])
    spec_of(chart)  # valid Vega-Lite, strictly JSON
    scene = draw(chart, COLUMN[page])
    assert not crossings(scene), f"{name} of {plan} at {page} px"
    assert not colliding_ticks(scene), f"{name} of {plan} at {page} px"
    assert scene.width <= COLUMN[page] + 1


@pytest.mark.parametrize("plan", ["months", "weeks"])
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_money_axes_from_zero_with_the_unit_and_a_legend_for_colour(plans, name, plan):
    chart = CHARTS[name](plans[plan])
    scene = draw(chart, COLUMN[1280])
    money = [(title, labels) for title, labels in axes(scene).values() if any(t.startswith("$") for t in labels)]
    assert money, name
    for title, labels in money:
        assert title.endswith("($)") and ("per month" in title if plan == "months" else "per week" in title), title
        assert "$0" in labels and all(MONEY_TICK.match(t) for t in labels), labels
    spec = chart.to_dict()
    coloured = {enc["title"] for v in views(spec) if isinstance(enc := v.get("encoding", {}).get("color"), dict)}
    assert coloured and coloured <= set(scene.legend_titles)


def test_spend_bars_add_up_to_the_plan_per_period_and_network(plans):
    plan = plans["weeks"]
    spec = spec_of(charts.flight_spend(plan))
    (view,) = views(spec)
    bars = values(spec, view)
    assert bars["spend"].sum() == pytest.approx(plan.total_spend, abs=0.01)
    assert set(bars["network"]) == set(plan.table["network"])
    by_tick = bars.groupby("tick", sort=False)["spend"].sum()
    assert list(by_tick.round(2)) == list(plan.by_period()["spend"].round(2))
    assert list(by_tick.index) == view["encoding"]["x"]["sort"] == period_ticks(plan.by_period()["period"], "week")
    assert bars["spend_text"].str.match(r"^\$[\d,.]+$").all()


def test_revenue_bars_split_what_is_carried_over_and_show_the_band(plans):
    plan = plans["weeks"]
    spec = spec_of(charts.flight_response(plan))
    bars = next(v for v in views(spec) if v["mark"] == "bar" or v["mark"].get("type") == "bar")
    parts = values(spec, bars)
    assert set(parts["part"]) == {OWN, CARRIED}
    b = plan.by_period()
    assert parts.loc[parts["part"] == CARRIED, "value"].sum() == pytest.approx(b["carried"].sum())
    assert parts["value"].sum() == pytest.approx(plan.total_response)
    rule = next(v for v in views(spec) if (v["mark"] if isinstance(v["mark"], str) else v["mark"]["type"]) == "rule")
    band = values(spec, rule)
    assert band["response_p10"].sum() == pytest.approx(b["response_p10"].sum())
    assert (band["response_p10"] <= band["response"] + 1e-6).all()
    assert (band["response"] <= band["response_p90"] + 1e-6).all()
    assert "carried over from earlier spend" in " ".join(spec["title"]["subtitle"])
    # after the horizon, counted: said, not drawn
    year = spec_of(charts.flight_response(plans["year"]))
    assert any("After the horizon" in s for s in year["title"]["subtitle"])


def test_curves_without_intervals_draw_no_band():
    h = Horizon(date(2026, 6, 1), date(2026, 8, 31), "month")
    curves = _sample(True).drop(columns=["beta_p10", "beta_p90"])
    plan = plan_flighting(curves, 339_453.0, h)
    chart = charts.flight_response(plan)
    marks = [mark_type(v) for v in views(spec_of(chart))]
    assert marks == ["bar"]  # the bars alone: no rule or ticks of a band of width 0
    text = spec_text(chart)
    assert "no intervals, so no band is drawn" in text and "80% band" not in text


def test_without_carry_over_nothing_is_carried_and_both_plans_agree(plans):
    plan = plans["months"]
    spec = spec_of(charts.flight_response(plan))
    bars = next(v for v in views(spec) if "color" in v.get("encoding", {}))
    assert set(values(spec, bars)["part"]) == {OWN}
    assert "no carry-over" in " ".join(spec["title"]["subtitle"])
    even = spec_of(charts.flight_vs_even(plan))
    assert "Both earn the same" in even["title"]["subtitle"][0]


def test_this_plan_beside_the_even_plan(plans):
    plan = plans["weeks"]
    spec = spec_of(charts.flight_vs_even(plan))
    lines = [v for v in views(spec) if (v["mark"] if isinstance(v["mark"], str) else v["mark"]["type"]) == "line"]
    mine, even = (values(spec, v) for v in lines)
    assert set(mine["plan"]) == {FLIGHTED} and set(even["plan"]) == {EVEN}  # the even plan's dashes drawn on top
    assert mine["value"].sum() == pytest.approx(plan.total_spend, abs=0.01)
    assert even["value"].sum() == pytest.approx(plan.even_table["spend"].sum(), abs=0.01)
    assert (mine["value"] - mine["even"]).round(2).tolist() == mine["difference"].round(2).tolist()
    assert spec["title"]["subtitle"][0].startswith("Same budget, same model: this plan earns +$")


def test_the_plans_legend_shows_each_plans_line_in_its_colour_and_dash(plans):
    chart = charts.flight_vs_even(plans["weeks"])
    spec = spec_of(chart)
    lines = [v for v in views(spec) if mark_type(v) == "line"]
    assert lines
    for v in lines:  # colour and dash share one legend (same field, same title), drawn as a short line
        color, dash = v["encoding"]["color"], v["encoding"]["strokeDash"]
        assert color["legend"]["symbolType"] == "stroke" and dash["legend"] == color["legend"]
        assert color["field"] == dash["field"] == "plan" and color["title"] == dash["title"]
    points = [v for v in views(spec) if mark_type(v) == "point"]
    assert points and all(v["encoding"]["color"]["legend"]["symbolType"] == "stroke" for v in points)
    scene = draw(chart, COLUMN[1280])
    assert scene.legend_titles == ["Plan"]  # one legend, not one per channel
    shown = dict(zip(scene.legend_labels, scene.legend_symbols, strict=True))
    assert list(shown) == [FLIGHTED, EVEN]
    assert all(s["shape"] == "stroke" for s in shown.values())  # lines, not filled blobs
    assert shown[FLIGHTED]["stroke"] == OPTIMAL_COLOR and shown[EVEN]["stroke"] == CURRENT_COLOR
    assert shown[EVEN]["strokeDash"] == [5, 3] and shown[FLIGHTED]["strokeDash"] in ([1, 0], None)


def test_period_ticks_name_each_year_once_and_stay_distinct():
    weeks = pd.Series(pd.date_range("2026-12-21", periods=4, freq="7D"))
    assert period_ticks(weeks, "week") == ["Dec 21, 2026", "Dec 28", "Jan 4, 2027", "Jan 11"]
    assert period_ticks(pd.Series(pd.to_datetime(["2027-01-01", "2027-02-01"])), "month") == ["Jan 2027", "Feb 2027"]
    many = pd.Series(pd.date_range("2026-06-01", periods=157, freq="7D"))  # three years of weeks
    assert len(set(period_ticks(many, "week"))) == 157


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_charts_speak_the_currency_in_force(plans, name):
    with using("EUR"):
        chart = CHARTS[name](plans["weeks"])
    text = spec_text(chart)
    assert "$" not in text and "€" in text, name
    ticks = [t for _, labels in axes(draw(chart, COLUMN[1280])).values() for t in labels]
    assert any(t.startswith("€") for t in ticks)
