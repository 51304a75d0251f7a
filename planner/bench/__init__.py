"""Benchmarks, printed as tables beside a baseline in the same run.

``python -m planner.bench`` (the optimizer beside SciPy SLSQP and HiGHS), ``python -m planner.bench.fit``
(fitted curves against the truth) and ``python -m planner.bench.imports`` (a 1,000,000-row import).
"""
