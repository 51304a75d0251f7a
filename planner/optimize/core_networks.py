"""Whole units with network bounds: the core's dynamic program per network, the networks combined.

With network bounds the Lagrangian relaxation prices each network's spend on its own (``lam_g``,
the budget's price plus the price of the network's bound), and the identity of
planner.optimize.core gains a term per network, the network's slack at its bound times its price,
never negative: a plan better than one known by less than ``delta`` still keeps, in every row,
only spends of penalty below ``delta``.  What changes is that a plan's worth depends on each
network's total, not only on the plan's: the program runs once per network (least penalty of the
network's core rows for each number of hires and each amount they add), and the networks'
states are combined while their penalties add up to less than ``delta``.  Each combination
fixes what every network's whole units take; the continuous rows share the rest at the budget's
price, each network held within its bounds (planner.optimize.grouped), and the combinations are
priced least penalty first until no one left can beat the best.
"""

from __future__ import annotations

import time

import numpy as np

from planner.optimize.grouped import concave_grouped
from planner.optimize.kept import continuous_modes
from planner.optimize.problem import objective_value
from planner.optimize.rounding import to_cents
from planner.optimize.unit_dp import kept_core, min_penalty

__all__ = ["round_networks", "combine_states", "MAX_COMBOS"]

MAX_COMBOS = 20_000  # combinations of the networks' states one pass keeps (those of least gap; more cost more
# per pass than their tighter bound saves: at 200,000 the sample at $160,000 took 4.7 s to prove, at 20,000 1.9 s)
_MAX_CELLS = 30_000_000  # per network: hires x grid cells x choices its program may touch
_BATCH = 256  # combinations whose continuous rows are priced together


