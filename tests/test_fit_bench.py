"""planner.bench.fit and planner.curves.intervals: the measures are right, and the benchmark runs end to end."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.bench import fit as fb  # noqa: E402
from planner.curves.forms import response  # noqa: E402
from planner.curves.intervals import plan_interval  # noqa: E402

SEED = 9  # not one of the benchmark's seeds (fit_bench.SEEDS, SPEED_SEEDS)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return fb.make_sample(SEED, tmp_path_factory.mktemp("fit_bench"))


def test_the_tests_do_not_use_the_benchmark_seeds():
    assert SEED not in fb.SEEDS and SEED not in fb.SPEED_SEEDS
    assert not {7, 8} & set(fb.SEEDS) and not {7, 8} & set(fb.SPEED_SEEDS)  # tests/test_sample_data.py


def test_the_truth_scores_perfectly(sample):
    truth = sample.truth
    creators = truth.loc[truth["kind"] == "creator"].reset_index(drop=True)
    paid = truth.loc[truth["kind"] != "creator"].reset_index(drop=True)
    assert (fb.creator_errors(creators, creators, sample.creators.rows) == 0).all()
    assert (fb.network_errors(paid, paid, sample.weekly.rows) == 0).all()
    assert fb.plan_regret(paid, paid, float(paid["current_spend"].sum())) == pytest.approx(0.0, abs=1e-9)
    band = paid.assign(beta_p10=paid["beta"] * 0.9, beta_p90=paid["beta"] * 1.1)
    assert fb.coverage(band, paid, paid.set_index("name")["current_spend"]) == 1.0
    assert fb.coverage(band.assign(beta_p10=band["beta"] * 1.01), paid, paid.set_index("name")["current_spend"]) == 0.0


def test_regret_values_both_plans_by_the_truth(sample):
    paid = sample.truth.loc[sample.truth["kind"] != "creator"].reset_index(drop=True)
    budget = float(paid["current_spend"].sum())
    # a model that believes the smallest network is ten times better puts money there
    worst = paid["beta"].idxmin()
    wrong = paid.copy()
    wrong.loc[worst, "beta"] *= 10
    r = fb.plan_regret(wrong, paid, budget)
    plan = fb._plans(wrong, paid, budget)[2]
    best = fb._plans(paid, paid, budget)[2]
    assert r == pytest.approx(1 - response(paid, plan).sum() / response(paid, best).sum())
    assert 0.01 < r < 1


def test_creator_errors_are_per_campaign_medians(sample):
    creators = sample.truth.loc[sample.truth["kind"] == "creator"].reset_index(drop=True)
    off = creators.assign(beta=creators["beta"] * 1.2)
    err = fb.creator_errors(off, creators, sample.creators.rows)
    np.testing.assert_allclose(err, 0.2)
    assert set(err.index) <= set(creators["name"]) and len(err) >= 0.9 * len(creators)


def test_floors_fit_only_the_scales(sample):
    fc = fb.creator_floor(sample)
    truth = sample.truth.set_index("name")
    t = fc.set_index("name")
    assert (t["curve"] == truth.loc[t.index, "curve"]).all()
    np.testing.assert_allclose(t["k"], truth.loc[t.index, "k"])
    assert np.median(np.abs(t["beta"] / truth.loc[t.index, "beta"] - 1)) < 0.2
    fw = fb.weekly_floor(sample).set_index("name")
    np.testing.assert_allclose(fw["s"], truth.loc[fw.index, "s"])
    assert (fw["beta"] > 0).all()


def test_accuracy_on_one_seed(sample, monkeypatch):
    monkeypatch.setattr(fb, "make_sample", lambda seed, out: sample)
    acc, nets = fb.accuracy([SEED], n_boot=5)
    assert set(zip(acc["data"], acc["model"])) == {("creators", "fitted"), ("weekly", "fitted"),
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
    summ = fb.summary(acc)
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
        got = fb.best_posts(values, fees, budget)
        assert float(got @ fees) <= budget + 1e-9
        best = max(
            (sum(v[i] for v, i in zip(values, combo)), combo)
            for combo in np.ndindex(*[len(v) for v in values])
            if float(np.array(combo) @ fees) <= budget + 1e-9
        )
        assert sum(v[i] for v, i in zip(values, got)) == pytest.approx(best[0])


def test_bayes_planner_knows_the_generator(sample):
    vb = fb.creator_bayes(sample, draws=2000)
    truth = sample.truth.set_index("name")
    assert set(vb) <= set(truth.index) and len(vb) >= 0.9 * (truth["kind"] == "creator").sum()
    for name, v in vb.items():
        posts = int(round(truth.loc[name, "max_spend"] / truth.loc[name, "unit_cost"]))
        assert len(v) == posts + 1 and v[0] == 0 and np.all(np.diff(v) > 0)
    score = fb.bayes_score(sample, draws=2000)
    # the oracle's values are close to the truth and its plans near the best
    assert score["error"] < 0.12
    for m in fb.BUDGETS:
        assert -1e-9 <= score[f"regret_{m:g}x"] < 0.08


def _simulated_band(curves: pd.DataFrame, x: np.ndarray, rho: float, n: int = 200_000) -> np.ndarray:
    """P10, P50, P90 of the plan's total by simulation of the same model (the reference)."""
    r = response(curves, x)
    beta = curves["beta"].to_numpy(dtype=float)
    p10, p90 = curves["beta_p10"].to_numpy(dtype=float), curves["beta_p90"].to_numpy(dtype=float)
    sd = np.log(p90 / p10) / (2 * 1.2815515655446004)
    mid = 0.5 * np.log(p10 * p90) - np.log(beta)
    groups = curves["source"].to_numpy() if "source" in curves else np.zeros(len(curves))
    _, gid = np.unique(groups, return_inverse=True)
    rng = np.random.default_rng(5)
    z = np.sqrt(rho) * rng.standard_normal((n, gid.max() + 1))[:, gid] + np.sqrt(1 - rho) * rng.standard_normal((n, len(r)))
    return np.quantile((np.exp(mid + sd * z) * r).sum(axis=1), [0.1, 0.5, 0.9])


