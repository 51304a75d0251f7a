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

_NEWTON_STEPS = 40


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
        form = curves["curve"].astype(str).str.lower().to_numpy(dtype=object)
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
        """The rows ``idx`` (in that order) as their own Entities."""
        return self._make(self.beta[idx], self.k[idx], self.s[idx], self.form[idx], self.unit[idx], self.infl[idx])

    def tile(self, reps: int) -> Entities:
        """The rows repeated ``reps`` times (one copy per budget of a sweep)."""
        t = (lambda a: np.tile(a, reps))
        return self._make(t(self.beta), t(self.k), t(self.s), t(self.form), t(self.unit), t(self.infl))

    @classmethod
    def _make(cls, beta, k, s, form, unit, infl) -> Entities:
        return cls(beta, k, s, form, unit, infl, _groups(form))

    def value(self, x: np.ndarray) -> np.ndarray:
        out = np.empty(len(self))
        for name, idx in self.groups:
            out[idx] = get_form(name).value(x[idx], self.beta[idx], self.k[idx], self.s[idx])
        return out

    def value_at(self, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Values of the rows ``idx`` at spends ``x`` (one per index)."""
        if len(self.groups) == 1:
            name = self.groups[0][0]
            return get_form(name).value(x, self.beta[idx], self.k[idx], self.s[idx])
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
                out[m] = get_form(name).value(x[m], self.beta[ii], self.k[ii], self.s[ii])
        return out

    def value_grid(self, X: np.ndarray) -> np.ndarray:
        """Values of every row at spends ``X`` of shape (cases, rows), e.g. one case per budget."""
        nb, n = X.shape
        return self.value_at(np.tile(np.arange(n), nb), X.ravel()).reshape(nb, n)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        out = np.empty(len(self))
        for name, idx in self.groups:
            out[idx] = get_form(name).derivative(x[idx], self.beta[idx], self.k[idx], self.s[idx])
        return out

    def root(self, p: np.ndarray) -> np.ndarray:
        """Spend on the concave part where ``f'(x) = p`` (the inflection if ``p`` is above the peak slope).

        Hill roots start from the previous call's (the price search moves the price a
        little at a time); the answer does not depend on the start.
        """
        out = np.empty(len(self))
        for name, idx in self.groups:
            if name == "hill":
                const = self.cache.get("hill")
                if const is None:
                    const = self.cache["hill"] = _hill_constants(self.k[idx], self.s[idx], self.infl[idx])
                out[idx], self.cache["hill_u"] = _root_hill(
                    p[idx], self.beta[idx], self.k[idx], self.s[idx], self.infl[idx], const, self.cache.get("hill_u"))
            else:
                out[idx] = _ROOTS[name](p[idx], self.beta[idx], self.k[idx], self.s[idx], self.infl[idx])
        return out

    @property
    def needs_compare(self) -> np.ndarray:
        """Rows whose best spend is not simply the clipped root: whole units, and S-curves."""
        m = self.cache.get("compare")
        if m is None:
            m = self.cache["compare"] = np.isfinite(self.unit) | (self.infl > 0)
        return m


def _root_log(p, beta, k, s, infl):
    with np.errstate(divide="ignore"):
        return np.maximum(beta / p - k, 0.0)


def _root_logistic(p, beta, k, s, infl):
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.sqrt(beta / (2.0 * k * p))
        return np.where(c > 1.0, 2.0 * k * np.arccosh(np.maximum(c, 1.0)), 0.0)


def _root_linear(p, beta, k, s, infl):
    # f - p x is linear: the domain ends decide; report "unbounded" when beta > p.
    return np.where(beta > p, np.inf, 0.0)


def _groups(form: np.ndarray) -> tuple:
    """``(form name, row indices)`` pairs, by hashing (sorting 10,000 strings is slower)."""
    codes, names = pd.factorize(form)
    if len(names) == 1:
        return ((str(names[0]), np.arange(len(form))),)
    return tuple((str(name), np.flatnonzero(codes == g)) for g, name in enumerate(names))


def _hill_constants(k, s, infl) -> dict:
    """Parts of the hill root that do not depend on the price (computed once per curve table)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z_infl = np.where(s > 1, infl / k, 0.0)
        # bracket in u = ln(x / k): lower end at the inflection (far left for concave curves)
        a = np.where(s > 1, np.log(np.maximum(z_infl, 1e-300)), -60.0)
        lns = np.log(s)
        # ln g at the lower end, g(z) = s z^(s-1) / (1 + z^s)^2 = k f'(x) / beta: the peak slope
        # of an S-curve (at its inflection), or the slope far left of a concave one
        phi_a = lns + (s - 1.0) * a - 2.0 * np.log1p(np.exp(np.clip(s * a, -700, 700)))
    return {"a": a, "lns": lns, "phi_a": phi_a, "sm1": s - 1.0, "sp1": s + 1.0}


