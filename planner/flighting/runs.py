"""Flights and pauses of at least ``k`` periods: no on-off every other week.

A user may ask that a row with carry-over (a network's paid media), once it starts spending, keep
spending for at least ``k`` periods in a row, and that a pause between two of its flights last at
least ``k`` periods too. A row may start late and stop early: the pause before its first flight and
after its last one may be any length. A flight shorter than ``k`` is allowed only when it is the whole
horizon (a horizon of fewer than ``k`` periods).

The rule makes the plan combinatorial, so it is met after the solve: each row that breaks it keeps
its horizon total and takes the best of a family of patterns that keep it (one flight from any
period to any later one, and regular flights of ``L`` periods on and ``G`` off for every
``L, G >= k``), its money spread over the pattern's periods by their weeks, or half that and half
its planned spend on those periods. Rows are independent once their totals are set (a row's response
depends on its own spend), so each is chosen alone, all its candidates valued in one array pass.
The patterns chosen, the budget is then planned again exactly with those rows held to them
(:func:`restrict`: no spend in a pattern's pauses), so that money moves between rows and within
flights where that earns more; that plan is kept when it keeps the rule and earns more (:func:`plan_runs`).
The solve's bound, found without the rule, still bounds every plan that keeps it, so the plan's gap
stays a proof. Rows without carry-over are spread over every period, and creators' posts are
bookings rather than flights: the rule leaves them as they are.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from planner.base.errors import InfeasibleError
from planner.flighting.problem import FlightProblem, build_problem
from planner.flighting.search import solve_budget

__all__ = ["flights_ok", "patterns", "keep_runs", "ON_CENTS", "restrict", "plan_runs"]

ON_CENTS = 0.005  # a cell spends when it holds at least half a cent (the plan is rounded to cents)


def _runs(on: np.ndarray) -> list[tuple[int, int, bool]]:
    """Return the runs of ``on`` (one row) as (start, end, value) with ``end`` exclusive."""
    edges = np.flatnonzero(np.diff(on.astype(np.int8))) + 1
    starts = np.r_[0, edges]
    ends = np.r_[edges, len(on)]
    return [(int(a), int(b), bool(on[a])) for a, b in zip(starts, ends, strict=True)]


def flights_ok(on: np.ndarray, k: int) -> np.ndarray:
    """Return, per row of ``on`` (rows x periods, or one row), whether its flights and pauses keep the rule.

    Parameters
    ----------
    on : ndarray of bool
        Whether each row spends in each period.
    k : int
        Shortest flight and shortest pause between flights, in periods (1: no rule).

    Returns
    -------
    ndarray of bool, one per row
    """
    on = np.atleast_2d(np.asarray(on, dtype=bool))
    P = on.shape[1]
    need = min(int(k), P)
    out = np.ones(len(on), dtype=bool)
    for i, row in enumerate(on):
        runs = _runs(row)
        for j, (a, b, spends) in enumerate(runs):
            inner_pause = not spends and 0 < j < len(runs) - 1
            if (spends or inner_pause) and b - a < need:
                out[i] = False
                break
    return out


def patterns(P: int, k: int) -> np.ndarray:
    """Return every pattern of the family (module docstring) over ``P`` periods, as a (C, P) bool array."""
    k = max(1, min(int(k), P))
    out = [np.ones(P, dtype=bool)]
    for a in range(P):
        for b in range(a + k, P + 1):
            on = np.zeros(P, dtype=bool)
            on[a:b] = True
            out.append(on)
    for L in range(k, P + 1):
        for G in range(k, P + 1 - L - k + 1):
            on = (np.arange(P) % (L + G)) < L
            last = _runs(on)[-1]
            if last[2] and last[1] - last[0] < k:
                on[last[0]:last[1]] = False
            out.append(on)
            out.append(on[::-1].copy())  # the same rhythm ending on the horizon's last period
    return np.unique(np.array(out), axis=0)


def _candidates(spend_row: np.ndarray, pats: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """Return the candidate spends of one row: its total over each pattern by weeks, and blended with its plan."""
    total = spend_row.sum()
    even = pats * weeks[None, :]
    even = total * even / even.sum(axis=1, keepdims=True)
    mine = pats * spend_row[None, :]
    has = mine.sum(axis=1) > 0
    mine = total * mine[has] / mine[has].sum(axis=1, keepdims=True)
    return np.vstack([even, 0.5 * (even[has] + mine)])


def _values(prob: FlightProblem, i: int, X: np.ndarray, after: bool) -> np.ndarray:
    """Return what row ``i`` earns with each candidate spend of ``X`` (one per line)."""
    n = len(X)
    sub = build_problem(prob.curves.iloc[[i] * n].reset_index(drop=True), prob.horizon, after,
                        np.full(n, prob.z0[i]))
    return sub.earned(X, after)


def keep_runs(prob: FlightProblem, spend: np.ndarray, after: bool, k: int) -> np.ndarray:
    """Return ``spend`` (rows x periods) with every row with carry-over keeping flights and pauses of ``k`` periods.

    Parameters
    ----------
    prob : FlightProblem
        The problem ``spend`` was planned on.
    spend : ndarray (rows, periods)
    after : bool
        Count what spend earns after the horizon when choosing a row's pattern.
    k : int
        Shortest flight and pause, in periods; 1 or less leaves ``spend`` as it is.

    Returns
    -------
    ndarray (rows, periods)
        Each row's total unchanged.
    """
    if k <= 1:
        return spend
    out = spend.copy()
    carry = prob.decay > 0
    bad = np.flatnonzero(carry & (spend.sum(axis=1) > 0) & ~flights_ok(spend >= ON_CENTS, k))
    if not len(bad):
        return out
    weeks = prob.periods["weeks"].to_numpy(dtype=float)
    pats = patterns(prob.n_periods, k)
    for i in bad:
        X = _candidates(spend[i], pats, weeks)
        X = X[flights_ok(X >= ON_CENTS, k)]
        v = _values(prob, i, X, after)
        near = v >= v.max() - 1e-9 * max(abs(v.max()), 1.0)  # ties: the pattern closest to the planned one
        overlap = ((X >= ON_CENTS) == (spend[i] >= ON_CENTS)[None, :]).sum(axis=1)
        out[i] = X[int(np.argmax(np.where(near, overlap, -1)))]
    return out


def restrict(prob: FlightProblem, on: np.ndarray, rows: np.ndarray) -> FlightProblem:
    """Return ``prob`` with each of ``rows`` spending nothing in the periods where ``on`` is False.

    A period without spend ties the row's adstock to the one before it (``z_p = D_p z_{p-1}``: the element is
    *forced*, as the weeks after the horizon are); in the first period, to the adstock carried in.

    Parameters
    ----------
    prob : FlightProblem
    on : ndarray of bool (rows, periods)
    rows : ndarray of int
        The rows held to ``on`` (rows with carry-over); the others are left free.

    Returns
    -------
    FlightProblem
    """
    forced, lo, hi = prob.forced.copy(), prob.lo.copy(), prob.hi.copy()
    P = prob.n_periods
    for e in rows:
        first = int(np.searchsorted(prob.ent, e))
        off = np.flatnonzero(~on[e, :P])
        if not len(off):
            continue
        k = first + off
        forced[k[off > 0]] = True
        if off[0] == 0:  # no spend in the first period: the adstock carried in, faded
            lo[first] = hi[first] = min(prob.lo[first], prob.hi[first])
    return replace(prob, forced=forced, lo=lo, hi=hi)


def plan_runs(prob: FlightProblem, spend: np.ndarray, budget: float, after: bool, k: int) -> np.ndarray:
    """Return the best plan found of ``budget`` whose rows with carry-over keep flights and pauses of ``k`` periods.

    Parameters
    ----------
    prob : FlightProblem
        The problem ``spend`` (its best plan without the rule) was planned on.
    spend : ndarray (rows, periods)
    budget : float
        What ``spend`` may spend in all.
    after : bool
        Count what spend earns after the horizon.
    k : int
        Shortest flight and pause, in periods (1 or less: ``spend`` as it is).

    Returns
    -------
    ndarray (rows, periods)
        :func:`keep_runs` of ``spend``, or the budget planned again with the rows it changed held to their
        patterns (:func:`restrict`) where that keeps the rule and earns more.
    """
    kept = keep_runs(prob, spend, after, k)
    if k <= 1:
        return kept
    changed = np.flatnonzero(np.any(kept != spend, axis=1))
    if not len(changed):
        return kept
    try:
        held = restrict(prob, kept >= ON_CENTS, changed)
        again = held.spends(solve_budget(held, budget).z)
    except InfeasibleError:
        return kept
    carry = prob.decay > 0
    if flights_ok(again[carry] >= ON_CENTS, k).all() and prob.earned(again, after).sum() > prob.earned(kept, after).sum():
        return again
    return kept
