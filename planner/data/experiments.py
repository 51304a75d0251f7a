"""Measured lifts (conversion-lift tests, geo holdouts, go-dark weeks) that calibrate the fit.

The table (DESIGN.md, ``fit --experiments FILE``) has one row per experiment: ``name`` (a curve-table
name: a network's paid media), ``start`` and ``end`` (dates, inclusive), ``lift`` (the outcome in the window
minus the outcome had that entity spent nothing during it) and ``lift_se`` (its standard error).

An optional column ``spend_tested`` says how much of the window's spend the test moved, in money over the
whole window: blank (or no column) for a holdout or go-dark test (all of it: the lift of spending against
not spending), less for a heavy-up test (the extra spend the test cells got: the lift of the last dollars,
what tells how fast returns fall, which a holdout cannot). PyMC-Marketing's lift tests carry the same
figure (``delta_x``), Robyn's calibration the test's spend.

:func:`check_experiments` reads a table as pandas gives it and returns the clean one, or says in one
sentence which row and column is wrong.
"""

from __future__ import annotations

import pandas as pd

from planner.base.errors import InputError
from planner.data.files import read_sheets
from planner.data.headers import normalize_header
from planner.data.values import is_missing

__all__ = ["EXPERIMENT_COLUMNS", "SPEND_TESTED", "ExperimentError", "check_experiments", "read_experiments"]

EXPERIMENT_COLUMNS = ("name", "start", "end", "lift", "lift_se")
SPEND_TESTED = "spend_tested"  # optional: the money the test moved over its window (blank: all of it, a holdout)
_SYNONYMS = {"network": "name", "channel": "name", "entity": "name", "start date": "start", "from": "start",
             "end date": "end", "to": "end", "incremental outcome": "lift", "incremental revenue": "lift",
             "lift se": "lift_se", "standard error": "lift_se", "se": "lift_se",
             "spend tested": SPEND_TESTED, "test spend": SPEND_TESTED, "extra spend": SPEND_TESTED,
             "incremental spend": SPEND_TESTED, "spend change": SPEND_TESTED, "delta spend": SPEND_TESTED,
             "delta x": SPEND_TESTED}


class ExperimentError(InputError):
    """An experiments table that cannot be used; the message names the row and column."""


def _column_key(header) -> str:
    key = normalize_header("" if header is None else str(header))
    return _SYNONYMS.get(key, key.replace(" ", "_"))


def read_experiments(source, name: str | None = None) -> pd.DataFrame:
    """Read the experiments of a CSV file or a workbook (a sheet named "Experiments" first, then any other).

    Parameters
    ----------
    source : str, PathLike, bytes or file-like
        The file, as :func:`planner.data.files.read_sheets` takes it (an upload's bytes with ``name``).
    name : str, optional
        The file's name, for bytes.

    Returns
    -------
    DataFrame
        As :func:`check_experiments` returns it.

    Raises
    ------
    DataError
        When the file cannot be read at all.
    ExperimentError
        When no sheet has the columns of an experiments table, or a row of it cannot be used.
    """
    fname, sheets = read_sheets(source, name)
    order = sorted(sheets, key=lambda sh: (sh.hidden, sh.name.strip().casefold() != "experiments"))
    for sheet in order:
        if not len(sheet):
            continue
        header = [col[0] for col in sheet.cols]
        if not set(EXPERIMENT_COLUMNS) <= {_column_key(h) for h in header}:
            continue
        table = pd.DataFrame({f"{h}" if h is not None else f"column {j + 1}": col[1:]
                              for j, (h, col) in enumerate(zip(header, sheet.cols, strict=True))})
        return check_experiments(table, fname if sheet.is_csv else f"{fname}, sheet {sheet.name}")
    raise ExperimentError(f"{fname} has no table of experiments: it needs the columns {', '.join(EXPERIMENT_COLUMNS)} "
                          "(one row per experiment: the network, the first and last day, the lift measured and its "
                          "standard error).")


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
        ``name`` (str), ``start``, ``end`` (Timestamps), ``lift``, ``lift_se`` (floats), one row per experiment,
        and ``spend_tested`` (float, NaN for a holdout) where the table has that column.

    Raises
    ------
    ExperimentError
        A missing column, an empty table, or a row whose date, lift or standard error cannot be used (the
        sentence names its spreadsheet row, counting the header as row 1).
    """
    renamed = {}
    for col in table.columns:
        key = _column_key(col)
        if key in (*EXPERIMENT_COLUMNS, SPEND_TESTED) and key not in renamed.values():
            renamed[col] = key
    t = table.rename(columns=renamed)
    missing = [c for c in EXPERIMENT_COLUMNS if c not in t.columns]
    if missing:
        raise ExperimentError(f"{source} has no column {', '.join(missing)}; it needs {', '.join(EXPERIMENT_COLUMNS)}.")
    tested = SPEND_TESTED in t.columns
    columns = [*EXPERIMENT_COLUMNS, *([SPEND_TESTED] if tested else [])]
    t = t[columns].dropna(how="all").reset_index().rename(columns={"index": "row_number"})
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
        moved = float("nan")
        raw = getattr(r, SPEND_TESTED) if tested else None
        if not is_missing(raw):  # blank (or "-", "n/a"): a holdout
            moved = pd.to_numeric(raw, errors="coerce")
            if pd.isna(moved) or moved <= 0:
                raise ExperimentError(f"{source}, row {row}, column {SPEND_TESTED}: the money the test moved must be a "
                                      f"number above 0 (blank for a holdout, which moved all of it), not {raw!r}.")
        out.append((name, start.normalize(), end.normalize(), float(lift), float(se), float(moved)))
    return pd.DataFrame(out, columns=[*EXPERIMENT_COLUMNS, SPEND_TESTED])[columns]
