"""Plans over time beside SciPy SLSQP on the same flighting problem, one BLAS thread, in one run.

``python -m planner.bench --flighting`` prints, per instance: the planner's time for a whole plan
(``plan_flighting``: the exact solve, creators' posts, the even plan), its proven gap, and SLSQP
(PyMC-Marketing's settings: ``ftol=1e-9``, bounds ``x >= 0``, the budget as an equality) on the
continuous part of the same problem (the networks' weekly spends, valued by the same model), with
the objective each reaches. SLSQP is not run where its dense matrices would not fit (it needs
(n + 1)^2 doubles for n variables, and is cubic in time).
"""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from planner.flighting import Horizon, plan_flighting
from planner.flighting.plan import value_spends
from planner.flighting.problem import build_problem
from planner.flighting.search import solve_budget

__all__ = ["run_flighting", "networks_and_creators", "concave_rows"]

YEAR_WEEKS = Horizon(date(2027, 1, 4), date(2028, 1, 2), "week")  # 52 weeks


def networks_and_creators(seed: int = 0) -> pd.DataFrame:
    """Six networks (S-shaped and concave hills, weekly carry-over 0.1-0.7) and 60 creators in whole posts."""
    rng = np.random.default_rng(seed)
    nets = pd.DataFrame({
        "name": [f"Network {i}" for i in range(6)], "network": [f"Network {i}" for i in range(6)],
        "curve": "hill", "beta": rng.uniform(1e5, 4e5, 6), "k": rng.uniform(2e4, 8e4, 6),
        "s": rng.choice([0.8, 1.0, 1.4, 1.8], 6), "decay": rng.uniform(0.1, 0.7, 6),
        "current_spend": rng.uniform(1e4, 6e4, 6)})
    fee = rng.choice([50, 200, 500, 1500, 4000], 60).astype(float)
    creators = pd.DataFrame({
        "name": [f"Network {i % 6}/@c{i}" for i in range(60)], "network": [f"Network {i % 6}" for i in range(60)],
        "curve": rng.choice(["hill", "log", "logistic"], 60), "beta": fee * rng.uniform(3, 12, 60),
        "k": fee * rng.uniform(1, 4, 60), "s": rng.uniform(0.8, 2.0, 60), "unit_cost": fee,
        "max_spend": fee * rng.integers(1, 6, 60), "decay": 0.0})
    return pd.concat([nets, creators], ignore_index=True)


def concave_rows(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` concave rows (hill s <= 1, log, logistic) with weekly carry-over 0 to 0.8."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "name": [f"R{i}" for i in range(n)], "network": [f"N{i % 8}" for i in range(n)],
        "curve": rng.choice(["hill", "log", "logistic"], n), "beta": rng.uniform(1e4, 3e5, n),
        "k": rng.uniform(2e3, 6e4, n), "s": rng.uniform(0.5, 1.0, n), "decay": rng.uniform(0.0, 0.8, n),
        "current_spend": rng.uniform(0, 3e4, n)})


def _slsqp(curves: pd.DataFrame, horizon: Horizon, budget: float):
    """SLSQP on the rows with carry-over, spend per (row, week), the model's value; returns (value, seconds)."""
    prob = build_problem(curves, horizon)
    E, P = len(curves), prob.n_periods
    scale = max(budget, 1.0)

    def neg(x):
        resp, _, _ = value_spends(prob, x.reshape(E, P) * scale)
        return -resp.sum() / scale

    t = time.perf_counter()
    res = minimize(neg, np.full(E * P, 1.0 / (E * P)), method="SLSQP", bounds=[(0, None)] * (E * P),
                   constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1.0}],
                   options={"ftol": 1e-9, "maxiter": 500})
    return -res.fun * scale, time.perf_counter() - t


def _timed(fn, reps: int):
    best, out = np.inf, None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run_flighting(quick: bool = False) -> pd.DataFrame:
    """Return one row per instance: the planner's times and gap, SLSQP's time and objective."""
    rows = []
    mixed = networks_and_creators()
    t, plan = _timed(lambda: plan_flighting(mixed, 2_000_000.0, YEAR_WEEKS), 1 if quick else 3)
    nets = mixed[mixed["decay"] > 0].reset_index(drop=True)
    t_n, sol = _timed(lambda: solve_budget(build_problem(nets, YEAR_WEEKS), 1_000_000.0), 3)
    s_val, s_t = _slsqp(nets, YEAR_WEEKS, 1_000_000.0)
    rows.append({"instance": "52 weeks x 6 networks + 60 creators (whole posts)", "plan_s": t,
                 "proven_gap": plan.gap, "over_even": plan.over_even, "networks_only_s": t_n,
                 "slsqp_s": s_t, "slsqp_vs_ours": s_val / sol.value - 1.0})
    for n in ((100,) if quick else (100, 1000)):
        cur = concave_rows(n)
        budget = 30_000.0 * n
        t, plan = _timed(lambda cur=cur, budget=budget: plan_flighting(cur, budget, YEAR_WEEKS), 1 if quick else 3)
        row = {"instance": f"52 weeks x {n:,} concave rows", "plan_s": t, "proven_gap": plan.gap,
               "over_even": plan.over_even, "networks_only_s": np.nan, "slsqp_s": np.nan, "slsqp_vs_ours": np.nan}
        if n <= 100:
            t_n, sol = _timed(lambda cur=cur, budget=budget: solve_budget(build_problem(cur, YEAR_WEEKS), budget), 3)
            row["networks_only_s"] = t_n
            s_val, s_t = _slsqp(cur, YEAR_WEEKS, budget)
            row.update(slsqp_s=s_t, slsqp_vs_ours=s_val / sol.value - 1.0)
        rows.append(row)
    return pd.DataFrame(rows)


def print_flighting(quick: bool = False) -> None:
    """Print :func:`run_flighting`'s table with its units."""
    df = run_flighting(quick)

    def num(fmt):
        return lambda v: "not run" if not np.isfinite(v) else fmt.format(v)

    print(df.to_string(index=False, formatters={
        "plan_s": num("{:.3f}"), "proven_gap": num("{:.1e}"), "over_even": num("${:,.0f}"),
        "networks_only_s": num("{:.3f}"), "slsqp_s": num("{:.2f}"), "slsqp_vs_ours": num("{:+.4%}")}))
    print("plan_s: plan_flighting end to end (exact solve, creators' posts, even plan); networks_only_s: the exact "
          "solve of the rows with carry-over alone, which is what SLSQP (slsqp_s) solves; slsqp_vs_ours: SLSQP's "
          "objective against ours on that problem (negative: SLSQP stops short). SLSQP is not run on 52,000 "
          "variables (its dense (n+1)^2 matrices: 21 GB).")
