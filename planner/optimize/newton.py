"""The price of the budget by safeguarded Newton, where every row's best spend moves smoothly with it.

When every row is continuous and strictly concave (no whole units, no S-curve, no straight
line), no network is bounded and no hire limit is set, the optimum is the spend at the one price
of spend ``lam`` where the rows' best responses add up to the budget (equal marginal return).
Each row's best spend at a price is the root of ``f'(x) = price``, clipped to its bounds, and it
moves with the price by ``1 / f''(x)``: the total spend's exact derivative.  Newton's step on the
price, in logs (spend against price is close to a power law), converges in a few steps from the
price of a nearby budget; a bracket that every step narrows keeps it safe (a step that leaves the
bracket bisects it).  Each step costs one warm-started root per row.

The answer is exact: the dual value at the final price bounds every plan from above, and the plan
rounded to cents comes within :data:`~planner.optimize.search.GAP_TOL` of it (the solver checks,
and searches the general way when it does not).
"""

from __future__ import annotations

import numpy as np

from planner.optimize.problem import Problem, has_network_bounds
from planner.optimize.subproblem import Entities

__all__ = ["smooth_problem", "price_newton", "prices_newton", "lagrangian_bound"]

_MAX_STEPS = 100
_LOG16 = float(np.log(16.0))
_TINY = 1e-9  # dollars: a row's marginal return at its minimum is read here when the minimum is $0
_LINEAR = 1e-6  # total spend this close to the budget (relative): the last roots by a first-order step


def smooth_problem(prob: Problem) -> bool:
    """Whether :func:`price_newton` solves ``prob``: smooth rows only, no network bound, no hire limit.

    Parameters
    ----------
    prob : Problem
        The prepared problem.

    Returns
    -------
    bool
        True when every row is continuous and strictly concave, no network has a bound and no hire limit is set.
    """
    return prob.max_hires is None and prob.ent.smooth and not has_network_bounds(prob)


def price_newton(prob: Problem, lo: np.ndarray, hi: np.ndarray, hint: float | None = None):
    """Return the budget's price and the spends at it: ``(lam, x_at_lam, x)``.

    Parameters
    ----------
    prob : Problem
        A problem :func:`smooth_problem` accepts.
    lo, hi : ndarray of float
        Each row's finite spend bounds in dollars.
    hint : float, optional
        The price of a nearby budget already solved: the search starts there.

    Returns
    -------
    lam : float
        The price of the budget: 0 when spending every row's best at no price fits the budget.
    x_at_lam : ndarray of float
        Each row's exact best spend at ``lam`` (for the dual bound).
    x : ndarray of float
        A plan within the budget: ``x_at_lam``, with the last ten-billionth of spend over the budget
        (if any) taken back from the rows free to move.
    """
    lam, X_at, X = prices_newton(prob.ent, lo, hi[None, :], prob.c0 - prob.bonus, prob.w, np.array([prob.budget]),
                                 None if hint is None else np.array([hint]))
    return float(lam[0]), X_at[0], X[0]


