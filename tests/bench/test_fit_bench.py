"""planner.bench.fit: the measures are right, and the benchmark runs end to end."""

from __future__ import annotations

import numpy as np
import pytest

from planner.bench import fit_runs
from planner.bench.fit import summary
from planner.bench.fit_bayes import bayes_score, best_posts, creator_bayes
from planner.bench.fit_floors import creator_floor, weekly_floor
from planner.bench.fit_measures import both_plans, coverage, creator_errors, network_errors, plan_regret
from planner.bench.fit_runs import accuracy, pymc_comparison, speed
from planner.bench.fit_sample import BUDGETS, PEER_DATA, SEEDS, SPEED_SEEDS, make_sample
from planner.curves.forms import response

SEED = 9  # not one of the benchmark's seeds (SEEDS, SPEED_SEEDS)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return make_sample(SEED, tmp_path_factory.mktemp("fit_bench"))


def test_the_tests_do_not_use_the_benchmark_seeds():
    assert SEED not in SEEDS and SEED not in SPEED_SEEDS
    assert not {7, 8} & set(SEEDS) and not {7, 8} & set(SPEED_SEEDS)  # tests/data/test_sample_data.py


def test_the_truth_scores_perfectly(sample):
    truth = sample.truth
    creators = truth.loc[truth["kind"] == "creator"].reset_index(drop=True)
    paid = truth.loc[truth["kind"] != "creator"].reset_index(drop=True)
    assert (creator_errors(creators, creators, sample.creators.rows) == 0).all()
    assert (network_errors(paid, paid, sample.weekly.rows) == 0).all()
    assert plan_regret(paid, paid, float(paid["current_spend"].sum())) == pytest.approx(0.0, abs=1e-9)
    band = paid.assign(beta_p10=paid["beta"] * 0.9, beta_p90=paid["beta"] * 1.1)
    assert coverage(band, paid, paid.set_index("name")["current_spend"]) == 1.0
    assert coverage(band.assign(beta_p10=band["beta"] * 1.01), paid, paid.set_index("name")["current_spend"]) == 0.0


def test_regret_values_both_plans_by_the_truth(sample):
    paid = sample.truth.loc[sample.truth["kind"] != "creator"].reset_index(drop=True)
    budget = float(paid["current_spend"].sum())
    # a model that believes the smallest network is ten times better puts money there
    worst = paid["beta"].idxmin()
    wrong = paid.copy()
    wrong.loc[worst, "beta"] *= 10
    r = plan_regret(wrong, paid, budget)
    plan = both_plans(wrong, paid, budget)[2]
    best = both_plans(paid, paid, budget)[2]
    assert r == pytest.approx(1 - response(paid, plan).sum() / response(paid, best).sum())
    assert 0.01 < r < 1


def test_creator_errors_are_per_campaign_medians(sample):
    creators = sample.truth.loc[sample.truth["kind"] == "creator"].reset_index(drop=True)
    off = creators.assign(beta=creators["beta"] * 1.2)
    err = creator_errors(off, creators, sample.creators.rows)
    np.testing.assert_allclose(err, 0.2)
    assert set(err.index) <= set(creators["name"]) and len(err) >= 0.9 * len(creators)


def test_floors_fit_only_the_scales(sample):
    fc = creator_floor(sample)
    truth = sample.truth.set_index("name")
    t = fc.set_index("name")
    assert (t["curve"] == truth.loc[t.index, "curve"]).all()
    np.testing.assert_allclose(t["k"], truth.loc[t.index, "k"])
    assert np.median(np.abs(t["beta"] / truth.loc[t.index, "beta"] - 1)) < 0.2
    fw = weekly_floor(sample).set_index("name")
    np.testing.assert_allclose(fw["s"], truth.loc[fw.index, "s"])
    assert (fw["beta"] > 0).all()


