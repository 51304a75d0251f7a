"""The hill root f'(x) = p is exact from any start: cold, warm from a nearby price, or warm from a far one."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner.curves.forms import get_form

HILL = get_form("hill")


def _check(x, p, beta, k, s, infl):
    """Every root is exact (slope = price to 1e-10), or the inflection where p is above the peak slope."""
    d = HILL.derivative(x, beta, k, s)
    peak = np.where(s < 1, np.inf, np.where(s == 1, beta / k, HILL.derivative(infl, beta, k, s)))
    tiny = x <= k * np.exp(-59.0)  # a root left of the bracket's end (spend of about 1e-26 k): nothing to plan
    on_curve = (p < peak) & ~tiny
    assert np.all(x >= infl * (1 - 1e-12))
    assert np.allclose(d[on_curve] / p[on_curve], 1.0, rtol=1e-10, atol=0.0)
    if (~on_curve & ~tiny).any():
        np.testing.assert_allclose(x[~on_curve & ~tiny], np.where(s > 1, infl, 0.0)[~on_curve & ~tiny])


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from([0.3, 0.02, 1e-3]), st.sampled_from([1e-3, 0.5, 8.0]))
@example(9408, 0.02, 8.0)  # a root far left found after one long step: the quadratic estimate did not hold there
def test_root_exact_cold_and_warm_across_price_moves(seed, s_near_one, move):
    rng = np.random.default_rng(seed)
    n = 400
    beta = rng.lognormal(8, 1.5, n)
    k = rng.lognormal(7, 1.5, n)
    # curves of every kind: well concave, s within s_near_one of 1 (roots far left), S-shaped
    s = np.concatenate([rng.uniform(0.3, 0.95, n // 4), 1 - rng.uniform(0, s_near_one, n // 4),
                        np.ones(n // 4), rng.uniform(1.05, 3.0, n - 3 * (n // 4))])
    infl = HILL.inflection(beta, k, s)
    state: dict = {}
    p = beta / k * rng.lognormal(0, 2, n)
    for _ in range(4):  # each call warm-starts from the last: small moves and jumps of the price
        x = HILL.root(p, beta, k, s, infl, state)
        _check(x, p, beta, k, s, infl)
        p = p * rng.lognormal(0, move, n)
    cold = HILL.root(p, beta, k, s, infl, {})
    np.testing.assert_allclose(HILL.root(p, beta, k, s, infl, state), cold, rtol=1e-9)
