"""Attributed paid media: one curve per network, fitted to the platform-attributed outcome.

The rows of a network's paid media (``entity == ""``) are summed to weeks; one curve
through the origin is fitted per network on log outcome, its form chosen among those of
planner.curves.forms (hill with s in [0.5, 3], logistic, log) by a grid over k (and s)
with the scale profiled out, polished by bounded least squares.  The form is chosen by
leave-one-out error with the one-standard-error rule: a simpler candidate (fewer
parameters) wins unless a more complex one is better by more than one standard error.
Interval: moving-block bootstrap of the weeks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from planner.curves.forms import get_form
from planner.fit.shapes import log_shape
from planner.fit.table_rows import SOURCES, TABLE_COLUMNS, floor_outcome, in_sample, period_spend
from planner.fit.weekly import weekly_steps

__all__ = ["fit_attributed_networks"]

_FORMS = ("log", "logistic", "hill")
_COMPLEXITY = {name: float(get_form(name).n_params) for name in _FORMS}
_S_GRID = np.array([0.5, 0.6, 0.75, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.3, 2.6, 3.0])
_S_BOUNDS = (0.5, 3.0)
_N_K = 40
_K_LO, _K_HI = 1 / 20, 10.0  # grid of k: from min(u)/20 (flat) to 10 * max(u) (nearly linear)
_BLOCK = 8  # weeks per bootstrap block


def _grid(form: str, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    logk = np.linspace(np.log(lo), np.log(hi), _N_K)
    if form == "hill":
        lk, s = np.meshgrid(logk, _S_GRID, indexing="ij")
        return lk.ravel(), s.ravel()
    return logk, np.ones_like(logk)


def _resid(form, u, ly, logk, s) -> np.ndarray:
    """Log residuals (G, n) of every grid point (rows) at every observation."""
    return ly[None, :] - log_shape(form, u[None, :], np.asarray(logk)[:, None], np.asarray(s)[:, None])


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
        s = p[1] if get_form(form).needs_s else 1.0
        r = ly - log_shape(form, u, p[0], s)
        return r - r.mean()

    try:
        sol = least_squares(fun, x0, bounds=(lower, upper), method="trf", max_nfev=100)
        if np.sum(sol.fun**2) <= np.sum(fun(np.array(x0)) ** 2):
            p = sol.x
        else:
            p = np.array(x0)
    except (ValueError, np.linalg.LinAlgError):  # pragma: no cover - degenerate data
        p = np.array(x0)
    return float(p[0]), float(p[1]) if get_form(form).needs_s else 1.0


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
        r = ly - log_shape("log", u, logk, 1.0)
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
    r = ly - log_shape(form, u, logk, s)
    n_par = get_form(form).n_params
    sigma2 = float(np.sum((r - r.mean()) ** 2) / max(n - n_par, 1))
    return _Fit(form, float(r.mean()), logk, s, sigma2, cands)


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
    """Fit the curve-table rows of each network's paid media with platform-attributed outcome.

    Rows with ``entity == ""`` are summed to weeks (or kept per date when the data is
    coarser than weekly); one curve through the origin is fitted per network on log
    outcome, and converted to the planning period as ``P/L * f(x * L/P)`` (L: weeks
    per data point).  ``r2``/``mape`` are in-sample on the outcome scale;
    ``beta_p10/beta_p90`` come from a moving-block bootstrap (blocks of 8 points) of
    the weeks, as the 10th/90th percentile of the refitted curve's response at the
    mean weekly spend relative to the fitted one.

    Parameters
    ----------
    rows : DataFrame
        Canonical attributed rows (``date, network, entity, spend, outcome``); rows with
        a creator, or without a date, spend or outcome, are left out.
    period_weeks : float, default 13
        Weeks in the planning period (13 = a quarter).
    n_boot : int, default 100
        Bootstrap refits (0, or fewer than four points with spend: ``beta_p10`` and
        ``beta_p90`` equal ``beta``).
    seed : int, default 0
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        Columns :data:`~planner.fit.table_rows.TABLE_COLUMNS`, one row per network with
        spend in some week, sorted by network and named after it; ``n_obs`` the weeks (or
        data periods) with spend; ``current_spend`` the spend of the last P weeks and
        ``observed_min/max`` the range of rolling P-week spend;
        ``beta_p10 <= beta <= beta_p90``.  Empty (same columns) when there is no paid media.
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
        y = floor_outcome(y_raw)
        x_scale = float(np.median(x))
        u, ly = x / x_scale, np.log(y)
        fit = _fit_single(u, ly)
        # the log-scale fit gives the median; the curve is the expected outcome
        s2 = fit.sigma2 if np.isfinite(fit.sigma2) else 0.0
        beta, k, s = np.exp(fit.logb + 0.5 * s2), np.exp(fit.logk) * x_scale, fit.s
        yhat = beta * np.exp(log_shape(fit.form, x / k, 0.0, s))
        r2, mape = in_sample(y_raw, yhat)
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
            ref = np.exp(logb + log_shape(fit.form, uref, lk[g], sg[g]))
            ratio = ref / np.exp(fit.logb + log_shape(fit.form, uref, fit.logk, fit.s))
            p10, p90 = float(np.quantile(ratio, 0.1)), float(np.quantile(ratio, 0.9))
        conv = period_weeks / weeks_per_step  # data points per planning period
        roll = period_spend(all_spend, conv)
        out.append({
            "name": network, "network": network, "curve": fit.form, "beta": beta * conv, "k": k * conv,
            "s": s if get_form(fit.form).needs_s else np.nan, "min_spend": np.nan, "max_spend": np.nan,
            "unit_cost": np.nan, "current_spend": float(roll[-1]), "observed_min": float(roll.min()),
            "observed_max": float(roll.max()), "n_obs": int(len(x)), "r2": r2, "mape": mape,
            "source": SOURCES["paid"], "pooled_weight": 0.0,
            "beta_p10": beta * conv * min(p10, 1.0), "beta_p90": beta * conv * max(p90, 1.0),
            "pooling_note": "Not pooled: fitted to this network's own weekly results.",
        })
    return pd.DataFrame(out, columns=list(TABLE_COLUMNS))
