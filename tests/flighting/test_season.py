"""Rows whose response rises and falls over the year: the multiplier, the exact plan, and its proof."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from planner.curves.season import mean_multiplier, multiplier, peak
from planner.flighting import Horizon, plan_flighting, value_plan
from tests.flighting.test_flighting_exact import curves, grid_best

YEAR = Horizon(date(2027, 1, 1), date(2027, 12, 31), "month")
SPRING = Horizon(date(2027, 3, 1), date(2027, 5, 31), "month")


def test_the_multiplier_is_one_wave_a_year_and_its_period_mean_is_the_mean_of_its_days():
    days = pd.date_range("2027-01-01", "2027-12-31").to_numpy()
    m = multiplier(0.3, -0.2, days)
    assert m.mean() == pytest.approx(1.0, abs=2e-3)
    assert m.max() == pytest.approx(1 + np.hypot(0.3, -0.2), abs=1e-3)
    amp, top = peak(0.3, -0.2)
    assert amp == pytest.approx(np.hypot(0.3, -0.2))
    assert abs(int(np.argmax(m)) - (top.day_of_year - 1)) <= 1
    got = mean_multiplier(np.array([0.3]), np.array([-0.2]), ["2027-02-01", "2027-07-10"], ["2027-02-28", "2027-07-10"])
    feb = multiplier(0.3, -0.2, pd.date_range("2027-02-01", "2027-02-28").to_numpy()).mean()
    assert got[0] == pytest.approx([feb, float(multiplier(0.3, -0.2, np.array(["2027-07-10"], dtype="datetime64[D]"))[0])])


def _seasonal(sin: float, cos: float) -> pd.DataFrame:
    t = curves([("TV", "hill", 90_000.0, 20_000.0, 0.8, 0.6, 12_000.0),
                ("Search", "log", 40_000.0, 9_000.0, np.nan, 0.2, 5_000.0)])
    return t.assign(season_sin=[sin, 0.0], season_cos=[cos, 0.0])


@pytest.mark.parametrize("after", [False, True])
def test_no_plan_on_a_grid_beats_the_seasonal_plan(after):
    table = _seasonal(0.5, 0.2)
    plan = plan_flighting(table, 9_000.0, SPRING, after=after)
    assert plan.value >= grid_best(table, SPRING, 9_000.0, 10, after) * (1 - 1e-9)
    assert plan.gap < 1e-9


def test_money_goes_to_the_season_a_row_earns_most_in_and_the_plan_values_back():
    flat = plan_flighting(_seasonal(0.0, 0.0), 300_000.0, YEAR)
    summer = plan_flighting(_seasonal(0.0, -0.5), 300_000.0, YEAR)  # cos < 0: top around early July
    tv = lambda p: p.table[p.table["name"] == "TV"].set_index("label")["spend"]  # noqa: E731
    assert tv(summer)["Jul 2027"] > 1.5 * tv(summer)["Jan 2027"]
    assert tv(summer)["Jul 2027"] > tv(flat)["Jul 2027"]
    assert summer.value > summer.even_response and summer.gap < 1e-9
    back = value_plan(_seasonal(0.0, -0.5), summer.table[["name", "period", "spend"]], YEAR)
    assert back.total_response == pytest.approx(summer.total_response, rel=1e-9)


def test_a_season_is_not_read_as_carry_over():
    """Without carry-over nothing is carried over, in a high season or a low one (the season's multiplier was read
    as carried response: $39,000 in July)."""
    t = curves([("TV", "log", 200_000.0, 60_000.0, np.nan, 0.0001, 0.0)]).assign(season_sin=0.0, season_cos=-0.5)
    plan = plan_flighting(t, 300_000.0, YEAR)
    assert plan.table["carried"].max() <= 1e-6 * plan.table["response"].max()


def test_a_creators_campaign_wave_values_it_over_the_horizon_and_its_spend_stays_its_own():
    """A creator (no carry-over, whole posts) with the campaigns' holiday wave: worth more planned in Q4 than in Q2,
    by the wave's mean over the horizon; its posts and fees are what they were."""
    creator = pd.DataFrame({"name": ["Instagram/@a"], "network": ["Instagram"], "curve": ["hill"], "beta": [40_000.0],
                            "k": [3_000.0], "s": [1.2], "unit_cost": [1_000.0], "max_spend": [6_000.0],
                            "current_spend": [3_000.0], "season_sin": [-0.15], "season_cos": [0.25]})
    q4, q2 = Horizon(date(2027, 10, 1), date(2027, 12, 31), "month"), Horizon(date(2027, 4, 1), date(2027, 6, 30), "month")
    plain = creator.drop(columns=["season_sin", "season_cos"])
    for horizon in (q4, q2):
        with_wave, without = plan_flighting(creator, 6_000.0, horizon), plan_flighting(plain, 6_000.0, horizon)
        periods = horizon.periods()
        m = float(mean_multiplier(np.array([-0.15]), np.array([0.25]), periods["period"], periods["last"])[0]
                  @ periods["weeks"].to_numpy(dtype=float) / periods["weeks"].sum())
        assert with_wave.value == pytest.approx(m * without.value, rel=1e-9)
        assert with_wave.table["spend"].sum() == pytest.approx(without.table["spend"].sum())  # the same posts
        valued = value_plan(creator, with_wave.table[["name", "period", "spend"]], horizon)
        assert valued.total_response == pytest.approx(with_wave.value, rel=1e-9)
    assert plan_flighting(creator, 6_000.0, q4).value > 1.2 * plan_flighting(creator, 6_000.0, q2).value


def test_a_creator_who_can_post_only_in_the_holidays_is_valued_at_the_holidays_wave():
    """The roster's dates: a creator available only in November and December of a year's plan earns at the wave's
    mean over those days, not over the year's (whose mean is about 1)."""
    creator = pd.DataFrame({"name": ["Instagram/@a"], "network": ["Instagram"], "curve": ["hill"], "beta": [40_000.0],
                            "k": [3_000.0], "s": [1.2], "unit_cost": [1_000.0], "max_spend": [6_000.0],
                            "current_spend": [3_000.0], "season_sin": [-0.15], "season_cos": [0.25]})
    holidays = creator.assign(available_from="2027-11-01", available_until="2027-12-31")
    plain = holidays.drop(columns=["season_sin", "season_cos"])
    with_wave, without = plan_flighting(holidays, 6_000.0, YEAR), plan_flighting(plain, 6_000.0, YEAR)
    days = pd.date_range("2027-11-01", "2027-12-31").to_numpy()
    m = float(multiplier(-0.15, 0.25, days).mean())
    assert m > 1.2
    assert with_wave.value == pytest.approx(m * without.value, rel=1e-3)  # months in whole days: within a thousandth
    valued = value_plan(holidays, with_wave.table[["name", "period", "spend"]], YEAR)
    assert valued.total_response == pytest.approx(with_wave.value, rel=1e-9)
