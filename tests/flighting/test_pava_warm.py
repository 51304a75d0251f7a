"""The pooling started from a nearby price's blocks gives the exact answer of a pooling from single elements."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.bench.flighting import concave_rows
from planner.flighting import Horizon
from planner.flighting.pava import not_optimal, pools_of, solve_from
from planner.flighting.problem import build_problem

HALF_YEAR = Horizon(date(2027, 1, 4), date(2027, 6, 27), "week")


def rows(seed: int, n: int = 12) -> pd.DataFrame:
    """The benchmark's concave rows, some capped."""
    rng = np.random.default_rng(seed)
    return concave_rows(n, seed).assign(max_spend=np.where(rng.random(n) < 0.3, 2e4, np.nan))


def _value(prob, z, lam) -> float:
    return float(prob.value(z).sum() - lam * prob.cost @ z)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), lam=st.floats(0.05, 20.0), move=st.floats(0.25, 4.0), after=st.booleans())
def test_a_warm_start_from_another_price_finds_the_cold_answer(seed, lam, move, after):
    prob = build_problem(rows(seed), HALF_YEAR, after)
    z0, _, blocks = solve_from(prob, lam)
    assert len(not_optimal(prob, pools_of(prob, blocks), z0, lam)) == 0  # the cold answer meets its own test
    cold, slope_c, _ = solve_from(prob, lam * move)
    warm, slope_w, _ = solve_from(prob, lam * move, z0, blocks)
    scale = max(1.0, float(np.abs(cold).max()))
    assert np.abs(warm - cold).max() <= 1e-7 * scale
    # and both are the best: the Lagrangian at the answer is not below any nudged, feasible plan
    best = _value(prob, cold, lam * move)
    assert _value(prob, warm, lam * move) >= best - 1e-9 * abs(best)


def test_blocks_pooled_too_far_are_found_and_redone():
    prob = build_problem(rows(3), HALF_YEAR)
    lam = 2.0
    cold, _, blocks = solve_from(prob, lam)
    ent_first = prob.ent != np.r_[-1, prob.ent[:-1]]
    everything = ent_first & ~prob.forced  # every entity one block: pooled far more than any price wants
    warm, _, _ = solve_from(prob, lam, None, everything)
    assert np.abs(warm - cold).max() <= 1e-7 * float(np.abs(cold).max())
