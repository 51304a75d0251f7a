"""Scenarios side by side: the comparison table and its text, from the store and as a chart."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from planner.optimize import optimize
from planner.report.charts import scenario_comparison
from planner.scenarios.comparison import compare, comparison_text
from planner.scenarios.errors import ScenarioNotFound
from planner.scenarios.scenario import Scenario
from tests.scenarios.scenario_data import make_scenario, small_curves


def test_compare_side_by_side(store):
    a = make_scenario("Base", 60000)
    b = make_scenario("More", 90000, nb=None, bounds=None)
    store.save(a)
    store.save(b)
    df = store.compare(["More", "base"])
    assert list(df.columns) == ["More", "Base"]
    assert df.loc[("Totals", "Budget")].tolist() == [90000, 60000]
    assert df.loc[("Totals", "Expected revenue"), "Base"] == a.totals["total_response"]
    assert df.loc[("Totals", "ROAS"), "More"] == pytest.approx(b.total_response / b.total_spend)
    assert df.loc[("Totals", "Expected revenue, P10"), "Base"] == a.totals["response_p10"]
    by_net = a.allocation.groupby("network")["spend"].sum()
    for net, spend in by_net.items():
        assert df.loc[("Spend by network", net), "Base"] == pytest.approx(spend)
    rows = df.xs("Spend by row", level="section")
    assert rows["Base"].tolist() == a.allocation["spend"].tolist()
    text = comparison_text(df, "Totals")
    assert text.columns[-1] == "Difference (Base \u2212 More)"
    assert text.loc["Budget"].tolist() == ["$90,000", "$60,000", "-$30,000"]
    with pytest.raises(ScenarioNotFound):
        store.compare(["Base", "Missing"])


def test_compare_keeps_rows_only_some_scenarios_have(store):
    a = make_scenario("A")
    c = small_curves().iloc[:3]
    b = Scenario.from_allocation("B", optimize(c, 30000), c)
    store.save(a)
    store.save(b)
    df = store.compare(["A", "B"])
    assert np.isnan(df.loc[("Spend by row", "TikTok/@lena.bakes"), "B"])
    assert np.isnan(df.loc[("Spend by network", "Pinterest"), "B"])
    text = comparison_text(df, "Spend by network")
    assert text.loc["Pinterest", "B"] == "\u2014"
    assert text.loc["Pinterest"].iloc[-1] == "-" + text.loc["Pinterest", "A"]  # all of it gone


# ----------------------------------------------------------------------------- the comparison chart


def test_comparison_chart_draws_every_scenario_per_network():
    a, b = make_scenario("Lean", 30000), make_scenario("Bold", 90000)
    table = compare([a, b])
    spec = scenario_comparison(table).to_dict()
    assert spec["title"]["text"] == "Spend per network in each scenario"
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Lean: $30k spent" in subtitle and "Bold: $90k spent" in subtitle and "P10-P90" in subtitle
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["yOffset"]["sort"] == ["Lean", "Bold"]
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Lean", "Bold"]
    values = spec["data"]["values"] if "values" in spec.get("data", {}) else next(iter(spec["datasets"].values()))
    got = {(v["scenario"], v["network"]): v["value"] for v in values}
    for s in (a, b):
        for net, spend in s.network_table.set_index("network")["spend"].items():
            assert got[(s.name, net)] == pytest.approx(spend)
    order = spec["encoding"]["y"]["sort"]
    biggest = max(got, key=got.get)[1]
    assert order[0] == biggest
    tips = {t["title"] for t in spec["encoding"]["tooltip"]}
    assert {"Scenario", "Network", "Spend", "Expected revenue", "Return per $1"} <= tips
    revenue = scenario_comparison(table, "response").to_dict()
    values = revenue["data"]["values"] if "values" in revenue.get("data", {}) else next(
        iter(revenue["datasets"].values()))
    assert {(v["scenario"], v["network"]): v["value"] for v in values}[("Bold", "Instagram")] == pytest.approx(
        b.network_table.set_index("network").loc["Instagram", "response"])


def test_comparison_chart_of_nothing_says_so():
    spec = scenario_comparison(pd.DataFrame()).to_dict()
    assert spec["mark"]["type"] == "text"
    assert "No scenarios to compare" in json.dumps(spec)
    with pytest.raises(ValueError, match="measure must be"):
        scenario_comparison(pd.DataFrame(), "profit")
