"""Per-entity Lagrangian subproblem: the exact best spend at a price of spend.

For a price ``p`` the subproblem of entity ``i`` is ``max f_i(x) - p x`` over its
domain (an interval ``[lo, hi]``, or the whole units ``n * unit_cost`` in it).  The
maximiser is exact for every curve form, S-shaped hill curves included: on the
convex part of a curve ``f - p x`` is convex, so its maximum there is at an end of
that part; on the concave part it is at the root of ``f'(x) = p``, clipped.  The
candidates are therefore the domain ends, the concave-part root and, for whole
units, the units on either side of the root and of the inflection point.

Everything is vectorised over entities; :class:`Entities` holds the curve table
as arrays once, so repeated calls (bisection over the price) do no pandas work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.curves.forms import get_form

__all__ = ["Entities", "best_response"]

_TILE_KEPT = 65_536  # the most rows of a tile kept for the next call
UNIT_TABLE_MOST = 256  # whole-unit rows are read from a table of their values up to this many units...
UNIT_TABLE_CELLS = 1_000_000  # ... of at most this many values (8 MB, and as much for their spends); beyond, candidates are compared


@dataclass(frozen=True)
class Entities:
    """The curve table as arrays (one element per entity)."""

    beta: np.ndarray
    k: np.ndarray
    s: np.ndarray
    form: np.ndarray  # curve form names
    unit: np.ndarray  # unit cost, NaN = continuous
    infl: np.ndarray  # inflection spend (0 where concave)
    groups: tuple  # (form name, index array) pairs
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # price-free constants, warm starts

    @classmethod
    def from_curves(cls, curves: pd.DataFrame) -> Entities:
        """Return the arrays of a checked curve table (an empty ``k`` or ``s`` read as 1), inflections included.

        Parameters
        ----------
        curves : DataFrame
            A validated curve table (``curve``, ``beta``, ``k``, ``s``, ``unit_cost``).

        Returns
        -------
        Entities
            One element per row; ``unit`` NaN for continuous rows.
        """
        form = curves["curve"].to_numpy(dtype=object)  # validated: lower-case already
        beta = curves["beta"].to_numpy(dtype=float)
        k = np.nan_to_num(curves["k"].to_numpy(dtype=float), nan=1.0)
        s = np.nan_to_num(curves["s"].to_numpy(dtype=float), nan=1.0)
        unit = curves["unit_cost"].to_numpy(dtype=float)
        groups = _groups(form)
        infl = np.zeros(len(beta))
        for name, idx in groups:
            infl[idx] = get_form(name).inflection(beta[idx], k[idx], s[idx])
        return cls(beta, k, s, form, unit, infl, groups)

    def __len__(self) -> int:
        return len(self.beta)

    def subset(self, idx: np.ndarray) -> Entities:
        """Return the rows ``idx`` (in that order) as their own Entities.

        Parameters
        ----------
        idx : ndarray of int
            Row positions.

        Returns
        -------
        Entities
            A new table with an empty cache.
        """
        return self.make(self.beta[idx], self.k[idx], self.s[idx], self.form[idx], self.unit[idx], self.infl[idx])

    def tile(self, reps: int) -> Entities:
        """Return the rows repeated ``reps`` times (one copy per budget of a sweep).

        Parameters
        ----------
        reps : int
            How many copies.

        Returns
        -------
        Entities
            ``reps * len(self)`` rows: the whole table, then again, and so on.  The last one made is kept
            (with its warm starts: the next frontier of as many budgets starts from this one's roots) when
            it has at most 65,536 rows.
        """
        kept = self.cache.get("tile")
        if kept is not None and kept[0] == reps:
            return kept[1]

        def t(a):
            return np.tile(a, reps)

        tiled = self.make(t(self.beta), t(self.k), t(self.s), t(self.form), t(self.unit), t(self.infl))
        if reps * len(self) <= _TILE_KEPT:  # a big tile is not kept: prepared problems live in a shared store
            self.cache["tile"] = (reps, tiled)
        return tiled

    @classmethod
    def make(cls, beta, k, s, form, unit, infl) -> Entities:
        """Return Entities of the given arrays (one element per row).

        Parameters
        ----------
        beta, k, s : ndarray of float
            Curve parameters per row.
        form : ndarray of object
            Curve form names per row (lower case).
        unit : ndarray of float
            Unit cost per row in dollars, NaN for continuous rows.
        infl : ndarray of float
            Inflection spend per row in dollars (0 where concave).

        Returns
        -------
        Entities
            The table with its form groups computed and an empty cache.
        """
        return cls(beta, k, s, form, unit, infl, _groups(form))

    def _each_form(self, method: str, x: np.ndarray) -> np.ndarray:
        if len(self.groups) == 1:  # one form: no gathering by index
            return getattr(get_form(self.groups[0][0]), method)(x, self.beta, self.k, self.s)
        out = np.empty(len(self))
        for name, idx in self.groups:
            out[idx] = getattr(get_form(name), method)(x[idx], self.beta[idx], self.k[idx], self.s[idx])
        return out

    def value(self, x: np.ndarray) -> np.ndarray:
        """Return every row's response at its spend ``x`` (one per row).

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars, shape (rows,).

        Returns
        -------
        ndarray of float
            Response per row, in outcome units.
        """
        return self._each_form("value", x)

    def value_at(self, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Values of the rows ``idx`` at spends ``x`` (one per index).

        Parameters
        ----------
        idx : ndarray of int
            Row positions, repeats allowed.
        x : ndarray of float
            Spend in dollars, one per element of ``idx``.

        Returns
        -------
        ndarray of float
            The response of row ``idx[j]`` at ``x[j]``, one per element of ``idx``.
        """
        return self._each_at("value", idx, x)

    def derivative_at(self, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Marginal responses of the rows ``idx`` at spends ``x``: :meth:`value_at`'s arguments, outcome units per dollar."""
        return self._each_at("derivative", idx, x)

    def _each_at(self, method: str, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
        if len(self.groups) == 1:
            name = self.groups[0][0]
            return getattr(get_form(name), method)(x, self.beta[idx], self.k[idx], self.s[idx])
        code = self.cache.get("code")
        if code is None:
            code = np.empty(len(self), dtype=np.int64)
            for g, (_, gi) in enumerate(self.groups):
                code[gi] = g
            self.cache["code"] = code
        out = np.empty(len(idx))
        codes = code[idx]
        for g, (name, _) in enumerate(self.groups):
            m = codes == g
            if m.any():
                ii = idx[m]
                out[m] = getattr(get_form(name), method)(x[m], self.beta[ii], self.k[ii], self.s[ii])
        return out

    def value_grid(self, X: np.ndarray) -> np.ndarray:
        """Values of every row at spends ``X`` of shape (cases, rows), e.g. one case per budget.

        Parameters
        ----------
        X : ndarray of float
            Spend in dollars, shape (cases, rows).

        Returns
        -------
        ndarray of float
            Response, shape (cases, rows).
        """
        if len(self.groups) == 1:  # the rows' parameters broadcast over the cases: nothing gathered
            return get_form(self.groups[0][0]).value(X, self.beta, self.k, self.s)
        out = np.empty(X.shape)
        for name, idx in self.groups:
            out[:, idx] = get_form(name).value(X[:, idx], self.beta[idx], self.k[idx], self.s[idx])
        return out

    def derivative(self, x: np.ndarray) -> np.ndarray:
        """Return every row's marginal response at its spend ``x`` (one per row).

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars, shape (rows,).

        Returns
        -------
        ndarray of float
            Outcome units per dollar, per row.
        """
        return self._each_form("derivative", x)

    def curvature(self, x: np.ndarray) -> np.ndarray:
        """Return every row's second derivative of the response at its spend ``x`` (one per row).

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars, shape (rows,).

        Returns
        -------
        ndarray of float
            Outcome units per dollar per dollar, per row (negative where the curve is concave).
        """
        return self._each_form("curvature", x)

    @property
    def smooth(self) -> bool:
        """Whether every row's best spend moves continuously with the price: no whole units, no S-curves, no lines.

        Returns
        -------
        bool
            Computed once and cached.
        """
        m = self.cache.get("smooth")
        if m is None:
            m = self.cache["smooth"] = bool(not self.needs_compare.any()
                                            and all(get_form(name).smooth_root for name, _ in self.groups))
        return m

    def root(self, p: np.ndarray) -> np.ndarray:
        """Return the spend on the concave part where ``f'(x) = p`` (the inflection if ``p`` is above the peak slope).

        Each form solves its own rows (:meth:`planner.curves.forms.base.CurveForm.root`), keeping
        its constants and warm starts in this table's cache; the answer does not depend on them.

        Parameters
        ----------
        p : ndarray of float
            The price of a dollar of spend per row, in outcome units per dollar.

        Returns
        -------
        ndarray of float
            Spend per row in dollars; ``inf`` where ``p <= 0`` (every form rises with spend).
        """
        if len(self.groups) == 1:  # one form: no gathering by index
            name = self.groups[0][0]
            state = self.cache.setdefault(("root", name), {})
            out = get_form(name).root(p, self.beta, self.k, self.s, self.infl, state)
            return np.where(p > 0, out, np.inf)
        out = np.empty(len(self))
        for name, idx in self.groups:
            state = self.cache.setdefault(("root", name), {})
            out[idx] = get_form(name).root(p[idx], self.beta[idx], self.k[idx], self.s[idx], self.infl[idx], state)
        # a price of zero or less (a row's engagements worth more than the budget's price): every form
        # rises with spend, so the row spends all it may
        return np.where(p > 0, out, np.inf)

    def root_curvature(self, p: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Return every row's second derivative at the roots :meth:`root` just found at prices ``p``.

        Parameters
        ----------
        p : ndarray of float
            The prices :meth:`root` was last called with.
        x : ndarray of float
            The roots it returned.

        Returns
        -------
        ndarray of float
            As :meth:`curvature` at ``x``; each form answers from what its root left behind.
        """
        if len(self.groups) == 1:  # one form: no gathering by index
            name = self.groups[0][0]
            return get_form(name).root_curvature(p, x, self.beta, self.k, self.s, self.cache.setdefault(("root", name), {}))
        out = np.empty(len(self))
        for name, idx in self.groups:
            state = self.cache.setdefault(("root", name), {})
            out[idx] = get_form(name).root_curvature(p[idx], x[idx], self.beta[idx], self.k[idx], self.s[idx], state)
        return out

    @property
    def needs_compare(self) -> np.ndarray:
        """Rows whose best spend is not simply the clipped root: whole units, and S-curves.

        Returns
        -------
        ndarray of bool
            One per row, computed once and cached: True for whole-unit rows and rows with an inflection
            above 0.
        """
        m = self.cache.get("compare")
        if m is None:
            m = self.cache["compare"] = np.isfinite(self.unit) | (self.infl > 0)
        return m


def _groups(form: np.ndarray) -> tuple:
    """``(form name, row indices)`` pairs, by hashing (sorting 10,000 strings is slower)."""
    codes, names = pd.factorize(form)
    if len(names) == 1:
        return ((str(names[0]), np.arange(len(form))),)
    return tuple((str(name), np.flatnonzero(codes == g)) for g, name in enumerate(names))


def best_response(ent: Entities, price: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                  fixed: np.ndarray | None = None) -> np.ndarray:
    """Exact maximiser of ``f_i(x) - price_i * x`` over each entity's domain.

    ``lo``/``hi`` bound the spend (finite); for whole-unit entities they are
    multiples of the unit cost and only multiples are returned.  Ties go to the
    smaller spend, so the result is the right-continuous spend at this price.
    A concave, continuous row's answer is its root clipped to the domain; only
    S-curves and whole units compare candidates.  ``fixed`` (optional, per row) is
    a cost paid once when a row that may be left at zero spends anything (the
    price of hiring a creator): such a row spends only when that pays.

    Parameters
    ----------
    ent : Entities
        The rows.
    price : float or ndarray of float
        Price of a dollar of spend per row (a scalar applies to every row), in outcome units per dollar.
    lo, hi : ndarray of float
        Each row's finite spend bounds in dollars.
    fixed : ndarray of float, optional
        One-off cost per row of spending anything, in outcome units; None for none.

    Returns
    -------
    ndarray of float
        The best spend per row in dollars, within ``[lo, hi]``.
    """
    price = np.broadcast_to(np.asarray(price, dtype=float), (len(ent),))
    table = _unit_table(ent, hi)
    if table is not None and table.every_row:  # every row is whole units: no roots to find
        out = _from_table(table, price, lo, hi)
    else:
        r = ent.root(price)
        cmp_ = ent.needs_compare
        out = np.minimum(np.maximum(r, lo), hi)
        if table is not None:  # the whole-unit rows read from their table, the S-curves compare candidates
            out[table.rows] = _from_table(table, price, lo, hi)
            cmp_ = cmp_ & (table.pos < 0)
        if cmp_.any():
            idx = np.flatnonzero(cmp_)
            out[idx] = _compare(ent, idx, price[idx], r[idx], lo[idx], hi[idx])
    if fixed is not None:
        f = np.broadcast_to(np.asarray(fixed, dtype=float), (len(ent),))
        idx = np.flatnonzero((f > 0) & (lo <= 0) & (out > 0))
        if len(idx):
            gain = ent.value_at(idx, out[idx]) - price[idx] * out[idx] - ent.value_at(idx, np.zeros(len(idx)))
            out[idx] = np.where(gain > f[idx], out[idx], 0.0)
    return out


@dataclass(frozen=True)
class _UnitTable:
    """Each whole-unit row's value at 0, 1, ..., ``n`` units: its best count at a price is a row's argmax."""

    rows: np.ndarray  # the whole-unit rows
    pos: np.ndarray  # per row of the table of entities, its row in ``values`` (-1: not whole units)
    values: np.ndarray  # (whole-unit rows, n + 1)
    spend: np.ndarray  # (whole-unit rows, n + 1): the spend of each count
    every_row: bool  # whether every row of the table of entities is in whole units


def _unit_table(ent: Entities, hi: np.ndarray) -> _UnitTable | None:
    """Return the whole-unit rows' table of values (made once per table of entities), or None where it does not pay.

    It covers the most units any row may take at ``hi``; it is made again, larger, when a later domain allows more,
    and not at all beyond :data:`UNIT_TABLE_MOST` units in a row or :data:`UNIT_TABLE_CELLS` values.
    """
    units = np.isfinite(ent.unit)
    if not units.any():
        return None
    rows = np.flatnonzero(units)
    need = int(np.max(np.round(hi[rows] / ent.unit[rows]), initial=0))
    kept = ent.cache.get("unit_table")
    if kept is not None and kept.values.shape[1] > need:
        return kept
    if need > UNIT_TABLE_MOST or len(rows) * (need + 1) > UNIT_TABLE_CELLS:
        return None
    spend = ent.unit[rows, None] * np.arange(need + 1)[None, :]
    values = ent.value_at(np.repeat(rows, need + 1), spend.ravel()).reshape(spend.shape)
    pos = np.full(len(ent), -1)
    pos[rows] = np.arange(len(rows))
    table = ent.cache["unit_table"] = _UnitTable(rows, pos, values, spend, bool(units.all()))
    return table


def _from_table(table: _UnitTable, price, lo, hi) -> np.ndarray:
    """Return the whole-unit rows' best spends within ``[lo, hi]`` at ``price``: the best count, ties to the fewest."""
    r = table.rows
    gain = table.values - price[r, None] * table.spend
    gain[(table.spend < lo[r, None] - 1e-9) | (table.spend > hi[r, None] + 1e-9)] = -np.inf
    best = gain.max(axis=1, keepdims=True)
    pick = np.argmax(gain >= best - 1e-12 * np.maximum(1.0, np.abs(best)), axis=1)
    return table.spend[np.arange(len(r)), pick]


def _compare(ent: Entities, idx, price, r, lo, hi) -> np.ndarray:
    """Best of the candidate spends for S-curve and whole-unit rows ``idx``."""
    infl, unit = ent.infl[idx], ent.unit[idx]
    cont_lo = np.maximum(lo, infl)
    r_c = np.minimum(np.maximum(r, cont_lo), hi)
    cands = [lo, hi, r_c]
    units = np.isfinite(unit)
    if units.any():
        c = np.where(units, unit, 1.0)
        n_lo, n_hi = np.round(lo / c), np.round(hi / c)
        for z in (np.floor(r_c / c), np.ceil(r_c / c), np.floor(infl / c), np.ceil(infl / c)):
            cand = np.clip(z, n_lo, n_hi) * c
            cands.append(np.where(units, cand, lo))
        cands[2] = np.where(units, lo, r_c)  # the continuous root is not a whole unit
    X = np.stack(cands)  # (candidates, rows): every value in one call
    V = ent.value_at(np.tile(idx, len(cands)), X.ravel()).reshape(X.shape) - price * X
    best_x, best_v = X[0], V[0]
    for x, v in zip(X[1:], V[1:], strict=True):
        better = v > best_v + 1e-12 * np.maximum(1.0, np.abs(best_v))
        best_x = np.where(better, x, best_x)
        best_v = np.where(better, v, best_v)
    return best_x
