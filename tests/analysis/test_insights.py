"""Shadow prices and the next money, measured by re-optimising."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.analysis.insights import binding_constraints, next_money
from planner.optimize import optimize
from planner.report.sentences import next_money_text


def curves():
    return pd.DataFrame({
        "name": ["IG", "TT", "TT/@a"], "network": ["Instagram", "TikTok", "TikTok"], "curve": ["log", "log", "hill"],
        "beta": [50_000.0, 40_000.0, 30_000.0], "k": [5_000.0, 2_000.0, 1_000.0], "s": [np.nan, np.nan, 1.0],
        "max_spend": [np.nan, np.nan, 1_500.0],
    })


def test_next_money_adds_what_a_bigger_budget_adds():
    c = curves()
    a = optimize(c, 20_000)
    nm = next_money(c, a, step=1_000)
    bigger = optimize(c, 21_000)
    assert nm.gain == pytest.approx(bigger.total_response - a.total_response)
    assert nm.moves["spend_change"].sum() == pytest.approx(1_000, abs=0.02)
    assert next_money_text(nm).startswith("The next $1,000 would buy about +$")


def test_binding_network_cap_is_priced_in_words():
    c = curves()
    nb = pd.DataFrame({"network": ["TikTok"], "min_spend": [np.nan], "max_spend": [3_000.0]})
    a = optimize(c, 20_000, network_bounds=nb)
    b = binding_constraints(c, a, network_bounds=nb, step=1_000)
    row = b[b["kind"] == "network max"].iloc[0]
    nb2 = nb.assign(max_spend=[4_000.0])
    expected = optimize(c, 20_000, network_bounds=nb2).total_response - a.total_response
    assert row["objective_change"] == pytest.approx(expected)
    assert expected > 0
    assert row["sentence"] == f"Raising TikTok's cap by $1,000 would add ${expected:,.0f} of revenue."


def test_binding_row_max_is_found():
    c = curves()
    a = optimize(c, 20_000)
    b = binding_constraints(c, a)
    assert "TT/@a" in set(b["constraint"])
    assert (b["objective_change"] > 0).all()


def test_a_plan_that_values_engagement_is_measured_with_the_same_value():
    c = curves().assign(engagement_per_dollar=[0.1, 0.2, 40.0])
    a = optimize(c, 20_000, engagement_weight=0.5)
    nm = next_money(c, a, step=1_000)
    bigger = optimize(c, 21_000, engagement_weight=0.5)
    assert nm.gain == pytest.approx(bigger.total_response - a.total_response)
    gained = bigger.engagements - a.engagements
    assert f"and +{gained:,.0f} engagements" in next_money_text(nm)
    b = binding_constraints(c, a)
    row = b[b["constraint"] == "TT/@a"].iloc[0]
    moved = optimize(c.assign(max_spend=[np.nan, np.nan, 2_500.0]), 20_000, engagement_weight=0.5)
    expected = (moved.total_response + 0.5 * moved.engagements) - (
        a.total_response + 0.5 * a.engagements)
    assert row["objective_change"] == pytest.approx(expected)
    assert row["sentence"].endswith("of revenue and engagement value.")
