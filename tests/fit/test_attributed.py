"""planner.fit.attributed: each network's paid media fitted per week and scaled to the planning period."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from planner.fit.pipeline import fit_curves
from planner.fit.table_rows import SOURCES
from tests.fit.fit_cases import PAID, FakeDataset, simulate_paid


def test_attributed_paid_media_is_fitted_per_week_and_scaled_to_the_quarter(paid):
    rows, table = paid
    t = table.set_index("name")
    assert set(t.index) == set(PAID)
    assert (t["source"] == SOURCES["paid"]).all() and (t["pooled_weight"] == 0).all()
    assert (t["n_obs"] == 104).all()
    for net, (form, beta, k, s) in PAID.items():
        weeks = pd.Grouper(key="date", freq="W-MON", label="left", closed="left")
        weekly = rows[rows["network"] == net].groupby(weeks)["spend"].sum()
        x = 13 * np.quantile(weekly, [0.1, 0.5, 0.9])
        true = 13 * response(pd.DataFrame([dict(curve=form, beta=beta, k=k, s=s)] * 3), x / 13)
        fitted = response(t.loc[[net] * 3].reset_index(), x)
        np.testing.assert_allclose(fitted, true, rtol=0.06, err_msg=net)
        np.testing.assert_allclose(t.loc[net, "current_spend"], weekly.iloc[-13:].sum(), rtol=1e-9)
        assert t.loc[net, "observed_max"] <= 13 * weekly.max() + 1e-6
        assert t.loc[net, "beta_p10"] < t.loc[net, "beta"] < t.loc[net, "beta_p90"]


def test_noise_free_paid_media_recovers_form_and_parameters():
    rows = simulate_paid(seed=1, noise=0.0)
    t = fit_curves(FakeDataset("attributed", rows), n_boot=0).set_index("name")
    for net, (form, beta, k, s) in PAID.items():
        assert t.loc[net, "curve"] == form, net
        np.testing.assert_allclose(t.loc[net, ["beta", "k"]].to_numpy(float), [13 * beta, 13 * k], rtol=0.01)
        if form == "hill":
            assert t.loc[net, "s"] == pytest.approx(s, rel=0.01)


def test_period_weeks_rescales_every_curve(paid):
    rows, table = paid
    half_year = fit_curves(FakeDataset("attributed", rows), period_weeks=26, n_boot=50, seed=4)
    a, b = table.set_index("name"), half_year.set_index("name")
    np.testing.assert_allclose(b["beta"], 2 * a["beta"], rtol=1e-9)
    np.testing.assert_allclose(b["k"], 2 * a["k"], rtol=1e-9)
