"""Does paid media earn more in some seasons? A yearly wave in the marketing-mix model's media effect.

After the model is fitted (its baseline already holds the seasons of sales without media), the weekly
outcome is regressed on the baseline's columns and the fitted media effect ``C_t`` with two more columns,
``C_t sin`` and ``C_t cos`` of the week's place in the year: ``y = B c + C_t (g + a sin + b cos) + e``. The
media effect's multiplier is then ``1 + (a/g) sin + (b/g) cos``; where it is found, :func:`fit_seasons`
refits the model with it and adds what wave is left, since the first fit took part of it elsewhere. It is kept only where the data support it:
at least a year of weeks, a media effect that is there (``g > 0``), spend that moves against the season
(else ``C_t sin`` is the baseline's own season), and a Wald test of ``a = b = 0`` beyond chance at
``p < 0.001`` after widening the variance for autocorrelated weeks (AR(1): ``(1 + r)/(1 - r)``). The
wave is capped at +/-80 % so that no season earns nothing. Where it is not supported the rows carry none,
and the reason is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.curves.season import angle, multiplier

__all__ = ["SeasonalResponse", "seasonal_response", "fit_seasons", "MIN_WEEKS", "CHI2_LIMIT", "MAX_WAVE"]

MIN_WEEKS = 52
CHI2_LIMIT = 13.82  # chi-square, 2 degrees of freedom, p = 0.001
MAX_WAVE = 0.8
MIN_WAVE = 0.05  # a wave below 5 % is not worth timing a plan on


@dataclass(frozen=True)
class SeasonalResponse:
    """The media effect's yearly wave and whether the data support it.

    Attributes
    ----------
    sin, cos : float
        The multiplier's terms (``1 + sin * sin(angle) + cos * cos(angle)``, angle of the day of the year);
        0 when not supported.
    chi2 : float
        The Wald statistic of ``a = b = 0`` (NaN when not tested).
    weeks : float
        Weeks of data.
    supported : bool
    reason : str
        ``"found"``, ``"short"`` (under a year), ``"no effect"``, ``"weak"`` (not beyond chance or under 5 %).
    """

    sin: float
    cos: float
    chi2: float
    weeks: float
    supported: bool
    reason: str


def _none(weeks: float, reason: str, chi2: float = np.nan) -> SeasonalResponse:
    return SeasonalResponse(0.0, 0.0, chi2, weeks, False, reason)


def _mid_days(dates, weeks_per_step: float) -> np.ndarray:
    return np.asarray(dates, dtype="datetime64[D]") + int(round(3.5 * weeks_per_step))


def _wave(dates, y, obs, B, C, weeks_per_step):
    """Return ``(g, a, b, chi2)`` of the joint regression (module docstring); chi2 NaN when it cannot be told."""
    ang = angle(_mid_days(dates, weeks_per_step))
    Z = np.column_stack([B, C, C * np.sin(ang), C * np.cos(ang)])[obs]
    yy = y[obs]
    coef, *_ = np.linalg.lstsq(Z, yy, rcond=None)
    e = yy - Z @ coef
    n, p = Z.shape
    g, a, b = (float(v) for v in coef[-3:])
    if n <= p + 2:
        return g, a, b, np.nan
    s2 = float(e @ e) / (n - p)
    r = float(np.corrcoef(e[:-1], e[1:])[0, 1]) if n > 3 and np.std(e) > 0 else 0.0
    inflate = (1 + r) / (1 - r) if 0 < r < 0.95 else (39.0 if r >= 0.95 else 1.0)
    try:
        cov = np.linalg.pinv(Z.T @ Z)[-2:, -2:] * s2 * inflate
        chi2 = float(np.array([a, b]) @ np.linalg.solve(cov, np.array([a, b])))
    except np.linalg.LinAlgError:
        chi2 = np.nan
    return g, a, b, chi2


def seasonal_response(dates, y: np.ndarray, obs: np.ndarray, B: np.ndarray, C: np.ndarray,
                      weeks_per_step: float) -> SeasonalResponse:
    """Test for, and estimate, a yearly wave in the media effect (module docstring).

    Parameters
    ----------
    dates : array of datetime64
        Each step's first day.
    y : ndarray
        The outcome per step (any scale; 0 where unknown).
    obs : ndarray of bool
        Steps with an outcome.
    B : ndarray (steps, columns)
        The baseline's columns (intercept, trend, seasons, controls).
    C : ndarray (steps,)
        The fitted media effect per step, on ``y``'s scale.
    weeks_per_step : float

    Returns
    -------
    SeasonalResponse
    """
    weeks = float(obs.sum()) * weeks_per_step
    if weeks < MIN_WEEKS:
        return _none(weeks, "short")
    g, a, b, chi2 = _wave(dates, y, obs, B, C, weeks_per_step)
    if int(obs.sum()) <= B.shape[1] + 5:  # as many columns as weeks: nothing left to tell a wave by
        return _none(weeks, "short")
    if not g > 0:
        return _none(weeks, "no effect")
    rel = np.array([a, b]) / g
    amp = float(np.hypot(*rel))
    if not np.isfinite(chi2) or chi2 < CHI2_LIMIT or amp < MIN_WAVE:
        return _none(weeks, "weak", chi2)
    if amp > MAX_WAVE:
        rel = rel * MAX_WAVE / amp
    return SeasonalResponse(float(rel[0]), float(rel[1]), chi2, weeks, True, "found")


def fit_seasons(model, th: np.ndarray, dates, y: np.ndarray, obs: np.ndarray, B: np.ndarray, sigma: float,
                weeks_per_step: float, rounds: int = 4) -> tuple[SeasonalResponse, np.ndarray]:
    """Test the fitted model for a yearly wave and, where found, refit it with the wave in its media effect.

    The test's estimate is low (the first fit took part of the wave into the networks' and the baseline's
    parameters), so the model is refitted with the wave as a multiplier of every network's effect
    (``model.set_media_scale``) and what wave is left is added, a few rounds, until less than a point moves.

    Parameters
    ----------
    model : planner.fit.mmm_model.Model
        Changed in place: its media scale is the wave found (left at 1 where none is).
    th : ndarray
        The model's parameters fitted without a wave.
    dates, y, obs, B, weeks_per_step
        As :func:`seasonal_response` takes them.
    sigma : float
        The noise scale of the model's fit.
    rounds : int, default 4

    Returns
    -------
    (SeasonalResponse, ndarray)
        The wave (its test's statistic is the first fit's) and the parameters refitted with it.
    """
    first = seasonal_response(dates, y, obs, B, model.parts(th)[1].sum(axis=1), weeks_per_step)
    if not first.supported:
        return first, th
    mid = _mid_days(dates, weeks_per_step)
    a, b = first.sin, first.cos
    for _ in range(rounds):
        model.set_media_scale(multiplier(a, b, mid))
        th, _ = model.fit(th, obs, y, sigma)
        g, da, db, _ = _wave(dates, y, obs, B, model.parts(th)[1].sum(axis=1), weeks_per_step)
        if not g > 0:
            break
        da, db = da / g, db / g
        a, b = a + da, b + db
        amp = float(np.hypot(a, b))
        if amp > MAX_WAVE:
            a, b = a * MAX_WAVE / amp, b * MAX_WAVE / amp
        if np.hypot(da, db) < 0.01:
            break
    model.set_media_scale(multiplier(a, b, mid))
    th, _ = model.fit(th, obs, y, sigma)
    return SeasonalResponse(float(a), float(b), first.chi2, first.weeks, True, "found"), th
