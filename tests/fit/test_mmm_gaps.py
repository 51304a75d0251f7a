"""Weeks a weekly table lacks: their spend is unknown, not 0, so the spend of the weeks around them carries over."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from planner.data.ingest import load
from planner.fit.pipeline import fit_curves

WEEKLY = Path(__file__).resolve().parents[2] / "sample_data" / "weekly_paid_media.xlsx"


@pytest.mark.parametrize("seed", [0, 2])
def test_a_table_missing_some_weeks_fits_the_curves_of_the_whole_table(tmp_path, seed):
    whole = fit_curves(load(WEEKLY), n_boot=0, seed=0)
    sheet = pd.read_excel(WEEKLY, engine="calamine")
    gaps = sheet.drop(index=np.random.default_rng(seed).choice(len(sheet), 16, replace=False))
    gaps.to_csv(tmp_path / "gaps.csv", index=False)
    ds = load(tmp_path / "gaps.csv")
    assert any("is missing from the table" in w.message for w in ds.warnings)
    fitted = fit_curves(ds, n_boot=0, seed=0).set_index("name").loc[whole["name"]].reset_index()
    at = whole["current_spend"].to_numpy(dtype=float)
    # read as weeks of no spend, the weeks after each gap lost their carry-over and the media 17-21 % of their return
    assert response(fitted, at).sum() == pytest.approx(response(whole, at).sum(), rel=0.10)