def prices_newton(ent: Entities, lo: np.ndarray, hi: np.ndarray, cost, w: float, budgets: np.ndarray,
                  hints: np.ndarray | None = None):
    """Return the price of each budget and the spends at it, all budgets in one vectorised search.

    Maximises ``sum_i w f_i(x_i) - cost_i x_i`` subject to ``sum_i x_i <= B`` and ``lo <= x <= hi`` for
    every ``B`` of ``budgets``; every row continuous and strictly concave.

    Parameters
    ----------
    ent : Entities
        The rows (smooth: :attr:`~planner.optimize.subproblem.Entities.smooth`).
    lo : ndarray of float
        Each row's minimum in dollars, shape (rows,).
    hi : ndarray of float
        Each row's finite maximum per budget, shape (budgets, rows).
    cost : float or ndarray of float
        Each row's cost of a dollar (``c0 - bonus``).
    w : float
        Weight of the response.
    budgets : ndarray of float
        Shape (budgets,).
    hints : ndarray of float, optional
        A price near each budget's (NaN or 0 where none is known).

    Returns
    -------
    lam : ndarray of float
        Each budget's price, 0 where the budget does not bind.
    X_at : ndarray of float
        Each row's exact best spend at its budget's price, shape (budgets, rows).
    X : ndarray of float
        ``X_at`` with any spend over the budget (a ten-billionth at most) taken back from the free rows.
    """
    nb, n = hi.shape
    big = ent if nb == 1 else ent.tile(nb)
    LO = np.broadcast_to(lo, (nb, n))
    C = np.broadcast_to(np.asarray(cost, dtype=float), (n,))

    def spend(lam):  # (budgets,) prices -> clipped spends, unclipped roots (budgets, rows) and the prices asked
        price = (C[None, :] + lam[:, None]) / w
        if not (price > 0).any():  # spending more pays on every row
            return hi.copy(), np.full(hi.shape, np.inf), None
        r = big.root(price.ravel()).reshape(nb, n)
        return np.minimum(np.maximum(r, LO), hi), r, price.ravel()

    X0, _, _ = spend(np.zeros(nb))
    act = X0.sum(axis=1) > budgets  # the budget binds
    lam = np.zeros(nb)
    if not act.any():
        return lam, X0, X0
    tol = 1e-11 * np.maximum(budgets, 1.0)
    a, b = np.zeros(nb), np.full(nb, np.inf)  # spend above the budget at a, at or below it at b
    lam = np.array(hints, dtype=float) if hints is not None else np.full(nb, np.nan)
    cold = act & ~(np.isfinite(lam) & (lam > 0))
    if cold.any():
        lam[cold] = _first_prices(ent, lo, hi[cold], C, w, budgets[cold])
    lam = np.where(act, lam, 0.0)
    X = X0
    def edges(rows, at):  # marginal return less cost of rows (their positions in a budget's copy) at spends `at`
        # (a minimum of $0 read at a billionth of a dollar: a hill curve of s < 1 is infinitely steep at $0, and its
        # root search stops at e^-60 k and calls a curve no steeper than the price there flat, spending $0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return w * ent.derivative_at(rows, np.maximum(at, _TINY)) - C[rows]

    before = np.full(nb, np.inf)  # each budget's |gap| a step ago
    for _ in range(_MAX_STEPS):
        X, R, asked = spend(lam)
        gap = X.sum(axis=1) - budgets
        # Newton's step halved the gap at least, or the next price is bisected: where a row enters at a price
        # its spend leaves zero with an infinite slope (a logistic row), steps can bounce between the ends
        slow, before = np.abs(gap) > 0.5 * before, np.abs(gap)
        a = np.where(act & (gap > 0), lam, a)
        b = np.where(act & (gap <= 0), lam, b)
        act = act & (np.abs(gap) > tol) & ~(np.isfinite(b) & (b - a <= 1e-15 * b))
        if not act.any():
            break
        new, dx = _newton_steps(big, w, lam, X, R, LO, hi, budgets, asked)
        out = ~((a < new) & (new < b)) | (slow & np.isfinite(b))  # widen the bracket, or bisect it (in logs)
        last = _last_step(act, out, gap, budgets, lam, new, R, dx, LO, hi, edges)
        if last is not None:  # the spends at the last price, to second order in a step this small
            lam, X = np.where(act, new, lam), np.where(act[:, None], last, X)
            break
        fallback = np.where(~np.isfinite(b), lam * 16.0, np.where(a == 0, b / 16.0, np.sqrt(a * np.where(
            np.isfinite(b), b, 1.0))))
        lam = np.where(act, np.where(out, fallback, new), lam)
    over = X.sum(axis=1) - budgets
    if not (over > 0).any():
        return lam, X, X
    room = np.where((X > LO) & (X < hi), X - LO, 0.0)
    total = room.sum(axis=1)
    share = np.divide(over, total, out=np.ones(nb), where=total > over)
    take = np.where(over[:, None] > 0, room * np.minimum(share, 1.0)[:, None], 0.0)
    return lam, X, np.maximum(X - take, LO)


