"""The optimizer's problem: a curve table, a budget and its bounds, checked once into arrays.

Problem (separable, one planning period)::

    maximise   sum_i  w * f_i(x_i) - (c0 - b_i) * x_i
    subject to sum_i x_i <= budget,
               lo_i <= x_i <= hi_i             (x_i a whole number of units where unit_cost is set)
               L_g <= sum_{i in g} x_i <= U_g   (network bounds)

with ``w = 1, c0 = 0`` for revenue and ``w = margin, c0 = 1`` for profit; ``b_i`` is the value of
the engagements a dollar of row ``i`` buys.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.base.errors import InfeasibleError, InputError
from planner.base.format import money
from planner.bounds.bounds import Bounds
from planner.curves.table import validate_curves
from planner.optimize.subproblem import Entities

__all__ = ["OBJECTIVES", "Problem", "base_problem", "at_budget", "check_budget", "engagement_bonus", "network_totals", "hired",
           "objective_value", "has_network_bounds", "hire_limit", "with_hire_limit"]

OBJECTIVES = ("revenue", "profit")


@dataclass(frozen=True)
class Problem:
    """A curve table, a budget and its bounds as arrays, checked once: what every part of the search reads."""

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


def engagement_bonus(curves: pd.DataFrame, engagement_weight: float):
    """Return each row's value of the engagements a dollar buys (0.0 when engagement is not valued).

    Parameters
    ----------
    curves : DataFrame
        The curve table; ``engagement_per_dollar`` (engagements one dollar of the row buys) is read
        when the weight is not zero, an empty or non-numeric cell counting as 0.
    engagement_weight : float
        Dollars one engagement is worth; 0 values nothing.

    Returns
    -------
    float or ndarray of float
        ``0.0`` when the weight is 0, else ``engagement_weight * engagement_per_dollar`` per row: dollars
        of value per dollar of spend.

    Raises
    ------
    InputError
        When the weight is negative or the curve table has no usable ``engagement_per_dollar``.
    """
    if not engagement_weight:
        return 0.0
    if not np.isfinite(engagement_weight) or engagement_weight < 0:
        raise InputError(f"The value of an engagement must be zero or more, not {engagement_weight!r}.")
    if "engagement_per_dollar" not in curves.columns:
        raise InputError("Valuing engagement needs an 'engagement_per_dollar' column in the curve table.")
    e = pd.to_numeric(curves["engagement_per_dollar"], errors="coerce").to_numpy(dtype=float)
    if (e[np.isfinite(e)] < 0).any():
        i = int(np.flatnonzero(np.isfinite(e) & (e < 0))[0])
        raise InputError(f"Row {i + 2} ({curves['name'].iloc[i]}): engagement_per_dollar is negative.")
    return float(engagement_weight) * np.nan_to_num(e, nan=0.0)


def base_problem(curves: pd.DataFrame, network_bounds, objective: str, margin: float,
                 engagement_weight: float = 0.0) -> tuple[pd.DataFrame, Problem]:
    """Check a curve table and the bounds that do not depend on the budget; return ``(curves, Problem)``.

    The problem has no budget yet (``budget`` is inf and ``hi`` the rows' maximums rounded down to
    cents): :func:`at_budget` gives it one.  Checked here, once: the curve table, the objective and
    margin, the engagement value, each network's bounds against its rows' minimums.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1); it is not modified.
    network_bounds : DataFrame or None
        ``network, min_spend, max_spend`` on each network's total spend (read by
        :meth:`~planner.bounds.bounds.Bounds.from_network_frame`); None for no network bound.
    objective : {"revenue", "profit"}
        Revenue (``w = 1, c0 = 0``) or profit (``w = margin, c0 = 1``).
    margin : float
        Contribution margin; read only for the profit objective, where it must be above 0.
    engagement_weight : float, default 0.0
        Dollars one engagement is worth (:func:`engagement_bonus`).

    Returns
    -------
    curves : DataFrame
        The validated curve table, with ``unit_cost`` rounded to cents.
    problem : Problem
        Row minimums rounded up to cents, maximums down; network index and bounds (networks in order of
        first appearance), ``w``, ``c0`` and the engagement bonus.

    Raises
    ------
    InputError
        When the curve table, the objective, the margin or a bound cannot be used.
    InfeasibleError
        When a network's maximum is below its rows' minimums, or its minimum above what its rows can take.
    """
    if objective not in OBJECTIVES:
        raise InputError(f"Unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}.")
    if objective == "profit" and not (np.isfinite(margin) and margin > 0):
        raise InputError("The profit objective needs a margin above zero (e.g. 0.4 for 40 %).")
    curves = validate_curves(curves)
    curves["unit_cost"] = np.round(curves["unit_cost"].to_numpy(dtype=float), 2)
    lo = np.ceil(curves["min_spend"].to_numpy(dtype=float) * 100 - 1e-6) / 100
    hi = np.floor(curves["max_spend"].to_numpy(dtype=float) * 100 + 1e-6) / 100
    codes, uniques = pd.factorize(curves["network"].to_numpy(dtype=object))
    networks, net_idx = [str(u) for u in uniques], np.asarray(codes)
    net_lo, net_hi = Bounds.from_network_frame(network_bounds).network_arrays(networks)
    # in whole cents, as the rows' bounds: a network minimum of a fraction of a cent is a cent (the programs' half-cent
    # tolerance had let a minimum of 0.4 cents read as none)
    net_lo = np.ceil(net_lo * 100 - 1e-6) / 100
    net_hi = np.floor(net_hi * 100 + 1e-6) / 100
    G = len(networks)
    lo_sum = np.bincount(net_idx, weights=lo, minlength=G)
    caps = np.bincount(net_idx, weights=curves["max_spend"].to_numpy(dtype=float), minlength=G)
    for g in np.flatnonzero(net_lo > caps + 1e-9):
        raise InfeasibleError(f"{networks[g]} must get at least {money(net_lo[g])} but its rows (paid media and "
                              f"creators) can take at most {money(caps[g])}.")
    for g in np.flatnonzero(net_hi < lo_sum - 1e-9):
        raise InfeasibleError(f"{networks[g]} may get at most {money(net_hi[g])} but the minimum spends of its rows "
                              f"add up to {money(lo_sum[g])}.")
    w, c0 = (1.0, 0.0) if objective == "revenue" else (float(margin), 1.0)
    bonus = engagement_bonus(curves, engagement_weight)
    prob = Problem(Entities.from_curves(curves), lo, hi, float("inf"), w, c0, net_idx, net_lo, net_hi,
                   tuple(networks), bonus, float(engagement_weight))
    return curves, prob


def check_budget(budget: float) -> None:
    """Refuse a budget that is not a number of zero or more.

    Parameters
    ----------
    budget : float
        Dollars.

    Raises
    ------
    InputError
        When the budget is negative or not finite.
    """
    if not np.isfinite(budget) or budget < 0:
        raise InputError(f"The budget must be zero or more, not {budget!r}.")


def at_budget(base: Problem, budget: float, names) -> Problem:
    """Return the problem of :func:`base_problem` at a budget: row bounds rounded to it, the budget's checks.

    Spends are rounded to cents (bounds inward), whole-unit rows' bounds to whole units; each row's
    maximum is capped at the budget.

    Parameters
    ----------
    base : Problem
        The problem without a budget (:func:`base_problem`).
    budget : float
        Upper limit on total spend in dollars; rounded down to a cent.
    names : sequence of str
        The rows' names, for messages.

    Returns
    -------
    Problem
        A copy with ``budget``, ``lo``, ``hi`` and a fresh memo; the curve arrays are shared.

    Raises
    ------
    InputError
        When the budget is not a number of zero or more.
    InfeasibleError
        When the bounds cannot all hold within the budget; the message names the conflict.
    """
    check_budget(budget)
    budget = float(np.floor(budget * 100 + 1e-6) / 100)
    lo = base.lo
    hi = np.minimum(base.hi, budget)
    unit = base.ent.unit
    units = np.isfinite(unit)
    if units.any():
        u = np.where(units, unit, 1.0)
        n_lo, n_hi = np.ceil(lo / u - 1e-9), np.floor(hi / u + 1e-9)
        bad = np.flatnonzero(units & (n_lo > n_hi))
        if len(bad) and not lo[bad[0]] > budget:  # a minimum above the budget is reported below
            i = bad[0]
            raise InfeasibleError(
                f"{names[i]} is booked in whole units of {money(unit[i])}, but its bounds "
                f"{money(lo[i])} to {money(base.hi[i])} allow no whole number of units"
                f"{' within the budget' if hi[i] < base.hi[i] else ''}."
            )
        lo = np.where(units, n_lo * u, lo)
        hi = np.where(units, n_hi * u, hi)
    if lo.sum() > budget + 1e-9:
        raise InfeasibleError(f"The minimum spends add up to {money(lo.sum())} but the budget is {money(budget)}.")
    over = np.flatnonzero(lo > hi + 1e-9)
    if len(over):
        i = over[0]
        if lo[i] > budget:
            raise InfeasibleError(f"{names[i]} must get at least {money(lo[i])} but the budget is {money(budget)}.")
        raise InfeasibleError(f"{names[i]} must get at least {money(lo[i])} but at most {money(hi[i])}.")
    prob = replace(base, lo=lo, hi=hi, budget=budget, memo={})
    if has_network_bounds(prob):
        G = len(prob.networks)
        # in whole cents, as every plan is: a minimum of $35,458.4557 takes $35,458.46
        least = np.maximum(prob.net_lo, np.bincount(prob.net_idx, weights=lo, minlength=G))
        need_c = np.ceil(least * 100 - 1e-6).sum()
        if need_c > np.floor(budget * 100 + 1e-6):
            c = need_c / 100 - least.sum() > 1e-9
            raise InfeasibleError(f"The network minimums add up to {money(need_c / 100, cents=c)}"
                                  f"{' in whole cents' if c else ''} but the budget is {money(budget, cents=c)}.")
        can = np.bincount(prob.net_idx, weights=hi, minlength=G)
        for g in np.flatnonzero(prob.net_lo > can + 1e-9):
            raise InfeasibleError(f"{prob.networks[g]} must get at least {money(prob.net_lo[g])} but its rows (paid "
                                  f"media and creators) can take at most {money(can[g])} within the budget.")
    return prob


def network_totals(prob: Problem, x: np.ndarray) -> np.ndarray:
    """Return each network's total of the per-row amounts ``x``.

    Parameters
    ----------
    prob : Problem
        The problem, for each row's network.
    x : ndarray of float
        One amount per row (spend, or a bound).

    Returns
    -------
    ndarray of float
        One total per network, in the order of ``prob.networks``.
    """
    return np.bincount(prob.net_idx, weights=x, minlength=len(prob.networks))


def objective_value(prob: Problem, x: np.ndarray) -> float:
    """Return the objective of plan ``x``: ``w`` x response minus the cost of spend, plus the engagements' value.

    Parameters
    ----------
    prob : Problem
        The problem (``w``, ``c0`` and the engagement bonus).
    x : ndarray of float
        Spend per row in dollars.

    Returns
    -------
    float
        ``sum(w * f(x) - (c0 - bonus) * x)``: revenue, or profit, plus the engagements' value, in dollars.
    """
    return float(prob.w * prob.ent.value(x).sum() - ((prob.c0 - prob.bonus) * x).sum())


def has_network_bounds(prob) -> bool:
    """Whether any network has a minimum or a maximum (planner.optimize.core does not take them).

    Parameters
    ----------
    prob : Problem
        The prepared problem.

    Returns
    -------
    bool
        True when some network minimum is above 0 or some network maximum is finite.
    """
    return bool(np.any(prob.net_lo > 0) or np.any(np.isfinite(prob.net_hi)))


def hired(prob, x) -> int:
    """Return how many creator rows spend anything in ``x`` (spends, or bounds: at most that many can spend).

    Parameters
    ----------
    prob : Problem
        The prepared problem (``creator``).
    x : ndarray of float
        Spend (or a bound on it) per row in dollars.

    Returns
    -------
    int
        The creators with ``x > 0``.
    """
    return int((prob.creator & (x > 0)).sum())


def hire_limit(max_creators) -> int:
    """Return the most creators to hire as an int.

    Parameters
    ----------
    max_creators : int
        The most creators that may have any spend.

    Returns
    -------
    int

    Raises
    ------
    InputError
        When ``max_creators`` is not a whole number of zero or more.
    """
    try:
        K = int(max_creators)
    except (TypeError, ValueError):
        raise InputError(f"The most creators to hire must be a whole number, not {max_creators!r}.") from None
    if K < 0 or K != max_creators:
        raise InputError(f"The most creators to hire must be a whole number of zero or more, not {max_creators!r}.")
    return K


def with_hire_limit(prob: Problem, creator: np.ndarray, max_creators) -> Problem:
    """Return the problem with at most ``max_creators`` creators spending anything (unchanged when it cannot bind).

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    creator : ndarray of bool
        Which rows are creators (named ``Network/@handle``), not paid media (:func:`~planner.base.names.is_creator`).
    max_creators : int
        The most creators that may have any spend.

    Returns
    -------
    Problem
        ``prob`` itself when at most ``max_creators`` creators can spend anything; else a copy with
        ``max_hires``, ``creator`` set and a fresh memo.

    Raises
    ------
    InputError
        When ``max_creators`` is not a whole number of zero or more.
    InfeasibleError
        When more than ``max_creators`` creators have a minimum spend above 0.
    """
    K = hire_limit(max_creators)
    forced = creator & (prob.lo > 0)
    if forced.sum() > K:
        raise InfeasibleError(
            f"{int(forced.sum())} creators have a minimum spend, so all of them are hired, but at most {K} may be."
        )
    if (creator & (prob.hi > 0)).sum() <= K:
        return prob  # the limit cannot bind
    need, short, n_short = _hires_for_minimums(prob, creator)
    if need > K:
        raise InfeasibleError(
            f"Meeting every network's minimum takes at least {need} creators ({short} alone needs {n_short} of its "
            f"creators), but at most {K} may be hired. Raise the most creators to hire or lower a minimum."
        )
    return replace(prob, max_hires=K, creator=creator, memo={})


def _hires_for_minimums(prob: Problem, creator: np.ndarray) -> tuple[int, str, int]:
    """Return the fewest creators any plan must hire to meet the network minimums, the network needing most, its count.

    In each network the paid media take the most they may first; its creators then need as many hires as it
    takes, those who may take most first, to reach the minimum (and every creator with a minimum is hired anyway).
    """
    total, most, name = 0, -1, ""
    for g, net in enumerate(prob.networks):
        rows = prob.net_idx == g
        hires = rows & creator
        need = prob.net_lo[g] - prob.hi[rows & ~creator].sum()
        caps = np.sort(prob.hi[hires])[::-1]
        n = int(np.searchsorted(np.cumsum(caps), need - 1e-9)) + 1 if need > 1e-9 else 0
        n = max(n, int((hires & (prob.lo > 0)).sum()))
        total += n
        if n > most:
            most, name = n, net
    return total, name, most
