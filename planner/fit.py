"""Fit response curves from Datasets and return the curve table (DESIGN.md, contract 1).

Public API: :func:`fit_curves` (any Datasets -> validated curve table), and the parts
it is made of: :func:`fit_creators`, :func:`fit_attributed_networks`,
:func:`planner.mmm.fit_mmm` with :func:`mmm_curve_rows`.

Three kinds of entity, three methods:

* **Creators** (``kind == "attributed"``, ``entity != ""``).  A creator's rows in one
  calendar quarter are one campaign: one point (fee paid, promo-code revenue), and
  the curve goes through the origin.  Noise is multiplicative, so curves are fitted
  to log revenue (zero revenue counts as half the smallest positive one).

  1. Per network, a *shared shape* (form, k, s) is fitted to all its creators with a
     free scale per creator (profiled out), spend normalised by the creator's size:
     none, fee per post or followers, whichever leave-one-out error prefers.  With too
     few repeated campaigns in a network, the shape of all creators together is used.
  2. A creator with four or more campaigns over a spread of spend may keep its *own*
     shape (log, logistic or hill) when its leave-one-out error beats the shared one by
     more than a standard error.
  3. Every creator's log scale is shrunk toward its network's prior (a regression on
     log followers or log fee when that explains creators apart) by empirical Bayes,
     planner.pooling: weight on the creator's own data ``tau2 / (tau2 + sigma2 / n)``;
     ``pooled_weight`` is one minus that.
  4. The fit on logs estimates the median; beta is multiplied by ``exp(sigma2 / 2)`` so
     the curve is the expected revenue.  ``beta_p10/beta_p90``: the 80 % posterior
     interval of log beta plus the shape's leave-one-out error beyond the noise (on
     generated data the interval held the true response 85 % of the time).

* **Attributed paid media** (``entity == ""``): the platform-attributed outcome summed
  to weeks per network, one curve through the origin per network (form chosen as
  below), converted to the planning period: ``P * f_w(x / P)``.  Interval: moving-block
  bootstrap of the weeks.
* **Marketing mix** (``kind == "total"``): planner.mmm.

Forms are those of planner.curves (hill with s in [0.5, 3], logistic, log), fitted by a
grid over k (and s) with the scale profiled out, polished by bounded least squares.
The form is chosen by leave-one-out error with the one-standard-error rule: a
simpler candidate (fewer parameters; a creator's network shape is simplest) wins
unless a more complex one is better by more than one standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from planner.curve_table import validate_curves
from planner.mmm import MMMError, MMMResult, fit_mmm, weekly_steps
from planner.pooling import shrink

__all__ = [
    "FitError", "fit_curves", "fit_creators", "fit_attributed_networks", "mmm_curve_rows", "fit_mmm",
    "MMMResult", "TABLE_COLUMNS", "SOURCES",
]

SOURCES = {"creator": "creator campaigns", "mmm": "marketing-mix", "paid": "attributed paid"}

TABLE_COLUMNS = (
    "name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend", "unit_cost",
    "current_spend", "observed_min", "observed_max", "n_obs", "r2", "mape", "source",
    "pooled_weight", "beta_p10", "beta_p90",
)

_FORMS = ("log", "logistic", "hill")
_COMPLEXITY = {"shared": 1.0, "log": 2.0, "logistic": 2.0, "hill": 3.0}
_S_GRID = np.array([0.5, 0.6, 0.75, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.3, 2.6, 3.0])
_S_BOUNDS = (0.5, 3.0)
_N_K = 40
_K_LO, _K_HI = 1 / 20, 10.0  # grid of k: from min(u)/20 (flat) to 10 * max(u) (nearly linear)
_Z90 = 1.2815515655446004  # standard normal 90 % quantile
_SIGMA2_DEFAULT = 0.35**2  # log-residual variance assumed when the data cannot tell
_MIN_OWN = 4  # campaigns a creator needs before its own shape is considered
_BLOCK = 8  # weeks per bootstrap block


class FitError(ValueError):
    """Data that cannot be fitted; the message is one sentence for the user."""


# ----------------------------------------------------------------------------- shapes


def _log_g(form: str, u, logk, s):
    """log of the unit-scale shape g(u) (beta = 1); broadcasts; u > 0."""
    u = np.asarray(u, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):
        if form == "hill":
            return -np.logaddexp(0.0, s * (logk - np.log(u)))
        if form == "logistic":
            return np.log(np.tanh(u / (2.0 * np.exp(logk))))
        if form == "log":
            return np.log(np.log1p(u / np.exp(logk)))
    raise ValueError(form)


def _grid(form: str, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    logk = np.linspace(np.log(lo), np.log(hi), _N_K)
    if form == "hill":
        lk, s = np.meshgrid(logk, _S_GRID, indexing="ij")
        return lk.ravel(), s.ravel()
    return logk, np.ones_like(logk)


def _resid(form, u, ly, logk, s) -> np.ndarray:
    """Log residuals (G, n) of every grid point (rows) at every observation."""
    return ly[None, :] - _log_g(form, u[None, :], np.asarray(logk)[:, None], np.asarray(s)[:, None])


def _centre(r: np.ndarray, ids: np.ndarray | None, m: int) -> np.ndarray:
    if ids is None:
        return r - r.mean()
    mean = np.bincount(ids, weights=r, minlength=m) / np.maximum(np.bincount(ids, minlength=m), 1)
    return r - mean[ids]


def _refine(form, u, ly, logk0, s0, lo, hi, ids=None, m=0) -> tuple[float, float]:
    """Polish the best grid point by bounded least squares (scale profiled out)."""
    lb, ub = np.log(lo), np.log(hi)
    x0 = [float(np.clip(logk0, lb, ub))]
    lower, upper = [lb], [ub]
    if form == "hill":
        x0.append(float(np.clip(s0, *_S_BOUNDS)))
        lower.append(_S_BOUNDS[0])
        upper.append(_S_BOUNDS[1])

    def fun(p):
        s = p[1] if form == "hill" else 1.0
        return _centre(ly - _log_g(form, u, p[0], s), ids, m)

    try:
        sol = least_squares(fun, x0, bounds=(lower, upper), method="trf", max_nfev=100)
        if np.sum(sol.fun**2) <= np.sum(fun(np.array(x0)) ** 2):
            p = sol.x
        else:
            p = np.array(x0)
    except (ValueError, np.linalg.LinAlgError):  # pragma: no cover - degenerate data
        p = np.array(x0)
    return float(p[0]), float(p[1]) if form == "hill" else 1.0


def _one_se(errors: dict[str, np.ndarray], complexity: dict[str, float]) -> str:
    """Pick by leave-one-out error; a simpler candidate within one standard error wins."""
    means = {f: float(np.mean(e)) for f, e in errors.items()}
    best = min(means, key=lambda f: (means[f], complexity[f]))
    ok = []
    for f, e in errors.items():
        d = e - errors[best]
        se = float(np.std(d, ddof=1) / np.sqrt(len(d))) if len(d) > 1 else 0.0
        if means[f] - means[best] <= se + 1e-12:
            ok.append(f)
    return min(ok, key=lambda f: (complexity[f], means[f]))


# ----------------------------------------------------------------------------- one entity


@dataclass(frozen=True)
class _Fit:
    form: str
    logb: float
    logk: float  # log k in the units of u
    s: float
    sigma2: float  # variance of the log residuals
    loo: dict  # form -> leave-one-out squared errors


def _loo_single(R: np.ndarray) -> tuple[np.ndarray, int]:
    """Leave-one-out errors of 'best grid point + free scale', refitted per fold."""
    n = R.shape[1]
    S1 = R.sum(axis=1)
    S2 = (R**2).sum(axis=1)
    best = int(np.argmin(S2 - S1**2 / n))
    S1m = S1[:, None] - R
    S2m = S2[:, None] - R**2
    cost = S2m - S1m**2 / (n - 1)
    g = np.argmin(cost, axis=0)
    j = np.arange(n)
    err = (R[g, j] - S1m[g, j] / (n - 1)) ** 2
    return err, best


def _fit_single(u: np.ndarray, ly: np.ndarray, forms=_FORMS, extra_loo: dict | None = None) -> _Fit:
    """Fit ``log y = log beta + log g(u)`` over the candidate forms, choose by LOO."""
    n = len(u)
    lo, hi = float(np.min(u)) * _K_LO, float(np.max(u)) * _K_HI
    if n < 4 or np.ptp(np.log(u)) < 1e-6:
        # too little to choose a shape: a log curve bending at the median spend
        logk = float(np.log(np.median(u)))
        r = ly - _log_g("log", u, logk, 1.0)
        s2 = float(np.var(r, ddof=1)) if n > 1 else float("nan")
        return _Fit("log", float(r.mean()), logk, 1.0, s2, {})
    loo, grid_best = {}, {}
    for form in forms:
        lk, s = _grid(form, lo, hi)
        R = _resid(form, u, ly, lk, s)
        err, b = _loo_single(R)
        loo[form] = err
        grid_best[form] = (lk[b], s[b])
    cands = dict(loo)
    if extra_loo:
        cands.update(extra_loo)
    form = _one_se(cands, _COMPLEXITY)
    if form not in forms:  # an outside candidate (the network shape) won
        return _Fit(form, float("nan"), float("nan"), float("nan"), float("nan"), cands)
    logk, s = _refine(form, u, ly, *grid_best[form], lo, hi)
    r = ly - _log_g(form, u, logk, s)
    n_par = 3 if form == "hill" else 2
    sigma2 = float(np.sum((r - r.mean()) ** 2) / max(n - n_par, 1))
    return _Fit(form, float(r.mean()), logk, s, sigma2, cands)


# ----------------------------------------------------------------------------- shared shape


@dataclass(frozen=True)
class _Shape:
    form: str
    logk: float  # in units of u = x / c
    s: float
    norm: str  # "none", "fee" or "followers"
    sigma2: float  # within-creator variance of log residuals
    dof: int
    loo_mse: float  # leave-one-out squared error of a campaign's log revenue


def _loo_shared(R: np.ndarray, ids: np.ndarray, m: int) -> tuple[np.ndarray, int]:
    """LOO errors over points of creators with two or more campaigns (scale per creator)."""
    G, N = R.shape
    M = np.zeros((N, m))
    M[np.arange(N), ids] = 1.0
    cnt = M.sum(axis=0)
    S1 = R @ M
    S2 = (R**2) @ M
    with np.errstate(divide="ignore", invalid="ignore"):
        sse_c = np.where(cnt > 0, S2 - S1**2 / np.maximum(cnt, 1), 0.0)
    total = sse_c.sum(axis=1)
    best = int(np.argmin(total))
    p = np.flatnonzero(cnt[ids] >= 2)
    i = ids[p]
    Rp = R[:, p]
    s1m = S1[:, i] - Rp
    s2m = S2[:, i] - Rp**2
    cost = total[:, None] - sse_c[:, i] + (s2m - s1m**2 / (cnt[i] - 1))
    g = np.argmin(cost, axis=0)
    j = np.arange(len(p))
    err = (Rp[g, j] - s1m[g, j] / (cnt[i] - 1)) ** 2
    return err, best


def _shared_shape(x, ly, ids, m, norms: dict[str, np.ndarray]) -> _Shape | None:
    """Shape shared by creators (a free scale each); None when the data cannot tell."""
    cnt = np.bincount(ids, minlength=m)
    dof = int(np.sum(cnt[cnt >= 2] - 1))
    if dof < 3:
        return None
    loo, best = {}, {}
    for norm, c in norms.items():
        u = x / c[ids]
        lo, hi = float(np.min(u)) * _K_LO, float(np.max(u)) * _K_HI
        for form in _FORMS:
            lk, s = _grid(form, lo, hi)
            err, b = _loo_shared(_resid(form, u, ly, lk, s), ids, m)
            key = f"{form}|{norm}"
            loo[key] = err
            best[key] = (lk[b], s[b], lo, hi)
    cx = {key: _COMPLEXITY[key.split("|")[0]] + (0.0 if key.endswith("|none") else 0.5) for key in loo}
    key = _one_se(loo, cx)
    form, norm = key.split("|")
    u = x / norms[norm][ids]
    lk0, s0, lo, hi = best[key]
    logk, s = _refine(form, u, ly, lk0, s0, lo, hi, ids, m)
    r = _centre(ly - _log_g(form, u, logk, s), ids, m)
    sigma2 = float(np.sum(r**2) / dof)
    loo_mse = max(float(np.mean(loo[key])), sigma2)
    return _Shape(form, logk, s, norm, sigma2, dof, loo_mse)


# ----------------------------------------------------------------------------- creators


def _campaigns(rows: pd.DataFrame) -> pd.DataFrame:
    """One point per creator per calendar quarter: spend, outcome and attributes."""
    ent = rows["entity"].fillna("").astype(str).str.strip()
    df = rows.loc[ent != ""].copy()
    df["entity"] = ent[ent != ""]
    df["network"] = df["network"].astype(str).str.strip()
    df["spend"] = pd.to_numeric(df["spend"], errors="coerce")
    df["outcome"] = pd.to_numeric(df["outcome"], errors="coerce")
    df = df.dropna(subset=["spend", "outcome", "date"])
    df["date"] = pd.to_datetime(df["date"])
    df["quarter"] = df["date"].dt.to_period("Q")
    posts = pd.to_numeric(df["posts"], errors="coerce") if "posts" in df else pd.Series(np.nan, index=df.index)
    df["_fee"] = np.where(posts > 0, df["spend"] / posts.where(posts > 0), np.nan)
    df["_followers"] = pd.to_numeric(df["followers"], errors="coerce") if "followers" in df else np.nan
    df["_max_posts"] = pd.to_numeric(df["max_posts"], errors="coerce") if "max_posts" in df else np.nan
    g = df.groupby(["network", "entity", "quarter"], sort=True, observed=True)
    camp = g.agg(spend=("spend", "sum"), outcome=("outcome", "sum")).reset_index()
    attrs = df.groupby(["network", "entity"], sort=True, observed=True).agg(
        unit_cost=("_fee", "median"), followers=("_followers", "median"), max_posts=("_max_posts", "max")
    )
    return camp.merge(attrs.reset_index(), on=["network", "entity"], how="left")


def _floor_outcome(y: np.ndarray) -> np.ndarray:
    """Zero or negative revenue cannot be logged: count it as half the smallest positive."""
    pos = y[y > 0]
    floor = 0.5 * pos.min() if len(pos) else 1.0
    return np.where(y > 0, y, floor)


def _in_sample(y: np.ndarray, yhat: np.ndarray) -> tuple[float, float]:
    """R² (NaN below 3 points) and MAPE on the revenue scale."""
    mape = float(np.mean(np.abs(y - yhat) / np.abs(y))) if np.all(y != 0) else float("nan")
    if len(y) < 3:
        return float("nan"), mape
    sst = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum((y - yhat) ** 2)) / sst if sst > 0 else float("nan")
    return r2, mape


def _norms(cr: pd.DataFrame) -> dict[str, np.ndarray]:
    """Candidate normalisers of a creator's spend (one value per creator).

    ``none``: dollars; ``fee``: posts (spend / fee per post); ``followers``: dollars per
    thousand followers.  A normaliser is a candidate only when every creator has it.
    """
    out = {"none": np.ones(len(cr))}
    fee = cr["unit_cost"].to_numpy(dtype=float)
    if np.all(np.isfinite(fee) & (fee > 0)):
        out["fee"] = fee
    fol = cr["followers"].to_numpy(dtype=float)
    if np.all(np.isfinite(fol) & (fol > 0)):
        out["followers"] = fol / 1000.0
    return out


def fit_creators(rows: pd.DataFrame, period_weeks: float = 13) -> pd.DataFrame:
    """Curve-table rows of every creator in attributed ``rows`` (entity != "").

    Parameters
    ----------
    rows : DataFrame
        Canonical attributed rows (``date, network, entity, spend, outcome``; optional
        ``posts, followers``).  Rows of a creator in one calendar quarter form one
        campaign; campaigns without spend are not fitted.
    period_weeks : float
        Length of the planning period.  A campaign is one quarter (13 weeks) of a
        creator's activity, so curves and spends are rescaled by ``P / 13`` when P differs.

    Returns
    -------
    DataFrame
        Columns :data:`TABLE_COLUMNS` (see :func:`fit_curves`); ``r2`` and ``mape`` are
        **in-sample**, on the revenue scale of the creator's campaigns (``r2`` NaN below
        three campaigns).
    """
    camp = _campaigns(rows)
    camp = camp.loc[camp["spend"] > 0].reset_index(drop=True)
    if camp.empty:
        return pd.DataFrame(columns=list(TABLE_COLUMNS))
    f = period_weeks / 13.0
    camp["y"] = _floor_outcome(camp["outcome"].to_numpy(dtype=float))
    keys = camp[["network", "entity"]].drop_duplicates().reset_index(drop=True)
    keys["cid"] = np.arange(len(keys))
    camp = camp.merge(keys, on=["network", "entity"])
    cr = camp.groupby("cid").agg(
        network=("network", "first"), entity=("entity", "first"), unit_cost=("unit_cost", "first"),
        followers=("followers", "first"), max_posts=("max_posts", "first"), n=("spend", "size"),
    )

    def shape_for(sub_ids: np.ndarray) -> _Shape | None:
        sub = camp.loc[camp["cid"].isin(sub_ids)]
        local = {c: i for i, c in enumerate(sub_ids)}
        ids = sub["cid"].map(local).to_numpy()
        x = sub["spend"].to_numpy(dtype=float)
        norms = _norms(cr.loc[sub_ids])
        return _shared_shape(x, np.log(sub["y"].to_numpy(dtype=float)), ids, len(sub_ids), norms)

    all_ids = cr.index.to_numpy()
    global_shape: _Shape | None = None
    global_done = False
    out = []
    for network, crn in cr.groupby("network", sort=True):
        cids = crn.index.to_numpy()
        shape = shape_for(cids)
        if shape is None:
            if not global_done:
                global_shape, global_done = shape_for(all_ids), True
            shape = global_shape
        sub = camp.loc[camp["cid"].isin(cids)]
        x_scale = float(np.median(sub["spend"]))
        if shape is None:  # nothing anywhere to learn a shape from: bend at the median spend
            shape = _Shape("log", float(np.log(x_scale)), 1.0, "none", _SIGMA2_DEFAULT, 0, _SIGMA2_DEFAULT)
        norms = _norms(crn)
        if shape.norm not in norms:  # the global shape's normaliser is missing here
            shape = _Shape("log", float(np.log(x_scale)), 1.0, "none", shape.sigma2, shape.dof, shape.loo_mse)
        c = pd.Series(norms[shape.norm], index=cids)
        sigma2 = shape.sigma2 if shape.dof >= 3 else _SIGMA2_DEFAULT
        # variance of the shape's error at a campaign: leave-one-out error beyond the noise
        shape_var = max(shape.loo_mse - sigma2, 0.0) if shape.dof >= 3 else 0.0
        est, own = {}, {}
        for cid in cids:
            pts = sub.loc[sub["cid"] == cid]
            x = pts["spend"].to_numpy(dtype=float)
            ly = np.log(pts["y"].to_numpy(dtype=float))
            u = x / c[cid]
            r = ly - _log_g(shape.form, u, shape.logk, shape.s)
            est[cid] = float(r.mean())
            n = len(x)
            if n >= _MIN_OWN and x.max() / x.min() >= 1.5:
                s1 = r.sum()
                shared_err = (r - (s1 - r) / (n - 1)) ** 2
                fit = _fit_single(x / x_scale, ly, extra_loo={"shared": shared_err})
                if fit.form != "shared":
                    own[cid] = fit
        logn_cov = {}
        fol = crn["followers"].to_numpy(dtype=float)
        if np.all(np.isfinite(fol) & (fol > 0)):
            logn_cov["followers"] = np.log(fol)
        fee = crn["unit_cost"].to_numpy(dtype=float)
        if np.all(np.isfinite(fee) & (fee > 0)):
            logn_cov["fee"] = np.log(fee)
        y_est = np.array([est[cid] for cid in cids])
        sh = shrink(y_est, crn["n"].to_numpy(dtype=float), sigma2, logn_cov)
        for j, cid in enumerate(cids):
            row = crn.loc[cid]
            pts = sub.loc[sub["cid"] == cid].sort_values("quarter")
            x = pts["spend"].to_numpy(dtype=float)
            shift = float(sh.post_mean[j] - y_est[j])
            if cid in own:
                fit = own[cid]
                form, logb, k, s = fit.form, fit.logb + shift, np.exp(fit.logk) * x_scale, fit.s
            else:
                form, logb, k, s = shape.form, sh.post_mean[j], np.exp(shape.logk) * c[cid], shape.s
            # log-scale fits give the median; the curve is the expected revenue
            beta = float(np.exp(logb + 0.5 * sigma2))
            yhat = beta * np.exp(_log_g(form, x / k, 0.0, s))
            r2, mape = _in_sample(pts["outcome"].to_numpy(dtype=float), yhat)
            half = _Z90 * np.sqrt(max(float(sh.post_var[j]), 0.0) + shape_var)
            unit = float(row["unit_cost"]) if np.isfinite(row["unit_cost"]) else np.nan
            max_posts = float(row["max_posts"])
            max_spend = max_posts * unit * f if np.isfinite(max_posts) and np.isfinite(unit) else np.nan
            out.append({
                "name": f"{network}/{row['entity']}", "network": network, "curve": form,
                "beta": beta * f, "k": float(k) * f, "s": float(s) if form == "hill" else np.nan,
                "min_spend": np.nan, "max_spend": max_spend, "unit_cost": unit,
                "current_spend": float(x[-1]) * f, "observed_min": float(x.min()) * f,
                "observed_max": float(x.max()) * f, "n_obs": int(len(x)), "r2": r2, "mape": mape,
                "source": SOURCES["creator"], "pooled_weight": float(sh.pooled_weight[j]),
                "beta_p10": beta * f * float(np.exp(-half)), "beta_p90": beta * f * float(np.exp(half)),
            })
    return pd.DataFrame(out, columns=list(TABLE_COLUMNS))


# ----------------------------------------------------------------------------- attributed paid media


def _block_counts(n: int, n_boot: int, rng: np.random.Generator, block: int = _BLOCK) -> np.ndarray:
    """Moving-block bootstrap as counts (n_boot, n): how often each point is drawn."""
    block = max(1, min(block, n))
    n_blocks = int(np.ceil(n / block))
    starts = rng.integers(0, n - block + 1, size=(n_boot, n_blocks))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]).reshape(n_boot, -1)[:, :n]
    counts = np.zeros((n_boot, n))
    np.add.at(counts, (np.repeat(np.arange(n_boot), n), idx.ravel()), 1.0)
    return counts


def fit_attributed_networks(rows: pd.DataFrame, period_weeks: float = 13, n_boot: int = 100,
                            seed: int = 0) -> pd.DataFrame:
    """Curve-table rows of each network's paid media with platform-attributed outcome.

    Rows with ``entity == ""`` are summed to weeks (or kept per date when the data is
    coarser than weekly); one curve through the origin is fitted per network on log
    outcome, and converted to the planning period as ``P/L * f(x * L/P)`` (L: weeks
    per data point).  ``r2``/``mape`` are in-sample on the outcome scale;
    ``beta_p10/beta_p90`` come from a moving-block bootstrap (blocks of 8 points) of
    the weeks, as the 10th/90th percentile of the refitted curve's response at the
    mean weekly spend relative to the fitted one.
    """
    df = rows.loc[rows["entity"].fillna("").astype(str).str.strip() == ""].copy()
    if df.empty:
        return pd.DataFrame(columns=list(TABLE_COLUMNS))
    df["network"] = df["network"].astype(str).str.strip()
    df["spend"] = pd.to_numeric(df["spend"], errors="coerce")
    df["outcome"] = pd.to_numeric(df["outcome"], errors="coerce")
    df = df.dropna(subset=["date", "spend", "outcome"])
    steps, weeks_per_step = weekly_steps(df["date"])
    df["step"] = steps
    index = pd.DatetimeIndex(np.unique(steps))
    if weeks_per_step == 1.0:  # weeks without a row had no spend
        index = pd.date_range(index.min(), index.max(), freq="7D")
    rng = np.random.default_rng(seed)
    out = []
    for network, sub in df.groupby("network", sort=True):
        wk = sub.groupby("step", sort=True)[["spend", "outcome"]].sum().reindex(index, fill_value=0.0)
        all_spend = wk["spend"].to_numpy(dtype=float)
        pts = wk.loc[wk["spend"] > 0]
        if len(pts) == 0:
            continue
        x = pts["spend"].to_numpy(dtype=float)
        y_raw = pts["outcome"].to_numpy(dtype=float)
        y = _floor_outcome(y_raw)
        x_scale = float(np.median(x))
        u, ly = x / x_scale, np.log(y)
        fit = _fit_single(u, ly)
        # the log-scale fit gives the median; the curve is the expected outcome
        s2 = fit.sigma2 if np.isfinite(fit.sigma2) else 0.0
        beta, k, s = np.exp(fit.logb + 0.5 * s2), np.exp(fit.logk) * x_scale, fit.s
        yhat = beta * np.exp(_log_g(fit.form, x / k, 0.0, s))
        r2, mape = _in_sample(y_raw, yhat)
        # bootstrap: refit the chosen form on resampled blocks (grid, scale profiled)
        p10 = p90 = 1.0
        if n_boot > 0 and len(x) >= 4:
            lo, hi = float(np.min(u)) * _K_LO, float(np.max(u)) * _K_HI
            lk, sg = _grid(fit.form, lo, hi)
            R = _resid(fit.form, u, ly, lk, sg)
            C = _block_counts(len(x), n_boot, rng)
            S1 = C @ R.T
            S2 = C @ (R**2).T
            nb = C.sum(axis=1, keepdims=True)
            g = np.argmin(S2 - S1**2 / nb, axis=1)
            logb = S1[np.arange(n_boot), g] / nb[:, 0]
            uref = float(np.mean(x)) / x_scale
            ref = np.exp(logb + _log_g(fit.form, uref, lk[g], sg[g]))
            ratio = ref / np.exp(fit.logb + _log_g(fit.form, uref, fit.logk, fit.s))
            p10, p90 = float(np.quantile(ratio, 0.1)), float(np.quantile(ratio, 0.9))
        conv = period_weeks / weeks_per_step  # data points per planning period
        roll = _period_spend(all_spend, conv)
        out.append({
            "name": network, "network": network, "curve": fit.form, "beta": beta * conv, "k": k * conv,
            "s": s if fit.form == "hill" else np.nan, "min_spend": np.nan, "max_spend": np.nan,
            "unit_cost": np.nan, "current_spend": float(roll[-1]), "observed_min": float(roll.min()),
            "observed_max": float(roll.max()), "n_obs": int(len(x)), "r2": r2, "mape": mape,
            "source": SOURCES["paid"], "pooled_weight": 0.0,
            "beta_p10": beta * conv * min(p10, 1.0), "beta_p90": beta * conv * max(p90, 1.0),
        })
    return pd.DataFrame(out, columns=list(TABLE_COLUMNS))


# ----------------------------------------------------------------------------- marketing mix


def _period_spend(x: np.ndarray, conv: float) -> np.ndarray:
    """Spend of every window of one planning period (``conv`` data points), in order."""
    window = max(1, int(round(conv)))
    roll = pd.Series(x).rolling(window).sum().dropna().to_numpy() * (conv / window)
    return roll if len(roll) else np.array([float(np.mean(x)) * conv])


def mmm_curve_rows(result: MMMResult, period_weeks: float = 13) -> pd.DataFrame:
    """Curve-table rows of the networks of a marketing-mix model.

    Hill curves for one planning period of P weeks: ``beta * P/L``, ``k * P/L`` (L:
    weeks per data step); ``current_spend`` is the spend of the last P weeks,
    ``observed_min/max`` the range of rolling P-week spend, ``r2``/``mape`` those of
    the holdout weeks (in-sample R² when there was no holdout).
    """
    conv = period_weeks / result.weeks_per_step
    n_obs = int(result.decomposition["actual"].notna().sum())
    r2 = result.r2_holdout if np.isfinite(result.r2_holdout) else result.r2_all
    out = []
    for p in result.params.itertuples(index=False):
        roll = _period_spend(result.spend[p.network].to_numpy(dtype=float), conv)
        out.append({
            "name": p.network, "network": p.network, "curve": "hill", "beta": p.beta * conv,
            "k": p.k * conv, "s": p.s, "min_spend": np.nan, "max_spend": np.nan, "unit_cost": np.nan,
            "current_spend": float(roll[-1]), "observed_min": float(roll.min()),
            "observed_max": float(roll.max()), "n_obs": n_obs, "r2": r2, "mape": result.mape_holdout,
            "source": SOURCES["mmm"], "pooled_weight": 0.0,
            "beta_p10": p.beta_p10 * conv, "beta_p90": p.beta_p90 * conv,
        })
    return pd.DataFrame(out, columns=list(TABLE_COLUMNS))


# ----------------------------------------------------------------------------- entry point


def fit_curves(datasets, period_weeks: float = 13, n_boot: int = 100, seed: int = 0) -> pd.DataFrame:
    """Fit one response curve per network / creator and return the curve table.

    Parameters
    ----------
    datasets : Dataset or list of Dataset
        Anything with ``kind`` ("attributed" or "total"), ``rows`` and ``outcome``
        (planner.dataset.Dataset).
    period_weeks : float
        Weeks in the planning period (13 = a quarter); every curve is the response
        to spend in one such period.
    n_boot : int
        Bootstrap refits for the intervals of network curves (attributed paid media
        and marketing mix).
    seed : int
        Seed of every random draw; the table is a pure function of the inputs.

    Returns
    -------
    DataFrame
        A validated curve table (planner.curve_table.validate_curves) with the
        contract columns and ``observed_min, observed_max`` (spend per planning period
        seen in the data: a creator's campaigns, a network's rolling P-week sums),
        ``n_obs`` (campaigns, or weeks), ``r2, mape`` (creators and attributed paid
        media: **in-sample**; marketing mix: on the **holdout**, the last 20 % of
        weeks, of the whole model), ``source`` ("creator campaigns", "marketing-mix",
        "attributed paid"), ``pooled_weight`` (0..1, how far a creator was pulled to
        its network's prior; 0 for networks), ``beta_p10, beta_p90`` (80 % interval of
        the curve's scale, so that ``response * beta_p10 / beta`` is a P10: for networks
        the block bootstrap of the response at recent spend, for the marketing mix
        widened to at least the Laplace interval; for creators the empirical-Bayes
        posterior of log beta plus the shape's error), ``current_spend`` (creators:
        spend in their last quarter with data; networks: the last P weeks),
        ``unit_cost`` (creators: median fee per post), ``max_spend`` (empty, unless
        the rows carry ``max_posts``: then posts x fee).

    Raises
    ------
    FitError
        No dataset, an unknown kind, nothing to fit, or two datasets giving the same
        entity.
    """
    if datasets is None:
        raise FitError("There is no data to fit curves to.")
    if not isinstance(datasets, (list, tuple)):
        datasets = [datasets]
    if len(datasets) == 0:
        raise FitError("There is no data to fit curves to.")
    parts = []
    for i, ds in enumerate(datasets):
        kind = getattr(ds, "kind", None)
        rows = getattr(ds, "rows", None)
        if rows is None or len(rows) == 0:
            continue
        if kind == "attributed":
            if "entity" not in rows.columns:
                rows = rows.assign(entity="")
            parts.append(fit_creators(rows, period_weeks))
            parts.append(fit_attributed_networks(rows, period_weeks, n_boot, seed + 7919 * i))
        elif kind == "total":
            try:
                res = fit_mmm(ds, seed=seed + 7919 * i, n_boot=n_boot)
            except MMMError as exc:
                raise FitError(str(exc)) from exc
            parts.append(mmm_curve_rows(res, period_weeks))
        else:
            raise FitError(f"Cannot fit curves to data of kind {kind!r}; expected 'attributed' or 'total'.")
    parts = [p for p in parts if len(p)]
    if not parts:
        raise FitError("The data holds no spend with a result to fit curves to.")
    table = pd.concat(parts, ignore_index=True)
    dup = table["name"].duplicated()
    if dup.any():
        name = table.loc[dup, "name"].iloc[0]
        raise FitError(f"'{name}' is in more than one dataset; fit them separately or keep it in one.")
    table["n_obs"] = table["n_obs"].astype(int)
    return validate_curves(table[list(TABLE_COLUMNS)], "fitted curve table")
