"""The best adstocks at one price of money, by pooling adjacent violators.

At a price ``lam`` (outcome per dollar) every entity's problem is separate: maximise
``sum_i w_i f(z_i) - lam sum_i c_i z_i`` subject to ``z_i >= D_i z_{i-1}``. Divided by the
cumulative carry-over, the constraint says a sequence is non-decreasing, and the objective is a
sum of one concave function per element: an isotonic problem, which pooling adjacent violators
solves exactly for any separable concave objective (Best, Chakravarti and Ubhaya, 2000). A pool
(block) is a run of elements whose later periods have no spend: their adstocks are the first's
times the carry-over, so a block has one unknown, the root of its slope, found for all blocks at
once by a safeguarded Newton step. Violating neighbours are pooled, all at once, until none is
left (the order of pooling does not change the answer).
"""

from __future__ import annotations

import numpy as np

from planner.flighting.problem import FlightProblem

__all__ = ["solve_at", "solve_from", "not_optimal", "View", "pools_of"]

TOL = 1e-12
MAX_NEWTON = 200


class View:
    """Blocks of elements laid end to end: what a root search needs of them.

    ``heads`` are the blocks' first positions in the view's element arrays, ``block`` each element's
    block, ``g`` its carry-over from its block's first element, ``gw`` and ``gc`` its weight and cost
    times ``g``, ``C`` each block's ``gc`` summed, ``lo``/``hi`` each block's bounds.
    """

    def __init__(self, shapes, heads, block, g, gw, C, lo, hi) -> None:
        self.shapes, self.heads, self.block, self.g, self.gw, self.C, self.lo, self.hi = \
            shapes, heads, block, g, gw, C, lo, hi

    def sums(self, v: np.ndarray) -> np.ndarray:
        """Add up element values ``v`` per block."""
        return np.add.reduceat(v, self.heads)

    def some(self, act: np.ndarray) -> View:
        """Return the view of blocks ``act`` only."""
        lens = np.diff(np.append(self.heads, len(self.block)))[act]
        first = np.concatenate([[0], np.cumsum(lens)[:-1]])
        idx = np.repeat(self.heads[act] - first, lens) + np.arange(lens.sum())
        return View(self.shapes.take(idx), first, np.repeat(np.arange(len(act)), lens), self.g[idx], self.gw[idx],
                    self.C[act], self.lo[act], self.hi[act])


def pools_of(prob: FlightProblem, start: np.ndarray, idx: np.ndarray | None = None) -> View:
    """Return the view of the elements ``idx`` (default all; whole entities) pooled into blocks that begin where ``start`` is true."""
    if idx is None:
        heads = np.flatnonzero(start)
        block = np.cumsum(start) - 1
        cum = np.cumsum(prob.logd)
        g = np.exp(cum - cum[heads][block])
        return View(prob.shapes, heads, block, g, prob.weight * g, np.add.reduceat(prob.cost * g, heads),
                    prob.lo[heads], prob.hi[heads])
    st = start[idx]
    heads = np.flatnonzero(st)
    block = np.cumsum(st) - 1
    cum = np.cumsum(prob.logd[idx])
    g = np.exp(cum - cum[heads][block])
    gh = idx[heads]
    return View(prob.shapes.take(idx), heads, block, g, prob.weight[idx] * g,
                np.add.reduceat(prob.cost[idx] * g, heads), prob.lo[gh], prob.hi[gh])


def _slope(pools, zb: np.ndarray, lam: float, bend: bool):
    """Each block's slope at its adstock ``zb`` (and the slope's derivative when ``bend``)."""
    ze = pools.g * zb[pools.block]
    F = pools.sums(pools.gw * pools.shapes.slope(ze)) - lam * pools.C
    if not bend:
        return F, None
    return F, pools.sums(pools.gw * pools.g * pools.shapes.bend(ze))


