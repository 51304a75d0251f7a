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

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.curves import get_form, inflection

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

    @classmethod
    def from_curves(cls, curves: pd.DataFrame) -> "Entities":
        form = curves["curve"].astype(str).str.lower().to_numpy()
        beta = curves["beta"].to_numpy(dtype=float)
        k = np.nan_to_num(curves["k"].to_numpy(dtype=float), nan=1.0)
        s = np.nan_to_num(curves["s"].to_numpy(dtype=float), nan=1.0)
        unit = curves["unit_cost"].to_numpy(dtype=float)
        groups = tuple((name, np.flatnonzero(form == name)) for name in np.unique(form))
        return cls(beta, k, s, form, unit, inflection(curves), groups)

    def __len__(self) -> int:
        return len(self.beta)

    def value(self, x: np.ndarray) -> np.ndarray:
        out = np.empty(len(self))
        for name, idx in self.groups:
            out[idx] = get_form(name).value(x[idx], self.beta[idx], self.k[idx], self.s[idx])
        return out

    def value_at(self, idx: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Values of the rows ``idx`` at spends ``x`` (one per index)."""
        out = np.empty(len(idx))
        forms = self.form[idx]
        for name in np.unique(forms):
            m = forms == name
            ii = idx[m]
            out[m] = get_form(name).value(x[m], self.beta[ii], self.k[ii], self.s[ii])
        return out

    def derivative(self, x: np.ndarray) -> np.ndarray:
        out = np.empty(len(self))
        for name, idx in self.groups:
            out[idx] = get_form(name).derivative(x[idx], self.beta[idx], self.k[idx], self.s[idx])
        return out

    def root(self, p: np.ndarray) -> np.ndarray:
        """Spend on the concave part where ``f'(x) = p`` (the inflection if ``p`` is above the peak slope)."""
        out = np.empty(len(self))
        for name, idx in self.groups:
            out[idx] = _ROOTS[name](p[idx], self.beta[idx], self.k[idx], self.s[idx], self.infl[idx])
        return out


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


def _root_hill(p, beta, k, s, infl):
    """Solve ``f'(x) = p`` for ``x >= inflection`` by safeguarded Newton in log-spend."""
    p = np.asarray(p, dtype=float)
    out = np.zeros_like(p)
    if out.size == 0:
        return out
    q = p * k / beta  # target of g(z) = s z^(s-1) / (1 + z^s)^2 with z = x / k
    z_infl = np.where(s > 1, infl / k, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # bracket in u = ln z: lower end at the inflection (or far left for concave curves)
        a = np.where(s > 1, np.log(np.maximum(z_infl, 1e-300)), -60.0)
        g_peak = np.where(s > 1, s * z_infl ** (s - 1) / (1 + z_infl**s) ** 2, np.inf)
        b = np.full_like(p, 60.0)
        u = np.clip(np.log(np.maximum(s / np.maximum(q, 1e-300), 1e-300)) / (s + 1.0), a, b)
        lnq = np.log(np.maximum(q, 1e-300))
        peak = q >= g_peak
        # concave curves whose slope even at the lower end of the bracket is below the price: root ~ 0
        phi_a = np.log(s) + (s - 1.0) * a - 2.0 * np.log1p(np.exp(np.clip(s * a, -700, 700))) - lnq
        below = (s <= 1) & (phi_a <= 0)
        peak = peak | below
        u = np.where(below, a, u)
        for _ in range(_NEWTON_STEPS):
            z_s = np.exp(np.clip(s * u, -700, 700))
            phi = np.log(s) + (s - 1.0) * u - 2.0 * np.log1p(z_s) - lnq  # ln g - ln q, decreasing in u
            dphi = (s - 1.0) - 2.0 * s * z_s / (1.0 + z_s)
            a = np.where(phi > 0, u, a)
            b = np.where(phi <= 0, u, b)
            step = np.where(dphi < 0, u - phi / dphi, 0.5 * (a + b))
            new = np.where((step > a) & (step < b), step, 0.5 * (a + b))
            new = np.where((np.abs(phi) < 1e-13) | peak, u, new)  # converged, or no root on the concave part
            done = np.max(np.abs(new - u)) < 1e-11
            u = new
            if done:
                break
        x = k * np.exp(u)
    x = np.where(peak, np.where(s > 1, infl, 0.0), x)
    return np.where(p <= 0, np.inf, x)


_ROOTS = {"log": _root_log, "logistic": _root_logistic, "linear": _root_linear, "hill": _root_hill}


def best_response(ent: Entities, price: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Exact maximiser of ``f_i(x) - price_i * x`` over each entity's domain.

    ``lo``/``hi`` bound the spend (finite); for whole-unit entities they are
    multiples of the unit cost and only multiples are returned.  Ties go to the
    smaller spend, so the result is the right-continuous spend at this price.
    """
    price = np.broadcast_to(np.asarray(price, dtype=float), (len(ent),))
    r = ent.root(price)
    cont_lo = np.maximum(lo, ent.infl)
    r_c = np.minimum(np.maximum(r, cont_lo), hi)
    cands = [lo, hi, r_c]
    units = np.isfinite(ent.unit)
    if units.any():
        c = np.where(units, ent.unit, 1.0)
        n_lo, n_hi = np.round(lo / c), np.round(hi / c)
        for z in (np.floor(r_c / c), np.ceil(r_c / c), np.floor(ent.infl / c), np.ceil(ent.infl / c)):
            cand = np.clip(z, n_lo, n_hi) * c
            cands.append(np.where(units, cand, lo))
        cands[2] = np.where(units, lo, r_c)  # the continuous root is not a whole unit
    best_x = cands[0]
    best_v = ent.value(best_x) - price * best_x
    for x in cands[1:]:
        v = ent.value(x) - price * x
        better = v > best_v + 1e-12 * np.maximum(1.0, np.abs(best_v))
        best_x = np.where(better, x, best_x)
        best_v = np.where(better, v, best_v)
    return best_x
