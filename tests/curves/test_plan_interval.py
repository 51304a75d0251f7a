"""planner.curves.intervals: a plan's P10/P50/P90 is the band a simulation of the same model gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from planner.curves.intervals import plan_interval


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
