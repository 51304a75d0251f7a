"""planner.fit.mmm: the marketing-mix regression on simulated weekly data with a known truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import planner.fit.mmm_model as mmm_model
from planner.curves.forms import response
from planner.curves.season import multiplier
from planner.curves.table import validate_curves
from planner.fit.mmm import MMMError, fit_mmm
from planner.fit.mmm_rows import mmm_curve_rows, mmm_note
from planner.fit.pipeline import FitError, fit_curves
from planner.fit.table_rows import SOURCES
from planner.fit.weekly import adstock, fourier_pairs, weekly_steps
from tests.fit.fit_cases import FakeDataset

# weekly truth; beta is set so that the return per dollar at the mean spend is `roas`
TRUE = {
    "Alpha": dict(decay=0.2, k=1000.0, s=1.5, roas=2.5, mean=1000.0),
    "Beta": dict(decay=0.6, k=2000.0, s=1.0, roas=2.0, mean=1500.0),
    "Gamma": dict(decay=0.4, k=500.0, s=2.0, roas=3.0, mean=600.0),
}
for _p in TRUE.values():
    _p["beta"] = _p["roas"] * _p["mean"] * (1 + (_p["k"] / _p["mean"]) ** _p["s"])


def simulate(seed: int = 1, weeks: int = 156, noise: float = 0.03, wave: tuple[float, float] = (0.0, 0.0)):
    """Weekly spend in flights, sales = trend + season + media (the model's own form) + noise.

    ``wave``: the media effect times ``1 + wave[0] sin + wave[1] cos`` of the week's place in the year
    (planner.curves.season), a response that rises and falls with the seasons.
    """
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2023-01-02", periods=weeks, freq="7D")
    t = np.arange(weeks)
    rows, contrib = [], {}
    m = multiplier(wave[0], wave[1], (dates + pd.Timedelta(days=3)).to_numpy())
    for net, p in TRUE.items():
        on = np.ones(weeks, bool)
        i = 0
        while i < weeks:
            n = int(rng.integers(4, 10))
            on[i:i + n] = rng.random() < 0.75
            i += n
        x = p["mean"] * np.exp(rng.normal(0, 0.4, weeks)) * on
        x = np.round(x * p["mean"] / x.mean(), 2)
        a = adstock(x, p["decay"])
        contrib[net] = m * p["beta"] * a ** p["s"] / (a ** p["s"] + p["k"] ** p["s"])
        rows.append(pd.DataFrame({"date": dates, "network": net, "spend": x}))
    base = 8000 * (1 + 0.05 * t / 52) + 600 * np.sin(2 * np.pi * t / 52.18) + 300 * np.cos(4 * np.pi * t / 52.18)
    y = base + sum(contrib.values())
    y = y + rng.normal(0, noise * y.mean(), weeks)
    ds = FakeDataset("total", pd.concat(rows, ignore_index=True), pd.DataFrame({"date": dates, "outcome": y}))
    return ds, contrib


@pytest.fixture(scope="module")
def fitted():
    ds, contrib = simulate()
    return ds, contrib, fit_mmm(ds, n_boot=20, seed=0)


def test_adstock_is_normalised_geometric():
    const = adstock(np.full(30, 500.0), 0.6)
    np.testing.assert_allclose(const, 500.0)
    impulse = adstock(np.r_[1.0, np.zeros(9)], 0.5, x0=0.0)
    np.testing.assert_allclose(impulse, 0.5 * 0.5 ** np.arange(10))
    np.testing.assert_allclose(adstock(np.arange(5.0), 0.0), np.arange(5.0))


def test_mmm_recovers_decays_and_contributions(fitted):
    _, contrib, res = fitted
    p = res.params.set_index("network")
    for net, truth in TRUE.items():
        assert p.loc[net, "decay"] == pytest.approx(truth["decay"], abs=0.15), net
        assert p.loc[net, "contribution"] == pytest.approx(contrib[net].sum(), rel=0.15), net
    total = sum(c.sum() for c in contrib.values())
    assert p["contribution"].sum() == pytest.approx(total, rel=0.08)
    assert res.r2_holdout > 0.7 and res.r2_train > 0.85
    assert 0 < res.mape_holdout < 0.05


def test_decomposition_adds_up(fitted):
    ds, _, res = fitted
    d = res.decomposition
    assert list(d.columns) == ["date", "actual", "fitted", "baseline", "Alpha", "Beta", "Gamma"]
    np.testing.assert_allclose(d["fitted"], d["baseline"] + d[["Alpha", "Beta", "Gamma"]].sum(axis=1))
    np.testing.assert_allclose(d["actual"], ds.outcome["outcome"])
    assert (d[["Alpha", "Beta", "Gamma"]] >= 0).all().all()
    np.testing.assert_allclose(res.params.set_index("network").loc[["Alpha", "Beta", "Gamma"], "contribution"],
                               d[["Alpha", "Beta", "Gamma"]].sum())


def test_curve_rows_are_the_quarterly_long_run_response(fitted):
    ds, _, res = fitted
    rows = mmm_curve_rows(res)
    validate_curves(rows)
    p = res.params.set_index("network")
    r = rows.set_index("name")
    assert (r["source"] == SOURCES["mmm"]).all() and (r["curve"] == "hill").all()
    np.testing.assert_allclose(r["beta"], 13 * p["beta"])
    np.testing.assert_allclose(r["k"], 13 * p["k"])
    for net in TRUE:
        # a constant weekly spend w held for long: the model's weekly response, times 13
        w = 1200.0
        a = adstock(np.full(200, w), p.loc[net, "decay"], x0=0.0)
        beta, k, s = p.loc[net, ["beta", "k", "s"]]
        weekly = beta * a[-1] ** s / (a[-1] ** s + k ** s)
        assert response(r.loc[[net]].reset_index(), 13 * w)[0] == pytest.approx(13 * weekly, rel=1e-9)
        spend = ds.rows.loc[ds.rows["network"] == net, "spend"].to_numpy()
        assert r.loc[net, "current_spend"] == pytest.approx(spend[-13:].sum())
        roll = pd.Series(spend).rolling(13).sum().dropna()
        assert r.loc[net, "observed_min"] == pytest.approx(roll.min())
        assert r.loc[net, "observed_max"] == pytest.approx(roll.max())
        assert r.loc[net, "beta_p10"] < r.loc[net, "beta"] < r.loc[net, "beta_p90"]
    assert (r["r2"] == res.r2_holdout).all() and (r["n_obs"] == 156).all()


def test_fitted_curves_are_close_to_the_truth_where_spend_was_seen(fitted):
    _, _, res = fitted
    rows = mmm_curve_rows(res).set_index("name")
    for net, t in TRUE.items():
        x = np.linspace(rows.loc[net, "observed_min"], rows.loc[net, "observed_max"], 7)
        true = pd.DataFrame([dict(curve="hill", beta=13 * t["beta"], k=13 * t["k"], s=t["s"])] * 7)
        err = response(rows.loc[[net] * 7].reset_index(), x) / response(true, x) - 1
        assert np.median(np.abs(err)) < 0.15, (net, err)


def test_same_seed_same_model_other_seed_other_intervals_only(fitted):
    ds, _, res = fitted
    again = fit_mmm(ds, n_boot=20, seed=0)
    pd.testing.assert_frame_equal(res.params, again.params)
    pd.testing.assert_frame_equal(res.decomposition, again.decomposition)
    other = fit_mmm(ds, n_boot=20, seed=1)
    cols = ["network", "decay", "beta", "k", "s", "contribution"]
    pd.testing.assert_frame_equal(res.params[cols], other.params[cols])


def test_daily_rows_are_summed_to_weeks(fitted):
    ds, _, res = fitted
    days = []
    for off in range(7):  # the week's spend and sales spread evenly over its days
        days.append(ds.rows.assign(date=ds.rows["date"] + pd.Timedelta(days=off), spend=ds.rows["spend"] / 7))
    out = ds.outcome.assign(outcome=ds.outcome["outcome"] / 7)
    outs = [out.assign(date=out["date"] + pd.Timedelta(days=off)) for off in range(7)]
    daily = FakeDataset("total", pd.concat(days, ignore_index=True), pd.concat(outs, ignore_index=True))
    steps, per = weekly_steps(daily.rows["date"])
    assert per == 1.0 and (pd.DatetimeIndex(steps).day_of_week == 0).all()
    res_d = fit_mmm(daily, n_boot=0)
    np.testing.assert_allclose(res_d.params["decay"], res.params["decay"], atol=1e-6)
    np.testing.assert_allclose(res_d.params["contribution"], res.params["contribution"], rtol=1e-6)


def test_fit_curves_uses_the_mmm_for_total_data(fitted):
    ds, _, res = fitted
    table = fit_curves(ds, n_boot=20, seed=0)
    expected = validate_curves(mmm_curve_rows(res))
    pd.testing.assert_frame_equal(table, expected)


def test_too_little_data_is_a_clear_error():
    ds, _ = simulate(weeks=20)
    with pytest.raises(MMMError, match="at least 26"):
        fit_mmm(ds)
    with pytest.raises(FitError, match="at least 26"):
        fit_curves(ds)
    with pytest.raises(MMMError, match="total outcome"):
        fit_mmm(FakeDataset("total", ds.rows, None))


def test_fourier_pairs_grow_with_the_data():
    assert [fourier_pairs(w) for w in (30, 52, 104, 156, 520)] == [0, 2, 4, 6, 6]


def test_a_network_the_data_cannot_tell_apart_is_said_to_be_so(fitted):
    ds, _, res = fitted
    p = res.params.set_index("network")
    assert ((p["prior_weight"] >= 0) & (p["prior_weight"] <= 1)).all()
    assert (p["prior_weight"] < 0.3).all(), p["prior_weight"]  # the simulated networks are well identified
    rows = mmm_curve_rows(res).set_index("name")
    assert rows["pooling_note"].str.startswith("Read from the weekly data").all()
    # add a network whose spend moves nothing: its return is the prior's, and the note says so
    rng = np.random.default_rng(5)
    dates = ds.outcome["date"]
    idle = pd.DataFrame({"date": dates, "network": "Idle", "spend": np.round(300 * np.exp(rng.normal(0, 0.5, len(dates))), 2)})
    more = FakeDataset("total", pd.concat([ds.rows, idle], ignore_index=True), ds.outcome)
    res2 = fit_mmm(more, n_boot=0)
    p2 = res2.params.set_index("network")
    assert p2.loc["Idle", "prior_weight"] > 0.5
    assert p2.loc["Idle", "share"] < 0.06
    note = mmm_curve_rows(res2).set_index("name").loc["Idle", "pooling_note"]
    assert note.startswith("The weekly data hardly tell Idle's effect apart from baseline sales")
    # the others keep their contributions
    np.testing.assert_allclose(p2.loc[list(TRUE), "contribution"], p.loc[list(TRUE), "contribution"], rtol=0.1)


def test_mmm_note_wording():
    assert mmm_note("X", 0.9).startswith("The weekly data hardly tell X's effect apart from baseline sales: "
                                         "its return per dollar is 90% the other networks' level and only 10%")
    assert mmm_note("Pinterest", 0.3).startswith("Pulled 30% toward the other networks' return per dollar")
    assert mmm_note("Instagram", 0.05) == "Read from the weekly data (pulled 5% toward the other networks' return per dollar)."


def test_network_shapes_are_pooled_toward_each_other():
    ds, _ = simulate(seed=2)
    pooled = fit_mmm(ds, n_boot=0).params.set_index("network")
    saved = (mmm_model.TAU_S, mmm_model.TAU_LOGK)
    try:
        mmm_model.TAU_S = mmm_model.TAU_LOGK = 1e6  # no pooling of shapes
        free = fit_mmm(ds, n_boot=0).params.set_index("network")
    finally:
        mmm_model.TAU_S, mmm_model.TAU_LOGK = saved
    spread = lambda p: float(np.std(p["s"])) + float(np.std(np.log(p["k"] / ds.rows.groupby("network")["spend"].mean())))  # noqa: E731
    assert spread(pooled) < spread(free)