def _roots(pools: View, lam: float, warm: np.ndarray | None) -> np.ndarray:
    """Each block's adstock: the root of its slope within its bounds (safeguarded Newton)."""
    a, b = pools.lo.copy(), pools.hi.copy()
    z = a.copy()
    Fa, _ = _slope(pools, a, lam, False)
    todo = Fa > 0  # the slope at the lower bound is positive: the root is above it
    if not todo.any():
        return z
    fin = np.isfinite(b)
    if fin.any():
        Fb, _ = _slope(pools, np.where(fin, b, a), lam, False)
        at_hi = todo & fin & (Fb >= 0)
        z[at_hi] = b[at_hi]
        todo &= ~at_hi
    # an upper end where the slope is negative, for blocks without a finite cap
    scale = np.maximum(pools.shapes.k[pools.heads], np.maximum(pools.shapes.tangent[pools.heads], 1e-9))
    guess = np.where(todo, np.maximum(warm if warm is not None else scale, np.maximum(a, scale * 1e-6)), a)
    open_ = todo & ~np.isfinite(b)
    hi_try = np.where(open_, np.maximum(guess, a) * 2.0 + scale, b)
    for _ in range(400):
        if not open_.any():
            break
        F, _ = _slope(pools, np.where(open_, hi_try, a), lam, False)
        found = open_ & (F < 0)
        b[found] = hi_try[found]
        open_ &= ~found
        hi_try = np.where(open_, hi_try * 4.0, hi_try)
    b = np.where(np.isfinite(b), b, a)  # a slope that never turns negative (linear without a cap): stay put
    x = np.where(todo, np.clip(guess, a, b), a)
    x = np.where(todo & ((x <= a) | (x >= b)), 0.5 * (a + b), x)
    act = np.flatnonzero(todo)
    for _ in range(MAX_NEWTON):
        if not len(act):
            break
        sub = pools.some(act)
        F, dF = _slope(sub, x[act], lam, True)
        pos = F > 0
        a[act] = np.where(pos, x[act], a[act])
        b[act] = np.where(pos, b[act], x[act])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = x[act] - F / dF
        aa, bb = a[act], b[act]
        ok = np.isfinite(step) & (step > aa) & (step < bb)
        new = np.where(ok, step, 0.5 * (aa + bb))
        done = (np.abs(new - x[act]) <= TOL * np.maximum(np.abs(new), 1e-9)) | (bb - aa <= TOL * np.maximum(bb, 1e-9))
        x[act] = new
        act = act[~done]
    z[todo] = x[todo]
    return z


def spend_slope(pools: View, zb: np.ndarray, lam: float) -> float:
    """d(spend)/d(price) at the blocks' roots ``zb`` (``-inf`` where a straight envelope makes spend jump)."""
    F, dF = _slope(pools, zb, lam, True)
    inner = (zb > pools.lo) & (zb < pools.hi)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        dz = np.where(inner, pools.C / dF, 0.0)
    return float(np.sum(pools.C * dz)) if np.all(np.isfinite(dz)) else -np.inf


def _elements_of(prob: FlightProblem, ents: np.ndarray) -> np.ndarray:
    """Return the (sorted) element positions of entities ``ents`` (sorted, unique)."""
    first = np.searchsorted(prob.ent, ents, side="left")
    lens = np.searchsorted(prob.ent, ents, side="right") - first
    offset = np.concatenate([[0], np.cumsum(lens)[:-1]])
    return np.repeat(first - offset, lens) + np.arange(lens.sum())


def not_optimal(prob: FlightProblem, pools: View, z: np.ndarray, lam: float) -> np.ndarray:
    """Return the entities with a block that fails its optimality condition (pooled more than it should be).

    In ``y = z / cumulative carry-over`` the problem is isotonic; a block of equal ``y`` is optimal when no
    proper prefix of it would rather be lower: every prefix sum of its elements' slopes is at least the
    block's whole slope ``F`` (the order constraints' multipliers, ``S_j - F``, are then non-negative; ``F``
    is 0 at an inner root and the bound's multiplier at a bound; a prefix followed by a week after the horizon,
    which is tied to it, is no split point). With blocks in order and every block's root
    found, this is the KKT condition of the concave problem: the adstocks are the exact maximiser.
    """
    t = pools.g * (prob.weight * prob.shapes.slope(z) - lam * prob.cost)
    cs = np.cumsum(t)
    before = (cs - t)[pools.heads][pools.block]
    F = pools.sums(t)[pools.block]
    size = pools.sums(np.abs(t))[pools.block]
    last = np.zeros(len(z), dtype=bool)
    last[np.append(pools.heads[1:], len(z)) - 1] = True
    bound = np.append(prob.forced[1:], False)  # the next element is tied to this one: no split point here
    bad = ~last & ~bound & (cs - before < F - 1e-9 * size - 1e-12)
    return np.unique(prob.ent[bad])


