"""A planning horizon split into weeks or months.

A horizon is a first and a last date (both inclusive) and a period, ``week`` or ``month``.
Its periods start on the horizon's first date and then every 7 days (weeks) or on the 1st of
every month (months); the first and last may be shorter than the rest. Each period knows its
length in weeks, which is what the response curves (one quarter = 13 weeks) are scaled by.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from planner.base.errors import InputError

__all__ = ["Horizon", "PERIODS", "parse_horizon", "next_months", "QUARTER_WEEKS", "period_start"]

PERIODS = ("week", "month")
QUARTER_WEEKS = 13.0  # the curve table's planning period
MAX_DAYS = 3 * 366  # three years: beyond it a response curve fitted on past quarters says nothing

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_WEEK_OF = re.compile(r"^(?:week\s+(?:of|from|starting)\s+)(\d{4}-\d{1,2}-\d{1,2})$", re.I)
_MONTH_YEAR = re.compile(r"^([a-z]{3,9})\.?[\s\-/']+(\d{4})$", re.I)
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTHS = {calendar.month_name[i].lower(): i for i in range(1, 13)}


@dataclass(frozen=True)
class Horizon:
    """The dates a plan covers and how they are split.

    Attributes
    ----------
    start, end : date
        First and last day of the horizon (inclusive).
    period : str
        ``"week"`` or ``"month"``.
    anchor : date, optional
        For weeks: a day the weeks start on (weeks then start on it and every 7 days before and after,
        the first period running from ``start`` to the day before the next of them); the rest of a plan
        re-planned mid-week keeps the plan's weeks. Without it, weeks start on ``start``.
    """

    start: date
    end: date
    period: str = "month"
    anchor: date | None = None

    def __post_init__(self) -> None:
        if self.period not in PERIODS:
            raise InputError(f"The period must be week or month, not {self.period!r}.")
        if self.end < self.start:
            raise InputError(f"The horizon ends ({self.end.isoformat()}) before it starts "
                             f"({self.start.isoformat()}).")
        if (self.end - self.start).days + 1 > MAX_DAYS:
            raise InputError(f"The horizon {self.start.isoformat()} to {self.end.isoformat()} is longer than three "
                             "years; plan at most three years ahead.")

    @property
    def days(self) -> int:
        """Days in the horizon, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> float:
        """Weeks in the horizon (days / 7)."""
        return self.days / 7.0

    def starts(self) -> list[date]:
        """Return the first day of every period, in order."""
        out = [self.start]
        if self.period == "week":
            d = self.start + timedelta(days=7)
            if self.anchor is not None:
                d = self.start + timedelta(days=7 - (self.start - self.anchor).days % 7)
            while d <= self.end:
                out.append(d)
                d += timedelta(days=7)
            return out
        d = _next_month(self.start)
        while d <= self.end:
            out.append(d)
            d = _next_month(d)
        return out

    def periods(self) -> pd.DataFrame:
        """Return one row per period: ``period`` (first day), ``last`` (last day), ``days``, ``weeks``, ``label``."""
        starts = self.starts()
        lasts = [s - timedelta(days=1) for s in starts[1:]] + [self.end]
        days = np.array([(b - a).days + 1 for a, b in zip(starts, lasts, strict=True)], dtype=float)
        return pd.DataFrame({
            "period": pd.to_datetime(starts), "last": pd.to_datetime(lasts), "days": days, "weeks": days / 7.0,
            "label": [period_label(s, self.period) for s in starts],
        })

    def label(self) -> str:
        """Return the horizon in words: '2027-01-01 to 2027-12-31 in 12 months'."""
        n = len(self.starts())
        unit = self.period if n == 1 else self.period + "s"
        return f"{self.start.isoformat()} to {self.end.isoformat()} in {n} {unit}"


def period_label(start: date, period: str) -> str:
    """Return a period's short name: 'Jan 2027' for a month, 'Week of 2027-01-04' for a week."""
    return pd.Timestamp(start).strftime("%b %Y") if period == "month" else f"Week of {start.isoformat()}"


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _date(text: str, which: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"The horizon's {which} date {text.strip()!r} is not a date; write it as YYYY-MM-DD, "
                         "for example 2027-01-01.") from None


def parse_horizon(text: str, period: str = "month") -> Horizon:
    """Read ``START:END`` (ISO dates, both inclusive) and a period into a :class:`Horizon`.

    Raises
    ------
    InputError
        With a sentence, when the text is not two dates or they are out of order.
    """
    parts = str(text).split(":")
    if len(parts) != 2:
        raise InputError(f"The horizon {text!r} must be two dates, START:END, for example 2027-01-01:2027-12-31.")
    return Horizon(_date(parts[0], "first"), _date(parts[1], "last"), str(period).strip().lower())


def next_months(today: date, months: int, period: str = "month") -> Horizon:
    """Return the ``months`` calendar months after the one ``today`` is in (next quarter: 3)."""
    start = _next_month(today)
    end = start
    for _ in range(months):
        end = _next_month(end)
    return Horizon(start, end - timedelta(days=1), period)


def period_start(cell) -> date | None:
    """Return the date a header or cell names as a period's first day, or None when it names none.

    Parameters
    ----------
    cell : object
        A date or datetime cell, or text: ``2027-01-04``, ``Week of 2027-01-04``, ``Jan 2027``,
        ``January 2027`` or ``2027-01`` (the last three: the 1st of the month).

    Returns
    -------
    date or None
    """
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if not isinstance(cell, str):
        return None
    text = cell.strip()
    try:
        if m := _WEEK_OF.match(text):
            return date.fromisoformat(_iso(m.group(1)))
        if m := _ISO.match(text):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _YEAR_MONTH.match(text):
            return date(int(m.group(1)), int(m.group(2)), 1)
        if m := _MONTH_YEAR.match(text):
            word = m.group(1).lower()
            month = next((i for name, i in _MONTHS.items() if name.startswith(word)), None)
            return date(int(m.group(2)), month, 1) if month else None
    except ValueError:  # 2027-02-30, month 13
        return None
    return None


def _iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
