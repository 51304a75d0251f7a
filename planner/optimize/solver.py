"""Budget allocation: the global optimum across networks and creators.

Problem (separable, one planning period)::

    maximise   sum_i  w * f_i(x_i) - c0 * x_i
    subject to sum_i x_i <= budget,
               lo_i <= x_i <= hi_i             (x_i a whole number of units where unit_cost is set)
               L_g <= sum_{i in g} x_i <= U_g   (network bounds)

with ``w = 1, c0 = 0`` for revenue and ``w = margin, c0 = 1`` for profit.

Method: Lagrangian relaxation with a price of spend per network, solved by
bisection; each entity's subproblem is solved exactly (planner.optimize.subproblem), S-shaped
curves and whole units included.  The dual value is a proven upper bound on the
optimum; where the relaxed solution is not feasible (an S-curve or a whole-unit
entity in the middle of a jump) a best-first branch and bound on that entity's
domain closes the gap to a tolerance.  The result is rounded to whole cents with
every bound and the budget held exactly.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.base.format import money
from planner.curves.intervals import band_columns, row_bands, total_band
from planner.curves.table import is_creator, validate_curves
from planner.optimize.core import solve_core
from planner.optimize.subproblem import Entities, best_response
from planner.optimize.sweep import concave_many

__all__ = ["Allocation", "InfeasibleError", "optimize", "frontier", "breakeven_budget", "OBJECTIVES"]

OBJECTIVES = ("revenue", "profit")
_GAP_TOL = 1e-6  # relative optimality gap at which branch and bound stops
_MAX_NODES = 2000
_TIME_LIMIT = 3.0  # seconds of branch and bound before the best plan found is returned with its proven gap


class InfeasibleError(ValueError):
    """The bounds and the budget cannot all hold; the message names the conflict."""


@dataclass(frozen=True)
class Allocation:
    """The optimal plan and what it says (see docs/architecture.md)."""

    table: pd.DataFrame
    network_table: pd.DataFrame
    budget: float
    objective: str
    margin: float
    total_spend: float
    total_response: float
    total_current_spend: float
    total_current_response: float
    upper_bound: float
    gap: float
    budget_value: float
    response_p10: float = float("nan")
    response_p90: float = float("nan")
    message: str = ""
    extra: dict = field(default_factory=dict, compare=False)
    response_p50: float = float("nan")

    @property
    def objective_value(self) -> float:
        if self.objective == "profit":
            return self.margin * self.total_response - self.total_spend
        return self.total_response


@dataclass(frozen=True)
class _Problem:
    ent: Entities
    lo: np.ndarray
    hi: np.ndarray
    budget: float
    w: float
    c0: float
    net_idx: np.ndarray  # network index per entity
    net_lo: np.ndarray
    net_hi: np.ndarray
    networks: tuple
    bonus: np.ndarray | float = 0.0  # per-row value of a dollar beyond revenue (engagement weight x engagements per $)
    engagement_weight: float = 0.0
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # spends by price within one relaxation
    max_hires: int | None = None  # most creators with any spend (None: no limit)
    creator: np.ndarray | None = None  # rows that count as creators
    mu: float = 0.0  # price of a hire in the Lagrangian (with max_hires)


# ----------------------------------------------------------------------------- input


def _network_bounds(network_bounds, networks: list[str]) -> tuple[np.ndarray, np.ndarray]:
    lo = np.zeros(len(networks))
    hi = np.full(len(networks), np.inf)
    if network_bounds is None or len(network_bounds) == 0:
        return lo, hi
    nb = network_bounds.copy()
    nb.columns = [str(c).strip().lower() for c in nb.columns]
    if "network" not in nb.columns:
        raise InfeasibleError("The network bounds need a 'network' column.")
    lookup = {n.lower(): i for i, n in enumerate(networks)}
    for r, row in enumerate(nb.to_dict("records"), start=2):
        name = str(row["network"]).strip()
        if name.lower() not in lookup:
            raise InfeasibleError(
                f"Network bounds row {r} names '{name}', which is not a network of the curve table "
                f"({', '.join(networks)})."
            )
        i = lookup[name.lower()]
        for col, arr in (("min_spend", lo), ("max_spend", hi)):
            v = pd.to_numeric(pd.Series([row.get(col)]), errors="coerce").iloc[0]
            if pd.notna(v):
                if v < 0:
                    raise InfeasibleError(f"Network bounds row {r}, column '{col}': {name} has a negative bound.")
                arr[i] = float(v)
        if lo[i] > hi[i]:
            raise InfeasibleError(
                f"Network bounds row {r}: {name}'s minimum {money(lo[i])} is above its maximum {money(hi[i])}."
            )
    return lo, hi


def _engagement_bonus(curves: pd.DataFrame, engagement_weight: float):
    if not engagement_weight:
        return 0.0
    if not np.isfinite(engagement_weight) or engagement_weight < 0:
        raise InfeasibleError(f"The value of an engagement must be zero or more, not {engagement_weight!r}.")
    if "engagement_per_dollar" not in curves.columns:
        raise InfeasibleError("Valuing engagement needs an 'engagement_per_dollar' column in the curve table.")
    e = pd.to_numeric(curves["engagement_per_dollar"], errors="coerce").to_numpy(dtype=float)
    if (e[np.isfinite(e)] < 0).any():
        i = int(np.flatnonzero(np.isfinite(e) & (e < 0))[0])
        raise InfeasibleError(f"Row {i + 2} ({curves['name'].iloc[i]}): engagement_per_dollar is negative.")
    return float(engagement_weight) * np.nan_to_num(e, nan=0.0)


def _prepare(curves: pd.DataFrame, budget: float, network_bounds, objective: str, margin: float,
             engagement_weight: float = 0.0):
    if objective not in OBJECTIVES:
        raise ValueError(f"Unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}.")
    if not np.isfinite(budget) or budget < 0:
        raise InfeasibleError(f"The budget must be zero or more, not {budget!r}.")
    if objective == "profit" and not (np.isfinite(margin) and margin > 0):
        raise InfeasibleError("The profit objective needs a margin above zero (e.g. 0.4 for 40 %).")
    curves = validate_curves(curves)
    budget = np.floor(budget * 100 + 1e-6) / 100
    unit = np.round(curves["unit_cost"].to_numpy(dtype=float), 2)
    curves["unit_cost"] = unit
    lo = np.ceil(curves["min_spend"].to_numpy(dtype=float) * 100 - 1e-6) / 100
    hi = np.minimum(curves["max_spend"].to_numpy(dtype=float), budget)
    hi = np.floor(hi * 100 + 1e-6) / 100
    units = np.isfinite(unit)
    names = curves["name"].to_numpy()
    for i in np.flatnonzero(units):
        n_lo, n_hi = np.ceil(lo[i] / unit[i] - 1e-9), np.floor(hi[i] / unit[i] + 1e-9)
        if n_lo > n_hi:
            if lo[i] > budget:
                break  # reported below as minimums above the budget
            raise InfeasibleError(
                f"{names[i]} is booked in whole units of {money(unit[i])}, but its bounds "
                f"{money(lo[i])} to {money(curves['max_spend'].iloc[i])} allow no whole number of units"
                f"{' within the budget' if hi[i] < curves['max_spend'].iloc[i] else ''}."
            )
        lo[i], hi[i] = n_lo * unit[i], n_hi * unit[i]
    if lo.sum() > budget + 1e-9:
        raise InfeasibleError(f"The minimum spends add up to {money(lo.sum())} but the budget is {money(budget)}.")
    over = np.flatnonzero(lo > hi + 1e-9)
    if len(over):
        i = over[0]
        raise InfeasibleError(f"{names[i]} must get at least {money(lo[i])} but the budget is {money(budget)}.")
    codes, uniques = pd.factorize(curves["network"].to_numpy(dtype=object))
    networks, net_idx = [str(u) for u in uniques], np.asarray(codes)
    net_lo, net_hi = _network_bounds(network_bounds, networks)
    need = sum(max(net_lo[g], lo[net_idx == g].sum()) for g in range(len(networks)))
    if need > budget + 1e-9:
        raise InfeasibleError(f"The network minimums add up to {money(need)} but the budget is {money(budget)}.")
    caps = curves["max_spend"].to_numpy(dtype=float)
    for g, net in enumerate(networks):
        m = net_idx == g
        can = min(caps[m].sum(), hi[m].sum())
        if net_lo[g] > can + 1e-9:
            raise InfeasibleError(
                f"{net} must get at least {money(net_lo[g])} but its rows (paid media and creators) can take at "
                f"most {money(can)}."
            )
        if net_hi[g] < lo[m].sum() - 1e-9:
            raise InfeasibleError(
                f"{net} may get at most {money(net_hi[g])} but the minimum spends of its rows add up to "
                f"{money(lo[m].sum())}."
            )
    w, c0 = (1.0, 0.0) if objective == "revenue" else (float(margin), 1.0)
    bonus = _engagement_bonus(curves, engagement_weight)
    prob = _Problem(Entities.from_curves(curves), lo, hi, float(budget), w, c0, net_idx, net_lo, net_hi,
                    tuple(networks), bonus, float(engagement_weight))
    return curves, prob


# ----------------------------------------------------------------------------- relaxation


def _spend(prob: _Problem, lam_ent: np.ndarray, lo, hi) -> np.ndarray:
    lam_ent = np.asarray(lam_ent, dtype=float)
    key = (id(lo), id(hi), float(lam_ent.flat[0]) if np.all(lam_ent == lam_ent.flat[0]) else lam_ent.tobytes())
    x = prob.memo.get(key)
    if x is None:
        if len(prob.memo) > 64:
            prob.memo.clear()
        fixed = prob.mu * prob.creator / prob.w if prob.max_hires is not None and prob.mu > 0 else None
        x = prob.memo[key] = best_response(prob.ent, (prob.c0 - prob.bonus + lam_ent) / prob.w, lo, hi, fixed)
    return x


def _net_sum(prob: _Problem, x: np.ndarray) -> np.ndarray:
    return np.bincount(prob.net_idx, weights=x, minlength=len(prob.networks))


def _bisect(f, lo: np.ndarray, hi: np.ndarray, want_le: np.ndarray, active: np.ndarray, iters: int = 200):
    """Vectorised bisection of non-increasing spend functions over a price.

    Returns (a, b) with f(b) <= target (``want_le`` True) and f(a) > target.
    """
    a, b = lo.copy(), hi.copy()
    for _ in range(iters):
        if not active.any():
            break
        mid = np.where(b > 4 * np.maximum(a, 1e-12), np.sqrt(np.maximum(a, 1e-12)) * np.sqrt(b), 0.5 * (a + b))
        ok = f(mid)
        a = np.where(active & ~ok, mid, a)
        b = np.where(active & ok, mid, b)
        active = active & (b - a > 1e-11 * b)
    return a, b


def _price_bracket(total, target: float, hint: float | None = None) -> tuple[float, float]:
    """Prices ``(a, b)`` with ``total(a) > target >= total(b)`` and ``a``, ``b`` adjacent.

    ``total`` is the spend at a price (non-increasing, with jumps where a row's choice
    jumps).  Anderson-Bjorck false position in log-price, with a bisection whenever
    the bracket stops halving: a few evaluations where the spend is smooth, a
    guaranteed bracket where it jumps.
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


