"""A saved scenario: a named plan with everything needed to see it again without recomputing it.

A :class:`Scenario` holds the data's fingerprint, the curve table, the budget, the bounds
per row and per network, the objective and margin, the value of one engagement and the
most creators to hire, the allocation table and its totals.  Its content (everything but
the name, tables as :func:`planner.scenarios.frames.encode_frame` text) has a SHA-256
:func:`checksum` the store checks on every load.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from planner.bounds.bounds import Bounds
from planner.scenarios.errors import ScenarioError
from planner.scenarios.frames import encode_frame
from planner.scenarios.names import clean_name

__all__ = ["TOTALS", "FRAME_KINDS", "Scenario", "as_utc", "as_float", "encode_frames", "checksum"]

TOTALS = (
    "total_spend", "total_response", "response_p10", "response_p90", "total_current_spend",
    "total_current_response", "upper_bound", "gap", "budget_value",
)
FRAME_KINDS = ("curves", "allocation", "bounds", "network_bounds")  # a scenario's tables, in this order


def as_utc(t: _dt.datetime | None) -> _dt.datetime:
    """Return ``t`` as an aware UTC time (naive times are taken as UTC; None is now).

    Parameters
    ----------
    t : datetime, Timestamp or None
        A time.

    Returns
    -------
    datetime
        Timezone-aware, in UTC.
    """
    if t is None:
        return _dt.datetime.now(_dt.timezone.utc)
    if isinstance(t, pd.Timestamp):
        t = t.to_pydatetime()
    if t.tzinfo is None:
        return t.replace(tzinfo=_dt.timezone.utc)
    return t.astimezone(_dt.timezone.utc)


def as_float(x) -> float:
    """Return ``x`` as a float, NaN when it is not a number.

    Parameters
    ----------
    x : object
        Any value.

    Returns
    -------
    float
    """
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


@dataclass(frozen=True, eq=False)
class Scenario:
    """A named plan with everything it was made from.

    ``curves`` is the curve table the optimizer used (per-row bounds applied);
    ``bounds`` is the per-row bounds as set by the user (``name, network, min_spend,
    max_spend, lock``) or None for the curve table's own; ``network_bounds`` is
    ``network, min_spend, max_spend`` or None; ``allocation`` is
    ``Allocation.table``; ``totals`` holds the keys of :data:`TOTALS` (NaN when
    unknown); ``engagement_weight`` is the dollars one engagement was worth to the
    optimizer (0: revenue alone) and ``max_creators`` the most creators it could hire
    (None: no limit).  Compare two scenarios with :meth:`same_as`.
    """

    name: str
    created: _dt.datetime
    fingerprint: str
    curves: pd.DataFrame
    budget: float
    objective: str
    margin: float
    allocation: pd.DataFrame
    totals: Mapping[str, float]
    bounds: pd.DataFrame | None = None
    network_bounds: pd.DataFrame | None = None
    note: str = ""
    engagement_weight: float = 0.0
    max_creators: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "name", clean_name(self.name))
        object.__setattr__(self, "created", as_utc(self.created))
        object.__setattr__(self, "totals", {k: as_float(self.totals.get(k)) for k in TOTALS})
        object.__setattr__(self, "budget", float(self.budget))
        object.__setattr__(self, "margin", float(self.margin))
        object.__setattr__(self, "objective", str(self.objective))
        object.__setattr__(self, "fingerprint", str(self.fingerprint or ""))
        object.__setattr__(self, "note", str(self.note or ""))
        weight = as_float(self.engagement_weight)
        if not (math.isfinite(weight) and weight >= 0):
            raise ScenarioError(f"The value of one engagement must be a number of dollars, 0 or more, "
                                f"not {self.engagement_weight!r}.")
        object.__setattr__(self, "engagement_weight", weight)
        if self.max_creators is not None:
            limit = as_float(self.max_creators)
            if not (math.isfinite(limit) and limit >= 0 and limit == int(limit)):
                raise ScenarioError(f"The most creators to hire must be a whole number, 0 or more, "
                                    f"not {self.max_creators!r}.")
            object.__setattr__(self, "max_creators", int(limit))
        if self.objective not in ("revenue", "profit"):
            raise ScenarioError(f"The objective must be 'revenue' or 'profit', not {self.objective!r}.")
        for what in ("curves", "allocation"):
            if not isinstance(getattr(self, what), pd.DataFrame):
                raise ScenarioError(f"A scenario's {what} must be a table (DataFrame).")

    @classmethod
    def from_allocation(cls, name: str, allocation, curves: pd.DataFrame, *, fingerprint: str = "",
                        bounds: pd.DataFrame | None = None, network_bounds: pd.DataFrame | None = None,
                        note: str = "", created: _dt.datetime | None = None) -> Scenario:
        """Make a scenario of an :class:`planner.optimize.result.Allocation` and the curve table it came from.

        Its engagement value and hire limit are the allocation's.

        Parameters
        ----------
        name : str
            The scenario's name (:func:`~planner.scenarios.names.clean_name`).
        allocation : Allocation
            The plan; its table, budget, objective, margin and :data:`TOTALS` are kept.
        curves : DataFrame
            The curve table the plan was made from.
        fingerprint : str, default ""
            The data's fingerprint (:func:`~planner.scenarios.names.data_fingerprint`).
        bounds, network_bounds : DataFrame, optional
            The row and network bounds the user set; None for none.
        note : str, default ""
            Free text kept with the scenario.
        created : datetime, optional
            When it was made; default now (UTC).

        Returns
        -------
        Scenario
            Every table with a fresh ``RangeIndex``.

        Raises
        ------
        ScenarioError
            When the name is not usable, or the allocation's objective, engagement value or hire limit is.
        """
        return cls(
            name=name, created=as_utc(created), fingerprint=fingerprint, curves=curves.reset_index(drop=True),
            budget=allocation.budget, objective=allocation.objective, margin=allocation.margin,
            allocation=allocation.table.reset_index(drop=True),
            totals={k: getattr(allocation, k, float("nan")) for k in TOTALS},
            bounds=None if bounds is None else bounds.reset_index(drop=True),
            network_bounds=None if network_bounds is None else network_bounds.reset_index(drop=True),
            note=note, engagement_weight=allocation.engagement_weight or 0.0,
            max_creators=allocation.max_creators,
        )

    # ------------------------------------------------------------------ readings

    @property
    def spend_bounds(self) -> Bounds:
        """The bounds the user set, as one value (planner.bounds.bounds.Bounds).

        Returns
        -------
        Bounds
            Empty where the scenario kept the curve table's own bounds.
        """
        return Bounds.from_saved(self.bounds, self.network_bounds)

    @property
    def total_spend(self) -> float:
        """The plan's total spend.

        Returns
        -------
        float
            Dollars (NaN when unknown).
        """
        return self.totals["total_spend"]

    @property
    def total_response(self) -> float:
        """The plan's expected revenue.

        Returns
        -------
        float
            Dollars (NaN when unknown).
        """
        return self.totals["total_response"]

    @property
    def roas(self) -> float:
        """Expected revenue per dollar spent (NaN when nothing is spent).

        Returns
        -------
        float
            Dollars of expected revenue per dollar spent.
        """
        s = self.total_spend
        return self.total_response / s if s > 0 else float("nan")

    @property
    def network_table(self) -> pd.DataFrame:
        """Spend, expected revenue and current spend per network.

        Returns
        -------
        DataFrame
            ``network, spend, response`` and, when the allocation has it, ``current_spend`` (NaN for a network
            whose rows have none), one row per network in order of first appearance.
        """
        t = self.allocation
        agg = {"spend": ("spend", "sum"), "response": ("response", "sum")}
        if "current_spend" in t.columns:
            agg["current_spend"] = ("current_spend", lambda s: s.sum(min_count=1))
        return t.groupby("network", sort=False).agg(**agg).reset_index()

    def replace(self, **changes) -> Scenario:
        """Return a copy with ``changes`` (fields by name) applied and checked.

        Parameters
        ----------
        **changes
            New values of fields, by name.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioError
            When a changed value is not usable (as on construction).
        TypeError
            When a keyword is not a field.
        """
        return dataclasses.replace(self, **changes)

    def same_as(self, other: Scenario) -> bool:
        """Return True when both hold the same name and content, tables equal to the last bit.

        Parameters
        ----------
        other : Scenario
            The scenario to compare with; anything else gives False.

        Returns
        -------
        bool
        """
        return isinstance(other, Scenario) and self.name == other.name and _content(self) == _content(other)


def encode_frames(s: Scenario) -> dict[str, str | None]:
    """Return the scenario's tables as JSON text (:func:`encode_frame`), by kind (:data:`FRAME_KINDS`).

    Parameters
    ----------
    s : Scenario
        The scenario.

    Returns
    -------
    dict of str to (str or None)
        One entry per kind of :data:`FRAME_KINDS`; None for a table the scenario does not have.
    """
    return {k: encode_frame(getattr(s, k)) for k in FRAME_KINDS}


def _content(s: Scenario, frames: Mapping[str, str | None] | None = None) -> str:
    """Canonical text of everything but the name (what the checksum covers)."""
    frames = encode_frames(s) if frames is None else frames
    head = {
        "created": s.created.isoformat(), "fingerprint": s.fingerprint, "budget": s.budget,
        "objective": s.objective, "margin": s.margin, "totals": [s.totals[k] for k in TOTALS], "note": s.note,
    }
    # added in schema 2; absent when unset, so the checksums of scenarios saved before still hold
    if s.engagement_weight:
        head["engagement_weight"] = s.engagement_weight
    if s.max_creators is not None:
        head["max_creators"] = s.max_creators
    return json.dumps({"head": head, "frames": [frames.get(k) for k in FRAME_KINDS]}, allow_nan=True,
                      separators=(",", ":"), ensure_ascii=False)


def checksum(s: Scenario, frames: Mapping[str, str | None]) -> str:
    """Return the SHA-256 of the scenario's content, its tables given as the text ``frames`` holds.

    Parameters
    ----------
    s : Scenario
        The scenario (its fields but the name, and the time as ISO text).
    frames : mapping of str to (str or None)
        Its tables by kind, as :func:`encode_frames` gives them or as read from the database.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    return hashlib.sha256(_content(s, frames).encode("utf-8")).hexdigest()
