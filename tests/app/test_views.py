"""planner.report.views: the app's display tables and sentences, without Streamlit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.base.format import signed_money
from planner.curves.forms import marginal, response
from planner.optimize.solver import optimize
from planner.report import views

CURVES = pd.DataFrame({
    "name": ["TikTok", "X", "TikTok/@lena.bakes", "X/@amir"],
    "network": ["TikTok", "X", "TikTok", "X"],
    "curve": ["log", "log", "hill", "logistic"],
    "beta": [200_000.0, 20_000.0, 30_000.0, 8_000.0],
    "k": [40_000.0, 30_000.0, 3_000.0, 1_000.0],
    "s": [np.nan, np.nan, 1.5, np.nan],
    "min_spend": [0.0, 0.0, 0.0, 0.0],
    "max_spend": [np.inf, np.inf, 12_000.0, np.inf],
    "unit_cost": [np.nan, np.nan, 1_000.0, 250.0],
    "current_spend": [30_000.0, 20_000.0, 2_000.0, 500.0],
    "observed_min": [10_000.0, 5_000.0, 1_000.0, 250.0],
    "observed_max": [50_000.0, 30_000.0, 4_000.0, 500.0],
    "n_obs": [52, 52, 4, 2],
    "r2": [0.8, 0.7, 0.9, np.nan],
    "pooled_weight": [0.0, 0.0, 0.2, 0.4],
    "beta_p10": [180_000.0, 15_000.0, 25_000.0, 6_000.0],
    "beta_p90": [220_000.0, 25_000.0, 35_000.0, 10_000.0],
})


def test_default_budget_is_todays_total_spend_or_250k():
    assert views.default_budget(CURVES) == 52_500
    assert views.default_budget(CURVES.assign(current_spend=np.nan)) == 250_000
    assert views.default_budget(None) == 250_000


def test_budget_grid_spans_20_to_200_percent_and_respects_minimums():
    grid = views.budget_grid(100_000)
    assert len(grid) == 25 and grid[0] == 20_000 and grid[-1] == 200_000
    assert np.all(np.diff(grid) > 0)
    with_min = CURVES.assign(min_spend=[30_000.0, 0, 0, 0])
    assert views.budget_grid(100_000, with_min)[0] == 30_000


def test_pooled_and_range_texts():
    assert views.pooled_text(0.4) == "pulled toward network average: 40%"
    assert views.pooled_text(0.0) == "" and views.pooled_text(np.nan) == ""
    assert views.observed_range_text(1_000, 3_000) == "$1,000 \u2013 $3,000"
    assert views.observed_range_text(500, 500) == "$500"
    assert views.observed_range_text(np.nan, np.nan) == "\u2014"


def test_curve_view_reads_at_current_spend():
    v = views.curve_view(CURVES)
    assert list(v["Name"]) == list(CURVES["name"])
    tiktok = v.iloc[0]
    expected = 200_000 * math.log1p(30_000 / 40_000)
    assert tiktok["ROAS at current spend"] == pytest.approx(expected / 30_000)
    assert tiktok["Next $1 at current spend"] == pytest.approx(200_000 / (40_000 + 30_000))
    assert tiktok["Pooling"] == "" and v.iloc[3]["Pooling"] == "pulled toward network average: 40%"
    assert list(v["Type"]) == ["Paid media", "Paid media", "Creator", "Creator"]
    assert views.curve_counts(CURVES) == "4 response curves: 2 networks' paid media and 2 creators"


def test_apply_bounds_min_max_lock_and_no_limit():
    b = views.bounds_table(CURVES)
    assert math.isnan(b.loc["TikTok", "Max spend"])  # no limit shows as empty
    b.loc["TikTok", "Min spend"] = 5_000.0
    b.loc["X", "Max spend"] = 1_000.0
    b.loc["TikTok/@lena.bakes", "Lock at current"] = True
    out = views.apply_bounds(CURVES, b)
    assert list(out["min_spend"]) == [5_000.0, 0.0, 2_000.0, 0.0]
    assert list(out["max_spend"]) == [np.inf, 1_000.0, 2_000.0, np.inf]
    assert CURVES.loc[0, "min_spend"] == 0.0  # input not modified
    a = optimize(out, 40_000)
    t = a.table.set_index("name")
    assert t.loc["TikTok/@lena.bakes", "spend"] == 2_000.0 and t.loc["X", "spend"] <= 1_000.0


def test_bounds_problems_are_sentences():
    b = views.bounds_table(CURVES)
    assert views.bounds_problems(b) == []
    b.loc["X", "Min spend"] = 9_000.0
    b.loc["X", "Max spend"] = 1_000.0
    b2 = views.bounds_table(CURVES.assign(current_spend=[np.nan, 1.0, 1.0, 1.0]))
    b2.loc["TikTok", "Lock at current"] = True
    assert views.bounds_problems(b) == ["X: the minimum spend $9,000 is above the maximum $1,000."]
    assert views.bounds_problems(b2) == ["TikTok: there is no current spend to lock it at."]


def test_network_bounds_frame_keeps_only_networks_with_a_bound():
    t = views.network_bounds_table(CURVES)
    assert list(t.index) == ["TikTok", "X"]
    assert t.loc["TikTok", "Current spend"] == 32_000
    assert views.network_bounds_frame(t) is None
    t.loc["X", "Max spend"] = 10_000.0
    f = views.network_bounds_frame(t)
    assert f.to_dict("records") == [{"network": "X", "min_spend": 0.0, "max_spend": 10_000.0}]
    t.loc["X", "Min spend"] = 20_000.0
    assert views.network_bounds_problems(t) == ["X: the network minimum $20,000 is above its maximum $10,000."]


def test_allocation_tables_and_reading():
    a = optimize(CURVES, 50_000)
    every = views.allocation_view(a)
    assert every["Optimal spend"].sum() == pytest.approx(a.total_spend)
    assert every["Optimal spend"].is_monotonic_decreasing
    assert {"Revenue P10", "Revenue P90", "Posts", "Beyond data", "Note"} <= set(every.columns)
    creators = views.allocation_view(a, creators_only=True)
    assert set(creators["Name"]) == {"TikTok/@lena.bakes", "X/@amir"}
    nets = views.network_view(a)
    assert set(nets["Network"]) == {"TikTok", "X"}
    assert nets["Optimal spend"].sum() == pytest.approx(a.total_spend)
    h = views.headline(a)
    assert h["spend"] == "$50,000" and h["roas"].endswith(" per $1")
    assert h["optimality"] == "Proven optimal"
    text = views.reading(a, CURVES)
    now = views.marginal_at_current(CURVES)
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


def test_curves_csv_writes_no_limit_as_empty_and_text_as_text():
    c = CURVES.assign(name=["=1+1", "X", "TikTok/@lena.bakes", "X/@amir"])
    text = views.curves_csv(c).decode()
    first = text.splitlines()[1]
    assert first.startswith("'=1+1,TikTok,log")
    assert "inf" not in text


def test_followers_from_creator_rows():
    class DS:
        rows = pd.DataFrame({
            "date": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-01-01"]),
            "network": ["TikTok", "TikTok", "X"], "entity": ["@lena.bakes", "@lena.bakes", ""],
            "followers": [1_000, 1_500, np.nan],
        })

    f = views.followers([DS()])
    assert f.to_dict() == {"TikTok/@lena.bakes": 1_500.0}


# ----------------------------------------------------------------------------- budgets planned ahead


@pytest.mark.parametrize("budget,step", [(339_453, 10_000), (250_000, 10_000), (52_500, 2_000), (3e6, 100_000),
                                         (7_000, 250), (0, 10_000)])
def test_budget_step_is_a_round_amount_near_a_thirtieth(budget, step):
    assert views.budget_step(budget) == step


def test_budget_options_are_round_steps_around_the_budget_and_the_budget_itself():
    opts = views.budget_options(339_453, CURVES)
    assert opts[0] == 170_000 and opts[-1] == 500_000
    assert 339_453 in opts and len(opts) == 35
    assert all(b % 10_000 == 0 for b in opts if b != 339_453)
    assert list(opts) == sorted(set(opts))
    # never below what the minimum spends need
    floor = CURVES.assign(min_spend=[100_000.0, 50_000.0, 0.0, 0.0])
    assert views.budget_options(200_000, floor)[0] == 150_000


def test_frontier_table_from_plans_is_the_optimizers_frontier():
    from planner.optimize.solver import frontier

    budgets = [20_000.0, 40_000.0, 60_000.0]
    plans = [(b, optimize(CURVES, b)) for b in budgets]
    table = views.frontier_table(plans + [(80_000.0, None)])  # a budget that cannot be met is left out
    want = frontier(CURVES, budgets)
    pd.testing.assert_frame_equal(table[list(want.columns)], want, check_exact=False, rtol=1e-9)


def test_next_step_says_what_the_next_dollars_buy_and_where_they_go():
    a, more = optimize(CURVES, 40_000), optimize(CURVES, 50_000)
    step = views.next_step(a, more, 10_000)
    assert step["gain"] == pytest.approx(more.total_response - a.total_response)
    assert step["per_dollar"] == pytest.approx(step["gain"] / 10_000)
    moves = step["moves"]
    assert moves["spend_change"].sum() == pytest.approx(more.total_spend - a.total_spend, abs=0.02)
    assert moves["spend_change"].is_monotonic_decreasing
    assert step["sentence"].startswith(f"The next $10,000 would buy about {signed_money(step['gain'])} of "
                                       "expected revenue")
    assert moves["name"].iloc[0] in step["sentence"]
    same = views.next_step(a, a, 10_000)
    assert same["sentence"].startswith("Another $10,000 of budget would stay unspent")


# ----------------------------------------------------------------------------- engagement


class _Campaigns:
    kind = "attributed"
    rows = pd.DataFrame({
        "network": ["TikTok", "TikTok", "X", "X", "TikTok"],
        "entity": ["@lena.bakes", "@lena.bakes", "@amir", "", "@nobody"],
        "spend": [1_000.0, 3_000.0, 500.0, 9_000.0, 100.0],
        "engagements": [40_000.0, 80_000.0, 1_000.0, 99.0, np.nan],
    })


def test_creator_engagement_sums_campaigns_with_engagements():
    e = views.creator_engagement([_Campaigns()]).set_index("name")
    assert list(e.index) == ["TikTok/@lena.bakes", "X/@amir"]  # paid media and rows without engagements left out
    assert e.loc["TikTok/@lena.bakes", "engagements"] == 120_000
    assert e.loc["TikTok/@lena.bakes", "engagements_per_dollar"] == pytest.approx(30.0)
    assert e.loc["TikTok/@lena.bakes", "campaigns"] == 2
    assert views.creator_engagement([]).empty


def _dominated(x, y, i) -> bool:
    return any(x[j] >= x[i] and y[j] >= y[i] and (x[j] > x[i] or y[j] > y[i]) for j in range(len(x)))


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=0, max_size=25))
def test_undominated_is_exactly_the_points_no_other_point_beats(points):
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    front = views.undominated(x, y)
    assert list(front) == [not _dominated(x, y, i) for i in range(len(points))]


def test_undominated_leaves_out_missing_values():
    assert views.undominated([1.0, np.nan, 0.5], [1.0, 5.0, np.nan]).tolist() == [True, False, False]


def test_engagement_table_and_reading():
    a = optimize(CURVES, 50_000)
    table = views.engagement_table(a, CURVES, views.creator_engagement([_Campaigns()]))
    t = table.set_index("name")
    assert set(t.index) == {"TikTok/@lena.bakes", "X/@amir"}
    lena = CURVES.set_index("name").loc["TikTok/@lena.bakes"]
    assert t.loc["TikTok/@lena.bakes", "revenue_per_dollar"] == pytest.approx(
        response(CURVES[CURVES["name"] == "TikTok/@lena.bakes"], np.array([lena["current_spend"]]))[0]
        / lena["current_spend"])
    assert t.loc["TikTok/@lena.bakes", "engagements_per_1000"] == pytest.approx(30_000)
    assert t.loc["TikTok/@lena.bakes", "measured_at"] == "today's spend ($2,000)"
    assert t["on_front"].tolist() == views.undominated(t["engagements_per_1000"], t["revenue_per_dollar"]).tolist()
    assert t.loc["TikTok/@lena.bakes", "in_plan"] == (a.table.set_index("name").loc["TikTok/@lena.bakes", "spend"] > 0)
    text = views.engagement_reading(table)
    assert f"{int(t['on_front'].sum())} of 2 creators are on the front" in text
    shown = views.engagement_view(table)
    assert list(shown.columns) == ["Name", "Network", "In the plan", "Planned spend", "Revenue per $1",
                                   "Engagements per $1,000", "Engagements", "Campaigns", "Revenue measured at"]
    assert views.engagement_table(a, CURVES, views.creator_engagement([])).empty
    assert "no engagements" in views.engagement_reading(views.engagement_table(a, CURVES, pd.DataFrame()))


def test_creators_view_filters_by_network():
    a = optimize(CURVES, 50_000)
    assert set(views.creators_view(a)["Name"]) == {"TikTok/@lena.bakes", "X/@amir"}
    assert views.creators_view(a, ["X"])["Name"].tolist() == ["X/@amir"]


def test_of_networks_keeps_the_rows_of_the_networks_picked():
    assert views.of_networks(CURVES, ["X"])["name"].tolist() == ["X", "X/@amir"]
    assert len(views.of_networks(CURVES, [])) == len(CURVES)


def test_unmet_budgets_are_one_sentence():
    why = "The minimum spends add up to $150,000, more than the budget of $100,000."
    text = views.unmet_text([(100_000.0, why), (90_000.0, why)])
    assert text == f"No plan meets the bounds at 2 budgets from $90,000 to $100,000, so the frontier leaves them out: {why}"
    assert views.unmet_text([]) == ""


def _engaging():
    return CURVES.assign(engagement_per_dollar=[np.nan, 0.5, 60.0, 2.0])


def test_engagement_trade_reads_what_valuing_an_engagement_costs():
    base = optimize(_engaging(), 40_000)
    a = optimize(_engaging(), 40_000, engagement_weight=0.05)
    lost = base.total_response - a.total_response
    gained = a.extra["engagements"] - base.extra["engagements"]
    assert lost > 0 and gained > 0
    text = views.engagement_trade(a, base)
    share = f"{100 * lost / base.total_response:.2f}%" if lost / base.total_response < 0.01 else \
        f"{100 * lost / base.total_response:.1f}%"
    assert text == (f"Valuing an engagement at $0.05 trades ${lost:,.0f} of revenue ({share}) for "
                    f"{gained:,.0f} more engagements (${lost / gained:.2f} of revenue each): "
                    f"{a.extra['engagements']:,.0f} in all instead of {base.extra['engagements']:,.0f}.")


def test_engagement_trade_when_nothing_changes_or_nothing_is_valued():
    base = optimize(_engaging(), 40_000)
    assert views.engagement_trade(base, base) == ""  # weight 0: nothing to say
    tiny = optimize(_engaging(), 40_000, engagement_weight=1e-9)
    assert views.engagement_trade(tiny, base).startswith("Valuing an engagement at $0.0000000010 does not change "
                                                         "the plan")
    assert views.engagement_trade(tiny, None) == ""


def test_reading_says_revenue_is_no_longer_even_when_engagement_is_valued():
    a = optimize(_engaging(), 40_000, engagement_weight=0.05)
    text = views.reading(a, _engaging())
    assert "Engagement is valued at $0.05 each" in text
    assert "on every funded row" not in text


def test_interval_text_reads_p10_to_p90_and_the_median():
    assert views.interval_text(1_517_127.4, 1_631_000.0, 1_752_581.0) == \
        "80% interval: $1,517,127 to $1,752,581, median $1,631,000"
    assert views.interval_text(1_500_000.0, float("nan"), 2_400_000.0) == "80% interval: $1,500,000 to $2,400,000"
    assert views.interval_text(float("nan"), 1.0, 2.0) == ""
