"""planner.report.plan_tables: a plan as people read it, and the headline and reading beside it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.curves.forms import marginal
from planner.fit.saved import SAMPLE_FIT
from planner.optimize import optimize
from planner.report.display import whole_dollars
from planner.report.model_tables import marginal_at_current
from planner.report.plan_tables import allocation_view, creators_view, network_view, of_networks
from planner.report.sentences import headline, reading
from tests.report.view_cases import CURVES


def test_allocation_tables_and_reading():
    a = optimize(CURVES, 50_000)
    every = allocation_view(a)
    assert every["Optimal spend"].sum() == pytest.approx(a.total_spend)
    assert every["Optimal spend"].is_monotonic_decreasing
    assert {"Revenue P10", "Revenue P90", "Posts", "Beyond data", "Note"} <= set(every.columns)
    creators = allocation_view(a, creators_only=True)
    assert set(creators["Name"]) == {"TikTok/@lena.bakes", "X/@amir"}
    nets = network_view(a)
    assert set(nets["Network"]) == {"TikTok", "X"}
    assert nets["Optimal spend"].sum() == pytest.approx(a.total_spend)
    h = headline(a)
    assert h["spend"] == "$50,000" and h["roas"].endswith(" per $1")
    assert h["optimality"] == "Proven optimal"
    text = reading(a, CURVES)
    now = marginal_at_current(CURVES)
    # a network's figure weighs all its rows by today's spend, paid media and creators alike
    x = CURVES["current_spend"].to_numpy()
    m = marginal(CURVES, x)
    for net in ("TikTok", "X"):
        rows = (CURVES["network"] == net).to_numpy()
        assert now[net] == pytest.approx(np.average(m[rows], weights=x[rows]))
    assert list(now.index) == list(now.sort_values(ascending=False).index)
    assert text.startswith(f"At today's spend, the next $1 on TikTok returns ${now['TikTok']:.2f}; "
                           f"on X, ${now['X']:.2f}.")
    assert "At the optimum, the next $1 returns about $" in text


def test_creators_view_filters_by_network():
    a = optimize(CURVES, 50_000)
    assert set(creators_view(a)["Name"]) == {"TikTok/@lena.bakes", "X/@amir"}
    assert creators_view(a, ["X"])["Name"].tolist() == ["X/@amir"]


def test_of_networks_keeps_the_rows_of_the_networks_picked():
    assert of_networks(CURVES, ["X"])["name"].tolist() == ["X", "X/@amir"]
    assert len(of_networks(CURVES, [])) == len(CURVES)


def test_the_gain_over_the_current_plan_is_also_said_after_the_allowance_for_the_curse():
    banded = CURVES.assign(beta_p10=CURVES["beta"] * 0.6, beta_p90=CURVES["beta"] * 1.4)
    a = optimize(banded, 50_000)
    assert a.selection_allowance > 0.5
    h = headline(a)
    gain = a.response_mean - a.total_current_response
    assert h["current"].endswith(f"Allowing for the optimizer's curse, the plan's change against it is "
                                 f"{'+' if gain >= 0 else '-'}${abs(gain):,.0f}, not {h['change']}.")
    bare = CURVES.drop(columns=[c for c in ("beta_p10", "beta_p90") if c in CURVES])
    assert "optimizer's curse" not in headline(optimize(bare, 50_000))["current"]  # no band, no allowance


def test_a_plan_in_whole_dollars_adds_up_to_its_budget_in_both_tables():
    # $200,000 split in cents: each row rounded alone read $200,001 on the sample
    curves = pd.read_parquet(SAMPLE_FIT)
    a = optimize(curves, 200_000)
    assert a.table["spend"].round().sum() == 200_001  # the case this guards against
    every, nets = allocation_view(a), network_view(a)
    for table in (every, nets):
        assert table["Optimal spend"].sum() == 200_000
        assert (table["Optimal spend"] == table["Optimal spend"].round()).all()
        assert (table["Change"] == table["Optimal spend"] - table["Current spend"]).all()
    assert every["Current spend"].sum() == nets["Current spend"].sum() == round(curves["current_spend"].sum())
    assert every["Expected revenue"].sum() == round(a.total_response)
    exact = a.table.set_index("name")["spend"]
    assert (every.set_index("Name")["Optimal spend"] - exact).abs().max() < 1.0
    by_net = every.groupby("Network")["Optimal spend"].sum()
    assert (nets.set_index("Network")["Optimal spend"] == by_net.reindex(nets["Network"]).to_numpy()).all()


@given(st.lists(st.one_of(st.floats(-1e9, 1e9), st.just(float("nan"))), max_size=40))
def test_whole_dollars_add_up_and_move_no_value_by_a_dollar(values):
    x = np.array(values, dtype=float)
    w = whole_dollars(x)
    ok = np.isfinite(x)
    assert np.array_equal(np.isnan(w), ~ok)
    assert np.all(w[ok] == np.round(w[ok]))
    assert np.all(np.abs(w[ok] - x[ok]) < 1.0)
    assert w[ok].sum() == np.round(x[ok].sum())