def _pool(prob: FlightProblem, lam: float, start: np.ndarray, z: np.ndarray, length: np.ndarray,
          idx: np.ndarray, warm: np.ndarray | None) -> None:
    """Pool the blocks of the elements ``idx`` (whole entities) from ``start`` until none violates its predecessor.

    ``start``, ``z`` and ``length`` (each block's length at its first element) are updated in place: after the
    first pass, only the entities whose blocks still violate an order constraint are pooled again. A pooling
    cascades (a block pooled becomes lower and may then violate its predecessor), but seldom on many entities,
    so later passes are small.
    """
    pools = pools_of(prob, start, idx)
    heads = idx[pools.heads]
    zb = _roots(pools, lam, None if warm is None else warm[heads])
    z[idx] = pools.g * zb[pools.block]
    length[idx] = 0
    length[heads] = np.diff(np.append(pools.heads, len(idx)))
    while True:
        # a block violates its predecessor (same entity) when its first adstock is below the carried-over one
        h = idx[pools.heads[1:]]
        same = prob.ent[h] == prob.ent[h - 1]
        carried = np.exp(prob.logd[h]) * z[h - 1]
        bad = same & (z[h] < carried * (1.0 - 1e-12) - 1e-12)
        if not bad.any():
            return
        start[h[bad]] = False
        idx = _elements_of(prob, np.unique(prob.ent[h[bad]]))
        pools = pools_of(prob, start, idx)
        # only the pooled blocks need a new root: a block whose head and length are unchanged keeps its own
        heads = idx[pools.heads]
        lens = np.diff(np.append(pools.heads, len(idx)))
        zb = z[heads].copy()
        act = np.flatnonzero(lens != length[heads])
        zb[act] = _roots(pools.some(act), lam, zb[act])
        length[idx] = 0
        length[heads] = lens
        z[idx] = pools.g * zb[pools.block]


def solve_from(prob: FlightProblem, lam: float, warm: np.ndarray | None = None,
               blocks: np.ndarray | None = None) -> tuple[np.ndarray, float, np.ndarray]:
    """Return every element's adstock at price ``lam``, the slope of spend by price there, and its blocks.

    Parameters
    ----------
    prob : FlightProblem
    lam : float
        Outcome per dollar the budget's last dollar must earn.
    warm : ndarray, optional
        Element adstocks of a nearby price, to start the root searches from.
    blocks : ndarray of bool, optional
        The blocks (true where one starts) of a nearby price, to start the pooling from. Pooling only merges,
        so an entity whose blocks come out pooled more than this price wants (:func:`not_optimal`) is pooled
        again from single elements: the answer is the exact one either way.

    Returns
    -------
    z : ndarray (N,)
    slope : float
        d(spend)/d(price); ``-inf`` where a straight envelope makes spend jump.
    blocks : ndarray of bool (N,)
    """
    cold = ~prob.forced
    start = cold.copy() if blocks is None else (blocks | (prob.ent != np.r_[-1, prob.ent[:-1]])) & cold
    N = len(start)
    z = np.zeros(N)
    length = np.zeros(N, dtype=np.int64)
    _pool(prob, lam, start, z, length, np.arange(N), warm)
    if blocks is not None:
        redo = not_optimal(prob, pools_of(prob, start), z, lam)
        if len(redo):
            idx = _elements_of(prob, redo)
            start[idx] = cold[idx]
            _pool(prob, lam, start, z, length, idx, z.copy())
    pools = pools_of(prob, start)
    return z, spend_slope(pools, z[pools.heads], lam), start


def solve_at(prob: FlightProblem, lam: float, warm: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Return every element's adstock at price ``lam`` and the slope of spend by price (:func:`solve_from`, cold)."""
    z, slope, _ = solve_from(prob, lam, warm)
    return z, slope
