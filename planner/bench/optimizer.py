"""Benchmark of the optimizer against plain SciPy on the same problems, in one run.

    python -m planner.bench.optimizer [--quick] [--slsqp-max N]

Prints one table: instance, the planner's time (``planner_ms``: ``optimize()`` end to
end, checking the curve table, the search, rounding to cents, the result tables;
``search_ms``: the search and rounding alone, on the checked problem) and objective, the
baseline's time and objective, and the planner's proven optimality gap.

Baselines: SciPy SLSQP with PyMC-Marketing's settings (ftol 1e-9, maxiter 1000, the
budget as an equality, bounds per row, started from the budget split equally) on
continuous curves; for whole posts, which SLSQP cannot express, HiGHS
(``scipy.optimize.milp``) on the integer-posts model (one binary per creator and
number of posts), asked for a relative gap of 1e-6.

Proven gap: ``(upper bound - objective) / objective``.  The upper bound is the
Lagrangian dual value at the price of the budget (any plan within the budget earns
at most that); branch and bound and, for whole units, the core dynamic program
(planner.optimize.core: every plan it leaves out has a value below the bound minus the gap it
tried) bring the best plan found up to it.  Timings are wall-clock medians of a few
repeats on this machine; nothing here is a test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from planner.curves.forms import marginal, response
from planner.optimize import frontier, optimize
from planner.optimize.problem import prepare
from planner.optimize.search import branch_and_bound


def concave_curves(n: int, seed: int = 0) -> pd.DataFrame:
    """Return ``n`` random concave hill curves (``s`` from 0.6 to 1) without bounds, drawn from ``seed``.

    Parameters
    ----------
    n : int
        The number of curves.
    seed : int, default 0
        Seed of the draws.

    Returns
    -------
    DataFrame
        A curve table: ``name`` (``creator0``, ``creator1``, ...), ``network`` (one of six),
        ``curve`` (``"hill"``), ``beta`` (2,000 to 60,000), ``k`` (1,000 to 20,000 dollars)
        and ``s``.
    """
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "name": [f"creator{i}" for i in range(n)],
        "network": rng.choice(["Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"], n),
        "curve": "hill", "beta": rng.uniform(2e3, 6e4, n), "k": rng.uniform(1e3, 2e4, n),
        "s": rng.uniform(0.6, 1.0, n),
    })


def s_curves(n: int, seed: int = 1) -> pd.DataFrame:
    """Return ``n`` random hill curves with ``s`` from 0.8 to 2.5 (S-shaped where ``s > 1``), drawn from ``seed``.

    Parameters
    ----------
    n : int
        The number of curves.
    seed : int, default 1
        Seed of the draws.

    Returns
    -------
    DataFrame
        As :func:`concave_curves`, with ``s`` redrawn.
    """
    df = concave_curves(n, seed)
    df["s"] = np.random.default_rng(seed).uniform(0.8, 2.5, n)
    return df


def post_curves(n: int, seed: int = 2) -> pd.DataFrame:
    """Return ``n`` random hill curves bought in whole posts ($150 to $2,500 a post, at most 1 to 6 posts).

    Parameters
    ----------
    n : int
        The number of curves.
    seed : int, default 2
        Seed of the draws.

    Returns
    -------
    DataFrame
        As :func:`s_curves`, with ``unit_cost`` (the cost of a post) and ``max_spend``
        (1 to 6 posts).
    """
    df = s_curves(n, seed)
    rng = np.random.default_rng(seed)
    df["unit_cost"] = rng.choice([150.0, 400.0, 900.0, 2500.0], n)
    df["max_spend"] = df["unit_cost"] * rng.integers(1, 7, n)
    return df


def slsqp(curves: pd.DataFrame, budget: float):
    """PyMC-Marketing's BudgetOptimizer setup: SLSQP, equality budget, bounds, equal split start.

    Parameters
    ----------
    curves : DataFrame
        The curve table; ``max_spend`` bounds a row where given (else the budget).
    budget : float
        The budget, spent in full (an equality constraint).

    Returns
    -------
    tuple
        ``(objective, ok, message)``: the total response of SLSQP's answer (clipped to
        the bounds), whether SLSQP reported success and the answer spends the budget
        to within 0.01 x max(1, budget x 1e-6), and SLSQP's message.
    """
    n = len(curves)
    hi = curves["max_spend"].fillna(budget).to_numpy(dtype=float) if "max_spend" in curves else np.full(n, budget)
    x0 = np.minimum(np.full(n, budget / n), hi)
    res = minimize(
        lambda x: -response(curves, x).sum(), x0, jac=lambda x: -marginal(curves, x), method="SLSQP",
        bounds=list(zip(np.zeros(n), hi, strict=True)),
        constraints=[{"type": "eq", "fun": lambda x: x.sum() - budget, "jac": lambda x: np.ones(n)}],
        options={"ftol": 1e-9, "maxiter": 1000},
    )
    x = np.clip(res.x, 0, hi)
    feasible = abs(x.sum() - budget) <= 0.01 * max(1.0, budget * 1e-6)
    return response(curves, x).sum(), res.success and feasible, res.message


def milp_posts(curves: pd.DataFrame, budget: float, time_limit: float = 60.0):
    """Solve the whole-post problem as a mixed-integer program with HiGHS (``scipy.optimize.milp``).

    One binary per creator and number of posts (at most one per creator), the budget as
    one row: the textbook model a team would hand to a MILP solver.  Returns
    (objective, proven relative gap reported by HiGHS, status message).

    Parameters
    ----------
    curves : DataFrame
        The curve table with ``unit_cost`` and ``max_spend`` on every row.
    budget : float
        The most the posts may cost.
    time_limit : float, default 60.0
        Seconds HiGHS may take.

    Returns
    -------
    tuple
        ``(objective, gap, message)``: the total response of the best plan found (NaN
        when HiGHS found none), HiGHS's ``mip_gap`` (NaN when it reports none) and its
        status message.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: PLC0415
    from scipy.sparse import csr_array  # noqa: PLC0415

    unit = curves["unit_cost"].to_numpy(dtype=float)
    n_max = np.floor(curves["max_spend"].to_numpy(dtype=float) / unit + 1e-9).astype(int)
    rows, spends = [], []
    for i, m in enumerate(n_max):
        for n in range(1, m + 1):
            rows.append(i)
            spends.append(n * unit[i])
    rows, spends = np.array(rows), np.array(spends)
    value = response(curves.iloc[rows].reset_index(drop=True), spends)
    nvar = len(rows)
    pick = csr_array((np.ones(nvar), (rows, np.arange(nvar))), shape=(len(curves), nvar))
    cost = csr_array(spends.reshape(1, -1))
    res = milp(-value, integrality=np.ones(nvar), bounds=Bounds(0, 1),
               constraints=[LinearConstraint(pick, 0, 1), LinearConstraint(cost, 0, budget)],
               options={"time_limit": time_limit, "mip_rel_gap": 1e-6})
    obj = -res.fun if res.x is not None else np.nan
    gap = getattr(res, "mip_gap", np.nan)
    return obj, gap, str(res.message)