def _network_prices(prob: _Problem, lam: float, lo, hi):
    """Per-network prices (low side, high side) that clamp each network into its bounds at ``lam``."""
    G = len(prob.networks)
    lam_g = np.full(G, lam)
    x = _spend(prob, lam_g[prob.net_idx], lo, hi)
    s = _net_sum(prob, x)
    over = s > prob.net_hi + 1e-9
    under = s < prob.net_lo - 1e-9
    lam_a, lam_b = lam_g.copy(), lam_g.copy()
    if over.any():  # raise the price until the network fits under its maximum
        top = lam * 2 + 1.0
        while True:
            ss = _net_sum(prob, _spend(prob, np.full(G, top)[prob.net_idx], lo, hi))
            if np.all(ss[over] <= prob.net_hi[over] + 1e-9) or top > 1e18:
                break
            top *= 16
        def f_over(mid):
            xs = _spend(prob, np.where(over, mid, lam)[prob.net_idx], lo, hi)
            return _net_sum(prob, xs) <= prob.net_hi + 1e-9
        a, b = _bisect(f_over, np.full(G, lam), np.full(G, top), over, over.copy())
        lam_a, lam_b = np.where(over, a, lam_a), np.where(over, b, lam_b)
    if under.any():  # lower the price (to "spend everything") until the network reaches its minimum
        a, b = np.full(G, -prob.c0 - 1.0), np.full(G, lam)  # a: spend >= minimum; b: short of it
        act = under.copy()
        for _ in range(200):
            if not act.any():
                break
            mid = 0.5 * (a + b)
            xs = _spend(prob, np.where(under, mid, lam)[prob.net_idx], lo, hi)
            short = _net_sum(prob, xs) < prob.net_lo - 1e-9
            b = np.where(act & short, mid, b)
            a = np.where(act & ~short, mid, a)
            act = act & (b - a > 1e-11 * max(1.0, abs(lam)))
        lam_a, lam_b = np.where(under, a, lam_a), np.where(under, b, lam_b)
    return lam_a, lam_b


