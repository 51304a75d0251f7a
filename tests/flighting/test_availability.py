"""A creator available for part of a horizon (the roster's dates) is booked then only, within that part's posts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from planner.flighting import Horizon, plan_flighting, value_plan
from planner.flighting.availability import available_days, available_share
from planner.report.flight_text import availability_sentence

QUARTER = Horizon(date(2027, 1, 1), date(2027, 3, 31), "month")
MONTH_IN_WEEKS = Horizon(date(2027, 1, 1), date(2027, 1, 31), "week")


def curves(**dates) -> pd.DataFrame:
    """A network with carry-over and three creators (6 posts a quarter at most, $500 a post)."""
    t = pd.DataFrame({
        "name": ["IG", "IG/@a", "IG/@b", "IG/@c"], "network": ["IG"] * 4, "curve": ["hill", "log", "log", "log"],
        "beta": [60_000.0, 9_000.0, 9_000.0, 9_000.0], "k": [20_000.0, 1_500.0, 1_500.0, 1_500.0],
        "s": [1.0, np.nan, np.nan, np.nan], "max_spend": [np.nan, 3_000.0, 3_000.0, 3_000.0],
        "unit_cost": [np.nan, 500.0, 500.0, 500.0], "current_spend": [10_000.0, 1_000.0, 1_000.0, 1_000.0],
        "decay": [0.4, 0.0, 0.0, 0.0]})
    for col, values in dates.items():
        t[col] = values
    return t


DATED = curves(available_from=[None, "2027-02-01", "", "2028-01-01"],
               available_until=[None, None, "2027-01-31", None])


def test_available_days_per_period():
    days = available_days(DATED, QUARTER)
    assert days.tolist() == [[31, 28, 31], [0, 28, 31], [31, 0, 0], [0, 0, 0]]
    assert available_share(DATED, QUARTER) == pytest.approx([1.0, 59 / 90, 31 / 90, 0.0])
    assert (available_days(curves(), QUARTER) == [[31, 28, 31]] * 4).all()  # no dates: every day


def test_a_creator_is_booked_only_when_available_and_within_that_parts_posts():
    plan = plan_flighting(DATED, 40_000.0, QUARTER)
    w = plan.wide().set_index("name")[["Jan 2027", "Feb 2027", "Mar 2027"]]
    assert w.loc["IG/@a", "Jan 2027"] == 0 and w.loc["IG/@a"].sum() > 0
    assert w.loc["IG/@b", ["Feb 2027", "Mar 2027"]].sum() == 0
    assert w.loc["IG/@c"].sum() == 0  # available from next year: not booked
    assert w.loc["IG/@a"].sum() <= 4 * 500.0  # 6 posts a quarter x 59/90 of it: 3.9, read as 4 whole posts
    assert w.loc["IG/@b"].sum() <= 2 * 500.0
    assert (w.loc[["IG/@a", "IG/@b"]].to_numpy() % 500.0 == 0).all()  # whole posts
    assert plan.gap < 1e-6  # the bound and the plan count the same availability
    # the even plan keeps the dates too
    even = plan.even_table.pivot_table(index="name", columns="label", values="spend", aggfunc="sum")
    assert even.loc["IG/@a", "Jan 2027"] == 0 and even.loc["IG/@c"].sum() == 0


def test_without_dates_nothing_changes_and_a_month_in_weeks_is_proven():
    for horizon, budget in ((QUARTER, 40_000.0), (MONTH_IN_WEEKS, 14_000.0)):
        plan = plan_flighting(curves(), budget, horizon)
        assert plan.gap < 1e-6
        blank = plan_flighting(curves(available_from=[""] * 4, available_until=[np.nan] * 4), budget, horizon)
        assert blank.value == pytest.approx(plan.value, rel=1e-12)


def test_the_plan_values_back_the_same_with_the_dates():
    plan = plan_flighting(DATED, 40_000.0, QUARTER)
    v = value_plan(DATED, plan.table[["name", "period", "spend"]], QUARTER)
    assert v.total_response == pytest.approx(plan.total_response, rel=1e-9)


def test_the_sentence_names_who_is_booked_part_of_the_horizon_and_who_not_at_all():
    s = availability_sentence(DATED, QUARTER)
    assert s.startswith("By the roster's dates, 2 creators are available for part of the horizon")
    assert "1 is not available in it at all (not booked): IG/@a, IG/@b, IG/@c." in s
    assert availability_sentence(curves(), QUARTER) == ""


def test_creators_posts_are_staggered_so_their_spend_per_week_stays_level():
    """Each creator's posts are evenly spaced, and the creators' phases chosen so that all of them do not fall
    in the same weeks (the sample's quarter in weeks swung from $4,000 to $30,000 a week before)."""
    from pathlib import Path

    from planner.flighting.plan import spread

    c = pd.read_parquet(Path(__file__).resolve().parents[2] / "sample_data" / "sample_fit.parquet")
    plan = plan_flighting(c, 200_000.0, Horizon(date(2027, 1, 4), date(2027, 4, 4), "week"))  # 13 whole weeks
    w = plan.wide().set_index("name")
    creators = w[w.index.str.contains("/")].drop(columns=["network"])
    per_week = creators.sum().to_numpy()
    fee = pd.to_numeric(c["unit_cost"], errors="coerce").max()
    assert per_week.max() - per_week.min() <= fee
    # a creator's posts stay evenly spaced: 4 posts over 12 weeks, one in every third week
    four = spread(np.array([2_000.0]), np.array([500.0]), np.ones(12))[0]
    assert (four > 0).sum() == 4 and np.diff(np.flatnonzero(four)).tolist() == [3, 3, 3]
