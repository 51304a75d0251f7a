"""Bounded nonlinear least squares by Levenberg-Marquardt on the normal equations.

The marketing-mix model has 4 parameters per channel besides the baseline's: 30 for six networks,
over 400 for a wide file of 100 channels. A trust-region solver that takes the singular value
decomposition of the whole Jacobian every step (scipy's ``least_squares``, method "trf") costs
``rows x parameters^2`` per step with rows = weeks + one per prior term (about 860 x 417^2 for 100
channels over 156 weeks, a tenth of a second a step on one core); the model's priors make most rows
one or four entries wide. Here each step takes ``J'J`` (the dense weeks' part plus the priors' sparse
rows, summed by index) and solves ``(J'J + lambda D) p = -J'r`` by Cholesky: a few milliseconds.

Bounds: a parameter at a bound whose gradient points outward is held there for the step (the
active set), the step is projected onto the box, and the gain it was predicted to bring is that of
the projected step, so a step the bounds cut short is judged on what it does. Damping: Nielsen's
rule (``lambda`` times ``max(1/3, 1 - (2 rho - 1)^3)`` on success, doubling on failure) scaled by
the largest diagonal of ``J'J`` seen so far per parameter (Marquardt's scaling, as MINPACK's).
Stops when a step gains less than ``ftol`` of the cost, moves less than ``xtol`` of the parameters,
the projected gradient vanishes, or after ``max_nfev`` evaluations of the residuals.

Matrices this small (a few hundred rows and columns) gain nothing from a second BLAS thread, and
on a busy 2-core machine two threads wait on each other: a 100 x 417 Cholesky or SVD took 10 to 100
times as long. :func:`one_thread` keeps a fit's linear algebra on one thread (threadpoolctl).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve

__all__ = ["Solution", "levenberg_marquardt", "one_thread"]

_TINY = 1e-12


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the block with BLAS on one thread (threadpoolctl), then as before."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@dataclass(frozen=True)
class Solution:
    """The end of a bounded least-squares search.

    Attributes
    ----------
    x : ndarray
        The parameters, within their bounds.
    cost : float
        Half the sum of squared residuals at ``x``.
    nfev : int
        Evaluations of the residuals.
    converged : bool
        Whether a stopping test held (False: ``max_nfev`` ran out first).
    """

    x: np.ndarray
    cost: float
    nfev: int
    converged: bool


def levenberg_marquardt(residuals: Callable[[np.ndarray], np.ndarray],
                        normal: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
                        x0: np.ndarray, lower: np.ndarray, upper: np.ndarray, max_nfev: int = 200,
                        ftol: float = 1e-9, xtol: float = 1e-9, gtol: float = 1e-10) -> Solution:
    """Minimise half the sum of squared residuals within bounds by Levenberg-Marquardt.

    Parameters
    ----------
    residuals : callable
        ``residuals(x)``: the residual vector at ``x``.
    normal : callable
        ``normal(x)``: ``(J'r, J'J)`` at ``x`` (the gradient of the cost and the Gauss-Newton Hessian).
    x0 : ndarray
        The start (clipped into the bounds).
    lower, upper : ndarray
        The bounds of each parameter (``-inf``/``inf`` where none).
    max_nfev : int, default 200
        Evaluations of the residuals allowed.
    ftol, xtol, gtol : float
        Stop when a step gains less than ``ftol`` of the cost, moves less than ``xtol`` (relative to the
        parameters' size), or the projected gradient, scaled, is below ``gtol``.

    Returns
    -------
    Solution
    """
    x = np.clip(np.asarray(x0, dtype=float), lower, upper)
    r = residuals(x)
    cost = 0.5 * float(r @ r)
    nfev = 1
    g, H = normal(x)
    scale = np.maximum(np.diag(H).copy(), _TINY)
    lam, nu = 1e-3, 2.0
    while nfev < max_nfev and lam < 1e16:  # a damping this large moves nothing
        free = ~(((x <= lower) & (g > 0)) | ((x >= upper) & (g < 0)))
        if not free.any() or np.max(np.abs(g[free]) / np.sqrt(scale[free])) <= gtol * max(np.sqrt(2 * cost), 1.0):
            return Solution(x, cost, nfev, True)
        Hf = H[np.ix_(free, free)]
        Hf[np.diag_indices_from(Hf)] += lam * scale[free]
        try:
            pf = -cho_solve(cho_factor(Hf, check_finite=False), g[free], check_finite=False)
        except (LinAlgError, ValueError):
            lam, nu = lam * nu, nu * 2.0
            continue
        step = np.zeros_like(x)
        step[free] = pf
        trial = np.clip(x + step, lower, upper)
        step = trial - x
        small = float(np.linalg.norm(step)) <= xtol * (xtol + float(np.linalg.norm(x)))
        r_new = residuals(trial)
        nfev += 1
        cost_new = 0.5 * float(r_new @ r_new)
        predicted = -(float(g @ step) + 0.5 * float(step @ H @ step))
        gain = cost - cost_new
        rho = gain / predicted if predicted > 0 else -1.0
        if np.isfinite(cost_new) and gain > 0 and rho > 1e-4:
            x, r, cost = trial, r_new, cost_new
            g, H = normal(x)
            scale = np.maximum(scale, np.diag(H))
            lam *= max(1.0 / 3.0, 1.0 - (2.0 * rho - 1.0) ** 3)
            nu = 2.0
            if gain <= ftol * cost or small:
                return Solution(x, cost, nfev, True)
        else:
            if small:
                return Solution(x, cost, nfev, True)
            lam, nu = lam * nu, nu * 2.0
    return Solution(x, cost, nfev, False)
