"""Whole units exactly: reduced-cost fixing and a dynamic program over the core.

At the price of spend ``lam`` of the Lagrangian relaxation, every row ``i`` has a
best Lagrangian value ``g_i = max_x l_i(x)`` with ``l_i(x) = w f_i(x) - (c0 - b_i + lam) x``,
and every plan ``x`` within the budget satisfies the identity::

    value(x) = UB - sum_i p_i(x_i) - lam * (B - sum_i x_i),   p_i(x) = g_i - l_i(x) >= 0,

where ``UB = sum_i g_i + lam B`` is the dual bound.  A plan better than a known one of
value ``LB`` therefore has every ``p_i(x_i) < UB - LB``: each row keeps only the spends
whose *penalty* is below that gap (reduced-cost fixing).  Most whole-unit rows keep one
number of units and are fixed; the few with more than one (the *core*) are solved by a
dynamic program over their spend on the grid of the greatest common divisor of their
unit costs, which minimises their total penalty for each total spend.  For each total
the whole units take, the continuous rows share the rest at their own equal marginal
return (planner.optimize.sweep); an S-curve row that may be on or off is priced exactly there
(its Lagrangian is its concave envelope's), and the money a jump of its spend leaves
unspent is counted at the price in the bound, so the bound holds and the plan is valued
on the true curves.  The core grows (the gap tried increases) until the best plan found
is proven optimal: every plan left out has a penalty above the gap tried, so a value
below ``UB - gap``; when the bound and the plan still differ, branch and bound splits.

With network bounds each network's rows carry the network's price and the program runs per
network (planner.optimize.core_networks).  Used by the branch and bound (planner.optimize.search)
in every node it splits; returns None when the problem does not fit (a core too large for the grid,
too many combinations of the networks' states), and the branch and bound takes over.
"""

from __future__ import annotations

import time

import numpy as np

from planner.optimize.core_networks import round_networks
from planner.optimize.kept import continuous_rows
from planner.optimize.problem import has_network_bounds, hired, objective_value
from planner.optimize.relaxation import network_terms
from planner.optimize.rounding import to_cents
from planner.optimize.subproblem import best_response
from planner.optimize.sweep import concave_many
from planner.optimize.unit_dp import kept_core, min_penalty

__all__ = ["solve_core", "MAX_CELLS"]

MAX_CELLS = 30_000_000  # core rows x grid cells x choices the dynamic program may touch
_BATCH = 256  # states whose continuous rows are priced together


