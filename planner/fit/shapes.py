"""The curve forms at unit scale, on the log scale: what the fits compare with log revenue.

With ``beta = 1`` and spend ``u`` in some unit (posts, thousands of followers, or the
median spend), ``log g(u)`` of planner.curves.forms' hill, logistic and log curves.  A
fitted curve is ``log y = log beta + log g(u) + noise``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["log_shape"]


def log_shape(form: str, u, logk, s):
    """Return log of the unit-scale shape g(u) (beta = 1); broadcasts; u > 0.

    Parameters
    ----------
    form : str
        ``"hill"``, ``"logistic"`` or ``"log"``.
    u : array_like
        Spend in the fit's unit, above 0.
    logk : array_like
        log of the curve's k, in the same unit.
    s : array_like
        The hill's shape (ignored by the other forms).

    Returns
    -------
    ndarray
        ``log g(u)``, broadcast over the arguments.

    Raises
    ------
    ValueError
        When ``form`` is not one of the three.
    """
    u = np.asarray(u, dtype=float)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if form == "hill":
            return -np.logaddexp(0.0, s * (logk - np.log(u)))
        if form == "logistic":
            return np.log(np.tanh(u / (2.0 * np.exp(logk))))
        if form == "log":
            return np.log(np.log1p(u / np.exp(logk)))
    raise ValueError(form)
