"""A one-quarter plan for a calendar quarter: each curve at its yearly wave's mean over the quarter's days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.base.errors import InputError
from planner.curves.season import (
    QUARTERS,
    for_quarter,
    has_wave,
    multiplier,
    quarter_days,
    quarter_multipliers,
    quarter_name,
)
from planner.optimize import optimize


def table() -> pd.DataFrame:
    """Two paid media rows with one wave, two creators with another, and a row without any."""
    return pd.DataFrame({
        "name": ["Instagram", "TikTok", "Instagram/@a", "TikTok/@b", "X"],
        "network": ["Instagram", "TikTok", "Instagram", "TikTok", "X"],
        "curve": ["hill", "hill", "hill", "hill", "log"],
        "beta": [60_000.0, 40_000.0, 9_000.0, 15_000.0, 5_000.0],
        "k": [20_000.0, 9_000.0, 1_500.0, 2_500.0, 4_000.0],
        "s": [1.6, 1.2, 1.0, 1.4, np.nan],
        "beta_p10": [50_000.0, 30_000.0, 7_000.0, 12_000.0, 4_000.0],
        "beta_p90": [70_000.0, 52_000.0, 11_000.0, 18_000.0, 6_000.0],
        "current_spend": [25_000.0, 8_000.0, 2_000.0, 1_500.0, 4_000.0],
        "season_sin": [0.1, 0.1, -0.1, -0.1, np.nan],
        "season_cos": [0.0, 0.0, 0.25, 0.25, np.nan],
    })


def test_each_row_is_scaled_by_the_mean_of_its_wave_over_the_quarters_days():
    c = table()
    q4 = for_quarter(c, "Q4")
    days = pd.date_range("2027-10-01", "2027-12-31").to_numpy()
    want = np.array([multiplier(a, b, days).mean() for a, b in zip(c["season_sin"].fillna(0), c["season_cos"].fillna(0),
                                                                   strict=True)])
    assert q4["beta"].to_numpy() == pytest.approx(c["beta"].to_numpy() * want)
    for col in ("beta_p10", "beta_p90"):  # the band moves with the curve: the same share of it
        assert (q4[col] / q4["beta"]).to_numpy() == pytest.approx((c[col] / c["beta"]).to_numpy())
    assert q4.loc[4, "beta"] == 5_000.0  # no wave: as it is
    assert (q4[["season_sin", "season_cos"]] == 0).all().all() and not has_wave(q4)  # counted once
    assert (q4["quarter"] == "Q4").all()
    assert q4[["k", "s", "current_spend"]].equals(c[["k", "s", "current_spend"]])
    assert c["beta"].tolist() == table()["beta"].tolist()  # the input is not changed


def test_the_average_quarter_and_a_table_without_a_wave_are_left_as_they_are():
    c = table()
    assert for_quarter(c, None) is c
    flat = c.drop(columns=["season_sin", "season_cos"])
    assert for_quarter(flat, "Q1") is flat
    assert not has_wave(flat) and not has_wave(None) and has_wave(c)


def test_the_four_quarters_average_to_the_average_quarter():
    c = table()
    m = np.column_stack([quarter_multipliers(c, q) for q in QUARTERS])
    weights = np.array([(quarter_days(q)[1] - quarter_days(q)[0]).days + 1 for q in QUARTERS], dtype=float)
    assert m @ weights / weights.sum() == pytest.approx(np.ones(len(c)), abs=2e-3)
    assert m[2, 3] > 1.15 and m[2, 1] < 0.85  # the creators' wave tops in December and bottoms in June


@pytest.mark.parametrize(("text", "name"), [("Q1", "Q1"), ("q4", "Q4"), (" 2027Q3 ", "Q3"), ("2026-Q2", "Q2")])
def test_a_quarter_is_read_with_or_without_its_year(text, name):
    assert quarter_name(text) == name


@pytest.mark.parametrize("text", ["Q5", "Q0", "spring", "", "2027", "10"])
def test_anything_else_is_a_sentence(text):
    with pytest.raises(InputError, match="is not a quarter: write Q1, Q2, Q3 or Q4"):
        for_quarter(table(), text)


def test_a_q4_plan_moves_money_to_the_rows_whose_wave_tops_in_q4_and_earns_what_the_quarter_allows():
    c = table()
    budget = 30_000.0
    q4, q2 = optimize(for_quarter(c, "Q4"), budget), optimize(for_quarter(c, "Q2"), budget)
    creators = c["name"].str.contains("/")
    spend4 = q4.table.set_index("name").loc[c["name"], "spend"].to_numpy()
    spend2 = q2.table.set_index("name").loc[c["name"], "spend"].to_numpy()
    assert spend4[creators].sum() > spend2[creators].sum()  # creators peak in December, paid media in April
    assert q4.total_spend == pytest.approx(budget, abs=0.01) and q2.total_spend == pytest.approx(budget, abs=0.01)


@settings(max_examples=60, deadline=None)
@given(a=st.floats(-0.6, 0.6), b=st.floats(-0.6, 0.6), q=st.sampled_from(sorted(QUARTERS)))
def test_a_quarters_multiplier_lies_between_the_waves_least_and_most(a, b, q):
    c = table().assign(season_sin=a, season_cos=b)
    m = quarter_multipliers(c, q)
    amp = float(np.hypot(a, b))
    assert np.all(m >= 1 - amp - 1e-9) and np.all(m <= 1 + amp + 1e-9)
    assert for_quarter(c, q)["beta"].to_numpy() == pytest.approx(c["beta"].to_numpy() * m)
