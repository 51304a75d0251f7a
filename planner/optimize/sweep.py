"""Concave, continuous allocations for many budgets at once.

When every row is continuous and concave on its domain, the optimum at a budget
``B`` is the spend at the price of spend ``lam`` where the rows' best responses add
up to ``B`` (equal marginal return).  This module finds that price for a whole
vector of budgets in one vectorised search: the rows are tiled once per budget and
every step of the search (Illinois false position in log-price, bisection when the
bracket stops shrinking) evaluates all budgets together.  The frontier uses it, and
the whole-unit solver (planner.optimize.core) uses it to price the continuous rows for each
amount the whole units leave them.
"""

from __future__ import annotations

import numpy as np

from planner.optimize.subproblem import Entities, best_response

__all__ = ["concave_many"]


def concave_many(ent: Entities, lo: np.ndarray, hi: np.ndarray, cost: np.ndarray | float, w: float,
                 budgets: np.ndarray, tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Optimal spends for each budget: ``(X, lam)`` with ``X`` of shape (budgets, rows).

    Maximises ``sum_i w f_i(x_i) - cost_i x_i`` subject to ``sum_i x_i <= B`` and
    ``lo <= x <= hi`` (``hi`` may be one row per budget), for every ``B`` of ``budgets``.
    Rows are continuous.  When every row is concave on its domain the spends add up to
    the budget within ``tol`` relative; an S-curve row below its inflection makes the
    spend jump at some price, and where a budget falls in the jump the spends returned
    (those just above the price) leave part of it unspent (planner.optimize.core counts that
    part at the price in its bound).  ``lam[b]`` is the price of the budget (0 when it
    does not bind).

    Parameters
    ----------
    ent : Entities
        The continuous rows (``unit`` is not read).
    lo : ndarray of float
        Each row's minimum spend in dollars, shape (rows,).
    hi : ndarray of float
        Each row's maximum spend, shape (rows,) or (budgets, rows); must be finite.
    cost : float or ndarray of float
        Each row's cost of a dollar of spend (``c0 - bonus``), shape (rows,) or a scalar.
    w : float
        Weight of the response (1 for revenue, the margin for profit).
    budgets : ndarray of float
        The budgets in dollars, shape (budgets,).
    tol : float, default 1e-10
        Relative tolerance on the spend's sum.

    Returns
    -------
    X : ndarray of float
        Spend per budget and row, shape (budgets, rows), not rounded to cents.
    lam : ndarray of float
        The price of each budget, shape (budgets,).
    """
    budgets = np.asarray(budgets, dtype=float)
    nb, n = len(budgets), len(ent)
    if n == 0:
        return np.zeros((nb, 0)), np.zeros(nb)
    tiled = ent.tile(nb)
    LO = np.broadcast_to(lo, (nb, n)).ravel()
    HI = np.broadcast_to(hi, (nb, n)).ravel()
    C = np.broadcast_to(np.broadcast_to(cost, (n,)), (nb, n)).ravel()

    def spend(lam):  # lam: one price per budget
        x = best_response(tiled, (C + np.repeat(lam, n)) / w, LO, HI).reshape(nb, n)
        return x

    x0 = spend(np.zeros(nb))
    free = x0.sum(axis=1) <= budgets * (1 + 1e-15)  # the budget does not bind
    lam = np.zeros(nb)
    X = x0
    act = ~free
    if act.any():
        a, b = np.full(nb, 0.5), np.full(nb, 2.0)
        fb = spend(b).sum(axis=1) - budgets
        for _ in range(80):
            up = act & (fb > 0)
            if not up.any():
                break
            a, b = np.where(up, b, a), np.where(up, b * 16, b)
            fb = np.where(up, spend(b).sum(axis=1) - budgets, fb)
        fa = spend(a).sum(axis=1) - budgets
        for _ in range(80):
            down = act & (fa <= 0)
            if not down.any():
                break
            b, fb = np.where(down, a, b), np.where(down, fa, fb)
            a = np.where(down, a / 16, a)
            fa = np.where(down, spend(a).sum(axis=1) - budgets, fa)
        ua, ub = np.log(a), np.log(b)
        tol_s = tol * np.maximum(budgets, 1.0)
        side = np.zeros(nb)
        last_w = ub - ua
        fa_t, fb_t = fa.copy(), fb.copy()  # the true spend gaps at the ends (Illinois halves fa, fb)
        jump = np.zeros(nb, dtype=bool)  # the spend jumps across the budget here: bisect
        for it in range(200):
            # a jump of an S-curve row's spend: stop once price width x spend gap cannot matter
            settled = (it >= 12) & ((np.exp(ub) - np.exp(ua)) * (fa_t - fb_t)
                                    <= 1e-7 * np.exp(ub) * np.maximum(budgets, 1.0))
            act = act & (ub - ua > 1e-13) & (-fb_t > tol_s) & ~settled
            if not act.any():
                break
            with np.errstate(divide="ignore", invalid="ignore"):
                u = ub - fb * (ub - ua) / (fb - fa)
            bad = ~((u > ua) & (u < ub)) | jump  # (also NaN: equal ends)
            if it % 4 == 3:  # the bracket must halve every four steps, else bisect
                bad |= (ub - ua) > 0.5 * last_w
                last_w = ub - ua
            u = np.where(bad, 0.5 * (ua + ub), u)
            f = spend(np.exp(u)).sum(axis=1) - budgets
            pos = act & (f > 0)
            neg = act & (f <= 0)
            same = np.where(pos, fa_t, fb_t)
            jump |= act & (it >= 2) & (np.abs(f - same) <= 1e-12 * np.maximum(budgets, 1.0))
            fa_t, fb_t = np.where(pos, f, fa_t), np.where(neg, f, fb_t)
            fb = np.where(pos & (side == 1), 0.5 * fb, fb)  # Illinois: halve the stale end
            fa = np.where(neg & (side == -1), 0.5 * fa, fa)
            ua, fa = np.where(pos, u, ua), np.where(pos, f, fa)
            ub, fb = np.where(neg, u, ub), np.where(neg, f, fb)
            side = np.where(pos, 1, np.where(neg, -1, side))
        lam = np.where(free, 0.0, np.exp(ub))
        X = np.where(free[:, None], x0, spend(lam))
    return X, lam
