"""The curve table contract: validation messages name row and column; files round-trip; text stays text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.curves.files import read_curves, write_curves
from planner.curves.table import CurveTableError, validate_curves

GOOD = pd.DataFrame({
    "name": ["Instagram", "TikTok/@a", "=HYPERLINK(\"x\")"],
    "network": ["Instagram", "TikTok", "X"],
    "curve": ["hill", "log", "linear"],
    "beta": [1000.0, 500.0, 1.5],
    "k": [100.0, 20.0, np.nan],
    "s": [1.8, np.nan, np.nan],
    "max_spend": [np.nan, np.nan, 500.0],
    "unit_cost": [np.nan, 250.0, np.nan],
    "r2": [0.9, 0.8, 0.7],
})


def test_defaults_and_extra_columns_kept():
    df = validate_curves(GOOD)
    assert df["min_spend"].tolist() == [0.0, 0.0, 0.0]
    assert np.isinf(df["max_spend"].iloc[0])
    assert "r2" in df.columns and "current_spend" in df.columns


@pytest.mark.parametrize(
    "change,pattern",
    [
        ({"curve": ["hill", "cubic", "linear"]}, r"row 3, column 'curve'"),
        ({"k": [100.0, -1.0, np.nan]}, r"row 3 \(TikTok/@a\), column 'k'"),
        ({"max_spend": [np.nan, np.nan, np.nan]}, r"row 4 .* linear and needs a max_spend"),
        ({"beta": [1000.0, "lots", 1.5]}, r"row 3, column 'beta' holds 'lots'"),
        ({"name": ["a", "a", "b"]}, r"row 3, column 'name': 'a' appears twice"),
        ({"min_spend": [10.0, 0.0, 600.0]}, r"row 4 .* max_spend 500.00 is below min_spend 600.00"),
    ],
    ids=["unknown-form", "negative-k", "linear-unbounded", "text-beta", "duplicate-name", "min-above-max"],
)
def test_errors_name_row_and_column(change, pattern):
    with pytest.raises(CurveTableError, match=pattern):
        validate_curves(GOOD.assign(**change))


def test_missing_columns():
    with pytest.raises(CurveTableError, match="beta"):
        validate_curves(GOOD.drop(columns=["beta"]))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip_and_text_stays_text(tmp_path, suffix):
    path = write_curves(validate_curves(GOOD), tmp_path / f"curves{suffix}")
    back = read_curves(path)
    assert back["name"].tolist() == GOOD["name"].tolist()
    assert back["beta"].tolist() == GOOD["beta"].tolist()
    if suffix == ".xlsx":
        cell = load_workbook(path)["Curves"]["A4"]
        assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    else:
        assert "'=HYPERLINK" in path.read_text()


def test_unreadable_file_is_one_sentence(tmp_path):
    bad = tmp_path / "curves.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CurveTableError, match="could not be read"):
        read_curves(bad)
    with pytest.raises(CurveTableError, match="does not exist"):
        read_curves(tmp_path / "nope.csv")
    # a binary file where a curve table goes (the app's saved fit is parquet): said so, and what to give instead
    parquet = tmp_path / "sample_fit.parquet"
    GOOD.to_parquet(parquet)
    with pytest.raises(CurveTableError, match=r"sample_fit.parquet is not a CSV file or an Excel workbook \(.xlsx\).*"
                                              r"`fit --out curves.csv`"):
        read_curves(parquet)


def test_text_is_cleaned_and_the_input_left_as_it_was():
    messy = GOOD.rename(columns={"name": " Name ", "curve": "Curve"}).assign(
        **{" Name ": [" Instagram ", "TikTok/@a", "x"], "Curve": ["Hill ", "LOG", "linear"],
           "network": pd.array(["Instagram", None, "X"], dtype="str")})
    before = messy.copy()
    df = validate_curves(messy.set_axis([5, 7, 9]))
    pd.testing.assert_frame_equal(messy, before)
    assert df["name"].tolist() == ["Instagram", "TikTok/@a", "x"]
    assert df["curve"].tolist() == ["hill", "log", "linear"]
    assert df["network"].isna().tolist() == [False, True, False]  # a missing network stays missing, as before
    assert list(df.index) == [0, 1, 2]
    assert list(df.columns)[: len(GOOD.columns)] == list(GOOD.columns)  # the file's order, then the added ones
    assert df["r2"].dtype == GOOD["r2"].dtype and df["beta"].dtype == np.float64


def test_numbers_as_text_and_nullable_integers_are_read():
    df = validate_curves(GOOD.assign(beta=["1000", " 500", "1.5"], unit_cost=pd.array([None, 250, None], "Int64")))
    assert df["unit_cost"].isna().tolist() == [True, False, True] and df["unit_cost"].iloc[1] == 250.0
    with pytest.raises(CurveTableError, match=r"row 3, column 'beta' holds 'lots', which is not a number"):
        validate_curves(GOOD.assign(beta=["1000", "lots", "1.5"]))


def test_a_column_written_twice_is_named():
    twice = pd.concat([GOOD, GOOD[["beta"]].rename(columns={"beta": " Beta"})], axis=1)
    with pytest.raises(CurveTableError, match=r"the column 'beta' appears twice"):
        validate_curves(twice)
