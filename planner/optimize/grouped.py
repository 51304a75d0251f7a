"""Concave, continuous allocations under network bounds, for many budgets at once.

The core's dynamic program with network bounds (planner.optimize.core_networks) leaves, for each
choice of whole units, an amount ``R`` to the continuous rows and, for each network, a least and a
most its continuous rows may take (the network's bounds less what its whole units took).  When
every row is concave that problem is solved by two prices: the budget's ``lam``, at which each
network's spend is its best response clipped to its bounds (a concave network's best total within
an interval is its free best total clipped to it), and, in a network held at one of its bounds, the
network's own price at which its rows add up to that bound.  Both are found for every budget
together, vectorised like :func:`planner.optimize.sweep.concave_many`.
"""

from __future__ import annotations

import numpy as np

from planner.optimize.relaxation import bracket_prices
from planner.optimize.subproblem import Entities, best_response
from planner.optimize.sweep import concave_many

__all__ = ["concave_grouped"]

def concave_grouped(ent: Entities, lo: np.ndarray, hi: np.ndarray, cost: np.ndarray, w: float,
                    budgets: np.ndarray, group: np.ndarray, g_lo: np.ndarray, g_hi: np.ndarray,
                    hint: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Optimal spends for each budget with every group's total within its bounds: ``(X, lam)``.

    Maximises ``sum_i w f_i(x_i) - cost_i x_i`` subject to ``sum_i x_i <= B``, ``lo <= x <= hi`` and
    ``g_lo[b, g] <= sum_{i in g} x_i <= g_hi[b, g]`` for every budget ``B = budgets[b]``.  Rows are
    continuous and concave on their domain; the caller makes sure each budget's bounds can hold
    (``g_lo <= g_hi`` within the rows' domains, ``sum g_lo <= B``).

    Parameters
    ----------
    ent : Entities
        The continuous rows.
    lo, hi : ndarray of float
        Each row's spend bounds in dollars, shape (rows,) or (budgets, rows); ``hi`` finite.
    cost : ndarray of float
        Each row's cost of a dollar of spend (``c0 - bonus``), shape (rows,).
    w : float
        Weight of the response (1 for revenue, the margin for profit).
    budgets : ndarray of float
        What the rows may spend in all, per budget, shape (budgets,).
    group : ndarray of int
        Each row's group (network), shape (rows,), values in ``0 .. G-1``.
    g_lo, g_hi : ndarray of float
        Each budget's least and most total per group, shape (budgets, G).
    hint : float, optional
        A price near the budgets' (the search starts at ``hint / 1.5 .. hint * 1.5``).

    Returns
    -------
    X : ndarray of float
        Spend per budget and row, shape (budgets, rows); its total is at most the budget.
    lam : ndarray of float
        The budget's price per budget (0 where the budget does not bind): the total's value rises by at
        most ``lam`` per dollar of budget, so ``value(X) + lam * (B - X.sum(1))`` bounds every plan.
    """
    budgets = np.asarray(budgets, dtype=float)
    nb, n = len(budgets), len(ent)
    G = g_lo.shape[1]
    if n == 0:
        return np.zeros((nb, 0)), np.zeros(nb)
    onehot = np.zeros((n, G))
    onehot[np.arange(n), group] = 1.0
    tiled = ent.tile(nb)
    lo, hi = np.broadcast_to(lo, (nb, n)), np.broadcast_to(hi, (nb, n))
    LO, HI = lo.ravel(), hi.ravel()
    C = np.tile(cost, nb)

    def spend(lam):
        return best_response(tiled, (C + np.repeat(lam, n)) / w, LO, HI).reshape(nb, n)

    def clipped(lam):
        tot = spend(lam) @ onehot
        return np.clip(tot, g_lo, g_hi), tot

    lam = np.zeros(nb)
    y0, _ = clipped(lam)
    binds = y0.sum(axis=1) > budgets * (1 + 1e-15)
    act = binds.copy()
    if act.any():
        a, b = (np.full(nb, hint / 1.5), np.full(nb, hint * 1.5)) if hint and hint > 0 else (np.full(nb, 0.5),
                                                                                           np.full(nb, 2.0))
        for _ in range(80):  # b: the clipped total fits the budget
            up = act & (clipped(b)[0].sum(axis=1) > budgets)
            if not up.any():
                break
            a, b = np.where(up, b, a), np.where(up, b * 16, b)
        for _ in range(80):  # a: it does not
            down = act & (clipped(a)[0].sum(axis=1) <= budgets)
            if not down.any():
                break
            b, a = np.where(down, a, b), np.where(down, a / 16, a)
        # the price where the clipped total meets the budget, every budget at once (the same search as a network's
        # own price in the relaxation): the total is above the budget at a, within it at b
        a, b = bracket_prices(lambda prices: clipped(prices)[0].sum(axis=1), budgets, a, b, act, strict=False)
        lam = np.where(binds, b, 0.0)
    X = spend(lam)
    tot = X @ onehot
    target = np.clip(tot, g_lo, g_hi)
    tol = 1e-12 * np.maximum(1.0, np.abs(target))
    held = np.abs(tot - target) > tol  # (budget, group) held at one of its bounds
    for g in np.flatnonzero(held.any(axis=0)):
        rows = np.flatnonzero(group == g)
        if not len(rows):
            continue  # a network without continuous rows: its bounds were checked on its whole units
        bs = np.flatnonzero(held[:, g])
        lo_g, hi_g = lo[np.ix_(bs, rows)], hi[np.ix_(bs, rows)]
        free = hi_g > lo_g
        one = free.sum(axis=1) <= 1  # one row free to move (the others at their only spend): it takes the rest
        if one.any():
            col = np.argmax(free[one], axis=1)
            b1 = bs[one]
            fixed = lo_g[one].sum(axis=1) - lo_g[one, col]
            X[b1[:, None], rows[None, :]] = lo_g[one]
            X[b1, rows[col]] = np.clip(target[b1, g] - fixed, lo_g[one, col], hi_g[one, col])
        bs = bs[~one]
        if not len(bs):
            continue
        # the group's own price: costs shifted so that a price of zero spends every row's most, then
        # concave_many finds the price at which the group's rows add up to the bound
        c_g = cost[rows] - np.max(cost[rows])
        Xg, _ = concave_many(ent.subset(rows), lo[np.ix_(bs, rows)], hi[np.ix_(bs, rows)], c_g, w, target[bs, g])
        X[np.ix_(bs, rows)] = Xg
    if binds.any():
        # where the budget falls in a jump of a chord's spend, the columns that jump between the bracket's ends
        # (outside groups held at a bound) take what is left, within their group's most; what still is left
        # is counted at the price in the caller's bound
        Xa = spend(np.where(binds, a, 0.0))
        jump = np.where(binds[:, None] & ~held[:, group], np.clip(Xa - X, 0.0, None), 0.0)
        left = np.clip(budgets - X.sum(axis=1), 0.0, None)
        share = np.where(jump.sum(axis=1) > 0, np.minimum(1.0, left / np.maximum(jump.sum(axis=1), 1e-300)), 0.0)
        add = jump * share[:, None]
        room = np.clip(g_hi - X @ onehot, 0.0, None)
        add_g = add @ onehot
        scale = np.where(add_g > room, room / np.maximum(add_g, 1e-300), 1.0)
        X = X + add * scale[:, group]
    return X, lam
