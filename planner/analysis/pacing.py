"""Pacing: a plan over time against the money actually spent so far, and the best plan for the rest.

:func:`pace` takes a plan over time (spend per curve-table row and period), the actual spend to date
(:class:`~planner.analysis.actuals_file.Actuals`, each amount spread evenly over the days it covers) and
the day the actuals run to, and returns:

- per period and per row and period: what the plan said, what it said for the days gone (paid media:
  its spend pro rata to the days elapsed; creators, paid per campaign: what was paid in a period under
  way, up to its plan), what was spent, and the status: *ahead* (spent more than 10 % over
  the plan to date), *behind* (more than 10 % under), *on pace*, or *to come*;
- the rest of the horizon re-planned: the money left (the budget less what was spent) planned from
  the next day to the horizon's end (:func:`planner.flighting.rest.plan_rest`), starting from the
  carry-over the actual spend built up (each row's adstock run through the actual spend, period by
  period, from where the plan started it), creators booked on top of what they were paid;
- what the horizon is expected to earn with the re-planned rest, next to what the plan was expected
  to earn and to keeping the plan's own pattern for the rest (creators' bookings as planned, the other
  rows scaled to the money left), all on the same model.

Nothing is dropped silently: spend on a name the curve table lacks counts as spent (it uses budget)
and a warning names it; spend before the horizon or after the pacing day is left out and a note
says how much.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.analysis.actuals_file import Actuals
from planner.analysis.flight_evaluate import quoted_names as _names
from planner.analysis.plan_match import match_names
from planner.base.errors import InputError
from planner.base.format import money
from planner.curves.table import validate_curves
from planner.flighting import Horizon, PlanValue, value_plan
from planner.flighting.horizon import QUARTER_WEEKS
from planner.flighting.rest import plan_rest

__all__ = ["Pacing", "pace", "TOLERANCE", "STATUSES"]

TOLERANCE = 0.10  # within 10 % of the plan to date is on pace
STATUSES = ("ahead", "on pace", "behind", "to come")
LISTED = 6


@dataclass(frozen=True)
class Pacing:
    """A plan over time against the actual spend to date, and the rest of the horizon re-planned.

    Attributes
    ----------
    horizon : Horizon
        The plan's horizon.
    as_of : date
        The last day the actual spend counts (inclusive).
    budget : float
        The total over the horizon (the plan's total spend unless given).
    periods : DataFrame
        One row per period: ``period`` (first day), ``label``, ``days``, ``elapsed`` (days up to
        ``as_of``), ``planned``, ``planned_to_date``, ``actual``, ``rest`` (the re-planned spend of
        the days to come), ``expected`` (actual plus rest), ``status``.
    rows : DataFrame
        The same per curve-table row and period, with ``name`` and ``network`` first (rows the plan
        and the actuals both leave at zero left out).
    spent : float
        Actual spend in the horizon up to ``as_of`` (names the curve table lacks included).
    rest : Horizon or None
        The days re-planned, from the day after ``as_of`` (None when the horizon is over or the budget
        is spent).
    planned : PlanValue
        The plan, valued.
    expected : PlanValue
        Actual spend to date and the re-planned rest, valued over the whole horizon.
    kept : PlanValue or None
        Actual spend to date and the plan's own pattern for the rest: creators' bookings as planned, the
        other rows scaled to the money left.
    warnings, notes : tuple of str
    """

    horizon: Horizon
    as_of: _dt.date
    budget: float
    periods: pd.DataFrame
    rows: pd.DataFrame
    spent: float
    rest: Horizon | None
    planned: PlanValue
    expected: PlanValue
    kept: PlanValue | None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def remaining(self) -> float:
        """The budget less what was spent (negative when overspent)."""
        return round(self.budget - self.spent, 2)

    @property
    def planned_to_date(self) -> float:
        """What the plan said to spend up to ``as_of``."""
        return float(self.periods["planned_to_date"].sum())

    @property
    def status(self) -> str:
        """The horizon's status to date: ahead, on pace or behind."""
        return status_of(self.spent, self.planned_to_date)

    @property
    def over_kept(self) -> float | None:
        """What re-planning the rest earns over keeping the plan's pattern for it (None when nothing is left)."""
        return None if self.kept is None else _worth(self.expected) - _worth(self.kept)


def status_of(actual, planned):
    """Return ``"ahead"``, ``"on pace"`` or ``"behind"``: actual spend against the plan's, within :data:`TOLERANCE`.

    Parameters
    ----------
    actual, planned : float or ndarray
        Spend to date and the plan's spend for the same days.

    Returns
    -------
    str or ndarray of str
    """
    a, p = np.asarray(actual, dtype=float), np.asarray(planned, dtype=float)
    slack = TOLERANCE * p + 0.005  # a cent's rounding is on pace
    out = np.where(a > p + slack, "ahead", np.where(a < p - slack, "behind", "on pace"))
    return str(out) if out.ndim == 0 else out


def _daily(actuals: Actuals) -> pd.DataFrame:
    """Return one row per name and day: each amount spread evenly over the days it covers."""
    t = actuals.table
    first = t["first"].to_numpy(dtype="datetime64[D]")
    days = (t["last"].to_numpy(dtype="datetime64[D]") - first).astype(np.int64) + 1
    rep = np.repeat(np.arange(len(t)), days)
    offset = np.arange(len(rep)) - np.repeat(np.cumsum(days) - days, days)
    return pd.DataFrame({"name": t["name"].astype(str).to_numpy()[rep],
                         "day": first[rep] + offset.astype("timedelta64[D]"),
                         "spend": (t["spend"].to_numpy(dtype=float) / days)[rep]})


def _matched(names: pd.Series, curve_names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Return each name's curve-table position (-1 for none) and notes on names matched by a looser rule."""
    codes, distinct = pd.factorize(names.astype(str).to_numpy())
    at, how = match_names(list(distinct), curve_names)
    loose = [f"{distinct[k]!r} -> {curve_names[int(at[k])]!r} ({how[k]})" for k in np.flatnonzero(at >= 0)
             if how[k] != "exact"]
    return at[codes], loose


def _grid(curves: pd.DataFrame, names: pd.Series, periods: np.ndarray, spend: np.ndarray, starts: np.ndarray):
    """Return a (rows x periods) array of ``spend`` by curve-table position and period index, and the unmatched."""
    n = len(curves)
    out = np.zeros((n, len(starts)))
    at, loose = _matched(names, curves["name"].astype(str).tolist())
    hit = at >= 0
    np.add.at(out, (at[hit], periods[hit]), spend[hit])
    return out, ~hit, loose


def carried_adstock(curves: pd.DataFrame, actual: np.ndarray, elapsed: np.ndarray) -> np.ndarray:
    """Return each row's adstock (spend per quarter with carry-over) at the end of the days elapsed.

    The plan's model (:mod:`planner.flighting.problem`): an adstock starts at the row's current spend
    and follows ``z = D z + (1 - D) r`` through each stretch of ``n`` weeks with spend ``X``
    (``D = decay^n``, ``r = X / (n / 13)``).

    Parameters
    ----------
    curves : DataFrame
        A validated curve table (``decay`` optional: rows without it carry nothing).
    actual : ndarray (rows, periods)
        Spend in each period's elapsed days.
    elapsed : ndarray (periods,)
        Days of each period up to the pacing day.

    Returns
    -------
    ndarray (rows,)
    """
    decay = pd.to_numeric(curves.get("decay", pd.Series(0.0, index=curves.index)), errors="coerce")
    decay = decay.fillna(0.0).clip(0.0, 0.999999).to_numpy()
    z = np.where(decay > 0, np.maximum(pd.to_numeric(curves["current_spend"], errors="coerce").fillna(0.0), 0.0), 0.0)
    for p in np.flatnonzero(elapsed > 0):
        weeks = elapsed[p] / 7.0
        d = np.power(decay, weeks)
        z = d * z + (1.0 - d) * actual[:, p] / (weeks / QUARTER_WEEKS)
    return np.where(decay > 0, z, 0.0)


def _rest_horizon(horizon: Horizon, as_of: _dt.date) -> Horizon:
    anchor = horizon.start if horizon.period == "week" else None
    return Horizon(as_of + _dt.timedelta(days=1), horizon.end, horizon.period, anchor=anchor)


def plan_to_date(planned: np.ndarray, actual: np.ndarray, share: np.ndarray, booked: np.ndarray) -> np.ndarray:
    """Return what the plan said to spend by the pacing day, per row and period.

    Paid media runs day by day: the plan's spend pro rata to the days gone (``share`` of each period).
    A booked row (a creator, paid per post) is paid on the day a campaign runs, not day by day: in a
    period under way the plan to date is what was paid, up to the period's plan (a campaign not yet run is
    not behind until its period is over, one paid beyond the plan is ahead).

    Parameters
    ----------
    planned, actual : ndarray (rows, periods)
    share : ndarray (periods,)
        Share of each period's days gone (0 to 1).
    booked : ndarray (rows,) of bool

    Returns
    -------
    ndarray (rows, periods)
    """
    running = (share > 0) & (share < 1)
    paid_so_far = np.where(running[None, :], np.minimum(np.maximum(actual, 0.0), planned), planned * share)
    return np.where(booked[:, None], paid_so_far, planned * share)


def _worth(v: PlanValue) -> float:
    return v.total_response + v.after_response


def _kept(curves: pd.DataFrame, remaining: np.ndarray, unpaid: np.ndarray, left: float) -> np.ndarray | None:
    """Return the plan's own spend for the days left, fitted to the money left (None when it plans nothing).

    Rows booked in whole units (creators) keep the plan's bookings not yet paid (``unpaid``: each period's
    plan less what was paid in it, for the periods not over); the others keep the plan's spend for the days
    left (``remaining``), scaled so the total is the money left (all rows scaled down when the bookings alone
    need more).
    """
    booked = np.isfinite(pd.to_numeric(curves["unit_cost"], errors="coerce").to_numpy(dtype=float))
    out = np.where(booked[:, None], unpaid, remaining)
    fixed, flex = out[booked].sum(), out[~booked].sum()
    if fixed + flex <= 0:
        return None
    if fixed <= left and flex > 0:
        out[~booked] *= (left - fixed) / flex
    else:
        out *= left / (fixed + flex)
    return out


def _long(curves: pd.DataFrame, starts: pd.Series, spend: np.ndarray) -> pd.DataFrame:
    i, p = np.nonzero(spend > 0)
    return pd.DataFrame({"name": curves["name"].astype(str).to_numpy()[i], "period": starts.to_numpy()[p],
                         "spend": spend[i, p]})


def pace(curves: pd.DataFrame, plan: pd.DataFrame, horizon: Horizon, actuals: Actuals,
         as_of: _dt.date | None = None, budget: float | None = None, after: bool = False,
         min_flight: int = 1) -> Pacing:
    """Compare a plan over time with the actual spend to date and re-plan the rest (module docstring).

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    plan : DataFrame
        ``name, period, spend``: the plan's spend per name and period (``period`` its first day).
    horizon : Horizon
        The plan's horizon.
    actuals : Actuals
        From :func:`planner.analysis.actuals_file.read_actuals`.
    as_of : date, optional
        The last day the actual spend counts. Default: the last day the actuals cover, or the horizon's
        end if that comes first.
    budget : float, optional
        The total over the horizon. Default: the plan's total spend.
    after : bool, default False
        Count what spend earns after the horizon through carry-over.
    min_flight : int, default 1
        Shortest flight and pause, in periods, of the networks' paid media over the rest
        (:mod:`planner.flighting.runs`).

    Returns
    -------
    Pacing

    Raises
    ------
    InputError
        When the pacing day is before the horizon starts, or the plan's periods are not the horizon's.
    """
    curves = validate_curves(curves)
    periods = horizon.periods()
    starts = periods["period"]
    as_of = min(as_of or actuals.last_day, horizon.end)
    if as_of < horizon.start:
        raise InputError(f"The spend to date runs to {as_of.isoformat()}, before the plan starts "
                         f"({horizon.start.isoformat()}): there is nothing to pace yet.")
    budget = round(float(plan["spend"].sum()) if budget is None else float(budget), 2)
    notes: list[str] = list(actuals.notes)
    warnings: list[str] = []

    # the plan on the curve table's rows
    plan_at = np.searchsorted(starts.to_numpy(), pd.to_datetime(plan["period"]).to_numpy(), side="right") - 1
    planned, plan_miss, loose = _grid(curves, plan["name"], plan_at, plan["spend"].to_numpy(dtype=float), starts)
    if plan_miss.any():
        lost = plan.loc[plan_miss]
        warnings.append(f"The plan names {len(set(lost['name']))} that the model does not have "
                        f"({_names(dict.fromkeys(lost['name']))}): their {money(float(lost['spend'].sum()))} is "
                        "planned but not valued.")

    # the actual spend, day by day, on the plan's periods up to the pacing day
    daily = _daily(actuals)
    day = daily["day"].to_numpy()
    before = day < np.datetime64(horizon.start)
    later = day > np.datetime64(as_of)
    for mask, what in ((before, f"before the plan starts ({horizon.start.isoformat()})"),
                       (later, f"after {as_of.isoformat()}, the day paced to")):
        if mask.any():
            notes.append(f"{money(float(daily.loc[mask, 'spend'].sum()))} of the spend in {actuals.source} is "
                         f"{what} and is not counted.")
    inside = ~(before | later)
    d = daily.loc[inside]
    at_p = np.searchsorted(starts.to_numpy(), d["day"].to_numpy(), side="right") - 1
    actual, act_miss, loose_a = _grid(curves, d["name"], at_p, d["spend"].to_numpy(dtype=float), starts)
    loose = list(dict.fromkeys(loose + loose_a))
    if loose:
        notes.append("Names matched by a looser rule: " + "; ".join(loose[:LISTED])
                     + (f"; and {len(loose) - LISTED} more" if len(loose) > LISTED else "") + ".")
    unknown = float(d.loc[act_miss, "spend"].sum())
    if act_miss.any():
        names = list(dict.fromkeys(d.loc[act_miss, "name"]))
        warnings.append(f"{len(names)} {'name' if len(names) == 1 else 'names'} in {actuals.source} "
                        f"{'matches' if len(names) == 1 else 'match'} no name in the model "
                        f"({_names(names)}): {money(unknown)} of spend counts as spent, with no expected revenue.")
    spent = round(float(actual.sum()) + unknown, 2)

    # how far into each period the pacing day is
    first = starts.dt.date.to_numpy()
    last = periods["last"].dt.date.to_numpy()
    elapsed = np.array([max(0, (min(b, as_of) - a).days + 1) for a, b in zip(first, last, strict=True)], dtype=float)
    share = elapsed / periods["days"].to_numpy()
    booked = np.isfinite(pd.to_numeric(curves["unit_cost"], errors="coerce").to_numpy(dtype=float))
    to_date = plan_to_date(planned, actual, share, booked)

    # the rest, re-planned from the carry-over the actual spend built
    rest_grid = np.zeros_like(planned)
    rest, kept = None, None
    left = round(budget - spent, 2)
    if as_of >= horizon.end:
        notes.append("The horizon is over: there is nothing left to plan.")
    elif left <= 0:
        warnings.append(f"The budget of {money(budget)} is spent ({money(spent)} to {as_of.isoformat()}): nothing is "
                        "left for the rest of the horizon.")
    else:
        z0 = carried_adstock(curves, actual, elapsed)
        rest = _rest_horizon(horizon, as_of)
        grid = plan_rest(curves, left, horizon, rest, actual.sum(1), z0, after, min_flight)
        to = np.searchsorted(starts.to_numpy(), rest.periods()["period"].to_numpy(), side="right") - 1
        np.add.at(rest_grid, (slice(None), to), grid)
        kept_grid = _kept(curves, planned - to_date, np.maximum(planned - actual, 0.0) * (share < 1), left)
        if kept_grid is not None:
            kept = value_plan(curves, _long(curves, starts, actual + kept_grid), horizon, after)
    value = value_plan(curves, _long(curves, starts, planned), horizon, after)
    expected = value_plan(curves, _long(curves, starts, actual + rest_grid), horizon, after)
    if kept is not None and _worth(kept) > _worth(expected):
        # the re-plan works on the days left (the current period split at the pacing day), the valuation on
        # whole periods: where the plan's own pattern values higher, it is the rest (it is a plan too)
        rest_grid, expected = kept_grid, kept
        notes.append("The plan's own pattern for the rest (creators' bookings as planned, the other rows scaled to "
                     "the money left) earns at least as much as a re-plan, so the rest keeps it.")

    status = np.where(elapsed > 0, status_of(actual.sum(0), to_date.sum(0)), "to come")
    per_period = pd.DataFrame({
        "period": starts, "label": periods["label"], "days": periods["days"].astype(int), "elapsed": elapsed.astype(int),
        "planned": planned.sum(0), "planned_to_date": to_date.sum(0), "actual": actual.sum(0),
        "rest": rest_grid.sum(0), "expected": actual.sum(0) + rest_grid.sum(0), "status": status,
    })
    rows = _row_table(curves, per_period, planned, to_date, actual, rest_grid, elapsed)
    return Pacing(horizon, as_of, budget, per_period, rows, spent, rest, value, expected, kept,
                  tuple(warnings), tuple(dict.fromkeys(notes)))


def _row_table(curves, per_period, planned, to_date, actual, rest, elapsed) -> pd.DataFrame:
    n, p = planned.shape
    i = np.repeat(np.arange(n), p)
    j = np.tile(np.arange(p), n)
    t = pd.DataFrame({
        "name": curves["name"].astype(str).to_numpy()[i], "network": curves["network"].astype(str).to_numpy()[i],
        "period": per_period["period"].to_numpy()[j], "label": per_period["label"].to_numpy()[j],
        "planned": planned.ravel(), "planned_to_date": to_date.ravel(), "actual": actual.ravel(),
        "rest": rest.ravel(), "expected": (actual + rest).ravel(),
    })
    t["status"] = np.where(elapsed[j] > 0, status_of(t["actual"].to_numpy(), t["planned_to_date"].to_numpy()),
                           "to come")
    keep = (t[["planned", "actual", "rest"]].to_numpy() != 0).any(axis=1)
    return t.loc[keep].reset_index(drop=True)
