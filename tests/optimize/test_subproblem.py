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