def round_networks(prob, ent, lam_g, lam, price, cost, g, ub, delta, ell, lo, hi, hire, K, deadline=None):
    """One pass at gap ``delta`` with network bounds: ``(x, value, continuous value)``; x None if no plan is kept.

    None when the method does not apply at this gap (an S-curve row that may sit on both sides of its
    inflection, a program too large): branch and bound takes over.  ``lam_g``, ``lam``: each network's
    price and the budget's in the relaxation (the budget's is near the continuous rows' in every combination).  Past
    ``deadline`` (a :func:`time.perf_counter` time) the combinations not yet priced are bounded by their penalty.
    """
    units = np.isfinite(ent.unit)
    U, C = np.flatnonzero(units), np.flatnonzero(~units)
    c_ent, c_lo, c_hi, c_const, modes = continuous_modes(ent, C, price, g, delta, ell, lo, hi, prob.w)
    uc = kept_core(prob, ent, U, price, lo, hi, g, delta, ell, hire, K)
    if uc is None:
        return None
    G, net = len(prob.networks), prob.net_idx
    fixed_c = np.bincount(net[uc.urow], weights=uc.base_n * uc.cents[uc.urow], minlength=G).round().astype(np.int64)
    budget_c = int(np.floor(prob.budget * 100 + 1e-6))
    nC, M = len(C), len(modes.pos)
    c_net = net[np.r_[C, C[modes.pos]]]  # each column's network (a split row's chord column last)
    both = np.r_[modes.pos, nC + np.arange(M)]  # the columns of split rows: their bounds depend on the mode
    fixed_cols = np.ones(len(c_lo), dtype=bool)
    fixed_cols[both] = False
    clo_g = np.bincount(c_net[fixed_cols], weights=c_lo[fixed_cols], minlength=G).astype(float)
    chi_g = np.bincount(c_net[fixed_cols], weights=c_hi[fixed_cols], minlength=G).astype(float)
    least_c = c_lo[fixed_cols].sum() + np.minimum(modes.on_lo, modes.off_lo).sum()
    room = budget_c - int(fixed_c.sum()) - int(np.ceil(least_c * 100 - 1e-6))  # what the core rows may add
    if room < 0 or uc.H < 0:
        return None, -np.inf, -np.inf
    grid, H = uc.grid, uc.H
    steps_room = room // grid
    span_net = net[uc.core_rows]
    # every term of UB - value is at least zero: besides the penalties, each network's slack at its bounds times
    # its price, the budget's slack times its price and the hire limit's times the price of a hire.  What the
    # whole units fix of them is a lower bound a choice must also stay under delta with.
    m_net = net[C[modes.pos]]
    hi_most = np.maximum(c_hi[modes.pos], modes.off_hi) if M else np.zeros(0)
    chi_max = chi_g + np.bincount(m_net, weights=hi_most, minlength=G)
    clo_min = clo_g + np.bincount(m_net, weights=np.minimum(modes.on_lo, modes.off_lo), minlength=G)
    nu_up = np.where(np.isfinite(prob.net_hi), np.maximum(lam_g - lam, 0.0), 0.0)
    nu_dn = np.maximum(lam - lam_g, 0.0)
    net_hi_f = np.where(np.isfinite(prob.net_hi), prob.net_hi, 0.0)

    def slack(gi, u):  # least price x slack of network gi's bounds when its whole units take u dollars
        return (nu_up[gi] * np.maximum(net_hi_f[gi] - u - chi_max[gi], 0.0)
                + nu_dn[gi] * np.maximum(u + clo_min[gi] - prob.net_lo[gi], 0.0))

    best = np.clip(np.maximum(ent.root(price), ent.infl), lo, hi)  # each row's best spend on its concave part

    def state_gap(gi, p, steps):  # least gap of network gi's states: penalty p, its units taking `steps` grid steps
        u = (fixed_c[gi] + steps * grid) / 100.0
        return p + slack(gi, u) + _paid_penalty(prob, C, gi, u, best, g, ell, lo, hi)

    per = []
    for gi in range(G):
        sidx = np.flatnonzero(span_net == gi)
        spans = [uc.spans[r] for r in sidx]
        cap = steps_room
        if np.isfinite(prob.net_hi[gi]):  # the network's maximum, less its fewest units and fixed continuous spend
            cap_c = np.floor(prob.net_hi[gi] * 100 + 1e-6) - fixed_c[gi] - np.ceil(clo_g[gi] * 100 - 1e-6)
            if cap_c < 0:
                return None, -np.inf, -np.inf
            cap = min(cap, int(cap_c) // grid)
        L = int(min(cap + 1, sum(int(d[-1]) for d, _, _ in spans) + 1)) if spans else 1
        if L * (H + 1) * max(1, sum(len(d) for d, _, _ in spans)) > _MAX_CELLS:
            return None
        dp, choice = min_penalty(spans, H, L)
        hs, ss = np.nonzero(dp < delta)
        p = dp[hs, ss]
        q = state_gap(gi, p, ss)
        keep = q < delta
        if not keep.any():  # no state of this network under the gap: the least gap of any, for the next pass
            least = dp.min(axis=0)  # over the numbers of hires
            s = np.flatnonzero(np.isfinite(least))
            return None, -np.inf, ub - (float(np.min(state_gap(gi, least[s], s))) if len(s) else np.inf)
        per.append((sidx, hs[keep], ss[keep], p[keep], q[keep], choice))
    zero = np.zeros(2, dtype=np.int64)
    choices = per + [(None, zero, zero, pm, pm, None)
                     for pm in (np.array([modes.pen_on[m], modes.pen_off[m]]) for m in range(M))]
    cont_most = float(chi_max.sum())

    def budget_slack(steps):  # least price x unspent budget when the whole units take fixed + steps x grid
        return lam * np.maximum((budget_c - fixed_c.sum() - steps * grid) / 100.0 - cont_most, 0.0)

    P, Q, Hc, pick, cut = combine_states(choices, delta, H, budget_slack)
    if not len(P):  # none kept; where some were cut for their number, they are worth at most UB less their gap
        return None, -np.inf, ub - uc.fixed_pen - cut if np.isfinite(cut) else -np.inf
    S = np.column_stack([per[gi][2][pick[:, gi]] for gi in range(G)])  # grid steps per network
    u_net = (fixed_c[None, :] + S * grid) / 100.0  # what each network's whole units take, dollars
    R = (budget_c - (fixed_c.sum() + S.sum(axis=1) * grid)) / 100.0
    off = pick[:, G:].astype(bool)  # per combination, the split rows on their chord
    lo_m = np.where(off, modes.off_lo, modes.on_lo)
    hi_m = np.where(off, modes.off_hi, c_hi[modes.pos])
    least, most = np.tile(clo_g, (len(P), 1)), np.tile(chi_g, (len(P), 1))
    for m in range(M):
        least[:, m_net[m]] += lo_m[:, m]
        most[:, m_net[m]] += hi_m[:, m]
    g_lo = np.maximum(prob.net_lo[None, :] - u_net, least)
    g_hi = np.minimum(prob.net_hi[None, :] - u_net, most)
    tol = 1e-9 * (1.0 + prob.budget)
    ok = np.all(g_lo <= g_hi + tol, axis=1) & (g_lo.sum(axis=1) <= R + tol)
    g_hi = np.maximum(g_hi, g_lo)
    # with every network's units known: the budget left beyond what the continuous rows can take, and the hire
    # limit's places left (creators paid by the dollar with a minimum are hired for sure)
    Q = Q + lam * np.maximum(R - np.maximum(g_hi, 0.0).sum(axis=1), 0.0)
    mu = float(np.max(hire, initial=0.0))  # the price of a hire
    if K is not None:
        Q = Q + mu * np.maximum(K - uc.fixed_hires - uc.paid_hires - Hc, 0)
    ok &= Q < delta
    # the whole units' worth: their Lagrangian less their penalty (the split rows' is not theirs: the continuous
    # rows are valued on their own), plus the price of what each network's units take
    mode_pen = np.where(off, modes.pen_off, modes.pen_on).sum(axis=1)
    base_u = float(g[U].sum()) - (P - mode_pen) - uc.fixed_pen + u_net @ lam_g + c_const + off @ modes.off_const
    if K is not None:
        base_u = base_u + mu * (uc.fixed_hires + Hc)
    total = np.full(len(P), -np.inf)
    bound = np.full(len(P), -np.inf)
    X = np.zeros((len(P), len(c_lo)))
    # bound on the combinations not priced: those left out when there were too many are worth at most this
    rest = ub - uc.fixed_pen - cut if np.isfinite(cut) else -np.inf
    c_cost = np.r_[cost[C], cost[C[modes.pos]]]  # each column's cost of a dollar
    order = np.flatnonzero(ok)
    order = order[np.argsort(Q[order], kind="stable")]
    v_tol = 1e-9 * max(1.0, abs(ub))
    for start in range(0, len(order), _BATCH):
        late = deadline is not None and start and time.perf_counter() > deadline
        if start and (late or ub - Q[order[start]] - uc.fixed_pen <= np.max(total) + v_tol):
            rest = max(rest, ub - Q[order[start]] - uc.fixed_pen)  # what the combinations left can be worth
            break
        idx = order[start:start + _BATCH]
        if len(C):
            lo_b, hi_b = np.tile(c_lo, (len(idx), 1)), np.tile(c_hi, (len(idx), 1))
            o = off[idx]
            lo_b[:, modes.pos] = np.where(o, 0.0, modes.on_lo)  # the column not taken spends nothing
            hi_b[:, modes.pos] = np.where(o, 0.0, c_hi[modes.pos])
            lo_b[:, nC:] = np.where(o, modes.off_lo, 0.0)
            hi_b[:, nC:] = np.where(o, modes.off_hi, 0.0)
            Xb, lam_c = concave_grouped(c_ent, lo_b, hi_b, c_cost, prob.w, R[idx], c_net,
                                        np.maximum(g_lo[idx], 0.0), g_hi[idx], lam)
            vals = prob.w * c_ent.value_grid(Xb) - c_cost[None, :] * Xb
            total[idx] = base_u[idx] + vals.sum(axis=1)
            bound[idx] = total[idx] + lam_c * np.maximum(R[idx] - Xb.sum(axis=1), 0.0)
            X[idx] = Xb
        else:
            total[idx] = bound[idx] = base_u[idx]
    if not np.isfinite(np.max(total, initial=-np.inf)):
        return None, -np.inf, rest  # no plan kept; those left out are worth at most rest
    best = int(np.argmax(total))
    x = uc.fewest(len(ent))
    for gi, (sidx, hs, ss, _p, _q, choice) in enumerate(per):
        k = int(pick[best, gi])
        uc.place(x, sidx, choice, int(hs[k]), int(ss[k]))
    x[C] = X[best, :nC]
    x[C[modes.pos]] += X[best, nC:]
    v_cont = float(max(np.max(bound), rest))  # no plan kept at this gap is worth more
    lo_fix, hi_fix = lo.copy(), hi.copy()
    lo_fix[U] = hi_fix[U] = x[U]
    lo_fix[C], hi_fix[C] = c_lo[:nC], c_hi[:nC]
    lo_fix[C[modes.pos]], hi_fix[C[modes.pos]] = lo_m[best], hi_m[best]
    xc = to_cents(prob, x, lo_fix, hi_fix)
    if xc is None:
        return None
    return xc, objective_value(prob, xc), v_cont


def _paid_penalty(prob, C, gi, u, best, g, ell, lo, hi):
    """Return the least penalty of network ``gi``'s continuous row when its whole units take ``u`` (per state).

    Held within its network's bounds, the row spends between ``net_lo - u`` and ``net_hi - u``; its penalty on the
    true curve is least at an end or at its concave part's best spend.  With no continuous row the network's
    total must itself be within its bounds (inf where it is not); with more than one, 0 (a lower bound).
    """
    rows = C[prob.net_idx[C] == gi]
    tol = 1e-9 * (1.0 + prob.budget)
    if not len(rows):
        return np.where((u >= prob.net_lo[gi] - tol) & (u <= prob.net_hi[gi] + tol), 0.0, np.inf)
    if len(rows) > 1:
        return np.zeros(len(u))
    i = int(rows[0])
    a = np.maximum(lo[i], prob.net_lo[gi] - u)
    b = np.minimum(hi[i], prob.net_hi[gi] - u)
    bad = a > b + tol
    b = np.maximum(a, b)
    y = np.stack([a, b, np.clip(best[i], a, b)])
    pen = g[i] - ell(np.full(y.size, i), y.ravel()).reshape(y.shape)
    return np.where(bad, np.inf, np.maximum(pen.min(axis=0), 0.0))


def combine_states(per, delta: float, H: int, budget_slack):
    """Every combination of the choices' states whose least gaps add up to less than ``delta``, the best kept.

    ``per``: per choice (a network, or a split row's two sides) ``(rows, hires, steps, penalty, least gap,
    program)``; ``budget_slack(steps)`` the least the budget's slack costs when the whole units take that many
    grid steps.  Returns ``(penalty, least gap, hires, pick, cut)`` with ``pick[c, j]`` the index of choice
    ``j``'s state in combination ``c``.  Beyond :data:`MAX_COMBOS` only those of least gap are kept and ``cut``
    is the least gap of any left out (inf when none is): every plan they hold is worth at most ``UB - cut``.

    Each choice's states are sorted by least gap, so the pairs of a partial combination and a state under
    ``delta`` are a prefix per partial combination: they are listed, never the whole product.  Each level keeps
    its pairs (partial combination, state), and ``pick`` is read back through them at the end.
    """
    most_after = np.r_[np.cumsum([int(np.max(ss, initial=0)) for _, _, ss, _, _, _ in per][::-1])[::-1][1:], 0]
    P, Q = np.zeros(1), np.zeros(1)
    Hc, T = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    levels: list[list[np.ndarray]] = []  # per choice: [partial combination it extends, its state]
    cut = np.inf
    for j, (_sidx, hs, ss, p, q, _choice) in enumerate(per):
        by_q = np.argsort(q, kind="stable")
        q_sorted = q[by_q]
        count = np.searchsorted(q_sorted, delta - Q, side="right")  # (rounding: the gap is checked below)
        if count.sum() > 8 * MAX_COMBOS and len(p):  # keep the partial combinations of least gap
            keep_n = max(1, 8 * MAX_COMBOS // len(p))
            part = np.argpartition(Q, keep_n - 1)
            cut = min(cut, float(Q[part[keep_n:]].min() + q.min()))
            sel = part[:keep_n]
            P, Q, Hc, T, count = P[sel], Q[sel], Hc[sel], T[sel], count[sel]
            if levels:
                levels[-1] = [v[sel] for v in levels[-1]]
        a = np.repeat(np.arange(len(Q)), count)
        b = by_q[np.arange(len(a)) - np.repeat(np.cumsum(count) - count, count)]
        cq = Q[a] + q[b]
        ct = T[a] + ss[b]
        gap = cq + budget_slack(ct + most_after[j])
        keep = np.flatnonzero((gap < delta) & (Hc[a] + hs[b] <= H))
        if len(keep) > MAX_COMBOS:
            g_k = gap[keep]
            part = np.argpartition(g_k, MAX_COMBOS - 1)
            cut = min(cut, float(g_k[part[MAX_COMBOS:]].min()))
            keep = keep[part[:MAX_COMBOS]]
        a, b = a[keep], b[keep]
        P, Q, Hc, T = P[a] + p[b], cq[keep], Hc[a] + hs[b], ct[keep]
        levels.append([a, b])
    pick = np.zeros((len(P), len(levels)), dtype=np.int64)
    at = np.arange(len(P))
    for j in range(len(levels) - 1, -1, -1):
        pick[:, j] = levels[j][1][at]
        at = levels[j][0][at]
    return P, Q, Hc, pick, cut
