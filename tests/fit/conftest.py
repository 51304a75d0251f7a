"""The fits the fit tests share: simulated creators and paid media, fitted once per module."""

from __future__ import annotations

import pytest

from planner.fit.pipeline import fit_curves
from tests.fit.fit_cases import FakeDataset, simulate_creators, simulate_paid


@pytest.fixture(scope="module")
def creators():
    rows, truth = simulate_creators(seed=3)
    table = fit_curves(FakeDataset("attributed", rows), n_boot=20, seed=0)
    return rows, truth, table


@pytest.fixture(scope="module")
def paid():
    rows = simulate_paid()
    return rows, fit_curves(FakeDataset("attributed", rows), n_boot=50, seed=4)
