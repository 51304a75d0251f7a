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
from planner.base.names import is_creator
from planner.bounds.bounds import Bounds
from planner.curves.table import validate_curves
from planner.optimize.subproblem import Entities

__all__ = ["OBJECTIVES", "Problem", "prepare", "engagement_bonus", "network_totals",
           "objective_value", "has_network_bounds", "with_hire_limit"]

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


def prepare(curves: pd.DataFrame, budget: float, network_bounds, objective: str, margin: float,
             engagement_weight: float = 0.0):
    """Check a curve table, budget and bounds once and return ``(validated curves, Problem)``.

    Spends are rounded to cents (bounds inward), whole-unit rows' bounds to whole units.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1); it is not modified.
    budget : float
        Upper limit on total spend in dollars; rounded down to a cent. Each row's maximum is capped at it.
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
        The arrays every part of the search reads: rounded row bounds ``lo``/``hi``, network index and
        bounds (networks in order of first appearance), ``w``, ``c0`` and the engagement bonus.

    Raises
    ------
    InputError
        When the curve table, the budget, the objective or a bound cannot be used.
    InfeasibleError
        When the bounds cannot all hold within the budget; the message names the conflict.
    """
    if objective not in OBJECTIVES:
        raise InputError(f"Unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}.")
    if not np.isfinite(budget) or budget < 0:
        raise InputError(f"The budget must be zero or more, not {budget!r}.")
    if objective == "profit" and not (np.isfinite(margin) and margin > 0):
        raise InputError("The profit objective needs a margin above zero (e.g. 0.4 for 40 %).")
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
    net_lo, net_hi = Bounds.from_network_frame(network_bounds).network_arrays(networks)
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
    bonus = engagement_bonus(curves, engagement_weight)
    prob = Problem(Entities.from_curves(curves), lo, hi, float(budget), w, c0, net_idx, net_lo, net_hi,
                    tuple(networks), bonus, float(engagement_weight))
    return curves, prob


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


def with_hire_limit(prob: Problem, curves: pd.DataFrame, max_creators) -> Problem:
    """Return the problem with at most ``max_creators`` creators spending anything (unchanged when it cannot bind).

    Parameters
    ----------
    prob : Problem
        The prepared problem.
    curves : DataFrame
        The validated curve table ``prob`` was prepared from (its ``name`` column tells creators,
        ``Network/@handle``, from paid media).
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
    try:
        K = int(max_creators)
    except (TypeError, ValueError):
        raise InputError(f"The most creators to hire must be a whole number, not {max_creators!r}.") from None
    if K < 0 or K != max_creators:
        raise InputError(f"The most creators to hire must be a whole number of zero or more, not {max_creators!r}.")
    creator = is_creator(curves["name"])
    forced = creator & (prob.lo > 0)
    if forced.sum() > K:
        raise InfeasibleError(
            f"{int(forced.sum())} creators have a minimum spend, so all of them are hired, but at most {K} may be."
        )
    if (creator & (prob.hi > 0)).sum() <= K:
        return prob  # the limit cannot bind
    return replace(prob, max_hires=K, creator=creator, memo={})


