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


def test_weeks_of_daily_sales_that_lack_days_are_unknown_not_low(tmp_path):
    from planner.data.sales_file import read_sales
    from planner.data.spend_join import join_spend
    from planner.fit.mmm_inputs import wide
    from tests.data.test_spend_join import exports_and_sales

    files, shop, weekly = exports_and_sales(tmp_path)
    sales = pd.read_csv(shop)
    sales = sales[(sales["Day"] >= "2023-01-04") & (sales["Day"] != "2024-06-12")]  # from a Wednesday, a day lost
    sales.to_csv(shop, index=False)
    ds = join_spend([load(p, spend_only=True) for p in files], read_sales(shop))
    spend, y, _, _ = wide(ds)
    assert len(y) == len(weekly) and pd.Timestamp(y.index[0]) == pd.Timestamp("2023-01-02")
    unknown = [str(pd.Timestamp(t).date()) for t in y.index[y.isna()]]
    assert unknown == ["2023-01-02", "2024-06-10"]  # the first week (5 days) and the week of the lost day
    whole = y.notna().to_numpy()
    assert np.allclose(y[whole].to_numpy(), weekly["Total sales"].to_numpy()[whole], atol=0.01)
    assert spend.loc[pd.Timestamp("2023-01-02")].sum() > 0  # its spend stays, for the carry-over into the next
