"""Experiments calibrate the marketing-mix model: each measured lift is evidence on the model's lift over its window."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.data.experiments import ExperimentError, check_experiments
from planner.fit.mmm import MMMError, fit_mmm
from planner.fit.pipeline import FitError, fit_curves
from planner.fit.weekly import adstock
from tests.fit.test_mmm import TRUE, simulate

WINDOWS = {"Alpha": (100, 107), "Beta": (60, 67), "Gamma": (120, 127)}


def true_lift(ds, net: str, t0: int, t1: int) -> float:
    """The truth's outcome in weeks t0..t1 minus that with the network dark in them (carry-over kept)."""
    p = TRUE[net]
    x = ds.rows[ds.rows["network"] == net]["spend"].to_numpy()
    dark = x.copy()
    dark[t0:t1 + 1] = 0.0

    def f(a):
        return p["beta"] * a ** p["s"] / (a ** p["s"] + p["k"] ** p["s"])

    return float(np.sum(f(adstock(x, p["decay"]))[t0:t1 + 1] - f(adstock(dark, p["decay"]))[t0:t1 + 1]))


def experiments_of(ds) -> pd.DataFrame:
    dates = ds.outcome["date"]
    rows = [(net, dates[t0], dates[t1] + pd.Timedelta(days=6), true_lift(ds, net, t0, t1),
             0.05 * true_lift(ds, net, t0, t1) + 50.0) for net, (t0, t1) in WINDOWS.items()]
    return pd.DataFrame(rows, columns=["name", "start", "end", "lift", "lift_se"])


@pytest.fixture(scope="module")
def runs():
    out = []
    for seed in (1, 4, 7):
        ds, contrib = simulate(seed, noise=0.08)
        ex = experiments_of(ds)
        out.append((contrib, ex, fit_mmm(ds, n_boot=0), fit_mmm(ds, n_boot=0, experiments=ex)))
    return out


def test_the_model_meets_the_measured_lifts(runs):
    for _, ex, _, with_ in runs:
        t = with_.experiments
        assert list(t["name"]) == list(ex["name"])
        off_before = np.abs(t["model_without"] - t["lift"]) / t["lift_se"]
        off_after = np.abs(t["model_with"] - t["lift"]) / t["lift_se"]
        assert off_after.mean() < off_before.mean()
        assert (off_after < 2.5).all()


def test_experiments_bring_the_contributions_closer_to_the_truth(runs):
    def error(contrib, m):
        c = m.params.set_index("network")["contribution"]
        return np.mean([abs(c[n] / contrib[n].sum() - 1) for n in TRUE])

    before = np.mean([error(contrib, a) for contrib, _, a, _ in runs])
    after = np.mean([error(contrib, b) for contrib, _, _, b in runs])
    assert after < 0.8 * before, (before, after)


def test_an_experiment_on_an_unknown_network_or_outside_the_data_is_a_sentence():
    ds, _ = simulate(1)
    ex = experiments_of(ds)
    with pytest.raises(MMMError, match="names no network of the marketing-mix model"):
        fit_mmm(ds, n_boot=0, experiments=ex.assign(name=["Delta", "Beta", "Gamma"]))
    with pytest.raises(MMMError, match="falls outside the data's weeks"):
        fit_mmm(ds, n_boot=0, experiments=ex.assign(start=pd.Timestamp("2030-01-01"), end=pd.Timestamp("2030-02-01")))
    with pytest.raises(FitError, match="The experiment on Delta names no network of a marketing-mix table"):
        fit_curves([ds], n_boot=0, experiments=ex.assign(name=["Delta", "Beta", "Gamma"]))


def test_the_experiments_table_is_checked_row_by_row():
    raw = pd.DataFrame({"Network": ["TV", "Search"], "Start date": ["2026-01-05", "2026-02-02"],
                        "End date": ["2026-01-25", "2026-02-22"], "Lift": [12000, 3000], "Lift SE": [1500, 800]})
    t = check_experiments(raw, "lifts.csv")
    assert list(t.columns) == ["name", "start", "end", "lift", "lift_se"] and t["lift"].tolist() == [12000.0, 3000.0]
    with pytest.raises(ExperimentError, match="lifts.csv, row 3, column lift_se"):
        check_experiments(raw.assign(**{"Lift SE": [1500, 0]}), "lifts.csv")
    with pytest.raises(ExperimentError, match="row 2: the experiment ends"):
        check_experiments(raw.assign(**{"End date": ["2025-12-01", "2026-02-22"]}), "lifts.csv")
    with pytest.raises(ExperimentError, match="has no column lift_se"):
        check_experiments(raw.drop(columns=["Lift SE"]), "lifts.csv")



