"""What a plan over time is expected to return, next to the best plan of the same spend over the same horizon.

:func:`evaluate_plan_over_time` takes the curve table and a :class:`~.flight_plan_file.PlanOverTime`
(spend per name and period), matches the plan's names to the curve table's as the one-period
evaluation does (:func:`planner.analysis.plan_match.match_names`: exactly, else ignoring case, a handle
alone, or ignoring ``@`` and spaces, each only when unambiguous), values the plan period by period with
carry-over (:func:`planner.flighting.value_plan`) and plans the same total spend over the same horizon
(:func:`planner.flighting.plan_flighting`).

Nothing is dropped silently: spend on a name the curve table lacks counts in the total spend with no
expected revenue, and a warning names it; rows of the curve table the plan leaves out count at zero.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.analysis.flight_plan_file import PlanOverTime
from planner.analysis.plan_match import match_names
from planner.base.errors import InfeasibleError
from planner.base.format import money
from planner.curves.table import validate_curves
from planner.flighting import FlightPlan, Horizon, PlanValue, plan_flighting, value_plan
from planner.flighting.availability import AVAILABLE, available_days

__all__ = ["FlightEvaluation", "evaluate_plan_over_time", "quoted_names"]

LISTED = 8
ROW_COLUMNS = ("name", "network", "period", "spend", "response", "carried", "in_curves")


def quoted_names(items, limit: int = LISTED) -> str:
    """Return names quoted and listed, the ones past ``limit`` counted ('a', 'b' and 3 more)."""
    items = list(items)
    shown = ", ".join(repr(str(s)) for s in items[:limit])
    return shown + (f" and {len(items) - limit:,} more" if len(items) > limit else "")


def _num(x):
    x = float(x)
    return x if math.isfinite(x) else None


@dataclass(frozen=True)
class FlightEvaluation:
    """A plan over time and the best plan of the same spend over the same horizon.

    Attributes
    ----------
    plan : PlanOverTime
        The plan as read (its names as the file gives them).
    value : PlanValue
        The plan valued on the curve table (names matched; a name the table lacks not valued).
    best : FlightPlan or None
        The planner's plan of the same total spend over the same horizon (None, with a warning, when the
        curve table's bounds cannot be met at that spend).
    after : bool
        Whether what is earned after the horizon through carry-over is counted.
    unmatched : DataFrame
        ``name, network, period, spend`` of the plan's rows whose name matches no curve-table row.
    matches : tuple of (str, str, str)
        ``(plan name, curve-table name, how)`` where the match was not exact.
    warnings, notes : tuple of str
    """

    plan: PlanOverTime
    value: PlanValue
    best: FlightPlan | None
    after: bool
    unmatched: pd.DataFrame
    matches: tuple[tuple[str, str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def horizon(self) -> Horizon:
        """The periods the plan covers."""
        return self.value.horizon

    @property
    def total_spend(self) -> float:
        """Every spend in the plan, names the curve table lacks included, to the cent."""
        return round(self.value.total_spend + float(self.unmatched["spend"].sum()), 2)

    @property
    def total_response(self) -> float:
        """Expected revenue inside the horizon."""
        return self.value.total_response

    @property
    def plan_value(self) -> float:
        """What the plan earns by the comparison's measure: inside the horizon, plus after it when counted."""
        return self.value.total_response + (self.value.after_response if self.after else 0.0)

    @property
    def best_value(self) -> float:
        """What the best plan earns by the same measure (NaN without one)."""
        return float(self.best.value) if self.best is not None else float("nan")

    @property
    def gap(self) -> float:
        """What the best plan earns over this one (negative when this plan earns more; NaN without a best plan)."""
        return self.best_value - self.plan_value

    def rows(self) -> pd.DataFrame:
        """Return spend, response and carry-over per curve-table row and period, then the unmatched rows."""
        t = self.value.table
        out = pd.DataFrame({"name": t["name"].astype(str), "network": t["network"].astype(str),
                            "period": pd.to_datetime(t["period"]), "spend": t["spend"].astype(float),
                            "response": t["response"].astype(float), "carried": t["carried"].astype(float),
                            "in_curves": True})
        if len(self.unmatched):
            u = self.unmatched
            extra = pd.DataFrame({"name": u["name"].astype(str), "network": u["network"].astype(str),
                                  "period": pd.to_datetime(u["period"]), "spend": u["spend"].astype(float),
                                  "response": 0.0, "carried": 0.0, "in_curves": False})
            out = pd.concat([out, extra], ignore_index=True)
        return out[list(ROW_COLUMNS)]

    def periods(self) -> pd.DataFrame:
        """Return per period: the plan's spend (unmatched names included), response and carry-over; the best plan's."""
        per = self.horizon.periods()[["period", "label"]]
        r = self.rows().groupby("period")[["spend", "response", "carried"]].sum()
        out = per.join(r, on="period").fillna({"spend": 0.0, "response": 0.0, "carried": 0.0})
        if self.best is not None:
            b = self.best.by_period().set_index("period")
            out["best_spend"] = out["period"].map(b["spend"]).to_numpy(dtype=float)
            out["best_response"] = out["period"].map(b["response"]).to_numpy(dtype=float)
        else:
            out["best_spend"] = np.nan
            out["best_response"] = np.nan
        return out.reset_index(drop=True)

    def to_json(self) -> dict:
        """Return a JSON-ready dict (``evaluate --json`` for a plan over time); NaN as None, dates as ISO text."""
        rows = self.rows()
        rows["period"] = rows["period"].dt.strftime("%Y-%m-%d")
        per = self.periods()
        per["period"] = pd.to_datetime(per["period"]).dt.strftime("%Y-%m-%d")
        h = self.horizon

        def records(df: pd.DataFrame) -> list[dict]:
            return [{k: (_num(v) if isinstance(v, (float, np.floating)) else
                         bool(v) if isinstance(v, (bool, np.bool_)) else v) for k, v in rec.items()}
                    for rec in df.to_dict("records")]

        return {
            "kind": "plan over time",
            "horizon": {"start": h.start.isoformat(), "end": h.end.isoformat(), "period": h.period,
                        "periods": len(h.starts()), "label": h.label()},
            "source": self.plan.source, "sheet": self.plan.sheet, "layout": self.plan.layout,
            "total_spend": _num(self.total_spend),
            "total_response": _num(self.total_response),
            "after_response": _num(self.value.after_response) if self.after else None,
            "best_response": _num(self.best.total_response) if self.best is not None else None,
            "best_after_response": _num(self.best.after_response) if self.best is not None and self.after else None,
            "best_spend": _num(self.best.total_spend) if self.best is not None else None,
            "best_bound": _num(self.best.bound) if self.best is not None else None,
            "gap": _num(self.gap),
            "rows": records(rows),
            "periods": records(per),
            "unmatched": list(dict.fromkeys(self.unmatched["name"].astype(str))),
            "matches": [{"plan_name": p, "name": c, "how": w} for p, c, w in self.matches],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }

    def write_json(self, fp, indent: int | None = 2) -> None:
        """Write :meth:`to_json` to the text file ``fp``."""
        json.dump(self.to_json(), fp, indent=indent)


