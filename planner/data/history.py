"""The spend history of the imported data: what each curve-table row spent, and the days each amount covers.

Rows are named as the curve table names them (:mod:`planner.base.names`): a network's paid media by the
network, a creator ``Network/@handle``. A dated amount covers days:

- paid media (a ``"total"`` dataset's rows, or an ``"attributed"`` row without a creator) covers its period:
  from its date to the day before the dataset's next date, at most the commonest gap between its dates (a
  week of a weekly table, where a week is missing too), its last date that gap; a table by month (dates on
  the firsts of months) covers calendar months;
- a creator's fee is paid on the day of the campaign: one day.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planner.base.names import creator_names

__all__ = ["HISTORY_COLUMNS", "spend_history", "covered_days"]

HISTORY_COLUMNS = ("name", "date", "days", "spend")
MONTHLY = (27, 32)  # the median gap between dates, in days, of a table by month


def _spans(dates: pd.Series) -> pd.Series:
    """Return the days each date of one table's periods covers: to the next date, at most the commonest gap.

    A table by month (its dates the firsts of months, about a month apart) covers calendar months; a table of
    one date, that day.
    """
    uniq = np.sort(dates.dropna().unique())
    if len(uniq) < 2:
        return pd.Series(1, index=dates.index, dtype=int)
    gaps = np.rint(np.diff(uniq) / np.timedelta64(1, "D")).astype(int)
    values, counts = np.unique(gaps, return_counts=True)
    step = int(values[np.argmax(counts)])  # the usual step: the commonest gap (the shorter of equally common ones)
    if bool((pd.DatetimeIndex(uniq).day == 1).all()) and MONTHLY[0] <= float(np.median(gaps)) <= MONTHLY[1]:
        return pd.Series(dates.dt.days_in_month.to_numpy(dtype=int), index=dates.index)
    days = np.append(np.minimum(gaps, step), step).astype(int)
    return pd.Series(days[pd.Index(uniq).get_indexer(dates)], index=dates.index)


def _one(ds) -> pd.DataFrame:
    r = ds.rows
    if r is None or not len(r) or not {"date", "network", "spend"} <= set(r.columns):
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))
    r = r.assign(date=pd.to_datetime(r["date"], errors="coerce").dt.normalize(),
                 spend=pd.to_numeric(r["spend"], errors="coerce")).dropna(subset=["date", "spend"])
    network = r["network"].astype(str)
    entity = r["entity"].fillna("").astype(str).str.strip() if "entity" in r else pd.Series("", index=r.index)
    creator = entity != ""
    name = network.where(~creator, creator_names(network, entity))
    days = pd.Series(1, index=r.index, dtype=int)
    if (~creator).any():
        days[~creator] = _spans(r.loc[~creator, "date"])
    return pd.DataFrame({"name": name, "date": r["date"], "days": days, "spend": r["spend"].astype(float)})


def spend_history(datasets: Iterable) -> pd.DataFrame:
    """Return the spend of every imported dataset, named as the curve table names its rows.

    Parameters
    ----------
    datasets : iterable of Dataset
        :class:`planner.data.dataset.Dataset` objects (kinds ``"attributed"`` and ``"total"``); rows without
        a date or a spend are left out.

    Returns
    -------
    DataFrame
        ``name`` (a network for paid media, ``Network/@handle`` for a creator), ``date`` (the first day the
        amount covers, a Timestamp), ``days`` (how many days it covers: the table's period for paid media,
        one for a creator's fee) and ``spend``; one row per input row, in dataset order.
    """
    parts = [p for p in (_one(ds) for ds in datasets) if len(p)]
    if not parts:
        return pd.DataFrame({"name": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]"),
                             "days": pd.Series(dtype=int), "spend": pd.Series(dtype=float)})
    return pd.concat(parts, ignore_index=True)


def covered_days(history: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Return the first and last day a spend history covers (None when it has no rows).

    Parameters
    ----------
    history : DataFrame
        :func:`spend_history`'s table (``days`` optional: one day each without it).

    Returns
    -------
    tuple of Timestamp, or None
        The earliest ``date`` and the latest last day an amount covers (``date + days - 1``).
    """
    if history is None or not len(history):
        return None
    first = pd.to_datetime(history["date"])
    days = history["days"] if "days" in history else pd.Series(1, index=history.index)
    last = first + pd.to_timedelta(days.astype(int) - 1, unit="D")
    return first.min().normalize(), last.max().normalize()
