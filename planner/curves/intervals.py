"""P10, P50 and P90 of a plan's total return, from the intervals kept in the curve table.

Every row of a fitted curve table carries ``beta_p10 <= beta <= beta_p90``: the 80 %
interval of the curve's scale (planner.fit.pipeline).  A plan's total is a sum over rows whose
errors are neither independent (rows fitted from the same data share its baseline,
its noise level, its prior) nor identical, so the total's quantiles are neither the
sum of the rows' quantiles (what assumes every row is wrong in the same direction at
once) nor the independent-sum's narrow band.  Here each row's return is its curve's
(an expected value) times a lognormal multiplier of mean 1 whose spread matches the width
of its P10-P90, and rows from the same source (``source`` column: creator
campaigns, marketing-mix, attributed paid) share a part ``correlation`` of their
log-scale error; sources are independent.  The result is a pure function of the
inputs.  A plan chosen on these curves favours the rows whose estimates came out high;
:mod:`planner.optimize.selection` measures by how much, and the band's mean is lowered by that
allowance.  ``python -m planner.bench.fit`` checks how often the band holds the true
return of plans made on fitted curves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.curves.forms import response

__all__ = ["scaled", "has_bands", "plan_interval", "total_band", "variance_shares", "row_bands", "bands_of", "band_columns", "multiplier_draws", "log_spreads", "CORRELATION"]

# Share of a row's log-scale variance common to its source.  Calibrated on plans made on
# fitted curves (python -m planner.bench.fit data, budgets 0.5x, 1x and 2x last quarter's):
# on seeds 101-130 the true return fell inside P10-P90 for 91 % of creator plans and 84 % of
# weekly-model plans, on the held-out seeds 131-160 for 88 % and 78 %; with 0.5 it was 97-100 %,
# and adding the rows' bands up (full correlation) gave bands twice as wide as needed.
CORRELATION = 0.15
_Z90 = 1.2815515655446004


def scaled(curves: pd.DataFrame, m) -> pd.DataFrame:
    """Return a copy of the curve table with each row's scale and band times ``m`` (one multiplier per row).

    ``beta``, ``beta_p10``, ``beta_p50`` and ``beta_p90``: the same curve, more or less of it.
    """
    out = curves.copy()
    for col in ("beta", "beta_p10", "beta_p50", "beta_p90"):
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float) * np.asarray(m, dtype=float)
    return out


def plan_interval(curves: pd.DataFrame, spend, correlation: float = CORRELATION,
                  allowance: float = 0.0) -> dict[str, float]:
    """Return P10, P50 and P90 of the total return of spending ``spend`` (one amount per row of ``curves``).

    The total's mean and variance follow exactly from the rows' lognormal multipliers
    and the one-factor correlation (the cross terms summed as a power series, so the
    cost grows linearly with the rows); the total is then taken as lognormal with that
    mean and variance (Fenton-Wilkinson), which tests check against simulation.

    Parameters
    ----------
    curves : DataFrame
        The curve table; rows without ``beta_p10/beta_p90`` (or with them equal to
        ``beta``, or not finite with ``0 < beta_p10 <= beta_p90`` and ``beta > 0``) count as certain.
    spend : array-like
        Spend per row, in the order of ``curves`` (a single number applies to every row).
    correlation : float, default CORRELATION (0.15)
        Share (clipped to 0..1) of each row's log-scale variance shared with the rows of
        the same ``source`` (all rows when there is no ``source`` column).
    allowance : float, default 0.0
        Dollars taken off the total's mean for the selection of the plan
        (:mod:`planner.optimize.selection`); 0 for a plan not chosen on these curves.

    Returns
    -------
    dict
        As :func:`total_band` returns it.
    """
    return total_band(response(curves, np.asarray(spend, dtype=float)), *band_columns(curves),
                      correlation=correlation, allowance=allowance)


def has_bands(curves: pd.DataFrame) -> bool:
    """Return True when the curve table has intervals (``beta_p10`` and ``beta_p90`` columns).

    Parameters
    ----------
    curves : DataFrame
        The curve table.

    Returns
    -------
    bool
        Whether both columns are there (their values may still be empty for some rows).
    """
    return {"beta_p10", "beta_p90"} <= set(curves.columns)


def band_columns(curves: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return ``beta, beta_p10, beta_p90, source`` of the curve table as :func:`total_band` takes them.

    Without ``beta_p10``/``beta_p90`` columns both ends are ``beta`` itself; without a
    ``source`` column every row has the same source.

    Parameters
    ----------
    curves : DataFrame
        The curve table: ``beta`` and, when fitted, ``beta_p10``, ``beta_p90`` and ``source``.

    Returns
    -------
    beta, beta_p10, beta_p90 : ndarray of float
        One element per row.
    source : ndarray
        Each row's source label, or zeros when the table has no ``source`` column.
    """
    beta = curves["beta"].to_numpy(dtype=float)
    p10 = curves["beta_p10"].to_numpy(dtype=float) if "beta_p10" in curves else beta
    p90 = curves["beta_p90"].to_numpy(dtype=float) if "beta_p90" in curves else beta
    groups = curves["source"].to_numpy() if "source" in curves else np.zeros(len(curves))
    return beta, p10, p90, groups


