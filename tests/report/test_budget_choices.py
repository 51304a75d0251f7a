"""planner.report.budget_choices: the budgets the app offers, the frontier through them, the next step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.analysis.insights import next_money_between
from planner.base.format import signed_money
from planner.optimize import optimize
from planner.report.budget_choices import (
    budget_grid,
    budget_options,
    budget_step,
    default_budget,
)
from planner.report.sentences import next_money_text
from tests.report.view_cases import CURVES


def test_default_budget_is_todays_total_spend_or_250k():
    assert default_budget(CURVES) == 52_500
    assert default_budget(CURVES.assign(current_spend=np.nan)) == 250_000
    assert default_budget(None) == 250_000


def test_budget_grid_spans_20_to_200_percent_and_respects_minimums():
    grid = budget_grid(100_000)
    assert len(grid) == 25 and grid[0] == 20_000 and grid[-1] == 200_000
    assert np.all(np.diff(grid) > 0)
    with_min = CURVES.assign(min_spend=[30_000.0, 0, 0, 0])
    assert budget_grid(100_000, with_min)[0] == 30_000


@pytest.mark.parametrize("budget,step", [(339_453, 10_000), (250_000, 10_000), (52_500, 2_000), (3e6, 100_000),
                                         (7_000, 250), (0, 10_000)])
def test_budget_step_is_a_round_amount_near_a_thirtieth(budget, step):
    assert budget_step(budget) == step


def test_budget_options_are_round_steps_around_the_budget_and_the_budget_itself():
    opts = budget_options(339_453, CURVES)
    assert opts[0] == 170_000 and opts[-1] == 500_000
    assert 339_453 in opts and len(opts) == 35
    assert all(b % 10_000 == 0 for b in opts if b != 339_453)
    assert list(opts) == sorted(set(opts))
    # never below what the minimum spends need
    floor = CURVES.assign(min_spend=[100_000.0, 50_000.0, 0.0, 0.0])
    assert budget_options(200_000, floor)[0] == 150_000


def test_frontier_table_from_plans_is_the_optimizers_frontier():
    from planner.optimize import frontier
    from planner.optimize.frontier import frontier_of as frontier_table

    budgets = [20_000.0, 40_000.0, 60_000.0]
    plans = [(b, optimize(CURVES, b)) for b in budgets]
    table = frontier_table(plans + [(80_000.0, None)])  # a budget that cannot be met is left out
    want = frontier(CURVES, budgets)
    pd.testing.assert_frame_equal(table[list(want.columns)], want, check_exact=False, rtol=1e-9)


def test_next_step_says_what_the_next_dollars_buy_and_where_they_go():
    a, more = optimize(CURVES, 40_000), optimize(CURVES, 50_000)
    step = next_money_between(a, more, 10_000)
    sentence = next_money_text(step)
    assert step.gain == pytest.approx(more.total_response - a.total_response)
    assert step.per_dollar == pytest.approx(step.gain / 10_000)
    moves = step.moves
    assert moves["spend_change"].sum() == pytest.approx(more.total_spend - a.total_spend, abs=0.02)
    assert moves["spend_change"].is_monotonic_decreasing
    assert sentence.startswith(f"The next $10,000 would buy about {signed_money(step.gain)} of expected revenue")
    assert moves["name"].iloc[0] in sentence
    same = next_money_text(next_money_between(a, a, 10_000))
    assert same.startswith("Another $10,000 of budget would stay unspent")
