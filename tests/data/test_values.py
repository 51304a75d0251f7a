"""Numbers and dates as people type them (planner.data.values)."""

from __future__ import annotations

import datetime as dt
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.data.dates import looks_like_date, parse_date, parse_dates  # noqa: E402
from planner.data.numbers import (  # noqa: E402
    decide_decimal,
    format_number,
    looks_like_number,
    parse_number,
    parse_numbers,
)
from planner.data.values import is_missing  # noqa: E402

# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1234", 1234.0),
        ("$1,234.50", 1234.5),
        ("1.234,50 €", 1234.5),
        ("€1.234,50", 1234.5),
        ("1 234,50", 1234.5),
        ("1\u00a0234,50", 1234.5),
        ("1'234.50", 1234.5),
        ("USD 1,234.00", 1234.0),
        ("1,234.00 EUR", 1234.0),
        ("(500)", -500.0),
        ("($1,234.50)", -1234.5),
        ("-$1,234.50", -1234.5),
        ("$-12", -12.0),
        ("500-", -500.0),
        ("\u2212500", -500.0),
        ("+12", 12.0),
        ("12%", 0.12),
        ("6.57%", 0.0657),
        ("12,5%", 0.125),
        ("1.5k", 1500.0),
        ("2M", 2_000_000.0),
        ("1e5", 100000.0),
        ("12,5", 12.5),
        ("0,125", 0.125),
        ("1,234,567", 1234567.0),
        ("1.234.567", 1234567.0),
        ("1.234.567,89", 1234567.89),
        ("1,234,567.89", 1234567.89),
        (".5", 0.5),
        (1234, 1234.0),
        (12.5, 12.5),
        (np.int64(7), 7.0),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text", [None, "", "  ", "-", "--", " --", "n/a", "N/A", "NA", "—", float("nan")])
def test_placeholders_are_missing(text):
    assert is_missing(text)
    assert math.isnan(parse_number(text))


@pytest.mark.parametrize("text", ["abc", "12 apples", "1,23,4", "1.2.3,4,5", "tbd", "$", "12..5", True])
def test_not_numbers_raise_with_a_sentence(text):
    with pytest.raises(ValueError) as info:
        parse_number(text)
    assert "not a number" in str(info.value) or "yes/no" in str(info.value)


def test_a_date_is_not_a_number():
    with pytest.raises(ValueError, match="date"):
        parse_number(dt.datetime(2024, 1, 1))


def test_ambiguous_single_value_follows_the_decimal_argument():
    assert parse_number("1,234") == 1234.0
    assert parse_number("1,234", decimal=",") == pytest.approx(1.234)
    assert parse_number("1.234") == pytest.approx(1.234)
    assert parse_number("1.234", decimal=",") == 1234.0


def test_column_decides_comma_decimal_from_other_values():
    col = parse_numbers(["1,234", "12,5", "3,75"])
    assert col.decimal == ","
    assert col.decided
    np.testing.assert_allclose(col.values, [1.234, 12.5, 3.75])
    assert col.notes == ()


def test_column_decides_point_decimal_from_other_values():
    col = parse_numbers(["1,234", "2,000.50", "17"])
    assert col.decimal == "."
    np.testing.assert_allclose(col.values, [1234, 2000.5, 17])


def test_column_decides_european_thousands_from_other_values():
    col = parse_numbers(["1.234", "5.000,00", "99"])
    assert col.decimal == ","
    np.testing.assert_allclose(col.values, [1234, 5000, 99])


def test_undecidable_column_assumes_and_says_so():
    col = parse_numbers(["1,234", "5,678", ""])
    assert not col.decided
    assert col.decimal == "."
    np.testing.assert_allclose(col.values[:2], [1234, 5678])
    assert len(col.notes) == 1 and "assumed" in col.notes[0] and '"1,234"' in col.notes[0]
    hinted = parse_numbers(["1,234", "5,678"], hint=",")
    np.testing.assert_allclose(hinted.values, [1.234, 5.678])


def test_column_reports_problems_and_blanks_by_position():
    col = parse_numbers(["12", "abc", "", "--", "(3)"])
    assert col.missing == (2, 3)
    assert [p.index for p in col.problems] == [1]
    assert col.problems[0].value == "abc"
    assert "not a number" in col.problems[0].message
    assert col.values[4] == -3.0
    assert np.isnan(col.values[1]) and np.isnan(col.values[2])


def test_column_notes_mixed_currencies():
    col = parse_numbers(["$10", "€20"])
    assert col.currencies == ("$", "€")
    assert any("mixes currencies" in n for n in col.notes)


def test_decide_decimal_ignores_cells_that_are_numbers():
    assert decide_decimal([1234.5, 12, "1,5"]) == (",", True, None)


def test_looks_like_number():
    assert looks_like_number("$1,234")
    assert not looks_like_number("Fee paid")
    assert not looks_like_number("")


_STYLES = st.fixed_dictionaries(
    {
        "decimal": st.sampled_from([".", ","]),
        "thousands": st.sampled_from(["std", "", " ", "'"]),
        "currency": st.sampled_from(["", "$", "€", "£", "USD", "EUR"]),
        "after": st.booleans(),
        "negative": st.sampled_from(["-", "()"]),
    }
)


