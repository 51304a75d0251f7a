"""Promo codes that sold a handful of orders: each campaign's revenue weighed by how many orders it counts.

A campaign that sold 3 orders says little about its creator: one order more or less moves its revenue by a
third. Orders are counts, so a campaign of ``n`` orders scatters more on the log scale than one of many orders
(a Poisson count's log varies by about ``1 / n``; ``1 / (n + 1)`` here, of the creator's mean orders per campaign,
which stays finite at 0, does not overstate the few-order campaigns, and does not tie a campaign's weight to its
own luck). Where the tracker gives each campaign's orders, the campaigns' own
deviations from their creator's mean say how much of their scatter the counts make: a campaign's variance is
``a + b / (n + 1)``, ``b`` 0 where orders are simply revenue over the order value and the counts add nothing
(the shipped sample), large where they make most of it. A creator's own level is then the mean of its
campaigns' log residuals weighted by the inverse of that variance (scaled so that the campaigns' mean is the
fit's noise), and its sampling variance is their sum's inverse: a creator whose campaigns sold few orders is
pulled further toward its network's creators (planner.fit.pooling), one whose campaigns sold many keeps its own.
Its expected revenue allows for its own campaigns' variance.

Measured (planner.fit.creators on the generator's tracker with orders redrawn as Poisson counts around the true
curve, about 8 % of campaigns selling none; seeds 101-106, no bootstrap): error 13.6 -> 12.0 %, regret at 0.5x /
1x / 2x 7.7 / 3.0 / 0.8 % -> 7.4 / 2.6 / 0.5 %. Where the counts do not make the scatter, nothing changes: the
generator's own trackers (orders in proportion to revenue), counts over-dispersed beyond them (negative binomial,
shape 5), and a tracker of a few orders per campaign where a quarter sold none (the slope is not significant).
A campaign's own count would weigh better in a pure Poisson world (2.2 % at 1x) but ties its weight to its own
luck: orders in proportion to a noisy revenue then read as counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["MIN_EXTRA", "CountWeights", "count_weights"]

MIN_EXTRA = 0.01**2  # the least noise beyond the counts assumed (a 1 % scatter)
T_COUNTS = 2.0  # the counts' slope is used only where it is this many standard errors above 0


@dataclass(frozen=True)
class CountWeights:
    """Per creator: its own level (weighted mean log residual), its campaigns' worth in plain campaigns, its noise."""

    own: np.ndarray  # the weighted mean of its campaigns' log residuals
    n_eff: np.ndarray  # sigma2 times the sum of its weights: sigma2 / n_eff is its own level's sampling variance
    noise: np.ndarray  # variance of one of its campaigns' log revenue around the curve (for the expected value)
    extra: float  # the noise beyond the counts, s2
    share: float  # the variance a campaign's log revenue gains per 1 / (orders + 1) (0: none)
    counted: float  # the part of the campaigns' scatter their counts make (0..1)


def count_weights(cid: np.ndarray, resid: np.ndarray, orders: np.ndarray, sigma2: float, m: int) -> CountWeights | None:
    """Return each creator's count-weighted level, or None where the campaigns' orders are not all known.

    Parameters
    ----------
    cid : ndarray of int
        Each campaign's creator (0..m-1).
    resid : ndarray
        Each campaign's log revenue less its creator's curve shape (its level not taken out).
    orders : ndarray
        Each campaign's orders (NaN where the file does not say).
    sigma2 : float
        The campaigns' residual variance around their creators' curves (every source of noise).
    m : int
        The number of creators.
    """
    orders = np.asarray(orders, dtype=float)
    resid = np.asarray(resid, dtype=float)
    if not len(orders) or not np.all(np.isfinite(orders) & (orders >= 0)):
        return None
    n = np.bincount(cid, minlength=m).astype(float)
    # a count's log scatter, by its creator's mean orders (finite for a creator at the floor, with no order): the
    # campaign's own count would tie it to its own residual (few orders where it sold little)
    c = (1.0 / (np.bincount(cid, weights=orders, minlength=m) / np.maximum(n, 1.0) + 1.0))[cid]
    model = _variance_model(cid, resid, c, m)
    if model is None:
        return None
    a, b = model  # the campaigns' variance is sigma2 on average, shaped as a + b / orders
    scale = sigma2 / float(np.mean(a + b * c))
    extra, share = max(a * scale, MIN_EXTRA), b * scale
    v = extra + share * c
    w = 1.0 / v
    sw = np.bincount(cid, weights=w, minlength=m)
    own = np.bincount(cid, weights=w * resid, minlength=m) / np.maximum(sw, 1e-300)
    noise = np.bincount(cid, weights=w * v, minlength=m) / np.maximum(sw, 1e-300)
    return CountWeights(own, sigma2 * sw, noise, extra, share, float(np.mean(share * c)) / sigma2)


def _variance_model(cid, resid, c, m) -> tuple[float, float] | None:
    """Return ``(a, b)`` of a campaign's log-revenue variance ``a + b / orders`` as the campaigns show it (to scale).

    Each campaign's squared deviation from its creator's mean (times ``n / (n - 1)``) against ``1 / orders``, by
    least squares over creators of two or more campaigns; ``b`` of 0 where the counts make no scatter (orders in
    proportion to revenue) or the slope is under :data:`T_COUNTS` standard errors. The deviations are around curves fitted to the same campaigns, so they are smaller
    than the noise, by about one factor for both terms: only the ratio of ``a`` to ``b`` is used. None with fewer
    than 12 such campaigns, or no scatter at all.
    """
    n = np.bincount(cid, minlength=m).astype(float)
    use = n[cid] >= 2
    if use.sum() < 12:
        return None
    mean = np.bincount(cid, weights=resid, minlength=m) / np.maximum(n, 1.0)
    e2 = (resid - mean[cid]) ** 2 * n[cid] / np.maximum(n[cid] - 1.0, 1.0)
    A = np.column_stack((np.ones(int(use.sum())), c[use]))
    (a, b), *_ = np.linalg.lstsq(A, e2[use], rcond=None)
    dof = int(use.sum()) - 2
    s2 = float(np.sum((e2[use] - A @ np.array([a, b])) ** 2)) / max(dof, 1)
    se_b = float(np.sqrt(s2 * np.linalg.pinv(A.T @ A)[1, 1]))
    b = float(b) if b > T_COUNTS * se_b else 0.0  # a slope the scatter does not support is none
    a = max(float(np.mean(e2[use] - b * c[use])), 0.0)
    if a + b * float(np.mean(c)) <= 0:
        return None
    return a, b
