"""Bounds on spend as one frozen value: per row, per network, locks, share caps and a spend range.

Bounds reach the planner in several shapes; this module is the one place that reads and writes
them all:

- the curve table's own ``min_spend`` / ``max_spend`` columns (:meth:`Bounds.apply` writes them);
- the app's two editor tables (:meth:`Bounds.from_editor`, :meth:`Bounds.editor_tables`);
- a scenario's saved tables (:meth:`Bounds.from_saved`, :meth:`Bounds.saved`);
- the optimizer's and the command line's network bounds table ``network, min_spend, max_spend``
  (:meth:`Bounds.from_network_frame`, :meth:`Bounds.network_frame`, :meth:`Bounds.network_arrays`).

A row or network not named keeps what the curve table says (no network bound).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.errors import InfeasibleError, InputError
from planner.base.format import money
from planner.bounds import presets
from planner.bounds.limits import NetworkBound, RowBound, cell_number, column_numbers

__all__ = ["RowBound", "NetworkBound", "Bounds", "EDITOR_MIN", "EDITOR_MAX", "EDITOR_LOCK"]

EDITOR_MIN, EDITOR_MAX, EDITOR_LOCK = "Min spend", "Max spend", "Lock at current"


@dataclass(frozen=True)
class Bounds:
    """Every bound on a plan's spend, beside the budget.

    Parameters
    ----------
    rows : tuple of RowBound
        Per-row bounds that replace the curve table's; rows not named keep theirs.
    networks : tuple of NetworkBound
        Bounds on each network's total spend.
    """

    rows: tuple[RowBound, ...] = ()
    networks: tuple[NetworkBound, ...] = ()
    spend_range: tuple[float, float] | None = None
    network_share: float | None = None
    row_share: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(self.rows))
        object.__setattr__(self, "networks", tuple(self.networks))
        if self.spend_range is not None:
            low, high = (float(v) for v in self.spend_range)
            if not (0 <= low <= high):
                raise InputError(f"A spend range needs 0 <= low <= high, not {low:g}:{high:g}.")
            object.__setattr__(self, "spend_range", (low, high))
        for share in (self.network_share, self.row_share):
            if share is not None and not (0 < share <= 1):
                raise InputError(f"A share of the budget must be above 0 and at most 1 (100 %), not {share}.")

    def resolve(self, curves: pd.DataFrame, budget: float) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        """Return the curve table and network bounds table the optimizer takes for a budget.

        Row bounds and locks first, then the spend range (relative to current spend), then the
        share caps (relative to ``budget``); a tighter bound always wins.

        Parameters
        ----------
        curves : DataFrame
            The curve table.
        budget : float
            The budget in dollars, which the share caps are a fraction of.

        Returns
        -------
        curves : DataFrame
            A copy of ``curves`` with the resolved ``min_spend`` / ``max_spend``.
        network_bounds : DataFrame or None
            ``network, min_spend, max_spend`` as :func:`~planner.optimize.optimize` takes it, or None when no
            network is bounded.

        Raises
        ------
        CurveTableError
            When a spend range or a share cap is set and ``curves`` fails
            :func:`~planner.curves.table.validate_curves`.
        """
        out, nb = self.apply(curves), self.network_frame()
        if self.spend_range is not None:
            out = presets.spend_range(out, *self.spend_range)
        if self.network_share is not None or self.row_share is not None:
            out, nb = presets.max_share(out, budget, self.network_share, self.row_share, nb)
        return out, nb

    # ------------------------------------------------------------------ readings

    def problems(self, curves: pd.DataFrame | None = None) -> list[str]:
        """Return a sentence for every bound that cannot be used as typed.

        Parameters
        ----------
        curves : DataFrame, optional
            The curve table, for the current spend a lock holds a row at (its ``name`` and
            ``current_spend`` columns). None, or a table without ``current_spend``: every lock is
            reported as having no current spend.

        Returns
        -------
        list of str
            One sentence per problem, row bounds first (in the order of :attr:`rows`), then network
            bounds; empty when every bound can be used.
        """
        current = {}
        if curves is not None and "current_spend" in curves.columns:
            current = dict(zip(curves["name"].astype(str), column_numbers(curves["current_spend"]), strict=True))
        out = []
        for r in self.rows:
            out.extend(r.problems(current.get(r.name, math.nan)))
        for n in self.networks:
            out.extend(n.problems())
        return out

    @property
    def network_floor(self) -> float:
        """Return the sum of the network minimums: no budget below it can meet them.

        Returns
        -------
        float
            Dollars; 0 when no network has a minimum above $0.
        """
        return float(sum(n.min_spend for n in self.networks if math.isfinite(n.min_spend) and n.min_spend > 0))

    @property
    def has_network_bounds(self) -> bool:
        """Whether any network has a minimum above $0 or a maximum.

        Returns
        -------
        bool
            True when some :attr:`networks` entry :attr:`~NetworkBound.is_set`.
        """
        return any(n.is_set for n in self.networks)

    def apply(self, curves: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of the curve table with these row bounds in ``min_spend`` / ``max_spend``.

        A locked row gets both bounds at its current spend; an empty minimum is $0 and an empty
        maximum no limit.  Rows named here but not in ``curves`` are ignored; rows of ``curves``
        not named keep their bounds.

        A locked row whose current spend is missing keeps the bounds typed for it instead.

        Parameters
        ----------
        curves : DataFrame
            The curve table (``name``, and ``current_spend``, ``min_spend``, ``max_spend`` where present);
            it is not modified.

        Returns
        -------
        DataFrame
            The copy; when any row bound is set, ``min_spend`` (0 where absent) and ``max_spend`` (``inf``
            where absent) are written as float columns.
        """
        out = curves.copy()
        if not self.rows:
            return out
        # one vectorised lookup by name (thousands of creators are normal); a name given twice: the last wins
        typed = pd.DataFrame({"lo": [r.min_spend for r in self.rows], "hi": [r.max_spend for r in self.rows],
                              "lock": [r.lock for r in self.rows]}, index=[r.name for r in self.rows])
        typed = typed[~typed.index.duplicated(keep="last")].reindex(out["name"].astype(str).to_numpy())
        named = typed["lock"].notna().to_numpy()
        cur = column_numbers(out["current_spend"]) if "current_spend" in out.columns else np.full(len(out), np.nan)
        lo = column_numbers(out["min_spend"]) if "min_spend" in out.columns else np.zeros(len(out))
        hi = column_numbers(out["max_spend"]) if "max_spend" in out.columns else np.full(len(out), np.inf)
        t_lo, t_hi = typed["lo"].to_numpy(dtype=float), typed["hi"].to_numpy(dtype=float)
        locked = named & typed["lock"].fillna(False).to_numpy(dtype=bool) & np.isfinite(cur)
        lo = np.where(named, np.where(locked, cur, np.where(np.isfinite(t_lo), t_lo, 0.0)), lo)
        hi = np.where(named, np.where(locked, cur, np.where(np.isfinite(t_hi), t_hi, np.inf)), hi)
        out["min_spend"], out["max_spend"] = lo, hi
        return out

    def network_arrays(self, networks: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return the minimum and maximum of each of ``networks`` (0 and inf where unbounded).

        Parameters
        ----------
        networks : sequence of str
            The curve table's networks, in the order of the arrays returned; a bound's network is
            matched ignoring case.

        Returns
        -------
        lo, hi : ndarray of float
            Each network's minimum and maximum total spend in dollars, aligned with ``networks``.
            Messages number the bounds as spreadsheet rows (the first bound is row 2).

        Raises
        ------
        InputError
            When a bound names a network that is not among ``networks``, or is negative.
        InfeasibleError
            When a network's minimum is above its maximum.
        """
        lo, hi = np.zeros(len(networks)), np.full(len(networks), np.inf)
        lookup = {str(n).lower(): i for i, n in enumerate(networks)}
        for r, b in enumerate(self.networks, start=2):
            if b.network.lower() not in lookup:
                raise InputError(f"Network bounds row {r} names '{b.network}', which is not a network of the curve "
                                 f"table ({', '.join(map(str, networks))}).")
            i = lookup[b.network.lower()]
            for col, value, arr in (("min_spend", b.min_spend, lo), ("max_spend", b.max_spend, hi)):
                if math.isfinite(value):
                    if value < 0:
                        raise InputError(f"Network bounds row {r}, column '{col}': {b.network} has a negative bound.")
                    arr[i] = value
            if lo[i] > hi[i]:
                raise InfeasibleError(f"Network bounds row {r}: {b.network}'s minimum {money(lo[i])} is above its "
                                      f"maximum {money(hi[i])}.")
        return lo, hi

    # ------------------------------------------------------------------ the optimizer's and CLI's network table

    @classmethod
    def from_network_frame(cls, frame: pd.DataFrame | None) -> Bounds:
        """Read network bounds from a table with columns ``network, min_spend, max_spend``.

        Column names are matched ignoring case and spaces around them; either bound may be absent.

        Parameters
        ----------
        frame : DataFrame or None
            One row per network; network names are stripped, and a bound that is empty or not a
            number is NaN (no bound). None or an empty table gives no bounds.

        Returns
        -------
        Bounds
            Bounds with only :attr:`networks` set, one per row of ``frame`` in its order.

        Raises
        ------
        InputError
            When the table has no ``network`` column.
        """
        if frame is None or len(frame) == 0:
            return cls()
        nb = frame.rename(columns=lambda c: str(c).strip().lower())
        if "network" not in nb.columns:
            raise InputError("The network bounds need a 'network' column.")
        lo = nb["min_spend"] if "min_spend" in nb.columns else pd.Series(np.nan, index=nb.index)
        hi = nb["max_spend"] if "max_spend" in nb.columns else pd.Series(np.nan, index=nb.index)
        return cls(networks=tuple(NetworkBound(str(n).strip(), cell_number(a), cell_number(b))
                                  for n, a, b in zip(nb["network"], lo, hi, strict=True)))

    def network_frame(self) -> pd.DataFrame | None:
        """Return ``network, min_spend, max_spend`` of the networks with a bound, or None without any.

        Returns
        -------
        DataFrame or None
            One row per network whose bound :attr:`~NetworkBound.is_set`, NaN for an absent bound; None
            when no network is bounded.
        """
        kept = [n for n in self.networks if n.is_set]
        if not kept:
            return None
        return pd.DataFrame({"network": [n.network for n in kept], "min_spend": [n.min_spend for n in kept],
                             "max_spend": [n.max_spend for n in kept]})

    # ------------------------------------------------------------------ a scenario's saved tables

    @classmethod
    def from_saved(cls, rows: pd.DataFrame | None, networks: pd.DataFrame | None) -> Bounds:
        """Read a scenario's tables: ``name, network, min_spend, max_spend, lock`` and ``network, min_spend, max_spend``.

        Parameters
        ----------
        rows : DataFrame or None
            The saved row bounds, one per row; ``min_spend``, ``max_spend``, ``lock`` and ``network`` may be
            absent (no bound, no lock, ``""``). None: no row bounds.
        networks : DataFrame or None
            The saved network bounds, read as :meth:`from_network_frame` reads them. None: no network bounds.

        Returns
        -------
        Bounds
            The row and network bounds, without spend range or share caps.

        Raises
        ------
        InputError
            When ``networks`` has rows but no ``network`` column.
        """
        row_bounds = () if rows is None else tuple(
            RowBound(str(r["name"]), cell_number(r.get("min_spend")), cell_number(r.get("max_spend")),
                     bool(r.get("lock")) if pd.notna(r.get("lock")) else False, str(r.get("network", "")))
            for r in rows.to_dict("records"))
        return cls(row_bounds, cls.from_network_frame(networks).networks if networks is not None else ())

    def saved(self) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
        """Return the tables a scenario keeps: the row bounds and the network bounds (None where there are none).

        Returns
        -------
        rows : DataFrame or None
            ``name, network, min_spend, max_spend, lock`` (bounds as floats, NaN = empty), one per row bound.
        networks : DataFrame or None
            ``network, min_spend, max_spend``, one per network bound, set or not.
        """
        rows = None if not self.rows else pd.DataFrame({
            "name": [r.name for r in self.rows], "network": [r.network for r in self.rows],
            "min_spend": np.array([r.min_spend for r in self.rows], dtype=float),
            "max_spend": np.array([r.max_spend for r in self.rows], dtype=float),
            "lock": np.array([r.lock for r in self.rows], dtype=bool),
        })
        nets = None if not self.networks else pd.DataFrame({
            "network": [n.network for n in self.networks],
            "min_spend": np.array([n.min_spend for n in self.networks], dtype=float),
            "max_spend": np.array([n.max_spend for n in self.networks], dtype=float),
        })
        return rows, nets

    # ------------------------------------------------------------------ the app's editor tables

    @classmethod
    def from_editor(cls, rows: pd.DataFrame | None, networks: pd.DataFrame | None) -> Bounds:
        """Read the app's editor tables (indexed by name and by network; columns Min spend, Max spend, Lock).

        Parameters
        ----------
        rows : DataFrame or None
            The row editor: index the curve-table names, columns ``Min spend`` and ``Max spend`` (dollars,
            empty = none), and optionally ``Lock at current`` and ``Network``. None or empty: no row bounds.
        networks : DataFrame or None
            The network editor: index the networks, columns ``Min spend`` and ``Max spend``. None or empty: no
            network bounds.

        Returns
        -------
        Bounds
            One :class:`RowBound` per editor row and one :class:`NetworkBound` per network row.
        """
        row_bounds: Iterable[RowBound] = ()
        if rows is not None and len(rows):
            lock = rows[EDITOR_LOCK].fillna(False).astype(bool).to_numpy() if EDITOR_LOCK in rows else \
                np.zeros(len(rows), dtype=bool)
            net = rows["Network"].astype(str).to_numpy() if "Network" in rows else np.full(len(rows), "")
            row_bounds = tuple(RowBound(str(n), float(a), float(b), bool(k), str(g)) for n, a, b, k, g in zip(
                rows.index.astype(str), column_numbers(rows[EDITOR_MIN]), column_numbers(rows[EDITOR_MAX]), lock, net,
                strict=True))
        net_bounds: Iterable[NetworkBound] = ()
        if networks is not None and len(networks):
            net_bounds = tuple(NetworkBound(str(n), float(a), float(b)) for n, a, b in zip(
                networks.index.astype(str), column_numbers(networks[EDITOR_MIN]), column_numbers(networks[EDITOR_MAX]),
                strict=True))
        return cls(tuple(row_bounds), tuple(net_bounds))

    def editor_tables(self, curves: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
        """Return the app's two editor tables for ``curves`` with these bounds, and the names not in the data.

        The row table is indexed by ``Name`` with columns Network, Current spend, Cost per post,
        Min spend, Max spend (empty = no limit), Lock at current; rows not named here show the
        curve table's bounds.  The network table is indexed by ``Network`` with Current spend,
        Min spend ($0) and Max spend (empty).

        Parameters
        ----------
        curves : DataFrame
            The curve table (``name``, ``network``, and ``current_spend``, ``unit_cost``, ``min_spend``,
            ``max_spend`` where present).

        Returns
        -------
        rows : DataFrame
            The row editor, one row per curve-table row.
        networks : DataFrame
            The network editor, one row per network in order of first appearance; Current spend is the sum
            of its rows' current spend (NaN when none is known).
        missing : list of str
            Names of row bounds and then networks of network bounds that are not in ``curves``.
        """
        names = curves["name"].astype(str).to_numpy()
        mx = column_numbers(curves["max_spend"]) if "max_spend" in curves.columns else np.full(len(curves), np.nan)
        mn = column_numbers(curves["min_spend"]) if "min_spend" in curves.columns else np.zeros(len(curves))
        cur = column_numbers(curves["current_spend"]) if "current_spend" in curves.columns else np.full(len(curves), np.nan)
        unit = column_numbers(curves["unit_cost"]) if "unit_cost" in curves.columns else np.full(len(curves), np.nan)
        rows = pd.DataFrame({
            "Network": curves["network"].astype(str).to_numpy(), "Current spend": cur, "Cost per post": unit,
            EDITOR_MIN: np.nan_to_num(mn, nan=0.0), EDITOR_MAX: np.where(np.isfinite(mx), mx, np.nan),
            EDITOR_LOCK: False,
        }, index=pd.Index(names, name="Name"))
        missing = []
        for r in self.rows:
            if r.name not in rows.index:
                missing.append(r.name)
                continue
            rows.loc[r.name, EDITOR_MIN] = r.min_spend if math.isfinite(r.min_spend) else np.nan
            rows.loc[r.name, EDITOR_MAX] = r.max_spend if math.isfinite(r.max_spend) else np.nan
            rows.loc[r.name, EDITOR_LOCK] = r.lock
        nets = list(dict.fromkeys(curves["network"].astype(str)))
        cur_sum = pd.Series(cur, index=curves["network"].astype(str).to_numpy()).groupby(level=0).sum(min_count=1)
        networks = pd.DataFrame({
            "Current spend": cur_sum.reindex(nets).to_numpy(dtype=float),
            EDITOR_MIN: np.zeros(len(nets)), EDITOR_MAX: np.full(len(nets), np.nan),
        }, index=pd.Index(nets, name="Network"))
        for n in self.networks:
            if n.network not in networks.index:
                missing.append(n.network)
                continue
            networks.loc[n.network, EDITOR_MIN] = n.min_spend if math.isfinite(n.min_spend) else np.nan
            networks.loc[n.network, EDITOR_MAX] = n.max_spend if math.isfinite(n.max_spend) else np.nan
        return rows, networks, missing
