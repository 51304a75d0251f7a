"""A saved scenario read on curves fitted since: each curve, the saved plan now, and the plan re-made."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from planner.data.ingest import load
from planner.fit.pipeline import fit_curves
from planner.optimize import optimize
from planner.scenarios import Scenario
from planner.scenarios.refresh import refresh, refresh_table, refresh_text


def curves():
    return pd.DataFrame({
        "name": ["Instagram", "Instagram/@a", "TikTok", "TikTok/@gone"],
        "network": ["Instagram", "Instagram", "TikTok", "TikTok"], "curve": ["log"] * 4,
        "beta": [50_000.0, 20_000.0, 40_000.0, 10_000.0], "k": [5_000.0, 2_000.0, 3_000.0, 1_000.0],
    })


def test_each_curve_and_the_plan_move_as_computed_by_hand():
    then = curves()
    saved = Scenario.from_allocation("Q3 plan", optimize(then, 20_000), then)
    now = pd.concat([then[then["name"] != "TikTok/@gone"].assign(beta=[40_000.0, 20_000.0, 48_000.0]),
                     pd.DataFrame({"name": ["TikTok/@new"], "network": ["TikTok"], "curve": ["log"],
                                   "beta": [9_000.0], "k": [900.0]})], ignore_index=True)
    r = refresh(saved, now)
    rows = r.rows.set_index("name")
    assert rows["status"].to_dict() == {"Instagram": "kept", "Instagram/@a": "kept", "TikTok": "kept",
                                        "TikTok/@gone": "gone", "TikTok/@new": "new"}
    spend = saved.allocation.set_index("name")["spend"]
    kept = now.set_index("name").loc[["Instagram", "Instagram/@a", "TikTok"]].reset_index()
    by_hand = response(kept, spend.reindex(kept["name"]).to_numpy())
    assert r.saved_now == pytest.approx(float(by_hand.sum()))  # the gone row earns nothing now
    assert rows.loc["Instagram", "revenue_now"] == pytest.approx(0.8 * rows.loc["Instagram", "revenue_then"])
    assert r.replanned.total_response == pytest.approx(optimize(now, 20_000).total_response)
    assert r.replanned.total_response >= r.saved_now - 1e-6  # re-planning cannot do worse than the saved spends
    text = " ".join(refresh_text(r))
    assert "Instagram -20.0% ($" in text
    assert "1 row is new in the data (TikTok/@new)" in text
    assert "1 row has no curve now (TikTok/@gone): their $" in text
    assert "moving money toward TikTok" in text
    net = refresh_table(r)
    assert net["Network"].tolist() == ["Instagram", "TikTok", "Total"]
    assert net.iloc[-1]["Re-planned spend"] == pytest.approx(r.replanned.total_spend)


def test_the_scenarios_bounds_hold_and_a_bound_on_a_gone_row_is_said():
    then = curves()
    bounds = pd.DataFrame({"name": ["Instagram", "TikTok/@gone"], "network": ["Instagram", "TikTok"],
                           "min_spend": [12_000.0, 500.0], "max_spend": [np.nan, np.nan], "lock": [False, False]})
    saved = Scenario.from_allocation("Floor", optimize(then.assign(min_spend=[12_000.0, 0, 0, 500.0]), 20_000), then,
                                     bounds=bounds)
    r = refresh(saved, then[then["name"] != "TikTok/@gone"])
    assert r.replanned.table.set_index("name").loc["Instagram", "spend"] >= 12_000 - 0.01
    assert any("1 row with bounds in the scenario has no curve now and was left out: TikTok/@gone" in n for n in r.notes)


def test_a_budget_the_new_curves_cannot_meet_is_a_sentence():
    then = curves()
    bounds = pd.DataFrame({"name": ["TikTok"], "network": ["TikTok"], "min_spend": [30_000.0],
                           "max_spend": [np.nan], "lock": [False]})
    saved = Scenario.from_allocation("Too big", optimize(then, 40_000), then, bounds=bounds)
    r = refresh(dataclasses.replace(saved, budget=20_000.0), then)
    assert r.replanned is None and "cannot be met on today's curves" in r.replan_error
    assert r.replan_error in refresh_text(r)


def test_newer_sample_data_moves_the_curves_and_the_plan():
    """The sample without its last four months, saved; then the whole sample fitted: a real refresh."""
    a, b = load("sample_data/creator_campaigns.xlsx"), load("sample_data/weekly_paid_media.xlsx")
    cut_a = a.rows["date"].max() - pd.Timedelta(days=120)
    cut_b = b.rows["date"].max() - pd.Timedelta(days=120)
    older = [dataclasses.replace(a, rows=a.rows[a.rows["date"] <= cut_a].reset_index(drop=True)),
             dataclasses.replace(b, rows=b.rows[b.rows["date"] <= cut_b].reset_index(drop=True),
                                 outcome=b.outcome[b.outcome["date"] <= cut_b].reset_index(drop=True))]
    then, now = fit_curves(older, n_boot=5), fit_curves([a, b], n_boot=5)
    saved = Scenario.from_allocation("Spring", optimize(then, 250_000), then)
    r = refresh(saved, now)
    assert (r.rows["status"] == "new").sum() >= 1  # creators who first ran a campaign in those months
    assert r.rows.loc[r.rows["status"] == "kept", "revenue_change"].abs().max() > 1_000
    assert r.replanned.total_response >= r.saved_now - 1e-6
    assert len(refresh_text(r)) >= 3
