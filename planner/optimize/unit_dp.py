"""The whole-unit rows a gap keeps, and the dynamic program over the core of them.

Reduced-cost fixing (planner.optimize.kept) leaves each whole-unit row a few unit counts.  A row
with one is fixed; the rows with more (the *core*) are chosen by a dynamic program over their
added spend, on the grid of the greatest common divisor of their unit costs, and over the
creators they hire when a hire limit may bind: ``dp[h, s]`` is the least total penalty of the
core rows hiring ``h`` creators and adding ``s`` grid steps above their fewest units.  Both core
solvers (planner.optimize.core without network bounds, planner.optimize.core_networks with them)
build their programs here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce

import numpy as np

from planner.optimize.kept import kept_units

__all__ = ["UnitCore", "unit_core", "kept_core", "min_penalty"]


@dataclass(frozen=True)
class UnitCore:
    """The whole-unit rows at one gap: fixed rows, the core rows' choices and what the hire limit leaves.

    ``spans[r]`` is core row ``core_rows[r]``'s ``(grid steps added, penalty, hires)`` per kept count.
    """

    urow: np.ndarray  # every whole-unit row
    base_n: np.ndarray  # its fewest units kept
    cents: np.ndarray  # unit cost in cents, per row of the problem
    core_rows: np.ndarray
    core_counts: tuple  # per core row, its kept unit counts
    spans: tuple
    grid: int  # cents per grid step
    fixed_pen: float  # penalty of the rows with one choice
    fixed_hires: int  # whole-unit creators hired for sure
    paid_hires: int  # creators paid by the dollar with a minimum spend, hired for sure too
    H: int  # most hires the core may add; -1 when more are hired for sure than the limit allows

    def fewest(self, n: int) -> np.ndarray:
        """Spend per row (``n`` rows) with every whole-unit row at its fewest units kept, others 0."""
        x = np.zeros(n)
        x[self.urow] = self.base_n * self.cents[self.urow] / 100.0
        return x

    def place(self, x: np.ndarray, spans_idx, choice: np.ndarray, h: int, s: int) -> None:
        """Set in ``x`` the core rows ``spans_idx`` at the choices the program made for state ``(h, s)``."""
        for pos in range(len(spans_idx) - 1, -1, -1):  # walk the choices back from the state
            r = spans_idx[pos]
            k = int(choice[pos, h, s])
            j = self.core_rows[r]
            x[j] = self.core_counts[r][k] * self.cents[j] / 100.0
            s -= int(self.spans[r][0][k])
            h -= int(self.spans[r][2][k])


def unit_core(prob, ent, U: np.ndarray, rows, counts, pens, lo, hire, K):
    """Gather the kept ``(rows, counts, pens)`` of the whole-unit rows ``U`` into a :class:`UnitCore`.

    Returns the core (its ``H`` is -1 when more creators are hired for sure than the limit allows: no plan
    is kept), or None when a row kept no spend (numerical trouble: branch and bound instead).
    """
    cents = np.round(np.nan_to_num(ent.unit, nan=0.0) * 100).astype(np.int64)
    order = np.lexsort((counts, rows))
    rows, counts, pens = rows[order], counts[order], pens[order]
    first = np.r_[True, rows[1:] != rows[:-1]]
    starts = np.flatnonzero(first)
    sizes = np.diff(np.r_[starts, len(rows)])
    base_n = counts[starts]
    urow = rows[starts]
    if len(urow) != len(U):
        return None
    core = sizes > 1
    fixed_pen = float(pens[starts[~core]].sum())
    units = np.isfinite(ent.unit)
    counts_hire = prob.creator if K is not None else np.zeros(len(ent), dtype=bool)
    fixed_hires = int((counts_hire[urow[~core]] & (base_n[~core] > 0)).sum())
    paid_by_dollar = int((counts_hire & ~units & (lo > 0)).sum())  # creators paid by the dollar, hired for sure
    core_rows = urow[core]
    H = 0
    if K is not None:
        # a core creator whose every kept choice books it is hired for sure: count it once
        maybe = np.zeros(len(ent), dtype=bool)
        for j, st in zip(core_rows, starts[core], strict=True):
            if counts_hire[j]:
                if counts[st] == 0:
                    maybe[j] = True
                else:
                    fixed_hires += 1
        if fixed_hires + paid_by_dollar > K:
            H = -1  # no plan is kept
        elif fixed_hires + paid_by_dollar + int(maybe.sum()) > K or np.max(hire, initial=0.0) > 0:
            # the limit can bind, or hires carry a price: count the uncertain hires
            H = min(K - fixed_hires - paid_by_dollar, int(maybe.sum()))
            counts_hire = maybe
        else:
            counts_hire = np.zeros(len(ent), dtype=bool)
    grid = reduce(math.gcd, (int(c) for c in cents[core_rows])) if len(core_rows) else 1
    spans, kept = [], []
    for j, st, sz in zip(core_rows, starts[core], sizes[core], strict=True):
        n = counts[st:st + sz]
        kept.append(n)
        spans.append(((n - n[0]) * (cents[j] // grid), pens[st:st + sz], ((n > 0) & counts_hire[j]).astype(np.int64)))
    return UnitCore(urow, base_n, cents, core_rows, tuple(kept), tuple(spans), grid, fixed_pen, fixed_hires,
                    paid_by_dollar, H)


def kept_core(prob, ent, U, price, lo, hi, g, delta, ell, hire, K):
    """Keep the whole-unit rows' spends of penalty below ``delta`` (:func:`~planner.optimize.kept.kept_units`), gathered.

    Returns the :class:`UnitCore` (``H`` -1: no plan is kept), or None when the method does not apply.
    """
    rows, counts, pens = kept_units(ent, U, price, lo, hi, g, delta, ell, hire > 0)
    if rows is None:
        return None
    return unit_core(prob, ent, U, rows, counts, pens, lo, hire, K)


def min_penalty(spans, H: int, L: int) -> tuple[np.ndarray, np.ndarray]:
    """Run the dynamic program over ``spans``: ``(dp, choice)``, ``dp[h, s]`` the least penalty of ``h`` hires, ``s`` steps.

    ``choice[r, h, s]`` is the kept count (index) row ``r`` takes in the best way to reach ``(h, s)``.
    """
    dp = np.full((H + 1, L), np.inf)
    dp[0, 0] = 0.0
    choice = np.zeros((len(spans), H + 1, L), dtype=np.int16)
    for r, (d, p, h) in enumerate(spans):
        new = np.full((H + 1, L), np.inf)
        ch = choice[r]
        for k in range(len(d)):
            dk, hk = int(d[k]), int(h[k])
            if dk >= L or hk > H:
                continue
            cand = dp[: H + 1 - hk, : L - dk] + p[k]
            tgt = new[hk:, dk:]
            better = cand < tgt
            tgt[better] = cand[better]
            ch[hk:, dk:][better] = k
        dp = new
    return dp, choice
