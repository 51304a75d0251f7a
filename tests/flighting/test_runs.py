"""Flights and pauses of at least k periods: the rule holds, the money stays, and no pattern keeping it is missed."""

from __future__ import annotations

import itertools
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.base.errors import InputError
from planner.flighting import Horizon, plan_flighting
from planner.flighting.problem import build_problem
from planner.flighting.runs import flights_ok, keep_runs, patterns

SIX_WEEKS = Horizon(date(2027, 1, 4), date(2027, 2, 14), "week")
QUARTER = Horizon(date(2027, 1, 4), date(2027, 3, 28), "week")


def table(rows) -> pd.DataFrame:
    """A curve table from (name, curve, beta, k, s, decay, current_spend) tuples."""
    out = pd.DataFrame(rows, columns=["name", "curve", "beta", "k", "s", "decay", "current_spend"])
    out["network"] = out["name"]
    return out


@pytest.mark.parametrize(("on", "k", "ok"), [
    ([1, 0, 1, 1], 2, False),  # a one-week flight
    ([0, 1, 1, 0], 2, True),  # a late start and an early stop are not pauses between flights
    ([1, 1, 0, 1, 1], 2, False),  # a one-week pause between two flights
    ([1, 1, 0, 0, 1, 1], 2, True),
    ([1, 1, 1, 0, 0, 1, 1], 3, False),
    ([0, 0, 0, 0], 3, True),  # no spend, no flight
    ([1, 1], 3, True),  # a horizon shorter than the rule: the whole horizon is one flight
    ([1, 0, 1], 1, True),  # k = 1: no rule
])
def test_flights_ok_reads_flights_and_pauses(on, k, ok):
    assert flights_ok(np.array(on, dtype=bool), k)[0] == ok


@given(P=st.integers(1, 14), k=st.integers(1, 5))
def test_every_pattern_of_the_family_keeps_the_rule(P, k):
    pats = patterns(P, k)
    assert flights_ok(pats, k).all()
    assert len(np.unique(pats, axis=0)) == len(pats)


@pytest.mark.parametrize(("P", "k"), [(P, k) for P in range(2, 8) for k in (2, 3)] + [(10, 3)])
def test_the_family_holds_every_pattern_that_keeps_the_rule_on_a_short_horizon(P, k):
    every = {on for on in itertools.product([False, True], repeat=P) if any(on) and flights_ok(np.array(on), k)[0]}
    family = {tuple(bool(x) for x in row) for row in patterns(P, k)}
    assert every <= family


def _best_pattern_value(t: pd.DataFrame, horizon: Horizon, total: float, k: int) -> float:
    """What one row earns from ``total`` spread by weeks over its best rule-keeping pattern, by enumeration."""
    prob = build_problem(t, horizon)
    weeks = prob.periods["weeks"].to_numpy(dtype=float)
    best = 0.0
    for on in itertools.product([False, True], repeat=prob.n_periods):
        on = np.array(on)
        if not on.any() or not flights_ok(on, k)[0]:
            continue
        x = total * on * weeks / (on * weeks).sum()
        v = prob.value(prob.adstocks(x[None, :]))
        best = max(best, float(v[prob.per >= 0].sum()))
    return best


