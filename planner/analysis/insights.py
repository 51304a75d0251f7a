"""What an allocation says beyond the numbers: what binds, what it costs, where the next money goes.

Every figure here is measured by optimising again with the constraint moved (not
read off a local derivative), so "raising TikTok's cap by $1,000 would add $1,800"
is what the optimizer would really do with that $1,000, whole posts and S-curves included.
A plan that values engagement (``allocation.extra["engagement_weight"]``) is re-optimised
with the same value, and its objective counts the engagements at that value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.base.format import count, money, signed_money
from planner.curves.table import validate_curves
from planner.optimize.solver import Allocation, InfeasibleError, optimize

__all__ = ["next_money", "binding_constraints"]


def _weight(a: Allocation) -> float:
    return float(a.extra.get("engagement_weight") or 0.0)


def _objective(a: Allocation) -> float:
    w = _weight(a)
    return a.objective_value + (w * float(np.nan_to_num(a.extra.get("engagements", 0.0))) if w else 0.0)


def next_money(curves: pd.DataFrame, allocation: Allocation, step: float = 1000.0, network_bounds=None) -> pd.DataFrame:
    """Where the next ``step`` dollars of budget would go: rows whose spend changes, largest first.

    Columns: name, network, spend_change, response_change. ``attrs["sentence"]`` reads it in words.
    """
    more = optimize(curves, allocation.budget + step, network_bounds, allocation.objective, allocation.margin,
                    engagement_weight=_weight(allocation),
                    max_creators=allocation.extra.get("max_creators"))
    a = allocation.table.set_index("name")
    b = more.table.set_index("name").reindex(a.index)
    df = pd.DataFrame({
        "name": a.index, "network": a["network"].to_numpy(),
        "spend_change": (b["spend"] - a["spend"]).round(2).to_numpy(),
        "response_change": (b["response"] - a["response"]).to_numpy(),
    })
    df = df[df["spend_change"].abs() >= 0.01].sort_values("spend_change", ascending=False).reset_index(drop=True)
    gain = more.total_response - allocation.total_response
    up = df[df["spend_change"] > 0].head(3)
    where = ", ".join(f"{r.name} {signed_money(r.spend_change)}" for r in up.itertuples())
    if df.empty:
        sentence = f"Another {money(step)} of budget would stay unspent: no row can use it within its bounds."
    else:
        more_eng = float(np.nan_to_num(more.extra.get("engagements", 0.0)))
        more_eng -= float(np.nan_to_num(allocation.extra.get("engagements", 0.0)))
        engaged = (f" and {count(more_eng, signed=True)} engagements"
                   if _weight(allocation) and abs(more_eng) >= 0.5 else "")
        sentence = (f"Another {money(step)} of budget would add {money(gain)} of revenue{engaged}; it would go to "
                    f"{where}.")
        if (df["spend_change"] < 0).any():
            sentence += " Some rows give money back, because whole posts come in steps."
    df.attrs["sentence"] = sentence
    df.attrs["revenue_gain"] = gain
    return df


def binding_constraints(curves: pd.DataFrame, allocation: Allocation, network_bounds=None, step: float = 1000.0,
                        top: int = 5) -> pd.DataFrame:
    """The bounds that hold the plan back, and what moving each by ``step`` dollars would change.

    Columns: constraint, kind ("network max", "network min", "row max", "row min"), bound,
    objective_change, sentence.  Row bounds are ranked by the gap between the row's marginal
    return and the plan's, and only the ``top`` strongest are re-optimised.
    """
    curves = validate_curves(curves)
    base = _objective(allocation)
    rows = []

    def measure(kind, label, bound, new_curves=None, new_nb=None):
        try:
            moved = optimize(curves if new_curves is None else new_curves, allocation.budget,
                             network_bounds if new_nb is None else new_nb, allocation.objective, allocation.margin,
                             engagement_weight=_weight(allocation),
                    max_creators=allocation.extra.get("max_creators"))
        except InfeasibleError:
            return
        delta = _objective(moved) - base
        if abs(delta) < 0.5:
            return
        verb = "Raising" if kind.endswith("max") else "Lowering"
        what = "cap" if kind.endswith("max") else "minimum"
        value = ("revenue" if allocation.objective == "revenue" else "profit") + (
            " and engagement value" if _weight(allocation) else "")
        rows.append({
            "constraint": label, "kind": kind, "bound": bound, "objective_change": delta,
            "sentence": f"{verb} {label}'s {what} by {money(step)} would {'add' if delta > 0 else 'cost'} "
                        f"{money(abs(delta))} of {value}.",
        })

    if network_bounds is not None and len(network_bounds):
        nb = network_bounds.copy()
        nb.columns = [str(c).strip().lower() for c in nb.columns]
        spend = allocation.table.groupby("network")["spend"].sum()
        for i, r in nb.iterrows():
            got = float(spend.get(r["network"], 0.0))
            for col, kind, sign in (("max_spend", "network max", 1), ("min_spend", "network min", -1)):
                bound = pd.to_numeric(pd.Series([r.get(col)]), errors="coerce").iloc[0]
                if pd.notna(bound) and abs(got - bound) <= 0.01:
                    moved = nb.copy()
                    moved.loc[i, col] = max(0.0, bound + sign * step)
                    measure(kind, str(r["network"]), float(bound), new_nb=moved)

    t = allocation.table
    level = allocation.budget_value
    cand = []
    for i, r in t.iterrows():
        if r["binding"] == "max" and np.isfinite(r["max_spend"]):
            cand.append((r["marginal_return"] - level, i, "row max", r["max_spend"]))
        elif r["binding"] == "min" and r["min_spend"] > 0:
            cand.append((level - r["marginal_return"], i, "row min", r["min_spend"]))
    for _, i, kind, bound in sorted(cand, key=lambda c: -c[0])[:top]:
        moved = curves.copy()
        if kind == "row max":
            moved.loc[i, "max_spend"] = bound + step
        else:
            moved.loc[i, "min_spend"] = max(0.0, bound - step)
        measure(kind, str(t.loc[i, "name"]), float(bound), new_curves=moved)
    out = pd.DataFrame(rows, columns=["constraint", "kind", "bound", "objective_change", "sentence"])
    return out.sort_values("objective_change", ascending=False, key=abs).reset_index(drop=True)
