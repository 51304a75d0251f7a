"""planner.optimize.result: the Allocation is typed facts, checked when it is made; the words are made in report."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from planner.optimize import breakeven_budget, optimize, prepare
from planner.optimize.result import PlanRows
from planner.report.sentences import optimality_text, plan_status_text, unspent_text
from tests.optimize.test_optimize import table


def curves() -> pd.DataFrame:
    return table([
        {"name": "IG", "network": "Instagram", "curve": "log", "beta": 50_000.0, "k": 5_000.0},
        {"name": "TT/@a", "network": "TikTok", "curve": "hill", "beta": 20_000.0, "k": 1_500.0, "s": 1.6,
         "unit_cost": 500.0, "max_spend": 5_000.0, "engagement_per_dollar": 30.0},
    ])


def test_an_allocation_carries_typed_facts():
    a = optimize(curves(), 20_000, engagement_weight=0.01, max_creators=1)
    assert isinstance(a.nodes, int) and a.nodes >= 1 and isinstance(a.core_nodes, int)
    assert a.creators_hired == int((a.table["name"].str.contains("/") & (a.table["spend"] > 0)).sum())
    assert a.max_creators == 1 and a.engagement_weight == 0.01
    assert a.engagements == pytest.approx(float(np.nansum(a.table["engagements"])))
    assert a.value == pytest.approx(a.total_response + 0.01 * a.engagements)
    assert a.proven and a.relative_gap <= 1e-6 and a.unspent == 0.0
    assert plan_status_text(a) == "Proven optimal." == optimality_text(a)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.nodes = 3


def test_what_a_plan_leaves_unspent_is_a_fact_and_a_sentence():
    a = optimize(curves().assign(max_spend=[1_000.0, 5_000.0]), 20_000)
    assert a.unspent == pytest.approx(20_000 - a.total_spend) and a.unspent > 0
    assert unspent_text(a).startswith(f"${a.unspent:,.0f} of the budget is left unspent: no row can take more")
    assert plan_status_text(a) == unspent_text(a) + " Proven optimal."


@pytest.mark.parametrize("change,pattern", [
    ({"objective": "reach"}, "objective"),
    ({"gap": -1.0}, "gap"),
    ({"total_spend": 30_000.0}, "over its budget"),
    ({"upper_bound": float("nan")}, "finite"),
    ({"nodes": -1}, "counts"),
    ({"rows": PlanRows.from_frames(pd.DataFrame({"name": ["x"]}), pd.DataFrame())}, "lacks the column"),
])
def test_an_allocation_that_cannot_be_true_is_refused_when_made(change, pattern):
    a = optimize(curves(), 20_000)
    with pytest.raises(ValueError, match=pattern):
        dataclasses.replace(a, **change)


def test_a_search_started_from_a_plan_that_breaks_a_bound_ignores_it():
    c = curves()
    a = optimize(c, 20_000)
    start = a.table["spend"].to_numpy() * 10  # far over the budget: not a plan of this problem
    b = optimize(c, 20_000, start=start)
    assert b.total_spend <= 20_000 and b.total_response == pytest.approx(a.total_response)
    more = optimize(c, 21_000, start=a.table["spend"].to_numpy())  # still meets every bound: a head start
    assert more.total_response == pytest.approx(optimize(c, 21_000).total_response)


def test_the_break_even_budget_honours_network_bounds():
    c = curves()
    free = breakeven_budget(c)
    capped = breakeven_budget(c, pd.DataFrame({"network": ["Instagram"], "max_spend": [10_000.0]}))
    forced = breakeven_budget(c, pd.DataFrame({"network": ["Instagram"], "min_spend": [free + 20_000.0]}))
    ig_free = 50_000.0 - 5_000.0  # beta / (k + x) = 1
    assert free == pytest.approx(ig_free + optimize(c, 1e6, objective="profit").table["spend"].iloc[1], abs=1.0)
    assert capped == pytest.approx(free - (ig_free - 10_000.0), abs=1.0)
    assert forced >= free + 20_000.0 - 1.0


def test_a_plans_tables_are_the_frames_pandas_makes_and_belong_to_their_reader():
    bands = curves().assign(beta_p10=lambda d: d["beta"] * 0.8, beta_p90=lambda d: d["beta"] * 1.2,
                            current_spend=[4_000.0, np.nan], observed_max=[9_000.0, 2_000.0])
    plans = prepare(bands)
    a = plans.solve(20_000)
    for made, cols in ((a.table, a.rows.columns), (a.network_table, a.rows.network_columns)):
        pd.testing.assert_frame_equal(made, pd.DataFrame(dict(cols)))  # dtypes, index and values alike
    a.table.loc[0, "name"] = "changed"  # a reader's change stays in its own copy
    a.table["spend"] *= 2
    b = plans.solve(20_000)
    assert list(b.table["name"]) == ["IG", "TT/@a"] and b.table["spend"].sum() == pytest.approx(b.total_spend)
    read_back = PlanRows.from_frames(b.table, b.network_table)  # object columns: pandas infers their type
    assert read_back.columns["name"].dtype == object or str(read_back.columns["name"].dtype) == "str"
    pd.testing.assert_frame_equal(dataclasses.replace(b, rows=read_back).table, b.table)
