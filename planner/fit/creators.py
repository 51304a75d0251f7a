"""Creators' response curves: empirical Bayes over curve shapes and over levels.

Data: one point per campaign (fee paid ``x``, promo-code revenue ``y``; a creator's
campaigns, several a quarter or one, are independent draws of its campaign curve,
planner.fit.creator_rows), noise multiplicative, so the model is on log revenue::

    log y_ij = log b_i + log g(x_ij / c_i; form_i, k_i, s_i) + e_ij,    e_ij ~ N(0, sigma2)

``c_i`` puts spend in a unit that is comparable between creators: the creator's fee
per post (then the shape is in posts: "returns flatten after about three posts"),
else thousands of followers, else the network's median campaign spend.

1. **Shapes.**  A grid of candidate shapes (log, logistic and hill with s from 0.5 to 3,
   each over a range of k) is shared by all creators.  A prior over the grid is learned
   from all creators together (nonparametric maximum likelihood, by EM): with 1 to 8
   campaigns no creator can show its own shape, but together they show which shapes
   occur.  Each creator's posterior over the grid follows from its campaigns (its scale
   profiled out).
2. **Form.**  The prior spans every form (log, logistic and hill), so the creators'
   data decide which forms occur: a creator's curve is S-shaped (hill, s > 1) only
   when the shapes of its peers support it.  (A per-network choice of the simplest
   family within one standard error of held-out error used to pick log or logistic
   curves, which cannot rise steeply, for networks of S-shaped creators: the plans
   then skipped creators at the posts where they pay most, 4 % mean regret on
   planner.bench.fit's seeds 101-110 against 2.3 % with the one prior.)
3. **Curve.**  The creator's posterior-mean shape (the average of the grid's curves,
   weighted by the posterior and anchored at the creator's typical campaign) is
   projected on the nearest curve of the grid.  The mean, not the most likely
   shape, is what maximises the expected return of a plan.
4. **Level.**  The creator's own return per dollar at the network's typical campaign
   size is shrunk toward what its network's creators return (a regression on log
   followers or log fee when that explains creators apart; planner.fit.pooling), so one
   lucky campaign does not win the budget.  The curve's scale is the level's posterior
   mean, ``exp(mean + var / 2)``, not its median: the band (planner.curves.intervals) takes
   every curve as an expected value, and a plan maximises expected revenue (on
   planner.bench.fit's seeds 101-130 the regret at half budget fell from 4.6 % to 4.4 % on
   the tracker of 2-3 campaigns a quarter, and moved by 0.05 points or less elsewhere).
5. **Interval.**  ``p10/p90`` multiply the whole curve: the posterior of the level plus
   the spread of the shape posterior between half and twice the creator's typical spend (and of
   its chance that a campaign sells, where some did not).

6. **Time of year and controls.**  Where the campaigns show a yearly wave (holiday campaigns sell more;
   planner.fit.campaign_season), it is taken out of their revenue first: the curves are the average
   quarter's, and a creator whose campaigns fell in the holidays is not ranked on the season. Where the
   file gives each campaign's controls (a discount, a launch; planner.fit.campaign_controls), their effect
   is taken out the same way: the curves are at the team's usual controls.
7. **Campaigns that sold nothing.**  A campaign with no revenue is not a point of the log curve: the
   curve is fitted to the campaigns that sold and multiplied by the creator's chance of a campaign that
   sells, pulled toward its network's (planner.fit.sold_share).

Everything is vectorised over the grid and the creators: 1,000 creators take about a
second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.fit.campaign_controls import CampaignControls, blanks_at_mean, campaign_controls
from planner.fit.campaign_season import CampaignWave, campaign_wave, wave_terms
from planner.fit.order_counts import CountWeights, count_weights
from planner.fit.pooling import shrink_groups
from planner.fit.shapes import log_shape
from planner.fit.sold_share import SoldShares, sold_shares

__all__ = ["CreatorFit", "fit_creator_model", "FAMILIES"]

FAMILIES = {"log": ("log",), "logistic": ("logistic",), "hill": ("hill",), "any": ("log", "logistic", "hill")}
_FAMILY = "any"  # the family every creator's curve is projected on (FAMILIES)
_N_K = 40  # grid of k (log-spaced, relative to the median campaign)
_K_SPAN = 20.0  # k from median / 20 to median * 20
_S_GRID = np.linspace(0.5, 3.0, 16)
_EM_ITERS = 300
_EM_TOL = 1e-7
_PRIOR_FLOOR = 1e-4  # share of the prior spread evenly, so no shape is ruled out for good
_SIGMA2_DEFAULT = 0.35**2  # log-noise variance assumed when the data cannot tell
_Z90 = 1.2815515655446004
_PROJ = np.exp(np.linspace(np.log(0.25), np.log(4.0), 13))  # projection range, relative to the anchor
_SPREAD = (_PROJ >= 0.5 - 1e-9) & (_PROJ <= 2.0 + 1e-9)  # where the shape's spread enters the interval
_CHUNK = 250  # creators projected at once (bounds memory: grid x chunk x projection points)


@dataclass(frozen=True)
class CreatorFit:
    """Per-creator results of :func:`fit_creator_model` (arrays in the order of ``creators``).

    ``beta`` is the expected revenue scale: the noise's mean, the level's posterior mean and the chance that a
    campaign sells at all (``sold.share``) included (a plan maximises expected revenue; the creators the data know
    least are otherwise valued at their median);
    ``k`` in dollars;
    ``lo/hi`` the P10/P90 multipliers of the curve; the rest explain the pooling.
    """

    form: np.ndarray
    beta: np.ndarray
    k: np.ndarray
    s: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    pooled_weight: np.ndarray
    own_roas: np.ndarray  # the creator's own return per dollar at the reference spend
    prior_roas: np.ndarray  # what its network's creators (of its size) return there
    used_roas: np.ndarray  # after pooling (median, as own and prior)
    ref_spend: np.ndarray  # the reference spend, dollars
    ref_units: np.ndarray  # the reference spend in the unit of ``unit`` (e.g. 3 posts)
    unit: np.ndarray  # "post", "k followers" or "" per creator
    covariate: np.ndarray  # what the network's prior uses: "followers", "fee" or "none"
    family: np.ndarray  # the family of forms its curve was projected on ("any")
    sigma: float  # sd of one campaign's log revenue around its curve
    tau: np.ndarray  # sd of creators' log return around their network's prior
    sold: SoldShares  # campaigns that sold nothing, and each creator's chance that one sells (beta includes it)
    wave: CampaignWave | None = None  # the yearly wave taken out of the campaigns' revenue, where supported
    controls: CampaignControls | None = None  # the campaigns' controls' effects taken out, where the file has any
    counts: CountWeights | None = None  # each campaign weighed by its orders, where the file gives them


class _Grid:
    """The candidate shapes: form, log k (unit of u) and s of every grid point."""

    def __init__(self, centre: float):
        lk = np.linspace(np.log(centre / _K_SPAN), np.log(centre * _K_SPAN), _N_K)
        hk, hs = np.meshgrid(lk, _S_GRID, indexing="ij")
        self.form = np.array(["log"] * _N_K + ["logistic"] * _N_K + ["hill"] * hk.size)
        self.logk = np.concatenate([lk, lk, hk.ravel()])
        self.s = np.concatenate([np.ones(2 * _N_K), hs.ravel()])
        self.slices = {"log": slice(0, _N_K), "logistic": slice(_N_K, 2 * _N_K),
                       "hill": slice(2 * _N_K, 2 * _N_K + hk.size)}

    def __len__(self) -> int:
        return len(self.logk)

    def log_g(self, u: np.ndarray) -> np.ndarray:
        """Return log g of every grid point (first axis) at ``u`` (any shape)."""
        u = np.asarray(u, dtype=float)
        out = np.empty((len(self),) + u.shape)
        ex = (slice(None),) + (None,) * u.ndim
        for form, sl in self.slices.items():
            out[sl] = log_shape(form, u[None, ...], self.logk[sl][ex], self.s[sl][ex])
        return out

    def mask(self, family: str) -> np.ndarray:
        return np.isin(self.form, FAMILIES[family])


def _npmle(L: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Prior over the grid points in ``mask`` that maximises the creators' likelihood (EM)."""
    pi = mask / mask.sum()
    floor = _PRIOR_FLOOR * mask / mask.sum()
    Lm = L[mask]
    p = pi[mask]
    for _ in range(_EM_ITERS):
        P = p[:, None] * Lm
        P /= P.sum(axis=0, keepdims=True)
        new = (1.0 - _PRIOR_FLOOR) * P.mean(axis=1) + floor[mask]
        done = np.max(np.abs(new - p)) < _EM_TOL
        p = new
        if done:
            break
    out = np.zeros(len(mask))
    out[mask] = p
    return out


