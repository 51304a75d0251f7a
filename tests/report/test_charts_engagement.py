"""Revenue against engagement (planner.report.charts.engagement): creators' front and the plans' front."""

from __future__ import annotations

import pandas as pd

from planner.report.charts.engagement import engagement_front, revenue_engagement
from planner.report.charts.style import CHOSEN_COLOR
from tests.report.chart_specs import find, spec_of, tooltip_titles, values, views

# --------------------------------------------------------------------------- creators: revenue against engagement per dollar


def test_revenue_engagement_draws_the_pareto_front(engagement):
    spec = spec_of(revenue_engagement(engagement))
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
    spec = spec_of(revenue_engagement(pd.DataFrame()))
    (view,) = views(spec)
    assert values(spec, view)["message"].tolist() == ["The data has no engagements per creator."]


# --------------------------------------------------------------------------- revenue-engagement front of plans


def test_engagement_front_draws_the_plans_and_highlights_the_chosen_one(engagement_front_table):
    spec = spec_of(engagement_front(engagement_front_table, 0.03, 1_598_000.0, 1_040_000.0))
    assert spec["width"] == "container"
    assert spec["title"]["text"] == "Best plans of the budget: expected revenue against engagements"
    (line,) = find(spec, "line")
    data = values(spec, line)
    assert data["engagements"].is_monotonic_increasing and data["revenue"].is_monotonic_decreasing
    assert len(data) == 5
    # revenue within 4% and engagements within 17% of each other: both axes zoomed, and saying so
    assert line["encoding"]["x"]["title"] == "Expected engagements per quarter, zoomed in"
    assert line["encoding"]["y"]["title"] == "Expected revenue per quarter ($), zoomed in"
    assert '"$"' in line["encoding"]["y"]["axis"]["labelExpr"]
    assert "Both axes are zoomed in" in " ".join(spec["title"]["subtitle"])
    points = find(spec, "point")
    chosen = [v for v in points if v["mark"].get("color") == CHOSEN_COLOR]
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
    spec = spec_of(engagement_front(engagement_front_table))
    assert not [v for v in find(spec, "point") if v["mark"].get("color") == CHOSEN_COLOR]
    spec = spec_of(engagement_front(engagement_front_table, 0.0, 1_600_000.0, 970_000.0))
    (chosen,) = [v for v in find(spec, "point") if v["mark"].get("color") == CHOSEN_COLOR]
    assert values(spec, chosen)["label"].tolist() == ["Your plan (revenue only)"]
    for empty in (pd.DataFrame(), None):
        (view,) = views(spec_of(engagement_front(empty)))
        assert "no engagements per dollar" in values(spec_of(engagement_front(empty)), view)["message"][0]
