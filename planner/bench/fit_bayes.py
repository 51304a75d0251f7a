"""The Bayes planner: an oracle that knows how the generator draws creators, and plans on its posterior.

Its regret is the least any method can expect from the creator data, so the benchmark
shows it beside the fitted curves' (planner.bench.fit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.bench.fit_sample import BUDGETS, Sample, campaign_rows, campaign_spend, generator, rows_of
from planner.curves.forms import response

__all__ = ["creator_bayes", "best_posts", "bayes_score"]


def _tier(followers: float, tiers: dict) -> str:
    for name, (lo, hi) in tiers.items():
        if lo <= followers < hi:
            return name
    return list(tiers)[-1]


def creator_bayes(sample: Sample, draws: int = 6000, seed: int = 0) -> dict[str, np.ndarray]:
    """Return what a Bayes planner that knows how the generator draws creators expects from 0..max posts.

    An oracle, not a model: every creator's prior is the generator's own (its network and
    tier's return per dollar with its spread, the mix of forms, k in posts, hill s and the
    noise sd; ``sample_data/generate.py``), only the program's overall calibration is
    estimated (by marginal likelihood).  The posterior mean revenue of every number of
    posts follows from the creator's campaigns by importance weighting ``draws`` draws of
    the prior.  On the several-campaigns tracker (the truth has ``campaigns``, c) the prior
    is a campaign's curve f, its campaigns are its rows on one date, and n posts in a quarter
    are worth ``c * f(n fee / c)``, as the truth's quarterly curve.  A plan made on these values maximises the expected true return given the
    data, so its regret is the least any method can expect on this data.

    Returns ``{name: revenue at 0, 1, ..., max posts}``.

    Parameters
    ----------
    sample : Sample
        A generated sample (:func:`planner.bench.fit_sample.make_sample`): its truth gives
        each creator's network, followers, fee (``unit_cost``), ``max_spend`` (and
        ``campaigns`` a quarter), its creator data the campaigns (a creator's rows on one date).
    draws : int, default 6000
        Draws of the generator's prior per creator.
    seed : int, default 0
        Seed of the prior draws.

    Returns
    -------
    dict of str to ndarray
        One entry per creator with campaigns, keyed by curve name (``"Network/@handle"``,
        in sorted order): the posterior-mean revenue of 0, 1, ..., max posts (max posts
        is ``round(max_spend / unit_cost)``, or the most posts of a quarter in the data where
        more; the first value is 0).
    """
    gen = generator()
    truth = sample.truth.loc[sample.truth["kind"] == "creator"].set_index("name")
    camp = campaign_rows(sample.creators.rows)
    seen = campaign_spend(sample.creators.rows).groupby(level=0).max()  # a quarter's most spend
    rng = np.random.default_rng(seed)
    names, quad, values = [], [], []
    for name, c in camp.groupby(level=0):
        t = truth.loc[name]
        fee = float(t["unit_cost"])
        posts = int(round(float(t["max_spend"]) / fee))
        per_q = int(t["campaigns"]) if "campaigns" in t.index else 1
        p = gen.NETWORK_PROFILE[t["network"]]
        tier = _tier(float(t["followers"]), gen.TIER_FOLLOWERS)
        roas = p["creator_roas"] * gen.TIER_ROAS_FACTOR[tier] * np.exp(rng.normal(0.0, gen.CREATOR_ROAS_SD, draws))
        x_ref = max(1, int(np.ceil(posts / per_q / 2))) * fee
        u = rng.random(draws)
        forms = gen.creator_forms(getattr(sample, "creator_shapes", "mixed"))
        form = np.where(u < forms["hill"], "hill", np.where(u < forms["hill"] + forms["logistic"], "logistic", "log"))
        k = np.empty(draws)
        for f, (lo, hi) in gen.CREATOR_K_POSTS.items():
            k[form == f] = fee * rng.uniform(lo, hi, int((form == f).sum()))
        s = rng.uniform(*gen.HILL_S, draws)
        sd = rng.uniform(*gen.CREATOR_NOISE_SD, draws)
        shapes = pd.DataFrame({"name": "x", "curve": form, "beta": 1.0, "k": k, "s": np.where(form == "hill", s, np.nan)})

        def shape(x: np.ndarray, shapes: pd.DataFrame = shapes) -> np.ndarray:  # (draws, len(x)), unit beta
            return np.stack([response(shapes, np.full(draws, v)) for v in x], axis=1)

        beta = roas * x_ref / shape(np.array([x_ref]))[:, 0]
        spend = c["spend"].to_numpy(dtype=float)
        y = np.maximum(c["outcome"].to_numpy(dtype=float), 1e-9)
        # log y = log scale + log(beta g(x)) - sd²/2 + e: quadratic in log scale, per draw
        r0 = np.log(y)[None, :] - np.log(beta[:, None] * shape(spend)) + 0.5 * sd[:, None] ** 2
        w = 1.0 / sd**2
        quad.append((-0.5 * w * (r0**2).sum(axis=1) - len(y) * np.log(sd), w * r0.sum(axis=1), 0.5 * w * len(y)))
        top = max(posts, int(round(float(seen[name]) / fee)))  # a quarter may have had more than max posts
        values.append(per_q * beta[:, None] * shape(np.arange(1, top + 1) * fee / per_q))
        names.append(name)

    def loglik(ls: float, weights: bool = False):
        total, out = 0.0, []
        for a, b, cc in quad:
            ll = a + b * ls - cc * ls**2
            top = ll.max()
            e = np.exp(ll - top)
            total += top + np.log(e.mean())
            out.append(e / e.sum())
        return out if weights else total

    grid = np.linspace(-3.0, 5.0, 161)
    best = grid[int(np.argmax([loglik(g) for g in grid]))]
    fine = np.linspace(best - 0.05, best + 0.05, 41)
    ls = float(fine[int(np.argmax([loglik(g) for g in fine]))])
    return {n: np.r_[0.0, np.exp(ls) * (wt[:, None] * v).sum(axis=0)]
            for n, wt, v in zip(names, loglik(ls, weights=True), values, strict=True)}


def best_posts(values: list[np.ndarray], fees: np.ndarray, budget: float) -> np.ndarray:
    """Return the posts per creator (0..len(v)-1) that maximise the summed ``values`` within ``budget``.

    Exact: a knapsack over the budget in steps of the fees' greatest common divisor
    (whole-dollar fees).

    Parameters
    ----------
    values : list of ndarray
        Per creator, the value of 0, 1, ..., n posts (as from :func:`creator_bayes`).
    fees : ndarray
        Each creator's fee per post in dollars, in the order of ``values`` (rounded to
        whole dollars).
    budget : float
        Dollars available; the chosen posts' fees sum to at most this.

    Returns
    -------
    ndarray of int
        The number of posts of each creator, in the order of ``values``.
    """
    dollars = np.round(np.asarray(fees, dtype=float)).astype(int)
    step = int(np.gcd.reduce(dollars))
    w = dollars // step
    cap = int(budget // step)
    best = np.zeros(cap + 1)
    choice = []
    for v, wi in zip(values, w, strict=False):
        new, ch = best + v[0], np.zeros(cap + 1, dtype=np.int16)
        for n in range(1, len(v)):
            shift = n * wi
            if shift > cap:
                break
            cand = np.full(cap + 1, -np.inf)
            cand[shift:] = best[:-shift] + v[n]
            better = cand > new + 1e-9
            new = np.where(better, cand, new)
            ch[better] = n
        best = new
        choice.append(ch)
    c = int(np.argmax(best))
    out = np.zeros(len(values), dtype=int)
    for i in range(len(values) - 1, -1, -1):
        out[i] = choice[i][c]
        c -= out[i] * w[i]
    return out


def bayes_score(sample: Sample, draws: int = 6000) -> dict:
    """Error at the campaigns' posts and regret at BUDGETS of the Bayes planner (creator_bayes).

    Parameters
    ----------
    sample : Sample
        A generated sample (:func:`planner.bench.fit_sample.make_sample`); its seed
        seeds the prior draws.
    draws : int, default 6000
        Draws of the prior per creator (:func:`creator_bayes`).

    Returns
    -------
    dict
        ``"error"``: the median over creators of the median ``|Bayes / true - 1|`` at the
        posts of its campaigns; ``"regret_<m>x"`` for every multiple ``m`` of
        :data:`~planner.bench.fit_sample.BUDGETS`: ``1 - true value of the Bayes plan /
        true value of the best plan on the true curves`` (whole posts, exact knapsack),
        at ``m`` times the creators' total true ``current_spend`` (0 when the best plan
        is worth nothing).
    """
    truth = sample.truth.loc[sample.truth["kind"] == "creator"].reset_index(drop=True)
    vb = creator_bayes(sample, draws, seed=sample.seed)
    t = truth.set_index("name").loc[list(vb)]
    fees = t["unit_cost"].to_numpy(dtype=float)
    vt = [response(rows_of(truth, [n] * len(v)), np.arange(len(v)) * fee) for (n, v), fee in zip(vb.items(), fees, strict=True)]
    caps = np.round(t["max_spend"].to_numpy(dtype=float) / fees).astype(int) + 1  # plans keep to max posts
    spend = campaign_spend(sample.creators.rows)
    err = []
    for (n, v), tv, fee in zip(vb.items(), vt, fees, strict=True):
        idx = np.round(spend.loc[[n]].to_numpy(dtype=float) / fee).astype(int)
        err.append(float(np.median(np.abs(v[idx] / tv[idx] - 1))))
    out = {"error": float(np.median(err))}
    for m in BUDGETS:
        budget = m * float(truth["current_spend"].sum())
        pb = best_posts([v[:c] for v, c in zip(vb.values(), caps, strict=True)], fees, budget)
        pt = best_posts([v[:c] for v, c in zip(vt, caps, strict=True)], fees, budget)
        got = sum(v[i] for v, i in zip(vt, pb, strict=True))
        top = sum(v[i] for v, i in zip(vt, pt, strict=True))
        out[f"regret_{m:g}x"] = float(1.0 - got / top) if top > 0 else 0.0
    return out
