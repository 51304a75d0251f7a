"""Weekly series for the marketing-mix model: the step between periods, the baseline's seasons, adstock."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MAX_FOURIER", "weekly_steps", "fourier_pairs", "adstock", "adstocks", "lfilter"]


def lfilter(b, a, x, zi):
    """Return :func:`scipy.signal.lfilter` of ``x`` and its final state (imported when first used).

    scipy.signal (and scipy.stats under it) takes 0.4 s to import; loaded here only when a model is
    fitted, the app opens on a saved fit without it.
    """
    from scipy.signal import lfilter as _lfilter

    return _lfilter(b, a, x, zi=zi)

MAX_FOURIER = 6  # yearly Fourier pairs of the baseline: one per half year of data, at most 6


def weekly_steps(dates) -> tuple[np.ndarray, float]:
    """Map dates to model steps: Monday week starts for daily or weekly data, else the dates.

    Returns the step of every date (datetime64 array) and the weeks per step.

    Parameters
    ----------
    dates : array_like
        Dates (anything :func:`pandas.to_datetime` reads), in any order.

    Returns
    -------
    tuple of (ndarray, float)
        The step of every date, in the order given: its week's Monday when the median
        gap between distinct dates is under 7.5 days (or there is one date), else the
        date itself (normalised); and the weeks per step (1.0, or the median gap in weeks).
    """
    d = pd.to_datetime(pd.Series(dates)).dt.normalize()
    uniq = np.sort(d.dropna().unique())
    gap = float(np.median(np.diff(uniq)) / np.timedelta64(1, "D")) if len(uniq) > 1 else 7.0
    if gap < 7.5:
        return (d - pd.to_timedelta(d.dt.day_of_week, unit="D")).to_numpy(), 1.0
    return d.to_numpy(), gap / 7.0


def fourier_pairs(weeks: float) -> int:
    """Return the number of yearly Fourier pairs of the baseline for ``weeks`` of data (0 below a year).

    Parameters
    ----------
    weeks : float
        The length of the data in weeks.

    Returns
    -------
    int
        ``min(MAX_FOURIER, weeks // 26)``, or 0 below 52 weeks.
    """
    return 0 if weeks < 52 else int(min(MAX_FOURIER, weeks // 26))


def adstock(x: np.ndarray, decay: float, x0: float | None = None) -> np.ndarray:
    """Return the normalised geometric adstock of ``x`` (weights ``(1-d) d^l``), started at ``x0``.

    Parameters
    ----------
    x : ndarray
        Spend per step, in order.
    decay : float
        The share carried over to the next step (0: no carry-over).
    x0 : float or None, default None
        The level before the data; None takes the mean of the first eight steps.

    Returns
    -------
    ndarray
        The adstock of every step, same length as ``x``; a constant spend started at
        ``x0 = x`` stays at ``x``.
    """
    x = np.asarray(x, dtype=float)
    if x0 is None:
        x0 = float(np.mean(x[:8])) if len(x) else 0.0
    return lfilter([1.0 - decay], [1.0, -decay], x, zi=[decay * x0])[0]


def adstocks(X: np.ndarray, decay: np.ndarray, x0: np.ndarray, deriv: bool = False):
    """Return the normalised geometric adstock of every column of ``X``, each with its own decay.

    One pass over the steps for all columns at once (a wide file of 100 channels costs about what
    one channel does), the same recursion as :func:`adstock`: ``A_t = d A_{t-1} + (1 - d) x_t`` from
    ``A_{-1} = x0``.

    Parameters
    ----------
    X : ndarray
        Spend per step (rows) and channel (columns).
    decay : ndarray
        Each column's decay.
    x0 : ndarray
        Each column's level before the data.
    deriv : bool, default False
        Also return the derivative of the adstock by each column's decay.

    Returns
    -------
    tuple of (ndarray, ndarray or None)
        The adstock, shaped like ``X``, and its derivative by the decay (None unless ``deriv``).
    """
    X = np.asarray(X, dtype=float)
    d = np.asarray(decay, dtype=float)
    keep = 1.0 - d
    A = np.empty_like(X)
    dA = np.empty_like(X) if deriv else None
    a = np.array(x0, dtype=float)
    da = np.zeros_like(a)
    for t in range(X.shape[0]):
        x = X[t]
        if deriv:  # dA_t = A_{t-1} - x_t + d dA_{t-1}
            da = a - x + d * da
            dA[t] = da
        a = d * a + keep * x
        A[t] = a
    return A, dA
