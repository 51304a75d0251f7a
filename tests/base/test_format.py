"""Formatting of money, percentages and returns per dollar (planner.base.format)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from planner.base.format import MISSING, count, format_table, money, pct, ratio, roas, signed_money, unit_money

MISSING_VALUES = [None, np.nan, float("nan"), pd.NA, pd.NaT, np.float64("nan")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234, "$1,234"),
        (1234.4, "$1,234"),
        (1234.5, "$1,235"),  # half-up, not banker's rounding
        (250_000, "$250,000"),
        (1_234_567.89, "$1,234,568"),
        (100, "$100"),
        (99.995, "$100"),  # rounds to $100.00: whole dollars from there
        (99.99, "$99.99"),
        (12.5, "$12.50"),
        (0.125, "$0.13"),
        (0.5, "$0.50"),
        (0, "$0"),
        (-0.0, "$0"),
        (0.004, "$0"),
        (-0.004, "$0"),  # never "-$0"
        (-500, "-$500"),
        (-12.5, "-$12.50"),
        (-1234.5, "-$1,235"),
        (np.float64(5000), "$5,000"),
        (np.int64(42), "$42.00"),
        (np.float32(12.5), "$12.50"),
        (Decimal("19.999"), "$20.00"),
        (float("inf"), "\u221e"),
        (float("-inf"), "-\u221e"),
    ],
    ids=lambda v: repr(v),
)
def test_money(value, expected):
    assert money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_234_567, "$1.2M"),
        (1_250_000, "$1.3M"),
        (1_000_000, "$1M"),
        (12_345_678, "$12M"),
        (123_456_789, "$123M"),
        (250_000, "$250k"),
        (12_345, "$12k"),
        (1_500, "$1.5k"),
        (1_000, "$1k"),
        (9_960, "$10k"),
        (999_499, "$999k"),
        (999_500, "$1M"),  # not "$1000k"
        (2_500_000_000, "$2.5B"),
        (950, "$950"),
        (12.5, "$12.50"),
        (0, "$0"),
        (-2_500_000, "-$2.5M"),
        (-1_500, "-$1.5k"),
    ],
    ids=lambda v: repr(v),
)
def test_money_compact(value, expected):
    assert money(value, compact=True) == expected


@pytest.mark.parametrize("value", MISSING_VALUES, ids=repr)
@pytest.mark.parametrize("fn", [money, signed_money, pct, ratio, roas], ids=lambda f: f.__name__)
def test_missing_is_an_em_dash(fn, value):
    assert fn(value) == MISSING == "\u2014"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1000.50, "$1,000.50"),  # typed to the cent: never "$1,001"
        (-1234.56, "-$1,234.56"),
        (1_234_567.25, "$1,234,567.25"),
        (1000.005, "$1,000.01"),  # half a cent up, as by hand
        (1000.004, "$1,000"),  # whole to the cent: as without cents
        (1000.0, "$1,000"),
        (12.5, "$12.50"),
        (0.001, "$0"),
    ],
    ids=lambda v: repr(v),
)
def test_money_with_cents_keeps_them_where_the_amount_has_them(value, expected):
    assert money(value, cents=True) == expected
    assert money(value, compact=True, cents=True) == (expected if expected != "$1,000" else "$1k")


def test_money_rejects_text():
    with pytest.raises(TypeError):
        money("a lot")


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (1200, {}, "+$1,200"),
        (-300, {}, "-$300"),
        (12.5, {}, "+$12.50"),
        (-0.5, {}, "-$0.50"),
        (0, {}, "$0"),
        (0.001, {}, "$0"),
        (1_500_000, {"compact": True}, "+$1.5M"),
        (-250_000, {"compact": True}, "-$250k"),
    ],
)
def test_signed_money(value, kwargs, expected):
    assert signed_money(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (0.125, {}, "12.5%"),
        (0.5, {}, "50.0%"),
        (1, {}, "100.0%"),
        (0.00049, {}, "0.0%"),
        (-0.0004, {}, "0.0%"),  # never "-0.0%"
        (-0.05, {}, "-5.0%"),
        (12.5, {}, "1,250.0%"),
        (0.1234, {"decimals": 2}, "12.34%"),
        (0.12345, {"decimals": 0}, "12%"),
        (0.125, {"signed": True}, "+12.5%"),
        (-0.125, {"signed": True}, "-12.5%"),
        (0.0, {"signed": True}, "0.0%"),
    ],
)
def test_pct(value, kwargs, expected):
    assert pct(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (6.5, {}, "6.50x"),
        (1, {}, "1.00x"),
        (0.333, {}, "0.33x"),
        (1234.567, {}, "1,234.57x"),
        (2.005, {}, "2.01x"),
        (6.5, {"decimals": 1}, "6.5x"),
    ],
)
def test_ratio(value, kwargs, expected):
    assert ratio(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (6.5, {}, "$6.50"),
        (6.5, {"per_dollar": True}, "$6.50 per $1"),
        (0.875, {}, "$0.88"),
        (1234.5, {}, "$1,234.50"),
        (-0.5, {}, "-$0.50"),
        (0, {"per_dollar": True}, "$0.00 per $1"),
    ],
)
def test_roas(value, kwargs, expected):
    assert roas(value, **kwargs) == expected


@pytest.fixture
def allocation() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Instagram", "TikTok/@lena.bakes"],
            "spend": [120_000.0, 45.5],
            "change": [20_000.0, -300.0],
            "share": [0.125, np.nan],
            "roas": [6.5, 3.0],
            "lift": [1.5, 0.25],
        }
    )


def test_format_table(allocation):
    before = allocation.copy(deep=True)
    out = format_table(
        allocation,
        money_cols=["spend"],
        pct_cols=["share"],
        ratio_cols=["lift"],
        roas_cols=["roas"],
        signed_money_cols=["change"],
    )
    pd.testing.assert_frame_equal(allocation, before)  # input untouched
    assert out is not allocation
    assert list(out.columns) == list(allocation.columns)
    assert out.index.equals(allocation.index)
    assert out.to_dict("list") == {
        "name": ["Instagram", "TikTok/@lena.bakes"],
        "spend": ["$120,000", "$45.50"],
        "change": ["+$20,000", "-$300"],
        "share": ["12.5%", MISSING],
        "roas": ["$6.50", "$3.00"],
        "lift": ["1.50x", "0.25x"],
    }


def test_format_table_compact_and_positional(allocation):
    out = format_table(allocation, ["spend"], ["share"], ["roas"], compact=True)
    assert list(out["spend"]) == ["$120k", "$45.50"]
    assert list(out["roas"]) == ["6.50x", "3.00x"]
    assert list(out["change"]) == [20_000.0, -300.0]  # not named: left as numbers


def test_format_table_skips_absent_columns_and_keeps_index(allocation):
    df = allocation.set_index(pd.Index([10, 20]))
    out = format_table(df, money_cols=["spend", "current_spend"], pct_cols="share")
    assert "current_spend" not in out.columns
    assert out.loc[20, "spend"] == "$45.50"
    assert out.loc[10, "share"] == "12.5%"


def test_format_table_rejects_a_column_named_twice(allocation):
    with pytest.raises(ValueError, match="spend"):
        format_table(allocation, money_cols=["spend"], ratio_cols=["spend"])


def test_format_table_empty():
    out = format_table(pd.DataFrame({"spend": pd.Series([], dtype=float)}), money_cols=["spend"])
    assert out.empty and list(out.columns) == ["spend"]


@pytest.mark.parametrize("value,expected", [
    (0.05, "$0.05"), (0.0025, "$0.0025"), (0.000431, "$0.00043"), (0.011121, "$0.01"), (1.5, "$1.50"),
    (1234.5, "$1,235"), (0, "$0"), (-0.004, "-$0.0040"), (np.nan, MISSING), (None, MISSING),
])
def test_unit_money(value, expected):
    assert unit_money(value) == expected


@pytest.mark.parametrize("value,kwargs,expected", [
    (41023.4, {}, "41,023"), (41023.6, {"signed": True}, "+41,024"), (-1200.0, {"signed": True}, "-1,200"),
    (-0.2, {}, "0"), (0.0, {"signed": True}, "0"), (np.nan, {}, MISSING),
])
def test_count(value, kwargs, expected):
    assert count(value, **kwargs) == expected
