"""The price of money that spends the budget, and a plan with its proven bound.

:func:`planner.flighting.pava.solve_at` gives, at any price ``lam``, the adstocks that maximise
the envelope's response less ``lam`` times the spend, exactly. Spend falls as the price rises, so
the price that spends the budget is bracketed and bisected (in its logarithm). Two facts make the
answer a proof:

- At any price, the envelope's response at that price's adstocks plus ``lam`` times the money
  left is an upper bound on every plan within the budget (weak duality), on the envelopes and
  so on the curves themselves.
- The plans of the two ends of the final bracket are feasible, and so is any mix of them (the
  constraints are linear); the mix that spends the budget exactly is the plan.

For concave curves the bound and the plan's value meet (the gap closes to the bisection's
precision); for S-shaped curves the plan is valued on the curves and the gap is what it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.base.errors import InfeasibleError
from planner.base.format import money
from planner.flighting.pava import solve_from
from planner.flighting.problem import FlightProblem

__all__ = ["Solved", "solve_budget"]

LAM_FLOOR = 1e-12
LAM_CEILING = 1e30
MAX_BISECT = 200


@dataclass(frozen=True)
class Solved:
    """A plan's element adstocks, its value on the curves and the bound on any plan's value.

    Attributes
    ----------
    z : ndarray
        Element adstocks of the plan.
    value : float
        The plan's response on the curves (every element, the weeks after the horizon included
        when the problem has them).
    bound : float
        No plan within the budget earns more (on the curves).
    price : float
        The bracket's price: outcome the last dollar earns.
    bisections : int
    """

    z: np.ndarray
    value: float
    bound: float
    price: float
    bisections: int


def _dual(prob: FlightProblem, z: np.ndarray, lam: float, target: float) -> float:
    return float(prob.value(z, envelope=True).sum() + lam * (target - prob.cost @ z))


def solve_budget(prob: FlightProblem, budget: float, rel_gap: float = 1e-9) -> Solved:
    """Plan ``budget`` over the problem's horizon (the budget is an upper limit)."""
    target = float(budget) + prob.credit
    base = float(prob.cost @ prob.lo)
    if target < base - 1e-9 * max(1.0, abs(target)):
        raise InfeasibleError(f"The minimums alone need {money(base - prob.credit)} over the horizon, more than the "
                              f"budget of {money(budget)}.")

    def at(lam, near=None):  # near: a solved price's (lam, z, spend, slope, blocks), to start from
        z, slope, blocks = solve_from(prob, lam, *((near[1], near[4]) if near is not None else (None, None)))
        return lam, z, float(prob.cost @ z), slope, blocks

    # spend within rounding of the budget fits it (rounding of the budget, not of the carried-in credit)
    slack = 1e-9 * max(float(budget), 1.0) + 1e-13 * abs(target)
    cur = at(1.0)
    lo = hi = None
    if cur[2] > target + slack:
        lo = cur
        while True:
            cur = at(cur[0] * 8.0, cur)
            if cur[2] <= target + slack or cur[0] > LAM_CEILING:  # at the ceiling: the least any plan spends
                hi = cur
                break
            lo = cur
    else:
        hi = cur
        while cur[0] > LAM_FLOOR:
            cur = at(cur[0] / 8.0, cur)
            if cur[2] > target:
                lo = cur
                break
            hi = cur
    n = 0
    while lo is not None and n < MAX_BISECT:
        # tolerances of the budget (with 1e-13 of the target for rounding), not of the carried-in credit in it
        if hi[0] / lo[0] - 1.0 < 1e-14 or lo[2] - hi[2] <= 1e-11 * max(float(budget), 1.0) + 1e-13 * abs(target) \
                or hi[2] >= target - 1e-10 * max(float(budget), 1.0) - 1e-13 * abs(target):
            break
        n += 1
        # a Newton step on log(price) from the end nearer the budget, else the bracket's middle
        near = hi if target - hi[2] <= lo[2] - target else lo
        lam = float(np.sqrt(lo[0] * hi[0]))
        if np.isfinite(near[3]) and near[3] < 0:
            step = near[0] * np.exp((target - near[2]) / (near[0] * near[3]))
            if lo[0] < step < hi[0]:
                lam = float(step)
        cur = at(lam, near)
        if cur[2] > target:
            lo = cur
        else:
            hi = cur
    ub = _dual(prob, hi[1], hi[0], target)
    if lo is not None:
        ub = min(ub, _dual(prob, lo[1], lo[0], target))
        z, value = _mix(prob, lo, hi, target)
    else:  # the budget buys every cap: nothing left to trade
        z, value = hi[1], float(prob.value(hi[1]).sum())
    return Solved(z, value, max(ub, value), hi[0], n)


def _mix(prob: FlightProblem, lo, hi, target: float) -> tuple[np.ndarray, float]:
    """Return the better of the cheap end and the mix of both ends that spends the budget, valued on the curves."""
    z_hi = hi[1]
    v_hi = float(prob.value(z_hi).sum())
    theta = (target - hi[2]) / (lo[2] - hi[2]) if lo[2] > hi[2] else 0.0
    z = z_hi + min(max(theta, 0.0), 1.0) * (lo[1] - z_hi)
    v = float(prob.value(z).sum())
    return (z, v) if v >= v_hi else (z_hi, v_hi)