def _newton_steps(big: Entities, w: float, lam, X, R, LO, hi, budgets, price=None):
    """Return Newton's next price per budget and each row's slope of spend by price.

    The step is in logs (spend against price); NaN where the spend does not move.  The slope is 0 at a bound.
    """
    nb, n = X.shape
    free = (R > LO) & (R < hi)
    curv = np.zeros(X.shape)
    if free.any():  # a free row's spend is its root: its curvature is read off what the root left behind
        curv = (big.root_curvature(price, R.ravel()) if price is not None else big.curvature(X.ravel())).reshape(nb, n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dx = np.where(free, 1.0 / (w * curv), 0.0)
        slope = dx.sum(axis=1)  # d total spend / d lam (negative)
        total = X.sum(axis=1)
        elasticity = lam * slope / total
        # at most a factor 16 a step: where rows stop at their bounds the slope here says little about further on
        logstep = np.clip(-(np.log(total) - np.log(budgets)) / elasticity, -_LOG16, _LOG16)
        new = np.where((total > 0) & (budgets > 0), lam * np.exp(logstep), lam - (total - budgets) / slope)
    return np.where(np.isfinite(slope) & (slope < 0), new, np.nan), dx


def _last_step(act, out, gap, budgets, lam, new, R, dx, LO, hi, edges):
    """Return the spends at the new prices by one first-order step from the roots at ``lam`` (None: not exact).

    Newton's step on the price is quadratic: once the total is within :data:`_LINEAR` of each budget, the
    price moves by about as little, and each row's root moves along its slope ``dx`` to within the square of
    that (a millionth squared: far inside the search's tolerance).  None when a budget is not that close, a
    step leaves its bracket or a row would cross one of its bounds (its spend then stops at the bound, which a
    first-order step does not see); the search then takes one more root.  A row held at a bound is checked
    against its marginal return there (``edges(rows, spends)``, read for those rows alone), since a curve
    flatter than the price at its start has no root to move (a logistic row's is 0 until the price falls below it).
    """
    if (out & act).any() or (np.abs(gap[act]) > _LINEAR * np.maximum(budgets[act], 1.0)).any():
        return None
    step = np.where(act, new - lam, 0.0)[:, None]
    moved = R + dx * step
    free = (R > LO) & (R < hi)
    if ((moved > LO) & (moved < hi) != free).any():
        return None
    price = np.where(act, new, lam)
    at_lo = ~free & (R <= LO)
    for held, ends, enters in ((at_lo, LO, np.greater), (~free & ~at_lo, hi, np.less)):
        b, r = np.nonzero(held)  # (the few rows held at a bound: their slope read there alone)
        if len(r) and enters(edges(r, ends[b, r]), price[b]).any():
            return None
    return np.where(free, moved, np.minimum(np.maximum(R, LO), hi))


def _first_prices(ent: Entities, lo, hi, C, w: float, budgets) -> np.ndarray:
    """Return first prices with no budget solved nearby: the mean marginal return of each budget split evenly."""
    n = len(ent)
    out = np.ones(len(budgets))
    for j, B in enumerate(budgets):
        even = np.clip(np.full(n, B / n), lo, hi[j])
        marg = w * ent.derivative(even) - C
        m = float(np.mean(marg[np.isfinite(marg)])) if np.isfinite(marg).any() else 1.0
        out[j] = m if m > 0 else 1.0
    return out


def lagrangian_bound(prob: Problem, lam: float, x_at_lam: np.ndarray) -> float:
    """Return the dual value at the budget's price ``lam``: an upper bound on every plan's objective.

    Parameters
    ----------
    prob : Problem
        The prepared problem (no network bound, no hire limit).
    lam : float
        The budget's price of spend.
    x_at_lam : ndarray of float
        Each row's exact best spend at ``lam`` within its bounds.

    Returns
    -------
    float
        ``sum(w f(x) - (c0 - bonus + lam) x) + lam * budget`` over plans in whole cents, in dollars: each
        row's term is concave, so its best whole-cent spend is one of the two cents around its best spend
        (a bound a plan in cents can reach, where the continuous one may stay out of reach by what
        rounding to cents costs).
    """
    lo_c = np.ceil(prob.lo * 100 - 1e-6) / 100
    hi_c = np.floor(prob.hi * 100 + 1e-6) / 100
    down = np.clip(np.floor(x_at_lam * 100 + 1e-9) / 100, lo_c, hi_c)
    up = np.clip(down + 0.01, lo_c, hi_c)
    price = prob.c0 - prob.bonus + lam
    val = np.maximum(prob.w * prob.ent.value(down) - price * down, prob.w * prob.ent.value(up) - price * up)
    budget = np.floor(prob.budget * 100 + 1e-6) / 100 if np.isfinite(prob.budget) else prob.budget
    return float(val.sum() + lam * budget)
