"""A hand-written curve table with absurd amounts is refused with a sentence naming the row and column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.table import CurveTableError, validate_curves


def _table(**change) -> pd.DataFrame:
    df = pd.DataFrame({"name": ["Instagram", "TikTok"], "network": ["Instagram", "TikTok"], "curve": ["hill", "log"],
                       "beta": [90_000.0, 19_000.0], "k": [15_000.0, 360.0], "s": [1.5, np.nan],
                       "max_spend": [np.nan, 50_000.0], "current_spend": [14_000.0, 9_000.0]})
    for col, (i, v) in change.items():
        df.loc[i, col] = v
    return df


@pytest.mark.parametrize("column,row,value,shown", [
    ("beta", 0, 1e20, "1e+20"),
    ("k", 1, 1e308, "1e+308"),
    ("max_spend", 1, 1e300, "1e+300"),
    ("beta", 1, -1e300, "-1e+300"),
    ("current_spend", 1, 1e308, "1e+308"),
    ("current_spend", 0, np.inf, "inf"),
])
def test_amounts_beyond_any_plausible_one_are_refused(column, row, value, shown):
    df = _table(**{column: (row, value)})
    with pytest.raises(CurveTableError) as err:
        validate_curves(df)
    said = str(err.value)
    assert said.startswith(f"curve table: row {row + 2} ({df.loc[row, 'name']}), ")
    if value > 0:
        assert said.endswith(f"column '{column}': \"{shown}\" is beyond any plausible amount (the limit is 10^15).")
    else:  # a negative beta is said first
        assert said.endswith("column 'beta' must be a number of zero or more.")


def test_no_upper_bound_and_large_plausible_amounts_are_kept():
    df = validate_curves(_table(beta=(0, 9e14), current_spend=(1, 5e14)))
    assert np.isinf(df.loc[0, "max_spend"]) and df.loc[0, "beta"] == 9e14


def test_a_spend_scale_too_small_to_be_one():
    with pytest.raises(CurveTableError, match=r"row 3 \(TikTok\), column 'k' is 1e-300, too small to be a spend "
                                              r"scale \(the least is 1e-09\)\."):
        validate_curves(_table(k=(1, 1e-300)))
