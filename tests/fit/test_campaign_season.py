"""A yearly wave in what creators' campaigns return: read from the campaigns, taken out of the curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.season import peak
from planner.fit.budget import NOTES
from planner.fit.campaign_season import campaign_wave
from planner.fit.pipeline import fit_curves
from tests.fit.fit_cases import FakeDataset, simulate_creators


def _campaigns(seed: int, amplitude: float, creators: int = 40, each: int = 5):
    rng = np.random.default_rng(seed)
    cid = np.repeat(np.arange(creators), each)
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, len(cid)), unit="D")
    t = 2 * np.pi * (dates.day_of_year.to_numpy() - 1) / 365.25
    log_x = np.log(rng.uniform(200, 5000, len(cid)))
    level = rng.normal(0, 0.5, creators)[cid]
    log_y = level + 0.7 * log_x + amplitude * np.cos(t - 2 * np.pi * 319 / 365.25) + rng.normal(0, 0.2, len(cid))
    return log_y, log_x, cid, dates


def test_the_wave_is_read_from_within_each_creators_campaigns():
    wave = campaign_wave(*_campaigns(0, 0.3))
    assert wave is not None and wave.p_value < 1e-6 and wave.campaigns == 200
    assert np.hypot(wave.a, wave.b) == pytest.approx(0.3, abs=0.06)
    assert abs(wave.peak_day() - 320) <= 12  # mid-November
    best, worst = wave.swing()
    assert best > 1.25 and worst < 0.8
    # the figure the plans count (the curve table's first harmonic), so the notes and the quarter's text agree
    assert best - 1.0 == pytest.approx(np.hypot(*wave.season_terms())) == pytest.approx(1.0 - worst)
    # around the year's mean: the multipliers of every day of a year average 1
    days = pd.date_range("2025-01-01", "2025-12-31")
    assert np.exp(wave.log_multiplier(days)).mean() == pytest.approx(1.0, abs=0.002)


def test_no_wave_where_the_data_show_none_or_cannot():
    kept = [campaign_wave(*_campaigns(seed, 0.0)) is not None for seed in range(40)]
    assert sum(kept) <= 1  # an F test at 0.1 %
    log_y, log_x, cid, dates = _campaigns(1, 0.3, creators=5, each=2)  # 10 campaigns: too few to say
    assert campaign_wave(log_y, log_x, cid, dates) is None
    one_each = np.arange(50)  # one campaign per creator: nothing within a creator to compare
    assert campaign_wave(np.zeros(50), np.zeros(50), one_each, pd.date_range("2024-01-01", periods=50, freq="7D")) is None


def test_holiday_campaigns_do_not_make_a_creator_look_better_than_it_is():
    rows, truth = simulate_creators(seed=4, per_network=14)
    # spread the campaigns over two years, then give the holidays +30 % and spring -30 %
    rng = np.random.default_rng(4)
    rows["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, len(rows)), unit="D")
    day = rows["date"].dt.day_of_year.to_numpy(dtype=float)
    seasonal = rows.assign(outcome=rows["outcome"] * (1 + 0.3 * np.cos(2 * np.pi * (day - 320) / 365.25)))
    plain = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    fitted = fit_curves(FakeDataset("attributed", seasonal), n_boot=0)
    note = fitted.attrs[NOTES]
    assert len(note) == 1 and "Campaigns return most around" in note[0] and " Nov " in note[0], note
    assert "average quarter's" in note[0] and NOTES not in plain.attrs
    # the wave goes into the table, for a plan over a horizon (planner.curves.season): peaking in mid-November
    assert {"season_sin", "season_cos"} <= set(fitted.columns) and "season_sin" not in plain.columns
    amp, top = peak(float(fitted["season_sin"].iloc[0]), float(fitted["season_cos"].iloc[0]))
    assert 0.2 < amp < 0.4 and top.month == 11
    # each creator is scored against its campaigns as they were, at their time of year: as well as without a wave
    assert fitted["r2"].median() > plain["r2"].median() - 0.05
    # each creator's level is near what the same campaigns give without the wave
    ratio = fitted.set_index("name")["beta"] / plain.set_index("name")["beta"]
    assert np.median(np.abs(np.log(ratio))) < 0.06
