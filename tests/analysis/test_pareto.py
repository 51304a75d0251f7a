"""planner.analysis.pareto: the revenue-engagement front as the value of an engagement grows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.analysis.pareto import N_POINTS, ParetoFront, pareto_front
from planner.base.errors import InputError
from planner.optimize import optimize

BUDGET = 60_000.0


def table(n: int = 12, seed: int = 0) -> pd.DataFrame:
    """A curve table with S-shaped and concave curves, whole posts on some rows, and engagement rates
    spread over two orders of magnitude (two rows unknown: NaN)."""
    rng = np.random.default_rng(seed)
    units = np.where(np.arange(n) % 3 == 0, rng.choice([250.0, 500.0, 1000.0], n), np.nan)
    rate = rng.lognormal(0.0, 1.5, n)
    rate[[1, 5]] = np.nan
    return pd.DataFrame({
        "name": [f"Net{i % 3}/@c{i}" for i in range(n)],
        "network": [f"Net{i % 3}" for i in range(n)],
        "curve": "hill",
        "beta": rng.uniform(2e4, 8e4, n),
        "k": rng.uniform(2e3, 1.5e4, n),
        "s": np.where(np.arange(n) % 2 == 0, rng.uniform(1.2, 2.0, n), rng.uniform(0.6, 1.0, n)),
        "max_spend": rng.uniform(8e3, 2e4, n),
        "unit_cost": units,
        "engagement_per_dollar": rate,
    })


def most_engagements(curves: pd.DataFrame, budget: float) -> float:
    """The most engagements any plan of the budget has: revenue set to zero, one dollar per engagement."""
    return optimize(curves.assign(beta=0.0), budget, engagement_weight=1.0).engagements


@pytest.fixture(scope="module")
def front() -> ParetoFront:
    return pareto_front(table(), BUDGET)


def test_revenue_falls_and_engagements_rise_along_the_sweep(front):
    t = front.table
    assert t["weight"].iloc[0] == 0 and t["weight"].is_monotonic_increasing and t["weight"].is_unique
    assert len(t) >= N_POINTS // 2
    r, e = t["revenue"].to_numpy(), t["engagements"].to_numpy()
    assert (np.diff(r) <= 1e-6 * r[0]).all(), r
    assert (np.diff(e) > 0).all(), e  # a point that gains nothing is the same plan, dropped
    assert (t["revenue_lost"].iloc[1:] > -1e-6 * r[0]).all()
    np.testing.assert_allclose(t["revenue_lost_pct"], (r[0] - r) / r[0])
    np.testing.assert_allclose(t["engagements_gained_pct"], (e - e[0]) / e[0])
    np.testing.assert_allclose(t["revenue_per_engagement"].iloc[1:], (r[0] - r[1:]) / (e[1:] - e[0]))


def test_the_default_sweep_runs_from_revenue_only_to_nearly_the_most_engagements(front):
    t = front.table
    e0, most = t["engagements"].iloc[0], most_engagements(table(), BUDGET)
    assert most > e0 * 1.2  # there is something to trade
    assert t["engagements"].iloc[-1] >= e0 + 0.99 * (most - e0) - 1e-6 * most
    assert t["engagements"].iloc[-1] <= most * (1 + 1e-6)
    # the first step is small: it keeps nearly all the revenue
    assert t["revenue_lost_pct"].iloc[1] < 0.01


def test_weight_zero_is_the_plan_of_optimize_without_a_weight(front):
    plain = optimize(table(), BUDGET)
    assert front.table["revenue"].iloc[0] == plain.total_response
    assert front.table["spend"].iloc[0] == plain.total_spend
    plan = front.plan(0.0)
    np.testing.assert_array_equal(plan["spend"].to_numpy(), plain.table["spend"].to_numpy())
    assert plan["name"].tolist() == plain.table["name"].tolist()
    assert front.table["engagements"].iloc[0] == pytest.approx(np.nansum(plain.table["spend"] *
                                                                          table()["engagement_per_dollar"]))


def test_plans_hold_every_point_and_obey_the_budget(front):
    for w, spend, eng in front.table[["weight", "spend", "engagements"]].itertuples(index=False):
        plan = front.plan(w)
        assert len(plan) == 12
        assert plan["spend"].sum() == pytest.approx(spend, abs=0.01)
        assert plan["spend"].sum() <= BUDGET + 0.005
        assert np.nansum(plan["engagements"]) == pytest.approx(eng)


def test_a_large_weight_moves_spend_to_the_most_engaging_rows():
    curves = table()
    rate = curves["engagement_per_dollar"].fillna(0.0).to_numpy()
    t = pareto_front(curves, BUDGET, weights=[1e4])
    base, heavy = t.plan(0.0), t.plan(1e4)

    def mean_rate(plan):
        return float(np.sum(plan["spend"] * rate) / plan["spend"].sum())

    assert mean_rate(heavy) > 1.5 * mean_rate(base)
    # the most engaging rows are filled to their cap (within one post, or 0.1 % where the proven gap of an
    # objective this large allows it), in order of engagement per dollar
    order = np.argsort(-rate)
    cap = np.minimum(curves["max_spend"].to_numpy(), BUDGET)
    filled, left = [], BUDGET
    for i in order:
        if left < cap[i]:
            break
        filled.append(i)
        left -= cap[i]
    assert filled, "the test table should let at least the top row be filled"
    unit = np.nan_to_num(curves["unit_cost"].to_numpy(), nan=0.01)
    for i in filled:
        assert heavy["spend"].iloc[i] >= cap[i] - unit[i] - 1e-3 * cap[i], curves["name"].iloc[i]
    # and the least engaging rows (NaN counts as 0) get nothing, but for what the proven gap allows
    for i in order[-2:]:
        assert heavy["spend"].iloc[i] <= 1e-4 * BUDGET


def test_nan_engagement_counts_as_zero():
    with_nan = table()
    assert with_nan["engagement_per_dollar"].isna().sum() == 2
    zero = with_nan.assign(engagement_per_dollar=with_nan["engagement_per_dollar"].fillna(0.0))
    weights = [0.01, 0.1, 1.0]
    a, b = pareto_front(with_nan, BUDGET, weights=weights), pareto_front(zero, BUDGET, weights=weights)
    pd.testing.assert_frame_equal(a.table, b.table)
    np.testing.assert_array_equal(a.plans["spend"].to_numpy(), b.plans["spend"].to_numpy())
    # the NaN rows' engagements are unknown, not invented
    assert a.plans.loc[a.plans["name"] == "Net1/@c1", "engagements"].isna().all()


def test_valuing_engagement_without_the_column_is_the_optimizers_sentence():
    curves = table().drop(columns="engagement_per_dollar")
    for kwargs in ({}, {"weights": [0.1]}):
        with pytest.raises(InputError, match=r"^Valuing engagement needs an 'engagement_per_dollar' column "
                                                  r"in the curve table\.$"):
            pareto_front(curves, BUDGET, **kwargs)
    with pytest.raises(InputError, match="must be zero or more"):
        pareto_front(table(), BUDGET, weights=[-1.0])
    with pytest.raises(TypeError, match="weights"):
        pareto_front(table(), BUDGET, engagement_weight=0.1)


def test_nothing_to_trade_gives_the_revenue_only_plan_alone():
    t = pareto_front(table().assign(engagement_per_dollar=0.0), BUDGET)
    assert t.table["weight"].tolist() == [0.0]
    assert t.table["revenue"].iloc[0] == optimize(table(), BUDGET).total_response


def test_explicit_weights_keep_zero_and_drop_repeated_plans():
    tiny = [1e-12, 2e-12]  # too small to move a cent: the revenue-only plan again
    t = pareto_front(table(), BUDGET, weights=[*tiny, 0.5])
    assert t.table["weight"].tolist() == [0.0, 0.5]
    assert set(t.plans["weight"]) == {0.0, 0.5}


def test_profit_objective_is_passed_through():
    t = pareto_front(table(), BUDGET, weights=[0.5], objective="profit", margin=0.5)
    plain = optimize(table(), BUDGET, objective="profit", margin=0.5)
    assert t.table["revenue"].iloc[0] == plain.total_response
    assert t.table["spend"].iloc[-1] >= t.table["spend"].iloc[0]  # engagement makes more spend worth it


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), w1=st.floats(1e-4, 10.0), factor=st.floats(1.5, 100.0),
       budget=st.floats(5_000.0, 120_000.0))
def test_a_higher_value_of_engagement_never_buys_fewer_engagements(seed, w1, factor, budget):
    """Exact optima of the weighted objective: (w2 - w1)(E2 - E1) >= 0 and then R1 >= R2, up to the proven gap."""
    curves = table(n=8, seed=seed)
    w2 = w1 * factor
    a1 = optimize(curves, budget, engagement_weight=w1)
    a2 = optimize(curves, budget, engagement_weight=w2)
    e1, e2 = a1.engagements, a2.engagements
    r1, r2 = a1.total_response, a2.total_response
    eps = a1.gap + a2.gap + 1e-9 * (r1 + w2 * e2) + 0.01 * (1 + w2) * 8  # proven gaps and cent rounding
    assert (w2 - w1) * (e2 - e1) >= -eps
    assert r1 - r2 >= w1 * (e2 - e1) - eps
