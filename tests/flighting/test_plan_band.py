"""A plan over time has the band of the Optimize page's plans: rows sharing their errors, the optimizer's curse allowed.

Its band used to add its rows' P10s and P90s, as if every curve erred the same way at once: twice as wide as
the one-period plan's band over the same plan, and with no allowance for the optimizer's curse.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from planner.fit import saved
from planner.flighting import Horizon, plan_flighting
from planner.flighting.band import horizon_band, period_bands, selection_share
from planner.flighting.value import value_plan
from planner.optimize import optimize
from planner.report.flight_text import flight_headline

QUARTER = Horizon(date(2026, 6, 1), date(2026, 8, 30), "week")  # 13 weeks: one planning period
BUDGET = 250_000.0


@pytest.fixture(scope="module")
def curves():
    return pd.read_parquet(saved.SAMPLE_FIT).drop(columns="decay", errors="ignore")  # no carry-over: one quarter


@pytest.fixture(scope="module")
def plan(curves):
    return plan_flighting(curves, BUDGET, QUARTER)


def test_a_quarter_over_time_has_the_band_of_the_quarters_plan(curves, plan):
    one = optimize(curves, BUDGET)
    assert plan.total_response == pytest.approx(one.total_response, rel=2e-3)
    b = plan.band
    assert b["expected"] == pytest.approx(plan.total_response)
    assert b["allowance"] == pytest.approx(one.selection_allowance, rel=5e-3) and b["allowance"] > 0
    assert b["mean"] == pytest.approx(b["expected"] - b["allowance"])
    for ours, theirs in ((b["p10"], one.response_p10), (b["p50"], one.response_p50), (b["p90"], one.response_p90)):
        assert ours == pytest.approx(theirs, rel=5e-3)
    added = plan.table[["response_p10", "response_p90"]].sum()
    assert b["p90"] - b["p10"] < 0.75 * (added["response_p90"] - added["response_p10"])  # narrower than the sum


def test_each_period_has_its_own_band_the_same_way(curves, plan):
    by = plan.by_period()
    assert len(by) == 13 and np.all(by["response_p10"] < by["response"]) and np.all(by["response"] < by["response_p90"])
    resp = plan.table["response"].to_numpy().reshape(len(curves), -1)
    share = selection_share(curves, BUDGET, QUARTER)
    assert np.allclose(by[["response_p10", "response_p90"]].to_numpy(), period_bands(curves, resp, share))
    assert share == pytest.approx(plan.band["allowance"] / plan.total_response)


def test_a_plan_someone_else_made_is_not_lowered(curves, plan):
    theirs = plan.table[["name", "period", "spend"]]
    valued = value_plan(curves, theirs, QUARTER)
    assert valued.total_response == pytest.approx(plan.total_response, rel=1e-9)
    assert valued.band["allowance"] == 0.0 and valued.band["mean"] == pytest.approx(valued.total_response)
    assert valued.band["p10"] > plan.band["p10"]  # the same plan, without the allowance the planner's own carries


def test_without_bands_there_is_no_band_as_on_the_optimize_page(curves):
    bare = curves.drop(columns=["beta_p10", "beta_p90"])
    resp = np.ones((len(bare), 4))
    assert horizon_band(bare, resp) == {} and period_bands(bare, resp).shape == (0, 2)
    assert np.isnan(optimize(bare, BUDGET).response_p10)  # the one-period plan says none either
    assert selection_share(bare, BUDGET, QUARTER) == 0.0


def test_a_curve_table_without_intervals_has_no_band_rather_than_one_of_a_single_amount(curves):
    # it read "80% interval: $1,775,424 to $1,775,424": a band the data never gave
    bare = curves.drop(columns=["beta_p10", "beta_p90"])
    plan = plan_flighting(bare, BUDGET, QUARTER)
    assert plan.band == {} and len(plan.period_band) == 0
    h = flight_headline(plan)
    assert h["interval"] == "" and h["selection"] == ""
    assert value_plan(bare, plan.table[["name", "period", "spend"]], QUARTER).band == {}
