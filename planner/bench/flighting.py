"""Plans over time beside SciPy SLSQP on the same flighting problem, one BLAS thread, in one run.

``python -m planner.bench --flighting`` prints, per instance: the planner's time for a whole plan
(``plan_flighting``: the exact solve, creators' posts, the even plan), its proven gap, and SLSQP
(PyMC-Marketing's settings: ``ftol=1e-9``, bounds ``x >= 0``, the budget as an equality) on the
continuous part of the same problem (the networks' weekly spends, valued by the same model), with
the objective each reaches, and the same within 13 limits per week and network (:mod:`planner.flighting.bounded`
beside SLSQP with the limits as inequalities). SLSQP runs on the 312 variables of 6 networks x 52 weeks only:
beyond, its dense (n + 1)^2 matrices and cubic iterations take minutes an iteration. The last row times what
the app does when the budget moves: a whole plan of the sample's next quarter in weeks.
"""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from planner.curves.table import validate_curves
from planner.fit.saved import SAMPLE_FIT
from planner.flighting import Horizon, next_months, plan_flighting
from planner.flighting.bounded import solve_limited
from planner.flighting.limits import LIMIT_COLUMNS, read_limits
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


def _slsqp(curves: pd.DataFrame, horizon: Horizon, budget: float, limits=()):
    """Run SLSQP on the rows with carry-over: spend per (row, week), the model's value, within ``limits``.

    Returns (value, seconds).
    """
    prob = build_problem(curves, horizon)
    E, P = len(curves), prob.n_periods
    scale = max(budget, 1.0)

    def neg(x):
        resp, _, _ = value_spends(prob, x.reshape(E, P) * scale)
        return -resp.sum() / scale

    cons = [{"type": "eq", "fun": lambda x: x.sum() - 1.0}]
    for b in limits:
        m = (b.rows[:, None] & b.periods[None, :]).ravel()
        if np.isfinite(b.hi):
            cons.append({"type": "ineq", "fun": lambda x, m=m, hi=b.hi / scale: hi - x[m].sum()})
        if b.lo > 0:
            cons.append({"type": "ineq", "fun": lambda x, m=m, lo=b.lo / scale: x[m].sum() - lo})
    t = time.perf_counter()
    res = minimize(neg, np.full(E * P, 1.0 / (E * P)), method="SLSQP", bounds=[(0, None)] * (E * P),
                   constraints=cons, options={"ftol": 1e-9, "maxiter": 500})
    return -neg(np.maximum(res.x, 0.0)) * scale, time.perf_counter() - t


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
        t_n, sol = _timed(lambda cur=cur, budget=budget: solve_budget(build_problem(cur, YEAR_WEEKS), budget), 3)
        row["networks_only_s"] = t_n
        rows.append(row)
    rows.append(_limited_row(nets))
    rows.append(_app_row())
    return pd.DataFrame(rows)


def _limited_row(nets: pd.DataFrame) -> dict:
    """Time the six networks over 52 weeks within 13 limits (caps in some weeks, weekly ceilings, a floor)."""
    weeks = YEAR_WEEKS.periods()["label"].tolist()
    table = pd.DataFrame(
        [(f"Network {i}", weeks[4 * i + 2], None, 5_000.0) for i in range(6)]
        + [("", weeks[10 * j + 5], None, 15_000.0) for j in range(5)]
        + [("Network 5", "", 120_000.0, None), ("", weeks[51], None, 8_000.0)],
        columns=list(LIMIT_COLUMNS))
    prob = build_problem(validate_curves(nets), YEAR_WEEKS)
    bounds = read_limits(table, validate_curves(nets), YEAR_WEEKS)
    t, sol = _timed(lambda: solve_limited(prob, 1_000_000.0, bounds), 1)
    resp, _, _ = value_spends(prob, sol.spend)
    ours = float(resp.sum())
    s_val, s_t = _slsqp(nets, YEAR_WEEKS, 1_000_000.0, bounds)
    return {"instance": "52 weeks x 6 networks within 13 limits", "plan_s": t,
            "proven_gap": (sol.bound - ours) / sol.bound, "over_even": np.nan, "networks_only_s": t,
            "slsqp_s": s_t, "slsqp_vs_ours": s_val / ours - 1.0}


def _app_row() -> dict:
    """Time the app's re-plan of a moved budget: the sample, the next quarter in weeks, median of 5 budgets."""
    curves = read_curves_sample()
    h = next_months(date(2026, 12, 5), 3, "week")
    plan_flighting(curves, 339_000.0, h)
    times = [_timed(lambda b=b: plan_flighting(curves, b, h), 1)[0] for b in (300e3, 320e3, 350e3, 380e3, 400e3)]
    plan = plan_flighting(curves, 350_000.0, h)
    return {"instance": "the app: the sample, next quarter in weeks, a moved budget (median of 5)",
            "plan_s": float(np.median(times)), "proven_gap": plan.gap, "over_even": plan.over_even,
            "networks_only_s": np.nan, "slsqp_s": np.nan, "slsqp_vs_ours": np.nan}


def read_curves_sample() -> pd.DataFrame:
    """Return the app's sample curve table (sample_data/sample_fit.parquet)."""
    return pd.read_parquet(SAMPLE_FIT)


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
          "objective against ours on that problem (negative: SLSQP stops short). SLSQP is run on 312 variables "
          "(6 networks x 52 weeks) only: on 5,200 (100 rows) one of its iterations takes minutes (dense (n+1)^2 "
          "matrices, cubic time, a numerical gradient of n model evaluations), on 52,000 its matrices need 21 GB.")
