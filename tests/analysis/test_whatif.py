"""What if one network or creator moved: the plan with the rest held, and the rest re-planned exactly."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from planner.analysis.whatif import find_target, what_if
from planner.base.errors import InputError
from planner.curves.forms import response
from planner.optimize import optimize
from planner.report.whatif_text import held_text, move_text, replanned_text, what_if_table


def curves():
    return pd.DataFrame({
        "name": ["Instagram", "Instagram/@a", "Instagram/@b", "TikTok", "TikTok/@c"],
        "network": ["Instagram", "Instagram", "Instagram", "TikTok", "TikTok"],
        "curve": ["log", "hill", "log", "log", "log"],
        "beta": [50_000.0, 30_000.0, 20_000.0, 40_000.0, 25_000.0], "k": [5_000.0, 1_500.0, 2_000.0, 3_000.0, 800.0],
        "s": [np.nan, 1.0, np.nan, np.nan, np.nan],
        "max_spend": [np.nan, 3_000.0, np.nan, np.nan, np.nan],
        "unit_cost": [np.nan, 500.0, np.nan, np.nan, np.nan],
        "current_spend": [6_000.0, 1_000.0, 1_500.0, 4_000.0, 2_000.0],
    })


@pytest.fixture
def plan():
    c = curves()
    return c, optimize(c, 20_000)


def test_a_network_moves_all_its_rows_and_holds_every_other(plan):
    c, base = plan
    w = what_if(c, base, "instagram", change=0.2)
    assert (w.target, w.kind) == ("Instagram", "network")
    t = w.table()
    ig = t["network"] == "Instagram"
    assert t.loc[~ig, "held"].tolist() == pytest.approx(t.loc[~ig, "plan"].tolist())
    assert w.after == pytest.approx(1.2 * w.before, abs=0.02)
    assert t.loc[t["name"] == "Instagram/@a", "held"].iloc[0] <= 3_000.0  # its cap is kept while others have room
    assert t.loc[t["name"] == "Instagram/@a", "held"].iloc[0] % 500.0 == pytest.approx(0.0)  # whole posts
    assert w.held_gain == pytest.approx(float(response(c, t["held"].to_numpy()).sum()) - base.total_response)


def test_the_rest_replanned_fixes_the_target_and_is_the_exact_best_around_it(plan):
    c, base = plan
    w = what_if(c, base, "TikTok/@c", spend=5_000)
    r = w.replanned.table.set_index("name")
    assert r.loc["TikTok/@c", "spend"] == pytest.approx(5_000.0)
    assert w.replanned.total_spend <= base.budget + 0.01
    assert w.replan_gain <= 1e-6  # the plan was the best: holding a row elsewhere cannot beat it
    # brute force over the other rows on a $250 grid (whole posts for @a) within the same budget
    others = [n for n in c["name"] if n != "TikTok/@c"]
    grid = np.arange(0, 15_001, 250.0)
    best = -np.inf
    for spends in itertools.product(grid, repeat=2):
        rest = 15_000 - sum(spends)
        if rest < 0:
            continue
        for a_posts in range(0, 7):
            x = dict(zip(others, [spends[0], a_posts * 500.0, spends[1], rest - a_posts * 500.0], strict=True))
            if x[others[3]] < 0:
                continue
            x["TikTok/@c"] = 5_000.0
            best = max(best, float(response(c, np.array([x[n] for n in c["name"]])).sum()))
    assert w.replanned.total_response >= best - 1e-6


def test_locking_at_the_plan_spend_changes_nothing(plan):
    c, base = plan
    spend = float(base.table.set_index("name").loc["TikTok", "spend"])
    w = what_if(c, base, "TikTok/@c", spend=float(base.table.set_index("name").loc["TikTok/@c", "spend"]))
    assert w.held_gain == pytest.approx(0.0, abs=1e-6)
    assert w.replan_gain == pytest.approx(0.0, abs=0.01)
    assert "as much as the plan" in replanned_text(w)
    assert spend > 0


def test_lock_holds_each_row_at_its_spend_today(plan):
    c, base = plan
    w = what_if(c, base, "Instagram", lock=True)
    t = w.table().set_index("name")
    for name in ("Instagram", "Instagram/@a", "Instagram/@b"):
        assert t.loc[name, "held"] == pytest.approx(float(c.set_index("name").loc[name, "current_spend"]))
        assert t.loc[name, "replanned"] == pytest.approx(t.loc[name, "held"])
    assert w.after == pytest.approx(8_500.0)
    assert "Held at today's spend." in move_text(w)


def test_targets_are_found_as_a_user_names_them():
    c = curves()
    assert find_target(c, "@c")[:2] == ("TikTok/@c", "row")
    assert find_target(c, "tiktok")[:2] == ("TikTok", "network")
    with pytest.raises(InputError, match="Did you mean 'Instagram'"):
        find_target(c, "Instagam")


def test_what_cannot_be_done_is_said(plan):
    c, base = plan
    with pytest.raises(InputError, match="one of the new spend"):
        what_if(c, base, "TikTok", spend=1.0, change=0.1)
    zero = optimize(c.assign(max_spend=[np.nan, 0.0, np.nan, np.nan, np.nan]), 20_000)
    with pytest.raises(InputError, match="spends nothing on Instagram/@a"):
        what_if(c, zero, "Instagram/@a", change=0.5)
    w = what_if(c, base, "TikTok", spend=25_000)
    assert w.replanned is None and "more than the whole budget of $20,000" in w.replan_error
    assert replanned_text(w) == w.replan_error
    assert what_if_table(w)["Rest re-planned"].isna().all()


def test_a_network_bound_on_the_target_is_set_aside_and_said(plan):
    c, base = plan
    nb = pd.DataFrame({"network": ["TikTok"], "min_spend": [np.nan], "max_spend": [6_000.0]})
    w = what_if(c, optimize(c, 20_000, network_bounds=nb), "TikTok", spend=9_000, network_bounds=nb)
    assert w.replanned is not None
    assert any("network bounds on TikTok were set aside" in n for n in w.notes)


def test_the_sentences_read_the_move_both_ways(plan):
    c, base = plan
    w = what_if(c, base, "Instagram", change=-0.5)
    assert move_text(w).startswith("Instagram (paid media and creators) from $")
    assert "-50.0%" in move_text(w)
    assert "taken away was returning" in held_text(w)
    assert "the money goes to TikTok (+$" in replanned_text(w)
    total = what_if_table(w).iloc[-1]
    assert total["Network"] == "Total" and total["Rest re-planned"] == pytest.approx(w.replanned.total_spend)


def test_the_plan_held_carries_the_plans_optimizers_curse_and_says_it():
    c = curves().assign(beta_p10=lambda d: d["beta"] * 0.7, beta_p90=lambda d: d["beta"] * 1.3)
    base = optimize(c, 20_000)
    assert base.selection_allowance > 0
    same = what_if(c, base, "TikTok", change=0.0)  # nothing moved: the held plan is the plan, band and all
    assert same.held.selection_allowance == pytest.approx(base.selection_allowance, rel=1e-6)
    for ours, theirs in (("response_p10", "response_p10"), ("response_p90", "response_p90"),
                         ("response_mean", "response_mean")):
        assert getattr(same.held, ours) == pytest.approx(getattr(base, theirs), rel=1e-6)
    w = what_if(c, base, "TikTok", change=0.5)
    share = base.selection_allowance / base.total_response
    assert w.held.selection_allowance == pytest.approx(share * w.held.total_response)
    assert w.held.response_mean == pytest.approx(w.held.total_response - w.held.selection_allowance, rel=1e-9)
    for text in (held_text(w), replanned_text(w)):
        assert ", mean $" in text and "The mean allows $" in text and "optimizer's curse" in text