def test_accuracy_on_one_seed(sample, monkeypatch):
    monkeypatch.setattr(fit_runs, "make_sample", lambda seed, out, *tracker, **shapes: sample)
    acc, nets = accuracy([SEED], n_boot=5)
    assert set(zip(acc["data"], acc["model"], strict=True)) == {("creators", "fitted"), ("weekly", "fitted"),
                                                  ("creators", "floor"), ("weekly", "floor"),
                                                  ("creators", "bayes")}
    fitted = acc.loc[acc["model"] == "fitted"].set_index("data")
    # the figures the benchmark reports on this sample: close curves and a near-optimal plan
    assert fitted.loc["creators", "error"] < 0.12
    assert fitted.loc["weekly", "error"] < 0.5
    for col in ("regret_0.5x", "regret_1x", "regret_2x"):
        assert (acc[col] > -1e-6).all() and (acc[col] < 0.2).all()
    assert fitted.loc["creators", "regret_1x"] < 0.08
    assert fitted.loc["weekly", "regret_1x"] < 0.05
    assert 0.5 <= fitted.loc["creators", "coverage"] <= 1
    assert set(nets["network"]) == set(sample.weekly.rows["network"])
    assert nets["data_share"].between(0, 1).all()
    summ = summary(acc)
    goal = summ.dropna(subset=["goal"])
    assert ((goal["met"] == "yes") == (goal["value"] < goal["goal"])).all()
    assert summ["figure"].str.contains("regret at 1x").sum() == 5


def test_best_posts_is_the_best_whole_plan():
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = int(rng.integers(1, 5))
        fees = rng.choice([25.0, 50.0, 75.0, 150.0], size=n)
        values = [np.r_[0.0, np.cumsum(rng.uniform(0, 200, int(rng.integers(1, 4))))] for _ in range(n)]
        budget = float(rng.uniform(0, 600))
        got = best_posts(values, fees, budget)
        assert float(got @ fees) <= budget + 1e-9
        best = max(
            (sum(v[i] for v, i in zip(values, combo, strict=True)), combo)
            for combo in np.ndindex(*[len(v) for v in values])
            if float(np.array(combo) @ fees) <= budget + 1e-9
        )
        assert sum(v[i] for v, i in zip(values, got, strict=True)) == pytest.approx(best[0])


def test_bayes_planner_knows_the_generator(sample):
    vb = creator_bayes(sample, draws=2000)
    truth = sample.truth.set_index("name")
    assert set(vb) <= set(truth.index) and len(vb) >= 0.9 * (truth["kind"] == "creator").sum()
    for name, v in vb.items():
        posts = int(round(truth.loc[name, "max_spend"] / truth.loc[name, "unit_cost"]))
        assert len(v) == posts + 1 and v[0] == 0 and np.all(np.diff(v) > 0)
    score = bayes_score(sample, draws=2000)
    # the oracle's values are close to the truth and its plans near the best
    assert score["error"] < 0.12
    for m in BUDGETS:
        assert -1e-9 <= score[f"regret_{m:g}x"] < 0.08


PYMC = PEER_DATA / "pymc_marketing" / "mmm_example.csv"


@pytest.mark.skipif(not PYMC.exists(), reason="peer data not there")
def test_pymc_marketing_comparison():
    pm = pymc_comparison(n_boot=0)
    ex = pm.loc[pm["data"] == "mmm_example.csv"].set_index("channel")
    assert ex.loc["X1", "true contribution"] == 274_848 and ex.loc["X2", "true contribution"] == 65_906
    assert ex.loc["X1", "true share"] == pytest.approx(0.291, abs=0.001)  # MANIFEST.md: 29.1 %
    assert (pm["fitted"] > 0).all()
    # the smaller channel is close; the larger, always-on one is partly taken for baseline sales
    assert abs(ex.loc["X2", "error"]) < 0.25
    assert -0.6 < ex.loc["X1", "error"] < 0.2
    tvp = pm.loc[pm["data"] == "media_tvp_data.csv"]
    assert len(tvp) == 2 and tvp["true contribution"].sum() == pytest.approx(218.80 + 147.98, abs=0.05)


def test_speed_run_is_small_and_counts_right(monkeypatch, sample):
    real = fit_runs.make_sample  # the weekly case is generated with its controls and lift tests
    monkeypatch.setattr(fit_runs, "make_sample", lambda seed, out, *tracker, **kw: real(seed, out, **kw) if kw else sample)
    s = speed(n_creators=100, seeds=(SEED, SEED), n_boot=5, regret=False)
    assert len(s) == 2 and (s["seconds"] > 0).all()
    assert s["what"].iloc[0].startswith("120 creators")  # two copies of the seed's 60, made unique
    assert "6 networks x 156 weeks, 5 controls, 3 experiments" in s["what"].iloc[1]  # the weekly case
