"""Last year's pattern: a budget spread over a horizon's periods and rows as the spend history was a year earlier.

Meridian keeps a budget's historical flighting by default, so a manager reads a plan over time against
what doing as last year would earn. :func:`last_year_pattern` takes the spend history
(:func:`planner.data.history.spend_history`) and matches each period of the horizon with the same days a
year earlier: a month with the same month of the year before (a part month with the same days of it), a
week with the week 52 weeks (364 days) earlier, which starts on the same weekday. Each amount of the
history is spread evenly over the days it covers (a week of paid media over its 7 days, a creator's fee on
its day) and summed per curve-table row and period; the result is scaled to add up to the budget, to the
cent. A row that spent nothing then gets nothing in any period, and is counted.

A pattern is only as good as the dates it comes from, so it is refused, with a sentence, when the history
does not cover every day a year before the horizon (the history covers from its first amount's first day
to its last amount's last day): a pattern from part of the periods would put nothing, or too little, where
the data simply stops, and the comparison would mislead. It is refused too when nothing was spent on the
curve table's rows then. :func:`last_year` values the pattern with :func:`value_plan` on the plan's own
model (same curves, horizon, start and counting after the horizon) and says what the plan earns over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from planner.base.format import money, things
from planner.data.history import covered_days
from planner.flighting.horizon import Horizon
from planner.flighting.plan import FlightPlan, cents
from planner.flighting.value import PlanValue, value_plan

__all__ = ["LastYearPattern", "LastYear", "year_earlier", "last_year_pattern", "last_year", "timed_as_last_year"]

WEEKS_BACK = timedelta(days=364)  # 52 weeks: a week a year earlier starts on the same weekday


@dataclass(frozen=True)
class LastYearPattern:
    """A budget spread as the spend history was a year before a horizon, or why it cannot be.

    Attributes
    ----------
    table : DataFrame or None
        ``name, period, spend``: every curve-table row in every period of the horizon (``period`` its first
        day), adding up to the budget; None when refused.
    first, last : date
        The days a year before the horizon the pattern is read from.
    spent : float
        What the history spent on the curve table's rows in those days.
    idle : int
        Curve-table rows that spent nothing then (they get nothing).
    rows : int
        Rows in the curve table.
    unknown : tuple of str
        Names the history spent on then that the curve table does not have (left out of the pattern).
    unknown_spend : float
        What those names spent then.
    reason : str or None
        Why there is no pattern, in a sentence; None when there is one.
    """

    table: pd.DataFrame | None
    first: date
    last: date
    spent: float = 0.0
    idle: int = 0
    rows: int = 0
    unknown: tuple[str, ...] = ()
    unknown_spend: float = 0.0
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """Whether there is a pattern."""
        return self.table is not None

    def notes(self) -> list[str]:
        """Return what the pattern is read from, in sentences (the reason alone when refused)."""
        if not self.ok:
            return [str(self.reason)]
        out = [f"Last year's pattern follows your spend from {self.first.isoformat()} to {self.last.isoformat()} "
               f"({money(self.spent)}), scaled to the budget."]
        if self.idle:
            gets = "gets" if self.idle == 1 else "get"
            out.append(f"{self.idle:,} of the {self.rows:,} networks and creators planned spent nothing then and "
                       f"{gets} nothing in it.")
        if self.unknown:
            out.append(f"Spend then on {things(len(self.unknown), 'name')} the model has no curve for "
                       f"({money(self.unknown_spend)}) is left out.")
        return out


def year_earlier(horizon: Horizon) -> pd.DataFrame:
    """Return each period of ``horizon`` with the days it is matched with a year earlier.

    Parameters
    ----------
    horizon : Horizon

    Returns
    -------
    DataFrame
        ``period`` (the period's first day), ``first`` and ``last`` (Timestamps, both inclusive): for months
        the same days of the year before (29 February read as 28 February), for weeks the days 364 days
        earlier.
    """
    per = horizon.periods()
    if horizon.period == "week":
        first, last = per["period"] - WEEKS_BACK, per["last"] - WEEKS_BACK
    else:
        back = pd.DateOffset(years=1)
        first = pd.DatetimeIndex([d - back for d in per["period"]])
        last = pd.DatetimeIndex([d - back for d in per["last"]])
    return pd.DataFrame({"period": per["period"].to_numpy(), "first": np.asarray(first, dtype="datetime64[ns]"),
                         "last": np.asarray(last, dtype="datetime64[ns]")})


def _days(a: pd.Timestamp, b: pd.Timestamp) -> str:
    return f"{a.date().isoformat()} to {b.date().isoformat()}"


def _uncovered(history: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> str | None:
    """Return why the history does not cover ``first`` to ``last``, or None when it does."""
    span = covered_days(history)
    if span is None:
        return "There is no spend history to take last year's pattern from."
    lo, hi = span
    need = f"your spend from {_days(first, last)}, a year before this horizon"
    if lo <= first and last <= hi:
        return None
    if hi < first or last < lo:
        return f"Last year's pattern needs {need}; the data covers {_days(lo, hi)}."
    return (f"Last year's pattern needs {need}; the data covers only {_days(max(lo, first), min(hi, last))} of it "
            f"(it runs from {_days(lo, hi)}), and a pattern from part of those dates would mislead.")


def _spent(history: pd.DataFrame, windows: pd.DataFrame) -> pd.DataFrame:
    """Return each name's spend in each window (names by rows, windows by columns): amounts spread over their days."""
    start = pd.to_datetime(history["date"]).dt.normalize().to_numpy(dtype="datetime64[D]")
    days = (history["days"].to_numpy(dtype=int) if "days" in history else np.ones(len(history), dtype=int))
    days = np.maximum(days, 1)
    end = start + (days - 1).astype("timedelta64[D]")
    lo = windows["first"].to_numpy(dtype="datetime64[D]")
    hi = windows["last"].to_numpy(dtype="datetime64[D]")
    near = (end >= lo.min()) & (start <= hi.max())  # the amounts that fall in the windows at all
    history, start, end, days = history[near], start[near], end[near], days[near]
    overlap = (np.minimum(end[:, None], hi[None, :]) - np.maximum(start[:, None], lo[None, :])).astype(int) + 1
    share = np.clip(overlap, 0, None) / days[:, None]
    cells = pd.DataFrame(share * history["spend"].to_numpy(dtype=float)[:, None], index=history["name"].astype(str))
    return cells.groupby(level=0, sort=False).sum()


def last_year_pattern(curves: pd.DataFrame, history: pd.DataFrame, horizon: Horizon,
                      budget: float) -> LastYearPattern:
    """Spread ``budget`` over ``horizon`` as the spend history was spread over the same periods a year earlier.

    Parameters
    ----------
    curves : DataFrame
        The curve table: its ``name`` column names the rows planned.
    history : DataFrame
        ``name, date, spend`` and optionally ``days`` (how many days from ``date`` an amount covers, one
        without it): :func:`planner.data.history.spend_history`.
    horizon : Horizon
    budget : float
        What the pattern spends in all, to the cent.

    Returns
    -------
    LastYearPattern
        Its ``table`` (``name, period, spend`` for every curve-table row and period), or None and a
        ``reason`` when the history does not cover every day a year before the horizon or spent nothing on
        the curve table's rows then.
    """
    windows = year_earlier(horizon)
    first, last = pd.Timestamp(windows["first"].iloc[0]), pd.Timestamp(windows["last"].iloc[-1])
    names = curves["name"].astype(str).tolist()
    said = {"first": first.date(), "last": last.date(), "rows": len(names)}
    why = _uncovered(history, first, last)
    if why is not None:
        return LastYearPattern(None, reason=why, **said)
    cells = _spent(history, windows).clip(lower=0.0)
    by_name = cells.sum(axis=1)
    unknown = by_name[(by_name > 0) & ~by_name.index.isin(names)]
    grid = cells.reindex(names).fillna(0.0).to_numpy(dtype=float)
    total = float(grid.sum())
    said.update(spent=total, idle=int((grid.sum(axis=1) <= 0).sum()), unknown=tuple(unknown.index),
                unknown_spend=float(unknown.sum()))
    if not total > 0:
        return LastYearPattern(None, reason=f"Nothing was spent on the networks and creators planned from "
                                            f"{_days(first, last)}, so there is no pattern of last year's to follow.",
                               **said)
    spend = cents(grid * (float(budget) / total))
    P = len(windows)
    table = pd.DataFrame({"name": np.repeat(names, P), "period": np.tile(windows["period"].to_numpy(), len(names)),
                          "spend": spend.ravel()})
    return LastYearPattern(table, **said)


@dataclass(frozen=True)
class LastYear:
    """A plan over time next to last year's pattern of the same budget, valued on the same model.

    Attributes
    ----------
    pattern : LastYearPattern
    value : PlanValue or None
        What the pattern earns (None without a pattern).
    over : float or None
        What the plan earns over the pattern (inside the horizon, plus after it when the plan counts that).
    timing : float or None
        Of ``over``, what timing alone brings: what the plan earns over its own totals per row spent when each
        row spent last year (:func:`timed_as_last_year`); the rest, ``over - timing``, is the split of the
        budget between rows.
    """

    pattern: LastYearPattern
    value: PlanValue | None
    over: float | None
    timing: float | None = None

    @property
    def earns(self) -> float | None:
        """What the pattern earns, counted as the plan is (after the horizon included when the plan counts it)."""
        return None if self.value is None else _worth(self.value)


def _worth(value: PlanValue) -> float:
    return value.total_response + value.after_response


def last_year(plan: FlightPlan, curves: pd.DataFrame, history: pd.DataFrame) -> LastYear:
    """Set ``plan`` beside last year's pattern of its budget over its horizon, valued on the same model.

    Parameters
    ----------
    plan : FlightPlan
        A plan made by :func:`planner.flighting.plan_flighting` on ``curves`` (today's carry-over entering
        the horizon, its default: the pattern is valued with the same).
    curves : DataFrame
        The curve table the plan was made on.
    history : DataFrame
        The spend history (:func:`last_year_pattern`).

    Returns
    -------
    LastYear
    """
    pattern = last_year_pattern(curves, history, plan.horizon, plan.budget)
    if not pattern.ok:
        return LastYear(pattern, None, None)
    value = value_plan(curves, pattern.table, plan.horizon, after=plan.after)
    timed = value_plan(curves, timed_as_last_year(plan.table, pattern.table), plan.horizon, after=plan.after)
    return LastYear(pattern, value, plan.value - _worth(value), plan.value - _worth(timed))


def timed_as_last_year(plan: pd.DataFrame, pattern: pd.DataFrame) -> pd.DataFrame:
    """Return the plan's total per row spread over the periods as that row's spend was last year.

    Parameters
    ----------
    plan, pattern : DataFrame
        ``name, period, spend``: a plan over time and last year's pattern over the same periods.

    Returns
    -------
    DataFrame
        ``name, period, spend``: each row's plan total, in cents, in the shares of its pattern; a row the
        pattern leaves idle keeps the plan's own spread.
    """
    mine = plan.pivot_table(index="name", columns="period", values="spend", aggfunc="sum", sort=False).fillna(0.0)
    theirs = pattern.pivot_table(index="name", columns="period", values="spend", aggfunc="sum", sort=False)
    theirs = theirs.reindex(index=mine.index, columns=mine.columns).fillna(0.0).to_numpy(dtype=float)
    m = mine.to_numpy(dtype=float)
    sums = theirs.sum(axis=1, keepdims=True)
    out = np.where(sums > 0, m.sum(axis=1, keepdims=True) * np.divide(theirs, sums, out=np.zeros_like(theirs),
                                                                         where=sums > 0), m)
    P = m.shape[1]
    return pd.DataFrame({"name": np.repeat(mine.index.to_numpy(), P), "period": np.tile(mine.columns.to_numpy(), len(m)),
                         "spend": cents(out).ravel()})
