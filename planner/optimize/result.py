"""The plan the optimizer returns: typed facts, never sentences (the words are made in planner.report)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.names import is_creator
from planner.curves.intervals import row_bands
from planner.optimize.problem import OBJECTIVES, Problem

__all__ = ["Allocation", "build_allocation", "PROVEN_GAP"]

PROVEN_GAP = 1e-6  # relative gap below which a plan is reported as proven optimal
TABLE_COLUMNS = ("name", "network", "spend", "response")


@dataclass(frozen=True)
class Allocation:
    """The optimal plan and what is known about it (see docs/architecture.md).

    Parameters
    ----------
    table : DataFrame
        One row per curve-table row: name, network, spend, response, roas, marginal_return,
        current_spend, current_response, change, min_spend, max_spend, unit_cost, units,
        binding, observed_max, extrapolated (and engagements, response_p10/p90 when known).
    network_table : DataFrame
        One row per network: network, spend, response, current_spend, current_response, change, roas,
        min_spend, max_spend (the network bounds; 0 and inf where none).
    budget, total_spend, total_response : float
        The budget (an upper limit), what the plan spends and its expected response.
    objective : {"revenue", "profit"}
        What was maximised; ``margin`` is the contribution margin of the profit objective.
    upper_bound, gap : float
        A proven upper bound on the objective (with the engagement value) and ``upper_bound - value``.
    budget_value : float
        The price of the budget: what one more dollar of budget would add to the objective.
    response_p10, response_p50, response_p90 : float
        The plan total's 80 % band and median (NaN when the curve table has no bands).
    nodes, core_nodes : int
        Branch-and-bound nodes searched, and those solved by the core dynamic program.
    creators_hired : int
        Creators (rows named ``Network/@handle``) with any spend.
    max_creators : int or None
        The hire limit the plan was made under (None: no limit).
    engagement_weight, engagements : float
        Dollars one engagement was worth in the objective, and the plan's expected engagements
        (NaN when the curve table has no ``engagement_per_dollar``).
    """

    table: pd.DataFrame
    network_table: pd.DataFrame
    budget: float
    objective: str
    margin: float
    total_spend: float
    total_response: float
    total_current_spend: float
    total_current_response: float
    upper_bound: float
    gap: float
    budget_value: float
    response_p10: float = float("nan")
    response_p90: float = float("nan")
    response_p50: float = float("nan")
    nodes: int = 0
    core_nodes: int = 0
    creators_hired: int = 0
    max_creators: int | None = None
    engagement_weight: float = 0.0
    engagements: float = float("nan")

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(f"Allocation.objective must be one of {OBJECTIVES}, not {self.objective!r}.")
        missing = [c for c in TABLE_COLUMNS if c not in self.table.columns]
        if missing:
            raise ValueError(f"Allocation.table lacks the column(s) {', '.join(missing)}.")
        for name in ("budget", "total_spend", "total_response", "upper_bound", "gap"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"Allocation.{name} must be a finite number, not {getattr(self, name)!r}.")
        if self.gap < 0:
            raise ValueError(f"Allocation.gap must be zero or more, not {self.gap!r}.")
        if self.total_spend > self.budget + 0.005:
            raise ValueError(f"Allocation spends {self.total_spend} over its budget {self.budget}.")
        if self.nodes < 0 or self.core_nodes < 0 or self.creators_hired < 0:
            raise ValueError("Allocation's node and hire counts must be zero or more.")
        if self.max_creators is not None and self.max_creators < 0:
            raise ValueError(f"Allocation.max_creators must be None or zero or more, not {self.max_creators!r}.")

    @property
    def objective_value(self) -> float:
        """The objective without the engagement value: revenue, or margin x revenue - spend.

        Returns
        -------
        float
            ``total_response`` for revenue; ``margin * total_response - total_spend`` for profit, in dollars.
        """
        if self.objective == "profit":
            return self.margin * self.total_response - self.total_spend
        return self.total_response

    @property
    def value(self) -> float:
        """The objective the optimizer maximised: :attr:`objective_value` plus the engagements' value.

        Returns
        -------
        float
            In dollars; the engagements count as 0 when they are NaN.
        """
        eng = self.engagements if math.isfinite(self.engagements) else 0.0
        return self.objective_value + (self.engagement_weight * eng if self.engagement_weight else 0.0)

    @property
    def relative_gap(self) -> float:
        """The proven gap as a share of the plan's value (0 when proven optimal).

        Returns
        -------
        float
            ``gap / max(1, |value|)``.
        """
        return self.gap / max(1.0, abs(self.value))

    @property
    def proven(self) -> bool:
        """Whether the plan is proven optimal (within a relative gap of one in a million).

        Returns
        -------
        bool
            True when :attr:`relative_gap` is at most :data:`PROVEN_GAP` (``1e-6``).
        """
        return self.relative_gap <= PROVEN_GAP

    @property
    def unspent(self) -> float:
        """Budget the plan leaves unspent (to the cent).

        Returns
        -------
        float
            ``budget - total_spend`` in dollars rounded to cents, 0 when nothing is left.
        """
        return max(0.0, round(self.budget - self.total_spend, 2))


def _binding(prob: Problem, x: np.ndarray, max_spend: np.ndarray) -> np.ndarray:
    return np.where(
        (prob.lo == prob.hi), "locked",
        np.where(x <= prob.lo + 0.005, np.where(prob.lo > 0, "min", "zero"),
                 np.where(x >= max_spend - 0.005, "max", "")),
    )


def _network_table(prob: Problem, table: pd.DataFrame, resp, cur, cur_resp) -> pd.DataFrame:
    groups = len(prob.networks)

    def by_net(v, min_count=0):
        v = np.asarray(v, dtype=float)
        has = np.isfinite(v)
        tot = np.bincount(prob.net_idx, weights=np.where(has, v, 0.0), minlength=groups)
        if min_count:
            tot = np.where(np.bincount(prob.net_idx, weights=has, minlength=groups) > 0, tot, np.nan)
        return tot

    net = pd.DataFrame({
        "network": list(prob.networks), "spend": by_net(table["spend"]), "response": by_net(resp),
        "current_spend": by_net(cur, 1), "current_response": by_net(cur_resp, 1),
    })
    net["change"] = net["spend"] - net["current_spend"]
    net["roas"] = np.divide(net["response"], net["spend"], out=np.full(len(net), np.nan), where=net["spend"] > 0)
    net["min_spend"] = prob.net_lo
    net["max_spend"] = prob.net_hi
    return net


def build_allocation(curves: pd.DataFrame, prob: Problem, x: np.ndarray, value: float, bound: float, lam: float,
                     counts: dict, max_creators: int | None = None) -> Allocation:
    """Return the :class:`Allocation` of plan ``x`` (whole cents) of the prepared problem ``prob``.

    Parameters
    ----------
    curves : DataFrame
        The validated curve table ``prob`` was prepared from.
    prob : Problem
        The prepared problem.
    x : ndarray
        Spend per row.
    value, bound : float
        The plan's objective value and a proven upper bound.
    lam : float
        The price of the budget from the root relaxation (the tightest one under a hire limit),
        stored as :attr:`Allocation.budget_value`.
    counts : dict
        ``nodes`` and ``core_nodes`` of the search.
    max_creators : int, optional
        The hire limit the plan was made under.

    Returns
    -------
    Allocation
    """
    ent = prob.ent
    resp = ent.value(x)
    marg = ent.derivative(x)
    cur = curves["current_spend"].to_numpy(dtype=float)
    cur_resp = np.where(np.isfinite(cur), ent.value(np.nan_to_num(cur)), np.nan)
    units = np.isfinite(ent.unit)
    max_spend = curves["max_spend"].to_numpy(dtype=float)
    table = pd.DataFrame({
        "name": curves["name"], "network": curves["network"], "spend": np.round(x, 2), "response": resp,
        "roas": np.divide(resp, x, out=np.full(len(x), np.nan), where=x > 0), "marginal_return": marg,
        "current_spend": cur, "current_response": cur_resp, "change": np.round(x, 2) - cur,
        "min_spend": curves["min_spend"], "max_spend": curves["max_spend"], "unit_cost": curves["unit_cost"],
        "units": np.where(units, np.round(x / np.where(units, ent.unit, 1)), np.nan),
        "binding": _binding(prob, x, max_spend),
    })
    obs = curves["observed_max"].to_numpy(dtype=float) if "observed_max" in curves else np.full(len(x), np.nan)
    table["observed_max"] = obs
    engagements = float("nan")
    if "engagement_per_dollar" in curves.columns:
        epd = pd.to_numeric(curves["engagement_per_dollar"], errors="coerce").to_numpy(dtype=float)
        table["engagements"] = np.round(x, 2) * epd
        engagements = float(np.nansum(table["engagements"]))
    table["extrapolated"] = np.isfinite(obs) & (x > obs * 1.0001 + 0.005)
    p10 = p50 = p90 = float("nan")
    bands = row_bands(curves, resp)
    if bands is not None:
        table["response_p10"], table["response_p90"], band = bands
        p10, p50, p90 = band["p10"], band["p50"], band["p90"]
    has_current = bool(np.isfinite(cur).any())
    return Allocation(
        table=table, network_table=_network_table(prob, table, resp, cur, cur_resp), budget=prob.budget,
        objective="revenue" if prob.c0 == 0 else "profit", margin=prob.w if prob.c0 else 1.0,
        total_spend=float(np.round(x.sum(), 2)), total_response=float(resp.sum()),
        total_current_spend=float(np.nansum(cur)) if has_current else float("nan"),
        total_current_response=float(np.nansum(cur_resp)) if has_current else float("nan"),
        upper_bound=float(bound), gap=float(max(0.0, bound - value)), budget_value=float(lam),
        response_p10=p10, response_p90=p90, response_p50=p50,
        nodes=int(counts.get("nodes", 0)), core_nodes=int(counts.get("core_nodes", 0)),
        creators_hired=int((is_creator(curves["name"]) & (x > 0)).sum()),
        max_creators=None if max_creators is None else int(max_creators),
        engagement_weight=float(prob.engagement_weight), engagements=engagements,
    )