def test_each_bootstrap_refit_redraws_the_lift_tests_within_their_errors(monkeypatch):
    """A lift test is a measurement: the refits that make the band see it redrawn, not fixed at its value."""
    from planner.fit import mmm_model

    ds, _ = simulate(4, noise=0.08)
    ex = experiments_of(ds)
    seen = []
    real = mmm_model.Model.fit

    def fit(self, th, mask, y, sigma, *args, **kwargs):
        seen.append([e[3] for e in self.experiments])
        return real(self, th, mask, y, sigma, *args, **kwargs)

    monkeypatch.setattr(mmm_model.Model, "fit", fit)
    res = fit_mmm(ds, n_boot=40, experiments=ex)
    refits = np.array(seen[-40:])  # the bootstrap's, after the fits on the data
    measured = np.array(seen[-41])  # the last fit on the data: the lifts as measured (in the model's units)
    lift = ex["lift"].to_numpy()
    scale = float(np.median(lift[lift != 0] / measured[lift != 0]))  # the model's units: the outcome over a scale
    se = ex["lift_se"].to_numpy() / scale
    spread = refits.std(axis=0, ddof=1) / se
    assert np.all((spread > 0.6) & (spread < 1.5)), spread  # redrawn with each test's own error
    assert np.all(np.abs(refits.mean(axis=0) - measured) < 3 * se / np.sqrt(40))  # around what was measured
    np.testing.assert_allclose(res.experiments["lift"], ex["lift"])  # the fit itself keeps the measured lifts


def test_a_yearly_wave_of_the_response_scales_the_modelled_lift_as_it_scales_the_weeks():
    """Where the fit found a yearly wave of the media effect, a lift test in a strong week is modelled strong too."""
    from planner.fit.mmm_inputs import model_lifts
    from planner.fit.mmm_model import Model

    rng = np.random.default_rng(3)
    T = 60
    X = rng.uniform(0.5, 1.5, size=(T, 2))
    dark = X.copy()
    dark[10:14, 0] = 0.0  # the first experiment's network, dark in its window
    models = [Model(x, np.ones(T), np.ones((T, 1)), X[:4].mean(axis=0), np.zeros(2)) for x in (X, dark)]
    model = models[0]
    model.set_experiments([(0, 10, 13, 1.0, 0.1, 1.0), (1, 40, 45, 1.0, 0.1, 1.0)])
    th = np.zeros(model.n_par)
    th[model.sl_beta], th[model.sl_d], th[model.sl_k], th[model.sl_s] = [0.4, 0.2], [0.3, 0.5], np.log([1.0, 0.8]), [1.0, 1.5]
    flat = model_lifts(model, th)
    wave = np.ones(T)
    wave[10:14], wave[40:46] = 1.3, 0.8
    for m in models:
        m.set_media_scale(wave)
    np.testing.assert_allclose(model_lifts(model, th), flat * [1.3, 0.8], rtol=1e-12)
    # the lift is the weeks' own contributions with the window's spend less those without it
    with_spend, without = (m.parts(th)[1][10:14, 0].sum() for m in models)
    assert model_lifts(model, th)[0] == pytest.approx(with_spend - without, rel=1e-9)


