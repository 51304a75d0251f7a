"""Fit response curves from Datasets and return the curve table (DESIGN.md, contract 1).

Public API: :func:`fit_curves` (any Datasets -> validated curve table), and the parts
it is made of: :func:`fit_creators`, :func:`fit_attributed_networks`,
:func:`planner.fit.mmm.fit_mmm` with :func:`mmm_curve_rows`.

Three kinds of entity, three methods:

* **Creators** (``kind == "attributed"``, ``entity != ""``).  A creator's rows in one
  calendar quarter are one campaign: one point (fee paid, promo-code revenue), and
  the curve goes through the origin.  Noise is multiplicative, so curves are fitted
  to log revenue (zero revenue counts as half the smallest positive one).
  planner.fit.creators: spend in posts (fee per post; else thousands of followers), a
  prior over curve shapes of every form learned from all creators (empirical Bayes), each
  creator's posterior-mean shape, and its level pooled toward its network by
  planner.fit.pooling (``pooled_weight``, and ``pooling_note`` in plain words).  The fit on
  logs estimates the median; beta includes ``exp(sigma2 / 2)`` so the curve is the
  expected revenue.  ``beta_p10/beta_p90``: the posterior of the level plus the spread
  of the shape posterior (python -m planner.bench.fit reports how often they hold the
  truth).
* **Attributed paid media** (``entity == ""``): the platform-attributed outcome summed
  to weeks per network, one curve through the origin per network (form chosen as
  below), converted to the planning period: ``P * f_w(x / P)``.  Interval: moving-block
  bootstrap of the weeks.
* **Marketing mix** (``kind == "total"``): planner.fit.mmm.

Attributed paid media: forms are those of planner.curves.forms (hill with s in [0.5, 3],
logistic, log), fitted by a grid over k (and s) with the scale profiled out, polished
by bounded least squares.  The form is chosen by leave-one-out error with the
one-standard-error rule: a simpler candidate (fewer parameters) wins unless a more
complex one is better by more than one standard error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from planner.curves.table import validate_curves
from planner.fit.creators import _log_g, fit_creator_model
from planner.fit.engagement import COLUMN as ENGAGEMENT_COLUMN
from planner.fit.engagement import engagement_per_dollar, has_engagements
from planner.fit.mmm import MMMError, MMMResult, fit_mmm, weekly_steps
from planner.fit.pooling import pooling_note

__all__ = [
    "FitError", "fit_curves", "fit_creators", "fit_attributed_networks", "mmm_curve_rows", "fit_mmm",
    "MMMResult", "TABLE_COLUMNS", "SOURCES",
]

SOURCES = {"creator": "creator campaigns", "mmm": "marketing-mix", "paid": "attributed paid"}

TABLE_COLUMNS = (
    "name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend", "unit_cost",
    "current_spend", "observed_min", "observed_max", "n_obs", "r2", "mape", "source",
    "pooled_weight", "beta_p10", "beta_p90", "pooling_note",
)

_FORMS = ("log", "logistic", "hill")
_COMPLEXITY = {"log": 2.0, "logistic": 2.0, "hill": 3.0}
_S_GRID = np.array([0.5, 0.6, 0.75, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.3, 2.6, 3.0])
_S_BOUNDS = (0.5, 3.0)
_N_K = 40
_K_LO, _K_HI = 1 / 20, 10.0  # grid of k: from min(u)/20 (flat) to 10 * max(u) (nearly linear)
_BLOCK = 8  # weeks per bootstrap block


class FitError(ValueError):
    """Data that cannot be fitted; the message is one sentence for the user."""


# ----------------------------------------------------------------------------- shapes


def _grid(form: str, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    logk = np.linspace(np.log(lo), np.log(hi), _N_K)
    if form == "hill":
        lk, s = np.meshgrid(logk, _S_GRID, indexing="ij")
        return lk.ravel(), s.ravel()
    return logk, np.ones_like(logk)


def _resid(form, u, ly, logk, s) -> np.ndarray:
    """Log residuals (G, n) of every grid point (rows) at every observation."""
    return ly[None, :] - _log_g(form, u[None, :], np.asarray(logk)[:, None], np.asarray(s)[:, None])


def _refine(form, u, ly, logk0, s0, lo, hi) -> tuple[float, float]:
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
        r = ly - _log_g(form, u, p[0], s)
        return r - r.mean()

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


def _fit_single(u: np.ndarray, ly: np.ndarray, forms=_FORMS) -> _Fit:
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
    form = _one_se(cands, _COMPLEXITY)
    logk, s = _refine(form, u, ly, *grid_best[form], lo, hi)
    r = ly - _log_g(form, u, logk, s)
    n_par = 3 if form == "hill" else 2
    sigma2 = float(np.sum((r - r.mean()) ** 2) / max(n - n_par, 1))
    return _Fit(form, float(r.mean()), logk, s, sigma2, cands)


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
    keys = camp[["network", "entity"]].drop_duplicates().sort_values(["network", "entity"]).reset_index(drop=True)
    keys["cid"] = np.arange(len(keys))
    camp = camp.merge(keys, on=["network", "entity"])
    cr = camp.groupby("cid").agg(
        network=("network", "first"), entity=("entity", "first"), unit_cost=("unit_cost", "first"),
        followers=("followers", "first"), max_posts=("max_posts", "first"), n=("spend", "size"),
    )
    model = fit_creator_model(camp[["cid", "spend", "y"]], cr)
    out = []
    by_creator = camp.sort_values(["cid", "quarter"]).groupby("cid", sort=True)
    for j, ((cid, row), (_, pts)) in enumerate(zip(cr.iterrows(), by_creator)):
        x = pts["spend"].to_numpy(dtype=float)
        form, beta, k, s = model.form[j], float(model.beta[j]), float(model.k[j]), float(model.s[j])
        yhat = beta * np.exp(_log_g(form, x / k, 0.0, s))
        r2, mape = _in_sample(pts["outcome"].to_numpy(dtype=float), yhat)
        unit = float(row["unit_cost"]) if np.isfinite(row["unit_cost"]) else np.nan
        max_posts = float(row["max_posts"])
        max_spend = max_posts * unit * f if np.isfinite(max_posts) and np.isfinite(unit) else np.nan
        note = pooling_note(
            row["network"], int(row["n"]), float(model.pooled_weight[j]), float(model.own_roas[j]),
            float(model.prior_roas[j]), float(model.used_roas[j]), float(model.ref_spend[j]) * f,
            float(model.ref_units[j]), model.unit[j], model.covariate[j], model.sigma, float(model.tau[j]),
        )
        out.append({
            "name": f"{row['network']}/{row['entity']}", "network": row["network"], "curve": form,
            "beta": beta * f, "k": k * f, "s": s if form == "hill" else np.nan,
            "min_spend": np.nan, "max_spend": max_spend, "unit_cost": unit,
            "current_spend": float(x[-1]) * f, "observed_min": float(x.min()) * f,
            "observed_max": float(x.max()) * f, "n_obs": int(len(x)), "r2": r2, "mape": mape,
            "source": SOURCES["creator"], "pooled_weight": float(model.pooled_weight[j]),
            "beta_p10": beta * f * float(model.lo[j]), "beta_p90": beta * f * float(model.hi[j]),
            "pooling_note": note,
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
            "pooling_note": "Not pooled: fitted to this network's own weekly results.",
        })
    return pd.DataFrame(out, columns=list(TABLE_COLUMNS))


# ----------------------------------------------------------------------------- marketing mix


def _period_spend(x: np.ndarray, conv: float) -> np.ndarray:
    """Spend of every window of one planning period (``conv`` data points), in order."""
    window = max(1, int(round(conv)))
    roll = pd.Series(x).rolling(window).sum().dropna().to_numpy() * (conv / window)
    return roll if len(roll) else np.array([float(np.mean(x)) * conv])


def mmm_note(network: str, prior_weight: float) -> str:
    """Plain words on how far the weekly data determine a network's return (see MMMResult.params)."""
    w = prior_weight if np.isfinite(prior_weight) else 1.0
    if w >= 0.5:
        return (f"The weekly data hardly tell {network}'s effect apart from baseline sales: its return per "
                f"dollar is {100 * w:.0f}% the other networks' level and only {100 * (1 - w):.0f}% its own "
                "data, and its range (P10 to P90) is wide. Treat a plan's change for it as a test.")
    if w >= 0.2:
        return (f"Pulled {100 * w:.0f}% toward the other networks' return per dollar: the weekly data tell "
                f"{network}'s effect only roughly.")
    return f"Read from the weekly data (pulled {100 * w:.0f}% toward the other networks' return per dollar)."


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
            "pooling_note": mmm_note(p.network, float(getattr(p, "prior_weight", 0.0))),
        })
    return pd.DataFrame(out, columns=list(TABLE_COLUMNS))