def solve_core(prob, lam: float, best_x, best_v: float, deadline: float, lo=None, hi=None, lam_g=None):
    """Find the best plan within ``lo <= x <= hi``, proven optimal up to cents, and a proven upper bound.

    Returns ``(x, value, bound, info)``, or None when the method does not apply; ``lo`` and
    ``hi`` default to the problem's bounds.  Past ``deadline`` (after the first pass) the best
    plan known is returned with the dual bound, unproven (None when no plan is known).

    ``best_x, best_v``: the best plan known (any domain, None / -inf when there is none); it
    is returned when nothing in this domain beats it, with the bound of this domain.  With
    a most number of creators hired (``prob.max_hires``) the price of a hire ``prob.mu``
    enters every creator row's Lagrangian and the dynamic program counts hires.

    With network bounds each network's price ``lam_g`` takes the place of the budget's in its rows,
    and the program runs per network (planner.optimize.core_networks).

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    lam : float
        The budget's price of spend from the relaxation of this domain.
    best_x : ndarray of float or None
        Spend per row of the best plan known, or None.
    best_v : float
        Its objective value, ``-inf`` when there is none.
    deadline : float
        A :func:`time.perf_counter` time after which no further pass starts.
    lo, hi : ndarray of float, optional
        The domain's bounds per row, in dollars (multiples of the unit cost for whole-unit rows).
    lam_g : ndarray of float, optional
        Each network's price of spend from the same relaxation (order of ``prob.networks``); needed with
        network bounds, where the method does not apply without it.

    Returns
    -------
    tuple of (ndarray, float, float, dict) or None
        ``(x, value, bound, info)``: the plan's spend per row in whole cents, its objective value, an
        upper bound on every plan of the domain, and ``{"core_gap_tried": gap}``. None when there are
        network bounds without their prices, no whole-unit row, a creator paid by the dollar under a hire limit, the relaxation
        already proves ``best_v``, a core too large for the grid (:data:`MAX_CELLS`), an S-curve row the
        method cannot price, or no plan is found.
    """
    bounded = has_network_bounds(prob)
    if bounded and lam_g is None:
        return None
    ent, w = prob.ent, prob.w
    units = np.isfinite(ent.unit)
    mu, creator, K = float(prob.mu), prob.creator, prob.max_hires
    if K is not None and np.any(creator & ~units & (prob.lo <= 0)):
        return None  # a creator paid by the dollar: its hire is not a unit choice
    if not units.any():
        return None
    cost = prob.c0 - np.broadcast_to(prob.bonus, (len(ent),))
    lam_e = np.asarray(lam_g, dtype=float)[prob.net_idx] if bounded else np.full(len(ent), float(lam))
    price = (cost + lam_e) / w
    lo = prob.lo if lo is None else lo
    hi = prob.hi if hi is None else hi
    hire = mu * creator if K is not None else np.zeros(len(ent))
    xs = best_response(ent, price, lo, hi, hire / w if K is not None else None)

    def ell(rows, x):
        return w * ent.value_at(rows, x) - (cost[rows] + lam_e[rows]) * x - hire[rows] * (x > 0)

    g = ell(np.arange(len(ent)), xs)
    ub = float(g.sum() + lam * prob.budget + (mu * K if K is not None else 0.0))
    if bounded:  # each network's bound earns its price on its slack
        lam_g = np.asarray(lam_g, dtype=float)
        ub += network_terms(prob, lam, lam_g)

    def step(limit):  # one pass at gap delta, with the hire limit `limit`
        if bounded:
            return round_networks(prob, ent, lam_g, lam, price, cost, g, ub, delta, ell, lo, hi, hire, limit, deadline)
        return _round(prob, ent, lam, price, cost, g, ub, delta, ell, lo, hi, hire, limit)

    free_hires = K is not None and not np.max(hire, initial=0.0) > 0
    gap0 = ub - best_v
    tol = 1e-9 * max(1.0, abs(ub))
    if gap0 <= tol:
        return None  # already proven by the relaxation
    delta = min(gap0, max(1e-6 * max(1.0, abs(ub)), 16 * tol))
    for attempt in range(64):
        if attempt and time.perf_counter() > deadline:  # the first pass always runs
            return (best_x, best_v, ub, {"core_gap_tried": delta}) if best_x is not None else None
        out = None
        if free_hires:
            # hires are free at this price: the best kept plan without the limit is the answer if it keeps it
            out = step(None)
            if out is not None and out[0] is not None and hired(prob, out[0]) > K:
                out = None
        if out is None:
            out = step(K)
        if out is None:
            return None
        x, v, v_cont = out
        if x is not None and v > best_v:
            best_x, best_v = x, v
        proven = max(v_cont, ub - delta)  # v_cont: -inf, or what the plans kept (or left out) are worth at most
        # stop when the best plan meets the bound, when every plan left out is worth less than one kept (a
        # larger gap cannot lower the bound below the kept plans' own; what is left is rounding to cents),
        # or when nothing is left out
        settled = x is not None and v_cont >= ub - delta
        if best_x is not None and (best_v >= proven - tol or settled or delta >= gap0):
            bound = max(best_v, min(proven, ub))
            return best_x, best_v, bound, {"core_gap_tried": delta}
        if best_x is None and delta >= gap0:
            return None
        # just enough to prove the best plan known: every plan left out is then worse
        # (at most four times the last gap, twice with no plan known: a pass at a small gap costs little, one at a
        # gap too large keeps choices by the thousand, and a better plan found on the way proves more)
        want = (ub - best_v) * (1 + 1e-9) + tol if best_x is not None else 2 * delta
        # (a pass that kept no plan may say the least gap any plan has: the passes below it would keep none)
        need = (ub - v_cont) * (1 + 1e-9) + tol if x is None and np.isfinite(v_cont) else 0.0
        delta = min(gap0, max(min(want, 4 * delta), 2 * delta, need))
    return None


