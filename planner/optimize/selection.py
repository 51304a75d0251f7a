"""The optimizer's curse: by how much a plan chosen on estimated curves is expected to fall short of them.

A plan puts the budget where the curves promise most, and a curve promises much partly because
its estimate came out high: the rows a plan favours are, on average, overestimated, so the
plan's expected return on its own curves is too high even when every curve is unbiased (Smith
and Winkler, "The optimizer's curse", Management Science 2006).  The allowance here measures it
the way a bootstrap measures an estimator's bias: draw curves from the fitted ones as the fitted
ones are drawn from the truth (each row's scale times a multiplier of mean 1 with the spread of
its interval, :func:`planner.curves.intervals.multiplier_draws`), plan on each draw, and average
how much more the draw promises for its own plan than the fitted curves give that plan.

With ``m`` a draw's multipliers, ``x_m`` its plan, ``x`` the plan on the fitted curves and ``r``
the fitted curves, the draw's shortfall is ``sum (m - 1) r(x_m)``; ``sum (m - 1) r(x)`` has mean 0
(``x`` does not depend on the draw) and is taken off as a control variate, which leaves the same
mean with a fraction of the noise.  Draws share a seed, so the allowance is a pure function of its
inputs and moves smoothly with the budget.

A curve pulled toward its peers (a creator with few campaigns, shrunk toward its network's creators:
``pooled_weight`` in the curve table) has had the curse partly taken out already: shrinkage is the
Bayesian cure for it (Smith and Winkler's own remedy).  Only the part of its estimate its own data
determine, ``1 - pooled_weight``, is drawn for the allowance (:func:`own_data_bands`: its log-scale
spread times that share).  On the fit benchmark's creators with one campaign a quarter (30 seeds),
the full spread made the allowance 4.7 % of the plan at half budget and the truth fell above the
plan's P90 in 23 % of seeds and below its P10 in none; with its own share, 3.3 %, 13 % and none.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["DRAWS", "selection_allowance", "own_data_shares", "own_data_bands"]

DRAWS = 12  # draws of the curves per allowance: its noise is a few per cent of it with the control variate


def selection_allowance(value: Callable[[np.ndarray], np.ndarray], x: np.ndarray, multipliers: np.ndarray,
                        plan: Callable[[np.ndarray], np.ndarray | None]) -> float:
    """Return the expected shortfall of a plan chosen on estimated curves, in the curves' own units.

    Parameters
    ----------
    value : callable
        ``value(x)``: each row's return on the fitted curves at spends ``x``.
    x : ndarray of float
        The plan made on the fitted curves (spend per row).
    multipliers : ndarray of float
        Shape ``(draws, rows)``: each draw's multiplier of every row's curve
        (:func:`planner.curves.intervals.multiplier_draws`).
    plan : callable
        ``plan(m)``: the spend per row of the plan made on the curves scaled by ``m``, with the same
        budget and bounds; None when no plan was found (that draw is left out).

    Returns
    -------
    float
        The allowance, 0 or more (0 without draws or where no draw's plan was found).
    """
    base = value(np.asarray(x, dtype=float))
    gaps = []
    for m in np.asarray(multipliers, dtype=float):
        xm = plan(m)
        if xm is None:
            continue
        gaps.append(float(np.dot(m - 1.0, value(np.asarray(xm, dtype=float)) - base)))
    return max(float(np.mean(gaps)), 0.0) if gaps else 0.0


def own_data_shares(curves: pd.DataFrame) -> np.ndarray:
    """Return each row's share of its estimate that its own data determine, within 0..1.

    A creator pulled toward its network's creators (``pooled_weight``) and a marketing-mix network pulled
    toward the other networks' return per dollar (``prior_weight``, planner.fit.mmm_rows) are the same case:
    the pull is the shrinkage that cures the curse, so only ``1 - weight`` of the estimate is drawn. A
    network the weekly data cannot tell from baseline sales (``prior_weight`` 1) is then not drawn at all:
    its band is wide because its level is the pull's, not because a high estimate of it was chosen.

    Parameters
    ----------
    curves : DataFrame
        The curve table; its optional ``pooled_weight`` and ``prior_weight`` columns say how far each fitted
        curve was pulled toward its peers. A row without either (a table made by hand, paid media fitted
        on its own) counts as its own data alone.

    Returns
    -------
    ndarray of float
        One share per row: 1 minus the larger of the two weights, 1 where neither is a number.
    """
    weight = np.zeros(len(curves))
    for column in ("pooled_weight", "prior_weight"):
        if column in curves.columns:
            w = pd.to_numeric(curves[column], errors="coerce").to_numpy(dtype=float)
            weight = np.maximum(weight, np.clip(np.nan_to_num(w, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0))
    return 1.0 - weight


def own_data_bands(beta, beta_p10, beta_p90, own) -> tuple[np.ndarray, np.ndarray]:
    """Return the 80 % bands the allowance draws from: each row's log-scale spread times its ``own`` share.

    Parameters
    ----------
    beta, beta_p10, beta_p90 : array-like of float
        Each row's curve scale and its 80 % interval.
    own : array-like of float
        Each row's share of its estimate its own data determine (:func:`own_data_shares`).

    Returns
    -------
    tuple of ndarray
        ``(p10, p90)``: ``beta * (beta_p10 / beta) ** own`` and the same of ``beta_p90``; a row whose band
        is not usable (``beta`` not above 0, or an end not above 0) keeps its own ends.
    """
    b = np.asarray(beta, dtype=float)
    lo, hi, w = (np.asarray(a, dtype=float) for a in (beta_p10, beta_p90, own))
    ok = (b > 0) & (lo > 0) & (hi > 0) & np.isfinite(b) & np.isfinite(lo) & np.isfinite(hi)
    safe = np.where(ok, b, 1.0)
    p10 = np.where(ok, safe * (np.where(ok, lo, 1.0) / safe) ** w, lo)
    p90 = np.where(ok, safe * (np.where(ok, hi, 1.0) / safe) ** w, hi)
    return p10, p90