# ----------------------------------------------------------------------------- entry point


def fit_curves(datasets, period_weeks: float = 13, n_boot: int = 100, seed: int = 0) -> pd.DataFrame:
    """Fit one response curve per network / creator and return the curve table.

    Parameters
    ----------
    datasets : Dataset or list of Dataset
        Anything with ``kind`` ("attributed" or "total"), ``rows`` and ``outcome``
        (planner.data.dataset.Dataset).
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
        A validated curve table (planner.curves.table.validate_curves) with the
        contract columns and ``observed_min, observed_max`` (spend per planning period
        seen in the data: a creator's campaigns, a network's rolling P-week sums),
        ``n_obs`` (campaigns, or weeks), ``r2, mape`` (creators and attributed paid
        media: **in-sample**; marketing mix: on the **holdout**, the last 20 % of
        weeks, of the whole model), ``source`` ("creator campaigns", "marketing-mix",
        "attributed paid"), ``pooled_weight`` (0..1, how far a creator was pulled to
        its network's prior; 0 for networks), ``pooling_note`` (a sentence or two: how far
        a creator was pulled and why; for a marketing-mix network, how much of its return
        the weekly data determine rather than the pull toward the other networks),
        ``beta_p10, beta_p90`` (80 % interval of
        the curve's scale, so that ``response * beta_p10 / beta`` is a P10: for networks
        the block bootstrap of the response at recent spend, for the marketing mix
        widened to at least the Laplace interval; for creators the empirical-Bayes
        posterior of the level plus the spread of the shape posterior;
        planner.curves.intervals turns them into a plan's P10/P50/P90), ``current_spend`` (creators:
        spend in their last quarter with data; networks: the last P weeks),
        ``unit_cost`` (creators: median fee per post), ``max_spend`` (empty, unless
        the rows carry ``max_posts``: then posts x fee).
        When an attributed dataset reports engagements, also ``engagement_per_dollar``
        (planner.fit.engagement: engagements / spend; creators' rates pooled toward their
        network on the log scale; NaN, counted as 0 by the optimizer, where unknown).

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
    columns = list(TABLE_COLUMNS)
    if has_engagements(datasets):  # engagements per $1 of each row (planner.fit.engagement)
        table[ENGAGEMENT_COLUMN] = engagement_per_dollar(table, datasets).to_numpy()
        columns.append(ENGAGEMENT_COLUMN)
    return validate_curves(table[columns], "fitted curve table")
