"""The flighting solver against brute force, SciPy and its own proofs, on shapes it did not choose."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from planner.base.errors import InputError
from planner.flighting import Horizon, parse_horizon, plan_flighting, value_plan
from planner.flighting.plan import value_spends
from planner.flighting.problem import build_problem
from planner.flighting.search import solve_budget


def curves(rows) -> pd.DataFrame:
    """A curve table from (name, curve, beta, k, s, decay, current_spend) tuples."""
    out = pd.DataFrame(rows, columns=["name", "curve", "beta", "k", "s", "decay", "current_spend"])
    out["network"] = out["name"]
    return out


WEEKS3 = Horizon(date(2027, 1, 4), date(2027, 1, 24), "week")


def grid_best(table: pd.DataFrame, horizon: Horizon, budget: float, steps: int, after: bool) -> float:
    """The best plan on a grid of budget/steps dollars per (row, period), by enumeration."""
    prob = build_problem(table, horizon, after)
    E, P = len(table), prob.n_periods
    best = -np.inf
    cells = E * P
    for split in itertools.combinations(range(steps + cells), cells):  # stars and bars: every way to spend it all
        parts = np.diff(np.concatenate([[-1], split])) - 1
        spend = parts[:cells].reshape(E, P) * budget / steps
        if parts[:cells].sum() != steps:
            continue
        resp, _, later = value_spends(prob, spend)
        best = max(best, resp.sum() + (later if after else 0.0))
    return best


def _long(table, prob, spend) -> pd.DataFrame:
    E, P = spend.shape
    return pd.DataFrame({"name": np.repeat(table["name"].to_numpy(), P),
                         "period": np.tile(prob.periods["period"].to_numpy(), E), "spend": spend.ravel()})


@pytest.mark.parametrize("after", [False, True])
def test_no_plan_on_a_grid_beats_the_flighted_plan_and_none_beats_its_bound(after):
    table = curves([("TV", "hill", 90_000.0, 20_000.0, 0.8, 0.6, 12_000.0),
                    ("Search", "log", 40_000.0, 9_000.0, np.nan, 0.2, 5_000.0)])
    plan = plan_flighting(table, 9_000.0, WEEKS3, after=after)
    grid = grid_best(table, WEEKS3, 9_000.0, 10, after)
    assert plan.value >= grid - 1e-6 * grid
    assert plan.bound >= plan.value
    assert plan.gap <= 1e-6  # concave curves: proven optimal
    assert plan.total_spend <= 9_000.0 + 1e-9
    assert (plan.table["spend"] >= 0).all()


def test_scipy_finds_nothing_better_on_a_concave_problem():
    table = curves([("A", "hill", 100_000.0, 30_000.0, 0.8, 0.5, 20_000.0),
                    ("B", "log", 50_000.0, 20_000.0, np.nan, 0.3, 10_000.0),
                    ("C", "logistic", 60_000.0, 25_000.0, np.nan, 0.7, 0.0)])
    horizon = Horizon(date(2027, 1, 4), date(2027, 2, 14), "week")
    for after in (False, True):
        plan = plan_flighting(table, 30_000.0, horizon, after=after)
        prob = build_problem(table, horizon, after)
        E, P = len(table), prob.n_periods

        def neg(x, prob=prob, E=E, P=P, after=after):
            v = value_plan(table, _long(table, prob, x.reshape(E, P)), horizon, after)
            return -(v.total_response + v.after_response) / 1e4

        x0 = np.full(E * P, 30_000.0 / (E * P))
        res = minimize(neg, x0, method="SLSQP", bounds=[(0, None)] * (E * P),
                       constraints=[{"type": "eq", "fun": lambda x: (x.sum() - 30_000.0) / 1e4}],
                       options={"ftol": 1e-14, "maxiter": 2000})
        assert -res.fun * 1e4 <= plan.value * (1 + 1e-7)
        assert plan.value <= plan.bound <= plan.value * (1 + 1e-6)


def test_a_plan_reads_back_as_what_it_earns():
    table = curves([("TV", "hill", 90_000.0, 20_000.0, 1.6, 0.6, 12_000.0),
                    ("Social", "logistic", 40_000.0, 9_000.0, np.nan, 0.0, 5_000.0)])
    horizon = parse_horizon("2027-01-01:2027-06-30", "month")
    plan = plan_flighting(table, 60_000.0, horizon)
    back = value_plan(table, plan.table[["name", "period", "spend"]])
    assert back.horizon == horizon
    assert back.total_response == pytest.approx(plan.total_response, rel=1e-12)
    assert back.total_spend == pytest.approx(plan.total_spend, abs=1e-6)


def test_without_carry_over_every_week_gets_the_same_spend():
    table = curves([("A", "hill", 100_000.0, 30_000.0, 0.8, 0.0, 0.0), ("B", "log", 50_000.0, 8_000.0, np.nan, 0.0, 0.0)])
    plan = plan_flighting(table, 26_000.0, Horizon(date(2027, 1, 4), date(2027, 3, 28), "week"))
    wide = plan.wide("spend").set_index("name").drop(columns="network")
    assert np.allclose(wide.to_numpy(), wide.to_numpy()[:, :1], atol=0.011)
    assert plan.over_even == pytest.approx(0.0, abs=1e-6 * plan.value)


def test_carry_over_makes_the_last_weeks_dark_unless_what_comes_after_counts():
    table = curves([("TV", "hill", 200_000.0, 40_000.0, 0.9, 0.7, 30_000.0)])
    horizon = Horizon(date(2027, 1, 4), date(2027, 3, 28), "week")
    inside = plan_flighting(table, 20_000.0, horizon, after=False)
    spend = inside.table["spend"].to_numpy()
    assert spend[-1] == 0.0 and spend[:-3].min() > 0  # its carry-over would earn after the horizon: not counted
    after = plan_flighting(table, 20_000.0, horizon, after=True)
    assert after.table["spend"].to_numpy()[-1] > 0
    assert after.after_response > 0 and inside.after_response == 0.0
    assert inside.over_even > 0  # flighting pays where the horizon's end cuts carry-over off


def test_an_s_curve_network_gets_a_proven_gap_and_a_plan_no_worse_than_even():
    table = curves([("TV", "hill", 300_000.0, 60_000.0, 2.5, 0.5, 0.0),
                    ("Search", "log", 50_000.0, 10_000.0, np.nan, 0.3, 5_000.0)])
    plan = plan_flighting(table, 80_000.0, parse_horizon("2027-01-01:2027-06-30", "month"))
    assert plan.value >= plan.even_response
    assert 0 <= plan.gap < 0.05
    assert plan.value <= plan.bound


def test_creators_are_booked_in_whole_posts_within_their_roster():
    table = curves([("Search", "log", 80_000.0, 15_000.0, np.nan, 0.3, 5_000.0),
                    ("IG/@a", "hill", 30_000.0, 2_000.0, 1.4, 0.0, 0.0),
                    ("IG/@b", "log", 20_000.0, 1_500.0, np.nan, 0.0, 0.0)])
    table["unit_cost"] = [np.nan, 1_000.0, 600.0]
    table["max_spend"] = [np.nan, 3_000.0, 1_200.0]  # a quarter: 3 posts of @a, 2 of @b
    horizon = parse_horizon("2027-01-01:2027-06-30", "month")
    plan = plan_flighting(table, 40_000.0, horizon)
    per_row = plan.table.groupby("name")["spend"].sum()
    assert per_row["IG/@a"] <= 6_000.0 + 1e-6 and per_row["IG/@b"] <= 2_400.0 + 1e-6
    for name, fee in (("IG/@a", 1_000.0), ("IG/@b", 600.0)):
        posts = plan.table.loc[plan.table["name"] == name, "spend"] / fee
        assert np.allclose(posts, np.round(posts))
    assert plan.total_spend <= 40_000.0


@st.composite
def problems(draw):
    n = draw(st.integers(1, 4))
    rows = []
    for i in range(n):
        form = draw(st.sampled_from(["hill", "log", "logistic"]))
        s = draw(st.floats(0.5, 1.0)) if form == "hill" else np.nan
        rows.append((f"R{i}", form, draw(st.floats(1e3, 1e6)), draw(st.floats(1e2, 1e5)), s,
                     draw(st.sampled_from([0.0, 0.1, 0.5, 0.9])), draw(st.floats(0, 5e4))))
    weeks = draw(st.integers(1, 10))
    budget = draw(st.floats(0.0, 2e5))
    after = draw(st.booleans())
    return curves(rows), Horizon(date(2027, 3, 1), date(2027, 3, 1) + timedelta(days=7 * weeks - 1), "week"), \
        budget, after


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_concave_plans_are_proven_optimal_and_never_worse_than_even(case):
    table, horizon, budget, after = case
    prob = build_problem(table, horizon, after)
    sol = solve_budget(prob, budget)
    assert sol.value >= 0 and sol.bound >= sol.value * (1 - 1e-9)
    assert (sol.bound - sol.value) <= 1e-6 * max(sol.bound, 1.0)  # the solver alone, before any fallback
    spend = prob.spends(sol.z)
    assert spend.min() >= -1e-9 and spend.sum() <= budget * (1 + 1e-9) + 1e-6
    plan = plan_flighting(table, budget, horizon, after)
    assert plan.value >= plan.even_response - 1e-6 * max(plan.value, 1.0)
    # the bound holds against random plans within the budget
    rng = np.random.default_rng(0)
    E, P = spend.shape
    for _ in range(5):
        x = rng.dirichlet(np.ones(E * P)).reshape(E, P) * budget
        v = value_plan(table, _long(table, prob, x), horizon, after)
        assert v.total_response + v.after_response <= plan.bound * (1 + 1e-9) + 1e-6


def test_a_vanishing_carry_over_is_none_and_the_plan_is_still_the_best():
    """A subnormal spend carried in (1e-308, as hypothesis drew it) once made a bound whose inverse overflowed: a plan
    0.03 % short of the best was called proven."""
    table = curves([("R0", "hill", 1000.0, 100.0, 1.0, 0.1, 1.112537e-308), ("R1", "log", 1000.0, 100.0, np.nan, 0.0, 0.0)])
    week = Horizon(date(2027, 3, 1), date(2027, 3, 7), "week")
    plan = plan_flighting(table, 1.0, week, True)
    clean = plan_flighting(table.assign(current_spend=0.0), 1.0, week, True)
    assert plan.value == pytest.approx(clean.value, rel=1e-12) and plan.bound == pytest.approx(clean.bound, rel=1e-12)
    prob = build_problem(table, week, True)
    for share in np.linspace(0.0, 1.0, 21):  # no split of the dollar beats the bound
        v = value_plan(table, _long(table, prob, np.array([[share], [1.0 - share]])), week, True)
        assert v.total_response + v.after_response <= plan.bound * (1 + 1e-9)


def test_bad_horizons_are_sentences():
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_horizon("2027-13-01:2027-12-31")
    with pytest.raises(InputError, match="before it starts"):
        parse_horizon("2027-06-01:2027-01-31")
    with pytest.raises(InputError, match="START:END"):
        parse_horizon("2027-01-01")
    with pytest.raises(InputError, match="week or month"):
        parse_horizon("2027-01-01:2027-03-31", "day")


def test_a_tiny_budget_beside_a_large_carried_in_credit_is_still_proven():
    """Found by the property above: $1e-8 of budget, $72 of carry-over credit and a hill s < 1 (infinite slope at
    0). The price search stopped within a tolerance of the credit, not the budget, and proved 4.3e-6 only."""
    table = curves([("R0", "log", 1000.0, 100.0, np.nan, 0.5, 935.0), ("R1", "hill", 1002.0, 100.0, 0.5, 0.0, 0.0)])
    sol = solve_budget(build_problem(table, Horizon(date(2027, 3, 1), date(2027, 3, 7), "week")), 1e-8)
    assert sol.bound - sol.value <= 1e-6 * max(sol.bound, 1.0)
