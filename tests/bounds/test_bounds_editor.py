"""The app's bounds editors, per row and per network, read and applied through planner.bounds.bounds.Bounds."""

from __future__ import annotations

import math

import numpy as np

from planner.bounds.bounds import Bounds
from planner.optimize import optimize
from tests.report.view_cases import CURVES


def bounds_table(curves):
    return Bounds().editor_tables(curves)[0]


def network_bounds_table(curves):
    return Bounds().editor_tables(curves)[1]


def apply_bounds(curves, table):
    return Bounds.from_editor(table, None).apply(curves)


def bounds_problems(table, curves=CURVES):
    return Bounds.from_editor(table, None).problems(curves)


def network_bounds_frame(table):
    return Bounds.from_editor(None, table).network_frame()


def network_bounds_problems(table):
    return Bounds.from_editor(None, table).problems()


def test_apply_bounds_min_max_lock_and_no_limit():
    b = bounds_table(CURVES)
    assert math.isnan(b.loc["TikTok", "Max spend"])  # no limit shows as empty
    b.loc["TikTok", "Min spend"] = 5_000.0
    b.loc["X", "Max spend"] = 1_000.0
    b.loc["TikTok/@lena.bakes", "Lock at current"] = True
    out = apply_bounds(CURVES, b)
    assert list(out["min_spend"]) == [5_000.0, 0.0, 2_000.0, 0.0]
    assert list(out["max_spend"]) == [np.inf, 1_000.0, 2_000.0, np.inf]
    assert CURVES.loc[0, "min_spend"] == 0.0  # input not modified
    a = optimize(out, 40_000)
    t = a.table.set_index("name")
    assert t.loc["TikTok/@lena.bakes", "spend"] == 2_000.0 and t.loc["X", "spend"] <= 1_000.0


def test_bounds_problems_are_sentences():
    b = bounds_table(CURVES)
    assert bounds_problems(b) == []
    b.loc["X", "Min spend"] = 9_000.0
    b.loc["X", "Max spend"] = 1_000.0
    no_current = CURVES.assign(current_spend=[np.nan, 1.0, 1.0, 1.0])
    b2 = bounds_table(no_current)
    b2.loc["TikTok", "Lock at current"] = True
    assert bounds_problems(b) == ["X: the minimum spend $9,000 is above the maximum $1,000."]
    assert bounds_problems(b2, no_current) == ["TikTok: there is no current spend to lock it at."]


def test_network_bounds_frame_keeps_only_networks_with_a_bound():
    t = network_bounds_table(CURVES)
    assert list(t.index) == ["TikTok", "X"]
    assert t.loc["TikTok", "Current spend"] == 32_000
    assert network_bounds_frame(t) is None
    t.loc["X", "Max spend"] = 10_000.0
    f = network_bounds_frame(t)
    assert f.to_dict("records") == [{"network": "X", "min_spend": 0.0, "max_spend": 10_000.0}]
    t.loc["X", "Min spend"] = 20_000.0
    assert network_bounds_problems(t) == ["X: the network minimum $20,000 is above its maximum $10,000."]