def test_plan_interval_is_the_simulated_band():
    rng = np.random.default_rng(11)
    for n, widest, rho in ((6, 0.5, 0.1), (60, 0.3, 0.1), (300, 0.6, 0.25), (66, 0.5, 1.0), (3, 0.2, 0.0)):
        beta = rng.uniform(1e3, 1e5, n)
        sd, skew = rng.uniform(0.05, widest, n), rng.uniform(-0.1, 0.1, n)
        curves = pd.DataFrame({"name": [f"r{i}" for i in range(n)], "network": "N", "curve": "log", "beta": beta,
                               "k": rng.uniform(1e2, 1e4, n), "s": np.nan, "source": rng.choice(["a", "b"], n),
                               "beta_p10": beta * np.exp(skew - 1.2816 * sd), "beta_p90": beta * np.exp(skew + 1.2816 * sd)})
        x = rng.uniform(1e2, 1e4, n)
        b = plan_interval(curves, x, correlation=rho)
        np.testing.assert_allclose([b["p10"], b["p50"], b["p90"]], _simulated_band(curves, x, rho), rtol=0.01)
        assert b["expected"] == pytest.approx(response(curves, x).sum())


def test_plan_interval_brackets_the_expected_return():
    curves = pd.DataFrame({
        "name": list("abcd"), "network": ["N"] * 4, "curve": "hill", "beta": [100.0, 200.0, 300.0, 50.0],
        "k": [10.0, 20.0, 30.0, 5.0], "s": 1.2, "source": ["creator campaigns"] * 2 + ["marketing-mix"] * 2,
    })
    curves["beta_p10"] = curves["beta"] * 0.8
    curves["beta_p90"] = curves["beta"] * 1.25
    x = np.array([10.0, 15.0, 40.0, 5.0])
    b = plan_interval(curves, x)
    assert b["expected"] == pytest.approx(response(curves, x).sum())
    assert b["p10"] < b["p50"] < b["p90"]
    assert b["p50"] == pytest.approx(b["expected"], rel=0.03)
    # fully correlated rows (one source): the band is the rows' bands added up
    full = plan_interval(curves.drop(columns=["source"]), x, correlation=1.0)
    assert full["p10"] == pytest.approx(0.8 * b["expected"], rel=0.01)
    assert full["p90"] == pytest.approx(1.25 * b["expected"], rel=0.01)
    # independent rows: narrower
    ind = plan_interval(curves, x, correlation=0.0)
    assert ind["p90"] - ind["p10"] < b["p90"] - b["p10"] < full["p90"] - full["p10"]
    # sources are independent of each other
    one = plan_interval(curves.drop(columns=["source"]), x)
    assert b["p90"] - b["p10"] < one["p90"] - one["p10"]
    # certain curves: no band; and the result is a pure function of the inputs
    sure = plan_interval(curves.drop(columns=["beta_p10", "beta_p90"]), x)
    assert sure["p10"] == pytest.approx(sure["p90"]) == pytest.approx(sure["expected"])
    assert plan_interval(curves, x) == b


def test_the_plan_band_of_ten_thousand_rows():
    rng = np.random.default_rng(2)
    n = 10_000
    beta = rng.uniform(1e3, 1e5, n)
    curves = pd.DataFrame({"name": [f"r{i}" for i in range(n)], "network": "N", "curve": "log", "beta": beta,
                           "k": rng.uniform(1e2, 1e4, n), "s": np.nan, "beta_p10": beta * 0.7, "beta_p90": beta * 1.3})
    b = plan_interval(curves, rng.uniform(1e2, 1e4, n))
    assert b["p10"] < b["p50"] < b["p90"] and np.isfinite(b["p90"])


PYMC = fb.PEER_DATA / "pymc_marketing" / "mmm_example.csv"


@pytest.mark.skipif(not PYMC.exists(), reason="peer data not there")
def test_pymc_marketing_comparison():
    pm = fb.pymc_comparison(n_boot=0)
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
    monkeypatch.setattr(fb, "make_sample", lambda seed, out: sample)
    s = fb.speed(n_creators=100, seeds=(SEED, SEED), n_boot=5, regret=False)
    assert len(s) == 2 and (s["seconds"] > 0).all()
    assert s["what"].iloc[0].startswith("120 creators")  # two copies of the seed's 60, made unique
    assert "6 networks x 156 weeks" in s["what"].iloc[1]
