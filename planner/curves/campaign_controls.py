"""Planning creators' campaigns with a control set: a discount on every campaign, or none.

The creators' fit reads each campaign control's effect (planner.fit.campaign_controls) and writes it on every
creator row it applies to: ``control effect: <name>`` (the log multiplier of a campaign's revenue per unit of
the control) and ``control usual: <name>`` (the level the curve is at: the campaigns' usual mix, as one value),
with ``control low: <name>`` and ``control high: <name>`` (the range the campaigns had: beyond it, the effect is
extrapolated).
A curve table's column names are read in lower case, so a control is named in any case.
A plan with the control at ``v`` on every campaign scales those rows' curve (and band) by
``exp(effect * (v - usual))``; a row without the columns (paid media, a table made by hand) is as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.curves.intervals import scaled

__all__ = ["EFFECT", "USUAL", "LOW", "HIGH", "seen_range", "control_name", "control_names", "usual_level", "control_multipliers", "for_controls", "set_controls"]

EFFECT = "control effect: "
USUAL = "control usual: "
LOW, HIGH = "control low: ", "control high: "  # the least and largest value the campaigns had (optional)


def control_names(curves: pd.DataFrame | None) -> list[str]:
    """Return the campaign controls the curve table can plan with (those with an effect on some row), in order."""
    if curves is None:
        return []
    out = []
    for col in curves.columns:
        name = str(col)[len(EFFECT):] if str(col).startswith(EFFECT) else None
        if name and USUAL + name in curves and pd.to_numeric(curves[col], errors="coerce").notna().any():
            out.append(name)
    return out


def seen_range(curves: pd.DataFrame, name: str) -> tuple[float, float]:
    """Return the least and largest value of a control the campaigns had (NaN where the table does not say)."""
    def one(col: str) -> float:
        return float(pd.to_numeric(curves[col], errors="coerce").median()) if col in curves else float("nan")

    return one(LOW + name), one(HIGH + name)


def usual_level(curves: pd.DataFrame, name: str) -> float:
    """Return the usual level of a control the curves are at (the median over the rows that have it)."""
    return float(pd.to_numeric(curves[USUAL + name], errors="coerce").median())


def control_multipliers(curves: pd.DataFrame, values: Mapping[str, float | None]) -> np.ndarray:
    """Return each row's multiplier with the controls at ``values`` (None: as usual) on every campaign.

    Raises
    ------
    InputError
        A control the table does not have (the sentence lists those it has), or a value that is not a number.
    """
    known = control_names(curves)
    m = np.ones(len(curves))
    for given, v in values.items():
        if v is None:
            continue
        name = control_name(known, given)
        if name is None:
            have = ", ".join(known) if known else "none"
            raise InputError(f'The curve table has no campaign control "{given}"; it has: {have}.')
        v = float(v)
        if not np.isfinite(v):
            raise InputError(f'The value of "{given}" must be a number, not {v}.')
        g = pd.to_numeric(curves[EFFECT + name], errors="coerce").to_numpy(dtype=float)
        u = pd.to_numeric(curves[USUAL + name], errors="coerce").to_numpy(dtype=float)
        on = np.isfinite(g) & np.isfinite(u)
        m[on] *= np.exp(np.clip(g[on] * (v - u[on]), -50.0, 50.0))
    return m


def for_controls(curves: pd.DataFrame, values: Mapping[str, float | None] | None) -> pd.DataFrame:
    """Return the curve table with the campaign controls at ``values`` on every campaign (None: as usual).

    Parameters
    ----------
    curves : DataFrame
        A curve table; rows with ``control effect: <name>`` and ``control usual: <name>`` are scaled.
    values : mapping of str to float or None, or None
        Each control's level on the plan's campaigns; a control left out, or None, stays at its usual level.

    Returns
    -------
    DataFrame
        ``curves`` itself when nothing is set; else a copy with ``beta`` and its band scaled and each set
        control's ``control usual: <name>`` at its value (so the table reads as made for it).
    """
    values = {k: v for k, v in (values or {}).items() if v is not None}
    if not values:
        return curves
    m = control_multipliers(curves, values)
    out = scaled(curves, m)
    known = control_names(curves)
    for given, v in values.items():
        name = control_name(known, given)
        has = pd.to_numeric(out[EFFECT + name], errors="coerce").notna()
        out.loc[has, USUAL + name] = float(v)
    return out


def control_name(known: list[str], given: str) -> str | None:
    """Return the table's name of the control ``given`` (a table's column names are read in lower case), or None."""
    key = " ".join(str(given).split()).casefold()
    return next((n for n in known if " ".join(n.split()).casefold() == key), None)


def set_controls(planned: pd.DataFrame | None, fitted: pd.DataFrame | None) -> dict:
    """Return the controls a table made by :func:`for_controls` was set to, against the fit it came from.

    A control whose usual level in ``planned`` differs from the one in ``fitted`` was set to it (a saved plan's
    curves against today's): ``{name: value}``; the others, and controls ``fitted`` does not have, are left out.
    """
    if planned is None or fitted is None:
        return {}
    out = {}
    for name in control_names(fitted):
        if USUAL + name in planned:
            v = pd.to_numeric(planned[USUAL + name], errors="coerce").dropna()
            if len(v) and not np.isclose(float(v.median()), usual_level(fitted, name), rtol=1e-9, atol=1e-12):
                out[name] = float(v.median())
    return out
