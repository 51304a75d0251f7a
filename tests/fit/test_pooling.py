"""planner.fit.pooling: empirical-Bayes shrinkage of thin creators, and the sentence that explains it."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.fit.pooling import SHARED_DF, TAU2_FLOOR, pooling_note, shrink, shrink_groups


def test_shrink_weights_follow_the_empirical_bayes_formula():
    rng = np.random.default_rng(0)
    n = np.array([1, 1, 2, 3, 6, 8, 8, 8, 10, 12])
    est = rng.normal(0, 0.4, len(n))
    sh = shrink(est, n, sigma2=0.09)
    v = 0.09 / n
    np.testing.assert_allclose(sh.weight, sh.tau2 / (sh.tau2 + v))
    np.testing.assert_allclose(sh.post_mean, sh.weight * est + (1 - sh.weight) * sh.prior_mean)
    assert np.all(np.diff(sh.pooled_weight[np.argsort(n, kind="stable")]) <= 1e-12)
    # two creators cannot make a prior: no pooling
    two = shrink(est[:2], n[:2], 0.09)
    assert np.all(two.pooled_weight == 0) and np.array_equal(two.post_mean, est[:2])


@settings(max_examples=60, deadline=None)
@given(
    est=st.lists(st.floats(-5, 5), min_size=3, max_size=15),
    sigma2=st.floats(0.001, 1.0),
    data=st.data(),
)
def test_shrink_stays_between_each_creator_and_the_prior(est, sigma2, data):
    n = data.draw(st.lists(st.integers(1, 12), min_size=len(est), max_size=len(est)))
    sh = shrink(np.array(est), np.array(n), sigma2)
    assert np.all((sh.weight > 0) & (sh.weight <= 1))
    lo = np.minimum(est, sh.prior_mean) - 1e-9
    hi = np.maximum(est, sh.prior_mean) + 1e-9
    assert np.all((sh.post_mean >= lo) & (sh.post_mean <= hi))
    assert np.all(sh.post_var <= sigma2 / np.array(n) + 1e-12)
    # more campaigns, less pooling
    order = np.argsort(n, kind="stable")
    assert np.all(np.diff(sh.pooled_weight[order]) <= 1e-12)


def test_shrink_uses_a_size_covariate_when_it_explains_the_spread():
    rng = np.random.default_rng(1)
    size = rng.uniform(8, 14, 12)
    est = 1.0 * size + rng.normal(0, 0.1, 12)
    sh = shrink(est, np.full(12, 2), 0.04, {"followers": size})
    assert sh.covariate == "followers"
    assert np.corrcoef(sh.prior_mean, size)[0, 1] > 0.99


def test_a_network_of_few_creators_borrows_the_spread_of_the_others():
    # creators differ by 40 % in every network; one network's five happen to look alike, so alone its DL
    # estimate is 0 and every creator would be pooled all the way to the network's mean
    rng = np.random.default_rng(2)
    alike = np.array([0.01, -0.02, 0.0, 0.015, -0.005])
    many = [rng.normal(0, 0.4, 40) for _ in range(3)]
    groups = [(alike, np.ones(5), None)] + [(e, np.ones(40), None) for e in many]
    alone = shrink(alike, np.ones(5), 0.04)
    assert alone.tau2 == TAU2_FLOOR  # its own estimate, floored
    shrunk = shrink_groups(groups, 0.04)
    assert shrunk[0].tau2 > 3 * TAU2_FLOOR  # it borrows the others' spread: its own 0 weighs 4 degrees of freedom, theirs 3
    assert np.all(shrunk[0].pooled_weight < alone.pooled_weight)
    # a network of 40 creators keeps nearly its own: SHARED_DF against its 39 degrees of freedom
    own = [shrink(e, np.ones(40), 0.04).tau2 for e in many]
    for got, o in zip(shrunk[1:], own, strict=True):
        assert abs(got.tau2 - o) <= SHARED_DF / (39 + SHARED_DF) * max(o, max(g.tau2 for g in shrunk)) + 1e-12
    # each group's posterior is the empirical-Bayes formula at the spread it was given
    for sh, (est, n, _cov) in zip(shrunk, groups, strict=True):
        np.testing.assert_allclose(sh.weight, sh.tau2 / (sh.tau2 + 0.04 / n))
        np.testing.assert_allclose(sh.post_mean, sh.weight * est + (1 - sh.weight) * sh.prior_mean)


def test_groups_of_one_kind_pool_as_one_shrink_does_and_tiny_groups_not_at_all():
    rng = np.random.default_rng(3)
    est, n = rng.normal(0, 0.3, 12), rng.integers(1, 6, 12)
    one = shrink_groups([(est, n, None)], 0.09)[0]
    alone = shrink(est, n, 0.09)
    np.testing.assert_allclose(one.post_mean, alone.post_mean)  # one group: its spread is the shared one
    two = shrink_groups([(est[:2], n[:2], None), (est, n, None)], 0.09)[0]
    assert np.all(two.pooled_weight == 0) and np.array_equal(two.post_mean, est[:2])


def test_pooling_note_wording():
    pulled = pooling_note("Instagram", 1, 0.62, 9.1, 5.4, 6.8, 2400.0, 3.0, "post", "followers", 0.2, 0.3)
    assert pulled == (
        "Pulled 62% toward Instagram creators of its follower count: its 1 campaign returned $9.10 per $1 at "
        "3 posts ($2,400), they return $5.40, the curve uses $6.80. Why: one campaign's revenue varies by about "
        "22% by chance while creators differ by about 35%, so 1 campaign is little evidence."
    )
    hardly = pooling_note("TikTok", 8, 0.01, 4.0, 5.0, 4.01, 500.0, 2.5, "post", "none", 0.2, 0.3)
    assert hardly.startswith("Hardly pulled (1%): its 8 campaigns show its own return clearly, $4.00 per $1 at 2.5 posts ($500)")
    alone = pooling_note("X", 3, 0.0, 2.0, 2.0, 2.0, 900.0, 900.0, "", "none", 0.2, float("nan"))
    assert alone.startswith("Not pooled: X has fewer than three creators") and "$900" in alone