def _fmt(x, style, places=2):
    thousands = None if style["thousands"] == "std" else style["thousands"]
    cur = style["currency"]
    if cur in ("USD", "EUR") and not style["after"]:
        cur = cur + " "
    return format_number(x, style["decimal"], thousands, places, cur, style["after"], style["negative"])


@settings(max_examples=300, deadline=None)
@given(cents=st.integers(min_value=-10**11, max_value=10**11), style=_STYLES)
def test_format_then_parse_round_trip(cents, style):
    x = cents / 100
    text = _fmt(x, style)
    assert parse_number(text, decimal=style["decimal"]) == pytest.approx(x, abs=1e-9, rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(cents=st.lists(st.integers(min_value=-10**9, max_value=10**9), min_size=1, max_size=12), style=_STYLES)
def test_column_round_trip_decides_the_locale_itself(cents, style):
    xs = [c / 100 for c in cents]
    col = parse_numbers([_fmt(x, style) for x in xs])
    assert col.problems == ()
    np.testing.assert_allclose(col.values, xs, rtol=1e-12, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(min_value=0, max_value=10**12), style=_STYLES)
def test_whole_numbers_round_trip_given_the_locale(n, style):
    text = _fmt(float(n), style, places=0)
    assert parse_number(text, decimal=style["decimal"]) == n


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=12))
def test_parse_number_never_fails_other_than_value_error(text):
    try:
        v = parse_number(text)
    except ValueError:
        return
    assert isinstance(v, float)


def test_percent_round_trip():
    assert parse_number(format_number(0.1234, percent=True)) == pytest.approx(0.1234)


# ------------------------------------------------------------------ dates


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-01-05", "2024-01-05"),
        ("2024-01-05 13:45:00", "2024-01-05"),
        ("2024-01-05T00:00:00Z", "2024-01-05"),
        ("2024/01/05", "2024-01-05"),
        ("05.01.2024", "2024-01-05"),
        ("5.1.24", "2024-01-05"),
        ("13/01/2024", "2024-01-13"),
        ("01/13/2024", "2024-01-13"),
        ("Jan 5, 2024", "2024-01-05"),
        ("5 January 2024", "2024-01-05"),
        ("Friday, January 5, 2024", "2024-01-05"),
        ("2024-01", "2024-01-01"),
        ("2024-W02", "2024-01-08"),
        ("Week 2 2024", "2024-01-08"),
        ("Wk 02, 2024", "2024-01-08"),
        ("KW 2/2024", "2024-01-08"),
        ("2024 Week 2", "2024-01-08"),
        ("Q2 2024", "2024-04-01"),
        ("2024-Q3", "2024-07-01"),
        ("2024-01-01 - 2024-01-07", "2024-01-01"),
        ("May 18, 2025 - August 15, 2025", "2025-05-18"),
        ("20240105", "2024-01-05"),
        (20240105, "2024-01-05"),
        (45296, "2024-01-05"),
        (45296.75, "2024-01-05"),
        ("45296", "2024-01-05"),
        (dt.datetime(2024, 1, 5, 10, 30), "2024-01-05"),
        (dt.date(2024, 1, 5), "2024-01-05"),
        (pd.Timestamp("2024-01-05"), "2024-01-05"),
        (np.datetime64("2024-01-05"), "2024-01-05"),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


def test_excel_serial_matches_pandas_origin():
    assert parse_date(45296) == pd.to_datetime(45296, unit="D", origin="1899-12-30")


@pytest.mark.parametrize("value", ["Instagram", "May", "2024-02-30", "31/31/2024", "12", 12, 3.5, True, "Total",
                                   "Week 54 2024"])
def test_not_dates_raise_with_a_sentence(value):
    with pytest.raises(ValueError) as info:
        parse_date(value)
    assert str(value) in str(info.value)


def test_blank_dates_are_missing():
    assert parse_date("") is pd.NaT
    assert parse_date(None) is pd.NaT
    assert parse_date("-") is pd.NaT


def test_day_first_decided_from_the_column():
    col = parse_dates(["01/02/2024", "15/02/2024", "03/03/2024"])
    assert col.dayfirst is True and col.decided and col.notes == ()
    assert list(pd.to_datetime(col.values).strftime("%Y-%m-%d")) == ["2024-02-01", "2024-02-15", "2024-03-03"]


def test_month_first_decided_from_the_column():
    col = parse_dates(["01/02/2024", "02/15/2024", "03/03/2024"])
    assert col.dayfirst is False and col.decided
    assert list(pd.to_datetime(col.values).strftime("%Y-%m-%d")) == ["2024-01-02", "2024-02-15", "2024-03-03"]


def test_mixed_orders_follow_the_majority_and_say_so():
    col = parse_dates(["13/01/2024", "14/01/2024", "01/15/2024"])
    assert col.dayfirst is True
    assert col.notes and "mixes" in col.notes[0]
    assert [p.index for p in col.problems] == [2]  # month 15 does not exist


