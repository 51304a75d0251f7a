"""Evaluating a plan against the curve table: known values, the optimum at the same total,
name matching, and nothing dropped silently."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.analysis.evaluate import PlanEvaluation, evaluate_plan
from planner.curves.files import read_curves
from planner.data.plans import read_plan
from planner.optimize import optimize
from planner.report.workbook import allocation_workbook

ROOT = Path(__file__).resolve().parents[2]
LN = math.log


def curves_table(rows) -> pd.DataFrame:
    cols = ["name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend", "observed_max"]
    return pd.DataFrame(rows, columns=cols)


@pytest.fixture
def two_logs() -> pd.DataFrame:
    # f(x) = 1000 ln(1 + x/1000) twice: at a total of 2000 the optimum is 1000 + 1000
    return curves_table([
        ("Instagram", "Instagram", "log", 1000.0, 1000.0, None, 0.0, None, 1200.0),
        ("TikTok/@lena.bakes", "TikTok", "log", 1000.0, 1000.0, None, 0.0, None, None),
    ])


def plan(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "spend"])


def test_known_values_and_the_optimum_at_the_same_total(two_logs):
    ev = evaluate_plan(two_logs, plan(("Instagram", 1500.0), ("TikTok/@lena.bakes", 500.0)))
    assert isinstance(ev, PlanEvaluation)
    assert ev.total_spend == 2000.0
    assert ev.total_response == pytest.approx(1000 * LN(2.5) + 1000 * LN(1.5), rel=1e-12)
    assert ev.optimum_response == pytest.approx(2000 * LN(2.0), rel=1e-6)
    assert ev.gap == pytest.approx(2000 * LN(2.0) - 1000 * LN(2.5) - 1000 * LN(1.5), rel=1e-5)
    r = ev.rows.set_index("name")
    assert r.loc["Instagram", "response"] == pytest.approx(1000 * LN(2.5))
    assert r.loc["Instagram", "roas"] == pytest.approx(1000 * LN(2.5) / 1500)
    assert r.loc["Instagram", "marginal_return"] == pytest.approx(1000 / 2500)
    assert r.loc["TikTok/@lena.bakes", "marginal_return"] == pytest.approx(1000 / 1500)
    assert r["optimal_spend"].tolist() == pytest.approx([1000.0, 1000.0], abs=0.01)
    assert r.loc["Instagram", "change_to_optimal"] == pytest.approx(-500.0, abs=0.01)
    # 1500 is beyond the 1200 the data has seen; TikTok has no observed range
    assert r["extrapolated"].tolist() == [True, False]
    assert any("extrapolation" in w and "Instagram" in w for w in ev.warnings)
    assert not ev.unmatched and not ev.missing
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.total_spend = 1.0  # type: ignore[misc]


def test_a_plan_equal_to_the_optimum_has_no_gap(two_logs):
    ev = evaluate_plan(two_logs, plan(("Instagram", 1000.0), ("TikTok/@lena.bakes", 1000.0)))
    assert ev.total_response == pytest.approx(2000 * LN(2.0))
    assert ev.gap == pytest.approx(0.0, abs=1e-3)
    assert "as much as the best split" in ev.summary()


def test_unmatched_names_count_in_the_total_with_no_revenue(two_logs):
    ev = evaluate_plan(two_logs, plan(("Instagram", 1000.0), ("Snapchat", 300.0)))
    assert ev.unmatched == ("Snapchat",)
    assert ev.total_spend == 1300.0
    assert ev.total_response == pytest.approx(1000 * LN(2.0))
    snap = ev.rows[ev.rows["name"] == "Snapchat"].iloc[0]
    assert snap["spend"] == 300.0 and snap["response"] == 0.0 and not snap["in_curves"]
    assert any("'Snapchat'" in w and "$300 counts" in w for w in ev.warnings)
    # the entity missing from the plan is listed at zero spend
    assert ev.missing == ("TikTok/@lena.bakes",)
    lena = ev.rows[ev.rows["name"] == "TikTok/@lena.bakes"].iloc[0]
    assert lena["spend"] == 0.0 and lena["response"] == 0.0 and not lena["in_plan"]
    assert any("not in the plan" in w and "TikTok/@lena.bakes" in w for w in ev.warnings)
    # the optimum gets the same money, all of it on known entities
    assert ev.optimum_response == pytest.approx(2000 * LN(1.65), rel=1e-6)


def test_matching_case_handles_and_ambiguity():
    c = curves_table([
        ("Instagram", "Instagram", "log", 1000.0, 1000.0, None, 0.0, None, None),
        ("TikTok/@lena.bakes", "TikTok", "log", 500.0, 400.0, None, 0.0, None, None),
        ("Instagram/@sam", "Instagram", "log", 300.0, 100.0, None, 0.0, None, None),
        ("TikTok/@sam", "TikTok", "log", 300.0, 100.0, None, 0.0, None, None),
        ("YouTube/@Kai.Runs", "YouTube", "log", 300.0, 100.0, None, 0.0, None, None),
    ])
    p = plan(("instagram", 100.0), ("@lena.bakes", 200.0), ("@sam", 50.0), ("YouTube/kai.runs", 10.0))
    ev = evaluate_plan(c, p)
    r = ev.rows.set_index("name")
    assert r.loc["Instagram", "spend"] == 100.0 and r.loc["Instagram", "match"] == "ignoring case"
    assert r.loc["TikTok/@lena.bakes", "spend"] == 200.0 and r.loc["TikTok/@lena.bakes", "match"] == "creator handle"
    assert r.loc["YouTube/@Kai.Runs", "spend"] == 10.0
    assert ev.unmatched == ("@sam",)  # two networks have @sam: never guessed
    assert r.loc["@sam", "match"].startswith("ambiguous handle")
    assert set(ev.missing) == {"Instagram/@sam", "TikTok/@sam"}
    assert {m[0] for m in ev.matches} == {"instagram", "@lena.bakes", "YouTube/kai.runs"}
    assert ev.total_spend == 360.0


def test_bounds_units_and_infeasible_optimum_are_warned():
    c = curves_table([
        ("Instagram", "Instagram", "log", 1000.0, 1000.0, None, 800.0, None, None),
        ("TikTok/@a", "TikTok", "linear", 2.0, None, None, 0.0, 100.0, None),
    ])
    c["unit_cost"] = [np.nan, 30.0]
    ev = evaluate_plan(c, plan(("Instagram", 100.0), ("TikTok/@a", 140.0)))
    text = " ".join(ev.warnings)
    assert "below the minimum spend" in text and "above the maximum spend" in text
    assert "not a whole number of units" in text
    assert math.isnan(ev.optimum_response) and "No optimum" in text  # 800 minimum > 240 total
    assert ev.total_response == pytest.approx(1000 * LN(1.1) + 280.0)  # linear: no cap on the curve itself


def test_to_json_is_strict_json_with_the_contract_keys(two_logs):
    ev = evaluate_plan(two_logs, plan(("Instagram", 1500.0), ("Snapchat", 1.0)))
    out = json.loads(json.dumps(ev.to_json(), allow_nan=False))
    assert {"total_spend", "total_response", "optimum_response", "rows", "warnings"} <= set(out)
    assert out["total_spend"] == 1501.0
    assert {"name", "spend", "response", "optimal_spend", "extrapolated"} <= set(out["rows"][0])
    assert [r["name"] for r in out["rows"]] == ["Instagram", "TikTok/@lena.bakes", "Snapchat"]
    assert out["rows"][2]["optimal_spend"] is None


def test_our_workbook_evaluates_to_its_own_optimum():
    c = curves_table([
        ("Instagram", "Instagram", "hill", 50000.0, 20000.0, 1.5, 0.0, None, None),
        ("TikTok/@=HYPERLINK(\"x\")", "TikTok", "log", 9000.0, 1500.0, None, 0.0, 12000.0, None),
        ("YouTube", "YouTube", "logistic", 30000.0, 9000.0, None, 1000.0, None, None),
    ])
    a = optimize(c, 40000)
    p = read_plan(allocation_workbook(a, c), name="plan.xlsx")
    ev = evaluate_plan(c, p)
    assert not ev.unmatched and not ev.missing
    assert ev.total_spend == pytest.approx(a.total_spend, abs=0.005)
    assert ev.total_response == pytest.approx(a.total_response, rel=1e-9)
    assert ev.optimum_response == pytest.approx(a.total_response, rel=1e-9)


def test_sample_finance_plan_against_the_true_curves():
    plan_path = ROOT / "sample_data" / "finance_plan.xlsx"
    curves_path = ROOT / "sample_data" / "true_curves.csv"
    if not (plan_path.exists() and curves_path.exists()):
        pytest.skip("the sample files have not been generated yet")
    c = read_curves(curves_path)
    p = read_plan(plan_path)
    ev = evaluate_plan(c, p)
    assert not ev.unmatched
    assert ev.total_spend == pytest.approx(p["spend"].sum(), abs=0.005)
    assert ev.optimum_response >= ev.total_response - 0.01
    r = ev.rows.set_index("name")
    from planner.curves.forms import response

    one = c[c["name"] == "Instagram"]
    assert r.loc["Instagram", "response"] == pytest.approx(
        response(one, [p.set_index("name").loc["Instagram", "spend"]])[0])


def test_summary_reads_whole_dollars_and_the_optimum_interval(two_logs):
    curves = two_logs.assign(beta_p10=[800.0, 800.0], beta_p90=[1200.0, 1200.0])
    ev = evaluate_plan(curves, plan(("Instagram", 2000.0), ("TikTok/@lena.bakes", 0.0)))
    s = ev.summary()
    assert "$2,000 and is expected to return $1,099" in s  # 1000 ln 3 = 1,098.6: whole dollars, no cents
    assert ".00" not in s
    opt = ev.optimum
    assert (f"(80% interval: ${opt.response_p10:,.0f} to ${opt.response_p90:,.0f}, "
            f"median ${opt.response_p50:,.0f}, mean ${opt.response_mean:,.0f})") in s
    assert f"The mean allows ${opt.selection_allowance:,.0f} for the optimizer's curse" in s
    assert opt.selection_allowance > 0
    # the two rows are not wrong together for sure: the band is inside their bands added up
    assert 0.8 * 2 * 1000 * LN(2) < opt.response_p10 < opt.response_p50 < opt.response_p90 < 1.2 * 2 * 1000 * LN(2)
    assert ev.optimum_p50 == opt.response_p50 and ev.to_json()["optimum_p50"] == pytest.approx(opt.response_p50)


def test_long_lists_in_warnings_say_how_many_more():
    curves = pd.DataFrame({"name": [f"TikTok/@c{i}" for i in range(12)], "network": "TikTok", "curve": "log",
                           "beta": 1000.0, "k": 100.0, "min_spend": 0.0, "max_spend": np.inf, "unit_cost": 30.0})
    plan = pd.DataFrame({"name": curves["name"], "spend": 45.0})  # a post and a half each
    text = " ".join(evaluate_plan(curves, plan).warnings)
    assert "12 planned spends are not a whole number of units" in text
    assert text.count("per unit") == 8 and "; and 4 more." in text
