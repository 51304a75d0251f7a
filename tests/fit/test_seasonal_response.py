"""A yearly wave in what paid media earns: found where the weekly data hold one, not where they do not (the
generator's and five public files), and carried into the curve table (the command line's fit and plan over time:
tests/cli/test_horizon_cli.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planner.fit.mmm import fit_mmm
from planner.fit.mmm_rows import mmm_curve_rows
from planner.fit.seasonal_response import MAX_WAVE
from tests.fit.test_mmm import simulate

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT.parent / "shared" / "peer_data"


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_no_wave_is_found_where_the_media_effect_has_none(seed):
    m = fit_mmm(simulate(seed)[0], n_boot=0, seed=0)
    assert not m.season.supported and m.season.reason == "weak"
    assert m.season.sin == 0 and m.season.cos == 0
    assert "season_sin" not in mmm_curve_rows(m).columns


@pytest.mark.parametrize(("wave", "seed"), [((0.4, 0.0), 1), ((0.4, 0.0), 2), ((0.0, -0.35), 1), ((0.25, 0.25), 2)])
def test_a_wave_in_the_media_effect_is_found_with_its_sign_and_size(wave, seed):
    m = fit_mmm(simulate(seed, wave=wave)[0], n_boot=0, seed=0)
    s = m.season
    assert s.supported and s.reason == "found"
    got, true = np.array([s.sin, s.cos]), np.array(wave)
    assert got @ true > 0.9 * np.linalg.norm(got) * np.linalg.norm(true)  # the same season
    # refitted with the wave, the estimate is near the truth (the first fit's alone was 20 % low)
    assert 0.75 * np.linalg.norm(true) <= np.linalg.norm(got) <= min(1.25 * np.linalg.norm(true), MAX_WAVE)
    rows = mmm_curve_rows(m)
    assert (rows["season_sin"] == s.sin).all() and (rows["season_cos"] == s.cos).all()


def test_under_a_year_of_weeks_nothing_is_claimed():
    m = fit_mmm(simulate(1, weeks=45, wave=(0.5, 0.0))[0], n_boot=0, seed=0)
    assert not m.season.supported and m.season.reason == "short"


@pytest.mark.parametrize("name", ["pymc_marketing/mmm_example.csv", "pymc_marketing/media_tvp_data.csv",
                                  "robyn/dt_simulated_weekly.csv", "meridian/national_media.csv",
                                  "pymc_marketing/case_study_data.csv"])
def test_no_wave_is_claimed_on_public_files_whose_media_effect_has_no_yearly_one(name):
    """None of these was made with a yearly wave in the media effect (media_tvp_data's effect drifts, but not
    with the seasons: a yearly wave explains 2 % of its latent multiplier)."""
    path = PEER / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    from planner.data.ingest import load

    ds = load(path)
    ds = ds[0] if isinstance(ds, (list, tuple)) else ds
    m = fit_mmm(ds, n_boot=0, seed=0)
    assert not m.season.supported, (m.season.chi2, m.season.sin, m.season.cos)