def _project(grid: _Grid, priors: dict, fams: np.ndarray, L: np.ndarray, anchor: np.ndarray):
    """Grid point nearest each creator's posterior-mean shape; the shape's log variance.

    The mean is over the creator's posterior (prior of its family times likelihood
    ``L``) of the curves anchored at its typical campaign, on ``anchor * _PROJ``.
    """
    W = np.stack([priors[f] for f in fams], axis=1) * L  # G x m
    W /= W.sum(axis=0, keepdims=True)
    A = grid.log_g(anchor[:, None] * _PROJ[None, :])  # G x m x P
    A -= grid.log_g(anchor)[:, :, None]
    H = np.log(np.einsum("gm,gmp->mp", W, np.exp(A)))
    mean_A = np.einsum("gm,gmp->mp", W, A)
    var_A = np.einsum("gm,gmp->mp", W, A**2) - mean_A**2
    var_shape = np.mean(np.maximum(var_A[:, _SPREAD], 0.0), axis=1)
    A -= A.mean(axis=2, keepdims=True)
    H -= H.mean(axis=1, keepdims=True)
    dist = np.sum((A - H[None, :, :]) ** 2, axis=2)
    for f in FAMILIES:
        cols = fams == f
        if cols.any():
            dist[np.ix_(~grid.mask(f), cols)] = np.inf
    return np.argmin(dist, axis=0), var_shape


