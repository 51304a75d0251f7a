"""The funnel in tables and words: per network and per creator, and why one returns more than another.

Reads :mod:`planner.analysis.funnel`. The app, ``python -m planner funnel`` and the workbook's Funnel sheet
show these tables and sentences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.analysis.funnel import Difference, Funnel
from planner.base.format import join_words, money, one, pct, roas

__all__ = ["STEP_LABELS", "shown_label", "funnel_table", "difference_text", "missing_text", "thin_creators_text"]

#: display name of each column of the funnel tables, in order; a column the data lacks is left out
STEP_LABELS = {
    "reach_per_1000": "Reach per $1,000",
    "engagements_per_1000": "Engagements per $1,000",
    "clicks_per_1000": "Clicks per $1,000",
    "orders_per_1000": "Orders per $1,000",
    "click_through": "Click-through",
    "conversion": "Conversion",
    "order_value": "Order value",
    "revenue_per_click": "Revenue per click",
    "roas": "Return per $1",
}


def shown_label(label: str) -> str:
    """Return a column's display label in the currency shown here: ``"Reach per $1,000"`` -> ``"Reach per €1,000"``.

    Parameters
    ----------
    label : str
        A label of :data:`STEP_LABELS` (or any text naming ``$1`` or ``$1,000``).

    Returns
    -------
    str
        The label with ``$1,000`` and ``$1`` written as :func:`planner.base.format.one` writes them.
    """
    return label.replace("$1,000", one(1000)).replace("$1", one())


_STEP_WORDS = {"clicks_per_dollar": "clicks per {one}", "conversion": "conversion (orders per click)",
               "order_value": "order value"}


def _words(step: str) -> str:
    return _STEP_WORDS[step].format(one=one(1000) if step == "clicks_per_dollar" else one())


def funnel_table(f: Funnel, level: str = "network") -> pd.DataFrame:
    """Return the funnel per network or per creator as a display table (numbers; the page formats them).

    Parameters
    ----------
    f : Funnel
        The data's funnel.
    level : {"network", "creator"}
        One row per network (most spend first), or per creator (most spend first).

    Returns
    -------
    DataFrame
        ``Network`` (or ``Name, Network``), ``Spend, Revenue``, the columns of :data:`STEP_LABELS` the data can
        fill, and for creators ``Orders`` and ``Pulled toward network`` (how far conversion was pulled, a
        fraction). A creator's Conversion, Order value and Return per $1 are the pooled figures.
    """
    base = f.networks if level == "network" else f.creators
    base = base.sort_values("spend", ascending=False, kind="stable")
    out = pd.DataFrame({"Network": base["network"].to_numpy()}) if level == "network" else pd.DataFrame(
        {"Name": base["name"].to_numpy(), "Network": base["network"].to_numpy()})
    out["Spend"] = base["spend"].to_numpy(dtype=float)
    out["Revenue"] = base["revenue"].to_numpy(dtype=float)
    for col, label in STEP_LABELS.items():
        source = "roas_pooled" if level == "creator" and col == "roas" else col
        values = base[source].to_numpy(dtype=float)
        if np.isfinite(values).any():
            out[label] = values
    if level == "creator":
        out["Orders"] = base["orders"].to_numpy(dtype=float)
        out["Pulled toward network"] = base["conversion_pooled_weight"].to_numpy(dtype=float)
    return out


def missing_text(f: Funnel) -> str:
    """Name the funnel's steps the data lacks, and what that leaves out; ``""`` when it has them all.

    Parameters
    ----------
    f : Funnel
        The data's funnel.

    Returns
    -------
    str
        E.g. ``"The data has no engagements, so the funnel skips that step."``
    """
    if not f.missing:
        return ""
    text = f"The data has no {join_words(list(f.missing))}"
    if not f.decomposable:
        return text + (", so return per dollar cannot be split into clicks, conversion and order value. Add "
                       "the columns (ad exports call them \"Link clicks\" and \"Purchases\") to see why networks "
                       "differ.")
    return text + f", so the funnel skips {'that step' if len(f.missing) == 1 else 'those steps'}."


def _pair(step: str, a: float, b: float) -> str:
    """Two figures of one step: ``"$91.97 against $41.01"``, ``"10,976 against 6,781"``."""
    if step == "clicks_per_dollar":
        return f"{a * 1000:,.0f} against {b * 1000:,.0f}"
    if step == "conversion":
        return f"{pct(a, decimals=2)} against {pct(b, decimals=2)}"
    return f"{money(a)} against {money(b)}"


def _times(factor: float) -> str:
    return f"{factor:.1f} times" if factor >= 1.5 else f"{pct(factor - 1, decimals=0 if factor >= 1.1 else 1)} more"


def difference_text(d: Difference) -> str:
    """Say which step of the funnel makes one return per dollar differ from another, with the figures.

    Parameters
    ----------
    d : Difference
        Two networks or creators compared (planner.analysis.funnel.compare).

    Returns
    -------
    str
        E.g. "Pinterest returns $8.55 per $1 and X $3.44: Pinterest returns 2.5 times as much. Most of the
        difference is order value: $91.97 against $41.01 (2.2 times), then conversion (orders per click):
        1.37% against 0.76% (1.8 times). X does better on clicks per $1,000 (10,976 against 6,781), which
        narrows the gap."
    """
    ratio = d.roas_a / d.roas_b
    if abs(np.log(ratio)) < 0.01:
        return f"{d.a} and {d.b} return about the same per {one()} ({roas(d.roas_a)} and {roas(d.roas_b)})."
    hi, lo = (d.a, d.b) if ratio > 1 else (d.b, d.a)
    times = ratio if ratio > 1 else 1 / ratio
    steps = d.steps.assign(log=np.log(d.steps["ratio"]) * (1 if ratio > 1 else -1))  # > 0: helps the higher
    helping = steps[steps["log"] > 0.01].sort_values("log", ascending=False)
    against = steps[steps["log"] < -0.01].sort_values("log")

    def high_first(r) -> tuple[float, float]:
        return (r.a, r.b) if ratio > 1 else (r.b, r.a)

    text = (f"{d.a} returns {roas(d.roas_a)} per {one()} and {d.b} {roas(d.roas_b)}: {hi} returns "
            + (f"{times:.1f} times as much." if times >= 1.5 else f"{_times(times)}."))
    parts = [f"{_words(r.step)}: {_pair(r.step, *high_first(r))} ({_times(float(np.exp(r.log)))})"
             for r in helping.itertuples()]
    if parts:
        text += " Most of the difference is " + parts[0] + (", then " + "; ".join(parts[1:]) if parts[1:] else "")
        text += "."
    if len(against):
        better = [f"{_words(r.step)} ({_pair(r.step, *high_first(r)[::-1])})" for r in against.itertuples()]
        text += f" {lo} does better on {join_words(better)}, which narrows the gap."
    return text


def thin_creators_text(f: Funnel, pulled: float = 0.5) -> str:
    """Say how many creators' conversion and order value lean on their network's, because they have few orders.

    Parameters
    ----------
    f : Funnel
        The data's funnel.
    pulled : float, default 0.5
        A creator pulled more than this share of the way counts.

    Returns
    -------
    str
        ``""`` when no creator is pulled that far.
    """
    if f.creators.empty:
        return ""
    w = f.creators["conversion_pooled_weight"].to_numpy(dtype=float)
    n = int(np.sum(np.nan_to_num(w) > pulled))
    if n == 0:
        return ""
    return (f"{n} of {len(f.creators)} creators have too few orders to say much on their own: their conversion "
            f"and order value are pulled more than half way toward their network's (the table's last column), "
            "as their response curves are.")
