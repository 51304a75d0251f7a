"""A hire limit with every network bounded on a roster of hundreds: a plan is found, never "no plan might exist".

On a roster of 240 creators paid by the post (tests/fixtures/roster_240.csv) with each network held to 0.6-1.5
times its share of today's spend and at most 80 creators hired, the relaxed plan within the limit does not
round to one that meets every bound, and the search with the limit counted in every node found no plan in 28 s,
then told the user the bounds might leave none. The creators the relaxed plan hires, re-planned without the
limit (planner.optimize.search.plan_with_hires_of), give a plan at once.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.bench.bounded import share_bounds
from planner.bench.milp import milp_posts
from planner.optimize import optimize, prepare
from planner.optimize.problem import hired
from planner.optimize.relaxation import relax
from planner.optimize.search import plan_with_hires_of, solve_with_hire_limit
from tests.optimize.test_optimize import assert_feasible

ROSTER = Path(__file__).resolve().parents[1] / "fixtures" / "roster_240.csv"
SIXTY = Path(__file__).resolve().parents[1] / "fixtures" / "creators_60.csv"
BUDGET = 600_000.0
HIRES = 80


def _roster():
    curves = pd.read_csv(ROSTER)
    return curves, share_bounds(curves, BUDGET, 0.6, 1.5)


def test_a_roster_of_240_under_a_hire_limit_and_network_bounds_gets_a_plan_that_meets_them():
    curves, nb = _roster()
    a = optimize(curves, BUDGET, network_bounds=nb, max_creators=HIRES, selection=False)
    assert_feasible(curves, a, BUDGET, nb)
    assert 0 < a.creators_hired <= HIRES
    assert np.isfinite(a.gap) and a.upper_bound >= a.total_response - 1e-6
    assert a.total_response > 0.95 * a.upper_bound  # a plan near the proven bound, not any plan


def test_the_relaxed_plans_creators_re_planned_meet_every_bound():
    curves, nb = _roster()
    prob = prepare(curves, nb, max_creators=HIRES).problem(BUDGET)
    rel = relax(prob, prob.lo, prob.hi)  # at no price of a hire: it hires too many
    assert hired(prob, rel.x) > HIRES
    assert plan_with_hires_of(prob, rel.x, 60.0) is None  # more creators than the limit: no plan from them
    mu = 1.0
    while True:  # a price of a hire at which the relaxed plan keeps within the limit
        priced = replace(prob, mu=mu, memo={})
        within = relax(priced, priced.lo, priced.hi).x
        if hired(prob, within) <= HIRES:
            break
        mu *= 2
    found = plan_with_hires_of(prob, within, 60.0)
    assert found is not None
    plan, value = found
    kept = set(np.flatnonzero(prob.creator & (within > 0)))
    assert hired(prob, plan) <= HIRES and set(np.flatnonzero(prob.creator & (plan > 0))) <= kept
    assert abs(plan.sum() - BUDGET) <= BUDGET and plan.sum() <= BUDGET + 0.005
    net = np.bincount(prob.net_idx, weights=plan, minlength=len(prob.networks))
    assert np.all(net >= prob.net_lo - 0.005) and np.all(net <= prob.net_hi + 0.005)
    units = np.isfinite(prob.ent.unit)
    assert np.allclose(plan[units] / prob.ent.unit[units], np.round(plan[units] / prob.ent.unit[units]))
    assert value > 0


def test_the_search_with_the_limit_starts_from_such_a_plan():
    curves, nb = _roster()
    prob = prepare(curves, nb, max_creators=HIRES).problem(BUDGET)
    x, value, bound, _rel, counts = solve_with_hire_limit(prob, time_limit=0.0, node_limit=1)
    assert x is not None and hired(prob, x) <= HIRES  # even with no time for the search beyond its first node
    assert bound >= value - 1e-6


def test_a_plan_is_called_optimal_only_when_it_is():
    """60 creators, 8 hires, networks at 0.5-2x their share: HiGHS's optimum, proven, not a plan 3.5 % below it."""
    curves = pd.read_csv(SIXTY)
    nb = share_bounds(curves, 60_000.0, 0.5, 2.0)
    a = optimize(curves, 60_000.0, network_bounds=nb, max_creators=8, selection=False)
    best, gap, _msg = milp_posts(curves, 60_000.0, network_bounds=nb, max_hires=8)
    assert gap <= 1e-6
    assert_feasible(curves, a, 60_000.0, nb)
    assert a.total_response <= best * (1 + 1e-9)
    assert a.upper_bound >= best * (1 - 1e-9)  # a bound below HiGHS's plan would be a false proof
    if a.proven:
        assert a.total_response == pytest.approx(best, rel=1e-6)
