"""A yearly wave in what creators' campaigns return: holiday campaigns sell more.

A promo code sells more in November than in May. A creator whose few campaigns fell in the holidays then
looks better than one whose campaigns fell in spring, and a plan that ranks them on it buys the season,
not the creator. The wave is read from the creators' own campaigns: within each creator of two or more
campaigns, the log revenue of a campaign against its log spend (the curve's local slope) and the time of
year (``sin``, ``cos`` of its day), every creator's mean taken out (planner.fit.creators then fits the
curves to the revenue with the wave taken out: the average quarter's). It is kept only where the data
support it: an F test of the two terms at :data:`P_KEEP` (the local slope is only the curve's approximation,
so at 1 % two of the benchmark's 60 samples without a wave kept a small one; a holiday wave of +/-30 % gives
p-values below 1e-6).

``log y = level + slope log x + a sin(t) + b cos(t) + e``: the wave multiplies revenue by ``exp(a sin + b
cos)``, whose mean over the year is ``I0(r)`` (``r = hypot(a, b)``); the curves are scaled by it so that
they are the average quarter's. The creators' rows carry the wave as ``season_sin``/``season_cos``, so a plan
over a horizon values each creator at the horizon's mean multiplier (planner.flighting.problem).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import i0, i1
from scipy.stats import f as f_dist

from planner.curves.season import angle, peak

__all__ = ["P_KEEP", "CampaignWave", "campaign_wave", "wave_terms", "within_creators", "repeated", "within_design"]

P_KEEP = 0.001  # the F test's p-value under which the wave is kept (at 0.01 two of 60 plain bench samples kept one)


@dataclass(frozen=True)
class CampaignWave:
    """A yearly wave in campaigns' log revenue: ``a sin(t) + b cos(t)``, ``t`` the day's angle in the year."""

    a: float
    b: float
    p_value: float
    campaigns: int

    def log_multiplier(self, dates) -> np.ndarray:
        """Return the wave's log multiplier of revenue on each of ``dates`` (around the year's mean)."""
        t = angle(dates)
        return self.a * np.sin(t) + self.b * np.cos(t) - np.log(self.mean)

    @property
    def mean(self) -> float:
        """Return the wave's mean multiplier over the year, ``I0(hypot(a, b))``."""
        return float(i0(np.hypot(self.a, self.b)))

    def swing(self) -> tuple[float, float]:
        """Return the multiplier at the year's best and worst day, each over the year's mean, as plans count them.

        Plans count the wave as the curve table carries it, its first harmonic (:meth:`season_terms`): ``1 + h`` and
        ``1 - h``. The fit's own ``exp(r cos) / I0(r)`` goes a little higher at the top (+32 % against +30 % at
        ``r`` 0.3); the notes say the figure the plans and the Optimize page's quarter use.
        """
        h = float(np.hypot(*self.season_terms()))
        return 1.0 + h, 1.0 - h

    def season_terms(self) -> tuple[float, float]:
        """Return the wave as the curve table's ``season_sin``, ``season_cos`` (planner.curves.season).

        The table's multiplier is ``1 + s sin + c cos``; the wave's, ``exp(r cos(t - phi)) / I0(r)``, whose first
        harmonic is ``2 I1(r) / I0(r) cos(t - phi)`` (its Fourier series): ``s``, ``c`` are that times ``a / r``,
        ``b / r``.
        """
        r = float(np.hypot(self.a, self.b))
        if r == 0:
            return 0.0, 0.0
        h = 2.0 * float(i1(r)) / float(i0(r))
        return h * self.a / r, h * self.b / r

    def top(self) -> pd.Timestamp:
        """Return the day of the year where campaigns return most (in 2001, as planner.curves.season.peak)."""
        return peak(*self.season_terms())[1]

    def peak_day(self) -> int:
        """Return the day of the year (1..365) where campaigns return most."""
        return int(self.top().day_of_year)