def _time(fn: Callable, repeats: int) -> tuple[float, object]:
    """Median wall-clock seconds of ``repeats`` calls after one untimed warm-up call (imports, caches)."""
    fn()
    times, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out


def run(quick: bool = False, slsqp_max: int = 1000) -> pd.DataFrame:
    """Time the planner and its baseline on every instance; return one row per instance (the table printed).

    Parameters
    ----------
    quick : bool, default False
        Smaller instances (up to 1,000 creators, 500 for whole posts).
    slsqp_max : int, default 1000
        The largest number of rows SLSQP is run on.

    Returns
    -------
    DataFrame
        ``instance, planner_ms, search_ms, planner_objective, proven_gap, baseline,
        baseline_ms, baseline_objective, baseline_status``, ``speed-up`` (baseline over
        planner time) and ``objective_vs_baseline`` (the planner's objective over the
        baseline's, minus 1); the last row is a frontier of 50 budgets.
    """
    sizes = [10, 100, 1000] if quick else [10, 100, 1000, 10_000]
    cases = [(f"concave n={n:,}", concave_curves(n), 5e3 * n) for n in sizes]
    cases.append((f"S-shaped n={1000:,}", s_curves(1000), 5e3 * 1000))
    n_posts = 500 if quick else 5000
    cases.append((f"whole posts n={n_posts:,}", post_curves(n_posts), 900.0 * n_posts))
    rows = []
    for label, curves, budget in cases:
        reps = 5 if len(curves) <= 1000 else 3
        t_p, alloc = _time(lambda c=curves, b=budget: optimize(c, b), reps)
        _, prob = prepare(curves, budget, None, "revenue", 1.0)
        t_search, _ = _time(lambda p=prob: branch_and_bound(p), reps)
        row = {"instance": label, "planner_ms": t_p * 1e3, "search_ms": t_search * 1e3,
               "planner_objective": alloc.total_response,
               "proven_gap": alloc.gap / max(alloc.total_response, 1.0)}
        if len(curves) <= slsqp_max and "unit_cost" not in curves:
            t_s, (obj, ok, msg) = _time(lambda c=curves, b=budget: slsqp(c, b), 1)
            row.update(baseline="SLSQP", baseline_ms=t_s * 1e3, baseline_objective=obj,
                       baseline_status="ok" if ok else str(msg)[:40])
        elif "unit_cost" in curves:  # SLSQP has no whole units: HiGHS on the integer-posts model
            t_s, (obj, gap, msg) = _time(lambda c=curves, b=budget: milp_posts(c, b), 1)
            row.update(baseline="HiGHS MILP", baseline_ms=t_s * 1e3, baseline_objective=obj,
                       baseline_status=f"gap {gap:.1e}; {msg[:28]}")
        else:
            row.update(baseline="SLSQP", baseline_ms=np.nan, baseline_objective=np.nan,
                       baseline_status=f"not run (n > {slsqp_max})")
        rows.append(row)
    # frontier of 50 budgets at n = 100
    curves = concave_curves(100)
    budgets = np.linspace(1e5, 1e6, 50)
    t_p, f = _time(lambda: frontier(curves, budgets), 5)
    t_s, objs = _time(lambda: [slsqp(curves, b) for b in budgets], 1)
    fails = sum(not ok for _, ok, _ in objs)
    rows.append({"instance": "frontier 50 budgets n=100", "baseline": "SLSQP x 50", "planner_ms": t_p * 1e3,
                 "planner_objective": f["response"].sum(), "proven_gap": np.nan, "baseline_ms": t_s * 1e3,
                 "baseline_objective": sum(o for o, _, _ in objs), "baseline_status": f"{fails} of 50 failed"})
    df = pd.DataFrame(rows)
    df["speed-up"] = df["baseline_ms"] / df["planner_ms"]
    df["objective_vs_baseline"] = df["planner_objective"] / df["baseline_objective"] - 1
    return df


