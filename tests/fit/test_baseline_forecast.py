"""The weekly model's baseline carried ahead of the data: the same as fitted inside it, its seasons going on, its
trend held, its controls left out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.fit.mmm import fit_mmm
from tests.fit.test_mmm import simulate


@pytest.fixture(scope="module")
def model():
    return fit_mmm(simulate(1)[0], n_boot=0, seed=0)


def test_inside_the_data_it_is_the_decompositions_baseline(model):
    dec = model.decomposition
    got = model.baseline.per_day(dec["date"].to_numpy()) * 7 * model.weeks_per_step
    assert got == pytest.approx(dec["baseline"].to_numpy(), rel=1e-9)


def test_ahead_of_the_data_the_seasons_go_on_and_the_trend_is_held(model):
    last = pd.Timestamp(model.decomposition["date"].iloc[-1])
    days = pd.date_range(last + pd.Timedelta(days=400), periods=365, freq="D")
    a = model.baseline.per_day(days.to_numpy())
    b = model.baseline.per_day((days + pd.Timedelta(days=365.25 * 2)).round("D").to_numpy())
    assert a == pytest.approx(b, rel=2e-3)  # two years on: the same seasons, no trend
    assert a.max() > 1.05 * a.min()  # and there are seasons (the simulated sales have them)
    # the truth's baseline is 8,000 a week with a 5 % yearly trend: held at the data's end, about 8,000 x 1.15
    assert 7 * a.mean() == pytest.approx(8_000 * (1 + 0.05 * 155 / 52), rel=0.1)


def test_spans_add_up_their_days(model):
    got = model.baseline.over(["2027-01-01", "2027-02-01"], ["2027-01-31", "2027-02-28"])
    days = pd.date_range("2027-01-01", "2027-02-28").to_numpy()
    per = model.baseline.per_day(days)
    assert got == pytest.approx([per[:31].sum(), per[31:].sum()])
    assert np.all(got > 0)
