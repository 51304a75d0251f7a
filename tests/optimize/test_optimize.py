"""The optimizer: feasibility to the cent, global optimality against brute force, messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.base.errors import InputError, PlannerError
from planner.curves.files import read_curves
from planner.curves.forms import marginal, response
from planner.curves.intervals import plan_interval
from planner.optimize import InfeasibleError, breakeven_budget, frontier, optimize, prepare
from planner.optimize.frontier import concave_frontier
from planner.report.sentences import unspent_text

SAMPLE = __import__("pathlib").Path(__file__).resolve().parents[2] / "sample_data" / "true_curves.csv"


def table(rows):
    df = pd.DataFrame(rows)
    for col in ("k", "s", "min_spend", "max_spend", "unit_cost", "current_spend"):
        if col not in df:
            df[col] = np.nan
    return df


def assert_feasible(curves, alloc, budget, network_bounds=None):
    spend = alloc.table["spend"].to_numpy()
    cents = np.round(spend * 100)
    assert np.allclose(spend * 100, cents, atol=1e-6), "spends are whole cents"
    assert cents.sum() <= round(budget * 100) + 1e-9
    lo = curves["min_spend"].fillna(0).to_numpy()
    hi = curves["max_spend"].fillna(np.inf).to_numpy()
    assert np.all(spend >= lo - 1e-9) and np.all(spend <= hi + 1e-9)
    unit = curves["unit_cost"].to_numpy(dtype=float)
    m = np.isfinite(unit)
    assert np.allclose(spend[m] / unit[m], np.round(spend[m] / unit[m]), atol=1e-9)
    if network_bounds is not None:
        tot = alloc.table.groupby("network")["spend"].sum()
        for row in network_bounds.itertuples():  # bounds in whole cents, as the planner rounds every bound
            if pd.notna(row.min_spend):
                assert tot[row.network] >= np.ceil(row.min_spend * 100 - 1e-6) / 100 - 1e-9
            if pd.notna(row.max_spend):
                assert tot[row.network] <= np.floor(row.max_spend * 100 + 1e-6) / 100 + 1e-9


CURVES = [
    {"curve": "hill", "beta": 1000.0, "k": 100.0, "s": 2.5},
    {"curve": "hill", "beta": 600.0, "k": 80.0, "s": 0.8},
    {"curve": "logistic", "beta": 800.0, "k": 200.0},
    {"curve": "log", "beta": 300.0, "k": 50.0},
    {"curve": "linear", "beta": 0.5, "max_spend": 50.0},
]


@pytest.mark.parametrize("budget", [0, 10, 100, 300, 1000, 5000], ids=lambda b: f"budget={b}")
def test_continuous_mix_is_feasible_and_kkt(budget):
    curves = table([dict(c, name=f"e{i}", network="n") for i, c in enumerate(CURVES)])
    a = optimize(curves, budget)
    assert_feasible(curves, a, budget)
    assert a.gap <= 1e-6 * max(1, a.total_response)
    assert a.total_spend == pytest.approx(budget, abs=0.01)
    # equal marginal return among interior rows (not at a bound, not at zero)
    t = a.table
    interior = (t["binding"] == "") & (t["spend"] > 1)
    m = marginal(curves, t["spend"].to_numpy())[interior.to_numpy()]
    if len(m) > 1:
        assert m.max() - m.min() <= 1e-3 * m.max() + 1e-6


def brute_force_units(curves, budget, network_bounds=None):
    """Exact optimum by enumerating every combination of whole units."""
    spends, values = [], []
    for i, r in enumerate(curves.itertuples()):
        lo = 0 if pd.isna(r.min_spend) else r.min_spend
        hi = budget if pd.isna(r.max_spend) else min(r.max_spend, budget)
        n = np.arange(np.ceil(lo / r.unit_cost - 1e-9), np.floor(hi / r.unit_cost + 1e-9) + 1)
        spends.append(n * r.unit_cost)
        values.append(response(curves.iloc[[i] * len(n)], n * r.unit_cost))
    grids = np.meshgrid(*spends, indexing="ij")
    vgrids = np.meshgrid(*values, indexing="ij")
    x = np.stack([g.ravel() for g in grids], axis=1)
    v = sum(g.ravel() for g in vgrids)
    ok = x.sum(axis=1) <= budget + 1e-9
    if network_bounds is not None:
        nets = curves["network"].to_numpy()
        for b in network_bounds.itertuples():
            tot = x[:, nets == b.network].sum(axis=1)
            if pd.notna(b.min_spend):
                ok &= tot >= b.min_spend - 1e-9
            if pd.notna(b.max_spend):
                ok &= tot <= b.max_spend + 1e-9
    return v[ok].max()


entity = st.fixed_dictionaries({
    "curve": st.sampled_from(["hill", "logistic", "log"]),
    "beta": st.floats(50, 2000),
    "k": st.floats(20, 400),
    "s": st.floats(0.6, 3.5),
    "unit_cost": st.sampled_from([25.0, 40.0, 60.0, 75.5, 100.0]),
    "max_units": st.integers(1, 6),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entity, min_size=1, max_size=3), st.floats(0, 600))
def test_whole_units_match_brute_force(ents, budget):
    budget = round(budget, 2)
    curves = table([
        {"name": f"c{i}", "network": "IG" if i % 2 else "TT", "curve": e["curve"], "beta": e["beta"],
         "k": e["k"], "s": e["s"], "unit_cost": e["unit_cost"], "max_spend": e["unit_cost"] * e["max_units"]}
        for i, e in enumerate(ents)
    ])
    a = optimize(curves, budget)
    assert_feasible(curves, a, budget)
    assert a.total_response == pytest.approx(brute_force_units(curves, budget), rel=1e-6, abs=1e-7)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entity, min_size=2, max_size=3), st.floats(100, 600), st.floats(0, 1))
def test_whole_units_with_network_bounds_match_brute_force(ents, budget, share):
    budget = round(budget, 2)
    curves = table([
        {"name": f"c{i}", "network": "IG" if i % 2 else "TT", "curve": e["curve"], "beta": e["beta"],
         "k": e["k"], "s": e["s"], "unit_cost": e["unit_cost"], "max_spend": e["unit_cost"] * e["max_units"]}
        for i, e in enumerate(ents)
    ])
    nb = pd.DataFrame({"network": ["TT"], "min_spend": [np.nan], "max_spend": [round(share * budget, 2)]})
    expected = brute_force_units(curves, budget, nb)
    a = optimize(curves, budget, network_bounds=nb)
    assert_feasible(curves, a, budget, nb)
    assert a.total_response == pytest.approx(expected, rel=1e-6, abs=1e-7)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(1.5, 4), st.floats(50, 200), st.floats(10, 500))
def test_s_curve_against_fine_grid(s, k, budget):
    """One S-shaped and one concave curve: compare with a grid of every cent split."""
    budget = round(budget, 2)
    curves = table([
        {"name": "s", "network": "a", "curve": "hill", "beta": 1000.0, "k": k, "s": s},
        {"name": "c", "network": "b", "curve": "log", "beta": 200.0, "k": 40.0},
    ])
    a = optimize(curves, budget)
    assert_feasible(curves, a, budget)
    grid = np.arange(0, round(budget * 100) + 1) / 100
    vals = response(curves.iloc[[0] * len(grid)], grid) + response(curves.iloc[[1] * len(grid)], budget - grid)
    assert a.total_response >= vals.max() - 1e-6


def test_network_bounds_hold_and_are_reported():
    curves = table([
        {"name": "IG", "network": "Instagram", "curve": "log", "beta": 5000.0, "k": 100.0},
        {"name": "TT", "network": "TikTok", "curve": "log", "beta": 1000.0, "k": 100.0},
    ])
    nb = pd.DataFrame({"network": ["Instagram", "TikTok"], "min_spend": [np.nan, 400.0], "max_spend": [300.0, np.nan]})
    a = optimize(curves, 1000, network_bounds=nb)
    assert_feasible(curves, a, 1000, nb)
    spend = a.table.set_index("name")["spend"]
    assert spend["IG"] == pytest.approx(300.0)
    assert spend["TT"] == pytest.approx(700.0)


def test_profit_leaves_budget_unspent_when_the_next_dollar_loses():
    curves = table([{"name": "a", "network": "n", "curve": "log", "beta": 100.0, "k": 10.0}])
    a = optimize(curves, 10_000, objective="profit", margin=0.5)
    # margin * beta / (k + x) = 1  ->  x = 40
    assert a.total_spend == pytest.approx(40.0, abs=0.01)
    assert a.unspent == pytest.approx(10_000 - 40.0, abs=0.01)
    assert unspent_text(a).startswith("$9,960 of the budget is left unspent: no row returns more than it costs")


@pytest.mark.parametrize(
    "rows,bounds,budget,pattern",
    [
        ([{"min_spend": 700.0}, {"min_spend": 500.0}], None, 1000, r"minimum spends add up to \$1,200.* budget is \$1,000"),
        ([{}, {}], {"network": ["A"], "min_spend": [5000.0], "max_spend": [np.nan]}, 100_000,
         "A must get at least"),
        ([{"unit_cost": 500.0, "min_spend": 100.0, "max_spend": 400.0}, {}], None, 1000, "whole units"),
    ],
    ids=["minimums-above-budget", "network-min-above-capacity", "no-whole-unit"],
)
def test_infeasible_inputs_say_why(rows, bounds, budget, pattern):
    base = [
        {"name": "x", "network": "A", "curve": "log", "beta": 100.0, "k": 10.0, "max_spend": 3000.0},
        {"name": "y", "network": "B", "curve": "log", "beta": 100.0, "k": 10.0},
    ]
    curves = table([dict(b, **r) for b, r in zip(base, rows, strict=False)])
    with pytest.raises(InfeasibleError, match=pattern):
        optimize(curves, budget, network_bounds=None if bounds is None else pd.DataFrame(bounds))


@pytest.mark.parametrize(
    "kwargs,pattern",
    [
        ({"network_bounds": pd.DataFrame({"network": ["Nope"], "min_spend": [1.0], "max_spend": [np.nan]})},
         "not a network"),
        ({"budget": -5.0}, "budget must be zero or more"),
        ({"objective": "reach"}, "Unknown objective"),
        ({"objective": "profit", "margin": 0.0}, "margin above zero"),
        ({"max_creators": 2.5}, "whole number"),
        ({"engagement_weight": 0.05}, "engagement_per_dollar"),
    ],
    ids=["unknown-network", "negative-budget", "unknown-objective", "no-margin", "fractional-hires", "no-engagement"],
)
def test_invalid_input_is_an_input_error_not_an_infeasible_plan(kwargs, pattern):
    curves = table([{"name": "x", "network": "A", "curve": "log", "beta": 100.0, "k": 10.0},
                    {"name": "A/@y", "network": "A", "curve": "log", "beta": 100.0, "k": 10.0}])
    kwargs = {"budget": 1000.0, **kwargs}
    with pytest.raises(InputError, match=pattern) as err:
        optimize(curves, **kwargs)
    assert isinstance(err.value, PlannerError) and not isinstance(err.value, InfeasibleError)


def test_sample_curves_global_optimum_and_frontier_monotone():
    curves = read_curves(SAMPLE)
    a = optimize(curves, 250_000)
    assert_feasible(curves, a, 250_000)
    assert a.gap <= 1e-6 * a.total_response
    assert a.total_response > response(curves, curves["current_spend"].fillna(0)).sum()
    f = frontier(curves, [50_000, 150_000, 250_000, 350_000])
    assert f["response"].is_monotonic_increasing
    assert f["marginal_return"].is_monotonic_decreasing
    assert breakeven_budget(curves) > 0


def test_optimize_does_not_mutate_input():
    curves = read_curves(SAMPLE)
    before = curves.copy()
    optimize(curves, 100_000)
    pd.testing.assert_frame_equal(curves, before)


def test_the_plan_total_has_p10_p50_p90_narrower_than_its_rows_added_up():
    curves = pd.DataFrame({
        "name": ["Instagram", "TikTok", "Instagram/@a", "TikTok/@b"], "network": ["Instagram", "TikTok"] * 2,
        "curve": ["hill", "log", "log", "hill"], "beta": [60000.0, 40000.0, 9000.0, 15000.0],
        "k": [20000.0, 9000.0, 1500.0, 2500.0], "s": [1.6, np.nan, np.nan, 1.2],
        "source": ["marketing-mix"] * 2 + ["creator campaigns"] * 2,
    })
    curves["beta_p10"] = curves["beta"] * [0.7, 0.6, 0.8, 0.75]
    curves["beta_p90"] = curves["beta"] * [1.3, 1.5, 1.2, 1.3]
    a = optimize(curves, 40000.0)
    rows_p10, rows_p90 = a.table["response_p10"].sum(), a.table["response_p90"].sum()
    # rows are not all wrong in the same direction at once: the total's band sits inside the rows' bands added up
    assert rows_p10 < a.response_p10 < a.response_p50 < a.response_p90 < rows_p90
    # the band's mean is the expected revenue less what choosing the plan on these curves costs; the median below it
    assert a.response_mean == pytest.approx(a.total_response - a.selection_allowance)
    assert 0 < a.selection_allowance < 0.1 * a.total_response
    assert a.response_p50 < a.response_mean
    assert a.response_p50 == pytest.approx(a.response_mean, rel=0.05)
    band = plan_interval(curves, a.table["spend"].to_numpy(), allowance=a.selection_allowance)
    assert (a.response_p10, a.response_p50, a.response_p90) == pytest.approx((band["p10"], band["p50"], band["p90"]))
    # without intervals in the curve table there is no band
    plain = optimize(curves.drop(columns=["beta_p10", "beta_p90"]), 40000.0)
    assert np.isnan(plain.response_p10) and np.isnan(plain.response_p50) and np.isnan(plain.response_p90)


def test_the_frontier_reports_each_budgets_band_as_optimize_does():
    rng = np.random.default_rng(4)
    n = 40
    beta = rng.uniform(5e3, 5e4, n)
    curves = pd.DataFrame({"name": [f"N{i % 3}/@c{i}" if i % 2 else f"N{i}" for i in range(n)],
                           "network": [f"N{i % 3}" for i in range(n)], "curve": "log", "beta": beta,
                           "k": rng.uniform(1e3, 1e4, n), "s": np.nan,
                           "source": np.where(np.arange(n) % 2, "creator campaigns", "marketing-mix"),
                           "beta_p10": beta * rng.uniform(0.6, 0.9, n), "beta_p90": beta * rng.uniform(1.1, 1.6, n)})
    budgets = [20_000.0, 80_000.0, 200_000.0]
    f = frontier(curves, budgets)
    plans = prepare(curves)
    assert concave_frontier(plans.base, np.array(budgets), plans.facts.bands) is not None  # the fast path
    for b, row in zip(budgets, f.itertuples(index=False), strict=False):
        a = optimize(curves, b)
        assert row.response_p10 == pytest.approx(a.response_p10, rel=1e-6)
        assert row.response_p90 == pytest.approx(a.response_p90, rel=1e-6)
