"""A budget over a horizon: the best spend of every row in every period, and what it earns.

:func:`plan_flighting` lays the curve table over the horizon (:mod:`.problem`), finds the best
adstocks with a proven bound (:mod:`.search`), books rows without carry-over (creators) in whole
units with the exact one-period optimizer on their share of the budget, and values
the plan against the even plan (the same budget, each row's best quarterly total spread evenly
over the weeks) on the same model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.base.errors import InfeasibleError, InputError
from planner.curves.forms import get_form
from planner.curves.table import validate_curves
from planner.flighting.availability import available_days
from planner.flighting.band import horizon_band, period_bands, selection_share
from planner.flighting.bounded import cell_caps, cents_within, fit_limits, solve_limited
from planner.flighting.horizon import QUARTER_WEEKS, Horizon
from planner.flighting.limits import read_limits
from planner.flighting.problem import FlightProblem, build_problem, whole_quarters, whole_units
from planner.flighting.pulses import pulse
from planner.flighting.runs import ON_CENTS, flights_ok, keep_runs, plan_runs
from planner.flighting.search import solve_budget
from planner.optimize import optimize

__all__ = ["FlightPlan", "plan_flighting", "value_spends", "period_curves", "plan_table", "cents", "horizon_rows", "spread"]

PHASES = (np.arange(16) + 0.5) / 16  # where in its share of the horizon a row's posts may fall (spread)
SEP = "\x1f"  # joins a row's name and its period in the one-period optimizer's rows


@dataclass(frozen=True)
class FlightPlan:
    """The plan of a horizon and what it is expected to earn.

    Attributes
    ----------
    horizon : Horizon
    budget : float
    after : bool
        Whether what the plan earns after the horizon is counted (``after_response``).
    table : DataFrame
        One row per curve-table row and period: ``name, network, period`` (first day),
        ``label``, ``spend``, ``response`` (earned in the period), ``response_p10``/``response_p90``
        (its band, :func:`plan_table`), ``carried`` (of the response, what spend of earlier periods or
        from before the horizon earns), ``decay``.
    total_spend, total_response : float
        Over the horizon (response inside it).
    after_response : float
        Earned after the horizon by the carry-over the plan leaves (0 when not counted).
    bound : float
        No plan within the budget earns more (response inside the horizon plus, when counted,
        after it): a proof, from the concave envelopes' dual.
    gap : float
        ``(bound - value) / bound``: how far from the best plan this one can at most be.
    even_response : float
        What the even plan earns on the same model (same budget, same counting).
    even_table : DataFrame
        The even plan, shaped as ``table``.
    limits : int
        The limits per period and network the plan keeps (0 without; the even plan keeps none of them).
    min_flight : int
        Shortest flight and pause between flights asked for, in periods (1: no rule; :mod:`.runs`).
    short_flights : tuple of str
        Rows with carry-over whose flights or pauses are still shorter than ``min_flight``: only where the
        limits per period force it (a minimum in a period the row would pause); empty otherwise.
    band : dict of str to float
        The 80 % band of ``total_response`` as the one-period plan's (:mod:`.band`): ``p10, p50, p90, mean,
        expected, allowance``, the mean lowered by the optimizer's curse; empty for a plan made without it.
    period_band : ndarray of float
        Each period's P10 and P90 the same way, shape (periods, 2) in period order (empty: ``by_period``
        adds its rows' P10s and P90s instead).
    """

    horizon: Horizon
    budget: float
    after: bool
    table: pd.DataFrame
    total_spend: float
    total_response: float
    after_response: float
    bound: float
    gap: float
    even_response: float
    even_table: pd.DataFrame
    limits: int = 0
    min_flight: int = 1
    short_flights: tuple[str, ...] = ()
    band: dict = field(default_factory=dict)
    period_band: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    @property
    def value(self) -> float:
        """What the plan earns by the objective: inside the horizon, plus after it when counted."""
        return self.total_response + self.after_response

    @property
    def over_even(self) -> float:
        """What the flighted plan earns above the even plan."""
        return self.value - self.even_response

    def by_period(self) -> pd.DataFrame:
        """Spend, response and carry-over per period."""
        cols = ["spend", "response", "response_p10", "response_p90", "carried"]
        out = self.table.groupby(["period", "label"], sort=True, as_index=False)[cols].sum()
        if len(self.period_band) == len(out):  # each period's band as the plan's (rows sharing their errors)
            out["response_p10"], out["response_p90"] = self.period_band[:, 0], self.period_band[:, 1]
        return out

    def wide(self, value: str = "spend") -> pd.DataFrame:
        """One row per curve-table row, one column per period (its label), for ``value``."""
        labels = list(dict.fromkeys(self.table.sort_values("period")["label"]))
        w = self.table.pivot_table(index=["name", "network"], columns="label", values=value, sort=False,
                                   aggfunc="sum")
        return w[labels].reset_index()


def period_curves(curves: pd.DataFrame, quarters: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``beta`` and ``k`` for a period of ``quarters`` quarters (``quarters`` runs of its curve)."""
    beta = np.empty(len(curves))
    k = np.empty(len(curves))
    q = np.broadcast_to(np.asarray(quarters, dtype=float), (len(curves),))
    forms = curves["curve"].astype(str).str.strip().str.lower().to_numpy()
    b0 = curves["beta"].to_numpy(dtype=float)
    k0 = curves["k"].to_numpy(dtype=float) if "k" in curves else np.ones(len(curves))
    s0 = curves["s"].to_numpy(dtype=float) if "s" in curves else np.ones(len(curves))
    for name in np.unique(forms):
        m = forms == name
        b, kk, _ = get_form(name).repeat(b0[m], k0[m], s0[m], q[m])
        beta[m], k[m] = b, kk
    return beta, k


