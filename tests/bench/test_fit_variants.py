"""planner.bench.fit's weekly variants: controls the importer reads, experiments whose truth the floor agrees with."""

from __future__ import annotations

import filecmp

import numpy as np
import pandas as pd
import pytest

from planner.bench import fit_runs
from planner.bench.fit import summary
from planner.bench.fit_floors import weekly_floor
from planner.bench.fit_runs import EXPERIMENT_GOALS, FLOOR_RATIO, WEEKLY_VARIANTS, weekly_variants
from planner.bench.fit_sample import SEEDS, generator, make_sample
from planner.data.experiments import check_experiments
from planner.fit.mmm import fit_mmm

SEED = 9  # not a benchmark seed


@pytest.fixture(scope="module")
def varied(tmp_path_factory):
    return make_sample(SEED, tmp_path_factory.mktemp("variants"), controls=True, experiments=True, heavy_ups=True)


def test_the_variant_changes_only_the_weekly_sales_and_adds_its_columns(varied, tmp_path):
    assert SEED not in SEEDS
    plain = make_sample(SEED, tmp_path / "plain")
    make_sample(SEED, tmp_path / "varied", controls=True, experiments=True)
    for name in ("creator_campaigns.xlsx", "finance_plan.xlsx", "true_curves.csv"):
        assert filecmp.cmp(tmp_path / "plain" / name, tmp_path / "varied" / name, shallow=False), name
    assert not (tmp_path / "plain" / "experiments.csv").exists()
    w0, w1 = plain.weekly, varied.weekly
    pd.testing.assert_frame_equal(w0.rows, w1.rows)  # the same spend
    assert not np.allclose(w0.outcome["outcome"], w1.outcome["outcome"])  # the controls move sales
    assert w0.control_names == [] and sorted(w1.control_names) == ["Event: event1", "Event: event2", "Promotion discount"]


def test_concave_curves_change_only_the_weekly_shapes(tmp_path, monkeypatch):
    plain = make_sample(SEED, tmp_path / "plain")
    concave = make_sample(SEED, tmp_path / "concave", weekly_shapes="concave")
    for name in ("creator_campaigns.xlsx", "finance_plan.xlsx"):
        assert filecmp.cmp(tmp_path / "plain" / name, tmp_path / "concave" / name, shallow=False), name
    pd.testing.assert_frame_equal(plain.weekly.rows, concave.weekly.rows)  # the same spend
    nets = sorted(set(plain.weekly.rows["network"]))
    s0, s1 = plain.true_weekly.loc[nets, "s"], concave.true_weekly.loc[nets, "s"]
    lo, hi = generator().CONCAVE_S
    assert s1.between(lo, hi).all() and (s0 > hi).sum() >= 4  # the profiles' are mostly S-shaped
    # the same return per dollar at the mean weekly spend, a different curve around it
    pd.testing.assert_series_equal(plain.true_weekly.loc[nets, "mean_weekly_spend"],
                                   concave.true_weekly.loc[nets, "mean_weekly_spend"])
    assert not np.allclose(plain.weekly.outcome["outcome"], concave.weekly.outcome["outcome"])
    with pytest.raises(ValueError, match="weekly_shapes"):
        make_sample(SEED, tmp_path / "bad", weekly_shapes="convex")
    monkeypatch.setattr(fit_runs, "make_sample", lambda seed, out, *tracker, **shapes: concave)
    acc, _ = fit_runs.accuracy([SEED], n_boot=0, floors=False, creators=False, weekly_shapes="concave")
    assert list(acc["data"]) == ["weekly, concave curves"] and acc["error"].iloc[0] < 0.5


def test_the_promotion_runs_with_instagram(varied):
    c = varied.true_weekly.loc["controls"]
    assert c["promo_corr_instagram"] > 0.4 and c["promo_lift_per_depth"] == pytest.approx(0.8)
    ctrl = varied.weekly.controls.set_index("date")
    ig = varied.weekly.rows.loc[varied.weekly.rows["network"] == "Instagram"].set_index("date")["spend"]
    assert np.corrcoef(ctrl["Promotion discount"], ig.reindex(ctrl.index))[0, 1] == pytest.approx(
        c["promo_corr_instagram"], abs=1e-4)


def test_one_experiment_per_network_in_the_last_year(varied):
    exp = varied.experiments[varied.experiments["spend_tested"].isna()]  # the holdouts
    assert sorted(exp["name"]) == sorted(varied.weekly.rows["network"].unique())
    clean = check_experiments(exp.drop(columns="true_lift"))
    assert ((clean["end"] - clean["start"]).dt.days == 27).all()
    assert (clean["start"] >= varied.weekly.rows["date"].max() - pd.Timedelta(weeks=52)).all()
    np.testing.assert_allclose(exp["lift_se"], 0.15 * exp["true_lift"], rtol=1e-3)
    assert (np.abs(exp["lift"] - exp["true_lift"]) < 4 * exp["lift_se"]).all()


