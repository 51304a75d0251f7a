"""The price of a hire: where the Lagrangian relaxation of a hire limit is tightest.

Under a hire limit of ``K`` creators, a price ``mu`` per hire gives the relaxation
(planner.optimize.relaxation.relax) an upper bound: the limit earns ``mu`` for every
place left unused.  The bound is convex and piecewise linear in ``mu``, its slope the
limit less the relaxed plan's hires; :func:`price_hires` finds the price where it is
lowest, and the last price whose relaxed plan keeps to the limit.  The search under a
hire limit (planner.optimize.search.solve_with_hire_limit) starts there, and a plan's
selection allowance plans each draw of the curves at that price.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from planner.optimize.problem import Problem, hired
from planner.optimize.relaxation import Relaxed, relax

__all__ = ["PricedHires", "price_hires"]


@dataclass(frozen=True)
class PricedHires:
    """What :func:`price_hires` found.

    Attributes
    ----------
    tightest, tightest_relaxed : Problem, Relaxed
        The problem at the price whose relaxation gives the lowest bound, and that relaxation.
    within, within_relaxed : Problem, Relaxed
        The problem at the lowest price tried whose relaxed plan hires no more than the limit, and that
        relaxation (the price 0 where the plan keeps to the limit unpriced).
    """

    tightest: Problem
    tightest_relaxed: Relaxed
    within: Problem
    within_relaxed: Relaxed

    @property
    def price(self) -> float:
        """The price of a hire at the tightest bound, in the objective's dollars."""
        return float(self.tightest.mu)


def price_hires(prob: Problem) -> PricedHires:
    """Return the price of a hire where the relaxation of ``prob``'s hire limit is tightest.

    Parameters
    ----------
    prob : Problem
        A problem with ``max_hires`` and ``creator`` set (:func:`~planner.optimize.problem.with_hire_limit`).

    Returns
    -------
    PricedHires
        The tightest relaxation and the relaxation that keeps to the limit, each with its priced problem.
    """
    K = prob.max_hires
    last = {}  # the price of spend at the hire price tried last: the next relaxation starts beside it

    def at(mu):
        p = replace(prob, mu=float(mu), memo={})
        rel = relax(p, p.lo, p.hi, hint=last.get("lam"))
        if rel.lam > 0:
            last["lam"] = rel.lam
        return p, rel, hired(prob, rel.x)

    p0, r0, n0 = at(0.0)
    best_p, best_rel = p0, r0
    if n0 <= K:
        return PricedHires(p0, r0, p0, r0)
    # the next price is where the lines through the two ends of the bracket meet (Kelley's cutting plane in one
    # dimension), a bisection when that falls near an end; stop once the bound there is on the lines
    hi_mu = float(prob.w * np.max(prob.ent.beta[prob.creator], initial=1.0)) + 1.0
    p1, r1, n1 = at(hi_mu)
    feasible = (p1, r1)
    if r1.bound < best_rel.bound:
        best_p, best_rel = p1, r1
    ends = [(0.0, r0.bound, K - n0), (hi_mu, r1.bound, K - n1)]
    for _ in range(60):
        (ma, da, sa), (mb, db, sb) = ends
        width = mb - ma
        if width <= 1e-9 * max(1.0, mb):
            break
        meet = (db - da + sa * ma - sb * mb) / (sa - sb) if sb > sa else np.nan
        if not (ma + 0.02 * width <= meet <= mb - 0.02 * width):
            meet = np.sqrt(ma * mb) if ma > 0 and mb > 4 * ma else 0.5 * (ma + mb)
        pm, rm, nm = at(meet)
        if rm.bound < best_rel.bound:
            best_p, best_rel = pm, rm
        if nm > K:
            ends[0] = (meet, rm.bound, K - nm)
        else:
            ends[1], feasible = (meet, rm.bound, K - nm), (pm, rm)
        on_lines = max(da + sa * (meet - ma), db + sb * (meet - mb))
        if rm.bound <= on_lines + 1e-9 * max(1.0, abs(rm.bound)):
            break  # no price of a hire gives a lower bound than the lines allow
    return PricedHires(best_p, best_rel, *feasible)