def value_spends(prob: FlightProblem, spend: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Response per (row, period), of it carried over, and the after-horizon response, of spends (E, P)."""
    z = prob.adstocks(spend)
    v = prob.value(z)
    E, P = spend.shape
    resp = np.zeros((E, P))
    carried = np.zeros((E, P))
    inside = prob.per >= 0
    ent_in = np.unique(prob.ent[inside])
    if len(ent_in):
        weeks = prob.periods["weeks"].to_numpy(dtype=float)
        nu = weeks / QUARTER_WEEKS
        resp[ent_in] = v[inside].reshape(len(ent_in), P)
        D = np.power(prob.decay[ent_in, None], weeks[None, :])
        own = (1.0 - D) * spend[ent_in] / nu[None, :]  # the adstock had nothing been carried in
        rows = np.flatnonzero(inside)
        # at the element's own weight: its period's share of a quarter, times its season's multiplier
        own_resp = (prob.weight[rows] * prob.shapes.take(rows).value(own.ravel())).reshape(len(ent_in), P)
        carried[ent_in] = np.maximum(resp[ent_in] - own_resp, 0.0)
    whole = np.flatnonzero(prob.per == -2)
    if len(whole):  # shared among the periods by their spend
        e = prob.ent[whole]
        tot = spend[e].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(tot[:, None] > 0, spend[e] / tot[:, None], 0.0)
        resp[e] = v[whole, None] * share
    return resp, carried, float(v[prob.per == -1].sum())


def cents(x: np.ndarray) -> np.ndarray:
    """Spend in whole cents, its total rounded down (never above what was planned, so never above the budget).

    Each amount is rounded down to a cent, then the cents that rounding lost from the total go, one each,
    to the amounts that lost most: no amount moves by a cent or more, and the total by less than one.
    """
    x = np.maximum(np.asarray(x, dtype=float), 0.0)
    c = x * 100.0
    low = np.floor(c + 1e-9)
    left = int(np.floor(c.sum() + 1e-6) - low.sum())
    if left > 0:
        flat = low.ravel()
        flat[np.argsort(-(c - low).ravel(), kind="stable")[:left]] += 1.0
        low = flat.reshape(low.shape)
    return low / 100.0


def _ratio(curves: pd.DataFrame, col: str) -> np.ndarray:
    if col not in curves:
        return np.ones(len(curves))
    r = pd.to_numeric(curves[col], errors="coerce").to_numpy(dtype=float) / curves["beta"].to_numpy(dtype=float)
    return np.where(np.isfinite(r) & (r >= 0), r, 1.0)


def plan_table(prob: FlightProblem, spend: np.ndarray, resp: np.ndarray, carried: np.ndarray) -> pd.DataFrame:
    """Return the plan's table: a row per curve-table row and period.

    ``response_p10``/``response_p90`` scale each row's response by its curve's ``beta_p10/beta`` and
    ``beta_p90/beta`` (a response is proportional to its beta); a period's band is the sum of its rows'
    (as if all rows erred together: wider than independent errors would make it, never narrower).
    """
    E, P = spend.shape
    c = prob.curves
    per = prob.periods
    lo, hi = _ratio(c, "beta_p10"), _ratio(c, "beta_p90")
    return pd.DataFrame({
        "name": np.repeat(c["name"].astype(str).to_numpy(), P),
        "network": np.repeat(c["network"].astype(str).to_numpy(), P),
        "period": np.tile(per["period"].to_numpy(), E),
        "label": np.tile(per["label"].to_numpy(), E),
        "spend": cents(spend.ravel()),
        "response": resp.ravel(),
        "response_p10": (resp * lo[:, None]).ravel(),
        "response_p90": (resp * hi[:, None]).ravel(),
        "carried": carried.ravel(),
        "decay": np.repeat(prob.decay, P),
    })


def spread(total: np.ndarray, unit: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """Each row's horizon total over the periods by their weeks; rows with a unit in whole units, evenly spaced.

    ``weeks`` is one row of weeks per period, or one per row and period (the weeks each row is available in
    each period). The n posts of a row go to the periods holding the points (j + u) / n of its weeks, so
    they are spaced evenly through them rather than piled into the first periods. The phase ``u`` is chosen
    row by row, dearest posts first, to keep the posts' spend per week as level as it can (the least sum of
    squares of spend per week so far): creators' posts then do not all fall in the same weeks. A post earns
    the same whenever it runs, so this changes no value.
    """
    weeks = np.broadcast_to(np.asarray(weeks, dtype=float), (len(total), np.shape(weeks)[-1]))
    sums = weeks.sum(axis=1, keepdims=True)
    share = np.divide(weeks, sums, out=np.zeros_like(weeks), where=sums > 0)
    out = total[:, None] * share
    posts = np.isfinite(unit) & (unit > 0)
    rows = np.flatnonzero(posts & (total > 0) & (sums[:, 0] > 0))
    per_week = np.maximum(weeks.max(axis=0), 1e-9)
    load = np.zeros(weeks.shape[1])
    for i in rows[np.argsort(-unit[rows], kind="stable")]:
        n = int(round(total[i] / unit[i]))
        edges = np.cumsum(share[i])
        best, best_score = None, np.inf
        for u in PHASES:
            at = np.minimum(np.searchsorted(edges, (np.arange(n) + u) / n, side="right"), weeks.shape[1] - 1)
            cells = np.bincount(at, minlength=weeks.shape[1]) * unit[i]
            score = float((((load + cells) / per_week) ** 2).sum())
            if score < best_score - 1e-9:
                best, best_score = cells, score
        out[i] = best
        load += best
    return out


def horizon_rows(curves: pd.DataFrame, H: np.ndarray | float, bounds: np.ndarray | float | None = None) -> pd.DataFrame:
    """Return the rows as one period of ``H`` quarters (one for all, or one per row).

    The curves are repeated ``H`` times, the quarterly bounds multiplied by ``bounds`` (default ``H``).
    """
    c = curves.copy()
    c["beta"], c["k"] = period_curves(c, H)
    Hs = np.broadcast_to(np.asarray(H if bounds is None else bounds, dtype=float), (len(c),))
    for col in ("min_spend", "max_spend"):
        if col in c:
            c[col] = whole_units(pd.to_numeric(c[col], errors="coerce").to_numpy(dtype=float) * Hs,
                                 pd.to_numeric(c.get("unit_cost"), errors="coerce").to_numpy(dtype=float)
                                 if "unit_cost" in c else np.full(len(c), np.nan))
    keep = [col for col in ("name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend", "unit_cost")
            if col in c]
    return c[keep].reset_index(drop=True)


def _steady(curves: pd.DataFrame, horizon: Horizon, budget: float) -> np.ndarray:
    """Return each row's best horizon total on ``budget``, spread over the periods by their weeks, posts kept whole.

    The one-period optimizer (whole posts, S-curves, exact) plans the rows as one period of the horizon's
    length. For rows without carry-over this is their exact plan: nothing ties their periods but their
    limits over the horizon, and every period has the same curve. For every row it is the even plan:
    what a one-period plan, run steadily. A row available only part of the horizon (the roster's dates,
    :mod:`.availability`) is one period of that part, spread over the days it is available.
    """
    rows = horizon_rows(curves, *whole_quarters(curves, horizon))
    total = optimize(rows, budget).table.set_index("name")["spend"].reindex(rows["name"]).to_numpy(dtype=float)
    unit = pd.to_numeric(rows["unit_cost"], errors="coerce").to_numpy(dtype=float) if "unit_cost" in rows \
        else np.full(len(rows), np.nan)
    return spread(total, unit, available_days(curves, horizon) / 7.0)


def _carry_rows(curves: pd.DataFrame, horizon: Horizon, after: bool, z0: np.ndarray, budget: float,
                min_flight: int = 1) -> np.ndarray:
    """Rows with carry-over, planned on what the others left (exact for concave curves, S-curves pulsed)."""
    prob = build_problem(curves, horizon, after, z0)
    return plan_runs(prob, pulse(prob, prob.spends(solve_budget(prob, budget).z), after), budget, after, min_flight)


def plan_flighting(curves: pd.DataFrame, budget: float, horizon: Horizon, after: bool = False,
                   start_adstock: np.ndarray | None = None, limits: pd.DataFrame | None = None,
                   min_flight: int = 1) -> FlightPlan:
    """Plan ``budget`` (total over the horizon, an upper limit) over ``horizon`` period by period.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1); an optional ``decay`` column holds each row's
        weekly carry-over (the marketing-mix model writes it).
    budget : float
        Total spend over the horizon.
    horizon : Horizon
    after : bool, default False
        Count, and plan for, what the spend earns after the horizon ends through carry-over.
    start_adstock : ndarray, optional
        Carry-over entering the horizon per row (spend per quarter); default today's spend.
    limits : DataFrame, optional
        Limits per period, per network per period and per network over the horizon on the networks' paid
        media (:func:`planner.flighting.limits.read_limits`: ``network, period, min_spend, max_spend``).
        With limits the plan is the dual solve of :mod:`.bounded` (its proven gap as without them);
        creators are booked in whole posts on their share.
    min_flight : int, default 1
        Shortest flight, and shortest pause between two flights, in periods, of every row with carry-over
        (:mod:`.runs`: no on-off every other week); 1 for no such rule. The plan's bound is the one
        without the rule, so its gap stays a proof.

    Returns
    -------
    FlightPlan

    Raises
    ------
    InputError
        A curve table or budget that cannot be used.
    InfeasibleError
        Bounds the budget cannot meet.
    """
    if not np.isfinite(budget) or budget < 0:
        raise InputError(f"The budget must be a number of at least 0, not {budget}.")
    if int(min_flight) != min_flight or min_flight < 1:
        raise InputError(f"The shortest flight must be a whole number of periods of at least 1, not {min_flight}.")
    min_flight = int(min_flight)
    curves = validate_curves(curves)
    prob = build_problem(curves, horizon, after, start_adstock)
    bounds = read_limits(limits, curves, horizon) if limits is not None and len(limits) else []
    if bounds:
        return _with_band(_limited(curves, prob, float(budget), bounds, after, min_flight), curves)
    sol = solve_budget(prob, budget)
    spend = prob.spends(sol.z)
    free = prob.decay == 0
    if free.any() and (~free).any():  # the two kinds of row, each planned exactly on its share
        spend[free] = _steady(curves[free], horizon, min(float(spend[free].sum()), float(budget)))
        left = max(float(budget) - float(cents(spend[free]).sum()), 0.0)
        spend[~free] = _carry_rows(curves[~free], horizon, after, prob.z0[~free], left, min_flight)
    elif free.any():
        spend = _steady(curves, horizon, float(budget))
    else:
        spend = plan_runs(prob, pulse(prob, spend, after), float(budget), after, min_flight)
    spend = cents(spend)
    even = cents(_steady(curves, horizon, budget))
    if _worth(prob, even, after) > _worth(prob, spend, after):  # an S-curve's gap left the even plan ahead:
        spend = even  # it is a plan too, and the better one
    return _with_band(_finish(prob, float(budget), after, spend, sol.bound, even, min_flight=min_flight), curves)


def _with_band(plan: FlightPlan, curves: pd.DataFrame) -> FlightPlan:
    """Return the plan with its band, lowered by the one-quarter plan's share for the optimizer's curse."""
    share = selection_share(curves, plan.budget, plan.horizon)
    resp = plan.table["response"].to_numpy(dtype=float)
    return replace(plan, band=horizon_band(curves, resp, share * plan.total_response),
                   period_band=period_bands(curves, resp, share))


def _worth(prob: FlightProblem, spend: np.ndarray, after: bool) -> float:
    return float(prob.earned(spend, after).sum())


def _finish(prob: FlightProblem, budget: float, after: bool, spend: np.ndarray, bound: float,
            even: np.ndarray, limits: int = 0, min_flight: int = 1) -> FlightPlan:
    """Value the plan and the even plan on the problem and return them as a FlightPlan."""
    resp, carried, after_resp = value_spends(prob, spend)
    value = float(resp.sum()) + (after_resp if after else 0.0)
    e_resp, e_carried, e_after = value_spends(prob, even)
    bound = max(bound, value)  # the bound is on the envelopes: a plan valued on the curves never passes it
    return FlightPlan(
        horizon=prob.horizon, budget=budget, after=after, table=plan_table(prob, spend, resp, carried),
        total_spend=float(cents(spend).sum()), total_response=float(resp.sum()),
        after_response=after_resp if after else 0.0, bound=bound,
        gap=(bound - value) / bound if bound > 0 else 0.0,
        even_response=float(e_resp.sum()) + (e_after if after else 0.0),
        even_table=plan_table(prob, even, e_resp, e_carried), limits=limits, min_flight=min_flight,
        short_flights=_short_flights(prob, spend, min_flight))


def _short_flights(prob: FlightProblem, spend: np.ndarray, k: int) -> tuple[str, ...]:
    """Return the names of rows with carry-over whose flights or pauses are shorter than ``k`` periods."""
    if k <= 1:
        return ()
    bad = (prob.decay > 0) & ~flights_ok(spend >= ON_CENTS, k)
    return tuple(prob.curves["name"].astype(str).to_numpy()[bad])


def _limited(curves: pd.DataFrame, prob: FlightProblem, budget: float, bounds: list, after: bool,
             min_flight: int = 1) -> FlightPlan:
    """Plan within limits (:mod:`.bounded`); creators, whom no limit counts, booked in whole posts on their share."""
    sol = solve_limited(prob, budget, bounds)
    spend = sol.spend.copy()
    try:  # S-curves in bursts where that earns more, put back within the limits
        bursts = fit_limits(pulse(prob, spend, after), bounds, budget, cell_caps(prob, budget))
        if _worth(prob, bursts, after) > _worth(prob, spend, after):
            spend = bursts
    except InfeasibleError:
        pass
    if min_flight > 1:  # flights and pauses of the length asked for, put back within the limits
        try:
            spend = fit_limits(keep_runs(prob, spend, after, min_flight), bounds, budget, cell_caps(prob, budget))
        except InfeasibleError:
            pass  # the plan keeps the limits; the rows left with short flights are named (short_flights)
    booked = np.isfinite(pd.to_numeric(curves.get("unit_cost"), errors="coerce").to_numpy(dtype=float)) \
        if "unit_cost" in curves else np.zeros(len(curves), dtype=bool)
    if booked.any():
        spend[booked] = _steady(curves[booked], prob.horizon, float(spend[booked].sum()))
    spend = cents_within(cents(spend), bounds, budget, booked)
    return _finish(prob, budget, after, spend, sol.bound, cents(_steady(curves, prob.horizon, budget)), len(bounds),
                   min_flight)
