"""planner.analysis.pareto.undominated: the points of a scatter that no other point beats."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from planner.analysis.pareto import undominated


def _dominated(x, y, i) -> bool:
    return any(x[j] >= x[i] and y[j] >= y[i] and (x[j] > x[i] or y[j] > y[i]) for j in range(len(x)))


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=0, max_size=25))
def test_undominated_is_exactly_the_points_no_other_point_beats(points):
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    front = undominated(x, y)
    assert list(front) == [not _dominated(x, y, i) for i in range(len(points))]


def test_undominated_leaves_out_missing_values():
    assert undominated([1.0, np.nan, 0.5], [1.0, 5.0, np.nan]).tolist() == [True, False, False]