def evaluate_plan_over_time(curves: pd.DataFrame, plan: PlanOverTime, after: bool = False) -> FlightEvaluation:
    """Value ``plan`` on ``curves`` and plan the same total spend over the same horizon.

    Parameters
    ----------
    curves : DataFrame
        The curve table (an optional ``decay`` column: each row's weekly carry-over).
    plan : PlanOverTime
        From :func:`planner.analysis.flight_plan_file.read_plan_over_time`.
    after : bool, default False
        Count what each plan earns after the horizon through carry-over.

    Returns
    -------
    FlightEvaluation

    Raises
    ------
    CurveTableError
        When ``curves`` is not a valid curve table.
    InputError
        When a period of the plan is not one of its horizon's.
    """
    curves = validate_curves(curves)
    t = plan.table
    names = curves["name"].astype(str).tolist()
    codes, distinct = pd.factorize(t["name"].astype(str).to_numpy())
    at_distinct, how_distinct = match_names(list(distinct), names)
    at = at_distinct[codes]
    hit = at >= 0
    matched = pd.DataFrame({"name": np.asarray(names, dtype=object)[at[hit]], "period": t["period"].to_numpy()[hit],
                            "spend": t["spend"].to_numpy(dtype=float)[hit]})
    value = value_plan(curves, matched, horizon=plan.horizon, after=after)
    unmatched = t.loc[~hit, ["name", "network", "period", "spend"]].reset_index(drop=True)
    fuzzy = tuple((str(distinct[k]), names[int(at_distinct[k])], str(how_distinct[k]))
                  for k in np.flatnonzero(at_distinct >= 0) if how_distinct[k] != "exact")
    notes = list(plan.notes)
    if fuzzy:
        notes.append("Matched by a looser rule: " + "; ".join(f"{a!r} -> {b!r} ({h})" for a, b, h in fuzzy[:LISTED])
                     + (f"; and {len(fuzzy) - LISTED} more" if len(fuzzy) > LISTED else "") + ".")
    warnings = []
    if len(unmatched):
        per_name = unmatched.groupby("name", sort=False)["spend"].sum()
        shown = [f"{n!r} ({money(float(x), cents=True)})" for n, x in per_name.head(LISTED).items()]
        more = f" and {len(per_name) - LISTED:,} more" if len(per_name) > LISTED else ""
        one = len(per_name) == 1
        warnings.append(f"{len(per_name):,} {'name' if one else 'names'} in the plan "
                        f"{'matches' if one else 'match'} no name in the model: {', '.join(shown)}{more}; "
                        f"{'its' if one else 'their'} {money(float(per_name.sum()), cents=True)} "
                        "counts in the total spend with no expected revenue.")
    in_plan = set(matched["name"])
    missing = [n for n in names if n not in in_plan]
    if missing and len(in_plan):
        warnings.append(f"{len(missing):,} of the {len(names):,} names in the model are not in the plan and count at "
                        f"zero spend: {quoted_names(missing)}.")
    outside = _outside_dates(curves, matched, plan.horizon)
    if outside:
        warnings.append(outside)
    total = round(value.total_spend + float(unmatched["spend"].sum()), 2)
    best = None
    try:
        best = plan_flighting(curves, total, plan.horizon, after=after)
    except InfeasibleError as exc:
        warnings.append(f"No plan of the same spend ({money(total, cents=True)}) over the horizon keeps within "
                        f"the model's spend limits: {exc}")
    return FlightEvaluation(plan=plan, value=value, best=best, after=after, unmatched=unmatched, matches=fuzzy,
                            warnings=tuple(warnings), notes=tuple(notes))


def _outside_dates(curves: pd.DataFrame, matched: pd.DataFrame, horizon) -> str:
    """Return the sentence naming the plan's bookings in periods its creator is not available in ("" for none)."""
    if not any(c in curves for c in AVAILABLE):
        return ""
    days = available_days(curves, horizon)
    row = {n: i for i, n in enumerate(curves["name"].astype(str))}
    starts = {pd.Timestamp(p): j for j, p in enumerate(horizon.periods()["period"])}
    labels = horizon.periods()["label"].tolist()
    found = []
    for name, period, spend in matched.itertuples(index=False):
        i, j = row.get(str(name)), starts.get(pd.Timestamp(period))
        if i is not None and j is not None and spend > 0 and days[i, j] <= 0:
            found.append(f"{name!r} in {labels[j]} ({money(float(spend), cents=True)})")
    if not found:
        return ""
    more = f" and {len(found) - LISTED:,} more" if len(found) > LISTED else ""
    one = len(found) == 1
    return (f"{len(found):,} {'booking falls' if one else 'bookings fall'} outside the roster's dates of "
            f"{'its' if one else 'their'} creator: {', '.join(found[:LISTED])}{more}; "
            f"{'it is' if one else 'they are'} valued as if the creator posted then.")