def test_an_every_other_week_burst_becomes_the_best_two_week_flights():
    t = table([("TV", "hill", 285_528.0, 41_907.0, 4.0, 0.16, 0.0)])
    prob = build_problem(t, SIX_WEEKS)
    spend = np.array([[3000.0, 0.0, 3000.0, 0.0, 3000.0, 0.0]])
    out = keep_runs(prob, spend, False, 2)
    assert flights_ok(out >= 0.005, 2).all()
    assert out.sum() == pytest.approx(9000.0)
    got = float(prob.value(prob.adstocks(out))[prob.per >= 0].sum())
    assert got >= _best_pattern_value(t, SIX_WEEKS, 9000.0, 2) * (1 - 1e-9)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_a_plan_with_a_shortest_flight_keeps_it_spends_the_budget_and_stays_under_its_bound(k):
    t = table([("TV", "hill", 285_528.0, 41_907.0, 4.02, 0.16, 0.0),
               ("Radio", "hill", 150_000.0, 30_000.0, 3.0, 0.3, 0.0),
               ("Search", "log", 40_000.0, 9_000.0, np.nan, 0.3, 5_000.0)])
    free = plan_flighting(t, 6_401.0, QUARTER)
    assert not flights_ok(free.wide().iloc[:, 2:].to_numpy() > 0, k).all()  # without the rule it pulses
    plan = plan_flighting(t, 6_401.0, QUARTER, min_flight=k)
    assert flights_ok(plan.wide().iloc[:, 2:].to_numpy() > 0, k).all()
    assert plan.min_flight == k and plan.short_flights == ()
    assert plan.total_spend <= 6_401.0 + 0.01
    assert plan.value <= plan.bound * (1 + 1e-9)
    assert plan.value >= plan.even_response - 1e-6
    assert plan.value <= free.value + 1e-6  # a rule never earns more


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=st.floats(1.5, 5.0), decay=st.floats(0.05, 0.7), share=st.floats(0.05, 1.5), k=st.integers(2, 4),
       after=st.booleans())
def test_the_rule_holds_on_any_s_curve(s, decay, share, k, after):
    t = table([("TV", "hill", 200_000.0, 50_000.0, s, decay, 0.0),
               ("Search", "log", 40_000.0, 9_000.0, np.nan, 0.3, 5_000.0)])
    plan = plan_flighting(t, share * 50_000.0, QUARTER, after=after, min_flight=k)
    assert flights_ok(plan.wide().iloc[:, 2:].to_numpy() > 0, k).all()
    assert plan.value <= plan.bound * (1 + 1e-9)
    assert plan.total_spend <= share * 50_000.0 + 0.01


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_a_shortest_flight_that_is_not_a_whole_number_of_periods_is_refused(bad):
    t = table([("Search", "log", 40_000.0, 9_000.0, np.nan, 0.3, 5_000.0)])
    with pytest.raises(InputError, match="shortest flight"):
        plan_flighting(t, 1_000.0, QUARTER, min_flight=bad)


def test_a_row_held_to_a_pattern_spends_nothing_in_its_pauses_and_the_budget_is_planned_again():
    from planner.flighting.runs import restrict
    from planner.flighting.search import solve_budget

    t = table([("TV", "hill", 200_000.0, 50_000.0, 1.0, 0.4, 20_000.0),
               ("Search", "log", 40_000.0, 9_000.0, np.nan, 0.3, 5_000.0)])
    prob = build_problem(t, QUARTER)
    on = np.ones((2, prob.n_periods), dtype=bool)
    on[0, [0, 1, 6, 7, 8]] = False  # TV paused in its first two weeks and in weeks 7-9
    held = restrict(prob, on, np.array([0]))
    spend = held.spends(solve_budget(held, 30_000.0).z)
    assert np.all(spend[0, ~on[0]] <= 1e-9) and spend[0, on[0]].sum() > 0
    assert spend.sum() == pytest.approx(30_000.0, rel=1e-9)
    free = prob.spends(solve_budget(prob, 30_000.0).z)
    assert (free[0, ~on[0]] > 1.0).any()  # without the pattern it would spend there


def test_with_the_rule_money_moves_between_rows_rather_than_falling_back_to_the_even_plan():
    """An S-shaped network bursting for one week: held to two-week flights at its own total it would earn less
    than the even plan; planned again with its flight, the budget earns more than the even plan."""
    t = table([("TV", "hill", 285_528.0, 41_907.0, 4.02, 0.16, 0.0),
               ("Search", "log", 40_000.0, 9_000.0, np.nan, 0.3, 5_000.0)])
    plan = plan_flighting(t, 6_401.0, QUARTER, min_flight=2)
    assert flights_ok(plan.wide().iloc[:, 2:].to_numpy() > 0, 2).all()
    assert plan.value > plan.even_response * 1.005
