"""The marketing-mix model's penalised least squares: its parameters, residuals, normal equations and fits.

:class:`Model` holds the scaled data of planner.fit.mmm (spend per step and network over its mean, sales
over their mean, the baseline's columns) and the priors; :meth:`Model.fit` minimises the penalised
squared error by planner.fit.lsq from a start, :meth:`Model.multistart` from several. The residuals are
the weeks' errors over the noise scale, then one row per prior term (a parameter against its prior; each
network's log ROAS, shape and log k against the networks' common ones) and one per experiment. The
weeks' rows are dense; each prior row touches one to four parameters, so ``J'J`` is the weeks' part plus
the prior rows' products summed by index (:meth:`Model.normal`), never a dense matrix of every row.
"""

from __future__ import annotations

import time

import numpy as np
from scipy.optimize import lsq_linear
from scipy.special import expit

from planner.fit.lsq import levenberg_marquardt
from planner.fit.mmm_inputs import experiment_rows
from planner.fit.weekly import adstocks

__all__ = ["DECAY_MAX", "S_BOUNDS", "K_RANGE", "PRIOR", "STARTS", "TAU_ROAS", "TAU_S", "TAU_LOGK", "CONTROL_TAU",
           "Model"]

DECAY_MAX = 0.8
S_BOUNDS = (0.5, 3.0)
K_RANGE = (1 / 20, 20.0)  # k relative to the network's mean weekly spend
# decay ~ N(0.3, 0.2): PyMC-Marketing's default for geometric adstock is Beta(1, 3), mean 0.25 and sd 0.19
PRIOR = {"decay": (0.3, 0.2), "logk": (0.0, 0.5), "s": (1.0, 0.75), "beta": (0.0, 0.3)}
STARTS = ((0.3, 1.0, 1.0), (0.6, 1.0, 1.5), (0.1, 0.5, 1.0), (0.5, 2.5, 1.0))  # (decay, k, s) of every network
BETA_MIN = 1e-6  # scaled beta is kept above zero so that its log ROAS is defined
TAU_ROAS = 0.5  # prior sd of a network's log ROAS around the networks' common level
TAU_S = 0.3  # prior sd of a network's hill s around the networks' common s (fitted)
CONTROL_TAU = 1.0  # prior sd of a control's effect at its largest value, in units of the mean outcome
TAU_LOGK = 0.3  # prior sd of a network's log(k / mean spend) around the networks' common one (fitted)


