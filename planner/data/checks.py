"""Checks of a table's values a person should look at: typing errors, dates out of order, missing periods."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.data.issues import IssueLog, RowEvents

__all__ = ["outliers", "check_dates_in_order"]


def outliers(values: np.ndarray, groups: Sequence[str]) -> list[tuple[int, float]]:
    """Return the positions of values far above the rest of their group, with the group's median.

    Far above: over 10x the median of the group and over 3x every other value of it
    (groups of 8 values or more).

    Parameters
    ----------
    values : ndarray of float
        The values; zero, negative and NaN ones are left out.
    groups : sequence
        The group of each value (any hashable labels).

    Returns
    -------
    list of tuple of (int, float)
        ``(position in values, median of its group)``, at most one per group (its
        largest value), in order of position.
    """
    out = []
    frame = pd.DataFrame({"v": values, "g": pd.Series(groups, dtype=object)})
    frame = frame[(frame["v"] > 0) & frame["v"].notna()]
    sizes = frame.groupby("g", sort=False)["v"].transform("size")
    frame = frame[sizes >= 8]
    for _, sub in frame.groupby("g", sort=False):
        vals = sub["v"].to_numpy()
        order = np.argsort(vals)
        top, second = vals[order[-1]], vals[order[-2]]
        med = float(np.median(vals))
        if top > 10 * med and top > 3 * second:
            out.append((int(sub.index[order[-1]]), med))
    return sorted(out)


_PERIOD_UNITS = ((1.5, "day", "days"), (8, "week", "weeks"), (15, "fortnight", "fortnights"),
                 (32, "month", "months"), (95, "quarter", "quarters"), (370, "year", "years"))


def check_dates_in_order(log: IssueLog, dates: np.ndarray, rows: np.ndarray, column: str) -> None:
    """Warn about dates earlier than one above them, and about periods missing between dates.

    Adds warnings to ``log`` (a few rows of each kind, the rest counted); nothing for
    fewer than three dates.  A period is missing where two distinct dates are more than
    1.5 times the usual (median) step apart.

    Parameters
    ----------
    log : IssueLog
        The log the warnings go to.
    dates : ndarray of datetime64
        The dates in table order.
    rows : ndarray of int
        The spreadsheet row number of each date.
    column : str
        The date column's header as written in the file.
    """
    if len(dates) < 3:
        return
    days = dates.astype("datetime64[D]").astype(np.int64)
    running = np.maximum.accumulate(days)
    back = np.flatnonzero(days[1:] < running[:-1]) + 1
    if len(back):
        at_max = {int(d): int(r) for d, r in zip(days[::-1], rows[::-1], strict=True)}  # first row of each date
        ev = RowEvents()
        ev.add(back, "warning", column, "date order",
               lambda p: (int(rows[p]), str(dates[p].astype("datetime64[D]")),
                          f"This date comes after {np.datetime64(int(running[p - 1]), 'D')} "
                          f"(row {at_max[int(running[p - 1])]}) although it is earlier; the rows were put in date order."))
        ev.flush(log)
    uniq, first = np.unique(days, return_index=True)
    if len(uniq) < 3:
        return
    gaps = np.diff(uniq)
    step = float(np.median(gaps))
    if step <= 0:
        return
    one, many = next(((a, b) for lim, a, b in _PERIOD_UNITS if step <= lim), ("period", "periods"))
    big = np.flatnonzero(gaps > 1.5 * step)
    ev = RowEvents()

    def gap(b: int) -> tuple[int, str, str]:
        missing = max(int(round(gaps[b] / step)) - 1, 1)
        a, z = np.datetime64(int(uniq[b]), "D"), np.datetime64(int(uniq[b + 1]), "D")
        return (int(rows[first[b + 1]]), str(z),
                f"{missing} {one if missing == 1 else many} between {a} (row {int(rows[first[b]])}) and {z} "
                f"{'is' if missing == 1 else 'are'} missing from the table; add {'it' if missing == 1 else 'them'} "
                f"if you have the figures: until then the model takes {'its' if missing == 1 else 'their'} spend as "
                f"between the {many} around {'it' if missing == 1 else 'them'}, and {'its' if missing == 1 else 'their'} "
                "sales as unknown.")

    ev.add(big, "warning", column, "missing periods", gap)
    ev.flush(log)

