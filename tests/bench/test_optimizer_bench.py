"""The optimizer benchmark: every figure it prints is measured on the planner, its limit and a baseline alike.

No timing is asserted here (tests never race the clock): only that each column is measured and
the comparisons are made on the same problem.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from planner.bench.optimizer import baseline_row, concave_curves, frontier_row, instance_row, machine_line, post_curves


def test_an_instance_row_times_the_prepared_solve_the_fresh_optimize_and_the_limit():
    curves = concave_curves(30)
    row = baseline_row(instance_row("concave n=30", curves, 1.5e5, reps=1, memory=True), curves, 1.5e5, 1000)
    for col in ("solve_ms", "optimize_ms", "limit_ms", "baseline_ms", "peak_MB"):
        assert np.isfinite(row[col]) and row[col] > 0, col
    assert row["baseline"] == "SLSQP" and row["proven_gap"] <= 1e-6
    assert row["planner_objective"] >= row["baseline_objective"] * (1 - 1e-9)  # never worse than SLSQP


def test_whole_posts_are_compared_with_highs_and_have_no_newton_limit():
    curves = post_curves(20)
    row = baseline_row(instance_row("posts", curves, 900.0 * 20, reps=1, memory=False), curves, 900.0 * 20, 1000)
    assert row["baseline"] == "HiGHS MILP" and "limit_ms" not in row
    assert row["planner_objective"] >= row["baseline_objective"] * (1 - 1e-6)


def test_the_frontier_row_solves_fifty_budgets_and_their_slsqp_baseline():
    row = frontier_row(20, 1000, 1)
    assert row["baseline"] == "SLSQP x 50" and row["baseline_status"].endswith("of 50 failed")
    assert row["planner_objective"] >= row["baseline_objective"] * (1 - 1e-9)


def test_the_machine_line_says_whether_the_figures_may_be_quoted():
    line = machine_line()
    assert line.startswith("load average") and ("quiet" in line or "BUSY" in line)


def test_python_m_planner_bench_pins_one_blas_thread_before_numpy_loads():
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    code = ("import runpy, sys; sys.argv = ['planner.bench', '--machine']\n"
            "try:\n    runpy.run_module('planner.bench', run_name='__main__')\nexcept SystemExit:\n    pass\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    assert out.returncode == 0, out.stderr
    assert "OPENBLAS_NUM_THREADS=1;" in out.stdout
