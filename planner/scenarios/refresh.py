"""A saved scenario against curves fitted since: how each curve moved, and how the plan moves with them.

Data arrive every week; a plan saved last month was made on last month's curves. :func:`refresh` reads
a :class:`~planner.scenarios.scenario.Scenario` next to the curve table fitted now:

- **each curve**: the expected revenue of the saved spend under the saved curve and under today's, and
  the return of the next dollar there; rows new in the data and rows gone from it;
- **the saved plan now**: what the same spends are expected to return on today's curves;
- **re-planned**: the best plan on today's curves with the scenario's budget, objective, margin,
  engagement value, hire limit and bounds, and how its spend per network differs from the saved plan.

:func:`refresh_text` says it in a few sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.base.errors import PlannerError
from planner.base.format import money, pct, signed_money, things
from planner.bounds.bounds import Bounds
from planner.curves.forms import marginal, response
from planner.curves.table import validate_curves
from planner.optimize import optimize

__all__ = ["Refresh", "refresh", "refresh_text", "refresh_table"]

_MOVES_SHOWN = 3


@dataclass(frozen=True)
class Refresh:
    """A saved scenario read on today's curves.

    Attributes
    ----------
    name : str
        The scenario's name.
    saved_on : str
        When it was saved (``2026-10-01``).
    rows : DataFrame
        One row per curve of either table: ``name, network, status`` (``"kept"``, ``"new"`` or ``"gone"``),
        ``saved_spend``, ``revenue_then`` and ``revenue_now`` (at the saved spend, on the saved and today's
        curve; NaN where the row has no curve), ``revenue_change`` (now minus then), ``next_then`` and
        ``next_now`` (the return of the next dollar there) and ``replanned_spend``.
    saved_response : float
        The saved plan's expected revenue when it was saved.
    saved_now : float
        The same spends' expected revenue on today's curves (rows gone count nothing).
    replanned : Allocation or None
        The best plan on today's curves with the scenario's settings; None when there is none.
    replan_error : str
        Why there is none; ``""`` otherwise.
    notes : tuple of str
        Bounds of the scenario that name rows gone from the data.
    """

    name: str
    saved_on: str
    rows: pd.DataFrame
    saved_response: float
    saved_now: float
    replanned: object | None
    replan_error: str = ""
    notes: tuple[str, ...] = field(default=())

    def by_network(self) -> pd.DataFrame:
        """Return :attr:`rows` summed per network, in the order networks first appear.

        Returns
        -------
        DataFrame
            ``network, saved_spend, replanned_spend, spend_change, revenue_then, revenue_now, revenue_change``.
        """
        cols = ["saved_spend", "replanned_spend", "revenue_then", "revenue_now"]
        g = self.rows.groupby("network", sort=False)[cols].sum(min_count=1).reset_index()
        g["spend_change"] = g["replanned_spend"] - g["saved_spend"]
        g["revenue_change"] = g["revenue_now"].fillna(0.0) - g["revenue_then"].fillna(0.0)
        return g[["network", "saved_spend", "replanned_spend", "spend_change", "revenue_then", "revenue_now",
                  "revenue_change"]]


def _replan(scenario, curves: pd.DataFrame) -> tuple[object | None, str, list[str]]:
    """Return the best plan on ``curves`` with the scenario's settings and bounds, or why there is none."""
    bounds = scenario.spend_bounds
    names = set(curves["name"].astype(str))
    gone = [r.name for r in bounds.rows if r.name not in names]
    one_row = len(gone) == 1
    notes = [f"{things(len(gone), 'row')} with bounds in the scenario {'has' if one_row else 'have'} no curve "
             f"now and {'was' if one_row else 'were'} left out: "
             f"{', '.join(gone[:5])}{' and more' if len(gone) > 5 else ''}."] if gone else []
    planning = Bounds(rows=bounds.rows).apply(curves)
    nets = Bounds(networks=bounds.networks)
    nb = nets.network_frame() if nets.networks else None
    try:
        plan = optimize(planning, scenario.budget, nb, objective=scenario.objective, margin=scenario.margin,
                        engagement_weight=scenario.engagement_weight, max_creators=scenario.max_creators)
    except PlannerError as exc:
        return None, f"The scenario's budget and bounds cannot be met on today's curves: {exc}", notes
    return plan, "", notes


