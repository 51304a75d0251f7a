"""planner.fit.roster.apply_roster: a creator roster feeds unit costs, bounds and net returns."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.curves.forms import response  # noqa: E402
from planner.data.ingest import load  # noqa: E402
from planner.data.roster import find_roster  # noqa: E402
from planner.data.roster_match import roster_issues  # noqa: E402
from planner.fit.roster import apply_roster  # noqa: E402
from tests.data.roster_cases import csv_bytes, roster_curves  # noqa: E402

SAMPLES = ROOT / "sample_data"


def _roster(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- the sample roster


def test_sample_curves_get_the_true_unit_costs_and_maximum_spend():
    from planner.fit.pipeline import fit_curves

    ds = load(SAMPLES / "creator_campaigns.xlsx")
    curves = fit_curves([ds], n_boot=5)
    roster = find_roster(SAMPLES / "creator_campaigns.xlsx")
    planned = apply_roster(curves, roster, [ds])
    true = pd.read_csv(SAMPLES / "true_curves.csv")
    m = planned.merge(true[["name", "unit_cost", "max_spend"]], on="name", suffixes=("", "_true"))
    assert len(m) == 60
    np.testing.assert_allclose(m["unit_cost"], m["unit_cost_true"])
    np.testing.assert_allclose(m["max_spend"], m["max_spend_true"])
    # the fee in the roster is the fee in the campaigns: the curves themselves are unchanged
    np.testing.assert_allclose(planned["k"], curves["k"])
    np.testing.assert_allclose(planned["beta"], curves["beta"])
    assert planned["fee_per_post"].notna().all() and planned["commission_pct"].isna().all()
    assert roster_issues(curves, roster) == ()


def test_optimizer_buys_whole_posts_within_the_roster_limits():
    from planner.fit.pipeline import fit_curves
    from planner.optimize import optimize

    ds = load(SAMPLES / "creator_campaigns.xlsx")
    planned = apply_roster(fit_curves([ds], n_boot=5), find_roster(SAMPLES / "creator_campaigns.xlsx"), [ds])
    alloc = optimize(planned, 150_000)
    t = alloc.table.merge(planned[["name", "unit_cost", "max_spend"]], on="name", suffixes=("", "_roster"))
    posts = t["spend"] / t["unit_cost_roster"]
    np.testing.assert_allclose(posts, np.round(posts), atol=1e-6)
    assert (t["spend"] <= t["max_spend_roster"] + 0.005).all()
    assert alloc.total_spend <= 150_000 + 0.005


# ----------------------------------------------------------------------------- costs beyond the fee


def test_product_usage_and_commission_make_the_curve_net():
    curves = roster_curves([
        {"name": "Instagram/@a", "network": "Instagram", "curve": "hill", "beta": 10_000.0, "k": 2_000.0, "s": 1.5,
         "unit_cost": 500.0, "current_spend": 1_000.0, "observed_min": 500.0, "observed_max": 2_000.0,
         "beta_p10": 8_000.0, "beta_p90": 12_000.0},
        {"name": "Instagram", "network": "Instagram", "curve": "log", "beta": 50_000.0, "k": 10_000.0},
    ])
    roster = _roster([{"network": "Instagram", "entity": "@a", "fee_per_post": 500.0, "product_cost": 80.0,
                       "usage_rights": 20.0, "commission_pct": 0.1, "max_posts": 6, "min_posts": 1}])
    out = apply_roster(curves, roster)
    a = out.set_index("name").loc["Instagram/@a"]
    assert a["unit_cost"] == 600.0 and a["max_spend"] == 3_600.0 and a["min_spend"] == 600.0
    assert a["k"] == pytest.approx(2_400.0) and a["beta"] == pytest.approx(9_000.0)
    assert (a["beta_p10"], a["beta_p90"]) == (pytest.approx(7_200.0), pytest.approx(10_800.0))
    assert (a["current_spend"], a["observed_min"], a["observed_max"]) == (1_200.0, 600.0, 2_400.0)
    assert (a["fee_per_post"], a["other_cost_per_post"], a["commission_pct"]) == (500.0, 100.0, 0.1)
    # the same three posts: the response is the old one less commission, at the full cost
    old = response(curves.iloc[[0]], np.array([1_500.0]))[0]
    new = response(out.iloc[[0]], np.array([1_800.0]))[0]
    assert new == pytest.approx(0.9 * old)
    paid = out.set_index("name").loc["Instagram"]
    assert paid["k"] == 10_000.0 and paid["beta"] == 50_000.0 and np.isnan(paid["fee_per_post"])


@settings(max_examples=80, deadline=None)
@given(form=st.sampled_from(["hill", "logistic", "log", "linear"]),
       old_unit=st.floats(50, 5_000), fee=st.floats(50, 5_000), extra=st.floats(0, 1_000),
       comm=st.one_of(st.none(), st.floats(0.0, 0.5)), posts=st.integers(0, 12),
       max_posts=st.one_of(st.none(), st.integers(0, 12)))
def test_same_posts_give_the_same_net_response_at_any_price(form, old_unit, fee, extra, comm, posts, max_posts):
    curve = {"name": "TikTok/@x", "network": "TikTok", "curve": form, "beta": 3.0 if form == "linear" else 20_000.0,
             "k": np.nan if form == "linear" else 3 * old_unit, "s": 1.7 if form == "hill" else np.nan,
             "unit_cost": old_unit, "max_spend": 20 * old_unit if form == "linear" else np.nan}
    curves = roster_curves([curve])
    roster = {"network": "TikTok", "entity": "@x", "fee_per_post": fee, "product_cost": extra,
              "commission_pct": np.nan if comm is None else comm,
              "max_posts": np.nan if max_posts is None else float(max_posts)}
    out = apply_roster(curves, _roster([roster]))
    unit = fee + extra
    assert out["unit_cost"].iloc[0] == pytest.approx(unit)
    before = response(curves, np.array([posts * old_unit]))[0]
    after = response(out, np.array([posts * unit]))[0]
    assert after == pytest.approx(before * (1 - (comm or 0.0)), rel=1e-9, abs=1e-9)
    if max_posts is not None:
        assert out["max_spend"].iloc[0] == pytest.approx(max_posts * unit)
    assert out["min_spend"].iloc[0] <= out["max_spend"].iloc[0]


def test_costs_the_campaign_data_already_counted_are_not_counted_twice():
    text = csv_bytes([
        ["Date", "Network", "Creator", "Posts", "Fee paid", "Product cost", "Commission %", "Promo-code revenue"],
        ["2024-01-03", "Instagram", "@a", 2, 1000, 200, "10%", 5000],
        ["2024-04-03", "Instagram", "@a", 1, 500, 100, "10%", 2600],
        ["2024-07-03", "Instagram", "@a", 3, 1500, 300, "10%", 7000],
        ["2024-10-03", "Instagram", "@a", 2, 1000, 200, "10%", 5200],
    ])
    ds = load(text, name="campaigns.csv")
    assert ds.rows["spend"].tolist() == [1200.0, 600.0, 1800.0, 1200.0]
    assert ds.rows["outcome"].tolist() == pytest.approx([4500.0, 2340.0, 6300.0, 4680.0])
    curves = roster_curves([{"name": "Instagram/@a", "network": "Instagram", "curve": "log", "beta": 9_000.0,
                       "k": 1_000.0, "unit_cost": 600.0}])
    roster = _roster([{"network": "Instagram", "entity": "@a", "fee_per_post": 500.0, "product_cost": 100.0,
                       "commission_pct": 0.1}])
    out = apply_roster(curves, roster, [ds])
    assert out["unit_cost"].iloc[0] == 600.0
    assert out["k"].iloc[0] == 1_000.0 and out["beta"].iloc[0] == 9_000.0  # nothing twice
    fresh = apply_roster(curves.assign(unit_cost=500.0), roster)  # data of fees only
    assert fresh["k"].iloc[0] == pytest.approx(1_200.0) and fresh["beta"].iloc[0] == pytest.approx(8_100.0)


def test_creator_without_posts_in_the_data_and_a_new_fee():
    curves = roster_curves([{"name": "YouTube/@y", "network": "YouTube", "curve": "logistic", "beta": 30_000.0,
                       "k": 4_000.0, "max_spend": np.inf}])
    out = apply_roster(curves, _roster([{"network": "YouTube", "entity": "y", "fee_per_post": 2_000.0,
                                         "usage_rights": 500.0, "max_posts": 3}]))
    r = out.iloc[0]
    assert r["unit_cost"] == 2_500.0 and r["max_spend"] == 7_500.0
    assert r["k"] == pytest.approx(5_000.0)  # the data's spend was the fee: 2,500 now buys what 2,000 did


def test_period_other_than_a_quarter_scales_the_posts_allowed():
    curves = roster_curves([{"name": "X/@z", "network": "X", "curve": "log", "beta": 1_000.0, "k": 100.0,
                       "unit_cost": 100.0}])
    out = apply_roster(curves, _roster([{"network": "X", "entity": "@z", "fee_per_post": 100.0, "max_posts": 5}]),
                       period_weeks=26)
    assert out["max_spend"].iloc[0] == 1_000.0


def test_no_roster_keeps_the_table_and_adds_empty_columns():
    curves = roster_curves([{"name": "X", "network": "X", "curve": "log", "beta": 1.0, "k": 1.0}])
    out = apply_roster(curves, None)
    assert out["beta"].iloc[0] == 1.0 and out[["fee_per_post", "other_cost_per_post", "commission_pct"]].isna().all(axis=None)