def _sums_known(camp: pd.DataFrame, cid: np.ndarray, m: int) -> np.ndarray:
    """Return per creator how many of its revenues are known apart: its campaigns, a report's total once.

    A promo-code report of totals gives a code's sales over several campaigns as one sum, split by fee
    (``camp["sales_group"]``, planner.data.code_sales): the split says nothing of the noise or the shape,
    so those campaigns count once.
    """
    if "sales_group" not in camp:
        return np.bincount(cid, minlength=m).astype(float)
    group = camp["sales_group"].fillna("").astype(str).to_numpy()
    key = np.where(group == "", np.arange(len(group)).astype(str), "g " + group)
    return pd.DataFrame({"cid": cid, "key": key}).drop_duplicates().groupby("cid").size().reindex(
        range(m), fill_value=0).to_numpy(dtype=float)


def _units(cr: pd.DataFrame, x: np.ndarray, cid: np.ndarray) -> tuple[np.ndarray, str]:
    """Per-creator spend unit ``c`` of one network, and its name."""
    fee = cr["unit_cost"].to_numpy(dtype=float)
    if np.all(np.isfinite(fee) & (fee > 0)):
        return fee, "post"
    fol = cr["followers"].to_numpy(dtype=float)
    if np.all(np.isfinite(fol) & (fol > 0)):
        return fol / 1000.0, "k followers"
    return np.full(len(cr), float(np.median(x))), ""