def main(argv=None) -> int:
    """Run the benchmark from the command line and print its table; return the exit status (0).

    Parameters
    ----------
    argv : list of str or None, default None
        The command-line arguments without the program name (``--quick``,
        ``--slsqp-max``); None reads ``sys.argv[1:]``.

    Returns
    -------
    int
        Always 0.

    Raises
    ------
    SystemExit
        From argparse, for ``--help`` or arguments it does not know.
    """
    p = argparse.ArgumentParser(prog="python -m planner.bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smaller instances (about a minute)")
    p.add_argument("--slsqp-max", type=int, default=1000, help="largest n on which SLSQP is run (default 1000)")
    args = p.parse_args(argv)
    df = run(args.quick, args.slsqp_max)
    fmt = {
        "planner_ms": "{:,.1f}".format, "search_ms": lambda v: "—" if np.isnan(v) else f"{v:,.1f}", "baseline_ms": lambda v: "—" if np.isnan(v) else f"{v:,.1f}",
        "planner_objective": "{:,.0f}".format, "baseline_objective": lambda v: "—" if np.isnan(v) else f"{v:,.0f}",
        "proven_gap": lambda v: "—" if np.isnan(v) else f"{v:.1e}", "speed-up": lambda v: "—" if np.isnan(v) else f"{v:,.0f}x",
        "objective_vs_baseline": lambda v: "—" if np.isnan(v) else f"{v:+.4%}",
    }
    print(df.to_string(index=False, formatters=fmt))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