def test_a_heavy_up_is_the_lift_of_the_money_it_moved():
    """A test that moved part of the window's spend is modelled as the weeks with that share taken out."""
    from planner.fit.mmm_inputs import model_lifts
    from planner.fit.mmm_model import Model

    rng = np.random.default_rng(5)
    T = 40
    X = rng.uniform(0.5, 1.5, size=(T, 1))
    less = X.copy()
    less[20:24, 0] *= 0.6  # the weeks without the 40 % the test added
    dark = X.copy()
    dark[20:24, 0] = 0.0
    models = [Model(x, np.ones(T), np.ones((T, 1)), X[:4].mean(axis=0), np.zeros(1)) for x in (X, less, dark)]
    th = np.zeros(models[0].n_par)
    th[models[0].sl_beta], th[models[0].sl_d], th[models[0].sl_k], th[models[0].sl_s] = 0.5, 0.4, 0.0, 1.6
    models[0].set_experiments([(0, 20, 23, 1.0, 0.1, 0.4), (0, 20, 23, 1.0, 0.1, 1.0)])
    heavy, holdout = model_lifts(models[0], th)
    full, without, none = (m.parts(th)[1][20:24, 0].sum() for m in models)
    assert heavy == pytest.approx(full - without, rel=1e-9)
    assert holdout == pytest.approx(full - none, rel=1e-9)
    assert 0 < heavy < 0.4 * holdout  # an S-curve past its bend: the last 40 % of the money earns less than 40 %


def test_heavy_up_tests_calibrate_the_model_and_are_checked():
    ds, _ = simulate(4, noise=0.08)
    spend = ds.rows.pivot_table(index="date", columns="network", values="spend", aggfunc="sum")
    dates = ds.outcome["date"]
    rows = []
    for net in WINDOWS:  # the truth's lift of half the spend of 8 weeks where the network spends every week
        p = TRUE[net]
        x = spend[net].to_numpy()
        t0 = next(t for t in range(40, len(x) - 8) if (x[t:t + 8] > 0).all())
        t1 = t0 + 7
        cut = x.copy()
        cut[t0:t1 + 1] *= 0.5

        def f(a, p=p):
            return p["beta"] * a ** p["s"] / (a ** p["s"] + p["k"] ** p["s"])

        lift = float(np.sum(f(adstock(x, p["decay"]))[t0:t1 + 1] - f(adstock(cut, p["decay"]))[t0:t1 + 1]))
        rows.append((net, dates[t0], dates[t1] + pd.Timedelta(days=6), lift, 0.05 * lift + 20.0,
                     0.5 * float(x[t0:t1 + 1].sum())))
    ex = pd.DataFrame(rows, columns=["name", "start", "end", "lift", "lift_se", "spend_tested"])
    t = fit_mmm(ds, n_boot=0, experiments=check_experiments(ex)).experiments
    assert t["spend_tested"].tolist() == pytest.approx(ex["spend_tested"].tolist())
    off = np.abs(t["model_with"] - t["lift"]) / t["lift_se"]
    assert (off < 2.5).all() and off.mean() < (np.abs(t["model_without"] - t["lift"]) / t["lift_se"]).mean() + 0.5
    # more money than the window spent is a sentence naming the test and the money
    with pytest.raises(MMMError, match=r"The experiment on Alpha \(.*\) moved \$.*, more than the \$.* the data shows "
                                       r"Alpha spent in those weeks"):
        fit_mmm(ds, n_boot=0, experiments=check_experiments(ex.assign(spend_tested=ex["spend_tested"] * 3)))


def test_the_spend_tested_column_is_optional_and_checked():
    raw = pd.DataFrame({"Network": ["TV", "Search"], "Start date": ["2026-01-05", "2026-02-02"],
                        "End date": ["2026-01-25", "2026-02-22"], "Lift": [12000, 3000], "Lift SE": [1500, 800],
                        "Incremental spend": [None, 20000]})
    t = check_experiments(raw, "lifts.csv")
    assert list(t.columns) == ["name", "start", "end", "lift", "lift_se", "spend_tested"]
    assert np.isnan(t["spend_tested"].iloc[0]) and t["spend_tested"].iloc[1] == 20000.0  # blank: a holdout
    with pytest.raises(ExperimentError, match="lifts.csv, row 3, column spend_tested: the money the test moved must be "
                                              "a number above 0"):
        check_experiments(raw.assign(**{"Incremental spend": ["", "lots"]}), "lifts.csv")
    assert "spend_tested" not in check_experiments(raw.drop(columns=["Incremental spend"]), "lifts.csv").columns
