"""Refuse to pretend: the data's support for each network curve, the verdict, and bands widened to what is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.support import support, widened


def table(**over) -> pd.DataFrame:
    base = dict(name=["Instagram", "TikTok", "TikTok/@a"], network=["Instagram", "TikTok", "TikTok"],
                curve=["log"] * 3, beta=[1000.0, 800.0, 300.0], k=[100.0, 80.0, 30.0],
                n_obs=[52, 52, 12], r2=[0.8, 0.7, 0.2], mape=[0.05, 0.08, 0.3],
                observed_min=[100.0, 50.0, 200.0], observed_max=[400.0, 200.0, 200.0],
                beta_p10=[900.0, 700.0, 200.0], beta_p90=[1100.0, 900.0, 400.0],
                source=["marketing-mix", "marketing-mix", "creator campaigns"])
    base.update(over)
    return pd.DataFrame(base)


def test_well_supported_curves_are_sound_and_creators_lean_on_their_network():
    judged = support(table())  # the creator's 12 campaigns and flat spend are its pooling's business
    assert judged.verdict == "sound" and judged.headline() == "" and judged.sentences == ()


def test_each_weakness_is_named():
    judged = support(table(n_obs=[5, 52, 12], observed_max=[400.0, 55.0, 200.0], r2=[0.8, -0.3, 0.2],
                           beta_p90=[900.0, 900.0, 400.0]))
    assert judged.verdict == "thin"
    assert judged.reasons["Instagram"] == ("5 weeks of data", "no measured uncertainty")
    assert judged.reasons["TikTok"] == ("spend that barely moved ($50 to $55 a quarter)",
                                       "a fit worse than a flat average (R² -0.30 on held-out weeks)")
    assert judged.headline().startswith("Optimal for these curves only: the data barely support 2 of them.")


def test_a_network_the_weekly_data_hardly_tell_apart_is_weak_and_a_lift_test_is_the_remedy():
    pulled = table(prior_weight=[0.2, 0.5, np.nan])  # TikTok's return per dollar: half the pull's
    judged = support(pulled)
    assert judged.verdict == "thin" and judged.weak == ("TikTok",)
    assert judged.sentences == ("TikTok: an effect the weekly data hardly tell apart from baseline sales.",)
    assert judged.advice() == ("Their bands are widened to what the data know. A lift test of TikTok (an experiment "
                               "given to the fit) would tell its effect apart from baseline sales.")
    assert support(table(prior_weight=[0.2, 0.49, np.nan])).verdict == "sound"
    # a creator's pull toward its network is its pooling's business, whatever the column says
    assert support(table(prior_weight=[0.2, 0.2, 1.0])).verdict == "sound"
    both = support(table(prior_weight=[0.2, 0.9, np.nan], n_obs=[5, 52, 12]))
    assert both.advice().endswith("More weeks of data, with spend that moves, would firm up the others.")
    assert support(table(n_obs=[5, 52, 12])).advice() == ("Their bands are widened to what the data know. Plan with "
                                                          "care, or load more weeks of data, with spend that moves.")
    assert support(table()).advice() == ""
    assert judged.brief() == ("Optimal for these curves only: the data barely support TikTok. A lift test of it "
                              "would tell its effect apart from baseline sales.")
    assert both.brief() == ("Optimal for these curves only: the data barely support Instagram and TikTok. A lift "
                            "test of TikTok would tell its effect apart from baseline sales.")
    assert support(table()).brief() == ""


def test_a_few_days_of_one_network_and_no_creator_carry_no_plan():
    short = table(n_obs=[2, 2, 12], observed_max=[100.0, 50.0, 200.0]).iloc[:2]
    judged = support(short)
    assert judged.verdict == "none"
    assert judged.headline() == ("The data cannot carry a plan: Instagram: 2 weeks of data, spend that never moved "
                                 "($100 a quarter). TikTok: 2 weeks of data, spend that never moved ($50 a quarter). Load more weeks of "
                                 "data, with spend that moves, to plan.")


def test_networks_whose_returns_are_nearly_all_the_pull_carry_no_plan_until_a_lift_test():
    nets = table(prior_weight=[0.94, 1.0, np.nan]).iloc[:2]  # every network the marketing mix's, no creator
    judged = support(nets)
    assert judged.verdict == "none" and judged.own == pytest.approx(0.03)
    assert judged.headline() == (
        "The data cannot carry a plan: Instagram and TikTok: an effect the weekly data hardly tell apart from baseline "
        "sales. The weekly data decide 3% of the networks' returns per dollar; the rest, and so any plan, would be the "
        "model's assumption. A lift test of them (an experiment given to the fit) would tell their effect apart from "
        "baseline sales; then plan.")
    assert judged.brief().startswith("The data cannot carry a plan: the data barely support Instagram and TikTok.")
    # a tenth of their returns from their own data, or one network that is not the pull's, or a creator: a plan
    assert support(table(prior_weight=[0.75, 1.0, np.nan]).iloc[:2]).verdict == "thin"
    assert support(table(prior_weight=[0.2, 1.0, np.nan]).iloc[:2]).verdict == "thin"
    assert support(table(prior_weight=[0.95, 1.0, np.nan])).verdict == "thin"
    typed = table(prior_weight=[0.95, 1.0, np.nan], source=["marketing-mix", "paid media", "creator campaigns"])
    assert support(typed.iloc[:2]).verdict == "thin"  # a network of ad-platform rows has data of its own


def test_a_table_typed_by_hand_is_taken_as_it_is():
    typed = pd.DataFrame({"name": ["A", "B"], "network": ["A", "B"], "curve": ["log", "log"],
                          "beta": [1.0, 2.0], "k": [1.0, 1.0]})
    assert support(typed).verdict == "sound"
    assert widened(typed) is typed


def test_weak_bands_are_widened_to_what_the_data_know_and_none_is_narrowed():
    t = table(r2=[0.8, -0.3, 0.2], beta_p10=[999.0, 800.0, 200.0], beta_p90=[1001.0, 800.0, 400.0],
              n_obs=[5, 52, 12])
    w = widened(t)
    z = 1.2815515655446004
    # Instagram: 5 weeks, error 5 % -> at least 30 %; TikTok: worse than flat -> 50 %
    assert w.loc[0, "beta_p10"] == pytest.approx(1000 * np.exp(-z * 0.3))
    assert w.loc[1, "beta_p90"] == pytest.approx(800 * np.exp(z * 0.5))
    assert w.loc[2, ["beta_p10", "beta_p90"]].tolist() == [200.0, 400.0]  # the creator is not touched
    wide = table(n_obs=[5, 52, 12], beta_p10=[10.0, 700.0, 200.0], beta_p90=[5000.0, 900.0, 400.0])
    assert widened(wide).loc[0, ["beta_p10", "beta_p90"]].tolist() == [10.0, 5000.0]  # never narrowed


def test_creators_of_a_handful_of_campaigns_are_weak_and_a_tracker_of_three_carries_no_plan():
    few = table(name=["Instagram", "TikTok/@a", "TikTok/@b"], network=["Instagram", "TikTok", "TikTok"],
                n_obs=[52, 3, 2], source=["marketing-mix", "creator campaigns", "creator campaigns"])
    judged = support(few)
    assert judged.verdict == "thin" and judged.weak == ("TikTok/@a", "TikTok/@b")
    assert judged.sentences == ("TikTok/@a and TikTok/@b: 2 TikTok creators with 5 campaigns between them.",)
    assert judged.advice() == ("Their bands are widened to what the data know. Plan with care, or load more of the "
                               "creators' campaigns.")
    z = 1.2815515655446004
    assert widened(few).loc[1, "beta_p90"] == pytest.approx(800 * np.exp(z * 0.3))  # 30 % at least
    assert support(few.assign(n_obs=[52, 6, 2])).verdict == "sound"  # 8 campaigns: their pooling's business
    alone = few.iloc[1:].assign(n_obs=[2, 1])  # three campaigns and nothing else: no plan
    assert support(alone).verdict == "none"
    assert support(alone).headline().startswith("The data cannot carry a plan: TikTok/@a and TikTok/@b: 2 TikTok "
                                                "creators with 3 campaigns between them.")