def test_a_heavy_up_per_network_beside_its_holdout(varied, tmp_path):
    exp = varied.experiments
    held, heavy = exp[exp["spend_tested"].isna()].set_index("name"), exp[exp["spend_tested"].notna()].set_index("name")
    assert sorted(heavy.index) == sorted(held.index)
    spend = varied.weekly.rows.pivot_table(index="date", columns="network", values="spend", aggfunc="sum")
    for net, r in heavy.iterrows():
        window = spend.loc[pd.Timestamp(r["start"]):pd.Timestamp(r["end"]), net]
        assert len(window) == 4 and r["spend_tested"] == pytest.approx(0.5 * window.sum(), abs=0.01)  # doubled
        assert abs((pd.Timestamp(r["start"]) - pd.Timestamp(held.loc[net, "start"])).days) >= 28  # apart
        assert r["lift_se"] == held.loc[net, "lift_se"]  # the same test design: the same error in money
        assert 0 < r["true_lift"] < held.loc[net, "true_lift"]  # the lift of half the spend, not of all of it
    # the holdouts are the same with or without the heavy-ups
    alone = make_sample(SEED, tmp_path / "alone", controls=True, experiments=True).experiments
    pd.testing.assert_frame_equal(alone.reset_index(drop=True),
                                  exp[exp["spend_tested"].isna()].drop(columns="spend_tested").reset_index(drop=True))


def test_exact_experiments_give_the_floor_the_true_scales(varied):
    """The generator's lift and the floor's (the model's definition) agree: exact lifts pin every scale."""
    exact = varied.experiments.assign(lift=varied.experiments["true_lift"],
                                      lift_se=varied.experiments["true_lift"] * 1e-5)
    floor = weekly_floor(varied, check_experiments(exact.drop(columns="true_lift"))).set_index("name")
    truth = varied.truth.set_index("name").loc[floor.index]
    np.testing.assert_allclose(floor["beta"], truth["beta"], rtol=1e-3)
    # without them the floor fits the scales from the weeks and the controls
    assert not np.allclose(weekly_floor(varied).set_index("name")["beta"], truth["beta"], rtol=1e-3)


def test_the_model_reads_the_lift_as_the_generator_defines_it(varied):
    """Calibrated on precise experiments, the marketing-mix model's own lift over each window matches it."""
    exact = varied.experiments.assign(lift=varied.experiments["true_lift"],
                                      lift_se=varied.experiments["true_lift"] * 0.02)
    res = fit_mmm(varied.weekly, n_boot=0, experiments=check_experiments(exact.drop(columns="true_lift")))
    e = res.experiments  # in the table's order: each network's holdout, then its heavy-up
    assert e["name"].tolist() == exact["name"].tolist() and e["spend_tested"].notna().sum() == 6
    np.testing.assert_allclose(e["model_with"], exact["true_lift"], rtol=0.1)
    assert set(res.controls["control"]) == {"Event: event1", "Event: event2", "Promotion discount"}


def test_weekly_variants_on_one_seed(varied, monkeypatch):
    from planner.bench import fit_runs

    monkeypatch.setattr(fit_runs, "make_sample", lambda seed, out, **kw: varied)
    acc, nets = weekly_variants([SEED], n_boot=5)
    assert set(zip(acc["data"], acc["model"], strict=True)) == {(d, m) for d in WEEKLY_VARIANTS
                                                                 for m in ("fitted", "floor")}
    a = acc.set_index(["data", "model"])
    # one experiment per network at 15 % brings the floor's curves closer than the weeks alone
    assert a.loc[(WEEKLY_VARIANTS[1], "floor"), "error"] < a.loc[(WEEKLY_VARIANTS[0], "floor"), "error"]
    assert (acc.filter(like="regret_") > -1e-6).all().all()
    assert set(nets["data"]) == set(WEEKLY_VARIANTS) and len(nets) == 18
    summ = summary(acc).set_index("figure")
    ctrl = summ.loc[f"{WEEKLY_VARIANTS[0]}, fitted: median error at observed spend (goal: {FLOOR_RATIO:g}x the floor's)"]
    assert ctrl["goal"] == pytest.approx(FLOOR_RATIO * a.loc[(WEEKLY_VARIANTS[0], "floor"), "error"])
    exp = summ.loc[f"{WEEKLY_VARIANTS[1]}, fitted: median error at observed spend"]
    assert exp["goal"] == EXPERIMENT_GOALS["error"] and exp["met"] == ("yes" if exp["value"] < 0.1 else "no")