def _clamped_total(prob: _Problem, lam: float, lo, hi) -> float:
    x = _spend(prob, np.full(len(prob.ent), lam), lo, hi)
    s = _net_sum(prob, x)
    return float(np.clip(s, prob.net_lo, prob.net_hi).sum())


def _dual(prob: _Problem, lam: float, lam_g: np.ndarray, lo, hi) -> float:
    lam_e = lam_g[prob.net_idx]
    x = _spend(prob, lam_e, lo, hi)
    val = prob.w * prob.ent.value(x) - (prob.c0 - prob.bonus + lam_e) * x
    up = np.where(lam_g > lam, (lam_g - lam) * np.where(np.isfinite(prob.net_hi), prob.net_hi, 0.0), 0.0)
    down = np.where(lam_g < lam, (lam - lam_g) * prob.net_lo, 0.0)
    hires = 0.0
    if prob.max_hires is not None:  # the price of a hire: paid by each hired creator, earned on the limit
        hires = prob.mu * (prob.max_hires - float((prob.creator & (x > 0)).sum()))
    return float(val.sum() + lam * prob.budget + up.sum() - down.sum() + hires)


@dataclass
class _Relaxed:
    bound: float
    x: np.ndarray  # a primal point (feasible up to whole units of jump entities)
    lam: float
    lam_g: np.ndarray
    jump: np.ndarray  # entities whose relaxed spend is on a jump (not a point of the curve's own optimum)
    mid_jump: np.ndarray  # jump entities strictly between the two sides of their jump
    low_side: np.ndarray  # each entity's spend on the low and the high side of the price
    high_side: np.ndarray


def _relax(prob: _Problem, lo: np.ndarray, hi: np.ndarray, hint: float | None = None) -> _Relaxed:
    """Solve the Lagrangian dual over the domain [lo, hi]; return a bound and a primal point.

    ``hint`` (the parent node's price) narrows the first bracket of the bisection.
    """
    prob.memo.clear()  # keys hold ids of lo/hi: valid within one relaxation
    lam_a, lam_b = _price_bracket(lambda l: _clamped_total(prob, l, lo, hi), prob.budget + 1e-9, hint)
    ga_a, _ = _network_prices(prob, lam_a, lo, hi)  # low prices: spend at or above the targets
    _, gb_b = _network_prices(prob, lam_b, lo, hi)  # high prices: spend at or below them
    xa = _spend(prob, ga_a[prob.net_idx], lo, hi)
    xb = _spend(prob, gb_b[prob.net_idx], lo, hi)
    bound = min(_dual(prob, lam_a, ga_a, lo, hi), _dual(prob, lam_b, gb_b, lo, hi))
    x, jump = _blend(prob, xa, xb, lo, hi, lam_b)
    lo_side, hi_side = np.minimum(xa, xb), np.maximum(xa, xb)
    tol = 1e-6 * (1.0 + hi_side)
    mid_jump = jump & (x > lo_side + tol) & (x < hi_side - tol)
    return _Relaxed(bound, x, lam_b, gb_b, jump, mid_jump, lo_side, hi_side)


