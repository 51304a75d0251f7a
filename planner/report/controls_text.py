"""What a plan with creators' campaign controls set assumed (a discount on every campaign), in words."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from planner.base.format import pct
from planner.curves.campaign_controls import (
    EFFECT,
    control_multipliers,
    control_name,
    control_names,
    seen_range,
    usual_level,
)

__all__ = ["controls_text", "controls_beyond_text", "controls_label"]


def controls_text(curves: pd.DataFrame, values: Mapping[str, float | None] | None) -> str:
    """Return what setting the controls to ``values`` assumed of ``curves`` (the table before), "" when none is set.

    Returns
    -------
    str
        ``"Planned with discount % at 20 on every campaign (usual 6.4): creators' campaigns earn +29% against
        their usual."``
    """
    set_ = {k: v for k, v in (values or {}).items() if v is not None}
    if not set_ or not control_names(curves):
        return ""
    said = []
    for name, v in set_.items():
        m = control_multipliers(curves, {name: v})
        known = control_name(control_names(curves), name)
        rows = pd.to_numeric(curves[EFFECT + known], errors="coerce").notna().to_numpy()
        change = float(np.median(m[rows])) - 1.0
        said.append(f"{known} at {float(v):g} on every campaign (usual {usual_level(curves, known):.3g}): creators' "
                    f"campaigns earn {pct(change, 0, signed=True)} against their usual")
    return "Planned with " + "; ".join(said) + "."


def controls_label(curves: pd.DataFrame, values: Mapping[str, float | None] | None) -> str:
    """Return the controls set, short, for a line beside the budget ("" when none the curves know is set).

    Returns
    -------
    str
        ``"discount % at 20"``, or ``"discount % at 20, launch at 1"``.
    """
    names = control_names(curves)
    said = [f"{control_name(names, k)} at {float(v):g}" for k, v in (values or {}).items()
            if v is not None and control_name(names, k) is not None]
    return ", ".join(said)


def controls_beyond_text(curves: pd.DataFrame, values: Mapping[str, float | None] | None) -> str:
    """Return the warning for controls set beyond what the campaigns had ("" where every one is within).

    Returns
    -------
    str
        ``"Discount % 50 is beyond what the campaigns had (0 to 20), so its effect there is an extrapolation."``
    """
    beyond = []
    names = control_names(curves)
    for name, v in (values or {}).items():
        known = control_name(names, name)
        if v is None or known is None:
            continue
        lo, hi = seen_range(curves, known)
        if np.isfinite(lo) and np.isfinite(hi) and not lo <= float(v) <= hi:
            beyond.append(f"{known} {float(v):g} is beyond what the campaigns had ({lo:g} to {hi:g}), so its effect "
                          "there is an extrapolation")
    text = "; ".join(beyond)
    return text[:1].upper() + text[1:] + "." if text else ""