class Model:
    """Scaled data, priors and bounds of the marketing-mix model, and its penalised least squares.

    Parameters
    ----------
    X : ndarray
        Spend per step (rows) and network (columns), each over its mean.
    y : ndarray
        The outcome per step over its mean (0 where unknown).
    base : ndarray
        The baseline's columns (intercept, trend, seasons, then the controls).
    x0 : ndarray
        Each network's spend before the data (its adstock's start).
    log_unit : ndarray
        log(outcome scale / spend scale) of each network: scaled level to ROAS.
    n_controls : int, default 0
        How many of the last columns of ``base`` are controls (they get a weak prior).
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, base: np.ndarray, x0: np.ndarray, log_unit: np.ndarray,
                 n_controls: int = 0):
        self.X, self.y, self.B, self.x0 = np.ascontiguousarray(X, dtype=float), y, base, x0
        self.log_unit = log_unit
        self.T, self.N = X.shape
        self.nb = base.shape[1]
        N, nb = self.N, self.nb
        self.n_par = nb + 4 * N + 3
        self.i_rho, self.i_ms, self.i_mk = self.n_par - 3, self.n_par - 2, self.n_par - 1  # the common levels
        self.sl_c = slice(0, nb)
        self.sl_beta = slice(nb, nb + N)
        self.sl_d = slice(nb + N, nb + 2 * N)
        self.sl_k = slice(nb + 2 * N, nb + 3 * N)
        self.sl_s = slice(nb + 3 * N, nb + 4 * N)
        mu, tau = np.zeros(self.n_par), np.full(self.n_par, np.inf)
        for sl, key in ((self.sl_beta, "beta"), (self.sl_d, "decay"), (self.sl_k, "logk"), (self.sl_s, "s")):
            mu[sl], tau[sl] = PRIOR[key]
        if n_controls:  # a weak prior keeps a control the weeks fitted cannot see (an event only held out) at 0
            tau[nb - n_controls:nb] = CONTROL_TAU
        self.pen = np.isfinite(tau)
        self.mu, self.tau = mu[self.pen], tau[self.pen]
        lo, hi = np.full(self.n_par, -np.inf), np.full(self.n_par, np.inf)
        lo[self.sl_beta] = BETA_MIN
        lo[self.sl_d], hi[self.sl_d] = 0.0, DECAY_MAX
        lo[self.sl_k], hi[self.sl_k] = np.log(K_RANGE[0]), np.log(K_RANGE[1])
        lo[self.sl_s], hi[self.sl_s] = S_BOUNDS
        self.bounds = (lo, hi)
        # the prior rows, four entries each (unused ones repeat the first with value 0): each parameter with a
        # prior, then per network its log ROAS (beta, k, s, common level), its s and its log k (itself, common)
        ar = np.arange(N)
        one = np.flatnonzero(self.pen)
        b, k, s = self.sl_beta.start + ar, self.sl_k.start + ar, self.sl_s.start + ar
        self.prior_index = np.vstack((
            np.repeat(one[:, None], 4, axis=1),
            np.column_stack((b, k, s, np.full(N, self.i_rho))),
            np.column_stack((s, np.full(N, self.i_ms), s, s)),
            np.column_stack((k, np.full(N, self.i_mk), k, k)),
        ))
        self._pairs = (self.prior_index[:, :, None] * self.n_par + self.prior_index[:, None, :]).ravel()
        self._key = None
        self._cache = None
        # (network, first step, last step, lift, se, share of the window's spend the test moved: 1 a holdout)
        self.experiments: list[tuple[int, int, int, float, float, float]] = []
        self.media_scale = np.ones(self.T)  # each step's multiplier of the media effect (a yearly wave, or 1)

    def set_experiments(self, experiments: list[tuple[int, int, int, float, float, float]]) -> None:
        """Calibrate on these measured lifts, ``(network, first step, last step, lift, se, share moved)`` each.

        Lifts and standard errors are in scaled units; ``share moved`` is the part of the window's spend the test
        moved (1 for a holdout; planner.fit.mmm_inputs.windows).
        """
        self.experiments = list(experiments)
        self._key = self._cache = None

    def set_media_scale(self, m: np.ndarray) -> None:
        """Multiply every network's effect in each step by ``m`` (a yearly wave, planner.fit.seasonal_response)."""
        self.media_scale = np.asarray(m, dtype=float)
        self._key = self._cache = None

    def split(self, th):
        """Return the baseline's coefficients and each network's beta, decay, log k and s."""
        return th[self.sl_c], th[self.sl_beta], th[self.sl_d], th[self.sl_k], th[self.sl_s]

    def adstocks(self, d: np.ndarray, deriv: bool):
        """Return every network's adstock at decays ``d`` (and its derivative by the decay)."""
        return adstocks(self.X, d, self.x0, deriv)

    def parts(self, th, deriv=False):
        """Return the baseline, each network's weekly contribution and the pieces of its derivatives."""
        c, beta, d, lk, s = self.split(th)
        A, dA = self.adstocks(d, deriv)
        logA = np.log(np.maximum(A, 1e-12))
        z = s * (logA - lk)
        h = expit(z)
        base = self.B @ c
        return base, beta * h * self.media_scale[:, None], (A, dA, logA, z, h)

    def predict(self, th):
        """Return the modelled outcome of every step (scaled)."""
        base, contrib, _ = self.parts(th)
        return base + contrib.sum(axis=1)

    def _prior_values(self, th):
        """Return the prior rows' residuals and their four entries' values."""
        _, beta, _, lk, s = self.split(th)
        zr = -s * lk  # ROAS at the mean spend (scaled spend 1), pooled across networks
        q = 1.0 - expit(zr)
        lroas = np.log(beta) + np.log(expit(zr)) + self.log_unit
        res = np.concatenate(((th[self.pen] - self.mu) / self.tau, (lroas - th[self.i_rho]) / TAU_ROAS,
                              (s - th[self.i_ms]) / TAU_S, (lk - th[self.i_mk]) / TAU_LOGK))
        N, z = self.N, np.zeros(self.N)
        val = np.vstack((
            np.column_stack((1.0 / self.tau, *[np.zeros(len(self.tau))] * 3)),
            np.column_stack((1.0 / beta, -q * s, -q * lk, np.full(N, -1.0))) / TAU_ROAS,
            np.column_stack((np.full(N, 1.0), np.full(N, -1.0), z, z)) / TAU_S,
            np.column_stack((np.full(N, 1.0), np.full(N, -1.0), z, z)) / TAU_LOGK,
        ))
        return res, val

    def _pieces(self, th, mask, y, sigma):
        """Return the weeks' residuals and Jacobian, the prior rows' and the experiments' (kept for the last ``th``)."""
        key = (th.tobytes(), mask.tobytes(), y.tobytes(), float(sigma), len(self.experiments))
        if self._key == key:
            return self._cache
        c, beta, d, lk, s = self.split(th)
        base, contrib, (A, dA, logA, z, h) = self.parts(th, deriv=True)
        rd = (y[mask] - (base + contrib.sum(axis=1))[mask]) / sigma
        rp, vp = self._prior_values(th)
        re, Je = experiment_rows(self, th)
        # the weeks' rows of the residuals' Jacobian: minus the model's, over the noise
        dh = (h * (1.0 - h))[mask]
        Jd = np.zeros((int(mask.sum()), self.n_par))
        Jd[:, self.sl_c] = self.B[mask]
        m = self.media_scale[mask][:, None]
        Jd[:, self.sl_beta] = h[mask] * m
        Jd[:, self.sl_d] = beta * dh * (s / np.maximum(A[mask], 1e-12)) * dA[mask] * m
        Jd[:, self.sl_k] = -beta * dh * s * m
        Jd[:, self.sl_s] = beta * dh * (logA[mask] - lk) * m
        Jd *= -1.0 / sigma
        self._key, self._cache = key, (rd, Jd, rp, vp, re, Je)
        return self._cache

    def residuals(self, th, mask, y, sigma) -> np.ndarray:
        """Return the residuals: the weeks', the priors', the experiments'."""
        rd, _, rp, _, re, _ = self._pieces(th, mask, y, sigma)
        return np.concatenate((rd, rp, re))

    def normal(self, th, mask, y, sigma) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(J'r, J'J)`` of the residuals at ``th``: the weeks' dense part plus the sparse prior rows."""
        rd, Jd, rp, vp, re, Je = self._pieces(th, mask, y, sigma)
        n = self.n_par
        g = Jd.T @ rd + np.bincount(self.prior_index.ravel(), weights=(vp * rp[:, None]).ravel(), minlength=n)
        H = Jd.T @ Jd
        H += np.bincount(self._pairs, weights=(vp[:, :, None] * vp[:, None, :]).ravel(), minlength=n * n).reshape(n, n)
        if len(re):
            g += Je.T @ re
            H += Je.T @ Je
        return g, H

    def fit(self, th0, mask, y, sigma, max_nfev=200):
        """Return the penalised least-squares parameters from ``th0`` and their cost."""
        sol = levenberg_marquardt(lambda t: self.residuals(t, mask, y, sigma), lambda t: self.normal(t, mask, y, sigma),
                                  th0, *self.bounds, max_nfev=max_nfev)
        return sol.x, sol.cost

    def start(self, d0, k0, s0, mask, y):
        """Parameters at a start: nonlinear ones given, linear ones by bounded LS."""
        th = np.zeros(self.n_par)
        th[self.sl_d], th[self.sl_k], th[self.sl_s] = d0, np.log(k0), s0
        _, _, (_, _, _, _, h) = self.parts(th)
        D = np.hstack((self.B, h * self.media_scale[:, None]))[mask]
        lo = np.r_[np.full(self.nb, -np.inf), np.full(self.N, BETA_MIN)]
        sol = lsq_linear(D, y[mask], bounds=(lo, np.full(D.shape[1], np.inf)))
        th[self.sl_c], th[self.sl_beta] = sol.x[: self.nb], np.maximum(sol.x[self.nb:], BETA_MIN)
        lroas = np.log(th[self.sl_beta]) + np.log(expit(-s0 * np.log(k0))) + self.log_unit
        th[self.i_rho] = float(np.median(lroas))
        th[self.i_ms], th[self.i_mk] = s0, np.log(k0)
        return th

    def multistart(self, mask, y, sigma, extra=(), deadline: float | None = None) -> tuple[np.ndarray, int, int]:
        """Return the best fit from ``extra`` (warm starts) then :data:`STARTS`, with the starts fitted and offered.

        The first start is always fitted; the others only before ``deadline`` (``time.monotonic()``).
        """
        best = None
        starts = list(extra) + [None] * len(STARTS)
        done = 0
        for i, th0 in enumerate(starts):
            if done and deadline is not None and time.monotonic() >= deadline:
                break
            if th0 is None:
                th0 = self.start(*STARTS[i - len(extra)], mask, y)
            th, cost = self.fit(th0, mask, y, sigma)
            done += 1
            if best is None or cost < best[1] - 1e-12:
                best = (th, cost)
        return best[0], done, len(starts)
