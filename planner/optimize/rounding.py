"""Rounding a plan to whole cents (and whole units) with every bound and the budget held exactly."""

from __future__ import annotations

import numpy as np

from planner.optimize.problem import Problem, has_network_bounds

__all__ = ["to_cents"]

def to_cents(prob: Problem, x: np.ndarray, lo, hi, polish: bool = True) -> np.ndarray | None:
    """Round a point to whole cents (and whole units) so every bound and the budget hold exactly.

    Each spend is floored to a cent (to a whole unit for whole-unit rows) and clipped to
    ``[lo, hi]``; networks short of their minimum are topped up, then the cents flooring took are
    given back and, for the revenue objective, any spare budget, to continuous rows with the
    highest marginal return first; finally single cents move between continuous rows while that
    raises the response.  Under a hire limit a creator the plan leaves at $0 gets no cent (a cent
    would hire it).

    Parameters
    ----------
    prob : Problem
        The prepared problem (units, budget and network bounds).
    x : ndarray of float
        Spend per row in dollars.
    lo, hi : ndarray of float
        Bounds per row in dollars (whole cents; multiples of the unit for whole-unit rows).
    polish : bool, default True
        Whether to take the last step (single cents between rows); a caller whose plan is already
        within a billionth of its bound may skip it (a cent moved there is worth less).

    Returns
    -------
    ndarray of float or None
        Spend per row in whole cents; None when a network minimum cannot be reached with the
        continuous rows, or the rounded plan is over the budget or a network's bounds.
    """
    units = np.isfinite(prob.ent.unit)
    c_unit = np.where(units, np.round(prob.ent.unit * 100), 1).astype(np.int64)
    lo_c = np.ceil(lo * 100 - 1e-6).astype(np.int64)  # a domain split between two cents keeps the cents inside
    hi_c = np.floor(hi * 100 + 1e-6).astype(np.int64)
    xc = np.floor(x * 100 + 1e-6).astype(np.int64)
    if units.any():
        xc = np.where(units, (xc // c_unit) * c_unit, xc)
    xc = np.clip(xc, lo_c, hi_c)
    bounded = has_network_bounds(prob)
    budget_c = int(np.floor(prob.budget * 100 + 1e-6))
    net_lo_c = np.ceil(prob.net_lo * 100 - 1e-6)
    net_hi_c = np.where(np.isfinite(prob.net_hi), np.floor(prob.net_hi * 100 + 1e-6), np.inf)
    marg = prob.ent.derivative(xc / 100.0) + np.asarray(prob.bonus, dtype=float) / prob.w  # engagements count
    cont = ~units

    def add_to(idx, amount):
        # whole cents to continuous entities with room, highest marginal return first
        order = idx[np.argsort(-marg[idx])]
        if not np.isfinite(net_hi_c).any():  # no network cap: one cumulative sum
            room = np.maximum(hi_c[order] - xc[order], 0)
            before = np.cumsum(room) - room
            take = np.clip(amount - before, 0, room).astype(np.int64)
            xc[order] += take
            if bounded:
                np.add.at(net_total, prob.net_idx[order], take)
            return amount - int(take.sum())
        for i in order:
            if amount <= 0:
                break
            g = prob.net_idx[i]
            room = min(hi_c[i] - xc[i], net_hi_c[g] - net_total[g])
            step = int(min(room, amount))
            if step > 0:
                xc[i] += step
                net_total[g] += step
                amount -= step
        return amount

    net_total = np.bincount(prob.net_idx, weights=xc, minlength=len(prob.networks)).astype(float) if bounded else None
    for g in np.flatnonzero(net_total < net_lo_c) if bounded else ():
        left = add_to(np.flatnonzero(cont & (prob.net_idx == g)), int(net_lo_c[g] - net_total[g]))
        if left > 0:
            return None
    spare = budget_c - int(xc.sum())
    if spare < 0 and bounded:  # networks topped up to their minimum in cents: others give the cents back
        spare = -_take_from(xc, np.flatnonzero(cont), -spare, marg, lo_c, prob.net_idx,
                            np.bincount(prob.net_idx, weights=xc, minlength=len(prob.networks)), net_lo_c)
    if spare < 0:
        return None
    if prob.max_hires is not None:  # under a hire limit no cent hires a creator the plan left out
        cont = cont & ~(prob.creator & (xc == 0))
    cont_idx = np.flatnonzero(cont)
    # first give back what flooring to cents took, then (revenue only) any spare budget
    lost = np.clip(np.ceil(x * 100 - 1e-6).astype(np.int64) - xc, 0, None)
    cap_hi = hi_c.copy()
    hi_c = np.minimum(hi_c, xc + lost)
    spare = add_to(cont_idx, spare)
    hi_c = cap_hi
    if spare > 0 and prob.c0 == 0:
        add_to(cont_idx, spare)
    if polish:
        _polish_cents(prob, xc, lo_c, hi_c, net_lo_c, net_hi_c, cont)
    if int(xc.sum()) > budget_c:
        return None
    if bounded:
        net_total = np.bincount(prob.net_idx, weights=xc, minlength=len(prob.networks))
        if np.any(net_total > net_hi_c) or np.any(net_total < net_lo_c):
            return None  # the rows' own bounds in cents leave no room for a network bound here
    return xc / 100.0


def _take_from(xc, idx, amount: int, marg, lo_c, net_idx, net_total, net_lo_c) -> int:
    """Take ``amount`` whole cents from the rows ``idx``, lowest marginal return first; return what is left.

    Every row keeps its minimum and every network its own (``net_total`` is updated).
    """
    for i in idx[np.argsort(marg[idx])]:
        if amount <= 0:
            break
        g = net_idx[i]
        step = int(min(amount, xc[i] - lo_c[i], net_total[g] - net_lo_c[g]))
        if step > 0:
            xc[i] -= step
            net_total[g] -= step
            amount -= step
    return amount


def _polish_cents(prob: Problem, xc, lo_c, hi_c, net_lo_c, net_hi_c, cont, rounds: int = 200) -> None:
    """Move single cents from the row that loses least to the row that gains most, while it pays.

    A cent is worth its response and, when engagement is valued, its engagements.  Above 512 rows
    only the 128 rows that gain most from a cent and the 128 that lose least from giving one take
    part, for 16 moves at most (a cent there is worth next to nothing).
    """
    ent, c = prob.ent, 0.01
    extra = np.broadcast_to(np.asarray(prob.bonus, dtype=float) * (c / prob.w), xc.shape)  # a cent's engagements
    x = xc / 100.0
    V = ent.value_grid(np.stack([x, x + c, np.maximum(x - c, 0.0)]))
    v = V[0]
    up = V[1] - v + extra
    dn = v - V[2] + extra
    total = max(1.0, abs(float(v.sum())))
    net_tot = np.bincount(prob.net_idx, weights=xc, minlength=len(prob.networks))
    if len(xc) > 512:
        gain0 = np.where(cont & (xc < hi_c), up, -np.inf)
        loss0 = np.where(cont & (xc > lo_c), dn, np.inf)
        pool = np.union1d(np.argpartition(-gain0, 128)[:128], np.argpartition(loss0, 128)[:128])
        tol, rounds = 1e-11 * total, min(rounds, 16)
    else:
        pool = np.arange(len(xc))
        tol = 1e-12 * total
    sub, up, dn, lo_p, hi_p, cont_p = xc[pool], up[pool], dn[pool], lo_c[pool], hi_c[pool], cont[pool]
    net, extra = prob.net_idx[pool], extra[pool]
    for _ in range(rounds):
        gain = np.where(cont_p & (sub < hi_p) & (net_tot < net_hi_c)[net], up, -np.inf)
        loss = np.where(cont_p & (sub > lo_p) & (net_tot > net_lo_c)[net], dn, np.inf)
        i = int(np.argmax(gain))
        loss[i] = np.inf  # a row does not trade with itself
        j = int(np.argmin(loss))
        if not gain[i] > loss[j] + tol:
            break
        sub[i] += 1
        sub[j] -= 1
        net_tot[net[i]] += 1
        net_tot[net[j]] -= 1
        idx = np.array([i, j])
        xs = sub[idx] / 100.0
        vs = ent.value_at(np.tile(pool[idx], 3), np.concatenate([xs, xs + c, np.maximum(xs - c, 0.0)]))
        up[idx] = vs[2:4] - vs[:2] + extra[idx]
        dn[idx] = vs[:2] - vs[4:] + extra[idx]
    if prob.c0 > 0:  # profit: a cent spent costs a cent, so a single cent added or given back may pay
        _spend_or_save_cents(prob, pool, sub, up, dn, lo_p, hi_p, cont_p, net, net_tot, net_lo_c, net_hi_c, tol,
                             rounds)
    xc[pool] = sub


def _spend_or_save_cents(prob: Problem, pool, sub, up, dn, lo_p, hi_p, cont_p, net, net_tot, net_lo_c, net_hi_c,
                         tol: float, rounds: int) -> None:
    """Give back a cent where it earns less than it costs, or spend one where it earns more (profit objective)."""
    ent, c = prob.ent, 0.01
    cost = prob.c0 * c / prob.w  # a cent's cost in response units
    extra = np.asarray(prob.bonus, dtype=float)
    extra = np.broadcast_to(extra, (len(prob.lo),))[pool] * (c / prob.w)
    budget_c = int(np.floor(prob.budget * 100 + 1e-6)) if np.isfinite(prob.budget) else None
    for _ in range(rounds):
        save = np.where(cont_p & (sub > lo_p) & (net_tot > net_lo_c)[net], cost - dn, -np.inf)
        room = budget_c is None or int(sub.sum()) < budget_c
        spend = np.where(cont_p & (sub < hi_p) & (net_tot < net_hi_c)[net] & room, up - cost, -np.inf)
        j, i = int(np.argmax(save)), int(np.argmax(spend))
        if save[j] >= spend[i] and save[j] > tol:
            k, step = j, -1
        elif spend[i] > tol:
            k, step = i, 1
        else:
            break
        sub[k] += step
        net_tot[net[k]] += step
        xs = np.array([sub[k] / 100.0])
        vs = ent.value_at(np.repeat(pool[k], 3), np.concatenate([xs, xs + c, np.maximum(xs - c, 0.0)]))
        up[k] = vs[1] - vs[0] + extra[k]
        dn[k] = vs[0] - vs[2] + extra[k]