def test_concave_creators_draw_no_s_shape_and_the_bayes_planner_knows_it(tmp_path, monkeypatch):
    gen = generator()
    assert gen.creator_forms("concave")["hill"] == 0.0 and gen.creator_forms() is gen.CREATOR_FORMS
    with pytest.raises(ValueError, match="creator_shapes"):
        gen.creator_forms("convex")
    smp = make_sample(SEED, tmp_path / "concave", creator_shapes="concave")
    truth = smp.truth.loc[smp.truth["kind"] == "creator"]
    assert smp.creator_shapes == "concave" and set(truth["curve"]) <= {"logistic", "log"} and len(truth) >= 30
    assert (make_sample(SEED, tmp_path / "mixed").truth["curve"] == "hill").any()
    monkeypatch.setattr(fit_runs, "make_sample", lambda seed, out, *tracker, **shapes: smp)
    acc, _ = fit_runs.accuracy([SEED], n_boot=0, weekly=False, creator_shapes="concave")
    assert set(acc["data"]) == {"creators, concave curves"} and set(acc["model"]) == {"fitted", "floor", "bayes"}
    a = acc.set_index("model")
    assert a.loc["bayes", "regret_0.5x"] < 0.1 and a.loc["fitted", "error"] < 0.2


def test_campaigns_that_sell_nothing_change_only_revenue_and_the_truth_is_the_expected_revenue(tmp_path, monkeypatch):
    plain = make_sample(SEED, tmp_path / "plain")
    unsold = make_sample(SEED, tmp_path / "unsold", unsold=True)
    for name in ("weekly_paid_media.xlsx", "finance_plan.xlsx"):
        assert filecmp.cmp(tmp_path / "plain" / name, tmp_path / "unsold" / name, shallow=False), name
    r0, r1 = plain.creators.rows, unsold.creators.rows
    pd.testing.assert_frame_equal(r0.drop(columns=["outcome", "orders"]), r1.drop(columns=["outcome", "orders"]))
    none = r1["outcome"] == 0
    assert 0.05 < none.mean() < 0.3 and (r1.loc[none, "orders"] == 0).all()
    assert (r0.loc[~none, "outcome"] == r1.loc[~none, "outcome"]).all() and (r0["outcome"] > 0).all()
    t0, t1 = (s.truth.set_index("name") for s in (plain, unsold))
    creators = t0["kind"] == "creator"
    share = t1.loc[creators, "beta"] / t0.loc[creators, "beta"]  # each creator's chance that a campaign sells
    assert share.between(0.0, 1.0).all() and share.std() > 0.05
    pd.testing.assert_frame_equal(t0.drop(columns="beta"), t1.drop(columns="beta"))
    monkeypatch.setattr(fit_runs, "make_sample", lambda seed, out, *tracker, **kw: unsold)
    acc, _ = fit_runs.accuracy([SEED], n_boot=0, weekly=False, unsold=True)
    assert list(acc["data"]) == ["creators, some campaigns sell nothing"] and list(acc["model"]) == ["fitted"]
    assert acc["error"].iloc[0] < 0.25 and acc["regret_1x"].iloc[0] < 0.15  # read as tiny sales: errors of 2,000 %


def test_a_holiday_wave_changes_only_revenue_and_the_fit_takes_it_out(tmp_path, monkeypatch):
    plain = make_sample(SEED, tmp_path / "plain")
    season = make_sample(SEED, tmp_path / "season", creator_season=True)
    for name in ("weekly_paid_media.xlsx", "finance_plan.xlsx", "true_curves.csv"):
        assert filecmp.cmp(tmp_path / "plain" / name, tmp_path / "season" / name, shallow=False), name
    r0, r1 = plain.creators.rows, season.creators.rows
    pd.testing.assert_frame_equal(r0.drop(columns=["outcome", "orders"]), r1.drop(columns=["outcome", "orders"]))
    lift = (r1["outcome"] / r0["outcome"]).groupby(r1["date"].dt.month).mean()
    assert lift.loc[11] > 1.25 and lift.loc[5] < 0.75  # +30 % in mid-November, -30 % in mid-May
    monkeypatch.setattr(fit_runs, "make_sample", lambda seed, out, *tracker, **kw: season)
    acc, _ = fit_runs.accuracy([SEED], n_boot=0, weekly=False, creator_season=True)
    assert list(acc["data"]) == ["creators, campaigns' revenue seasonal"] and list(acc["model"]) == ["fitted"]
    assert acc["error"].iloc[0] < 0.15
