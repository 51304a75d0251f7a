"""Last year's pattern (planner.flighting.pattern): a budget spread as the spend was a year earlier, and its value."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from planner.flighting import Horizon, plan_flighting, value_plan
from planner.flighting.pattern import last_year, last_year_pattern, timed_as_last_year, year_earlier

Q1 = Horizon(date(2027, 1, 1), date(2027, 3, 31), "month")


def curves(names) -> pd.DataFrame:
    """A curve table of log curves, paid media carrying 40% of a week's effect over, creators none."""
    out = pd.DataFrame({"name": list(names), "curve": "log", "beta": 50_000.0, "k": 8_000.0, "s": np.nan,
                        "current_spend": 6_000.0})
    out["network"] = out["name"].str.split("/").str[0]
    out["decay"] = np.where(out["name"].str.contains("/"), 0.0, 0.4)
    return out


def history(*rows) -> pd.DataFrame:
    """A spend history from (name, first day, days, spend) tuples."""
    return pd.DataFrame(rows, columns=["name", "date", "days", "spend"]).assign(date=lambda d: pd.to_datetime(d["date"]))


TABLE = curves(["Facebook", "TikTok", "TikTok/@ana", "TikTok/@ben"])
HISTORY = history(
    ("Facebook", "2026-01-01", 31, 3_100.0), ("Facebook", "2026-02-01", 28, 2_800.0),
    ("Facebook", "2026-03-01", 31, 6_200.0),
    ("TikTok", "2026-01-26", 7, 700.0),  # a week across two months: 6 days in January, 1 in February
    ("TikTok/@ana", "2026-02-14", 1, 900.0),  # a creator's fee, on the day
    ("TikTok/@ben", "2025-06-01", 1, 500.0),  # long before: nothing in the same months a year before the horizon
)


def _cells(pattern) -> dict[tuple[str, str], float]:
    t = pattern.table
    return {(n, p.strftime("%b")): s for n, p, s in zip(t["name"], t["period"], t["spend"], strict=True)}


def test_months_follow_the_same_months_a_year_earlier_scaled_to_the_budget():
    p = last_year_pattern(TABLE, HISTORY, Q1, 13_700.0 * 2)  # twice what was spent then
    assert p.ok and p.reason is None
    assert (p.first, p.last) == (date(2026, 1, 1), date(2026, 3, 31)) and p.spent == pytest.approx(13_700.0)
    assert p.table["spend"].sum() == pytest.approx(27_400.0, abs=1e-9)
    assert _cells(p) == pytest.approx({
        ("Facebook", "Jan"): 6_200.0, ("Facebook", "Feb"): 5_600.0, ("Facebook", "Mar"): 12_400.0,
        ("TikTok", "Jan"): 1_200.0, ("TikTok", "Feb"): 200.0, ("TikTok", "Mar"): 0.0,
        ("TikTok/@ana", "Jan"): 0.0, ("TikTok/@ana", "Feb"): 1_800.0, ("TikTok/@ana", "Mar"): 0.0,
        ("TikTok/@ben", "Jan"): 0.0, ("TikTok/@ben", "Feb"): 0.0, ("TikTok/@ben", "Mar"): 0.0,
    }, abs=0.005)
    assert list(p.table["period"].drop_duplicates()) == list(Q1.periods()["period"])
    assert p.idle == 1 and p.notes() == [
        "Last year's pattern follows your spend from 2026-01-01 to 2026-03-31 ($13,700), scaled to the budget.",
        "1 of the 4 networks and creators planned spent nothing then and gets nothing in it."]


@pytest.mark.parametrize("budget", [10_000.0, 12_345.67, 99_999.99, 0.0])
def test_the_pattern_spends_the_budget_to_the_cent(budget):
    p = last_year_pattern(TABLE, HISTORY, Q1, budget)
    assert p.table["spend"].sum() == pytest.approx(budget, abs=1e-6)
    assert np.allclose(p.table["spend"] * 100, np.round(p.table["spend"] * 100))  # whole cents


def test_a_budget_of_odd_cents_is_spent_to_within_a_cent_and_never_beyond():
    total = last_year_pattern(TABLE, HISTORY, Q1, 10_000 / 3).table["spend"].sum()
    assert 10_000 / 3 - 0.01 < total <= 10_000 / 3


def test_weeks_follow_the_week_52_weeks_earlier():
    horizon = Horizon(date(2027, 1, 7), date(2027, 1, 27), "week")  # three weeks from a Thursday
    windows = year_earlier(horizon)
    assert [d.date() for d in windows["first"]] == [date(2026, 1, 8), date(2026, 1, 15), date(2026, 1, 22)]
    assert all(pd.Timestamp(f).weekday() == pd.Timestamp(p).weekday() == 3
               for f, p in zip(windows["first"], windows["period"], strict=True))
    days = pd.date_range("2026-01-01", "2026-02-28")
    daily = history(*[("Facebook", d, 1, float(d.day)) for d in days])  # day n of a month spent n
    p = last_year_pattern(curves(["Facebook"]), daily, horizon, 1_000.0)
    then = [sum(range(8, 15)), sum(range(15, 22)), sum(range(22, 29))]
    assert (p.first, p.last) == (date(2026, 1, 8), date(2026, 1, 28)) and p.spent == sum(then)
    assert p.table["spend"].tolist() == pytest.approx([1_000.0 * t / sum(then) for t in then], abs=0.01)


def test_the_year_before_a_leap_day_is_28_february():
    w = year_earlier(Horizon(date(2028, 2, 1), date(2028, 3, 31), "month"))
    assert [(f.date(), last.date()) for f, last in zip(w["first"], w["last"], strict=True)] == [
        (date(2027, 2, 1), date(2027, 2, 28)), (date(2027, 3, 1), date(2027, 3, 31))]


