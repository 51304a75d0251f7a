"""planner.curves.intervals: a plan's P10/P50/P90 is the band a simulation of the same model gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from planner.curves.intervals import multiplier_draws, plan_interval, total_band, variance_shares


def _simulated_band(curves: pd.DataFrame, x: np.ndarray, rho: float, n: int = 200_000) -> np.ndarray:
    """P10, P50, P90 of the plan's total by simulation of the same model (the reference): multipliers of mean 1."""
    r = response(curves, x)
    p10, p90 = curves["beta_p10"].to_numpy(dtype=float), curves["beta_p90"].to_numpy(dtype=float)
    sd = np.log(p90 / p10) / (2 * 1.2815515655446004)
    mid = -0.5 * sd**2
    groups = curves["source"].to_numpy() if "source" in curves else np.zeros(len(curves))
    _, gid = np.unique(groups, return_inverse=True)
    rng = np.random.default_rng(5)
    totals = []
    for _ in range(n // 10_000):  # in chunks: 200,000 draws of 300 rows at once would take gigabytes
        z = (np.sqrt(rho) * rng.standard_normal((10_000, gid.max() + 1))[:, gid]
             + np.sqrt(1 - rho) * rng.standard_normal((10_000, len(r))))
        totals.append((np.exp(mid + sd * z) * r).sum(axis=1))
    return np.quantile(np.concatenate(totals), [0.1, 0.5, 0.9])


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
    # the curves are expected values: the mean is their total, the median of a right-skewed total below it
    assert b["mean"] == b["expected"] and b["p50"] < b["mean"]
    assert b["p50"] == pytest.approx(b["expected"], rel=0.03)
    # fully correlated rows (one source): the band is the rows' bands added up, each multiplier of mean 1
    full = plan_interval(curves.drop(columns=["source"]), x, correlation=1.0)
    shift = np.exp(-0.5 * (np.log(1.25 / 0.8) / (2 * 1.2815515655446004)) ** 2)
    assert full["p10"] == pytest.approx(0.8 * shift * b["expected"], rel=1e-6)
    assert full["p90"] == pytest.approx(1.25 * shift * b["expected"], rel=1e-6)
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


def test_an_allowance_lowers_the_mean_and_moves_the_band_with_it():
    r, beta = np.array([100.0, 300.0]), np.array([1.0, 1.0])
    lo, hi, src = beta * 0.7, beta * 1.3, np.array(["a", "a"])
    plain = total_band(r, beta, lo, hi, src)
    less = total_band(r, beta, lo, hi, src, allowance=40.0)
    assert less["expected"] == plain["expected"] == 400.0
    assert less["mean"] == pytest.approx(360.0)
    for q in ("p10", "p50", "p90"):  # the spread relative to the mean is kept
        assert less[q] == pytest.approx(plain[q] * 0.9)
    gone = total_band(r, beta, lo, hi, src, allowance=500.0)  # nothing left to expect
    assert gone["p10"] == gone["p90"] == gone["mean"] == -100.0


def test_multiplier_draws_have_mean_one_the_band_spread_and_the_shared_part():
    beta = np.ones(4)
    lo, hi = np.array([0.8, 0.5, 1.0, np.nan]), np.array([1.25, 2.0, 1.0, np.nan])
    m = multiplier_draws(beta, lo, hi, np.array(["a", "a", "a", "b"]), 40_000, seed=3, correlation=0.5)
    assert m.shape == (40_000, 4)
    np.testing.assert_allclose(m[:, :2].mean(axis=0), 1.0, rtol=0.01)
    assert np.all(m[:, 2:] == 1.0)  # a band of no width, and none: certain
    sd = np.log(m[:, :2]).std(axis=0)
    np.testing.assert_allclose(sd, np.log([1.25 / 0.8, 4.0]) / (2 * 1.2815515655446004), rtol=0.02)
    assert np.corrcoef(np.log(m[:, 0]), np.log(m[:, 1]))[0, 1] == pytest.approx(0.5, abs=0.02)
    again = multiplier_draws(beta, lo, hi, np.array(["a", "a", "a", "b"]), 40_000, seed=3, correlation=0.5)
    assert np.array_equal(m, again)


def test_a_total_too_small_to_square_is_its_own_band():
    """Found by hypothesis through a plan over time of a budget of 2e-311 dollars: its square is 0."""
    band = total_band(np.array([1e-311, 1e-311]), np.ones(2), np.full(2, 0.5), np.full(2, 2.0), np.zeros(2))
    assert band["p10"] == band["p50"] == band["p90"] == band["mean"] == band["expected"] == 2e-311


def test_variance_shares_add_up_to_the_totals_variance_row_by_row():
    rng = np.random.default_rng(3)
    n = 40
    m = rng.uniform(100, 5_000, n)
    beta = rng.uniform(1e3, 1e4, n)
    p10, p90 = beta * rng.uniform(0.5, 0.95, n), beta * rng.uniform(1.05, 2.0, n)
    p10[3], p90[3] = np.nan, np.nan  # a row without a band: certain, no part
    groups = np.where(np.arange(n) < 25, "creator campaigns", "marketing-mix")
    rho = 0.15
    v = variance_shares(m, beta, p10, p90, groups, correlation=rho)
    # the exact double sum, by brute force
    sd = np.where(np.isfinite(p10), np.log(p90 / p10) / (2 * 1.2815515655446004), 0.0)
    same = groups[:, None] == groups[None, :]
    cross = np.where(same, np.expm1(rho * np.outer(sd, sd)), 0.0) * np.outer(m, m)
    exact = m**2 * (np.exp(sd**2) - np.exp(rho * sd**2)) + cross.sum(axis=1)
    np.testing.assert_allclose(v, exact, rtol=1e-10)
    assert v[3] == 0.0
    band = total_band(m, beta, p10, p90, groups, correlation=rho)
    s2 = np.log1p(v.sum() / m.sum() ** 2)  # the band is the lognormal of that variance
    assert band["p90"] / band["p10"] == pytest.approx(np.exp(2 * 1.2815515655446004 * np.sqrt(s2)))
    assert (variance_shares(m, beta, p10, p90, groups, correlation=0.0)
            == pytest.approx(m**2 * np.expm1(sd**2)))
