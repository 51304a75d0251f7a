"""planner.bench.plan_values: a long plan written as .xlsx and .csv, valued by the CLI (timings printed, not asserted)."""

from __future__ import annotations

import pandas as pd

from planner.bench.plan_values import main, measure, write_plan
from planner.data.plans import read_plan
from planner.fit.saved import SAMPLE_FIT


def test_the_two_files_hold_the_same_plan(tmp_path):
    curves = pd.read_parquet(SAMPLE_FIT)
    got = write_plan(tmp_path, 500, curves, seed=3)
    xlsx, csv = read_plan(got["xlsx"]), read_plan(got["csv"])
    pd.testing.assert_frame_equal(xlsx.reset_index(drop=True), csv.reset_index(drop=True))
    assert abs(xlsx["spend"].sum() - got["spend"]) < 0.01
    assert set(xlsx["name"]) <= set(curves["name"])  # every line is an entity of the curve table


def test_measure_values_both_files_and_reads_the_baseline(tmp_path):
    rows = measure(300, keep=tmp_path)
    assert [r.what for r in rows] == ["evaluate .xlsx", "evaluate .csv", "openpyxl read .xlsx (baseline)"]
    for r in rows[:2]:
        assert abs(r.spend - r.spend_written) < 0.01 and r.peak_mb > 0 and r.seconds > 0


def test_main_prints_the_table(capsys):
    assert main(["--rows", "200", "--no-baseline"]) == 0
    out = capsys.readouterr().out
    assert "evaluate .xlsx" in out and "as written" in out and "under 10 s" in out
