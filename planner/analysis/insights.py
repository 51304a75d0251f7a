"""What an allocation says beyond the numbers: what binds, what it costs, where the next money goes.

Every figure here is measured by optimising again with the constraint moved (not
read off a local derivative), so "raising TikTok's cap by $1,000 would add $1,800"
is what the optimizer would really do with that $1,000, whole posts and S-curves included.
Each search starts from the plan already solved (it still meets every bound once one is
relaxed, so the search only has to look for something better and never reports a loss).
A plan that values engagement (``allocation.engagement_weight``) is re-optimised
with the same value, and its objective counts the engagements at that value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from planner.base.format import money
from planner.bounds.bounds import Bounds
from planner.curves.table import validate_curves
from planner.optimize import Allocation, InfeasibleError, Prepared, optimize
from planner.optimize.search import TIME_LIMIT

__all__ = ["NextMoney", "next_money", "next_money_between", "binding_constraints"]


UNPROVEN_TIME_LIMIT = 0.5  # seconds of search per question when the plan itself is only known within a gap


def _again(curves: pd.DataFrame, allocation: Allocation, network_bounds, budget: float | None = None,
           plans: Prepared | None = None) -> Allocation:
    """Return the plan with one bound (or the budget) moved, searched from the plan already solved.

    A proven plan's questions get the optimizer's full search, so their answers are proven too; when
    the plan itself stopped short of a proof, an answer cannot be surer than the plan it is measured
    against, and each question gets :data:`UNPROVEN_TIME_LIMIT` seconds.  ``plans``, the prepared
    problem of ``curves`` and ``network_bounds``, answers a question about the budget alone.
    """
    time_limit = TIME_LIMIT if allocation.proven else UNPROVEN_TIME_LIMIT
    start = allocation.table["spend"].to_numpy(dtype=float)
    if plans is not None:
        return plans.solve(allocation.budget if budget is None else budget, time_limit=time_limit, start=start,
                           selection=False)
    return optimize(curves, allocation.budget if budget is None else budget, network_bounds, allocation.objective,
                    allocation.margin, engagement_weight=allocation.engagement_weight,
                    max_creators=allocation.max_creators, start=start, time_limit=time_limit, selection=False)


@dataclass(frozen=True)
class NextMoney:
    """What the next ``step`` dollars of budget buy: the optimum at the budget plus ``step`` against the plan.

    Attributes
    ----------
    step : float
        Dollars of budget added.
    gain : float
        Expected revenue the bigger budget adds.
    spent : float
        Dollars of the step the bigger plan spends (less when rows cannot take it or it does not pay).
    engagements_gained : float
        Engagements the bigger plan adds (NaN when the curve table has none).
    moves : DataFrame
        ``name, network, spend_change, response_change`` of the rows whose spend changes by a cent
        or more, the largest increase first.
    objective : str
        The plan's objective (``revenue`` or ``profit``).
    values_engagement : bool
        Whether the plan valued engagements.
    """

    step: float
    gain: float
    spent: float
    engagements_gained: float
    moves: pd.DataFrame
    objective: str = "revenue"
    values_engagement: bool = False

    @property
    def per_dollar(self) -> float:
        """Expected revenue added per dollar of the step.

        Returns
        -------
        float
            ``gain / step`` in dollars per dollar; NaN when ``step`` is not above 0.
        """
        return self.gain / self.step if self.step > 0 else float("nan")


def next_money_between(allocation: Allocation, more: Allocation, step: float | None = None) -> NextMoney:
    """Compare a plan with the optimum at a bigger budget (already solved, e.g. from the app's plan store).

    Parameters
    ----------
    allocation, more : Allocation
        The plan, and the optimum at ``allocation.budget + step`` with the same settings.
    step : float, optional
        Dollars of budget added; by default the difference of the two budgets.

    Returns
    -------
    NextMoney
    """
    step = float(step) if step is not None else float(more.budget - allocation.budget)
    a = allocation.table.set_index("name")
    b = more.table.set_index("name").reindex(a.index)
    moves = pd.DataFrame({
        "name": a.index.astype(str),
        "network": a["network"].astype(str).to_numpy(),
        "spend_change": (b["spend"].to_numpy(dtype=float) - a["spend"].to_numpy(dtype=float)).round(2),
        "response_change": b["response"].to_numpy(dtype=float) - a["response"].to_numpy(dtype=float),
    })
    moves = moves[moves["spend_change"].abs() >= 0.01].sort_values("spend_change", ascending=False,
                                                                    ignore_index=True)
    return NextMoney(step=step, gain=float(more.total_response - allocation.total_response),
                     spent=float(more.total_spend - allocation.total_spend),
                     engagements_gained=float(more.engagements - allocation.engagements), moves=moves,
                     objective=allocation.objective, values_engagement=bool(allocation.engagement_weight))


def next_money(curves: pd.DataFrame, allocation: Allocation, step: float = 1000.0,
               network_bounds: pd.DataFrame | None = None, plans: Prepared | None = None) -> NextMoney:
    """Find what the next ``step`` dollars of budget would buy and where they would go.

    The plan is optimised again at ``allocation.budget + step`` with the same objective,
    margin, engagement value and hire limit, starting from ``allocation``'s spends.

    Parameters
    ----------
    curves : DataFrame
        The curve table ``allocation`` was made from.
    allocation : Allocation
        The plan solved at the current budget.
    step : float, default 1000.0
        Dollars of budget added.
    network_bounds : DataFrame, optional
        The network bounds ``allocation`` was made under.
    plans : Prepared, optional
        The prepared problem ``allocation`` was solved from (:func:`planner.optimize.prepare`): the
        bigger budget is then one more solve of it, started from the prices of the budgets before.

    Returns
    -------
    NextMoney
    """
    more = _again(curves, allocation, network_bounds, allocation.budget + step, plans)
    return next_money_between(allocation, more, step)


def binding_constraints(curves: pd.DataFrame, allocation: Allocation, network_bounds=None, step: float = 1000.0,
                        top: int = 5) -> pd.DataFrame:
    """Find the bounds that hold the plan back, and what moving each by ``step`` dollars would change.

    Each bound the plan sits on is loosened by ``step`` (a maximum raised, a minimum lowered
    to no less than zero) and the plan optimised again from ``allocation``'s spends.  Every
    network bound the plan sits on (within a cent) is measured; row bounds are ranked by the
    gap between the row's marginal return and the plan's, and only the ``top`` strongest are.

    Parameters
    ----------
    curves : DataFrame
        The curve table ``allocation`` was made from.
    allocation : Allocation
        The plan to explain.
    network_bounds : DataFrame, optional
        The network bounds ``allocation`` was made under.
    step : float, default 1000.0
        Dollars each bound is moved by.
    top : int, default 5
        Most row bounds optimised again.

    Returns
    -------
    DataFrame
        Columns ``constraint`` (a network or a row name), ``kind`` (``"network max"``,
        ``"network min"``, ``"row max"``, ``"row min"``), ``bound``, ``objective_change``
        and ``sentence``, the largest change (either sign) first.  A move that leaves no
        feasible plan, or changes the objective by less than 50 cents, has no row.

    Raises
    ------
    CurveTableError
        When ``curves`` is not a valid curve table.
    """
    curves = validate_curves(curves)
    base = allocation.value
    rows = []

    def measure(kind, label, bound, new_curves=None, new_nb=None):
        try:
            moved = _again(curves if new_curves is None else new_curves, allocation,
                           network_bounds if new_nb is None else new_nb)
        except InfeasibleError:
            return
        delta = moved.value - base
        if abs(delta) < 0.5:
            return
        verb = "Raising" if kind.endswith("max") else "Lowering"
        what = "cap" if kind.endswith("max") else "minimum"
        value = ("revenue" if allocation.objective == "revenue" else "profit") + (
            " and engagement value" if allocation.engagement_weight else "")
        rows.append({
            "constraint": label, "kind": kind, "bound": bound, "objective_change": delta,
            "sentence": f"{verb} {label}'s {what} by {money(step)} would {'add' if delta > 0 else 'cost'} "
                        f"{money(abs(delta))} of {value}.",
        })

    bounds = Bounds.from_network_frame(network_bounds)
    spend = allocation.table.groupby("network")["spend"].sum()
    for i, b in enumerate(bounds.networks):
        got = float(spend.get(b.network, 0.0))
        for field, kind, sign in (("max_spend", "network max", 1), ("min_spend", "network min", -1)):
            bound = getattr(b, field)
            if np.isfinite(bound) and abs(got - bound) <= 0.01:
                nets = list(bounds.networks)
                nets[i] = replace(b, **{field: max(0.0, bound + sign * step)})
                measure(kind, b.network, float(bound), new_nb=replace(bounds, networks=tuple(nets)).network_frame())

    t = allocation.table
    level = allocation.budget_value
    cand = []
    for i, r in t.iterrows():
        if r["binding"] == "max" and np.isfinite(r["max_spend"]):
            cand.append((r["marginal_return"] - level, i, "row max", r["max_spend"]))
        elif r["binding"] == "min" and r["min_spend"] > 0:
            cand.append((level - r["marginal_return"], i, "row min", r["min_spend"]))
    for _, i, kind, bound in sorted(cand, key=lambda c: -c[0])[:top]:
        moved = curves.copy()
        if kind == "row max":
            moved.loc[i, "max_spend"] = bound + step
        else:
            moved.loc[i, "min_spend"] = max(0.0, bound - step)
        measure(kind, str(t.loc[i, "name"]), float(bound), new_curves=moved)
    out = pd.DataFrame(rows, columns=["constraint", "kind", "bound", "objective_change", "sentence"])
    return out.sort_values("objective_change", ascending=False, key=abs).reset_index(drop=True)