def _round(prob, ent, lam, price, cost, g, ub, delta, ell, lo, hi, hire, K):
    """One pass at gap ``delta``: ``(x, value, continuous value)``, x None if no plan is kept."""
    units = np.isfinite(ent.unit)
    U = np.flatnonzero(units)
    C = np.flatnonzero(~units)
    # continuous rows: concave on what they keep?
    c_ent, c_lo, c_hi, c_const = continuous_rows(ent, C, price, g, delta, ell, lo, hi, prob.w, K is not None)
    if c_ent is None:
        return None  # an S-curve row that may sit on both sides of its inflection: branch and bound
    uc = kept_core(prob, ent, U, price, lo, hi, g, delta, ell, hire, K)
    if uc is None:
        return None
    fixed_spend_c = int((uc.base_n * uc.cents[uc.urow]).sum())
    budget_c = int(np.floor(prob.budget * 100 + 1e-6))
    room = budget_c - fixed_spend_c - int(np.ceil(c_lo.sum() * 100 - 1e-6))  # what the core may add
    if room < 0 or uc.H < 0:
        return None, -np.inf, -np.inf
    spans, grid, H = uc.spans, uc.grid, uc.H
    L = int(min(room // grid + 1, sum(int(d[-1]) for d, _, _ in spans) + 1)) if spans else 1
    if L * (H + 1) * max(1, sum(len(d) for d, _, _ in spans)) > MAX_CELLS:
        return None
    dp, choice = min_penalty(spans, H, L)
    hs, states = np.nonzero(dp < delta)
    if not len(states):
        return None, -np.inf, -np.inf
    spend_u_c = fixed_spend_c + states * grid  # cents taken by all whole-unit rows at each state
    # value of the whole-unit rows: their Lagrangian plus the price of the spend and hires it counts
    base_u = float(g[U].sum()) + lam * spend_u_c / 100.0 - dp[hs, states] - uc.fixed_pen
    if K is not None:
        base_u = base_u + float(np.max(hire, initial=0.0)) * (uc.fixed_hires + hs)
    rest = -np.inf  # bound on the states not priced (none)
    if len(C):
        # price the continuous rows state by state, least penalty first: a state's plans are worth at most
        # UB - its penalty, so once that is below the best plan priced, the remaining states cannot win
        R = (budget_c - spend_u_c) / 100.0
        pen = dp[hs, states] + uc.fixed_pen
        order = np.argsort(pen, kind="stable")
        total = np.full(len(states), -np.inf)
        bound = np.full(len(states), -np.inf)
        X = np.zeros((len(states), len(C)))
        tol = 1e-9 * max(1.0, abs(ub))
        for start in range(0, len(order), _BATCH):
            if start and ub - pen[order[start]] <= np.max(total) + tol:
                rest = ub - pen[order[start]]
                break
            idx = order[start:start + _BATCH]
            Xb, lam_c = concave_many(c_ent, c_lo, c_hi, cost[C], prob.w, R[idx])
            vals = prob.w * c_ent.value_grid(Xb) - cost[C][None, :] * Xb
            total[idx] = base_u[idx] + vals.sum(axis=1) + c_const
            # dual bound of the continuous rows at each total: exact for concave rows; with an S-curve
            # row on a jump of its spend, what the plan leaves unspent is counted at the price of the jump
            bound[idx] = total[idx] + lam_c * np.maximum(R[idx] - Xb.sum(axis=1), 0.0)
            X[idx] = Xb
    else:
        X = None
        total = base_u
        bound = total
    best = int(np.argmax(total))
    s, h = int(states[best]), int(hs[best])
    x = uc.fewest(len(ent))
    uc.place(x, range(len(spans)), choice, h, s)
    if len(C):
        x[C] = X[best]
    v_cont = float(max(np.max(bound), rest))  # no plan kept at this gap is worth more
    lo_fix, hi_fix = lo.copy(), hi.copy()
    lo_fix[U] = hi_fix[U] = x[U]
    lo_fix[C], hi_fix[C] = c_lo, c_hi
    xc = to_cents(prob, x, lo_fix, hi_fix)
    if xc is None:
        return None
    return xc, objective_value(prob, xc), v_cont