def campaign_wave(log_y: np.ndarray, log_x: np.ndarray, cid: np.ndarray, dates,
                  nuisance: np.ndarray | None = None) -> CampaignWave | None:
    """Return the yearly wave the campaigns show, or None where the data do not support one.

    Parameters
    ----------
    log_y, log_x : ndarray
        Each campaign's log revenue and log spend.
    cid : ndarray of int
        Each campaign's creator.
    dates : array_like
        Each campaign's date.
    nuisance : ndarray (campaigns, q) or None, default None
        Each campaign's controls (a discount, a launch; blanks filled): in the model with and without the wave.

    Returns
    -------
    CampaignWave or None
        None with fewer than 12 campaigns of creators with two or more, a design that cannot tell the wave
        apart, or an F test's p-value of :data:`P_KEEP` or more.
    """
    cid = np.asarray(cid)
    use = repeated(cid)
    if use is None:
        return None
    own = np.asarray(log_x, dtype=float)[use][:, None]
    if nuisance is not None and np.shape(nuisance)[1]:  # the campaigns' controls: in both models
        own = np.column_stack((own, np.asarray(nuisance, dtype=float)[use]))
    X = np.column_stack((own, wave_terms(np.asarray(dates)[use])))
    design = within_design(X, np.asarray(log_y, dtype=float)[use], cid[use])
    if design is None:
        return None
    Xw, yw, dof = design
    q = own.shape[1]
    coef, *_ = np.linalg.lstsq(Xw, yw, rcond=None)
    sse = float(np.sum((yw - Xw @ coef) ** 2))
    c0, *_ = np.linalg.lstsq(Xw[:, :q], yw, rcond=None)
    sse0 = float(np.sum((yw - Xw[:, :q] @ c0) ** 2))
    if sse <= 0:
        return None
    p = float(f_dist.sf(((sse0 - sse) / 2) / (sse / dof), 2, dof))
    if not p < P_KEEP:
        return None
    return CampaignWave(float(coef[q]), float(coef[q + 1]), p, int(use.sum()))


def wave_terms(dates) -> np.ndarray:
    """Return the sine and cosine of each date's place in the year: the wave's two columns (dates x 2)."""
    t = angle(dates)
    return np.column_stack((np.sin(t), np.cos(t)))


def within_creators(X: np.ndarray, y: np.ndarray, cid: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Return ``X`` and ``y`` with each creator's mean taken out of every column, and the number of creators.

    The regression of the result is the one within creators (each creator's own level absorbed).
    """
    _, inv = np.unique(np.asarray(cid), return_inverse=True)
    k = int(inv.max()) + 1 if len(inv) else 0
    cnt = np.bincount(inv, minlength=k).astype(float)
    Z = np.column_stack((np.asarray(y, dtype=float), np.asarray(X, dtype=float)))
    sums = np.zeros((k, Z.shape[1]))
    np.add.at(sums, inv, Z)
    Zw = Z - (sums / np.maximum(cnt, 1.0)[:, None])[inv]
    return Zw[:, 1:], Zw[:, 0], k


def repeated(cid: np.ndarray, least: int = 12) -> np.ndarray | None:
    """Return which campaigns belong to a creator of two or more, or None when fewer than ``least`` do.

    Only they show anything within a creator.
    """
    cid = np.asarray(cid)
    use = np.bincount(cid)[cid] >= 2
    return use if use.sum() >= least else None


def within_design(X: np.ndarray, y: np.ndarray, cid: np.ndarray) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Return the within-creators regression's ``X``, ``y`` and residual degrees of freedom, or None.

    None when it has fewer than 5 degrees of freedom or its columns cannot be told apart.
    """
    Xw, yw, k = within_creators(X, y, cid)
    dof = len(yw) - k - X.shape[1]
    if dof < 5 or np.linalg.matrix_rank(Xw) < X.shape[1]:
        return None
    return Xw, yw, dof
