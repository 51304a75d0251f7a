"""The Lagrangian relaxation: prices of spend (one for the budget, one per network) and the dual bound.

Each row's subproblem ``max w f(x) - (c0 - b + price) x`` is solved exactly
(:mod:`planner.optimize.subproblem`); the budget's price is found by Anderson-Bjorck false position
in log-price, each network's by bisection.  The dual value is a proven upper bound on the optimum,
and a primal point between the two sides of the price meets every bound but whole units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.optimize.problem import Problem, hired, network_totals
from planner.optimize.subproblem import best_response

__all__ = ["Relaxed", "relax", "spend_at", "price_bracket", "network_prices", "dual_value", "network_terms", "blend", "bracket_prices",
           "clamped_total"]

def spend_at(prob: Problem, lam_ent: np.ndarray, lo, hi) -> np.ndarray:
    """Return each row's exact best spend within ``[lo, hi]`` at the prices of spend ``lam_ent`` (one per row).

    With a hire limit, a creator that spends pays the price of a hire ``prob.mu`` once.  The
    answer is kept in ``prob.memo`` under the ids of ``lo`` and ``hi`` and the prices.

    Parameters
    ----------
    prob : Problem
        The prepared problem (``w``, ``c0``, the engagement bonus and, with a hire limit, ``mu``).
    lam_ent : ndarray of float
        Each row's price of spend (the budget's price, or its network's), outcome dollars per dollar.
    lo, hi : ndarray of float
        The domain's bounds per row in dollars.

    Returns
    -------
    ndarray of float
        Spend per row in dollars, from :func:`~planner.optimize.subproblem.best_response` at the
        price ``(c0 - bonus + lam_ent) / w``.
    """
    lam_ent = np.asarray(lam_ent, dtype=float)
    key = (id(lo), id(hi), float(lam_ent.flat[0]) if np.all(lam_ent == lam_ent.flat[0]) else lam_ent.tobytes())
    x = prob.memo.get(key)
    if x is None:
        if len(prob.memo) > 64:
            prob.memo.clear()
        fixed = prob.mu * prob.creator / prob.w if prob.max_hires is not None and prob.mu > 0 else None
        x = prob.memo[key] = best_response(prob.ent, (prob.c0 - prob.bonus + lam_ent) / prob.w, lo, hi, fixed)
    return x


def bracket_prices(spend, target: np.ndarray, a: np.ndarray, b: np.ndarray, active: np.ndarray, strict: bool):
    """Bracket each network's price where its spend crosses ``target``, vectorised over networks.

    ``spend(prices)`` gives each network's spend at one price per network, non-increasing in its
    price.  Returns ``(a, b)`` with the spend at ``a`` above the target and at ``b`` within it (at or
    below when ``strict`` is False, short of it when True), for the ``active`` networks; the others keep
    their ends.  Illinois false position on the price, a bisection (geometric while ``b > 4 a``)
    whenever the bracket has not halved in three steps; a network stops once price width x spend
    gap, what the dual bound can differ by between the two ends, is below a billionth of its spend,
    or the width is below ``1e-11`` relative.

    Parameters
    ----------
    spend : callable
        ``spend(prices)`` -> spend per network (dollars) at one price per network.
    target : ndarray of float
        The spend to bracket per network.
    a, b : ndarray of float
        Starting ends: the spend above the target at ``a``, within it at ``b`` (``a < b``).
    active : ndarray of bool
        The networks to bracket.
    strict : bool
        Whether the spend at ``b`` must be short of the target (a minimum) rather than at or below it (a maximum).

    Returns
    -------
    a, b : ndarray of float
        The final bracket per network.
    """
    a, b = a.astype(float).copy(), b.astype(float).copy()
    act = active.copy()
    if not act.any():
        return a, b
    target = np.where(act, target, 0.0)  # the others' (an infinite maximum, say) are not read
    s_a, s_b = spend(a) - target, spend(b) - target
    fa, fb = s_a.copy(), s_b.copy()  # Illinois-scaled ends
    side = np.zeros(len(a))
    last_w = b - a
    for it in range(200):
        width = b - a
        act &= ~((width * (s_a - s_b) <= 1e-7 * np.maximum(1.0, np.abs(target)))
                 | (width <= 1e-11 * np.maximum(1.0, np.abs(b))))
        if not act.any():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            m = b - fb * (b - a) / (fb - fa)
        bad = ~((m > a) & (m < b))
        if it % 3 == 2:
            bad |= width > 0.5 * last_w
            last_w = width
        geo = (a > 0) & (b > 4 * a)
        m = np.where(bad, np.where(geo, np.sqrt(np.maximum(a * b, 0.0)), 0.5 * (a + b)), m)
        m = np.where(act, m, a)
        f = spend(m) - target
        inside = f < -1e-9 if strict else f <= 1e-9
        up = act & ~inside  # the spend at m is above the target: m is the new a
        dn = act & inside
        fb = np.where(up & (side == 1), 0.5 * fb, fb)
        fa = np.where(dn & (side == -1), 0.5 * fa, fa)
        a, s_a, fa = np.where(up, m, a), np.where(up, f, s_a), np.where(up, f, fa)
        b, s_b, fb = np.where(dn, m, b), np.where(dn, f, s_b), np.where(dn, f, fb)
        side = np.where(up, 1, np.where(dn, -1, side))
    return a, b


def price_bracket(total, target: float, hint: float | None = None) -> tuple[float, float]:
    """Prices ``(a, b)`` with ``total(a) > target >= total(b)`` and ``a``, ``b`` adjacent.

    ``total`` is the spend at a price (non-increasing, with jumps where a row's choice
    jumps).  Anderson-Bjorck false position in log-price, with a bisection whenever
    the bracket stops halving: a few evaluations where the spend is smooth, a
    guaranteed bracket where it jumps.

    Parameters
    ----------
    total : callable
        ``total(price)`` -> total spend in dollars at that price of spend (a float).
    target : float
        The spend to bracket, in dollars (the budget).
    hint : float, optional
        A price near the answer (e.g. the parent node's); the search starts at ``hint / 1.5 .. hint * 1.5``.

    Returns
    -------
    a, b : float
        The bracket. ``(0.0, 0.0)`` when spend at price 0 already fits the target, and ``(0.0, b)`` when
        only a price of zero spends more than it.
    """
    if total(0.0) <= target:
        return 0.0, 0.0
    tiny = 1e-300
    if hint and hint > 0:
        a, b = hint / 1.5, hint * 1.5
    else:
        a, b = 0.5, 2.0
    fb = total(b) - target
    while fb > 0 and b < 1e300:
        a, b = b, b * 16.0
        fb = total(b) - target
    fa = total(a) - target
    while fa <= 0 and a > tiny:
        b, fb = a, fa
        a = a / 16.0 if a > 1e-280 else tiny
        fa = total(a) - target
    if fa <= 0:  # only a price of zero spends more than the budget
        return 0.0, b
    # Anderson-Bjorck false position in log-price: (p, fp) the last iterate, (q, fq) the other
    # end of the bracket, signs opposite; a bisection when the bracket stops halving.
    p, fp, q, fq = np.log(b), fb, np.log(a), fa
    tol_spend = 1e-10 * max(abs(target), 1.0)
    widths = [abs(p - q)] * 3
    fa_true, fb_true = (fp, fq) if fp > 0 else (fq, fp)
    jump = False  # the spend is flat on both sides of the target: bisect to the jump
    for it in range(300):
        if abs(p - q) < 1e-13 or (fp <= 0 and -fp <= tol_spend):
            break
        # the dual bound at either end exceeds the one at the root by at most
        # price width x spend difference: stop when that is negligible (a jump of spend)
        lo_u, hi_u = min(p, q), max(p, q)
        if (np.exp(hi_u) - np.exp(lo_u)) * (fa_true - fb_true) <= 1e-9 * max(1.0, np.exp(hi_u) * target):
            break
        u = p - fp * (p - q) / (fp - fq)
        if jump or not (lo_u < u < hi_u) or abs(p - q) > 0.5 * widths[-3]:
            u = 0.5 * (p + q)  # the bracket did not halve in three steps: the spend jumps here
        step = 1e-11 * max(1.0, abs(p))
        if abs(u - p) < step < abs(q - p):  # the secant stalls next to the root: step across it
            u = p + step * np.sign(q - p)
        f = total(float(np.exp(u))) - target
        same_end = fa_true if f > 0 else fb_true  # the spend at the end of the bracket this point replaces
        if it >= 2 and abs(f - same_end) <= 1e-12 * max(1.0, abs(target)):
            jump = True  # moving the price changed nothing: the target sits in a jump of the spend
        if (f > 0) != (fp > 0):
            q, fq = p, fp
        else:
            m = 1.0 - f / fp if fp != 0 else 0.5
            fq *= m if m > 0 else 0.5
        p, fp = u, f
        widths.append(abs(p - q))
        if f > 0:
            fa_true = f
        else:
            fb_true = f
    ua, ub = (p, q) if fp > 0 else (q, p)
    return float(np.exp(ua)), float(np.exp(ub))


def network_prices(prob: Problem, lam: float, lo, hi):
    """Per-network prices (low side, high side) that clamp each network into its bounds at ``lam``.

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    lam : float
        The budget's price of spend.
    lo, hi : ndarray of float
        The domain's bounds per row in dollars.

    Returns
    -------
    lam_a, lam_b : ndarray of float
        One price per network (order of ``prob.networks``): ``lam`` for a network already within its bounds;
        for one over its maximum, raised prices with its spend above (``lam_a``) and at or below (``lam_b``)
        the maximum; for one under its minimum, lowered prices with its spend at or above (``lam_a``) and
        short of (``lam_b``) the minimum.
    """
    G = len(prob.networks)
    lam_g = np.full(G, lam)
    x = spend_at(prob, lam_g[prob.net_idx], lo, hi)
    s = network_totals(prob, x)
    over = s > prob.net_hi + 1e-9
    under = s < prob.net_lo - 1e-9
    lam_a, lam_b = lam_g.copy(), lam_g.copy()
    if over.any():  # raise the price until the network fits under its maximum
        top = lam * 2 + 1.0
        while True:
            ss = network_totals(prob, spend_at(prob, np.full(G, top)[prob.net_idx], lo, hi))
            if np.all(ss[over] <= prob.net_hi[over] + 1e-9) or top > 1e18:
                break
            top *= 16
        def net_spend(prices):
            return network_totals(prob, spend_at(prob, prices[prob.net_idx], lo, hi))
        a, b = bracket_prices(net_spend, prob.net_hi, np.full(G, lam), np.full(G, top), over, strict=False)
        lam_a, lam_b = np.where(over, a, lam_a), np.where(over, b, lam_b)
    if under.any():  # lower the price (to "spend everything") until the network reaches its minimum
        def net_spend_u(prices):
            return network_totals(prob, spend_at(prob, np.where(under, prices, lam)[prob.net_idx], lo, hi))
        # a: spend at or above the minimum; b: short of it
        a, b = bracket_prices(net_spend_u, prob.net_lo, np.full(G, -prob.c0 - 1.0), np.full(G, lam), under, strict=True)
        lam_a, lam_b = np.where(under, a, lam_a), np.where(under, b, lam_b)
    return lam_a, lam_b


def clamped_total(prob: Problem, lam: float, lo, hi) -> float:
    """Return the total spend at the budget's price ``lam``, each network's total clamped into its bounds.

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    lam : float
        The budget's price of spend, for every row.
    lo, hi : ndarray of float
        The domain's bounds per row in dollars.

    Returns
    -------
    float
        Dollars: the sum over networks of their spend clipped to ``[net_lo, net_hi]``.
    """
    x = spend_at(prob, np.full(len(prob.ent), lam), lo, hi)
    s = network_totals(prob, x)
    return float(np.clip(s, prob.net_lo, prob.net_hi).sum())


def dual_value(prob: Problem, lam: float, lam_g: np.ndarray, lo, hi) -> float:
    """Return the Lagrangian dual value (the upper bound) at the budget's price ``lam`` and the network prices ``lam_g``.

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    lam : float
        The budget's price of spend.
    lam_g : ndarray of float
        Each network's price of spend (order of ``prob.networks``).
    lo, hi : ndarray of float
        The domain's bounds per row in dollars.

    Returns
    -------
    float
        An upper bound on the objective of every plan within ``[lo, hi]``, the budget, the network bounds
        and (with ``prob.max_hires``) the hire limit, in dollars.
    """
    lam_e = lam_g[prob.net_idx]
    x = spend_at(prob, lam_e, lo, hi)
    val = prob.w * prob.ent.value(x) - (prob.c0 - prob.bonus + lam_e) * x
    hires = 0.0
    if prob.max_hires is not None:  # the price of a hire: paid by each hired creator, earned on the limit
        hires = prob.mu * (prob.max_hires - hired(prob, x))
    return float(val.sum() + lam * prob.budget + network_terms(prob, lam, lam_g) + hires)


def network_terms(prob: Problem, lam: float, lam_g: np.ndarray) -> float:
    """Return what the network bounds add to the dual value.

    A network whose price is above the budget's earns the difference on its maximum; one below pays it on its
    minimum.

    Parameters
    ----------
    prob : Problem
        The prepared problem (``net_lo``, ``net_hi``).
    lam : float
        The budget's price of spend.
    lam_g : ndarray of float
        Each network's price of spend.

    Returns
    -------
    float
        ``sum (lam_g - lam)+ net_hi - sum (lam - lam_g)+ net_lo``, in dollars.
    """
    up = np.where(lam_g > lam, (lam_g - lam) * np.where(np.isfinite(prob.net_hi), prob.net_hi, 0.0), 0.0)
    down = np.where(lam_g < lam, (lam - lam_g) * prob.net_lo, 0.0)
    return float(up.sum() - down.sum())


@dataclass
class Relaxed:
    """The Lagrangian relaxation over one domain: its dual bound, its prices and a primal point.

    ``lam`` and ``lam_g`` are the prices of the budget and of each network on the high
    side of the bracket (spend at or below the targets).
    """

    bound: float
    x: np.ndarray  # a primal point (feasible up to whole units of jump entities)
    lam: float
    lam_g: np.ndarray
    jump: np.ndarray  # entities whose relaxed spend is on a jump (not a point of the curve's own optimum)
    mid_jump: np.ndarray  # jump entities strictly between the two sides of their jump
    low_side: np.ndarray  # each entity's spend on the low and the high side of the price
    high_side: np.ndarray
    mu: float = 0.0  # the price of a hire it was solved at (0 without a hire limit)


def relax(prob: Problem, lo: np.ndarray, hi: np.ndarray, hint: float | None = None) -> Relaxed:
    """Solve the Lagrangian dual over the domain [lo, hi]; return a bound and a primal point.

    ``hint`` (the parent node's price) narrows the first bracket of the bisection.

    Parameters
    ----------
    prob : Problem
        The prepared problem; its memo is cleared.
    lo, hi : ndarray of float
        The domain's bounds per row in dollars.
    hint : float, optional
        A price near the answer.

    Returns
    -------
    Relaxed
        The dual bound (the lower of the two sides' dual values), the primal point of :func:`blend`, the
        high-side prices and the rows on a jump.
    """
    prob.memo.clear()  # keys hold ids of lo/hi: valid within one relaxation
    lam_a, lam_b = price_bracket(lambda price: clamped_total(prob, price, lo, hi), prob.budget + 1e-9, hint)
    ga_a, _ = network_prices(prob, lam_a, lo, hi)  # low prices: spend at or above the targets
    _, gb_b = network_prices(prob, lam_b, lo, hi)  # high prices: spend at or below them
    xa = spend_at(prob, ga_a[prob.net_idx], lo, hi)
    xb = spend_at(prob, gb_b[prob.net_idx], lo, hi)
    bound = min(dual_value(prob, lam_a, ga_a, lo, hi), dual_value(prob, lam_b, gb_b, lo, hi))
    x, jump = blend(prob, xa, xb, lo, hi, lam_b)
    lo_side, hi_side = np.minimum(xa, xb), np.maximum(xa, xb)
    tol = 1e-6 * (1.0 + hi_side)
    mid_jump = jump & (x > lo_side + tol) & (x < hi_side - tol)
    return Relaxed(bound, x, lam_b, gb_b, jump, mid_jump, lo_side, hi_side, float(prob.mu))


def blend(prob: Problem, xa, xb, lo, hi, lam):
    """Return a primal point between the two sides of the dual solution that meets every bound, and the jump rows.

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    xa, xb : ndarray of float
        Spend per row at the low-side and the high-side prices.
    lo, hi : ndarray of float
        The domain's bounds per row in dollars.
    lam : float
        The budget's price (not read).

    Returns
    -------
    x : ndarray of float
        Spend per row between the two sides, clipped to ``[lo, hi]``: each network is raised from the low
        side towards its relaxed spend (at least its minimum) while the budget lasts, continuous rows
        first, then jump rows one by one.
    jump : ndarray of bool
        Rows whose two sides differ by more than ``1e-6 (1 + spend)``.
    """
    lo_side, hi_side = np.minimum(xa, xb), np.maximum(xa, xb)
    diff = hi_side - lo_side
    tol = 1e-6 * (1.0 + hi_side)
    jump = diff > tol
    x = lo_side.copy()
    s_net = network_totals(prob, x)
    # network targets: at least the minimum, the remaining budget shared by the relaxation
    want_net = np.clip(network_totals(prob, hi_side), prob.net_lo, prob.net_hi)
    total_room = prob.budget
    target = np.minimum(want_net, np.maximum(s_net, prob.net_lo))
    target = np.maximum(target, s_net)
    extra_avail = total_room - target.sum()
    # give each network up to its relaxed spend while the budget lasts (networks short of minimum first)
    order = np.argsort(-(want_net - target))
    for g in order:
        add = min(want_net[g] - target[g], max(extra_avail, 0.0))
        target[g] += add
        extra_avail -= add
    for g in range(len(prob.networks)):
        m = prob.net_idx == g
        need = target[g] - x[m].sum()
        if need <= 0:
            continue
        idx = np.flatnonzero(m)
        # continuous movers first (tiny differences), then jump entities one by one
        smooth = idx[~jump[idx]]
        d = diff[smooth]
        if d.sum() > 0:
            take = min(need, d.sum())
            x[smooth] += d * (take / d.sum())
            need -= take
        for i in idx[jump[idx]]:
            if need <= 1e-12:
                break
            add = min(need, diff[i])
            x[i] += add
            need -= add
    return np.clip(x, lo, hi), jump


