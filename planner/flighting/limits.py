"""Limits on a plan over time: what may be spent in a period, by a network in a period, or by a network overall.

A limits table has one row per limit, with the columns

- ``network``: a network's name, or blank (or ``all``) for every network together;
- ``period``: a period's first day (``2027-03-01``, ``Mar 2027``, ``Week of 2027-03-01``), or blank (or
  ``all``) for the whole horizon;
- ``min_spend`` and ``max_spend``: the least and most to spend there (either may be blank).

A limit counts the spend of the networks' paid media: creators are booked per campaign within their
roster's limits, so their fees do not count against a period's limit (a row per creator can be limited with
the curve table's ``min_spend``/``max_spend`` as always). :func:`read_limits` checks the table against
the curve table and the horizon and returns :class:`SpendLimit` values for the solver; every mistake is a
sentence naming the row and the column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.base.format import money
from planner.flighting.horizon import Horizon, period_start

__all__ = ["SpendLimit", "read_limits", "limits_frame", "LIMIT_COLUMNS", "ALL"]

LIMIT_COLUMNS = ("network", "period", "min_spend", "max_spend")
ALL = "all"


@dataclass(frozen=True)
class SpendLimit:
    """A bound on the spend of some rows in some periods.

    Attributes
    ----------
    rows : ndarray of bool (rows of the curve table)
    periods : ndarray of bool (periods of the horizon)
    lo, hi : float
        The least and most (0 and inf when not set).
    label : str
        What is limited, in words ("Instagram in Mar 2027").
    """

    rows: np.ndarray
    periods: np.ndarray
    lo: float
    hi: float
    label: str

    def allowed(self) -> str:
        """Return the limit's range in words: '$5,000 to $9,000', 'at least $5,000' or 'at most $9,000'."""
        if self.lo > 0 and np.isfinite(self.hi):
            return f"{money(self.lo)} to {money(self.hi)}"
        return f"at least {money(self.lo)}" if self.lo > 0 else f"at most {money(self.hi)}"


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip().lower() in ("", ALL, "nan", "none")


def _period(v, horizon: Horizon, where: str) -> int:
    day = period_start(v)
    if day is None:
        raise InputError(f"{where}, column 'period' holds {str(v)!r}, which is not a period's first day; write a date "
                         "such as 2027-03-01, a month such as Mar 2027, or leave it blank for the whole horizon.")
    starts = horizon.starts()
    if day not in starts:
        inside = horizon.start <= day <= horizon.end
        said = (f"is not the first day of a {horizon.period}" if inside
                else f"is outside the horizon ({horizon.start.isoformat()} to {horizon.end.isoformat()})")
        raise InputError(f"{where}, column 'period': {day.isoformat()} {said}.")
    return starts.index(day)


def _amount(v, where: str, column: str) -> float | None:
    if _blank(v):
        return None
    try:
        x = float(str(v).replace(",", "").replace("$", "").strip()) if not isinstance(v, (int, float)) else float(v)
    except ValueError:
        raise InputError(f"{where}, column {column!r} holds {str(v)!r}, which is not an amount of money.") from None
    if not np.isfinite(x) or x < 0:
        raise InputError(f"{where}, column {column!r} holds {str(v)!r}; write an amount of at least 0.")
    return x


def read_limits(table: pd.DataFrame, curves: pd.DataFrame, horizon: Horizon, name: str = "The limits") -> list[SpendLimit]:
    """Check a limits table (module docstring) and return its limits.

    Parameters
    ----------
    table : DataFrame
        Columns ``network``, ``period``, ``min_spend``, ``max_spend`` (case and spaces in headers ignored).
    curves : DataFrame
        The validated curve table the plan is made of.
    horizon : Horizon
    name : str, optional
        How sentences name the table; a table's ``attrs["source"]`` (its file's name) comes first.

    Returns
    -------
    list of SpendLimit
        One per row that sets a minimum or a maximum; rows that set neither are left out.

    Raises
    ------
    InputError
        A missing column, a network the curve table lacks, a period not of the horizon, an amount that is
        not money, a minimum above its maximum, or the same network and period twice; each names its row.
    """
    name = table.attrs.get("source", name)
    t = table.rename(columns={c: str(c).strip().lower().replace(" ", "_") for c in table.columns})
    missing = [c for c in LIMIT_COLUMNS if c not in t.columns]
    if missing:
        raise InputError(f"{name} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; it needs "
                         "network, period, min_spend and max_spend (network or period blank for all).")
    networks = curves["network"].astype(str).to_numpy()
    paid = ~curves["name"].astype(str).str.contains("/", regex=False).to_numpy()
    labels = horizon.periods()["label"].tolist()
    out, seen = [], {}
    for k, r in enumerate(t.itertuples(index=False)):
        where = f"{name}, row {k + 2}"
        lo, hi = _amount(r.min_spend, where, "min_spend"), _amount(r.max_spend, where, "max_spend")
        if lo is None and hi is None:
            continue
        if lo is not None and hi is not None and lo > hi:
            raise InputError(f"{where}: the minimum {money(lo)} is above the maximum {money(hi)}.")
        if _blank(r.network):
            rows, what = paid.copy(), "every network"
        else:
            net = str(r.network).strip()
            match = np.char.lower(networks.astype(str)) == net.lower()
            if not match.any():
                raise InputError(f"{where}, column 'network': {net!r} is not a network of the curve table "
                                 f"({', '.join(sorted(set(networks)))}).")
            rows, what = paid & match, str(networks[match][0])
        periods = np.zeros(len(labels), dtype=bool)
        if _blank(r.period):
            periods[:] = True
            when = "over the horizon"
        else:
            p = _period(r.period, horizon, where)
            periods[p] = True
            when = f"in {labels[p]}"
        key = (what, when)
        if key in seen:
            raise InputError(f"{where}: {what} {when} is limited twice (also row {seen[key]}); keep one row.")
        seen[key] = k + 2
        out.append(SpendLimit(rows, periods, lo or 0.0, np.inf if hi is None else hi, f"{what} {when}"))
    return out


def limits_frame(rows, source: str = "The limits") -> pd.DataFrame | None:
    """Return ``(network, period, min_spend, max_spend)`` rows as a limits table named ``source`` (None for no rows).

    Parameters
    ----------
    rows : iterable of tuple
    source : str, optional
        How sentences about the table name it.

    Returns
    -------
    DataFrame or None
    """
    rows = list(rows)
    if not rows:
        return None
    table = pd.DataFrame(rows, columns=list(LIMIT_COLUMNS))
    table.attrs["source"] = source
    return table

