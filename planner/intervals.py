"""P10, P50 and P90 of a plan's total return, from the intervals kept in the curve table.

Every row of a fitted curve table carries ``beta_p10 <= beta <= beta_p90``: the 80 %
interval of the curve's scale (planner.fit).  A plan's total is a sum over rows whose
errors are neither independent (rows fitted from the same data share its baseline,
its noise level, its prior) nor identical, so the total's quantiles are neither the
sum of the rows' quantiles (what assumes every row is wrong in the same direction at
once) nor the independent-sum's narrow band.  Here each row's scale is lognormal,
matching its P10 and P90, and rows from the same source (``source`` column: creator
campaigns, marketing-mix, attributed paid) share a part ``correlation`` of their
log-scale error; sources are independent.  Draws are seeded, so the result is a pure
function of the inputs.  ``python -m planner.fit_bench`` checks how often the band
holds the true return of plans made on fitted curves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.curves import response

__all__ = ["plan_interval", "CORRELATION"]

CORRELATION = 0.5  # share of a row's log-scale variance common to its source
_Z90 = 1.2815515655446004


def plan_interval(curves: pd.DataFrame, spend, correlation: float = CORRELATION, n_draws: int = 4000,
                  seed: int = 0) -> dict[str, float]:
    """Quantiles of the total return of spending ``spend`` (one amount per row of ``curves``).

    Parameters
    ----------
    curves : DataFrame
        The curve table; rows without ``beta_p10/beta_p90`` (or with them equal to
        ``beta``) count as certain.
    spend : array-like
        Spend per row, in the order of ``curves``.
    correlation : float
        Share (0..1) of each row's log-scale variance shared with the rows of the same
        ``source`` (all rows when there is no ``source`` column).
    n_draws, seed : int
        Monte Carlo draws and their seed.

    Returns
    -------
    dict
        ``p10, p50, p90`` of the total return, and ``expected`` (the curves' own
        total: each curve is an expected value).
    """
    x = np.asarray(spend, dtype=float)
    r = response(curves, x)
    beta = curves["beta"].to_numpy(dtype=float)
    p10 = curves["beta_p10"].to_numpy(dtype=float) if "beta_p10" in curves else beta
    p90 = curves["beta_p90"].to_numpy(dtype=float) if "beta_p90" in curves else beta
    ok = np.isfinite(p10) & np.isfinite(p90) & (p10 > 0) & (p90 >= p10) & (beta > 0)
    p10, p90 = np.where(ok, p10, beta), np.where(ok, p90, beta)
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.where(ok, np.log(p90 / p10) / (2 * _Z90), 0.0)
        mid = np.where(ok, 0.5 * np.log(p10 * p90) - np.log(beta), 0.0)  # log median of the multiplier
    groups = curves["source"].astype(str).to_numpy() if "source" in curves else np.zeros(len(curves), dtype=str)
    codes, gid = np.unique(groups, return_inverse=True)
    rho = float(np.clip(correlation, 0.0, 1.0))
    rng = np.random.default_rng(seed)
    common = rng.standard_normal((n_draws, len(codes)))[:, gid]
    own = rng.standard_normal((n_draws, len(curves)))
    z = np.sqrt(rho) * common + np.sqrt(1.0 - rho) * own
    totals = (np.exp(mid + sd * z) * r).sum(axis=1)
    q = np.quantile(totals, [0.1, 0.5, 0.9])
    return {"p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2]), "expected": float(r.sum())}
