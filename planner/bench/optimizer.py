"""Benchmark of the optimizer against plain SciPy and against its own limit, on the same problems, in one run.

    python -m planner.bench [--quick] [--slsqp-max N]

One BLAS thread is pinned before NumPy loads (a threaded BLAS spin-waits on a busy machine and
slows SLSQP a hundredfold), and the machine's load average is printed with the table: figures
from a busy machine are not worth quoting.

Columns, per instance:

- ``solve_ms``: ``prepare(curves).solve(budget).table`` on a problem prepared once, at a budget
  1 % from the last one solved (as a frontier, a target search or the app's budget slider ask);
  end to end: the budget's checks, the search, rounding to cents, the result table.
- ``optimize_ms``: ``optimize(curves, budget)`` from nothing (the curve table checked every call).
- ``limit_ms``: the price search alone on the prepared arrays from the same neighbour's price
  (:func:`planner.optimize.newton.prices_newton`: no checks, no cents, no table): what no
  exact method can go far below.  ``x_limit`` is ``solve_ms / limit_ms``.
- the baseline's time and objective; ``speed-up`` is the baseline's time over ``solve_ms`` (and
  ``optimize_ms`` in ``speed-up_fresh``); ``objective_vs_baseline`` the planner's objective over
  the baseline's, minus 1; ``proven_gap`` the planner's.
- ``peak_MB``: the most memory the solve allocated (tracemalloc), for the largest instances.

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
import itertools
import os
import tracemalloc

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from planner.bench.bounded import bounded_rows
from planner.bench.milp import median_time as _time
from planner.bench.milp import milp_posts
from planner.curves.forms import marginal, response
from planner.optimize import optimize, prepare
from planner.optimize.newton import prices_newton, smooth_problem


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


def finite_slope_curves(n: int, seed: int = 3) -> pd.DataFrame:
    """Return ``n`` random log and logistic curves: concave with a finite slope at $0, where SLSQP converges.

    Hill curves with ``s < 1`` rise infinitely steeply at $0, and SLSQP stops on them ("Inequality
    constraints incompatible") with a worse plan; on these it runs to its own tolerance.

    Parameters
    ----------
    n : int
        The number of curves.
    seed : int, default 3
        Seed of the draws.

    Returns
    -------
    DataFrame
        As :func:`concave_curves`, with ``curve`` ``"log"`` or ``"logistic"`` and no ``s``.
    """
    df = concave_curves(n, seed)
    df["curve"] = np.random.default_rng(seed).choice(["log", "logistic"], n)
    df["s"] = np.nan
    return df


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


def _stepper(budget: float):
    """Budgets 1 % apart, one per call: each solve has a neighbour's price to start from, never its own."""
    count = itertools.count(1)
    return lambda: budget * (1.0 + 0.01 * (next(count) % 40))


def instance_row(label: str, curves: pd.DataFrame, budget: float, reps: int, memory: bool) -> dict:
    """Time the planner three ways (solve, optimize, limit) on one instance; return its row.

    Parameters
    ----------
    label : str
        The instance's name in the table.
    curves : DataFrame
        The curve table.
    budget : float
        The budget in dollars.
    reps : int
        Timed repeats (the median is kept).
    memory : bool
        Whether to measure the solve's peak allocation (tracemalloc slows the solve it watches).

    Returns
    -------
    dict
        ``instance, rows, solve_ms, optimize_ms, planner_objective, proven_gap`` and, where the problem
        is smooth, ``limit_ms``; ``peak_MB`` when ``memory``.
    """
    plans = prepare(curves)
    nxt = _stepper(budget)
    t_solve, alloc = _time(lambda: _with_table(plans.solve(nxt())), reps)
    t_opt, fresh = _time(lambda: optimize(curves, budget), max(1, reps // 2))
    row = {"instance": label, "rows": len(curves), "solve_ms": t_solve * 1e3, "optimize_ms": t_opt * 1e3,
           "planner_objective": fresh.total_response, "proven_gap": fresh.gap / max(fresh.total_response, 1.0)}
    prob = plans.problem(budget)
    if smooth_problem(prob):
        near = plans.solve(budget * 1.01).budget_value
        base = plans.base
        t_lim, _ = _time(lambda: prices_newton(base.ent, prob.lo, prob.hi[None, :], base.c0 - base.bonus, base.w,
                                               np.array([prob.budget]), np.array([near])), reps)
        row["limit_ms"] = t_lim * 1e3
    if memory:
        tracemalloc.start()
        _with_table(plans.solve(budget * 1.005))
        row["peak_MB"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return row


def _with_table(alloc):
    alloc.table  # noqa: B018 - the table is made when first read: the timing includes it
    return alloc


def baseline_row(row: dict, curves: pd.DataFrame, budget: float, slsqp_max: int) -> dict:
    """Return ``row`` with the baseline's columns: HiGHS for whole posts, SLSQP up to ``slsqp_max`` rows.

    Parameters
    ----------
    row : dict
        The planner's row (:func:`instance_row`).
    curves : DataFrame
        The same curve table.
    budget : float
        The same budget.
    slsqp_max : int
        The most rows SLSQP is run on.

    Returns
    -------
    dict
        ``row`` with ``baseline, baseline_status`` and, when run, ``baseline_ms, baseline_objective``.
    """
    if "unit_cost" in curves:  # SLSQP has no whole units: HiGHS on the integer-posts model
        t_s, (obj, gap, msg) = _time(lambda: milp_posts(curves, budget), 1)
        return row | {"baseline": "HiGHS MILP", "baseline_ms": t_s * 1e3, "baseline_objective": obj,
                      "baseline_status": f"gap {gap:.1e}; {msg[:28]}"}
    if len(curves) <= slsqp_max:
        t_s, (obj, ok, msg) = _time(lambda: slsqp(curves, budget), 1)
        return row | {"baseline": "SLSQP", "baseline_ms": t_s * 1e3, "baseline_objective": obj,
                      "baseline_status": "ok" if ok else str(msg)[:40]}
    return row | {"baseline": "SLSQP", "baseline_status": f"not run (n > {slsqp_max:,})"}


def frontier_row(n: int, slsqp_max: int, reps: int) -> dict:
    """Time a frontier of 50 budgets on ``n`` concave rows (prepared once, as the app does) beside 50 SLSQP runs.

    Parameters
    ----------
    n : int
        Rows.
    slsqp_max : int
        The most rows SLSQP is run on.
    reps : int
        Timed repeats of the frontier.

    Returns
    -------
    dict
        A row of the table.
    """
    curves = concave_curves(n)
    plans = prepare(curves)
    budgets = np.linspace(1e3 * n, 1e4 * n, 50)
    plans.frontier(budgets)  # the prices of these budgets are known from here on, as in the app
    shift = itertools.count(1)
    t_p, f = _time(lambda: plans.frontier(budgets * (1.0 + 0.001 * next(shift))), reps)
    row = {"instance": f"frontier of 50 budgets n={n:,}", "rows": n, "solve_ms": t_p * 1e3,
           "planner_objective": f["response"].sum(), "baseline": "SLSQP x 50"}
    if n <= slsqp_max:
        t_s, objs = _time(lambda: [slsqp(curves, b) for b in budgets], 1)
        fails = sum(not ok for _, ok, _ in objs)
        row |= {"baseline_ms": t_s * 1e3, "baseline_objective": sum(o for o, _, _ in objs),
                "baseline_status": f"{fails} of 50 failed"}
    else:
        row["baseline_status"] = f"not run (n > {slsqp_max:,})"
    return row


def run(quick: bool = False, slsqp_max: int = 1000) -> pd.DataFrame:
    """Time the planner, its limit and its baseline on every instance; return one row per instance (the table).

    Parameters
    ----------
    quick : bool, default False
        Smaller instances (up to 10,000 concave rows, 500 whole-post rows).
    slsqp_max : int, default 1000
        The largest number of rows SLSQP is run on.

    Returns
    -------
    DataFrame
        ``instance, rows, solve_ms, optimize_ms, limit_ms, x_limit, baseline, baseline_ms, speed-up,
        speed-up_fresh, planner_objective, baseline_objective, objective_vs_baseline, proven_gap,
        baseline_status, peak_MB``.
    """
    sizes = [100, 1_000, 10_000] if quick else [100, 1_000, 10_000, 100_000]
    cases = [(f"concave n={n:,}", concave_curves(n), 5e3 * n) for n in sizes]
    # SLSQP converges on these, at its own pace (about 13 s at 300 rows on a quiet core)
    cases += [(f"log+logistic n={n:,}", finite_slope_curves(n), 5e3 * n) for n in ([100] if quick else [100, 300])]
    cases.append((f"S-shaped n={1000:,}", s_curves(1000), 5e3 * 1000))
    n_posts = 500 if quick else 5000
    cases.append((f"whole posts n={n_posts:,}", post_curves(n_posts), 900.0 * n_posts))
    rows = []
    for label, curves, budget in cases:
        n = len(curves)
        reps = 21 if n <= 1_000 else (7 if n <= 10_000 else 3)
        rows.append(baseline_row(instance_row(label, curves, budget, reps, memory=n >= 10_000), curves, budget,
                              slsqp_max))
    rows.append(frontier_row(100, slsqp_max, 21))
    rows.append(frontier_row(10_000, slsqp_max, 5))
    rows += bounded_rows(3 if quick else 7)
    df = pd.DataFrame(rows)
    for col in ("optimize_ms", "limit_ms", "baseline_ms", "baseline_objective", "peak_MB"):
        if col not in df:
            df[col] = np.nan
    df["x_limit"] = df["solve_ms"] / df["limit_ms"]
    df["speed-up"] = df["baseline_ms"] / df["solve_ms"]
    df["speed-up_fresh"] = df["baseline_ms"] / df["optimize_ms"]
    df["objective_vs_baseline"] = df["planner_objective"] / df["baseline_objective"] - 1
    order = ["instance", "solve_ms", "optimize_ms", "limit_ms", "x_limit", "baseline", "baseline_ms", "speed-up",
             "speed-up_fresh", "objective_vs_baseline", "proven_gap", "peak_MB", "baseline_status"]
    return df[order]


def machine_line(own: float = 0.0) -> str:
    """Return one line on the machine: load average, cores, BLAS threads, and whether it is quiet enough to quote.

    Parameters
    ----------
    own : float, default 0.0
        The load this benchmark itself adds (1.0 once it has run a minute on one core).

    Returns
    -------
    str
        Quiet when the last minute's load, less ``own``, is under a quarter of the cores.
    """
    load = os.getloadavg()
    cores = os.cpu_count() or 1
    quiet = load[0] - own < 0.25 * cores
    return (f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {cores} cores; "
            f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}; "
            + ("quiet: figures fit to quote" if quiet else "BUSY: do not quote these figures"))


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
    p.add_argument("--machine", action="store_true", help="print the machine line (load, BLAS threads) and stop")
    p.add_argument("--flighting", action="store_true", help="plans over time (52 weeks) beside SLSQP, instead")
    args = p.parse_args(argv)
    print("before:", machine_line())
    if args.machine:
        return 0
    if args.flighting:
        from planner.bench.flighting import print_flighting
        print_flighting(args.quick)
        print("after: ", machine_line(own=1.0))
        return 0
    df = run(args.quick, args.slsqp_max)

    def num(fmt):
        return lambda v: "—" if not np.isfinite(v) else fmt.format(v)

    fmt = {"solve_ms": num("{:,.2f}"), "optimize_ms": num("{:,.1f}"), "limit_ms": num("{:,.2f}"),
           "x_limit": num("{:,.1f}x"), "baseline_ms": num("{:,.1f}"), "speed-up": num("{:,.0f}x"),
           "speed-up_fresh": num("{:,.0f}x"), "objective_vs_baseline": num("{:+.4%}"), "proven_gap": num("{:.1e}"),
           "peak_MB": num("{:,.0f}")}
    print(df.fillna({"baseline": "", "baseline_status": ""}).to_string(index=False, formatters=fmt))
    print("after: ", machine_line(own=1.0))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