def _root_hill(p, beta, k, s, infl, const=None, u0=None):
    """Solve ``f'(x) = p`` for ``x >= inflection`` by safeguarded Newton in log-spend.

    ``const`` holds :func:`_hill_constants`; ``u0`` (log spend / k of a previous
    solve, e.g. at a nearby price) starts Newton close to the root: a price search
    then needs two or three steps per price instead of ten.
    """
    p = np.asarray(p, dtype=float)
    out = np.zeros_like(p)
    if out.size == 0:
        return out, np.zeros(0)
    c = const if const is not None else _hill_constants(k, s, infl)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lnq = np.log(np.maximum(p * k / beta, 1e-300))
        # at or above the peak slope (or a concave curve flatter than p even far left): no root
        # on the concave part; the answer is the inflection (0 for concave curves)
        act = np.flatnonzero((lnq < c["phi_a"]) & (p > 0))
        u_all = np.full(p.shape, np.nan)
        if len(act):
            s_, lns, sm1 = s[act], c["lns"][act], c["sm1"][act]
            lq = lnq[act]
            a = c["a"][act].copy()
            b = np.full(len(act), 60.0)
            if u0 is not None and u0.shape == p.shape:
                u = u0[act]
                u = np.where(np.isfinite(u), u, (lns - lq) / c["sp1"][act])
            else:
                u = (lns - lq) / c["sp1"][act]
            u = np.clip(u, a, b)
            for _ in range(_NEWTON_STEPS):
                z_s = np.exp(np.minimum(s_ * u, 700.0))
                phi = lns + sm1 * u - 2.0 * np.log1p(z_s) - lq  # ln g - ln q, decreasing in u
                dphi = sm1 - 2.0 * s_ * z_s / (1.0 + z_s)
                pos = phi > 0
                a = np.where(pos, u, a)
                b = np.where(pos, b, u)
                new = u - phi / dphi
                bad = ~((new > a) & (new < b))
                if bad.any():
                    new = np.where(bad, 0.5 * (a + b), new)
                new = np.where(np.abs(phi) < 1e-13, u, new)
                done = np.max(np.abs(new - u)) < 1e-11
                u = new
                if done:
                    break
            u_all[act] = u
            out[act] = k[act] * np.exp(u)
    flat = np.ones(p.shape, dtype=bool)
    flat[act] = False
    out = np.where(flat, np.where(s > 1, infl, 0.0), out)
    return np.where(p <= 0, np.inf, out), u_all


_ROOTS = {"log": _root_log, "logistic": _root_logistic, "linear": _root_linear}  # hill: Entities.root


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
    """
    price = np.broadcast_to(np.asarray(price, dtype=float), (len(ent),))
    r = ent.root(price)
    cmp_ = ent.needs_compare
    out = np.minimum(np.maximum(r, lo), hi)
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
    for x, v in zip(X[1:], V[1:]):
        better = v > best_v + 1e-12 * np.maximum(1.0, np.abs(best_v))
        best_x = np.where(better, x, best_x)
        best_v = np.where(better, v, best_v)
    return best_x
