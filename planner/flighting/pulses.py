"""Pulsing: an S-shaped network's spend concentrated in some periods, where spreading it wastes it.

On an S-curve a steady spend below the curve's tangent point earns less than the same money spent
in bursts above it and nothing in between (the solver's envelope is exactly the value of such
bursts, so its bound already counts them). Each S-shaped row with carry-over keeps its total, and
tries every number of bursts ``m`` (evenly spaced, or one run from the start), and keeps the best.
A row's response depends only on its own spend, so rows are chosen one by one.
"""

from __future__ import annotations

import numpy as np

from planner.flighting.problem import FlightProblem

__all__ = ["pulse"]


def _patterns(P: int) -> list[np.ndarray]:
    out = []
    for m in range(1, P + 1):
        on = np.zeros(P, dtype=bool)
        on[np.unique(np.round(np.linspace(0, P - 1, m)).astype(int))] = True
        out.append(on)
        run = np.zeros(P, dtype=bool)
        run[:m] = True
        out.append(run)
    return out


def pulse(prob: FlightProblem, spend: np.ndarray, after: bool) -> np.ndarray:
    """Return ``spend`` (rows x periods) with each S-shaped row with carry-over in its best burst pattern."""
    rows = np.flatnonzero((prob.decay > 0) & (spend.sum(axis=1) > 0))
    first = np.searchsorted(prob.ent, rows)
    rows = rows[prob.shapes.tangent[first] > 0]
    if not len(rows):
        return spend
    weeks = prob.periods["weeks"].to_numpy(dtype=float)
    P = len(weeks)
    best = spend.copy()
    best_v = prob.earned(best, after)[rows]
    totals = spend[rows].sum(axis=1)
    for on in _patterns(P):
        trial = best.copy()
        share = np.where(on, weeks, 0.0)
        trial[rows] = totals[:, None] * (share / share.sum())[None, :]
        v = prob.earned(trial, after)[rows]
        better = v > best_v * (1 + 1e-12)
        if better.any():
            best[rows[better]] = trial[rows[better]]
            best_v[better] = v[better]
    return best
