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
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["DRAWS", "selection_allowance"]

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
