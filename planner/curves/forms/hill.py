"""The hill curve: ``beta * x^s / (x^s + k^s)``; S-shaped (not concave) when ``s > 1``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from planner.curves.forms.base import CurveForm

__all__ = ["Hill"]

_NEWTON_STEPS = 40
_SHIFT = 2.0  # the most a warm start follows the price along the last slope (log spend)
_LN4 = float(np.log(4.0))  # 2 ln 2: how far below the lower of its two asymptotes phi can be
_DONE = 1e-13  # error left in log spend (relative spend) at which a root is final


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
            # q / (1 + q)^2 as 1 / ((1 + q)(1 + 1/q)): (1 + q)^2 overflows (to a slope of 0) for q above 1e154
            d = beta * s / (x * (1.0 + q) * (1.0 + 1.0 / q))
        return _limits(d, x, beta, k, s)

    def curvature(self, x, beta, k, s):
        """Return ``f'(x) ((s - 1) - 2 s / (1 + (k/x)^s)) / x`` (as :meth:`CurveForm.curvature`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            q = np.power(k / x, s)
            d = _limits(beta * s / (x * (1.0 + q) * (1.0 + 1.0 / q)), x, beta, k, s)
            out = d * ((s - 1.0) - 2.0 * s / (1.0 + q)) / x
        bad = ~np.isfinite(out)
        return np.where(bad, np.where((x == 0) & (np.asarray(s) < 1), -np.inf, 0.0), out) if bad.any() else out

    def root_curvature(self, p, x, beta, k, s, state: dict):
        """Return ``f''`` at the roots :meth:`root` just found: ``p phi'(u) / x`` (as :meth:`CurveForm.root_curvature`).

        At a root ``f'(x) = p``, and ``f''(x) = f'(x) d ln f' / dx = p phi'(u) / x`` with ``u = ln(x / k)``:
        one exponential where :meth:`curvature` takes a power and its limits.
        """
        return _at_root(self, p, x, beta, k, s, state)

    def inflection(self, beta, k, s):
        """Return ``k ((s - 1) / (s + 1))^(1/s)`` where ``s > 1``, else 0 (as :meth:`CurveForm.inflection`)."""
        s = np.asarray(s, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            x = k * np.power(np.maximum(s - 1.0, 0.0) / (s + 1.0), 1.0 / s)
        return np.where(s > 1, x, 0.0)

    def root(self, p, beta, k, s, infl, state: dict):
        """Return the spend at or above the inflection where the marginal response equals ``p``.

        Newton in log-spend within a bracket read off the curve's asymptotes; ``state`` keeps the price-free
        constants and the last roots, so a price search that moves the price a little needs one or two steps.

        Parameters
        ----------
        p : ndarray of float
            The price of a dollar of spend per row, in outcome units per dollar.
        beta, k, s : ndarray of float
            The rows' curve parameters.
        infl : ndarray of float
            The rows' inflection spends (:meth:`inflection`).
        state : dict
            Keys ``"const"``, ``"u"``, ``"lq"`` and ``"slope"``, filled on the first call and updated in place.

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
        out, state["u"], state["lq"], state["slope"] = _root(p, beta, k, s, infl, const, prev if same else None,
                                                             state.get("lq") if same else None,
                                                             state.get("slope") if same else None)
        return out


def _at_root(hill, p, x, beta, k, s, state: dict):
    """``f''`` at the roots just found: ``p phi'(u) / x``, ``phi'`` at the final ``u`` (:meth:`Hill.root_curvature`)."""
    u = state.get("u")
    if u is None or u.shape != np.shape(x):
        return hill.curvature(x, beta, k, s)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        z_s = np.exp(np.minimum(s * u, 700.0))
        out = p * ((s - 1.0) - 2.0 * s * (z_s / (1.0 + z_s))) / x
    bad = ~np.isfinite(out) | ~(x > 0)  # no root on the concave part (x at 0 or the inflection): the formula
    if bad.any():
        out = out.copy()
        # at $0 (a price above the slope there) as :meth:`Hill.curvature` says: -inf for s < 1, else 0
        out[bad & (x == 0)] = np.where(s[bad & (x == 0)] < 1, -np.inf, 0.0)
        rest = bad & (x != 0)
        if rest.any():
            out[rest] = hill.curvature(x[rest], beta[rest], k[rest], s[rest])
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
        left = s < 1
        inv_r = 1.0 / (s + 1.0)
        # the bracket's lines (:func:`_bracket`): for s >= 1 the line L does not fall, and R alone bounds the root
        inv_l = np.where(left, 1.0 / np.where(left, 1.0 - s, 1.0), inv_r)
        off = np.where(left, 0.0, -np.inf)
    return {"a": a, "lns": lns, "phi_a": phi_a, "sm1": s - 1.0, "inv_l": inv_l, "inv_r": inv_r, "off": off,
            "flat": np.where(s > 1, infl, 0.0)}


def _bracket(m, inv_l, inv_r, off, a_c):
    """Return the bracket ``[a, b]`` of the root in ``u = ln(x / k)`` from the two straight lines above phi.

    With ``m = ln s - ln q``, ``phi(u) = m + (s - 1) u - 2 ln(1 + e^(s u))`` lies below both lines
    ``L(u) = m + (s - 1) u`` and ``R(u) = m - (s + 1) u``, and at most ``2 ln 2`` below the lower of them;
    so the root lies between the roots of ``min(L, R) - 2 ln 2`` and of ``min(L, R)``, ``(m - 2 ln 2) /
    (1 -+ s)`` and ``m / (1 -+ s)``.  For ``s >= 1`` L does not fall: R alone bounds the root from above
    (``inv_l = inv_r``) and the lower end is the constant one, ``a_c`` (the inflection's; ``off`` is
    ``-inf`` there, 0 where ``s < 1``).  Both ends are kept within +-60.  Minima and maxima only: a
    ``where`` on a mask with no order is ten times slower in NumPy.
    """
    b = np.clip(np.minimum(m * inv_l, m * inv_r), -60.0, 60.0)
    low = np.minimum((m - _LN4) * inv_l, (m - _LN4) * inv_r) + off
    a = np.maximum(np.clip(low, -60.0, 60.0), a_c)
    return np.minimum(a, b), b


def _root(p, beta, k, s, infl, const=None, u0=None, lq0=None, slope0=None):
    """Solve ``f'(x) = p`` for ``x >= inflection`` by Newton in log-spend.

    ``const`` holds :func:`_constants`; ``u0`` (log spend / k of a previous
    solve, e.g. at a nearby price) starts Newton close to the root: a price search
    then needs one or two steps per price.  With that solve's ``ln q``
    (``lq0``) and slope ``d phi / du`` (``slope0``), the start moves with the price by
    ``(ln q - lq0) / slope0`` first (a Newton step that costs no exponential).

    Every row is searched, none gathered: a row with no root on the concave part (a price at or above
    an S-curve's peak slope, or a concave curve flatter than the price even at ``e^-60 k``) has its
    bracket closed at the lower end, so its search stops at once, and its answer is the inflection (0
    for concave curves).  Returns ``(spend, u, ln q, slope)``.
    """
    p = np.asarray(p, dtype=float)
    if p.size == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0)
    c = const if const is not None else _constants(k, s, infl)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lnq = np.log(np.maximum(p * k / beta, 1e-300))
        flat = lnq >= c["phi_a"]
        m = c["lns"] - lnq
        a, b = _bracket(m, c["inv_l"], c["inv_r"], c["off"], c["a"])
        if flat.any():
            b = np.where(flat, a, b)
        if u0 is not None and u0.shape == p.shape:
            u = u0
            if lq0 is not None and slope0 is not None:  # follow the price's move along the last slope
                # (at most _SHIFT: where the slope is nearly flat, as far left on a curve of s close to 1,
                # the line says little about where the root went)
                u = u + np.clip((lnq - lq0) / slope0, -_SHIFT, _SHIFT)
            u = np.where(np.isnan(u), b, u)  # no root known: from the right end
        else:  # from the right end: phi is concave, so Newton's steps from there fall to the root
            u = b
        u, dphi = _newton(np.minimum(np.maximum(u, a), b), a, b, s, m, c["sm1"])
        out = k * np.exp(u)
    if flat.any():
        out = np.where(flat, c["flat"], out)
    return np.where(p <= 0, np.inf, out), u, lnq, dphi


def _newton(u, a, b, s, m, sm1):
    """Newton on ``phi(u) = m + (s - 1) u - 2 ln(1 + e^(s u))`` from ``u``, each step clipped to ``[a, b]``.

    phi falls and is concave (``phi'' = -2 s^2 sig (1 - sig)``, ``sig = e^(s u) / (1 + e^(s u))``), so from
    the right of the root Newton's steps fall to it without passing it, and a step from the left lands on
    the right of it (or is clipped to ``b``, which is): no bracket to update.  A row stops once its step is
    below 1e-11, or once the error its last (unclipped, short) step leaves, ``|phi'' / (2 phi')|`` times the
    step squared, is below :data:`_DONE`; once half the rows have stopped, the rest go on alone.  Returns the
    roots and ``phi'`` at each row's last step (negative: at an S-curve's inflection, where it is 0, the
    least negative float).
    """
    u_out, d_out = u.copy(), np.empty_like(u)
    live = np.arange(len(u))
    for _ in range(_NEWTON_STEPS):
        z_s = np.exp(np.minimum(s * u, 700.0))
        phi = m + sm1 * u - 2.0 * np.log1p(z_s)
        sig = z_s / (1.0 + z_s)
        dphi = np.minimum(sm1 - 2.0 * s * sig, -1e-300)
        raw = u - phi / dphi
        new = np.minimum(np.maximum(raw, a), b)
        step = np.abs(new - u)
        u = new
        # (phi'' at the last point stands for phi'' over the step only where the step is short: sig grows as e^(s u))
        going = (step >= 1e-11) & ((raw != new) | (step > 1e-4)
                                   | (s * s * sig * (1.0 - sig) * step * step >= -_DONE * dphi))
        n_going = int(np.count_nonzero(going))
        if n_going == 0:
            break
        if 2 * n_going <= len(u):  # put the stopped rows away; the search goes on over the rest
            u_out[live], d_out[live] = u, dphi
            keep = np.flatnonzero(going)
            live, u, a, b, s, m, sm1 = (v[keep] for v in (live, u, a, b, s, m, sm1))
    u_out[live], d_out[live] = u, dphi
    return u_out, d_out
