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


def _num(raw: pd.Series, col: str, where: str) -> np.ndarray:
    """Return a column as floats (NaN where empty), or raise naming the first cell that is not a number."""
    if pd.api.types.is_numeric_dtype(raw):
        return raw.to_numpy(dtype=float, na_value=np.nan)
    vals = pd.to_numeric(raw, errors="coerce")
    bad = raw.notna() & (raw.astype(str).str.strip() != "") & vals.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise CurveTableError(
            f"{where}: row {i + 2}, column '{col}' holds {raw.iloc[i]!r}, which is not a number."
        )
    return vals.to_numpy(dtype=float, na_value=np.nan)


def _text(raw: pd.Series, lower: bool = False):
    """Return a column as text, stripped (and lower-cased): ``astype(str).str.strip()``, skipped where it changes nothing."""
    if raw.dtype == "str":
        values = raw.to_numpy(dtype=object)
        # the usual case, text as the table writes it, is checked in a loop: faster than stripping
        if all(type(v) is str and v == v.strip() and (not lower or v == v.lower()) for v in values):
            return raw.array
    out = raw.astype(str).str.strip()
    return (out.str.lower() if lower else out).array


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
    names_in = [str(c).strip().lower() for c in curves.columns]
    missing = [c for c in REQUIRED if c not in names_in]
    if missing:
        raise CurveTableError(f"{where}: the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                              f"{'are' if len(missing) > 1 else 'is'} missing.")
    twice = next((c for i, c in enumerate(names_in) if c in names_in[:i]), None)
    if twice is not None:
        raise CurveTableError(f"{where}: the column '{twice}' appears twice; keep one.")
    if curves.empty:
        raise CurveTableError(f"{where} has no rows.")
    raw = {c: s for c, (_, s) in zip(names_in, curves.items(), strict=True)}
    # one column at a time into a copy costs a frame operation each; the columns are made first, the frame once
    cols = {c: s.array for c, s in raw.items()}
    cols["name"], cols["network"] = _text(raw["name"]), _text(raw["network"])
    cols["curve"] = _text(raw["curve"], lower=True)
    name_list = np.asarray(cols["name"], dtype=object)
    if len(set(name_list)) < len(name_list):  # (a set is faster than duplicated() on Arrow strings)
        dup = pd.Series(name_list).duplicated(keep="first")
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise CurveTableError(f"{where}: row {i + 2}, column 'name': {name_list[i]!r} appears twice.")
    for col in ("beta",) + OPTIONAL:
        cols[col] = _num(raw[col], col, where) if col in raw else np.full(len(curves), np.nan)
    cols["min_spend"] = np.where(np.isnan(cols["min_spend"]), 0.0, cols["min_spend"])
    cols["max_spend"] = np.where(np.isnan(cols["max_spend"]), np.inf, cols["max_spend"])
    df = pd.DataFrame(cols, index=pd.RangeIndex(len(curves)))
    curve, beta, k, sv = np.asarray(cols["curve"], dtype=object), cols["beta"], cols["k"], cols["s"]
    lo, hi, unit = cols["min_spend"], cols["max_spend"], cols["unit_cost"]
    needs_k, needs_s, needs_cap = (form_flags(curve, a) for a in ("needs_k", "needs_s", "needs_cap"))

    checks = [
        (~np.isin(curve, list(FORMS)),
         lambda i: f"column 'curve' holds {curve[i]!r}; use one of {', '.join(FORMS)}."),
        (~np.isfinite(beta) | (beta < 0), lambda i: "column 'beta' must be a number of zero or more."),
        (needs_k & (~np.isfinite(k) | (k <= 0)),
         lambda i: f"column 'k' must be a positive number for a {curve[i]} curve."),
        (needs_k & (k < MIN_K), lambda i: f"column 'k' is {k[i]:.3g}, too small to be a spend scale "
                                                 f"(the least is {MIN_K:g})."),
        (needs_s & (~np.isfinite(sv) | (sv <= 0)),
         lambda i: f"column 's' must be a positive number for a {curve[i]} curve."),
        (needs_cap & ~np.isfinite(hi), lambda i: f"is {curve[i]} and needs a max_spend."),
        (lo < 0, lambda i: "column 'min_spend' is negative."),
        (hi < lo, lambda i: f"max_spend {hi[i]:,.2f} is below min_spend {lo[i]:,.2f}."),
        (np.isfinite(unit) & (unit <= 0), lambda i: "column 'unit_cost' must be positive or empty."),
    ]
    for col in ("beta", "k", "min_spend", "max_spend", "unit_cost", "current_spend"):  # 1e308 from a hand-written file
        v = cols[col]
        checks.append((beyond_plausible(np.where(np.isposinf(v) & (col == "max_spend"), 0.0, v)),
                       lambda i, col=col, v=v: f"column '{col}': {implausible_text(f'{v[i]:.6g}')}."))
    bad_rows = [(int(np.flatnonzero(mask)[0]), say) for mask, say in checks if mask.any()]
    if bad_rows:
        i, say = min(bad_rows, key=lambda t: t[0])
        who = f"row {i + 2}" if say is checks[0][1] else f"row {i + 2} ({name_list[i]})"
        raise CurveTableError(f"{where}: {who}{'' if say(i).startswith('column') is False else ','} {say(i)}")
    return df
