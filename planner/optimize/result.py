"""The plan the optimizer returns: typed facts, never sentences (the words are made in planner.report)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

try:  # pandas 3: a frame from its blocks, as pyarrow makes them (the constructor infers every column's type)
    from pandas.api.internals import create_dataframe_from_blocks
except ImportError:  # pragma: no cover - pandas 2
    create_dataframe_from_blocks = None

from planner.base.names import is_creator
from planner.curves.intervals import band_columns, bands_of, has_bands
from planner.optimize.problem import OBJECTIVES, Problem

__all__ = ["Allocation", "PlanRows", "RowFacts", "build_allocation", "PROVEN_GAP"]

PROVEN_GAP = 1e-6  # relative gap below which a plan is reported as proven optimal
TABLE_COLUMNS = ("name", "network", "spend", "response")


@dataclass(frozen=True, eq=False)
class PlanRows:
    """A plan's columns per row and per network, as arrays; the DataFrames are made from them when first read.

    A frontier, a target search or an insight reads a plan's totals many times and its table
    seldom: making a DataFrame costs more than solving a plan of a hundred rows.

    Parameters
    ----------
    columns : Mapping of str to ndarray
        One array per column of :attr:`Allocation.table`, in order.
    network_columns : Mapping of str to ndarray
        One array per column of :attr:`Allocation.network_table`, in order.
    """

    columns: Mapping[str, np.ndarray]
    network_columns: Mapping[str, np.ndarray]

    @classmethod
    def from_frames(cls, table: pd.DataFrame, network_table: pd.DataFrame) -> PlanRows:
        """Return the columns of tables already made (a plan read back, a stand-in in a test).

        Parameters
        ----------
        table, network_table : DataFrame
            The per-row and per-network tables.

        Returns
        -------
        PlanRows
        """
        return cls({c: table[c].to_numpy() for c in table.columns},
                   {c: network_table[c].to_numpy() for c in network_table.columns})


@dataclass(frozen=True)
class Allocation:
    """The optimal plan and what is known about it (see docs/architecture.md).

    Parameters
    ----------
    rows : PlanRows
        The plan's columns, read as :attr:`table` and :attr:`network_table`.
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
    response_mean : float
        The mean of that distribution: ``total_response`` less ``selection_allowance`` (NaN without bands).
    selection_allowance : float
        By how much a plan chosen on these curves is expected to fall short of them (the optimizer's
        curse, :mod:`planner.optimize.selection`); 0 when not measured.
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

    rows: PlanRows
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
    response_mean: float = float("nan")
    selection_allowance: float = 0.0
    nodes: int = 0
    core_nodes: int = 0
    creators_hired: int = 0
    max_creators: int | None = None
    engagement_weight: float = 0.0
    engagements: float = float("nan")

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(f"Allocation.objective must be one of {OBJECTIVES}, not {self.objective!r}.")
        missing = [c for c in TABLE_COLUMNS if c not in self.rows.columns]
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

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per curve-table row, made on first read.

        Returns
        -------
        DataFrame
            name, network, spend, response, roas, marginal_return, current_spend, current_response,
            change, min_spend, max_spend, unit_cost, units, binding, observed_max, extrapolated (and
            engagements, response_p10/p90 when known).
        """
        return _frame(self.rows.columns)

    @cached_property
    def network_table(self) -> pd.DataFrame:
        """One row per network, made on first read.

        Returns
        -------
        DataFrame
            network, spend, response, current_spend, current_response, change, roas, min_spend, max_spend
            (the network bounds; 0 and inf where none).
        """
        return _frame(self.rows.network_columns)

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


def _frame(columns: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Return the DataFrame of a plan's columns, the float columns in one block.

    The same frame as ``pd.DataFrame(columns)`` (the tests compare them) in a seventh of the time: the
    constructor checks and infers each column's type, which costs more than solving a plan of a hundred rows.
    Every column is copied (a table read and changed by its caller leaves the plan's facts as they were).
    """
    names = list(columns)
    if (create_dataframe_from_blocks is None or not names
            or any(isinstance(v, np.ndarray) and v.dtype == object for v in columns.values())):
        return pd.DataFrame(dict(columns))  # (objects: the constructor infers their type)
    floats, blocks = [], []
    for i, v in enumerate(columns.values()):
        if isinstance(v, np.ndarray) and v.dtype == np.float64:
            floats.append(i)
        elif isinstance(v, np.ndarray):
            blocks.append((v.copy()[None, :], np.array([i])))
        else:  # an extension array (text): immutable underneath, a new array around it
            blocks.append((v.copy(), np.array([i])))
    if floats:
        blocks.append((np.array([columns[names[i]] for i in floats], dtype=np.float64), np.array(floats)))
    n = len(columns[names[0]])
    return create_dataframe_from_blocks(blocks, index=pd.RangeIndex(n), columns=_column_index(tuple(names)))