def fit_creator_model(camp: pd.DataFrame, creators: pd.DataFrame, controls: tuple[str, ...] = ()) -> CreatorFit:
    """Fit every creator's curve (module docstring).

    Parameters
    ----------
    camp : DataFrame
        One row per campaign: ``cid`` (0..m-1, the creator), ``spend`` > 0 and ``y`` > 0; optionally ``sold``
        (False: the campaign returned nothing, its ``y`` a floor; planner.fit.sold_share) and ``date`` (for
        the yearly wave, planner.fit.campaign_season).
    creators : DataFrame
        Indexed 0..m-1: ``network``, ``unit_cost`` (fee per post or NaN), ``followers``
        (or NaN) and ``n`` (campaigns).
    controls : tuple of str, default ()
        Columns of ``camp`` holding each campaign's controls (a discount, a launch; NaN where blank:
        planner.fit.campaign_controls).

    Returns
    -------
    CreatorFit
    """
    m = len(creators)
    camp = camp.sort_values("cid", kind="stable")
    sold = camp["sold"].to_numpy(dtype=bool) if "sold" in camp else np.ones(len(camp), dtype=bool)
    shares = sold_shares(camp["cid"].to_numpy(), sold, creators["network"].to_numpy())
    camp = camp.loc[shares.keep]  # a creator's campaigns that sold nothing: its chance of selling (planner.fit.sold_share)
    cid = camp["cid"].to_numpy()
    x = camp["spend"].to_numpy(dtype=float)
    ly = np.log(camp["y"].to_numpy(dtype=float))
    C = camp[list(controls)].to_numpy(dtype=float) if controls else np.zeros((len(camp), 0))
    filled, _ = blanks_at_mean(C)  # a blank counts as the control's mean
    wave = campaign_wave(ly, np.log(x), cid, camp["date"].to_numpy(), filled) if "date" in camp else None
    effects = None
    if controls:  # a discount or a launch per campaign: its lift read within creators, the wave beside it
        effects = campaign_controls(ly, np.log(x), cid, C, controls,
                                    wave_terms(camp["date"].to_numpy()) if wave is not None else None)
    if wave is not None:  # the curves are the average quarter's: each campaign's time of year taken out
        ly = ly - wave.log_multiplier(camp["date"].to_numpy())
    if effects is not None and len(effects.names):  # and at the usual controls: each campaign's own taken out
        ly = ly - effects.log_multiplier(C)
    cnt = np.bincount(cid, minlength=m).astype(float)
    starts = np.r_[0, np.cumsum(cnt)[:-1]].astype(int)
    nets = creators["network"].to_numpy()
    known = _sums_known(camp, cid, m)  # campaigns' revenues known apart (a report of totals splits some by fee)
    apart = known >= cnt  # every campaign's revenue its own: a split by fee measures neither noise nor shape

    # spend in comparable units, per network; networks with the same unit share a grid
    c = np.empty(m)
    unit = np.empty(m, dtype=object)
    for net in np.unique(nets):
        idx = np.flatnonzero(nets == net)
        sel = np.isin(cid, idx)
        c[idx], unit[idx] = _units(creators.iloc[idx], x[sel], cid[sel])
    u = x / c[cid]

    form = np.empty(m, dtype=object)
    logk = np.zeros(m)
    s = np.ones(m)
    fam_of = np.empty(m, dtype=object)
    var_shape = np.zeros(m)
    anchor = np.exp(np.add.reduceat(np.log(u), starts) / cnt)
    S1_best = np.zeros(m)

    # sigma2 from every creator's best grid fit, pooled over all creators (one noise level)
    groups = {g: np.flatnonzero(unit == g) for g in np.unique(unit.astype(str))}
    prepared = {}
    sse_best, dof = 0.0, 0.0
    for g, idx in groups.items():
        sel = np.isin(cid, idx)
        grid = _Grid(float(np.median(u[sel])))
        R = ly[sel][None, :] - grid.log_g(u[sel])
        st = np.r_[0, np.cumsum(cnt[idx])[:-1]].astype(int)
        S1 = np.add.reduceat(R, st, axis=1)
        S2 = np.add.reduceat(R**2, st, axis=1)
        sse = np.maximum(S2 - S1**2 / cnt[idx], 0.0)
        sse_best += float(sse.min(axis=0)[apart[idx]].sum())
        dof += float(np.maximum(cnt[idx] - 3, 0)[apart[idx]].sum())
        prepared[g] = (idx, sel, grid, R, S1, S2, sse)
    sigma2 = sse_best / dof if dof >= 5 else _SIGMA2_DEFAULT
    sigma2 = max(sigma2, 0.01**2)

    for _g, (idx, _sel, grid, _R, S1, _S2, sse) in prepared.items():
        ll = -0.5 * sse / sigma2
        L = np.exp(ll - ll.max(axis=0, keepdims=True))
        # one prior over every form: the shapes of all creators decide which forms occur (a
        # per-network choice of a simpler family by held-out error, one-standard-error rule,
        # kept S-shaped creators on concave curves and cost plans ~2 points of regret)
        own = apart[idx]
        priors = {_FAMILY: _npmle(L[:, own] if own.any() else np.ones((len(grid), 1)), grid.mask(_FAMILY))}
        fams = np.full(len(idx), _FAMILY, dtype=object)

        # posterior-mean shape anchored at each creator's typical campaign, projected
        best = np.empty(len(idx), dtype=int)
        for lo_j in range(0, len(idx), _CHUNK):
            jj = np.arange(lo_j, min(lo_j + _CHUNK, len(idx)))
            best[jj], var_shape[idx[jj]] = _project(grid, priors, fams[jj], L[:, jj], anchor[idx[jj]])
        split = np.flatnonzero(~own)
        if len(split):  # their shape is the split's, not the data's: their band spans the shapes that occur
            _, prior_var = _project(grid, priors, fams[split], np.ones((len(grid), len(split))), anchor[idx[split]])
            var_shape[idx[split]] = np.maximum(var_shape[idx[split]], prior_var)
        j = np.arange(len(idx))
        form[idx] = grid.form[best]
        logk[idx] = grid.logk[best]
        s[idx] = grid.s[best]
        fam_of[idx] = fams
        S1_best[idx] = S1[best, j]

    # level: own log return per dollar at the network's typical campaign, pooled
    logb_own, n_own, noise, counted = S1_best / cnt, cnt, np.full(m, sigma2), None
    if "orders" in camp:  # a campaign of few orders says little: weighed by its count (planner.fit.order_counts)
        resid = ly - np.array([log_shape(f, uu, lk, ss) for f, uu, lk, ss in
                               zip(form[cid], u, logk[cid], s[cid], strict=True)], dtype=float)
        counted = count_weights(cid, resid, camp["orders"].to_numpy(dtype=float), sigma2, m)
        if counted is not None:
            logb_own, n_own, noise = counted.own, counted.n_eff, counted.noise
    u_ref = np.empty(m)
    for net in np.unique(nets):
        idx = np.flatnonzero(nets == net)
        u_ref[idx] = float(np.median(u[np.isin(cid, idx)]))
    lg_ref = np.array([log_shape(f, ur, lk, ss) for f, ur, lk, ss in zip(form, u_ref, logk, s, strict=True)], dtype=float)
    x_ref = u_ref * c
    est = logb_own + lg_ref - np.log(x_ref)
    post, post_var = est.copy(), np.full(m, sigma2) / n_own
    prior = est.copy()
    weight = np.ones(m)
    tau = np.full(m, np.nan)
    covariate = np.full(m, "none", dtype=object)
    fol = creators["followers"].to_numpy(dtype=float)
    fee = creators["unit_cost"].to_numpy(dtype=float)
    groups = {}
    for net in np.unique(nets):
        idx = np.flatnonzero(nets == net)
        cov = {}
        if np.all(np.isfinite(fol[idx]) & (fol[idx] > 0)):
            cov["followers"] = np.log(fol[idx])
        if np.all(np.isfinite(fee[idx]) & (fee[idx] > 0)):
            cov["fee"] = np.log(fee[idx])
        groups[net] = (idx, cov)
    shrunk = shrink_groups([(est[i], n_own[i], cv) for i, cv in groups.values()], sigma2)
    for (idx, _cov), sh in zip(groups.values(), shrunk, strict=True):
        post[idx], post_var[idx], prior[idx], weight[idx] = sh.post_mean, sh.post_var, sh.prior_mean, sh.weight
        tau[idx] = np.sqrt(sh.tau2) if np.isfinite(sh.tau2) else np.nan
        covariate[idx] = sh.covariate
    logb = post - lg_ref + np.log(x_ref)
    # a creator's level rests on the sums known, not on the split's points
    post_var = np.where(apart, post_var, np.maximum(post_var, sigma2 / np.maximum(known, 1.0)))
    half = _Z90 * np.sqrt(np.maximum(post_var, 0.0) + var_shape + shares.log_variance)
    lo, hi = np.exp(-half), np.exp(half)
    return CreatorFit(
        form=form.astype(str), k=np.exp(logk) * c, s=s, lo=lo, hi=hi,
        beta=shares.share * np.exp(logb + 0.5 * noise + 0.5 * np.maximum(post_var, 0.0)),
        pooled_weight=1.0 - weight, own_roas=np.exp(est), prior_roas=np.exp(prior), used_roas=np.exp(post),
        ref_spend=x_ref, ref_units=u_ref, unit=unit.astype(str), covariate=covariate.astype(str),
        family=fam_of.astype(str), sigma=float(np.sqrt(sigma2)), tau=tau, sold=shares, wave=wave, controls=effects,
        counts=counted,
    )
