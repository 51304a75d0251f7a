"""Measured lifts (conversion-lift tests, geo holdouts, go-dark weeks) that calibrate the fit.

The table (DESIGN.md, ``fit --experiments FILE``) has one row per experiment: ``name`` (a curve-table
name: a network's paid media), ``start`` and ``end`` (dates, inclusive), ``lift`` (the outcome in the window
minus the outcome had that entity spent nothing during it) and ``lift_se`` (its standard error).
:func:`check_experiments` reads a table as pandas gives it and returns the clean one, or says in one
sentence which row and column is wrong.
"""

from __future__ import annotations

import pandas as pd

from planner.base.errors import InputError
from planner.data.headers import normalize_header

__all__ = ["EXPERIMENT_COLUMNS", "ExperimentError", "check_experiments"]

EXPERIMENT_COLUMNS = ("name", "start", "end", "lift", "lift_se")
_SYNONYMS = {"network": "name", "channel": "name", "entity": "name", "start date": "start", "from": "start",
             "end date": "end", "to": "end", "incremental outcome": "lift", "incremental revenue": "lift",
             "lift se": "lift_se", "standard error": "lift_se", "se": "lift_se"}


class ExperimentError(InputError):
    """An experiments table that cannot be used; the message names the row and column."""


def check_experiments(table: pd.DataFrame, source: str = "the experiments table") -> pd.DataFrame:
    """Return the experiments of ``table`` with typed columns, or raise with the first problem.

    Parameters
    ----------
    table : DataFrame
        As pandas reads the file (header on row 1); column names are matched ignoring case, spaces and
        underscores (``Lift SE``, ``lift_se``) and a few synonyms (``network``, ``start date``).
    source : str
        The file's name, for the messages.

    Returns
    -------
    DataFrame
        ``name`` (str), ``start``, ``end`` (Timestamps), ``lift``, ``lift_se`` (floats), one row per experiment.

    Raises
    ------
    ExperimentError
        A missing column, an empty table, or a row whose date, lift or standard error cannot be used (the
        sentence names its spreadsheet row, counting the header as row 1).
    """
    renamed = {}
    for col in table.columns:
        key = normalize_header(col)
        key = _SYNONYMS.get(key, key.replace(" ", "_"))
        if key in EXPERIMENT_COLUMNS and key not in renamed.values():
            renamed[col] = key
    t = table.rename(columns=renamed)
    missing = [c for c in EXPERIMENT_COLUMNS if c not in t.columns]
    if missing:
        raise ExperimentError(f"{source} has no column {', '.join(missing)}; it needs {', '.join(EXPERIMENT_COLUMNS)}.")
    t = t[list(EXPERIMENT_COLUMNS)].dropna(how="all").reset_index().rename(columns={"index": "row_number"})
    if t.empty:
        raise ExperimentError(f"{source} has no experiments in it.")
    out = []
    for r in t.itertuples(index=False):
        row = int(r.row_number) + 2
        name = "" if pd.isna(r.name) else str(r.name).strip()
        if not name:
            raise ExperimentError(f"{source}, row {row}, column name: no network is named.")
        start, end = pd.to_datetime(r.start, errors="coerce"), pd.to_datetime(r.end, errors="coerce")
        for col, value, raw in (("start", start, r.start), ("end", end, r.end)):
            if pd.isna(value):
                raise ExperimentError(f"{source}, row {row}, column {col}: {raw!r} is not a date.")
        if end < start:
            raise ExperimentError(f"{source}, row {row}: the experiment ends ({end.date()}) before it starts "
                                  f"({start.date()}).")
        lift, se = pd.to_numeric(r.lift, errors="coerce"), pd.to_numeric(r.lift_se, errors="coerce")
        if pd.isna(lift):
            raise ExperimentError(f"{source}, row {row}, column lift: {r.lift!r} is not a number.")
        if pd.isna(se) or se <= 0:
            raise ExperimentError(f"{source}, row {row}, column lift_se: the standard error must be a number above "
                                  f"0, not {r.lift_se!r}.")
        out.append((name, start.normalize(), end.normalize(), float(lift), float(se)))
    return pd.DataFrame(out, columns=list(EXPERIMENT_COLUMNS))
