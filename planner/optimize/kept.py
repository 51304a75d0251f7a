"""What each row keeps at a gap: the spends whose Lagrangian penalty is below it (reduced-cost fixing).

At the prices of the Lagrangian relaxation every row ``i`` has a best value ``g_i`` and a penalty
``p_i(x) = g_i - l_i(x) >= 0`` for every other spend.  A plan better than one known by less than
``delta`` keeps, in every row, only spends of penalty below ``delta``: whole-unit rows a few unit
counts (:func:`kept_units`), continuous rows their domain made concave (:func:`continuous_rows`).
The core's dynamic programs (planner.optimize.core, planner.optimize.core_networks) read both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.curves.forms.linear import Linear

__all__ = ["continuous_rows", "continuous_modes", "Modes", "kept_units", "MAX_WALK"]

MAX_WALK = 4096  # units a row's kept range may span on either side


def continuous_rows(ent, C, price, g, delta, ell, lo, hi, w, allow_s=True):
    """Return the continuous rows as concave ones on what they keep: ``(entities, lo, hi, constant)``.

    A concave row keeps its domain.  An S-curve row whose penalty is at least ``delta``
    at its inflection and on its whole concave part keeps only spends near its minimum,
    ``[lo, a)`` on the convex part: there it is bounded above by its chord (a linear row
    plus a constant), so the values found are upper bounds and the plan is valued on the
    true curve.  An S-curve row whose penalty is at least ``delta`` at its minimum and at
    its inflection keeps only its concave part.  Any other S-curve row keeps its whole
    domain: the sweep's best responses are exact for it (those of its concave envelope) and
    the caller bounds each total by the dual, counting money left unspent at the price;
    with ``allow_s`` False such a row makes the answer ``(None, None, None, None)``.
    """
    out = _classify(ent, C, price, g, delta, ell, lo, hi, w)
    beta, k, s, form, infl, c_lo, c_hi, const, amb = out
    if amb is not None and len(amb[0]) and not allow_s:
        return None, None, None, None
    sub = ent.make(beta, k, s, form, np.full(len(C), np.nan), np.where(form == Linear.name, 0.0, infl))
    return sub, c_lo, c_hi, const


@dataclass(frozen=True)
class Modes:
    """S-curve rows that may keep spends on both sides of their inflection, each split in two columns.

    Column ``pos[m]`` (the row's own) is its concave part, ``[on_lo, hi]``; column ``len(C) + m`` its
    convex part near its minimum, ``[lo, off_hi]``, as its chord (a linear row plus ``off_const``).  A plan
    takes one of the two: ``pen_on`` and ``pen_off`` are the least penalties of each.
    """

    pos: np.ndarray
    pen_on: np.ndarray
    pen_off: np.ndarray
    off_const: np.ndarray
    on_lo: np.ndarray
    off_lo: np.ndarray
    off_hi: np.ndarray


def continuous_modes(ent, C, price, g, delta, ell, lo, hi, w):
    """As :func:`continuous_rows`, every row concave, an S-curve row with both sides kept split in two columns.

    Returns ``(entities, lo, hi, constant, modes)``: the columns of ``C`` then one more per row of
    :class:`Modes` (its chord); a row's concave column keeps ``[inflection, hi]``.
    """
    beta, k, s, form, infl, c_lo, c_hi, const, amb = _classify(ent, C, price, g, delta, ell, lo, hi, w)
    if amb is None or not len(amb[0]):
        sub = ent.make(beta, k, s, form, np.full(len(C), np.nan), np.where(form == Linear.name, 0.0, infl))
        e = np.zeros(0)
        return sub, c_lo, c_hi, const, Modes(np.zeros(0, dtype=np.int64), e, e, e, e, e, e)
    pos, x_in, p_lo, p_in, p_c = amb
    rr = C[pos]
    b = x_in.copy()
    cross = p_in >= delta  # the penalty reaches delta before the inflection: the chord ends there
    if cross.any():
        b[cross] = _delta_point(rr[cross], c_lo[pos][cross], x_in[cross], g, ell, delta)
    off_lo = c_lo[pos].copy()
    slope, off_const = _chord(ent, rr, off_lo, b, w)
    p_b = g[rr] - ell(rr, b)
    on_lo = x_in
    c_lo[pos] = on_lo
    beta = np.r_[beta, slope]
    k, s = np.r_[k, np.ones(len(pos))], np.r_[s, np.ones(len(pos))]
    form = np.r_[form, np.full(len(pos), Linear.name, dtype=object)]
    infl = np.r_[infl, np.zeros(len(pos))]
    sub = ent.make(beta, k, s, form, np.full(len(beta), np.nan), np.where(form == Linear.name, 0.0, infl))
    modes = Modes(pos, np.maximum(p_c, 0.0), np.maximum(np.minimum(p_lo, p_b), 0.0), off_const, on_lo, off_lo, b)
    return sub, np.r_[c_lo, off_lo], np.r_[c_hi, b], const, modes


def _delta_point(rr, a, b, g, ell, delta):
    """Spend in ``(a, b)`` where the penalty reaches ``delta``: ``p(a) < delta <= p(b)``, ``p`` concave between."""
    for _ in range(60):
        mid = 0.5 * (a + b)
        below = g[rr] - ell(rr, mid) < delta
        a, b = np.where(below, mid, a), np.where(below, b, mid)
    return b


def _chord(ent, rr, a, b, w):
    """Slope of each row's chord from ``a`` to ``b`` and its constant (weighted): ``w f <= w (const + slope x)``."""
    f_a, f_b = ent.value_at(rr, a), ent.value_at(rr, b)
    slope = np.where(b > a, (f_b - f_a) / np.maximum(b - a, 1e-300), 0.0)
    return slope, w * (f_a - slope * a)


def _classify(ent, C, price, g, delta, ell, lo, hi, w):
    """Shape the continuous rows on what they keep; list the S-curve rows that may keep both sides in ``amb``."""
    beta, k, s, form = ent.beta[C].copy(), ent.k[C].copy(), ent.s[C].copy(), ent.form[C].copy()
    infl = ent.infl[C].copy()
    c_lo, c_hi = lo[C].copy(), hi[C].copy()
    const = 0.0
    sr = np.flatnonzero(infl > c_lo + 1e-9)
    if not len(C) or not len(sr):
        return beta, k, s, form, infl, c_lo, c_hi, const, None
    rows = C[sr]
    x_in = np.minimum(infl[sr], c_hi[sr])
    p_lo = g[rows] - ell(rows, c_lo[sr])
    p_in = g[rows] - ell(rows, x_in)
    r = np.clip(ent.root(price)[rows], x_in, c_hi[sr])
    p_c = g[rows] - ell(rows, r)  # the least penalty on the concave part
    upper = (p_lo >= delta) & (p_in >= delta)
    near_off = (p_lo < delta) & (p_in >= delta) & (p_c >= delta)
    c_lo[sr[upper]] = x_in[upper]
    if near_off.any():
        j, rr = sr[near_off], rows[near_off]
        b = _delta_point(rr, c_lo[j].copy(), x_in[near_off].copy(), g, ell, delta)
        slope, consts = _chord(ent, rr, c_lo[j], b, w)
        const = float(consts.sum())
        beta[j], k[j], s[j], form[j], infl[j] = slope, 1.0, 1.0, Linear.name, 0.0
        c_hi[j] = b
    amb = ~(upper | near_off)
    return beta, k, s, form, infl, c_lo, c_hi, const, (sr[amb], x_in[amb], p_lo[amb], p_in[amb], p_c[amb])


def kept_units(ent, U, price, lo, hi, g, delta, ell, split0=None):
    """Every (row, units, penalty) of the whole-unit rows ``U`` with penalty below ``delta``.

    On a row's concave part the penalty is convex in the units (kept units form a run
    around the best), on its convex part concave (runs at both ends): four walks.  Rows
    ``split0`` (a hire cost when they spend at all) have zero units checked on its own and
    the walks start at one unit.
    """
    c = ent.unit[U]
    n_lo, n_hi = np.round(lo[U] / c), np.round(hi[U] / c)
    out_r, out_n, out_p = [], [], []
    if split0 is not None:
        sp = split0[U] & (n_lo == 0)
        if sp.any():
            rows0 = U[sp]
            p0 = g[rows0] - ell(rows0, np.zeros(len(rows0)))
            keep = p0 < delta
            out_r.append(rows0[keep])
            out_n.append(np.zeros(int(keep.sum())))
            out_p.append(np.maximum(p0[keep], 0.0))
            n_lo = np.where(sp, 1.0, n_lo)
    r = ent.root(price)[U]
    n_in = np.clip(np.ceil(ent.infl[U] / c - 1e-9), n_lo, np.maximum(n_hi, n_lo))  # first count on the concave part
    cands = np.stack([np.floor(r / c), np.ceil(r / c)])
    cands = np.clip(np.nan_to_num(cands, posinf=1e18), n_in, np.maximum(n_hi, n_in))
    pc = np.stack([g[U] - ell(U, cands[i] * c) for i in range(2)])
    n_c = np.where(pc[1] < pc[0], cands[1], cands[0])

    def walk(start, step, stop_lo, stop_hi):
        n = start.copy()
        alive = (n >= stop_lo) & (n <= stop_hi)
        for _ in range(MAX_WALK):
            if not alive.any():
                return True
            idx = np.flatnonzero(alive)
            p = g[U[idx]] - ell(U[idx], n[idx] * c[idx])
            keep = p < delta
            out_r.append(U[idx[keep]])
            out_n.append(n[idx[keep]])
            out_p.append(np.maximum(p[keep], 0.0))
            alive[idx[~keep]] = False
            n = n + step
            alive &= (n >= stop_lo) & (n <= stop_hi)
        return not alive.any()

    n_cv = n_in - 1  # last unit count on the convex part (below n_lo when there is none)
    ok = (walk(n_c, 1, n_in, n_hi) and walk(n_c - 1, -1, n_in, n_hi)
          and walk(n_lo, 1, n_lo, np.minimum(n_cv, n_hi)) and walk(np.minimum(n_cv, n_hi), -1, n_lo, n_cv))
    if not ok:
        return None, None, None
    rows, n, p = np.concatenate(out_r), np.concatenate(out_n), np.concatenate(out_p)
    key = rows.astype(np.int64) * (int(n.max(initial=0)) + 2) + n.astype(np.int64)
    _, first = np.unique(key, return_index=True)
    return rows[first], n[first].astype(np.int64), p[first]
