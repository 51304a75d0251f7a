"""Curve forms: values, derivatives (against finite differences), inflection points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import FORMS, get_form, inflection, marginal, response

PARAMS = [
    ("hill", 1000.0, 100.0, 2.5),
    ("hill", 1000.0, 100.0, 1.0),
    ("hill", 1000.0, 100.0, 0.7),
    ("logistic", 800.0, 50.0, np.nan),
    ("log", 300.0, 20.0, np.nan),
    ("linear", 2.0, np.nan, np.nan),
]
IDS = ["hill-s2.5", "hill-s1", "hill-s0.7", "logistic", "log", "linear"]


def one(curve, beta, k, s):
    return pd.DataFrame({"name": ["e"], "network": ["n"], "curve": [curve], "beta": [beta], "k": [k], "s": [s]})


@pytest.mark.parametrize("curve,beta,k,s", PARAMS, ids=IDS)
def test_value_at_zero_is_zero_and_increasing(curve, beta, k, s):
    df = one(curve, beta, k, s)
    xs = np.linspace(0, 1000, 201)
    vals = np.array([response(df, x)[0] for x in xs])
    assert vals[0] == 0
    assert np.all(np.diff(vals) > 0)


@pytest.mark.parametrize("curve,beta,k,s", PARAMS, ids=IDS)
def test_derivative_matches_finite_difference(curve, beta, k, s):
    df = one(curve, beta, k, s)
    for x in (5.0, 50.0, 150.0, 900.0):
        h = 1e-4
        fd = (response(df, x + h)[0] - response(df, x - h)[0]) / (2 * h)
        assert marginal(df, x)[0] == pytest.approx(fd, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize(
    "curve,beta,k,s,x,expected",
    [
        ("hill", 1000.0, 100.0, 2.0, 100.0, 500.0),
        ("logistic", 800.0, 50.0, np.nan, 1e9, 800.0),
        ("log", 300.0, 20.0, np.nan, 20.0, 300.0 * np.log(2)),
        ("linear", 2.0, np.nan, np.nan, 10.0, 20.0),
    ],
    ids=["hill-half-at-k", "logistic-saturates", "log-at-k", "linear"],
)
def test_known_values(curve, beta, k, s, x, expected):
    assert response(one(curve, beta, k, s), x)[0] == pytest.approx(expected)


def test_inflection_only_for_s_shaped_hill():
    df = pd.concat([one(*p) for p in PARAMS], ignore_index=True)
    infl = inflection(df)
    assert infl[0] == pytest.approx(100.0 * (1.5 / 3.5) ** (1 / 2.5))
    assert np.all(infl[1:] == 0)
    # second derivative changes sign at the inflection
    d = lambda x: marginal(df.iloc[[0]], x)[0]  # noqa: E731
    assert d(infl[0] * 0.9) < d(infl[0]) > d(infl[0] * 1.1)


def test_registry_and_unknown_form():
    assert set(FORMS) == {"hill", "logistic", "log", "linear"}
    assert get_form(" Hill ").name == "hill"
    with pytest.raises(ValueError, match="Unknown curve form"):
        get_form("cubic")
