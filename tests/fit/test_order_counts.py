"""Campaigns of few orders weigh less: the counts' part of the scatter read from the campaigns, and used."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.bench.fit_sample import make_sample
from planner.fit.budget import NOTES
from planner.fit.order_counts import count_weights
from planner.fit.pipeline import fit_curves


def _poisson(seed: int, creators: int = 40, each: int = 6, noise: float = 0.0):
    """Log residuals of campaigns whose revenue is a Poisson count of orders (means 2 to 400) times a noise."""
    rng = np.random.default_rng(seed)
    cid = np.repeat(np.arange(creators), each)
    mu = np.exp(rng.uniform(np.log(2), np.log(400), creators))[cid]
    orders = rng.poisson(mu * np.exp(rng.normal(0, noise, len(cid))))
    resid = np.log(np.maximum(orders, 0.5))  # each creator's level is its log mean order count
    return cid, resid, orders.astype(float)


def test_the_counts_part_of_the_scatter_is_read_and_few_order_creators_count_for_less():
    cid, resid, orders = _poisson(0)
    sigma2 = 0.3
    w = count_weights(cid, resid, orders, sigma2, 40)
    assert w is not None and w.counted > 0.6 and w.share > 0
    per_creator = np.bincount(cid, weights=orders) / 6
    few, many = per_creator < 10, per_creator > 100
    assert w.n_eff[few].max() < w.n_eff[many].min()  # a creator of few orders is worth fewer plain campaigns
    assert w.noise[few].min() > w.noise[many].max()
    # the campaigns' variance is the fit's on average: the weights reshape it, they do not shrink it
    c = (1.0 / (np.bincount(cid, weights=orders) / 6 + 1.0))[cid]
    assert np.mean(w.extra + w.share * c) == pytest.approx(sigma2, rel=0.01)


def test_orders_in_proportion_to_revenue_change_nothing():
    rng = np.random.default_rng(1)
    cid = np.repeat(np.arange(40), 6)
    resid = rng.normal(0, 0.2, len(cid)) + rng.normal(0, 1, 40)[cid]
    orders = np.round(np.exp(resid + 4))  # revenue over an order value: no scatter of their own
    w = count_weights(cid, resid, orders, 0.04, 40)
    assert w.counted < 0.05
    own = np.bincount(cid, weights=resid) / 6
    assert w.own == pytest.approx(own, abs=0.01)
    assert w.n_eff == pytest.approx(np.full(40, 6.0), rel=0.1)


def test_no_weights_without_every_campaigns_orders():
    cid, resid, orders = _poisson(2)
    orders[3] = np.nan
    assert count_weights(cid, resid, orders, 0.3, 40) is None
    assert count_weights(cid[:10], resid[:10], orders[:10] * 0 + 5, 0.3, 2) is None  # too few campaigns to say


def test_a_tracker_of_few_orders_pulls_its_thin_creators_further_and_says_why(tmp_path):
    smp = make_sample(9, tmp_path)
    rows = smp.creators.rows.copy()
    rng = np.random.default_rng(9)
    orders = rng.poisson(np.maximum(rows["orders"].to_numpy(dtype=float) / 20, 0.5))  # a twentieth of the orders
    rows["orders"] = orders
    rows["outcome"] = orders * (rows["outcome"] / np.maximum(smp.creators.rows["orders"], 1)).to_numpy() * 20
    counted = fit_curves(replace(smp.creators, rows=rows), n_boot=0)
    blind = fit_curves(replace(smp.creators, rows=rows.drop(columns="orders")), n_boot=0)
    note = " ".join(counted.attrs.get(NOTES, []))
    assert "Campaigns of few orders scatter more: their order counts make " in note
    assert "Campaigns of few orders" not in " ".join(blind.attrs.get(NOTES, []))
    c, b = counted.set_index("name"), blind.set_index("name")
    few = rows.groupby(rows["network"] + "/" + rows["entity"])["orders"].mean().nsmallest(10).index
    assert (c.loc[few, "pooled_weight"] > b.loc[few, "pooled_weight"]).mean() >= 0.8


def test_the_shipped_samples_orders_add_no_scatter_of_their_own(tmp_path):
    smp = make_sample(7, tmp_path)
    fitted = fit_curves(smp.creators, n_boot=0)
    assert "Campaigns of few orders" not in " ".join(fitted.attrs.get(NOTES, []))
    plain = fit_curves(replace(smp.creators, rows=smp.creators.rows.drop(columns="orders")), n_boot=0)
    ratio = fitted.set_index("name")["beta"] / plain.set_index("name")["beta"]
    assert np.abs(np.log(ratio)).max() < 0.05
