"""Revenue against engagement: the best plans as the value of one engagement grows.

Brands value the conversation as well as the conversion.  ``optimize(...,
engagement_weight=w)`` maximises revenue (or profit) plus ``w`` dollars per engagement,
where a row's engagements are ``engagement_per_dollar x spend`` (a column of the curve
table, planner.fit.engagement).  :func:`pareto_front` solves it for a range of ``w``: from
the revenue-only plan (``w = 0``) to nearly the plan with the most engagements.  Each
plan is the exact optimum of its weighted objective, so along the sweep revenue never
rises and engagements never fall, and no plan of the budget has both more revenue and
more engagements than a point of the front.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.curves.table import validate_curves
from planner.fit.engagement import COLUMN
from planner.optimize import Allocation, optimize, prepare

__all__ = ["ParetoFront", "pareto_front", "undominated", "N_POINTS"]

N_POINTS = 12  # points of the default sweep, the revenue-only plan included
_NEAR = 0.01  # the default sweep runs from within 1 % of the revenue-only plan's engagements ...
_STEP = 4.0  # ... to within 1 % of the most engagements a plan can have, probing weights 4x apart
_MAX_PROBES = 15

TABLE_COLUMNS = ["weight", "revenue", "engagements", "spend", "revenue_lost", "revenue_lost_pct",
                 "engagements_gained", "engagements_gained_pct", "revenue_per_engagement"]
PLAN_COLUMNS = ["weight", "name", "network", "spend", "response", "engagements"]


@dataclass(frozen=True)
class ParetoFront:
    """The revenue-engagement front of one budget.

    Attributes
    ----------
    table : DataFrame
        One row per plan, by growing weight: ``weight`` (dollars per engagement),
        ``revenue`` (expected revenue), ``engagements`` (expected engagements; rows
        without a rate count as 0), ``spend``, ``revenue_lost`` and
        ``engagements_gained`` (against the plan at weight 0), ``revenue_lost_pct`` and
        ``engagements_gained_pct`` (the same as fractions of the weight-0 plan's
        figures: 0.004 = 0.4 %; NaN when that figure is 0) and
        ``revenue_per_engagement`` (revenue given up per engagement gained; NaN at
        weight 0).  The first row is the revenue-only plan.
    plans : DataFrame
        The plans in long form: ``weight, name, network, spend, response,
        engagements``, one row per curve-table row and weight of ``table``.
    """

    table: pd.DataFrame
    plans: pd.DataFrame

    def plan(self, weight: float) -> pd.DataFrame:
        """Return the plan (``name, network, spend, response, engagements``) of the point nearest ``weight``.

        Parameters
        ----------
        weight : float
            Dollars per engagement; the point of :attr:`table` with the closest ``weight`` is taken (the
            first of two equally close).

        Returns
        -------
        DataFrame
            One row per curve-table row, ``engagements`` NaN when the curve table has no rates.
        """
        w = self.table["weight"].to_numpy(dtype=float)
        nearest = w[int(np.argmin(np.abs(w - float(weight))))]
        return self.plans[self.plans["weight"] == nearest].drop(columns="weight").reset_index(drop=True)


def _engagements(a: Allocation) -> float:
    return float(a.engagements) if np.isfinite(a.engagements) else 0.0


def _spends(a: Allocation) -> tuple:
    return tuple(np.round(a.table["spend"].to_numpy(dtype=float), 2))


def _default_weights(curves: pd.DataFrame, budget: float, base: Allocation, solve, n: int) -> dict:
    """{weight: Allocation} of a sweep from near the revenue-only plan to near the most engagements.

    The first probe values an engagement at the revenue-only plan's return on its last
    dollar divided by the highest rate: where the most engaging row starts to compete.
    Probes 4x apart go up until the engagements are within 1 % of the most any plan of
    the budget has (the same problem with every curve's revenue set to 0), and down
    until they are within 1 % of the revenue-only plan's (or the plan no longer changes);
    then weights are added halfway (geometrically) across the widest gaps in engagements
    until ``n - 1`` different plans are found (or ``3 n`` more solves did not find them).
    """
    rate = np.nan_to_num(pd.to_numeric(curves[COLUMN], errors="coerce").to_numpy(dtype=float), nan=0.0)
    top = float(rate.max()) if len(rate) else 0.0
    e0 = _engagements(base)
    most = _engagements(solve(curves.assign(beta=0.0), 1.0, objective="revenue")) if top > 0 else e0
    full = most - e0
    if top <= 0 or full <= max(1e-9 * abs(most), 1e-9):
        return {}  # no plan has more engagements: nothing to trade
    marg = base.table["marginal_return"].to_numpy(dtype=float)
    funded = marg[(base.table["spend"].to_numpy(dtype=float) > 0) & np.isfinite(marg) & (marg > 0)]
    level = base.budget_value if base.budget_value > 0 else (float(np.median(funded)) if len(funded) else 1.0)
    found: dict[float, Allocation] = {}

    def gained(w: float) -> float:
        if w not in found:
            found[w] = solve(curves, w)
        return (_engagements(found[w]) - e0) / full

    w = level / top
    for _ in range(_MAX_PROBES):
        if gained(w) >= 1 - _NEAR:
            break
        w *= _STEP
    w = level / top / _STEP
    for _ in range(_MAX_PROBES):
        if gained(w) <= _NEAR:
            break
        w /= _STEP
    for _ in range(3 * n):
        if len({_spends(a) for a in found.values()}) >= n - 1:
            break
        ws = sorted(found)
        gaps = [gained(b) - gained(a) if b > a * 1.01 else 0.0 for a, b in zip(ws, ws[1:], strict=False)]
        i = int(np.argmax(gaps)) if gaps else 0
        if not gaps or gaps[i] <= 1e-6:
            break
        gained(float(np.sqrt(ws[i] * ws[i + 1])))
    return found


def pareto_front(curves: pd.DataFrame, budget: float, weights=None, network_bounds: pd.DataFrame | None = None,
                 **optimize_kwargs) -> ParetoFront:
    """Find the best plans of ``budget`` as the value of one engagement goes from 0 up.

    Parameters
    ----------
    curves : DataFrame
        The curve table; needs the column ``engagement_per_dollar`` (NaN counts as 0).
    budget : float
        Upper limit on total spend, as for :func:`planner.optimize.optimize`.
    weights : sequence of float, optional
        Dollars per engagement to solve for; 0 (the revenue-only plan, the reference of
        the ``*_lost``/``*_gained`` columns) is added when missing.  Default: 0 and
        about :data:`N_POINTS` - 1 weights chosen from the data, from where the plan
        first trades a little revenue for engagement to where it is within 1 % of the
        most engagements the budget can buy.
    network_bounds : DataFrame, optional
        Bounds on each network's total, as for ``optimize``.
    **optimize_kwargs
        Passed to ``optimize`` (``objective``, ``margin``, ``time_limit``).

    Returns
    -------
    ParetoFront
        ``table`` (one row per plan) and ``plans`` (spend per row of each).  Of weights
        giving the same plan (the same spends to the cent) only the smallest is kept,
        and a plan that another point beats on both revenue and engagements (which only
        an inexact solve could give) is dropped; the weight-0 plan is always kept.

    Raises
    ------
    InfeasibleError
        When the budget and bounds cannot all hold.
    InputError
        When a weight is negative, the curve table has no ``engagement_per_dollar`` column
        (the optimizer's sentence), or the curve table or a bound cannot be used.
    TypeError
        When ``engagement_weight`` is passed in ``optimize_kwargs``.
    """
    if "engagement_weight" in optimize_kwargs:
        raise TypeError("pareto_front sets engagement_weight itself; pass weights instead.")
    curves = validate_curves(curves)
    solve_kwargs = {k: optimize_kwargs.pop(k) for k in ("time_limit", "node_limit") if k in optimize_kwargs}
    plans = prepare(curves, network_bounds, **optimize_kwargs)  # checked once: each weight is one solve of it

    def solve(table: pd.DataFrame, w: float, **override) -> Allocation:
        if table is curves and not override:
            return plans.solve(budget, engagement_weight=w, selection=False, **solve_kwargs)
        return optimize(table, budget, network_bounds=network_bounds, engagement_weight=w, selection=False,
                        **{**optimize_kwargs, **solve_kwargs, **override})

    if COLUMN not in curves.columns:
        solve(curves, 1.0)  # raises the optimizer's InputError: valuing engagement needs the column
    base = solve(curves, 0.0)
    if weights is None:
        found = _default_weights(curves, budget, base, solve, N_POINTS)
    else:
        found = {float(w): solve(curves, float(w)) for w in dict.fromkeys(float(w) for w in weights) if w != 0}
    found[0.0] = base
    return _front(found)


def _front(found: dict[float, Allocation]) -> ParetoFront:
    kept: list[tuple[float, Allocation]] = []
    seen = set()
    for w in sorted(found):
        a = found[w]
        plan = _spends(a)
        if plan in seen:
            continue  # the same plan at a smaller weight
        seen.add(plan)
        kept.append((w, a))
    points = [(w, a.total_response, _engagements(a)) for w, a in kept]
    kept = [(w, a) for (w, a), (_, r, e) in zip(kept, points, strict=True)
            if w == 0 or not any((r2 >= r and e2 >= e and (r2 > r or e2 > e)) for _, r2, e2 in points)]
    r0, e0 = kept[0][1].total_response, _engagements(kept[0][1])
    rows, plans = [], []
    for w, a in kept:
        r, e = a.total_response, _engagements(a)
        lost, gained = r0 - r, e - e0
        rows.append({
            "weight": w, "revenue": r, "engagements": e, "spend": a.total_spend, "revenue_lost": lost,
            "revenue_lost_pct": lost / r0 if r0 else np.nan, "engagements_gained": gained,
            "engagements_gained_pct": gained / e0 if e0 else np.nan,
            "revenue_per_engagement": lost / gained if w > 0 and gained > 0 else np.nan,
        })
        t = a.table
        plans.append(pd.DataFrame({
            "weight": w, "name": t["name"].to_numpy(), "network": t["network"].to_numpy(),
            "spend": t["spend"].to_numpy(dtype=float), "response": t["response"].to_numpy(dtype=float),
            "engagements": (t["engagements"].to_numpy(dtype=float) if "engagements" in t.columns
                            else np.full(len(t), np.nan)),
        }))
    return ParetoFront(pd.DataFrame(rows, columns=TABLE_COLUMNS),
                       pd.concat(plans, ignore_index=True)[PLAN_COLUMNS])


def undominated(x, y) -> np.ndarray:
    """Mark the points of a scatter that no other point beats (more is better on both axes).

    A point is beaten when another is at least as high on both ``x`` and ``y`` and
    higher on one.  Points with a missing value are never on the front.

    Parameters
    ----------
    x, y : array-like of float
        The points' coordinates, of equal length.

    Returns
    -------
    ndarray of bool
        True where no other point beats the point.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    front = np.zeros(len(x), dtype=bool)
    idx = np.flatnonzero(ok)
    # sweep from the highest x down (ties: highest y first); a point is on the front when
    # its y beats every y seen so far
    order = idx[np.lexsort((-y[idx], -x[idx]))]
    best = -np.inf
    prev = None
    for i in order:
        if y[i] > best:
            front[i] = True
            best = y[i]
        elif prev is not None and front[prev] and x[i] == x[prev] and y[i] == y[prev]:
            front[i] = True  # an exact twin of a front point is not beaten either
        prev = i
    return front