@lru_cache(maxsize=64)
def _column_index(names: tuple[str, ...]) -> pd.Index:
    """Return the columns' Index (immutable, so shared): making one infers its type, a third of the frame's cost."""
    return pd.Index(list(names))


@dataclass(frozen=True, eq=False)
class RowFacts:
    """What a plan's table says about each row apart from its spend: read from the curve table once.

    Attributes
    ----------
    name, network : ExtensionArray of str
        The rows' names and networks (as the table's columns hold them: made once, not per plan).
    current_spend, current_response : ndarray of float
        Today's spend (NaN where unknown) and its response.
    min_spend, max_spend, unit_cost, observed_max, engagement_per_dollar : ndarray of float
        The curve table's columns (NaN where absent).
    creator : ndarray of bool
        Rows named ``Network/@handle``.
    bands : tuple or None
        ``beta, beta_p10, beta_p90, source`` (:func:`~planner.curves.intervals.band_columns`); None when the
        curve table has no bands.
    has_engagement : bool
        Whether the curve table has ``engagement_per_dollar``.
    networks : ExtensionArray of str
        The problem's networks in order (the network table's first column).
    """

    name: pd.api.extensions.ExtensionArray
    network: pd.api.extensions.ExtensionArray
    current_spend: np.ndarray
    current_response: np.ndarray
    min_spend: np.ndarray
    max_spend: np.ndarray
    unit_cost: np.ndarray
    observed_max: np.ndarray
    engagement_per_dollar: np.ndarray
    creator: np.ndarray
    bands: tuple | None
    has_engagement: bool
    networks: pd.api.extensions.ExtensionArray

    @classmethod
    def from_curves(cls, curves: pd.DataFrame, prob: Problem) -> RowFacts:
        """Return the facts of a validated curve table and its problem.

        Parameters
        ----------
        curves : DataFrame
            The validated curve table.
        prob : Problem
            Its problem (for today's response on the curves).

        Returns
        -------
        RowFacts
        """
        n = len(curves)

        def col(name):
            if name not in curves.columns:
                return np.full(n, np.nan)
            if pd.api.types.is_float_dtype(curves[name]):  # as the validated table has it: nothing to convert
                return curves[name].to_numpy(dtype=float)
            return pd.to_numeric(curves[name], errors="coerce").to_numpy(dtype=float)

        cur = col("current_spend")
        cur_resp = np.where(np.isfinite(cur), prob.ent.value(np.nan_to_num(cur)), np.nan)
        bands = band_columns(curves) if has_bands(curves) else None
        return cls(pd.array(curves["name"], dtype="str"), pd.array(curves["network"], dtype="str"), cur, cur_resp,
                   col("min_spend"), col("max_spend"), col("unit_cost"), col("observed_max"),
                   col("engagement_per_dollar"), np.asarray(is_creator(curves["name"]), dtype=bool), bands,
                   "engagement_per_dollar" in curves.columns, pd.array(list(prob.networks), dtype="str"))


_BINDING = pd.array(["", "locked", "min", "zero", "max"], dtype="str")


def _binding(prob: Problem, x: np.ndarray, max_spend: np.ndarray):
    """Each row's binding bound as text: locked, min, zero (no minimum and no spend), max or empty."""
    at_lo = x <= prob.lo + 0.005
    code = np.where(prob.lo == prob.hi, 1, np.where(at_lo, np.where(prob.lo > 0, 2, 3),
                                                      np.where(x >= max_spend - 0.005, 4, 0)))
    return _BINDING.take(code)


