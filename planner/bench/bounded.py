"""The sample's plan with a hire limit and bounds on every network, beside HiGHS where HiGHS can take it.

Three rows of ``python -m planner.bench`` (issue 17, point 4):

- the app's fitted sample (paid media on S-curves and 60 creators paid by the post) at $250,000,
  every network held between 0.6 and 1.5 times its share of today's spend, at most 20 creators
  hired: ``optimize()`` end to end and its proven gap.  No baseline takes this problem whole
  (SLSQP has no posts, HiGHS no curves of spend);
- its 60 creators alone at $150,000 with the same kind of bounds: the same problem for both,
  HiGHS given one binary per creator and number of posts, one row per network and one on hires;
- the Tradeoffs page's frontier on the sample with both set: the 25 budgets of the app's slider,
  each proven or reported infeasible;
- a roster of 240 (the 60 creators four times over, each copy's level drawn anew: :func:`roster_copies`) at
  $600,000, 80 hires, the same kind of network bounds, beside HiGHS: within the planner's time limit
  (3 s) and with 30 s to prove it.

Problems whose every row is in whole units, under a hire limit or network bounds, the planner itself hands
to HiGHS with its own model (planner.optimize.posts_milp: the counts each row's bounds allow, values
precomputed): the creators' rows then compare that against the textbook model here, HiGHS against HiGHS.
Its own search proved the sample's creators at 20 hires in 93 ms, and found no plan for the roster of 240
in 28 s.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from planner.base.errors import InfeasibleError
from planner.bench.milp import median_time, milp_posts
from planner.fit.saved import SAMPLE_FIT
from planner.optimize import optimize, prepare
from planner.report.budget_choices import budget_options

__all__ = ["share_bounds", "bounded_rows", "roster_copies"]

HIRES = 20


def share_bounds(curves: pd.DataFrame, budget: float, low: float, high: float) -> pd.DataFrame:
    """Return network bounds of ``low`` to ``high`` times each network's share of today's spend, at ``budget``.

    Parameters
    ----------
    curves : DataFrame
        The curve table (``network``, ``current_spend``).
    budget : float
        The budget the shares are taken of, in dollars.
    low, high : float
        The least and most multiple of each network's share.

    Returns
    -------
    DataFrame
        ``network, min_spend, max_spend``.
    """
    today = curves.groupby("network")["current_spend"].sum()
    share = today / today.sum() * budget
    return pd.DataFrame({"network": today.index, "min_spend": (share * low).to_numpy(),
                         "max_spend": (share * high).to_numpy()})


def roster_copies(creators: pd.DataFrame, copies: int, seed: int = 0) -> pd.DataFrame:
    """Return ``copies`` copies of a creators' curve table, names suffixed ``.0``, ``.1``..., levels redrawn.

    Parameters
    ----------
    creators : DataFrame
        Curve-table rows of creators.
    copies : int
        How many copies.
    seed : int, default 0
        Seed of the draws: each copy's ``beta`` is the original's times a lognormal draw (sd 0.3).

    Returns
    -------
    DataFrame
        ``copies * len(creators)`` rows.
    """
    rng = np.random.default_rng(seed)
    parts = []
    for r in range(copies):
        c = creators.copy()
        c["name"] = c["name"] + f".{r}"
        c["beta"] = c["beta"] * rng.lognormal(0.0, 0.3, len(c))
        parts.append(c)
    return pd.concat(parts, ignore_index=True)


def _roster_rows() -> list[dict]:
    """Return the rows of the roster of 240 under 80 hires and network bounds: the planner at 3 s and 30 s, HiGHS."""
    curves = pd.read_parquet(SAMPLE_FIT)
    roster = roster_copies(curves[curves["unit_cost"].notna()].reset_index(drop=True), 4)
    budget, hires = 600_000.0, 4 * HIRES
    nb = share_bounds(roster, budget, 0.6, 1.5)
    t0 = time.perf_counter()
    obj, gap, msg = milp_posts(roster, budget, network_bounds=nb, max_hires=hires)
    t_h = time.perf_counter() - t0
    rows = []
    for limit in (3.0, 30.0):
        t0 = time.perf_counter()
        a = optimize(roster, budget, network_bounds=nb, max_creators=hires, selection=False, time_limit=limit)
        t = time.perf_counter() - t0
        rows.append({"instance": f"240 creators, networks 0.6-1.5x, {hires} hires, {limit:g} s limit",
                     "rows": len(roster), "solve_ms": t * 1e3, "optimize_ms": t * 1e3,
                     "planner_objective": a.total_response, "proven_gap": a.relative_gap, "baseline": "HiGHS MILP",
                     "baseline_ms": t_h * 1e3, "baseline_objective": obj,
                     "baseline_status": f"gap {gap:.1e}; {msg[:28]}"})
    return rows


def bounded_rows(reps: int = 7) -> list[dict]:
    """Return the three rows (see the module's docstring): times in ms, objectives, proven gaps.

    Parameters
    ----------
    reps : int, default 7
        Timed repeats of each plan (the median is kept); the frontier is timed once, prepared fresh.

    Returns
    -------
    list of dict
        Rows in the columns of :func:`planner.bench.optimizer.run`.
    """
    curves = pd.read_parquet(SAMPLE_FIT)
    budget = 250_000.0
    nb = share_bounds(curves, budget, 0.6, 1.5)
    t, a = median_time(lambda: optimize(curves, budget, network_bounds=nb, max_creators=HIRES, selection=False),
                        reps)
    rows = [{"instance": f"sample, networks 0.6-1.5x, {HIRES} hires", "rows": len(curves), "solve_ms": t * 1e3,
             "optimize_ms": t * 1e3, "planner_objective": a.total_response, "proven_gap": a.relative_gap,
             "baseline": "", "baseline_status": "no rival takes S-curves and posts"}]
    creators = curves[curves["unit_cost"].notna()].reset_index(drop=True)
    c_budget = 150_000.0
    c_nb = share_bounds(creators, c_budget, 0.6, 1.5)
    t, a = median_time(lambda: optimize(creators, c_budget, network_bounds=c_nb, max_creators=HIRES,
                                         selection=False), reps)
    t0 = time.perf_counter()
    obj, gap, msg = milp_posts(creators, c_budget, network_bounds=c_nb, max_hires=HIRES)
    t_h = time.perf_counter() - t0
    rows.append({"instance": f"sample creators, networks 0.6-1.5x, {HIRES} hires", "rows": len(creators),
                 "solve_ms": t * 1e3, "optimize_ms": t * 1e3, "planner_objective": a.total_response,
                 "proven_gap": a.relative_gap, "baseline": "HiGHS MILP", "baseline_ms": t_h * 1e3,
                 "baseline_objective": obj, "baseline_status": f"gap {gap:.1e}; {msg[:28]}"})
    plans = prepare(curves, nb, max_creators=HIRES)
    proven = infeasible = 0
    t0 = time.perf_counter()
    for b in budget_options(budget, curves):
        try:
            proven += plans.solve(b, selection=False).proven
        except InfeasibleError:
            infeasible += 1
    t_f = time.perf_counter() - t0
    n = len(budget_options(budget, curves))
    rows.append({"instance": f"Tradeoffs frontier, {n} budgets, both set", "rows": len(curves), "solve_ms": t_f * 1e3,
                 "planner_objective": np.nan, "proven_gap": np.nan, "baseline": "",
                 "baseline_status": f"{proven} proven, {infeasible} infeasible, {n - proven - infeasible} not proven"})
    return rows + _roster_rows()