def test_a_history_that_covers_part_of_the_year_before_is_refused_with_its_dates():
    short = HISTORY[HISTORY["date"] < "2026-02-21"].copy()
    short.loc[short["name"] == "Facebook", "days"] = [31, 20]  # February's amount up to the 20th
    p = last_year_pattern(TABLE, short, Q1, 10_000.0)
    assert not p.ok and p.table is None
    assert p.reason == ("Last year's pattern needs your spend from 2026-01-01 to 2026-03-31, a year before this "
                        "horizon; the data covers only 2026-01-01 to 2026-02-20 of it (it runs from 2025-06-01 to "
                        "2026-02-20), and a pattern from part of those dates would mislead.")
    assert p.notes() == [p.reason]


def test_a_history_of_other_dates_or_none_is_refused_with_a_sentence():
    old = history(("Facebook", "2024-01-01", 366, 50_000.0))
    assert last_year_pattern(TABLE, old, Q1, 1.0).reason == (
        "Last year's pattern needs your spend from 2026-01-01 to 2026-03-31, a year before this horizon; the data "
        "covers 2024-01-01 to 2024-12-31.")
    assert last_year_pattern(TABLE, history(), Q1, 1.0).reason == (
        "There is no spend history to take last year's pattern from.")


def test_spend_only_on_names_the_model_lacks_is_no_pattern_and_elsewhere_is_left_out_and_said():
    other = history(("Snapchat", "2026-01-01", 90, 9_000.0))
    p = last_year_pattern(TABLE, other, Q1, 1_000.0)
    assert not p.ok and p.reason == ("Nothing was spent on the networks and creators planned from 2026-01-01 to "
                                     "2026-03-31, so there is no pattern of last year's to follow.")
    p = last_year_pattern(TABLE, pd.concat([HISTORY, other], ignore_index=True), Q1, 1_000.0)
    assert p.ok and p.unknown == ("Snapchat",) and p.unknown_spend == pytest.approx(9_000.0)
    assert p.table["spend"].sum() == pytest.approx(1_000.0) and p.spent == pytest.approx(13_700.0)
    assert p.notes()[-1] == "Spend then on 1 name the model has no curve for ($9,000) is left out."


def test_a_history_without_days_counts_each_amount_on_its_day():
    days = HISTORY.drop(columns="days")
    assert "covers only 2026-01-01 to 2026-03-01 of it" in last_year_pattern(TABLE, days, Q1, 1.0).reason
    p = last_year_pattern(TABLE, days, Horizon(date(2027, 1, 1), date(2027, 2, 28), "month"), 7_500.0)
    assert p.spent == 7_500.0  # January's and February's amounts, the week's on its first day
    assert _cells(p)[("TikTok", "Jan")] == pytest.approx(700.0) and _cells(p)[("TikTok", "Feb")] == 0.0


@pytest.mark.parametrize("after", [False, True])
def test_the_pattern_is_valued_on_the_plans_model_and_earns_no_more_than_its_bound(after):
    plan = plan_flighting(TABLE, 20_000.0, Q1, after=after)
    ly = last_year(plan, TABLE, HISTORY)
    worth = value_plan(TABLE, ly.pattern.table, Q1, after=after)
    assert ly.value.total_spend == pytest.approx(20_000.0)
    assert ly.earns == pytest.approx(worth.total_response + worth.after_response)
    assert (worth.after_response > 0) == after
    assert ly.over == pytest.approx(plan.value - ly.earns)
    assert ly.earns <= plan.bound * (1 + 1e-9)  # no plan of the budget earns more than the bound


def test_without_a_pattern_there_is_nothing_to_value():
    plan = plan_flighting(TABLE, 20_000.0, Q1)
    ly = last_year(plan, TABLE, HISTORY[HISTORY["date"] > pd.Timestamp(date(2026, 1, 1) + timedelta(days=3))])
    assert ly.value is None and ly.over is None and ly.earns is None
    assert ly.pattern.reason.startswith("Last year's pattern needs your spend from 2026-01-01 to 2026-03-31")


def test_timing_alone_keeps_each_rows_total_and_takes_last_years_shares():
    plan = plan_flighting(TABLE, 20_000.0, Q1)
    ly = last_year(plan, TABLE, HISTORY)
    timed = timed_as_last_year(plan.table, ly.pattern.table)
    mine = plan.table.groupby("name")["spend"].sum()
    got = timed.groupby("name")["spend"].sum()
    assert got.to_dict() == pytest.approx(mine.to_dict(), abs=0.02)  # the plan's totals, to a cent a period
    theirs = ly.pattern.table.pivot_table(index="name", columns="period", values="spend", aggfunc="sum")
    spread = timed.pivot_table(index="name", columns="period", values="spend", aggfunc="sum")
    for name in theirs.index[theirs.sum(axis=1) > 0]:  # the shares of last year's pattern, row by row
        assert (spread.loc[name] / spread.loc[name].sum()).to_numpy() == pytest.approx(
            (theirs.loc[name] / theirs.loc[name].sum()).to_numpy(), abs=1e-3)
    idle = theirs.index[theirs.sum(axis=1) <= 0]
    for name in idle:  # a row idle last year keeps the plan's own spread
        assert spread.loc[name].to_numpy() == pytest.approx(
            plan.table[plan.table["name"] == name].set_index("period")["spend"].reindex(spread.columns).to_numpy())
    worth = value_plan(TABLE, timed, Q1)
    assert ly.timing == pytest.approx(plan.value - worth.total_response)
    assert ly.timing >= -1e-6 * plan.value  # the plan's timing is the best for its totals: last year's is no better
