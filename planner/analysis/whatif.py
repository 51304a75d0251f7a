"""What if one network's or creator's spend changed: the plan with the rest held, and with the rest re-planned.

A manager asks "Instagram +20 %, hold the rest" or "keep TikTok at today's spend". :func:`what_if` answers
both ways on the same curves as the plan:

- **the rest held**: every other row keeps its spend in the plan; the total changes by the move, and the
  reading is what the moved money earns (or what taking it away costs);
- **the rest re-planned**: the moved row (or network) is held at its new spend and every other row is
  planned again, exactly, within the same budget, bounds and objective; the reading is what the move costs
  against the best plan, and which rows give way.

A network's change is spread over its rows in proportion to their spend in the plan (evenly when the plan
spends nothing on it); rows booked in whole posts are rounded to whole posts and the difference is said.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.base.errors import InputError, PlannerError
from planner.base.format import money
from planner.curves.forms import response
from planner.curves.intervals import row_bands
from planner.curves.table import validate_curves
from planner.optimize import optimize

__all__ = ["WhatIf", "Held", "what_if", "find_target"]


@dataclass(frozen=True)
class Held:
    """The plan with some rows' spends changed and every other row as it was (no optimisation).

    Attributes
    ----------
    spend : ndarray
        Spend per curve-table row.
    response : ndarray
        Expected revenue per row at that spend.
    total_spend, total_response : float
        Their sums.
    response_p10, response_p50, response_p90, response_mean : float
        The total's 80 % band, median and mean, computed as for every plan (planner.curves.intervals); NaN when
        the curve table has no intervals.
    selection_allowance : float
        What the mean allows for the optimizer's curse: the plan's own allowance as a share of its return,
        applied to this one's (its rows are the plan's, chosen on the same curves).
    """

    spend: np.ndarray
    response: np.ndarray
    total_spend: float
    total_response: float
    response_p10: float = float("nan")
    response_p50: float = float("nan")
    response_p90: float = float("nan")
    response_mean: float = float("nan")
    selection_allowance: float = 0.0


@dataclass(frozen=True)
class WhatIf:
    """A move of one network's or creator's spend, read with the rest held and with the rest re-planned.

    Attributes
    ----------
    target : str
        The network or curve-table row moved, as the curve table names it.
    kind : {"network", "row"}
        Whether ``target`` is a network (all its rows) or one row.
    before, after : float
        The target's spend in the plan, and in the what-if (after rounding to whole posts).
    base : Allocation
        The plan the move is made from.
    held : Held
        The plan with the move and every other row as it was.
    replanned : Allocation or None
        The best plan with the target held at ``after`` within the plan's budget and bounds; None when there
        is none (``replan_error`` says why).
    replan_error : str
        Why the rest cannot be re-planned around the move; ``""`` when it can.
    notes : tuple of str
        What was assumed (rounding to whole posts, a bound overridden).
    locked : bool
        Whether the target's rows were held at their spends today (so they move unevenly, not by one scale).
    """

    target: str
    kind: str
    before: float
    after: float
    base: object
    held: Held
    replanned: object | None
    replan_error: str = ""
    notes: tuple[str, ...] = field(default=())
    locked: bool = False

    @property
    def moved(self) -> float:
        """Return the change in the target's spend (``after - before``)."""
        return self.after - self.before

    @property
    def held_gain(self) -> float:
        """Return the expected revenue the move adds to the plan with the rest held (negative: it loses)."""
        return self.held.total_response - float(self.base.total_response)

    @property
    def replan_gain(self) -> float:
        """Return the re-planned what-if's expected revenue against the plan's (NaN when there is none)."""
        if self.replanned is None:
            return float("nan")
        return float(self.replanned.total_response) - float(self.base.total_response)

    def table(self) -> pd.DataFrame:
        """Return the spend per row in the plan, with the rest held and re-planned.

        Returns
        -------
        DataFrame
            ``name, network, plan, held, replanned`` (spends) and ``held_response, replanned_response``; rows in
            the curve table's order; ``replanned`` columns NaN when there is no re-planned what-if.
        """
        t = self.base.table
        out = pd.DataFrame({"name": t["name"].astype(str), "network": t["network"].astype(str),
                            "plan": t["spend"].to_numpy(dtype=float), "held": self.held.spend,
                            "held_response": self.held.response})
        if self.replanned is not None:
            r = self.replanned.table.set_index("name")
            out["replanned"] = r["spend"].reindex(out["name"]).to_numpy(dtype=float)
            out["replanned_response"] = r["response"].reindex(out["name"]).to_numpy(dtype=float)
        else:
            out["replanned"] = np.nan
            out["replanned_response"] = np.nan
        return out

    def by_network(self) -> pd.DataFrame:
        """Return :meth:`table` summed per network, in the order networks first appear.

        Returns
        -------
        DataFrame
            ``network, plan, held, replanned`` spends and ``replanned_change`` (re-planned minus plan).
        """
        t = self.table()
        g = t.groupby("network", sort=False)[["plan", "held", "replanned"]].sum(min_count=1).reset_index()
        g["replanned_change"] = g["replanned"] - g["plan"]
        return g