def test_undecidable_order_is_assumed_and_said():
    col = parse_dates(["01/02/2024", "03/04/2024"])
    assert not col.decided
    assert "assumed month/day" in col.notes[0]
    assert "2 January 2024" in col.notes[0]
    hinted = parse_dates(["01/02/2024", "03/04/2024"], hint=True)
    assert hinted.dayfirst is True and "assumed day/month" in hinted.notes[0]


def test_forced_order_makes_no_note():
    col = parse_dates(["01/02/2024", "03/04/2024"], dayfirst=True)
    assert col.notes == () and col.dayfirst is True
    assert pd.Timestamp(col.values[0]) == pd.Timestamp("2024-02-01")


def test_dots_are_day_first_without_a_note():
    col = parse_dates(["01.02.2024", "03.04.2024"])
    assert pd.Timestamp(col.values[0]) == pd.Timestamp("2024-02-01")
    assert col.decided and col.notes == ()


def test_date_column_problems_and_mixed_cells():
    col = parse_dates([dt.datetime(2024, 1, 1), 45300, "2024-01-10", "", "Total", "2024-02-31"])
    assert col.missing == (3,)
    assert [p.index for p in col.problems] == [4, 5]
    assert "not a real date" in col.problems[1].message
    assert col.values.dtype == np.dtype("datetime64[ns]")


def test_looks_like_date():
    assert looks_like_date("2024-01-05")
    assert looks_like_date(dt.date(2024, 1, 5))
    assert not looks_like_date("Date")
    assert not looks_like_date("1234")


@settings(max_examples=150, deadline=None)
@given(days=st.lists(st.integers(min_value=0, max_value=20000), min_size=1, max_size=10),
       fmt=st.sampled_from(["%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d", "%b %d, %Y", "%d %B %Y"]))
def test_date_round_trip(days, fmt):
    dates = [pd.Timestamp("1990-01-01") + pd.Timedelta(days=d) for d in days]
    col = parse_dates([d.strftime(fmt) for d in dates])
    assert col.problems == ()
    assert list(pd.to_datetime(col.values)) == dates


@settings(max_examples=100, deadline=None)
@given(days=st.lists(st.integers(min_value=0, max_value=20000), min_size=1, max_size=10), dayfirst=st.booleans())
def test_slash_dates_round_trip_when_order_is_known_or_evident(days, dayfirst):
    dates = [pd.Timestamp("1990-01-01") + pd.Timedelta(days=d) for d in days]
    fmt = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    col = parse_dates([d.strftime(fmt) for d in dates], dayfirst=dayfirst)
    assert list(pd.to_datetime(col.values)) == dates
    auto = parse_dates([d.strftime(fmt) for d in dates])
    if any(d.day > 12 for d in dates):  # evidence in the column: decided right
        assert auto.decided and auto.dayfirst is dayfirst
        assert list(pd.to_datetime(auto.values)) == dates
    elif len({d.day for d in dates} | {d.month for d in dates}) > 1 and not auto.decided:
        assert auto.notes  # ambiguity is always said


# ------------------------------------------------------------------ distinct values with their counts


_CELLS = st.sampled_from(["1,234", "1.234", "12,5", "3.75", "1.234,50", "$1,234.50", "7", "", "n/a", "abc", "12%",
                          "(5)", "1 234,5"])


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(_CELLS, max_size=40), hint=st.sampled_from([None, ".", ","]))
def test_counting_distinct_values_decides_like_the_whole_column(cells, hint):
    uniq = list(dict.fromkeys(cells))
    counts = [cells.count(u) for u in uniq]
    whole = parse_numbers(cells, hint=hint)
    once = parse_numbers(uniq, hint=hint, weights=counts)
    assert (whole.decimal, whole.decided, whole.notes) == (once.decimal, once.decided, once.notes)
    by_value = dict(zip(uniq, once.values, strict=True))
    np.testing.assert_array_equal(whole.values, np.array([by_value[c] for c in cells], dtype=float))
    assert decide_decimal(cells, hint) == decide_decimal(uniq, hint, counts)


def test_date_order_of_a_mixed_column_follows_the_weighted_majority():
    values = ["13/01/2024", "01/14/2024"]
    assert parse_dates(values, weights=[1, 5]).dayfirst is False
    assert parse_dates(values, weights=[5, 1]).dayfirst is True
    expanded = parse_dates(["13/01/2024"] + ["01/14/2024"] * 5)
    assert expanded.dayfirst is False and expanded.notes == parse_dates(values, weights=[1, 5]).notes


@settings(max_examples=300, deadline=None)
@given(text=st.from_regex(r"-?[0-9]{1,7}([.,][0-9]{1,4}){0,3}", fullmatch=True), decimal=st.sampled_from([".", ","]))
def test_column_reads_plain_separated_numbers_as_a_single_cell_would(text, decimal):
    col = parse_numbers([text], decimal=decimal)
    try:
        expected = parse_number(text, decimal)
    except ValueError:
        assert len(col.problems) == 1 and math.isnan(col.values[0])
        return
    assert col.values[0] == expected and math.copysign(1, col.values[0]) == math.copysign(1, expected)
