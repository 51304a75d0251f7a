"""The largest amount the planner reads."""

from __future__ import annotations

import numpy as np

from planner.base.plausible import MAX_AMOUNT, beyond_plausible, implausible_text


def test_beyond_plausible_takes_either_sign_and_infinity_but_not_nan():
    got = beyond_plausible([MAX_AMOUNT, MAX_AMOUNT * 1.01, -1e308, np.inf, np.nan, 0.0])
    assert got.tolist() == [False, True, True, True, False, False]


def test_the_sentence_keeps_a_long_value_short():
    assert implausible_text("1e308") == '"1e308" is beyond any plausible amount (the limit is 10^15)'
    assert implausible_text("9" * 400) == f'"{"9" * 29}\u2026" is beyond any plausible amount (the limit is 10^15)'
