"""Dates far from the rest of their column: a 1900 among weeks of 2024 is a typing error, not a week of spend.

    from planner.data.far_dates import far_dates
    far_dates(np.array(["1900-01-01", "2024-01-01", "2024-01-08"], "datetime64[ns]"), np.array([1, 9, 9]))
    # [(0, '1900-01-01 is 124 years before the other dates (2024-01-01 to 2024-01-08)')]

The column's distinct dates are split where two neighbours are further apart than both
:data:`FAR_DAYS` and :data:`FAR_STEPS` usual steps; the group with the most rows is the
table, and a group of at most :data:`FAR_SHARE` of the rows far from it is reported (the
caller leaves those rows out).  A bigger group is a real gap in the data, which
:func:`planner.data.checks.check_dates_in_order` reports as missing periods.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FAR_DAYS", "FAR_STEPS", "FAR_SHARE", "far_dates"]

FAR_DAYS = 2 * 365  # two years
FAR_STEPS = 50  # or fifty of the column's usual steps (weeks, months), whichever is longer
FAR_SHARE = 0.10  # a group of at most this share of the rows is a mistake, not a period of the data


def _distance(days: int) -> str:
    years = round(days / 365.25)
    return f"{years} years" if years != 1 else "1 year"


def far_dates(values: np.ndarray, weights: np.ndarray) -> list[tuple[int, str]]:
    """Return the dates far from the rest of the column, with the sentence saying so.

    Parameters
    ----------
    values : ndarray of datetime64
        The column's distinct dates (NaT for blanks and unreadable cells, left out).
    weights : ndarray of int
        How many rows hold each date.

    Returns
    -------
    list of tuple of (int, str)
        ``(position in values, sentence)`` for each far date, e.g. ``'1900-01-01 is 124
        years before the other dates (2024-01-01 to 2024-06-10)'`` (no full stop).
    """
    ok = np.flatnonzero(~np.isnat(values))
    if len(ok) < 3:
        return []
    days = values[ok].astype("datetime64[D]").astype(np.int64)
    order = np.argsort(days, kind="stable")
    d, w = days[order], np.asarray(weights, dtype=np.int64)[ok][order]
    gaps = np.diff(d)
    steps = gaps[gaps > 0]
    step = float(np.median(steps)) if len(steps) else 1.0
    cuts = np.flatnonzero(gaps > max(FAR_DAYS, FAR_STEPS * step)) + 1
    if not len(cuts):
        return []
    bounds = np.concatenate([[0], cuts, [len(d)]])
    rows = np.add.reduceat(w, bounds[:-1])
    main = int(np.flatnonzero(rows == rows.max())[-1])  # the most rows; on a tie the latest
    lo, hi = d[bounds[main]], d[bounds[main + 1] - 1]
    first, last = np.datetime64(int(lo), "D"), np.datetime64(int(hi), "D")
    out = []
    for g in range(len(rows)):
        if g == main or rows[g] > FAR_SHARE * w.sum():
            continue
        for k in range(bounds[g], bounds[g + 1]):
            side = "before" if d[k] < lo else "after"
            far = lo - d[k] if d[k] < lo else d[k] - hi
            out.append((int(ok[order[k]]), f"{np.datetime64(int(d[k]), 'D')} is {_distance(int(far))} {side} the "
                                            f"other dates ({first} to {last})"))
    return sorted(out)
