"""The per-entity subproblem max f(x) - p x is solved exactly (checked on a dense grid)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.curves.table import validate_curves
from planner.optimize.subproblem import Entities, best_response


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["hill", "logistic", "log", "linear"]),
    st.floats(10, 5000), st.floats(5, 500), st.floats(0.5, 4), st.floats(0.01, 20),
    st.floats(0, 300), st.floats(0, 2000), st.sampled_from([np.nan, 7.0, 40.0]),
)
def test_best_response_beats_every_grid_point(curve, beta, k, s, price, lo, width, unit):
    hi = lo + width
    df = validate_curves(pd.DataFrame({"name": ["e"], "network": ["n"], "curve": [curve], "beta": [beta], "k": [k],
                                       "s": [s], "max_spend": [5000.0], "unit_cost": [unit]}))
    ent = Entities.from_curves(df)
    if np.isfinite(unit):
        lo, hi = np.ceil(lo / unit) * unit, np.floor(hi / unit) * unit
        if lo > hi:
            return
        grid = np.arange(lo, hi + unit / 2, unit)
    else:
        grid = np.linspace(lo, hi, 4001)
    x = best_response(ent, np.array([price]), np.array([lo]), np.array([hi]))[0]
    assert lo - 1e-9 <= x <= hi + 1e-9
    if np.isfinite(unit):
        assert abs(x / unit - round(x / unit)) < 1e-9
    f = lambda v: ent.value(np.array([v]))[0] - price * v  # noqa: E731
    best_grid = max(f(g) for g in grid)
    assert f(x) >= best_grid - 1e-7 * max(1.0, abs(best_grid))


def test_values_and_slopes_of_chosen_rows_are_those_of_the_whole_table():
    forms = ["hill", "log", "logistic", "linear", "hill"]
    df = validate_curves(pd.DataFrame({"name": [f"e{i}" for i in range(5)], "network": ["n"] * 5, "curve": forms,
                                       "beta": [900.0, 500.0, 700.0, 300.0, 1_000.0], "k": [50.0, 80.0, 60.0, 100.0, 40.0],
                                       "s": [0.8, 1.0, 1.0, 1.0, 2.5], "max_spend": 1_000.0}))
    ent = Entities.from_curves(df)
    x = np.array([10.0, 200.0, 75.0, 30.0, 5.0])
    idx = np.array([4, 0, 2, 2, 1, 3])  # any order, repeats allowed
    assert np.allclose(ent.value_at(idx, x[idx]), ent.value(x)[idx], rtol=1e-12)
    assert np.allclose(ent.derivative_at(idx, x[idx]), ent.derivative(x)[idx], rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_mixed_rows_whole_units_and_s_curves_each_beat_every_choice(seed):
    """Whole-unit rows (read from a table of their values) beside continuous S-curves, over domains that grow."""
    rng = np.random.default_rng(seed)
    n = 12
    unit = np.where(rng.random(n) < 0.6, rng.choice([7.0, 40.0, 150.0], n), np.nan)
    df = validate_curves(pd.DataFrame({
        "name": [f"r{i}" for i in range(n)], "network": ["n"] * n, "curve": rng.choice(["hill", "log"], n),
        "beta": rng.uniform(10, 5000, n), "k": rng.uniform(5, 500, n), "s": rng.uniform(0.5, 4, n),
        "max_spend": 5000.0, "unit_cost": unit}))
    ent = Entities.from_curves(df)
    whole = np.isfinite(unit)
    for most in (3.0, 40.0, 300.0):  # units a row may take: the table is made, then made larger, then not used
        c = np.where(whole, unit, 1.0)
        lo = np.where(whole, np.floor(rng.uniform(0, most / 3, n)) * c, rng.uniform(0, 100, n))
        hi = lo + np.where(whole, np.floor(rng.uniform(0, most, n)) * c, rng.uniform(0, 2000, n))
        price = rng.uniform(0.01, 20, n)
        x = best_response(ent, price, lo, hi)
        assert np.all(x >= lo - 1e-9) and np.all(x <= hi + 1e-9)
        assert np.allclose(x[whole] / unit[whole], np.round(x[whole] / unit[whole]))
        for i in range(n):
            grid = np.arange(lo[i], hi[i] + c[i] / 2, c[i]) if whole[i] else np.linspace(lo[i], hi[i], 4001)
            vals = ent.value_at(np.full(len(grid), i), grid) - price[i] * grid
            got = ent.value_at(np.array([i]), x[i:i + 1])[0] - price[i] * x[i]
            assert got >= vals.max() - 1e-7 * max(1.0, abs(vals.max()))