def _network_columns(prob: Problem, names, spend, resp, cur, cur_resp) -> dict[str, np.ndarray]:
    groups = len(prob.networks)

    def by_net(v, min_count=False):
        has = np.isfinite(v)
        tot = np.bincount(prob.net_idx, weights=np.where(has, v, 0.0), minlength=groups)
        if min_count:
            tot = np.where(np.bincount(prob.net_idx, weights=has, minlength=groups) > 0, tot, np.nan)
        return tot

    s, r = by_net(spend), by_net(resp)
    cs = by_net(cur, True)
    return {"network": names, "spend": s, "response": r, "current_spend": cs,
            "current_response": by_net(cur_resp, True), "change": s - cs,
            "roas": np.divide(r, s, out=np.full(groups, np.nan), where=s > 0),
            "min_spend": prob.net_lo, "max_spend": prob.net_hi}


def build_allocation(facts: RowFacts, prob: Problem, x: np.ndarray, value: float, bound: float, lam: float,
                     counts: dict, max_creators: int | None = None, allowance: float = 0.0) -> Allocation:
    """Return the :class:`Allocation` of plan ``x`` (whole cents) of the prepared problem ``prob``.

    Parameters
    ----------
    facts : RowFacts
        The rows' facts, read from the curve table ``prob`` was prepared from.
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
    allowance : float, default 0.0
        The plan's selection allowance (:mod:`planner.optimize.selection`), taken off its band's mean.

    Returns
    -------
    Allocation
    """
    ent = prob.ent
    spend = np.round(x, 2)
    resp = ent.value(x)
    cur, cur_resp = facts.current_spend, facts.current_response
    units = np.isfinite(ent.unit)
    obs = facts.observed_max
    cols = {
        "name": facts.name, "network": facts.network, "spend": spend, "response": resp,
        "roas": np.divide(resp, x, out=np.full(len(x), np.nan), where=x > 0), "marginal_return": ent.derivative(x),
        "current_spend": cur, "current_response": cur_resp, "change": spend - cur,
        "min_spend": facts.min_spend, "max_spend": facts.max_spend, "unit_cost": facts.unit_cost,
        "units": np.where(units, np.round(x / np.where(units, ent.unit, 1)), np.nan),
        "binding": _binding(prob, x, facts.max_spend), "observed_max": obs,
    }
    engagements = float("nan")
    if facts.has_engagement:
        cols["engagements"] = spend * facts.engagement_per_dollar
        engagements = float(np.nansum(cols["engagements"]))
    cols["extrapolated"] = np.isfinite(obs) & (x > obs * 1.0001 + 0.005)
    p10 = p50 = p90 = mean = float("nan")
    if facts.bands is not None:
        cols["response_p10"], cols["response_p90"], band = bands_of(resp, *facts.bands, allowance=allowance)
        p10, p50, p90, mean = band["p10"], band["p50"], band["p90"], band["mean"]
    has_current = bool(np.isfinite(cur).any())
    return Allocation(
        rows=PlanRows(cols, _network_columns(prob, facts.networks, spend, resp, cur, cur_resp)), budget=prob.budget,
        objective="revenue" if prob.c0 == 0 else "profit", margin=prob.w if prob.c0 else 1.0,
        total_spend=float(np.round(x.sum(), 2)), total_response=float(resp.sum()),
        total_current_spend=float(np.nansum(cur)) if has_current else float("nan"),
        total_current_response=float(np.nansum(cur_resp)) if has_current else float("nan"),
        upper_bound=float(bound), gap=float(max(0.0, bound - value)), budget_value=float(lam),
        response_p10=p10, response_p90=p90, response_p50=p50, response_mean=mean,
        selection_allowance=float(allowance) if facts.bands is not None else 0.0,
        nodes=int(counts.get("nodes", 0)), core_nodes=int(counts.get("core_nodes", 0)),
        creators_hired=int((facts.creator & (x > 0)).sum()),
        max_creators=None if max_creators is None else int(max_creators),
        engagement_weight=float(prob.engagement_weight), engagements=engagements,
    )