def find_target(curves: pd.DataFrame, target: str) -> tuple[str, str, np.ndarray]:
    """Return the network or row ``target`` names: ``(name as written in the table, kind, row mask)``.

    A network's name means all its rows (paid media and creators); case is ignored when that is unambiguous.

    Parameters
    ----------
    curves : DataFrame
        The curve table.
    target : str
        A network (``Instagram``) or a row name (``Instagram/@lena.bakes``, or the handle alone when one
        network has it).

    Returns
    -------
    (str, {"network", "row"}, ndarray of bool)

    Raises
    ------
    InputError
        When nothing or more than one thing matches, with the closest names.
    """
    text = str(target).strip()
    names = curves["name"].astype(str).to_numpy()
    networks = curves["network"].astype(str).to_numpy()
    for exact in (True, False):
        same = (lambda a, b: a == b) if exact else (lambda a, b: a.casefold() == b.casefold())
        nets = np.array([same(n, text) for n in networks])
        if nets.any():  # a network's name means all its rows, its paid media and its creators
            return str(networks[nets][0]), "network", nets
        rows = np.array([same(n, text) for n in names])
        if rows.sum() == 1:
            return str(names[rows][0]), "row", rows
    handle = text if text.startswith("@") else f"@{text}"
    rows = np.array([n.casefold().endswith("/" + handle.casefold()) for n in names])
    if rows.sum() == 1:
        return str(names[rows][0]), "row", rows
    if rows.sum() > 1:
        raise InputError(f"{text!r} is a creator on more than one network ({', '.join(names[rows][:4])}); "
                         "name one with its network, e.g. " + f"{names[rows][0]!r}.")
    close = difflib.get_close_matches(text, list(dict.fromkeys([*networks, *names])), n=3, cutoff=0.5)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise InputError(f"{text!r} is neither a network nor a row of the curve table.{hint}")


def _spread(plan: np.ndarray, rows: np.ndarray, total: float, cap: np.ndarray | None = None) -> np.ndarray:
    """Spread ``total`` over ``rows`` in proportion to the plan's spend (evenly when it spends nothing).

    No row goes above its ``cap`` while another row can take more.
    """
    out = plan.copy()
    cap = np.full(len(plan), np.inf) if cap is None else np.where(np.isfinite(cap), cap, np.inf)
    free = rows.copy()
    left = float(total)
    out[rows] = 0.0
    while free.any() and left > 1e-9:
        weight = np.where(free, plan, 0.0)
        weight = weight if weight.sum() > 0 else free.astype(float)
        share = left * weight / weight.sum()
        full = free & (share >= cap - out)
        if not full.any() or full.sum() == free.sum() and (cap[free] - out[free]).sum() <= left:
            if full.any():  # every row left is full: each takes its cap, the rest goes above them evenly
                take = np.where(full, cap - out, 0.0)
                out += take
                left -= float(take.sum())
                out[free] += left * weight[free] / weight[free].sum() if left > 1e-9 else 0.0
            else:
                out += share
            break
        take = np.where(full, cap - out, 0.0)
        out += take
        left -= float(take.sum())
        free &= ~full
    return out


def _whole_posts(curves: pd.DataFrame, spend: np.ndarray, rows: np.ndarray, total: float) -> tuple[np.ndarray, str]:
    """Round the moved rows booked in whole posts to whole posts; a row of the move without posts takes the rest."""
    unit = curves["unit_cost"].to_numpy(dtype=float) if "unit_cost" in curves else np.full(len(spend), np.nan)
    whole = rows & np.isfinite(unit) & (unit > 0)
    if not whole.any():
        return spend, ""
    out = spend.copy()
    out[whole] = np.round(spend[whole] / unit[whole]) * unit[whole]
    free = rows & ~whole
    if free.any():  # paid media takes what rounding the posts left over
        left = total - float(out[rows & whole].sum())
        out[free] = _spread(np.where(free, spend, 0.0), free, max(left, 0.0))[free]
    diff = float(out[rows].sum()) - total
    if abs(diff) < 0.5:
        return out, ""
    return out, (f"Creators are booked in whole posts, so the move is {money(float(out[rows].sum()))} rather "
                 f"than {money(total)}.")


def _held(curves: pd.DataFrame, spend: np.ndarray, share: float = 0.0) -> Held:
    """Return the plan at ``spend``, its band's mean lowered by ``share`` of its return for the optimizer's curse."""
    resp = response(curves, spend)
    allowance = max(share, 0.0) * float(resp.sum())
    bands = row_bands(curves, resp, allowance)
    band = bands[2] if bands is not None else {}
    return Held(spend=spend, response=resp, total_spend=float(spend.sum()), total_response=float(resp.sum()),
                response_p10=band.get("p10", float("nan")), response_p50=band.get("p50", float("nan")),
                response_p90=band.get("p90", float("nan")), response_mean=band.get("mean", float("nan")),
                selection_allowance=allowance if band else 0.0)


