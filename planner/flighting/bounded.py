"""A plan over time within limits per period, per network per period and per network over the horizon.

The limits (:mod:`.limits`) are linear in the spends, and the spends are linear in the adstocks
(:mod:`.problem`), so each limit gets a price of its own, as the budget does. At prices ``pi`` the
problem falls apart into one isotonic problem per row again, each element's cost now the prices of the
periods its adstock spends in: element ``(e, p)`` costs ``a_p P_{e,p} - b_{p+1} P_{e,p+1}`` with
``P_{e,p}`` the sum of the prices of the limits on row ``e`` in period ``p`` and ``a``, ``b`` the
spend formula's coefficients. :func:`planner.flighting.pava.solve_at` solves it exactly, and the
value of the envelopes less the priced slack is an upper bound on every plan within the limits (weak
duality), at any prices. The prices are found by L-BFGS-B on that bound (convex in the prices; its
gradient is the slack of each limit at the adstocks found).

The plan is the adstocks of the best prices found, as spends, put within every limit (a period over its
maximum scaled down, one under its minimum up, until every limit holds to the cent) and valued on the
curves; the bound is the lowest dual value met. Their gap is the proof: how far from the best plan
within the limits this one can be.

Every row's adstock is capped at what the budget could buy in one period (a bound no plan within the
budget can pass), so at any prices the problem has a finite answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import brentq, linprog, minimize

from planner.base.errors import InfeasibleError
from planner.base.format import money
from planner.flighting.horizon import QUARTER_WEEKS
from planner.flighting.limits import SpendLimit
from planner.flighting.pava import solve_at
from planner.flighting.problem import FlightProblem

__all__ = ["BoundedSolved", "solve_limited", "fit_limits", "cents_within", "cell_caps"]

REPAIR_ROUNDS = 200
SOFT = 1e-4  # the soft minimum's width, as a share of the budget's price (then a hundredth of it, twice)
SHARPEN = 3  # rounds of the soft minimum, each a hundred times sharper (two left 4e-4 of gap in a case)
SPEND_FIRST = 10.0  # the placement's reward per dollar placed, against 1 per dollar away from even
MAX_ITER = 300
CENT = 0.005
REPAIR_TOL = 1e-7  # the repair stops when every limit holds to a ten-millionth of a dollar


@dataclass(frozen=True)
class BoundedSolved:
    """Spends within every limit and a proven bound on the best such plan.

    Attributes
    ----------
    spend : ndarray (rows, periods)
        Within every limit and the budget, to the cent.
    bound : float
        No plan within the budget and the limits earns more (on the curves' concave envelopes, after the
        horizon included when the problem counts it).
    prices : ndarray
        The best prices found: the budget's, then each limit's minimum and maximum.
    """

    spend: np.ndarray
    bound: float
    prices: np.ndarray


class _Spends:
    """The spend of every (row, period) as linear maps of the adstocks: ``X = A z - K``."""

    def __init__(self, prob: FlightProblem) -> None:
        E, P = len(prob.decay), prob.n_periods
        nu = prob.periods["weeks"].to_numpy(dtype=float) / QUARTER_WEEKS
        self.E, self.P, self.prob = E, P, prob
        inside = prob.per >= 0
        self.idx_in = np.flatnonzero(inside)
        self.e_in, self.p_in = prob.ent[inside], prob.per[inside]
        D = np.power(prob.decay[self.e_in], prob.periods["weeks"].to_numpy(dtype=float)[self.p_in])
        with np.errstate(divide="ignore", invalid="ignore"):
            self.a = nu[self.p_in] / (1.0 - D)  # own period
            self.b = nu[self.p_in] * D / (1.0 - D)  # taken off by the period's carry from the one before
        self.whole = np.flatnonzero(prob.per == -2)
        self.e_whole = prob.ent[self.whole]
        self.share = nu / nu.sum()
        first = self.p_in == 0
        self.K = np.zeros((E, P))  # the carried-in adstock's part of the first period's spend
        self.K[self.e_in[first], 0] = self.b[first] * prob.z0[self.e_in[first]]

    def split(self, price: np.ndarray, tau: float) -> np.ndarray:
        """Each row without carry-over's share of its total per period: its cheapest periods at ``price``.

        With ``tau > 0`` a soft minimum (weights ``exp(-(price - min) / tau)`` times the periods' weeks), which
        makes the dual smooth for the search; with ``tau = 0`` the exact one (ties shared by the weeks).
        """
        pw = price[self.e_whole]
        gap = pw - pw.min(axis=1, keepdims=True)
        weight = np.exp(-gap / tau) if tau > 0 else (gap <= 1e-12 * np.abs(pw).max(axis=1, keepdims=True) + 1e-15)
        weight = weight * self.share
        return weight / weight.sum(axis=1, keepdims=True)

    def cost(self, price: np.ndarray, tau: float = 0.0) -> np.ndarray:
        """Each element's cost at a price per dollar of each (row, period)'s spend."""
        c = np.zeros(len(self.prob.ent))
        pe = price[self.e_in, self.p_in]
        nxt = np.zeros(len(self.idx_in))
        later = self.p_in < self.P - 1
        # the next element of the same row, in the next period: its b times its price
        nxt[later] = self.b[np.flatnonzero(later) + 1] * price[self.e_in[later], self.p_in[later] + 1]
        c[self.idx_in] = self.a * pe - nxt
        # a row without carry-over earns on its total whenever it is spent: its cheapest periods price it
        c[self.whole] = self.prob.weight[self.whole] * (self.split(price, tau) * price[self.e_whole]).sum(axis=1)
        return c

    def of(self, z: np.ndarray, price: np.ndarray | None = None, tau: float = 0.0) -> np.ndarray:
        """Spend per (row, period) of element adstocks ``z`` (not clipped at 0).

        A row without carry-over spends its total by :meth:`split` at ``price``, or by the periods' weeks
        without prices.
        """
        X = -self.K.copy()
        zi = z[self.idx_in]
        X[self.e_in, self.p_in] += self.a * zi
        later = self.p_in < self.P - 1
        pos = np.flatnonzero(later)
        X[self.e_in[later], self.p_in[later] + 1] -= self.b[pos + 1] * zi[pos]
        total = z[self.whole] * self.prob.weight[self.whole]
        split = np.broadcast_to(self.share, (len(self.whole), self.P)) if price is None else self.split(price, tau)
        X[self.e_whole] += total[:, None] * split
        return X


def _masks(limits: list[SpendLimit], budget: float, E: int, P: int):
    """Each bound as a (rows x periods) mask with its level and sign: +1 for a maximum, -1 for a minimum."""
    masks, levels, signs = [np.ones((E, P), dtype=bool)], [budget], [1.0]
    for lim in limits:
        m = lim.rows[:, None] & lim.periods[None, :]
        if lim.lo > 0:
            masks.append(m)
            levels.append(lim.lo)
            signs.append(-1.0)
        if np.isfinite(lim.hi):
            masks.append(m)
            levels.append(lim.hi)
            signs.append(1.0)
    return np.array(masks, dtype=float), np.array(levels), np.array(signs)


def fit_limits(spend: np.ndarray, limits: list[SpendLimit], budget: float, caps: np.ndarray) -> np.ndarray:
    """Return ``spend`` put within every limit and the budget: over a maximum scaled down, under a minimum up.

    Parameters
    ----------
    spend : ndarray (rows, periods)
    limits : list of SpendLimit
    budget : float
    caps : ndarray (rows, periods)
        The most each cell may hold (its row's maximum; inf for none).

    Returns
    -------
    ndarray (rows, periods)

    Raises
    ------
    InfeasibleError
        When no round of scaling meets every limit to the cent (the limits contradict each other or the budget).
    """
    X = np.clip(spend, 0.0, caps)
    masks, levels, signs = _masks(limits, budget, *X.shape)
    for _ in range(REPAIR_ROUNDS):
        worst = 0.0
        for m, level, sign in zip(masks.astype(bool), levels, signs, strict=True):
            s = X[m].sum()
            if sign > 0 and s > level + REPAIR_TOL:
                X[m] *= level / s
                worst = max(worst, s - level)
            elif sign < 0 and s < level - REPAIR_TOL:
                room = m & (X < caps)
                if not room.any():
                    continue
                if X[room].sum() > 0:
                    X[room] *= 1.0 + (level - s) / X[room].sum()
                else:
                    X[room] += (level - s) / room.sum()
                X = np.minimum(X, caps)
                worst = max(worst, level - s)
        if worst <= REPAIR_TOL:
            return X
    bad = [(lvl, X[m].sum(), sg) for m, lvl, sg in zip(masks.astype(bool), levels, signs, strict=True)
           if (sg > 0 and X[m].sum() > lvl + 0.5) or (sg < 0 and X[m].sum() < lvl - 0.5)]
    if bad:
        lvl, s, sg = bad[0]
        raise InfeasibleError(f"The limits cannot all hold at once with this budget: one needs {money(lvl)} "
                              f"{'at most' if sg > 0 else 'at least'}, and the closest plan found has {money(s)}.")
    return X


def solve_limited(prob: FlightProblem, budget: float, limits: list[SpendLimit]) -> BoundedSolved:
    """Plan ``budget`` over the problem's horizon within ``limits`` (module docstring).

    Parameters
    ----------
    prob : FlightProblem
    budget : float
        The total over the horizon (an upper limit).
    limits : list of SpendLimit

    Returns
    -------
    BoundedSolved

    Raises
    ------
    InfeasibleError
        Minimums that need more than the budget, or limits that contradict each other.
    """
    mins = [lim.lo for lim in limits if lim.lo > 0]
    if mins and max(mins) > budget + CENT:
        raise InfeasibleError(f"A limit needs at least {money(max(mins))}, more than the budget of {money(budget)}.")
    _check_feasible(limits, budget, len(prob.decay), prob.n_periods)
    sp = _Spends(prob)
    E, P = sp.E, sp.P
    nu = prob.periods["weeks"].to_numpy(dtype=float) / QUARTER_WEEKS
    # no plan within the budget spends more than the budget in a period: a cap on every adstock
    top = np.where(prob.per == -2, budget / np.maximum(prob.weight, 1e-12),
                   np.maximum(prob.z0[prob.ent], budget / nu.min()))
    capped = replace(prob, hi=np.minimum(prob.hi, top))
    masks, levels, signs = _masks(limits, budget, E, P)
    warm = {"z": None}
    tau = SOFT * max(_price_scale(capped, budget), 1e-12) if len(sp.whole) else 0.0

    def solve(y: np.ndarray, t: float):
        price = np.tensordot(y * signs, masks, axes=1)
        z, _ = solve_at(replace(capped, cost=sp.cost(price, t)), 1.0, warm["z"])
        warm["z"] = z
        slack = signs * (levels - np.tensordot(masks, sp.of(z, price, t), axes=([1, 2], [0, 1])))  # >= 0: it holds
        return float(capped.value(z, envelope=True).sum()) + float(y @ slack), slack, z

    def dual(y: np.ndarray):
        g, slack, _ = solve(y, tau)
        return g, slack

    y0 = np.zeros(len(levels))
    y0[0] = _price_scale(capped, budget)
    for _ in range(SHARPEN if tau > 0 else 1):  # a soft minimum, then ones a hundred times sharper each
        res = minimize(dual, y0, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * len(levels),
                       options={"maxiter": MAX_ITER, "ftol": 1e-14, "gtol": 1e-9 * max(budget, 1.0)})
        y0 = res.x
        tau_used, tau = tau, tau / 100.0
    tau = tau_used
    y = res.x
    bound = solve(y, 0.0)[0]  # the exact dual at the prices found: the proof
    y = _spend_it(lambda yy: solve(yy, tau), y, budget)
    bound = min(bound, solve(y, 0.0)[0])
    z = solve(y, tau)[2]
    X = sp.of(z, np.tensordot(y * signs, masks, axes=1), tau)
    X[sp.e_whole] = _placed(X, sp.e_whole, limits, budget)
    X = fit_limits(X, limits, budget, cell_caps(prob, budget))
    return BoundedSolved(X, bound, y)


def _spend_it(solve, y: np.ndarray, budget: float) -> np.ndarray:
    """Return the prices with the budget's moved so the plan spends the budget (the search stops a little short).

    ``solve(y)`` returns ``(g, slack, z)``; the budget's slack (its first entry) falls as its price falls.
    """
    slack = solve(y)[1][0]
    if y[0] <= 0 or abs(slack) <= 1e-6 * max(budget, 1.0):
        return y

    def gap(log_price: float) -> float:
        trial = y.copy()
        trial[0] = np.exp(log_price)
        return solve(trial)[1][0]

    lo, hi = np.log(y[0]), np.log(y[0])
    step = 0.01
    for _ in range(60):  # bracket: slack > 0 (money left) at a high price, < 0 at a low one
        if slack > 0:
            lo -= step
            if gap(lo) <= 0:
                break
            hi = lo + step
        else:
            hi += step
            if gap(hi) >= 0:
                break
            lo = hi - step
        step *= 2.0
    try:
        root = brentq(gap, lo, hi, xtol=1e-12, rtol=1e-12, maxiter=100)
    except ValueError:
        return y
    out = y.copy()
    out[0] = np.exp(root)
    return out


def _check_feasible(limits: list[SpendLimit], budget: float, E: int, P: int) -> None:
    """Raise InfeasibleError, naming the limits, when no spends at all meet them within the budget (a linear programme)."""
    masks, levels, signs = _masks(limits, budget, E, P)
    A = (signs[:, None] * masks.reshape(len(levels), -1))
    res = linprog(np.zeros(E * P), A_ub=A, b_ub=signs * levels, bounds=[(0, None)] * (E * P), method="highs")
    if res.status == 2:
        named = "; ".join(f"{lim.label}: {lim.allowed()}" for lim in limits)
        raise InfeasibleError(f"The limits cannot all hold at once within the budget of {money(budget)} ({named}).")


def cents_within(spend: np.ndarray, limits: list[SpendLimit], budget: float, fixed: np.ndarray) -> np.ndarray:
    """Return spends in cents that keep every limit and the budget: a cent off the largest cells where rounding passed one.

    Parameters
    ----------
    spend : ndarray (rows, periods)
        Spends already in cents.
    limits : list of SpendLimit
    budget : float
    fixed : ndarray (rows,) of bool
        Rows not to touch (creators booked in whole posts).

    Returns
    -------
    ndarray (rows, periods)
    """
    X = np.round(spend, 2)
    masks, levels, signs = _masks(limits, budget, *X.shape)
    free = ~fixed[:, None]
    for _ in range(2):  # a minimum raised can pass the budget: a second pass takes the cents back
        for m, level, sign in zip(masks.astype(bool), levels, signs, strict=True):
            cells = m & free
            for _ in range(int(cells.sum()) + 1):
                over = round(float(X[m].sum()) - level, 2) * sign
                if over <= 0 or not cells.any():
                    break
                i = np.unravel_index(np.argmax(np.where(cells, X, -np.inf)), X.shape)
                X[i] = round(X[i] - sign * min(over, X[i]) if sign > 0 else X[i] + over, 2)
    return X


def _price_scale(prob: FlightProblem, budget: float) -> float:
    """Return the budget's price without limits: the scale of every price."""
    from planner.flighting.search import solve_budget  # noqa: PLC0415  (search is a sibling: no cycle)

    return max(solve_budget(prob, budget).price, 1e-9)


def _placed(X: np.ndarray, free: np.ndarray, limits: list[SpendLimit], budget: float) -> np.ndarray:
    """Return the spends of the rows without carry-over (``free``) placed where the limits leave room.

    Their totals are kept where the limits leave room (what they earn depends on nothing else); the periods
    they go to are the solution of a small linear programme that places as much as fits, as close to
    spending it evenly as it can (least absolute deviation), given the other rows' spends. Without a
    solution, the split found by the dual.
    """
    F = X[free]
    if not len(free) or not limits:
        return F
    E, P = X.shape
    n = len(free) * P
    even = F.ravel()
    total = F.sum(axis=1)
    # variables: x (n), then t >= |x - even| (n); minimise sum t less SPEND_FIRST times what is placed (each row
    # at most its total: where the others leave too little room, as much as fits)
    c = np.concatenate([np.full(n, -SPEND_FIRST), np.ones(n)])
    rows_ub, b_ub = [], []
    eye = np.eye(n)
    rows_ub += [np.hstack([eye, -eye]), np.hstack([-eye, -eye])]
    b_ub += [even, -even]
    others = np.ones(E, dtype=bool)
    others[free] = False
    masks, levels, signs = _masks(limits, budget, E, P)
    for m, level, sign in zip(masks.astype(bool), levels, signs, strict=True):
        mine = m[free].ravel().astype(float)
        if not mine.any():
            continue
        fixed = X[others][m[others]].sum()
        rows_ub.append(np.concatenate([sign * mine, np.zeros(n)])[None, :])
        room = level - fixed if sign < 0 else max(level - fixed, 0.0)  # the others' slight excess: fit_limits' job
        b_ub.append(np.array([sign * room]))
    rows_ub.append(np.hstack([np.kron(np.eye(len(free)), np.ones(P)), np.zeros((len(free), n))]))
    b_ub.append(total)
    res = linprog(c, A_ub=np.vstack(rows_ub), b_ub=np.concatenate(b_ub), bounds=[(0, None)] * (2 * n),
                  method="highs")
    return res.x[:n].reshape(len(free), P) if res.status == 0 else F


def cell_caps(prob: FlightProblem, budget: float) -> np.ndarray:
    """Return the most a (row, period) may spend: a row without carry-over its horizon maximum, else the budget."""
    E, P = len(prob.decay), prob.n_periods
    caps = np.full((E, P), float(budget))
    whole = np.flatnonzero(prob.per == -2)
    caps[prob.ent[whole]] = np.minimum(budget, prob.hi[whole] * prob.weight[whole])[:, None]
    return caps
