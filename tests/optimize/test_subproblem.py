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
