"""Current against optimal spend (planner.report.charts.current_and_optimal): bars, labels and data."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.base.format import signed_money
from planner.report.charts.current_and_optimal import current_vs_optimal, current_vs_optimal_data
from tests.report.chart_specs import (
    fields,
    find,
    mark_type,
    spec_of,
    swapped,
    tooltip_titles,
    values,
    views,
    without_data,
)


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


# --------------------------------------------------------------------------- the revenue gained, and another plan's data


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
    assert without_data(a) == without_data(b)


def test_current_vs_optimal_data_swapped_into_another_plans_chart_is_that_plans_chart(allocation):
    other = allocation.assign(spend=allocation["spend"] * 1.02, response=allocation["response"] * 1.01)
    template = spec_of(current_vs_optimal(allocation, gain=True))
    data, shape = current_vs_optimal_data(other)
    assert shape == current_vs_optimal_data(allocation)[1]
    assert swapped(template, data) == spec_of(current_vs_optimal(other, gain=True))
    reordered = allocation.assign(spend=allocation["spend"][::-1].to_numpy())
    assert current_vs_optimal_data(reordered)[1] != shape  # bars in another order: another spec