def refresh(scenario, curves_now: pd.DataFrame) -> Refresh:
    """Read ``scenario`` on the curve table fitted now.

    Parameters
    ----------
    scenario : Scenario
        A saved scenario (its curves, plan, settings and bounds).
    curves_now : DataFrame
        The curve table fitted on today's data.

    Returns
    -------
    Refresh

    Raises
    ------
    CurveTableError
        When ``curves_now`` is not a valid curve table.
    """
    now = validate_curves(curves_now)
    then = validate_curves(scenario.curves)
    saved = scenario.allocation.set_index("name")["spend"].astype(float)
    names = list(dict.fromkeys([*then["name"].astype(str), *now["name"].astype(str)]))
    net = {**dict(zip(now["name"].astype(str), now["network"].astype(str), strict=True)),
           **dict(zip(then["name"].astype(str), then["network"].astype(str), strict=True))}
    spend = saved.reindex(names).fillna(0.0).to_numpy(dtype=float)

    def at(curves: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        idx = pd.Index(curves["name"].astype(str)).get_indexer(names)
        has = idx >= 0
        x = np.where(has, spend, 0.0)
        table = curves.iloc[np.where(has, idx, 0)].reset_index(drop=True)
        rev = np.where(has, response(table, x), np.nan)
        nxt = np.where(has, marginal(table, x), np.nan)
        return rev, nxt

    rev_then, next_then = at(then)
    rev_now, next_now = at(now)
    in_then = np.isfinite(rev_then)
    in_now = np.isfinite(rev_now)
    status = np.where(in_then & in_now, "kept", np.where(in_now, "new", "gone"))
    plan, error, notes = _replan(scenario, now)
    replanned = np.zeros(len(names))
    if plan is not None:
        replanned = plan.table.set_index("name")["spend"].reindex(names).fillna(0.0).to_numpy(dtype=float)
    rows = pd.DataFrame({"name": names, "network": [net[n] for n in names], "status": status, "saved_spend": spend,
                         "revenue_then": rev_then, "revenue_now": rev_now,
                         "revenue_change": np.nan_to_num(rev_now) - np.nan_to_num(rev_then),
                         "next_then": next_then, "next_now": next_now,
                         "replanned_spend": replanned if plan is not None else np.nan})
    created = pd.Timestamp(scenario.created)
    return Refresh(name=scenario.name, saved_on=created.strftime("%Y-%m-%d"), rows=rows,
                   saved_response=float(scenario.total_response), saved_now=float(np.nansum(rev_now)),
                   replanned=plan, replan_error=error, notes=tuple(notes))


def _moves(rows: pd.DataFrame) -> str:
    """Return the curves whose revenue at the saved spend moved most, in words."""
    kept = rows[(rows["status"] == "kept") & (rows["saved_spend"] > 0)]
    kept = kept.reindex(kept["revenue_change"].abs().sort_values(ascending=False).index).head(_MOVES_SHOWN)
    parts = []
    for r in kept.itertuples():
        if abs(r.revenue_change) < 0.5:
            continue
        share = f"{pct(r.revenue_change / r.revenue_then, signed=True)} " if r.revenue_then > 0 else ""
        parts.append(f"{r.name} {share}({money(r.revenue_then)} to {money(r.revenue_now)})")
    return "; ".join(parts)


def refresh_text(r: Refresh) -> list[str]:
    """Say how the curves and the plan moved since the scenario was saved.

    Parameters
    ----------
    r : Refresh
        The scenario read on today's curves.

    Returns
    -------
    list of str
        Sentences: the saved plan then and now, the curves that moved most at the saved spend, rows new and
        gone, the re-planned figure and where its money moves, and any note.
    """
    change = r.saved_now - r.saved_response
    out = [f"'{r.name}' (saved {r.saved_on}) was expected to return {money(r.saved_response)}; on today's "
           f"curves the same spends are expected to return {money(r.saved_now)} ({signed_money(change)}"
           + (f", {pct(change / r.saved_response, signed=True)}" if r.saved_response > 0 else "") + ")."]
    moves = _moves(r.rows)
    if moves:
        out.append(f"At the saved spend, the curves that moved most: {moves}.")
    else:
        out.append("At the saved spend, no curve moved by as much as a dollar.")
    new = r.rows[r.rows["status"] == "new"]
    gone = r.rows[r.rows["status"] == "gone"]
    if len(new) or len(gone):
        said = []
        if len(new):
            said.append(f"{things(len(new), 'row')} {'is' if len(new) == 1 else 'are'} new in the data "
                        f"({', '.join(new['name'].head(3))}"
                        f"{' and more' if len(new) > 3 else ''})")
        if len(gone):
            lost = float(gone["saved_spend"].sum())
            said.append(f"{things(len(gone), 'row')} {'has' if len(gone) == 1 else 'have'} no curve now ({', '.join(gone['name'].head(3))}"
                        f"{' and more' if len(gone) > 3 else ''})"
                        + (f": their {money(lost)} of saved spend earns nothing on today's curves" if lost else ""))
        out.append("; ".join(said) + ".")
    if r.replanned is None:
        out.append(r.replan_error)
    else:
        p = r.replanned
        net = r.by_network()
        up = net[net["spend_change"] > max(0.01 * float(p.budget), 1.0)].sort_values("spend_change", ascending=False)
        down = net[net["spend_change"] < -max(0.01 * float(p.budget), 1.0)].sort_values("spend_change")
        text = (f"Re-planned on today's curves with the same budget, objective and bounds: "
                f"{money(p.total_response)} expected revenue ({signed_money(p.total_response - r.saved_now)} over "
                "the saved spends today)")
        where = []
        if len(up):
            where.append("toward " + ", ".join(f"{n} ({signed_money(c)})" for n, c in
                                               zip(up["network"].head(2), up["spend_change"].head(2), strict=True)))
        if len(down):
            where.append("away from " + ", ".join(f"{n} ({signed_money(c)})" for n, c in
                                                  zip(down["network"].head(2), down["spend_change"].head(2),
                                                      strict=True)))
        out.append(text + (f", moving money {' and '.join(where)}." if where else "; the split per network "
                           "stays within 1 % of the budget."))
    return [s for s in [*out, *r.notes] if s]


def refresh_table(r: Refresh, by: str = "network") -> pd.DataFrame:
    """Return the display table of a refresh: per network, or per row with its status.

    Parameters
    ----------
    r : Refresh
        The scenario read on today's curves.
    by : {"network", "row"}
        One row per network (with a Total row), or per curve of either table.

    Returns
    -------
    DataFrame
        ``Network`` (or ``Name, Network, Status``), ``Saved spend, Re-planned spend, Spend change, Revenue then,
        Revenue now, Revenue change`` (money, numeric; revenue at the saved spend), and per row ``Next $1 then,
        Next $1 now``.
    """
    names = {"saved_spend": "Saved spend", "replanned_spend": "Re-planned spend", "spend_change": "Spend change",
             "revenue_then": "Revenue then", "revenue_now": "Revenue now", "revenue_change": "Revenue change",
             "next_then": "Next $1 then", "next_now": "Next $1 now"}
    if by == "network":
        t = r.by_network().rename(columns={"network": "Network", **names})
        total = {"Network": "Total", **{c: float(t[c].sum(min_count=1)) for c in t.columns[1:]}}
        return pd.concat([t, pd.DataFrame([total])], ignore_index=True)
    t = r.rows.assign(spend_change=r.rows["replanned_spend"] - r.rows["saved_spend"])
    t = t[["name", "network", "status", "saved_spend", "replanned_spend", "spend_change", "revenue_then",
           "revenue_now", "revenue_change", "next_then", "next_now"]]
    return t.rename(columns={"name": "Name", "network": "Network", "status": "Status", **names})