def _blend(prob: _Problem, xa, xb, lo, hi, lam):
    """A primal point between the two sides of the dual solution that meets every bound."""
    lo_side, hi_side = np.minimum(xa, xb), np.maximum(xa, xb)
    diff = hi_side - lo_side
    tol = 1e-6 * (1.0 + hi_side)
    jump = diff > tol
    x = lo_side.copy()
    s_net = _net_sum(prob, x)
    # network targets: at least the minimum, the remaining budget shared by the relaxation
    want_net = np.clip(_net_sum(prob, hi_side), prob.net_lo, prob.net_hi)
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


# ----------------------------------------------------------------------------- integrality and cents


def _objective(prob: _Problem, x: np.ndarray) -> float:
    return float(prob.w * prob.ent.value(x).sum() - ((prob.c0 - prob.bonus) * x).sum())


def _to_cents(prob: _Problem, x: np.ndarray, lo, hi) -> np.ndarray | None:
    """Round a point to whole cents (and whole units) so every bound and the budget hold exactly."""
    units = np.isfinite(prob.ent.unit)
    c_unit = np.where(units, np.round(prob.ent.unit * 100), 1).astype(np.int64)
    lo_c = np.round(lo * 100).astype(np.int64)
    hi_c = np.round(hi * 100).astype(np.int64)
    xc = np.floor(x * 100 + 1e-6).astype(np.int64)
    xc = np.where(units, (xc // c_unit) * c_unit, xc)
    xc = np.clip(xc, lo_c, hi_c)
    budget_c = int(np.floor(prob.budget * 100 + 1e-6))
    net_lo_c = np.ceil(prob.net_lo * 100 - 1e-6)
    net_hi_c = np.where(np.isfinite(prob.net_hi), np.floor(prob.net_hi * 100 + 1e-6), np.inf)
    marg = prob.ent.derivative(xc / 100.0)
    cont = ~units

    def add_to(idx, amount):
        # whole cents to continuous entities with room, highest marginal return first
        order = idx[np.argsort(-marg[idx])]
        if not np.isfinite(net_hi_c).any():  # no network cap: one cumulative sum
            room = np.maximum(hi_c[order] - xc[order], 0)
            before = np.cumsum(room) - room
            take = np.clip(amount - before, 0, room).astype(np.int64)
            xc[order] += take
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

    net_total = np.bincount(prob.net_idx, weights=xc, minlength=len(prob.networks)).astype(float)
    for g in np.flatnonzero(net_total < net_lo_c):
        left = add_to(np.flatnonzero(cont & (prob.net_idx == g)), int(net_lo_c[g] - net_total[g]))
        if left > 0:
            return None
    spare = budget_c - int(xc.sum())
    if spare < 0:
        return None
    cont_idx = np.flatnonzero(cont)
    # first give back what flooring to cents took, then (revenue only) any spare budget
    lost = np.clip(np.ceil(x * 100 - 1e-6).astype(np.int64) - xc, 0, None)
    cap_hi = hi_c.copy()
    hi_c = np.minimum(hi_c, xc + lost)
    spare = add_to(cont_idx, spare)
    hi_c = cap_hi
    if spare > 0 and prob.c0 == 0:
        add_to(cont_idx, spare)
    _polish_cents(prob, xc, lo_c, hi_c, net_lo_c, net_hi_c, cont)
    return xc / 100.0


def _polish_cents(prob: _Problem, xc, lo_c, hi_c, net_lo_c, net_hi_c, cont, rounds: int = 200) -> None:
    """Move single cents from the row that loses least to the row that gains most, while it pays.

    Above 512 rows only the 128 rows that gain most from a cent and the 128 that lose least
    from giving one take part, for 16 moves at most (a cent there is worth next to nothing).
    """
    ent, c = prob.ent, 0.01
    x = xc / 100.0
    v = ent.value(x)
    up = ent.value(x + c) - v
    dn = v - ent.value(np.maximum(x - c, 0.0))
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
    net = prob.net_idx[pool]
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
        vs = ent.value_at(pool[idx], xs)
        up[idx] = ent.value_at(pool[idx], xs + c) - vs
        dn[idx] = vs - ent.value_at(pool[idx], np.maximum(xs - c, 0.0))
    xc[pool] = sub


# ----------------------------------------------------------------------------- search


def _can_meet(prob: _Problem, lo: np.ndarray, hi: np.ndarray) -> bool:
    """Whether some plan within [lo, hi] may meet every network's bounds, the budget and the hire limit."""
    s_lo, s_hi = _net_sum(prob, lo), _net_sum(prob, hi)
    tol = 1e-9 * (1.0 + prob.budget)
    if prob.max_hires is not None and int((prob.creator & (lo > 0)).sum()) > prob.max_hires:
        return False
    return bool(np.all(s_hi >= prob.net_lo - tol) and np.all(s_lo <= prob.net_hi + tol)
                and np.maximum(s_lo, prob.net_lo).sum() <= prob.budget + tol)


def _hires_ok(prob: _Problem, x) -> bool:
    return prob.max_hires is None or int((prob.creator & (x > 0)).sum()) <= prob.max_hires


def _solve(prob: _Problem, time_limit: float = _TIME_LIMIT, incumbent=None):
    """Best-first branch and bound; returns (plan, value, proven upper bound, root relaxation, counts).

    ``incumbent``: a plan ``(x, value)`` known to meet every constraint, or None.
    """
    best_x, best_v = incumbent if incumbent is not None else (None, -np.inf)
    start = time.perf_counter()
    root = _relax(prob, prob.lo, prob.hi)
    heap = [(-root.bound, 0, prob.lo, prob.hi, root)]
    closed = -np.inf  # highest bound among nodes closed without branching
    counter, nodes = 1, 0

    def settled(bound):
        return best_x is not None and bound - best_v <= _GAP_TOL * max(1.0, abs(best_v))

    use_core = bool(np.isfinite(prob.ent.unit).any())
    nb_set = _network_bounds_set(prob)
    core_nodes = 0
    while heap and nodes < _MAX_NODES and (nodes == 0 or time.perf_counter() - start < time_limit):
        if settled(-heap[0][0]):
            break
        _, _, lo, hi, rel = heapq.heappop(heap)
        nodes += 1
        cand = _to_cents(prob, rel.x, lo, hi)
        if cand is not None and _hires_ok(prob, cand):
            v = _objective(prob, cand)
            if v > best_v:
                best_x, best_v = cand, v
        split = None if settled(rel.bound) else _branch(prob, rel, lo, hi)
        # the bound is loose only because of the hire limit; or, with network bounds (which planner.optimize.core
        # does not take), the relaxed plan hires too many or cannot be rounded: decide creators first
        hire_gap = prob.max_hires is not None and not settled(rel.bound) and (
            split is None or (nb_set and (cand is None or not _hires_ok(prob, rel.x))))
        if hire_gap:
            split = _branch_hire(prob, rel.x, lo, hi) or split
        if (split is not None or hire_gap) and use_core:
            # whole units: reduced-cost fixing and a dynamic program over the core solve the node
            core = solve_core(prob, rel.lam, best_x, best_v, start + time_limit, lo, hi)
            if core is not None:
                x, v, node_bound, _info = core
                if v > best_v:
                    best_x, best_v = x, v
                if settled(node_bound):
                    closed = max(closed, min(node_bound, rel.bound))
                    core_nodes += 1
                    continue
        children = _split(prob, *split, lo, hi) if split else []
        if not children:
            closed = max(closed, rel.bound)
            continue
        for clo, chi in children:
            if not _can_meet(prob, clo, chi):
                continue  # no plan in this part of the domain meets the network bounds and the budget
            child = _relax(prob, clo, chi, hint=rel.lam)
            if settled(child.bound):
                closed = max(closed, child.bound)
            else:
                heapq.heappush(heap, (-child.bound, counter, clo, chi, child))
                counter += 1
    open_bound = -heap[0][0] if heap else -np.inf
    bound = max(best_v, closed, open_bound)
    return best_x, best_v, bound, root, {"nodes": nodes, "core_nodes": core_nodes}


def _branch(prob: _Problem, rel: _Relaxed, lo, hi):
    """Where to split the domain: ``(row, left_hi, right_lo)``, or None when the node is resolved.

    In order: a whole-unit row at a fraction of a unit; a whole-unit row inside its jump;
    an S-curve row on its chord; any row at one end of a jump (the relaxation chose an end
    that another solution may not).
    """
    x = rel.x
    units = np.isfinite(prob.ent.unit)
    c = np.where(units, prob.ent.unit, 1.0)
    n = x / c
    frac = np.abs(n - np.round(n))
    cand = np.flatnonzero(units & (frac > 1e-6))
    if len(cand):
        j = int(cand[np.argmax(frac[cand] * prob.ent.beta[cand])])
        return j, np.floor(n[j]) * c[j], np.ceil(n[j]) * c[j]
    cand = np.flatnonzero(units & rel.mid_jump)
    if len(cand):
        j = int(cand[np.argmax(prob.ent.beta[cand])])
        return j, x[j], x[j] + c[j]
    inside = (x > lo + 1e-6) & (x < hi - 1e-6)
    cand = np.flatnonzero(rel.jump & ~units & inside)
    if len(cand):
        price = (prob.c0 - prob.bonus + rel.lam_g[prob.net_idx]) / prob.w
        xa = best_response(prob.ent, price, lo, hi)
        j = int(cand[np.argmax(np.abs(x[cand] - xa[cand]))])
        return j, x[j], x[j]
    cand = np.flatnonzero(rel.jump & (hi - lo > 1e-9))
    if len(cand):
        j = int(cand[np.argmax(rel.high_side[cand] - rel.low_side[cand])])
        if units[j]:
            at_low = abs(x[j] - rel.low_side[j]) <= abs(x[j] - rel.high_side[j])
            return (j, x[j], x[j] + c[j]) if at_low else (j, x[j] - c[j], x[j])
        mid = 0.5 * (rel.low_side[j] + rel.high_side[j])
        return j, mid, mid
    return None


def _branch_hire(prob: _Problem, x, lo, hi):
    """Split on a hired creator that may be dropped: not hired (spend 0) or hired (at least a unit or a cent)."""
    open_ = prob.creator & (lo <= 0) & (hi > 0)  # creators not yet decided
    step = np.where(np.isfinite(prob.ent.unit), prob.ent.unit, 0.01)
    short = _net_sum(prob, x) < prob.net_lo - 1e-6 * (1.0 + prob.net_lo)
    if short.any():  # a network below its minimum: decide one of its creators not hired yet
        cand = np.flatnonzero(open_ & short[prob.net_idx] & (x <= 0) & (step <= hi))
        if len(cand):
            j = int(cand[np.argmax(prob.ent.value_at(cand, step[cand]) / step[cand])])
            return j, 0.0, float(min(step[j], hi[j]))
    cand = np.flatnonzero(open_ & (x > 0))
    if len(cand):
        j = int(cand[np.argmin(prob.ent.value_at(cand, x[cand]))])  # the least valuable hire
    else:
        cand = np.flatnonzero(open_ & (step <= hi))
        if not len(cand):
            return None
        j = int(cand[np.argmax(prob.ent.value_at(cand, step[cand]) / step[cand])])  # the best one not hired
    return j, 0.0, float(min(step[j], hi[j]))


def _split(prob: _Problem, j: int, left_hi: float, right_lo: float, lo, hi):
    out = []
    if left_hi >= lo[j] - 1e-9 and left_hi < hi[j] - 1e-9:
        h = hi.copy()
        h[j] = left_hi
        out.append((lo, h))
    if right_lo <= hi[j] + 1e-9 and right_lo > lo[j] + 1e-9:
        l2 = lo.copy()
        l2[j] = right_lo
        out.append((l2, hi))
    return out


# ----------------------------------------------------------------------------- public API


def optimize(curves: pd.DataFrame, budget: float, network_bounds: pd.DataFrame | None = None,
             objective: str = "revenue", margin: float = 1.0, time_limit: float = _TIME_LIMIT,
             engagement_weight: float = 0.0, max_creators: int | None = None) -> Allocation:
    """The spend per row of ``curves`` that maximises the objective within the budget.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1).
    budget : float
        Upper limit on total spend (dollars; rounded down to a cent).
    network_bounds : DataFrame, optional
        Columns ``network, min_spend, max_spend`` on each network's total spend.
    objective : {"revenue", "profit"}
        ``profit`` maximises ``margin * revenue - spend`` and may leave budget unspent.
    margin : float
        Contribution margin for the profit objective.
    time_limit : float
        Seconds of branch and bound (whole units, S-curves) before the best plan found is
        returned with its proven gap (``Allocation.gap``; the message says so).
    max_creators : int, optional
        Hire at most this many creators (rows named ``Network/@handle``) with any spend;
        paid media does not count.  Solved exactly: a price per hire in the Lagrangian
        and a hire count in the core dynamic program (planner.optimize.core).  With network bounds
        the core does not apply: branch and bound decides creators one by one (first in a
        network short of its minimum) and may stop at ``time_limit`` with its proven gap.
    engagement_weight : float
        Dollars one engagement is worth to the brand: the objective becomes revenue (or
        profit) plus ``engagement_weight`` times the plan's engagements, which are
        ``engagement_per_dollar x spend`` per row (a column of the curve table, needed
        when the weight is above zero).  0 (the default) ignores engagement.

    Raises
    ------
    InfeasibleError
        When the bounds cannot all hold; the message names the conflict.
    """
    curves, prob = _prepare(curves, float(budget), network_bounds, objective, float(margin), float(engagement_weight))
    if max_creators is not None:
        prob = _with_hire_limit(prob, curves, max_creators)
    if prob.max_hires is not None:
        x, value, bound, root, nodes = _solve_hires(prob, time_limit)
    else:
        x, value, bound, root, nodes = _solve(prob, time_limit)
    if x is None:
        raise InfeasibleError("No plan meets every bound within the budget.")
    alloc = _allocation(curves, prob, x, value, bound, root.lam, nodes)
    alloc.extra["max_creators"] = None if max_creators is None else int(max_creators)
    return alloc


def _with_hire_limit(prob: _Problem, curves: pd.DataFrame, max_creators) -> _Problem:
    """The problem with at most ``max_creators`` creators spending anything (None when it cannot bind)."""
    try:
        K = int(max_creators)
    except (TypeError, ValueError):
        raise InfeasibleError(f"The most creators to hire must be a whole number, not {max_creators!r}.") from None
    if K < 0 or K != max_creators:
        raise InfeasibleError(f"The most creators to hire must be a whole number of zero or more, not {max_creators!r}.")
    creator = is_creator(curves["name"])
    forced = creator & (prob.lo > 0)
    if forced.sum() > K:
        raise InfeasibleError(
            f"{int(forced.sum())} creators have a minimum spend, so all of them are hired, but at most {K} may be."
        )
    if (creator & (prob.hi > 0)).sum() <= K:
        return prob  # the limit cannot bind
    return replace(prob, max_hires=K, creator=creator, memo={})


def _network_bounds_set(prob) -> bool:
    """Whether any network has a minimum or a maximum (planner.optimize.core does not take them)."""
    return bool(np.any(prob.net_lo > 0) or np.any(np.isfinite(prob.net_hi)))


def _solve_hires(prob: _Problem, time_limit: float):
    """At most ``prob.max_hires`` creators: a price per hire by bisection, then the core dynamic program.

    For a price ``mu`` of a hire the Lagrangian relaxation gives an upper bound (the hire
    limit earns ``mu`` per unused place); the price where the relaxed plan hires the
    limit gives the tightest, and a plan within the limit.  The core dynamic program
    (planner.optimize.core) then counts hires exactly.
    """
    start = time.perf_counter()
    K = prob.max_hires
    creator = prob.creator

    def at(mu):
        p = replace(prob, mu=float(mu), memo={})
        rel = _relax(p, p.lo, p.hi)
        return p, rel, int((creator & (rel.x > 0)).sum())

    p0, r0, n0 = at(0.0)
    best_p, best_rel = p0, r0
    feasible = (p0, r0) if n0 <= K else None
    if n0 > K:
        lo_mu, hi_mu = 0.0, float(prob.w * np.max(prob.ent.beta[creator], initial=1.0)) + 1.0
        p1, r1, n1 = at(hi_mu)
        feasible = (p1, r1)
        if r1.bound < best_rel.bound:
            best_p, best_rel = p1, r1
        for _ in range(40):
            mid = 0.5 * (lo_mu + hi_mu)
            pm, rm, nm = at(mid)
            if rm.bound < best_rel.bound:
                best_p, best_rel = pm, rm
            if nm > K:
                lo_mu = mid
            else:
                hi_mu, feasible = mid, (pm, rm)
            if hi_mu - lo_mu <= 1e-9 * max(1.0, hi_mu):
                break
    best_x, best_v = None, -np.inf
    fp, frel = feasible
    cand = _to_cents(fp, frel.x, fp.lo, fp.hi)
    if cand is not None and int((creator & (cand > 0)).sum()) <= K:
        best_x, best_v = cand, _objective(prob, cand)
    # branch and bound at that price: the core counts hires exactly in every node it solves
    left = max(0.0, time_limit - (time.perf_counter() - start))
    x, v, bound, _root, counts = _solve(best_p, left, (best_x, best_v) if best_x is not None else None)
    return x, v, min(bound, best_rel.bound) if x is not None else bound, best_rel, counts


def _allocation(curves, prob: _Problem, x, value, bound, lam, nodes) -> Allocation:
    ent = prob.ent
    resp = ent.value(x)
    marg = ent.derivative(x)
    cur = curves["current_spend"].to_numpy(dtype=float)
    cur_resp = np.where(np.isfinite(cur), ent.value(np.nan_to_num(cur)), np.nan)
    units = np.isfinite(ent.unit)
    binding = np.where(
        (prob.lo == prob.hi), "locked",
        np.where(x <= prob.lo + 0.005, np.where(prob.lo > 0, "min", "zero"),
                 np.where(x >= curves["max_spend"].to_numpy(dtype=float) - 0.005, "max", "")),
    )
    table = pd.DataFrame({
        "name": curves["name"], "network": curves["network"], "spend": np.round(x, 2), "response": resp,
        "roas": np.divide(resp, x, out=np.full(len(x), np.nan), where=x > 0), "marginal_return": marg,
        "current_spend": cur, "current_response": cur_resp, "change": np.round(x, 2) - cur,
        "min_spend": curves["min_spend"], "max_spend": curves["max_spend"], "unit_cost": curves["unit_cost"],
        "units": np.where(units, np.round(x / np.where(units, ent.unit, 1)), np.nan), "binding": binding,
    })
    obs = curves["observed_max"].to_numpy(dtype=float) if "observed_max" in curves else np.full(len(x), np.nan)
    table["observed_max"] = obs
    if "engagement_per_dollar" in curves.columns:
        epd = pd.to_numeric(curves["engagement_per_dollar"], errors="coerce").to_numpy(dtype=float)
        table["engagements"] = np.round(x, 2) * epd
    table["extrapolated"] = np.isfinite(obs) & (x > obs * 1.0001 + 0.005)
    p10 = p50 = p90 = float("nan")
    bands = row_bands(curves, resp)
    if bands is not None:
        table["response_p10"], table["response_p90"], band = bands
        p10, p50, p90 = band["p10"], band["p50"], band["p90"]
    G = len(prob.networks)

    def by_net(v, min_count=0):
        v = np.asarray(v, dtype=float)
        has = np.isfinite(v)
        tot = np.bincount(prob.net_idx, weights=np.where(has, v, 0.0), minlength=G)
        if min_count:
            tot = np.where(np.bincount(prob.net_idx, weights=has, minlength=G) > 0, tot, np.nan)
        return tot

    net = pd.DataFrame({
        "network": list(prob.networks), "spend": by_net(table["spend"]), "response": by_net(resp),
        "current_spend": by_net(cur, 1), "current_response": by_net(cur_resp, 1),
    })
    net["change"] = net["spend"] - net["current_spend"]
    net["roas"] = np.divide(net["response"], net["spend"], out=np.full(len(net), np.nan), where=net["spend"] > 0)
    net["min_spend"] = prob.net_lo
    net["max_spend"] = prob.net_hi
    total_spend = float(np.round(x.sum(), 2))
    gap = max(0.0, bound - value)
    return Allocation(
        table=table, network_table=net, budget=prob.budget, objective="revenue" if prob.c0 == 0 else "profit",
        margin=prob.w if prob.c0 else 1.0, total_spend=total_spend, total_response=float(resp.sum()),
        total_current_spend=float(np.nansum(cur)) if np.isfinite(cur).any() else float("nan"),
        total_current_response=float(np.nansum(cur_resp)) if np.isfinite(cur).any() else float("nan"),
        upper_bound=float(bound), gap=float(gap), budget_value=float(lam),
        response_p10=p10, response_p90=p90, response_p50=p50,
        message=_message(total_spend, prob.budget, gap, value, prob.c0 > 0),
        extra={**nodes, "engagement_weight": prob.engagement_weight, "max_creators": None,
               "creators_hired": int((is_creator(curves["name"]) & (x > 0)).sum()),
               "engagements": float(np.nansum(table["engagements"])) if "engagements" in table else float("nan")},
    )


def _message(spend, budget, gap, value, profit: bool):
    parts = []
    if spend < budget - 0.005:
        why = ("no row returns more than it costs beyond this point" if profit
               else "no row can take more within its bounds and whole units")
        parts.append(f"{money(budget - spend)} of the budget is left unspent: {why}.")
    rel = gap / max(1.0, abs(value))
    parts.append("Proven optimal." if rel <= 1e-6 else f"Within {rel:.2e} of the proven optimum.")
    return " ".join(parts)


def frontier(curves: pd.DataFrame, budgets, network_bounds=None, objective: str = "revenue",
             margin: float = 1.0) -> pd.DataFrame:
    """The optimum at each budget: columns budget, spend, response, marginal_return (+ P10/P90).

    When every row is continuous and concave on its domain and no network bound is set,
    all budgets are solved together (planner.optimize.sweep: one vectorised price search; spends
    not rounded to cents); otherwise one exact optimisation per budget.
    """
    fast = _frontier_concave(curves, np.asarray(budgets, dtype=float), network_bounds, objective, margin)
    if fast is not None:
        return fast
    rows = []
    for b in np.asarray(budgets, dtype=float):
        a = optimize(curves, float(b), network_bounds, objective, margin)
        rows.append({"budget": float(b), "spend": a.total_spend, "response": a.total_response,
                     "marginal_return": a.budget_value, "response_p10": a.response_p10,
                     "response_p90": a.response_p90})
    df = pd.DataFrame(rows)
    # the optimum can only grow with the budget; make float noise of the search respect that
    df["response"] = np.maximum.accumulate(df["response"].to_numpy())
    return df


def _frontier_concave(curves, budgets, network_bounds, objective, margin) -> pd.DataFrame | None:
    """The frontier of a concave, continuous problem in one sweep (None when it is not one)."""
    if network_bounds is not None and len(network_bounds) or len(budgets) == 0:
        return None
    if not np.all(np.isfinite(budgets)) or budgets.min() < 0 or objective not in OBJECTIVES:
        return None
    if objective == "profit" and not (np.isfinite(margin) and margin > 0):
        return None
    curves = validate_curves(curves)
    if curves["unit_cost"].notna().any():
        return None
    ent = Entities.from_curves(curves)
    lo = np.ceil(curves["min_spend"].to_numpy(dtype=float) * 100 - 1e-6) / 100
    if np.any(ent.infl > lo) or lo.sum() > budgets.min():
        return None  # S-curves below their inflection, or budgets below the minimums: one by one
    cap = curves["max_spend"].to_numpy(dtype=float)
    b = np.floor(budgets * 100 + 1e-6) / 100
    hi = np.minimum(cap[None, :], b[:, None])
    if np.any(hi < lo[None, :]):
        return None
    w, c0 = (1.0, 0.0) if objective == "revenue" else (float(margin), 1.0)
    X, lam = concave_many(ent, lo, hi, c0, w, b)
    resp = ent.value_grid(X)
    out = pd.DataFrame({"budget": budgets, "spend": X.sum(axis=1), "response": resp.sum(axis=1),
                        "marginal_return": lam})
    p10 = p90 = np.full(len(budgets), np.nan)
    if {"beta_p10", "beta_p90"} <= set(curves.columns):  # each budget's band as optimize() reports it
        cols = band_columns(curves)
        bands = [total_band(r, *cols) for r in resp]
        p10, p90 = np.array([b["p10"] for b in bands]), np.array([b["p90"] for b in bands])
    out["response_p10"], out["response_p90"] = p10, p90
    out["response"] = np.maximum.accumulate(out["response"].to_numpy())
    return out


def breakeven_budget(curves: pd.DataFrame, network_bounds=None) -> float:
    """Total spend at which the next dollar returns one dollar of revenue (unbounded budget)."""
    curves = validate_curves(curves)
    ent = Entities.from_curves(curves)
    lo = curves["min_spend"].to_numpy(dtype=float)
    cap = curves["max_spend"].to_numpy(dtype=float)
    hi = np.where(np.isfinite(cap), cap, 1e12)
    return float(best_response(ent, np.ones(len(ent)), lo, hi).sum())
