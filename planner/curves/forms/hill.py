"""The hill curve: ``beta * x^s / (x^s + k^s)``; S-shaped (not concave) when ``s > 1``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from planner.curves.forms.base import CurveForm

__all__ = ["Hill"]

_NEWTON_STEPS = 40


@dataclass(frozen=True)
class Hill(CurveForm):
    """``beta * x^s / (x^s + k^s)``; S-shaped (not concave) when ``s > 1``."""

    name: ClassVar[str] = "hill"
    n_params: ClassVar[int] = 3
    needs_s: ClassVar[bool] = True

    def value(self, x, beta, k, s):
        """Return ``beta * x^s / (x^s + k^s)`` at spend ``x`` (arguments as :meth:`CurveForm.value`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        with np.errstate(divide="ignore", over="ignore"):
            # beta / (1 + (k/x)^s): 0 at x = 0 (k/x = inf), beta where x^s overflows; no NaN for k > 0
            return beta / (1.0 + np.power(k / x, s))

    def derivative(self, x, beta, k, s):
        """Return the slope at spend ``x``: 0 at $0 for ``s > 1``, ``beta / k`` for ``s = 1``, inf for ``s < 1``."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            q = np.power(k / x, s)  # (k/x)^s: inf at $0, 0 far out
            d = beta * s * q / (x * (1.0 + q) ** 2)
        return _limits(d, x, beta, k, s)

    def curvature(self, x, beta, k, s):
        """Return ``f'(x) ((s - 1) - 2 s / (1 + (k/x)^s)) / x`` (as :meth:`CurveForm.curvature`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            q = np.power(k / x, s)
            d = _limits(beta * s * q / (x * (1.0 + q) ** 2), x, beta, k, s)
            out = d * ((s - 1.0) - 2.0 * s / (1.0 + q)) / x
        bad = ~np.isfinite(out)
        return np.where(bad, np.where(x == 0, -np.inf * (s < 1), 0.0), out) if bad.any() else out

    def inflection(self, beta, k, s):
        """Return ``k ((s - 1) / (s + 1))^(1/s)`` where ``s > 1``, else 0 (as :meth:`CurveForm.inflection`)."""
        s = np.asarray(s, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            x = k * np.power(np.maximum(s - 1.0, 0.0) / (s + 1.0), 1.0 / s)
        return np.where(s > 1, x, 0.0)

    def root(self, p, beta, k, s, infl, state: dict):
        """Return the spend at or above the inflection where the marginal response equals ``p``.

        Safeguarded Newton in log-spend; ``state`` keeps the price-free constants and the last
        roots, so a price search that moves the price a little needs two or three steps per price.

        Parameters
        ----------
        p : ndarray of float
            The price of a dollar of spend per row, in outcome units per dollar.
        beta, k, s : ndarray of float
            The rows' curve parameters.
        infl : ndarray of float
            The rows' inflection spends (:meth:`inflection`).
        state : dict
            Keys ``"const"`` and ``"u"``, filled on the first call and updated in place.

        Returns
        -------
        ndarray of float
            Spend per row in dollars: the inflection (0 for ``s <= 1``) where ``p`` is at or above the
            peak slope, and ``inf`` where ``p <= 0``.
        """
        const = state.get("const")
        if const is None:
            const = state["const"] = _constants(k, s, infl)
        prev = state.get("u")
        same = prev is not None and prev.shape == np.shape(p)
        out, u, lnq, slope = _root(p, beta, k, s, infl, const, prev, state.get("lq") if same else None,
                                   state.get("slope") if same else None)
        # rows with no root at this price keep their last one: the next price may need it
        keep = np.isnan(u)
        state["u"] = np.where(keep, prev, u) if same else u
        state["lq"] = np.where(keep, state["lq"], lnq) if same and "lq" in state else lnq
        state["slope"] = np.where(keep, state["slope"], slope) if same and "slope" in state else slope
        return out


def _limits(d, x, beta, k, s):
    """Return the slope ``d`` with its limits where the formula gives no number.

    At $0: 0 for s > 1, beta/k for s = 1, inf for s < 1; 0 where ``(k/x)^s`` overflows or vanishes
    past what a float holds.
    """
    bad = ~np.isfinite(d) | (x == 0)
    if not bad.any():
        return d
    with np.errstate(divide="ignore", invalid="ignore"):
        at0 = np.where(s > 1, 0.0, np.where(s == 1, beta / k, np.inf))
    return np.where(x == 0, at0, np.where(np.isfinite(d), d, 0.0))


def _constants(k, s, infl) -> dict:
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


def _root(p, beta, k, s, infl, const=None, u0=None, lq0=None, slope0=None):
    """Solve ``f'(x) = p`` for ``x >= inflection`` by safeguarded Newton in log-spend.

    ``const`` holds :func:`_constants`; ``u0`` (log spend / k of a previous
    solve, e.g. at a nearby price) starts Newton close to the root: a price search
    then needs two or three steps per price instead of ten.  With that solve's ``ln q``
    (``lq0``) and slope ``d phi / du`` (``slope0``), the start moves with the price by
    ``(ln q - lq0) / slope0`` first (a Newton step that costs no exponential).

    Returns ``(spend, u, ln q, slope)``, ``u`` and the slope NaN where there is no root.
    """
    p = np.asarray(p, dtype=float)
    out = np.zeros_like(p)
    if out.size == 0:
        return out, np.zeros(0), np.zeros(0), np.zeros(0)
    c = const if const is not None else _constants(k, s, infl)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lnq = np.log(np.maximum(p * k / beta, 1e-300))
        # at or above the peak slope (or a concave curve flatter than p even far left): no root
        # on the concave part; the answer is the inflection (0 for concave curves)
        act = np.flatnonzero((lnq < c["phi_a"]) & (p > 0))
        u_all = np.full(p.shape, np.nan)
        slope_all = np.full(p.shape, np.nan)
        if len(act):
            s_, lns, sm1 = s[act], c["lns"][act], c["sm1"][act]
            lq = lnq[act]
            a = c["a"][act].copy()
            b = np.full(len(act), 60.0)
            if u0 is not None and u0.shape == p.shape:
                u = u0[act]
                if lq0 is not None and slope0 is not None:  # follow the price's move along the last slope
                    shift = (lq - lq0[act]) / slope0[act]
                    u = np.where(np.isfinite(shift), u + shift, u)
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
            slope_all[act] = dphi
            out[act] = k[act] * np.exp(u)
    flat = np.ones(p.shape, dtype=bool)
    flat[act] = False
    out = np.where(flat, np.where(s > 1, infl, 0.0), out)
    return np.where(p <= 0, np.inf, out), u_all, lnq, slope_all
