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

Used by the branch and bound (planner.optimize.search) when the network bounds do not bind; returns None when the
problem does not fit (network bounds, a core too large for the grid), and the branch
and bound takes over.
"""

from __future__ import annotations

import math
import time
from functools import reduce

import numpy as np

from planner.curves.forms.linear import Linear
from planner.optimize.problem import has_network_bounds, objective_value
from planner.optimize.rounding import to_cents
from planner.optimize.subproblem import best_response
from planner.optimize.sweep import concave_many

__all__ = ["solve_core", "MAX_CELLS"]

MAX_CELLS = 30_000_000  # core rows x grid cells x choices the dynamic program may touch
_MAX_WALK = 4096  # units a row's kept range may span on either side
_BATCH = 256  # states whose continuous rows are priced together


def solve_core(prob, lam: float, best_x, best_v: float, deadline: float, lo=None, hi=None):
    """Find the best plan within ``lo <= x <= hi``, proven optimal up to cents, and a proven upper bound.

    Returns ``(x, value, bound, info)``, or None when the method does not apply; ``lo`` and
    ``hi`` default to the problem's bounds.  Past ``deadline`` (after the first pass) the best
    plan known is returned with the dual bound, unproven (None when no plan is known).

    ``best_x, best_v``: the best plan known (any domain, None / -inf when there is none); it
    is returned when nothing in this domain beats it, with the bound of this domain.  With
    a most number of creators hired (``prob.max_hires``) the price of a hire ``prob.mu``
    enters every creator row's Lagrangian and the dynamic program counts hires.

    Parameters
    ----------
    prob : Problem
        The prepared problem; the method does not apply with network bounds.
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

    Returns
    -------
    tuple of (ndarray, float, float, dict) or None
        ``(x, value, bound, info)``: the plan's spend per row in whole cents, its objective value, an
        upper bound on every plan of the domain, and ``{"core_gap_tried": gap}``. None when there are
        network bounds, no whole-unit row, a creator paid by the dollar under a hire limit, the relaxation
        already proves ``best_v``, a core too large for the grid (:data:`MAX_CELLS`), an S-curve row the
        method cannot price, or no plan is found.
    """
    if has_network_bounds(prob):
        return None
    ent, w = prob.ent, prob.w
    units = np.isfinite(ent.unit)
    mu, creator, K = float(prob.mu), prob.creator, prob.max_hires
    if K is not None and np.any(creator & ~units & (prob.lo <= 0)):
        return None  # a creator paid by the dollar: its hire is not a unit choice
    if not units.any():
        return None
    cost = prob.c0 - np.broadcast_to(prob.bonus, (len(ent),))
    price = (cost + lam) / w
    lo = prob.lo if lo is None else lo
    hi = prob.hi if hi is None else hi
    hire = mu * creator if K is not None else np.zeros(len(ent))
    xs = best_response(ent, price, lo, hi, hire / w if K is not None else None)

    def ell(rows, x):
        return w * ent.value_at(rows, x) - (cost[rows] + lam) * x - hire[rows] * (x > 0)

    g = ell(np.arange(len(ent)), xs)
    ub = float(g.sum() + lam * prob.budget + (mu * K if K is not None else 0.0))
    gap0 = ub - best_v
    tol = 1e-9 * max(1.0, abs(ub))
    if gap0 <= tol:
        return None  # already proven by the relaxation
    delta = min(gap0, max(1e-6 * max(1.0, abs(ub)), 16 * tol))
    for attempt in range(64):
        if attempt and time.perf_counter() > deadline:  # the first pass always runs
            return (best_x, best_v, ub, {"core_gap_tried": delta}) if best_x is not None else None
        out = _round(prob, ent, lam, price, cost, g, ub, delta, ell, lo, hi, hire, K)
        if out is None:
            return None
        x, v, v_cont = out
        if x is not None and v > best_v:
            best_x, best_v = x, v
        proven = max(v_cont if x is not None else -np.inf, ub - delta)
        if best_x is not None and (best_v >= proven - tol or delta >= gap0):
            bound = max(best_v, min(proven, ub))
            return best_x, best_v, bound, {"core_gap_tried": delta}
        if best_x is None and delta >= gap0:
            return None
        # just enough to prove the best plan known: every plan left out is then worse
        want = (ub - best_v) * (1 + 1e-9) + tol if best_x is not None else 8 * delta
        delta = min(gap0, max(want, 2 * delta))
    return None


def _round(prob, ent, lam, price, cost, g, ub, delta, ell, lo, hi, hire, K):
    """One pass at gap ``delta``: ``(x, value, continuous value)``, x None if no plan is kept."""
    if K is not None and not np.max(hire, initial=0.0) > 0:
        # hires are free at this price: the best kept plan without the limit is the answer if it keeps it
        out = _round(prob, ent, lam, price, cost, g, ub, delta, ell, lo, hi, hire, None)
        if out is not None and (out[0] is None or int((prob.creator & (out[0] > 0)).sum()) <= K):
            return out
    units = np.isfinite(ent.unit)
    U = np.flatnonzero(units)
    C = np.flatnonzero(~units)
    # continuous rows: concave on what they keep?
    c_ent, c_lo, c_hi, c_const = _continuous_rows(ent, C, price, g, delta, ell, lo, hi, prob.w, K is not None)
    if c_ent is None:
        return None  # an S-curve row that may sit on both sides of its inflection: branch and bound
    rows, counts, pens = _kept_units(ent, U, price, lo, hi, g, delta, ell, hire > 0)
    if rows is None:
        return None
    cents = np.round(np.nan_to_num(ent.unit, nan=0.0) * 100).astype(np.int64)
    order = np.lexsort((counts, rows))
    rows, counts, pens = rows[order], counts[order], pens[order]
    first = np.r_[True, rows[1:] != rows[:-1]]
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, len(rows)])
    base_n = counts[starts]
    urow = rows[starts]
    if len(urow) != len(U):
        return None  # a row kept no spend: numerical trouble; branch and bound instead
    fixed_spend_c = int((base_n * cents[urow]).sum())
    core = sizes > 1
    fixed_pen = float(pens[starts[~core]].sum())
    counts_hire = prob.creator if K is not None else np.zeros(len(ent), dtype=bool)
    unit_fixed_hires = int((counts_hire[urow[~core]] & (base_n[~core] > 0)).sum())
    fixed_hires = unit_fixed_hires + int((counts_hire & ~units & (lo > 0)).sum())  # + creators paid by the dollar
    budget_c = int(np.floor(prob.budget * 100 + 1e-6))
    c_lo_c = int(np.ceil(c_lo.sum() * 100 - 1e-6))
    room = budget_c - fixed_spend_c - c_lo_c  # what the core rows may add above their fewest units
    core_rows = urow[core]
    H = 0
    if K is not None:
        # a core creator whose every kept choice books it is hired for sure: count it once
        maybe = np.zeros(len(ent), dtype=bool)
        for j, st, _sz in zip(core_rows, starts[core], sizes[core], strict=True):
            if counts_hire[j]:
                if counts[st] == 0:
                    maybe[j] = True
                else:
                    fixed_hires += 1
                    unit_fixed_hires += 1
        if fixed_hires > K:
            return None, -np.inf, -np.inf
        if fixed_hires + int(maybe.sum()) > K or np.max(hire, initial=0.0) > 0:
            # the limit can bind, or hires carry a price: count the uncertain hires
            H = min(K - fixed_hires, int(maybe.sum()))
            counts_hire = maybe
        else:
            counts_hire = np.zeros(len(ent), dtype=bool)
    if room < 0 or H < 0:
        return None, -np.inf, -np.inf
    grid = reduce(math.gcd, (int(c) for c in cents[core_rows])) if len(core_rows) else 1
    spans = []
    for j, st, sz in zip(core_rows, starts[core], sizes[core], strict=True):
        n = counts[st:st + sz]
        spans.append(((n - n[0]) * (cents[j] // grid), pens[st:st + sz],
                      ((n > 0) & counts_hire[j]).astype(np.int64)))
    L = int(min(room // grid + 1, sum(int(d[-1]) for d, _, _ in spans) + 1)) if spans else 1
    if L * (H + 1) * max(1, sum(len(d) for d, _, _ in spans)) > MAX_CELLS:
        return None
    # dp[h, s]: least total penalty of the core rows hiring h creators and adding s grid steps
    dp = np.full((H + 1, L), np.inf)
    dp[0, 0] = 0.0
    choice = np.zeros((len(spans), H + 1, L), dtype=np.int16)
    for r, (d, p, h) in enumerate(spans):
        new = np.full((H + 1, L), np.inf)
        ch = choice[r]
        for k in range(len(d)):
            dk, hk = int(d[k]), int(h[k])
            if dk >= L or hk > H:
                continue
            cand = dp[: H + 1 - hk, : L - dk] + p[k]
            tgt = new[hk:, dk:]
            better = cand < tgt
            tgt[better] = cand[better]
            ch[hk:, dk:][better] = k
        dp = new
    hs, states = np.nonzero(dp < delta)
    if not len(states):
        return None, -np.inf, -np.inf
    spend_u_c = fixed_spend_c + states * grid  # cents taken by all whole-unit rows at each state
    # value of the whole-unit rows: their Lagrangian plus the price of the spend and hires it counts
    base_u = float(g[U].sum()) + lam * spend_u_c / 100.0 - dp[hs, states] - fixed_pen
    if K is not None:
        base_u = base_u + float(np.max(hire, initial=0.0)) * (unit_fixed_hires + hs)
    rest = -np.inf  # bound on the states not priced (none)
    if len(C):
        # price the continuous rows state by state, least penalty first: a state's plans are worth at most
        # UB - its penalty, so once that is below the best plan priced, the remaining states cannot win
        R = (budget_c - spend_u_c) / 100.0
        pen = dp[hs, states] + fixed_pen
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
    x = np.zeros(len(ent))
    x[urow] = base_n * cents[urow] / 100.0
    for r in range(len(spans) - 1, -1, -1):  # walk the choices back from the best state
        k = int(choice[r, h, s])
        j = core_rows[r]
        st = starts[core][r]
        x[j] = counts[st + k] * cents[j] / 100.0
        s -= int(spans[r][0][k])
        h -= int(spans[r][2][k])
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


def _continuous_rows(ent, C, price, g, delta, ell, lo, hi, w, allow_s=True):
    """Return the continuous rows as concave ones on what they keep: ``(entities, lo, hi, constant)``.

    A concave row keeps its domain.  An S-curve row whose penalty is at least ``delta``
    at its inflection and on its whole concave part keeps only spends near its minimum,
    ``[lo, a)`` on the convex part: there it is bounded above by its chord (a linear row
    plus a constant), so the values found are upper bounds and the plan is valued on the
    true curve.  An S-curve row whose penalty is at least ``delta`` at its minimum and at
    its inflection keeps only its concave part.  Any other S-curve row keeps its whole
    domain: the sweep's best responses are exact for it (those of its concave envelope) and
    the caller bounds each total by the dual, counting money left unspent at the price.
    """
    if not len(C):
        return ent.subset(C), lo[C], hi[C], 0.0
    beta, k, s, form = ent.beta[C].copy(), ent.k[C].copy(), ent.s[C].copy(), ent.form[C].copy()
    infl = ent.infl[C].copy()
    c_lo, c_hi = lo[C].copy(), hi[C].copy()
    const = 0.0
    sr = np.flatnonzero(infl > c_lo + 1e-9)
    if len(sr):
        rows = C[sr]
        x_in = np.minimum(infl[sr], c_hi[sr])
        p_lo = g[rows] - ell(rows, c_lo[sr])
        p_in = g[rows] - ell(rows, x_in)
        r = np.clip(ent.root(price)[rows], x_in, c_hi[sr])
        p_c = g[rows] - ell(rows, r)  # the least penalty on the concave part
        upper = (p_lo >= delta) & (p_in >= delta)
        near_off = (p_lo < delta) & (p_in >= delta) & (p_c >= delta)
        # any other S-curve row keeps its whole domain: the sweep then prices it exactly (its Lagrangian
        # is that of its concave envelope), and the bound of each total adds price x what is left unspent.
        # Without a hire limit, branch and bound settles such rows faster (on or off): leave them to it.
        if not allow_s and not np.all(upper | near_off):
            return None, None, None, None
        c_lo[sr[upper]] = x_in[upper]
        if near_off.any():
            j, rr = sr[near_off], rows[near_off]
            a, b = c_lo[j].copy(), x_in[near_off].copy()  # p(a) < delta <= p(b); p concave here
            for _ in range(60):
                mid = 0.5 * (a + b)
                below = g[rr] - ell(rr, mid) < delta
                a, b = np.where(below, mid, a), np.where(below, b, mid)
            f_lo = ent.value_at(rr, c_lo[j])
            f_b = ent.value_at(rr, b)
            slope = np.where(b > c_lo[j], (f_b - f_lo) / np.maximum(b - c_lo[j], 1e-300), 0.0)
            const = float(w * (f_lo - slope * c_lo[j]).sum())
            beta[j], k[j], s[j], form[j], infl[j] = slope, 1.0, 1.0, Linear.name, 0.0
            c_hi[j] = b
    sub = ent.make(beta, k, s, form, np.full(len(C), np.nan), np.where(form == Linear.name, 0.0, infl))
    return sub, c_lo, c_hi, const


def _kept_units(ent, U, price, lo, hi, g, delta, ell, split0=None):
    """Every (row, units, penalty) of the whole-unit rows ``U`` with penalty below ``delta``.

    On a row's concave part the penalty is convex in the units (kept units form a run
    around the best), on its convex part concave (runs at both ends): four walks.  Rows
    ``split0`` (a hire cost when they spend at all) have zero units checked on its own and
    the walks start at one unit.
    """
    c = ent.unit[U]
    n_lo, n_hi = np.round(lo[U] / c), np.round(hi[U] / c)
    out_r, out_n, out_p = [], [], []
    if split0 is not None:
        sp = split0[U] & (n_lo == 0)
        if sp.any():
            rows0 = U[sp]
            p0 = g[rows0] - ell(rows0, np.zeros(len(rows0)))
            keep = p0 < delta
            out_r.append(rows0[keep])
            out_n.append(np.zeros(int(keep.sum())))
            out_p.append(np.maximum(p0[keep], 0.0))
            n_lo = np.where(sp, 1.0, n_lo)
    r = ent.root(price)[U]
    n_in = np.clip(np.ceil(ent.infl[U] / c - 1e-9), n_lo, np.maximum(n_hi, n_lo))  # first count on the concave part
    cands = np.stack([np.floor(r / c), np.ceil(r / c)])
    cands = np.clip(np.nan_to_num(cands, posinf=1e18), n_in, np.maximum(n_hi, n_in))
    pc = np.stack([g[U] - ell(U, cands[i] * c) for i in range(2)])
    n_c = np.where(pc[1] < pc[0], cands[1], cands[0])

    def walk(start, step, stop_lo, stop_hi):
        n = start.copy()
        alive = (n >= stop_lo) & (n <= stop_hi)
        for _ in range(_MAX_WALK):
            if not alive.any():
                return True
            idx = np.flatnonzero(alive)
            p = g[U[idx]] - ell(U[idx], n[idx] * c[idx])
            keep = p < delta
            out_r.append(U[idx[keep]])
            out_n.append(n[idx[keep]])
            out_p.append(np.maximum(p[keep], 0.0))
            alive[idx[~keep]] = False
            n = n + step
            alive &= (n >= stop_lo) & (n <= stop_hi)
        return not alive.any()

    n_cv = n_in - 1  # last unit count on the convex part (below n_lo when there is none)
    ok = (walk(n_c, 1, n_in, n_hi) and walk(n_c - 1, -1, n_in, n_hi)
          and walk(n_lo, 1, n_lo, np.minimum(n_cv, n_hi)) and walk(np.minimum(n_cv, n_hi), -1, n_lo, n_cv))
    if not ok:
        return None, None, None
    rows, n, p = np.concatenate(out_r), np.concatenate(out_n), np.concatenate(out_p)
    key = rows.astype(np.int64) * (int(n.max(initial=0)) + 2) + n.astype(np.int64)
    _, first = np.unique(key, return_index=True)
    return rows[first], n[first].astype(np.int64), p[first]