def log_spreads(beta, beta_p10, beta_p90) -> np.ndarray:
    """Return each row's log-scale standard deviation, ``ln(p90 / p10) / (2 z)``; 0 for a row without a usable band.

    Parameters
    ----------
    beta, beta_p10, beta_p90 : array-like of float
        Each row's curve scale and its 80 % interval (usable where ``0 < beta_p10 <= beta_p90`` and ``beta > 0``).

    Returns
    -------
    ndarray of float
        One spread per row, 0 where the interval is not usable.
    """
    beta = np.asarray(beta, dtype=float)
    p10, p90 = np.asarray(beta_p10, dtype=float), np.asarray(beta_p90, dtype=float)
    ok = np.isfinite(p10) & np.isfinite(p90) & (p10 > 0) & (p90 >= p10) & (beta > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, np.log(np.where(ok, p90 / np.where(ok, p10, 1.0), 1.0)) / (2 * _Z90), 0.0)


def total_band(resp, beta, beta_p10, beta_p90, groups, correlation: float = CORRELATION,
               allowance: float = 0.0) -> dict[str, float]:
    """Return the band of :func:`plan_interval` from arrays instead of a curve table.

    The arrays are each row's expected return ``resp``, its curve's ``beta`` and 80 %
    interval ``beta_p10..beta_p90``, and its source ``groups``.  Each row's return is
    ``resp`` times a lognormal multiplier of mean 1 (a curve is an expected value) whose
    log-scale spread matches the interval's width; rows of one source share a part
    ``correlation`` of it.

    Parameters
    ----------
    resp : array-like of float
        Each row's expected return (NaN counts as 0).
    beta, beta_p10, beta_p90 : array-like of float
        Each row's curve scale and its 80 % interval. A row counts as certain unless
        ``0 < beta_p10 <= beta_p90`` are finite and ``beta > 0``.
    groups : array-like
        Each row's source; rows of one source share part of their error.
    correlation : float, default CORRELATION (0.15)
        Share (clipped to 0..1) of each row's log-scale variance common to its source.
    allowance : float, default 0.0
        Dollars taken off the mean for the plan's selection (:mod:`planner.optimize.selection`): the
        quantiles move with the mean, their spread relative to it kept.

    Returns
    -------
    dict of str to float
        ``p10``, ``p50``, ``p90`` and ``mean`` of the total (a lognormal with the exact mean and
        variance, the mean less ``allowance``), and ``expected`` (the sum of ``resp``).  When the mean is
        not above zero (nothing spent, say), or the total so small its square is 0, all five are the mean.
    """
    m = np.nan_to_num(np.asarray(resp, dtype=float), nan=0.0)
    var = float(variance_shares(m, beta, beta_p10, beta_p90, groups, correlation).sum())
    expected = float(m.sum())
    mean = expected - max(float(allowance), 0.0)
    if not (expected > 0 and mean > 0 and expected * expected > 0):  # (a total so small its square is 0: none)
        return {"p10": mean, "p50": mean, "p90": mean, "mean": mean, "expected": expected}
    s2 = np.log1p(max(var, 0.0) / expected**2)
    mu = np.log(mean) - 0.5 * s2
    q = np.exp(mu + np.array([-_Z90, 0.0, _Z90]) * np.sqrt(s2))
    return {"p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2]), "mean": mean, "expected": expected}


def variance_shares(resp, beta, beta_p10, beta_p90, groups, correlation: float = CORRELATION) -> np.ndarray:
    """Return each row's part of the variance of the plan's total, as :func:`total_band` models it.

    A row's part is its own variance plus its covariance with the rows of its source,
    ``m_i^2 (e^(sd_i^2) - e^(rho sd_i^2)) + m_i sum_j m_j (e^(rho sd_i sd_j) - 1)``; the parts add up to the
    total's variance. The sums over a source are power series in ``rho sd_i sd_j``, so the cost grows
    linearly with the rows.

    Parameters
    ----------
    resp, beta, beta_p10, beta_p90, groups : array-like
        As :func:`total_band` takes them.
    correlation : float, default CORRELATION (0.15)
        Share of each row's log-scale variance common to its source.

    Returns
    -------
    ndarray of float
        One part per row (dollars squared), 0 for a row without a usable band or without revenue.
    """
    m = np.nan_to_num(np.asarray(resp, dtype=float), nan=0.0)
    sd = log_spreads(beta, beta_p10, beta_p90)
    rho = float(np.clip(correlation, 0.0, 1.0))
    out = m**2 * (np.exp(sd**2) - np.exp(rho * sd**2))
    if rho <= 0:
        return out
    codes = pd.factorize(np.asarray(groups, dtype=object), use_na_sentinel=False)[0]
    for g in np.unique(codes):
        sel = codes == g
        mg, sg = m[sel], sd[sel]
        cross, power, fact = np.zeros(len(mg)), np.ones_like(sg), 1.0
        for k in range(1, 400):  # sum_j m_j (e^(rho sd_i sd_j) - 1) = sum_k rho^k / k! sd_i^k sum_j m_j sd_j^k
            power = power * sg
            fact *= k
            term = rho**k / fact * power * float(mg @ power)
            cross += term
            if np.all(np.abs(term) <= 1e-15 * np.maximum(np.abs(cross), 1e-300)):
                break
        out[sel] += mg * cross
    return out


def multiplier_draws(beta, beta_p10, beta_p90, groups, draws: int, seed: int = 0,
                     correlation: float = CORRELATION) -> np.ndarray:
    """Return ``draws`` joint draws of the rows' scale multipliers, as :func:`total_band` models them.

    Each multiplier is lognormal with mean 1 and the log-scale spread of its row's interval;
    rows of one source share a part ``correlation`` of it.

    Parameters
    ----------
    beta, beta_p10, beta_p90, groups : array-like
        As :func:`band_columns` returns them.
    draws : int
        Number of draws.
    seed : int, default 0
        Seed of the generator (the same seed gives the same draws).
    correlation : float, default CORRELATION (0.15)
        Share of each row's log-scale variance common to its source.

    Returns
    -------
    ndarray of float
        Shape ``(draws, rows)``; 1 where a row has no usable band.
    """
    sd = log_spreads(beta, beta_p10, beta_p90)
    rho = float(np.clip(correlation, 0.0, 1.0))
    codes, labels = pd.factorize(np.asarray(groups, dtype=object), use_na_sentinel=False)
    rng = np.random.default_rng(seed)
    shared = rng.standard_normal((draws, max(len(labels), 1)))[:, codes]
    z = np.sqrt(rho) * shared + np.sqrt(1.0 - rho) * rng.standard_normal((draws, len(sd)))
    return np.exp(sd * z - 0.5 * sd**2)


def row_bands(curves: pd.DataFrame, resp,
              allowance: float = 0.0) -> tuple[np.ndarray, np.ndarray, dict[str, float]] | None:
    """Return each row's P10 and P90 of its expected return ``resp``, and the band of their total.

    A row's P10 and P90 are its curve's interval applied to its ``resp``; the total's band
    is :func:`total_band`'s.  None when the curve table has no ``beta_p10``/``beta_p90``.

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    resp : array-like of float
        Each row's expected return, in the order of ``curves``.
    allowance : float, default 0.0
        Taken off the total's mean for the optimizer's curse (:func:`total_band`).

    Returns
    -------
    tuple of (ndarray, ndarray, dict) or None
        Each row's P10 and P90 (``resp`` times ``beta_p10 / beta`` and ``beta_p90 / beta``; ``resp`` itself
        where ``beta`` is 0 or the ratio is NaN), and the band of the total as :func:`total_band` returns it;
        None when ``curves`` lacks ``beta_p10`` or ``beta_p90``.
    """
    if not has_bands(curves):
        return None
    return bands_of(resp, *band_columns(curves), allowance=allowance)


def bands_of(resp, beta, beta_p10, beta_p90, groups,
             allowance: float = 0.0) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    """Return :func:`row_bands` from arrays (:func:`band_columns`) instead of a curve table.

    Parameters
    ----------
    resp : array-like of float
        Each row's expected return.
    beta, beta_p10, beta_p90, groups : array-like
        As :func:`band_columns` returns them.
    allowance : float, default 0.0
        Taken off the total's mean (:func:`total_band`); the rows' bands are their curves' own.

    Returns
    -------
    tuple of (ndarray, ndarray, dict)
        Each row's P10 and P90, and the band of the total, as :func:`row_bands` returns them.
    """
    resp = np.asarray(resp, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r10 = np.where(beta > 0, beta_p10 / beta, 1.0)
        r90 = np.where(beta > 0, beta_p90 / beta, 1.0)
    return (resp * np.nan_to_num(r10, nan=1.0), resp * np.nan_to_num(r90, nan=1.0),
            total_band(resp, beta, beta_p10, beta_p90, groups, allowance=allowance))