def what_if(curves: pd.DataFrame, base, target: str, *, spend: float | None = None, change: float | None = None,
            lock: bool = False, network_bounds: pd.DataFrame | None = None) -> WhatIf:
    """Move one network's or row's spend in a plan and read the plan with the rest held and re-planned.

    Parameters
    ----------
    curves : DataFrame
        The curve table the plan was made from (its bounds are the plan's).
    base : Allocation
        The plan (planner.optimize.optimize); its budget, objective, margin, engagement value and hire
        limit are kept when the rest is re-planned.
    target : str
        A network or a row of the curve table (:func:`find_target`).
    spend : float, optional
        The target's new spend in the period.
    change : float, optional
        Instead of ``spend``: the change as a fraction of the target's spend in the plan (``0.2`` is +20 %).
    lock : bool, default False
        Instead of either: hold each of the target's rows at its spend today (the curve table's
        ``current_spend``).
    network_bounds : DataFrame, optional
        The network bounds the plan was made under (kept when re-planning, except on the target).

    Returns
    -------
    WhatIf

    Raises
    ------
    InputError
        When the target is unknown, not exactly one of ``spend``, ``change`` and ``lock`` is given, the new
        spend is negative or not a number, a change in per cent is asked of a target the plan spends nothing
        on, or a lock of one without a spend today.
    """
    if (spend is not None) + (change is not None) + bool(lock) != 1:
        raise InputError("Give one of the new spend, the change in per cent or the lock at today's spend.")
    curves = validate_curves(curves)
    name, kind, rows = find_target(curves, target)
    plan = base.table.set_index("name")["spend"].reindex(curves["name"]).to_numpy(dtype=float)
    plan = np.nan_to_num(plan, nan=0.0)
    before = float(plan[rows].sum())
    if lock:
        today = curves["current_spend"].to_numpy(dtype=float)[rows]
        if not np.isfinite(today).all():
            raise InputError(f"The curve table gives no spend today for {name}, so there is nothing to lock it at; "
                             "give the new spend as an amount.")
        total = float(today.sum())
    elif change is not None:
        if not math.isfinite(float(change)):
            raise InputError(f"The change must be a number of per cent, not {change!r}.")
        if before <= 0:
            raise InputError(f"The plan spends nothing on {name}, so a change in per cent moves nothing; give "
                             "the new spend as an amount.")
        total = before * (1.0 + float(change))
    else:
        total = float(spend)
    if not math.isfinite(total) or total < 0:
        raise InputError(f"{name}'s new spend must be an amount of 0 or more, not {money(total)}.")
    cap = curves["max_spend"].to_numpy(dtype=float)
    if lock:
        moved, note = np.where(rows, curves["current_spend"].to_numpy(dtype=float), plan), "Held at today's spend."
    else:
        moved, note = _whole_posts(curves, _spread(plan, rows, total, cap), rows, total)
    moved = np.round(moved, 2)  # amounts in cents, as the optimizer reads bounds
    notes = [note] if note else []
    after = float(moved[rows].sum())
    # the rows held are the plan's, chosen on these curves: its optimizer's curse, as a share, is theirs too
    share = base.selection_allowance / base.total_response if base.total_response > 0 else 0.0
    held = _held(curves, moved, share)

    over = rows & np.isfinite(cap) & (moved > cap + 0.005)
    if over.any():
        notes.append(f"{', '.join(curves['name'][over].astype(str).head(3))} would be above the most the curve "
                     "table allows (its creator's posts); the what-if sets that limit aside.")
    locked = curves.copy()
    locked.loc[rows, "min_spend"] = moved[rows]
    locked.loc[rows, "max_spend"] = moved[rows]
    nb = network_bounds
    if nb is not None and kind == "network" and len(nb):
        keep = nb["network"].astype(str) != name
        if not keep.all():
            notes.append(f"The network bounds on {name} were set aside: the what-if fixes its spend.")
        nb = nb[keep].reset_index(drop=True) if keep.any() else None
    replanned, error = None, ""
    if after > float(base.budget) + 0.005:
        error = (f"{name} at {money(after)} is more than the whole budget of {money(base.budget)}, so nothing is "
                 "left to re-plan.")
    else:
        try:
            replanned = optimize(locked, float(base.budget), nb, objective=base.objective, margin=base.margin,
                                 engagement_weight=float(base.engagement_weight or 0.0),
                                 max_creators=base.max_creators)
        except PlannerError as exc:
            error = f"The rest cannot be re-planned around {name} at {money(after)}: {exc}"
    return WhatIf(target=name, kind=kind, before=before, after=after, base=base, held=held,
                  replanned=replanned, replan_error=error, notes=tuple(notes), locked=bool(lock))
