"""Read, validate and write the curve table (DESIGN.md, contract 1).

The curve table has one row per entity (a network's paid spend or one creator)
with the columns ``name, network, curve, beta, k, s, min_spend, max_spend,
unit_cost, current_spend``.  Models may add columns; they are kept as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.base.plausible import beyond_plausible, implausible_text
from planner.curves.forms import FORMS, form_flags

__all__ = ["CurveTableError", "REQUIRED", "OPTIONAL", "MIN_K", "validate_curves"]

REQUIRED = ("name", "network", "curve", "beta")
OPTIONAL = ("k", "s", "min_spend", "max_spend", "unit_cost", "current_spend")
MIN_K = 1e-9  # a smaller spend scale is no curve a person wrote, and spend / k overflows


class CurveTableError(InputError):
    """A curve table that cannot be used; the message says which row and column."""


def _num(df: pd.DataFrame, col: str, where: str) -> pd.Series:
    raw = df[col]
    if pd.api.types.is_numeric_dtype(raw):
        return raw.astype(float)
    vals = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & (raw.astype(str).str.strip() != "") & vals.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise CurveTableError(
            f"{where}: row {i + 2}, column '{col}' holds {raw.iloc[i]!r}, which is not a number."
        )
    return vals.astype(float)


def validate_curves(curves: pd.DataFrame, where: str = "curve table") -> pd.DataFrame:
    """Return a clean copy of ``curves`` with every contract column present and typed.

    Raises :class:`CurveTableError` with the row (as a spreadsheet shows it, header
    on row 1) and column of the first problem found.

    Parameters
    ----------
    curves : DataFrame
        A curve table as read or built; it is not modified. Column names are stripped and lower-cased;
        ``name``, ``network`` and ``curve`` are stripped (``curve`` lower-cased); extra columns are kept.
    where : str, default "curve table"
        How messages name the table, e.g. ``"curves.xlsx, sheet 'Curves'"``.

    Returns
    -------
    DataFrame
        The copy with a fresh ``RangeIndex``: ``beta`` and the :data:`OPTIONAL` columns as floats (added as
        NaN where absent), ``min_spend`` 0 where empty and ``max_spend`` ``inf`` where empty.

    Raises
    ------
    CurveTableError
        When a :data:`REQUIRED` column is missing, the table has no rows, a name appears twice, a
        numeric cell is not a number, ``curve`` names no registered form, ``beta`` is negative or not
        finite, a form's ``k``/``s`` is not positive (``k`` under :data:`MIN_K`), a linear row has no
        ``max_spend``, ``min_spend`` is negative or above ``max_spend``, ``unit_cost`` is zero or negative,
        or an amount is beyond any plausible one (:data:`~planner.base.plausible.MAX_AMOUNT`).
    """
    df = curves.copy()
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise CurveTableError(f"{where}: the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                              f"{'are' if len(missing) > 1 else 'is'} missing.")
    if df.empty:
        raise CurveTableError(f"{where} has no rows.")
    for col in OPTIONAL:
        if col not in df.columns:
            df[col] = np.nan
    df["name"] = df["name"].astype(str).str.strip()
    df["network"] = df["network"].astype(str).str.strip()
    df["curve"] = df["curve"].astype(str).str.strip().str.lower()
    name_list = df["name"].to_numpy(dtype=object)
    if len(set(name_list)) < len(name_list):  # (a set is faster than duplicated() on Arrow strings)
        dup = pd.Series(name_list).duplicated(keep="first")
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise CurveTableError(f"{where}: row {i + 2}, column 'name': {df['name'].iloc[i]!r} appears twice.")
    for col in ("beta",) + OPTIONAL:
        df[col] = _num(df, col, where)
    df["min_spend"] = df["min_spend"].fillna(0.0)
    df["max_spend"] = df["max_spend"].fillna(np.inf)
    curve, beta, k, sv = df["curve"].to_numpy(), df["beta"].to_numpy(), df["k"].to_numpy(), df["s"].to_numpy()
    lo, hi, unit = df["min_spend"].to_numpy(), df["max_spend"].to_numpy(), df["unit_cost"].to_numpy()
    names = df["name"].to_numpy()
    def flag(attr: str) -> np.ndarray:
        return form_flags(curve, attr)

    checks = [
        (~np.isin(curve, list(FORMS)),
         lambda i: f"column 'curve' holds {curve[i]!r}; use one of {', '.join(FORMS)}."),
        (~np.isfinite(beta) | (beta < 0), lambda i: "column 'beta' must be a number of zero or more."),
        (flag("needs_k") & (~np.isfinite(k) | (k <= 0)),
         lambda i: f"column 'k' must be a positive number for a {curve[i]} curve."),
        (flag("needs_k") & (k < MIN_K), lambda i: f"column 'k' is {k[i]:.3g}, too small to be a spend scale "
                                                 f"(the least is {MIN_K:g})."),
        (flag("needs_s") & (~np.isfinite(sv) | (sv <= 0)),
         lambda i: f"column 's' must be a positive number for a {curve[i]} curve."),
        (flag("needs_cap") & ~np.isfinite(hi), lambda i: f"is {curve[i]} and needs a max_spend."),
        (lo < 0, lambda i: "column 'min_spend' is negative."),
        (hi < lo, lambda i: f"max_spend {hi[i]:,.2f} is below min_spend {lo[i]:,.2f}."),
        (np.isfinite(unit) & (unit <= 0), lambda i: "column 'unit_cost' must be positive or empty."),
    ]
    for col in ("beta", "k", "min_spend", "max_spend", "unit_cost", "current_spend"):  # 1e308 from a hand-written file
        v = df[col].to_numpy()
        checks.append((beyond_plausible(np.where(np.isposinf(v) & (col == "max_spend"), 0.0, v)),
                       lambda i, col=col, v=v: f"column '{col}': {implausible_text(f'{v[i]:.6g}')}."))
    bad_rows = [(int(np.flatnonzero(mask)[0]), say) for mask, say in checks if mask.any()]
    if bad_rows:
        i, say = min(bad_rows, key=lambda t: t[0])
        who = f"row {i + 2}" if say is checks[0][1] else f"row {i + 2} ({names[i]})"
        raise CurveTableError(f"{where}: {who}{'' if say(i).startswith('column') is False else ','} {say(i)}")
    return df.reset_index(drop=True)
