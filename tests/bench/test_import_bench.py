"""planner.bench.imports: the benchmark's export and its checks (timings are printed, not asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.bench.imports import BenchResult, main, measure, table, write_export  # noqa: E402


def test_export_looks_like_an_ad_platform_report(tmp_path):
    path = tmp_path / "x.csv"
    truth = write_export(path, 1_000, seed=1, days=50)
    lines = path.read_text().splitlines()
    assert lines[0] == "Ad performance report" and lines[1].startswith('"Jan 01, 2023 - ')
    assert lines[2] == ("Day,Platform,Campaign name,Creator,Amount spent (USD),Impressions,Link clicks,Purchases,"
                        "Purchases conversion value")
    assert lines[-1].startswith("Total,") and len(lines) == 1_000 + 4
    body = pd.read_csv(path, skiprows=2, skipfooter=1, engine="python", thousands=",")
    assert len(body) == 1_000 and body["Amount spent (USD)"].sum() == truth["spend"]
    assert body.groupby(["Day", "Platform", "Creator"], dropna=False).size().max() == 1  # date x network x creator
    assert set(body["Platform"]) == {"Instagram", "TikTok", "YouTube", "Facebook", "Pinterest", "X"}


def test_measure_imports_in_a_fresh_process_and_checks_totals(tmp_path):
    path = tmp_path / "x.csv"
    truth = write_export(path, 2_000, seed=2)
    res = measure(path, truth)
    assert res.ok and res.imported == 2_000 and res.skipped == 1 and res.seconds > 0 and res.peak_mb > 10
    wrong = measure(path, {**truth, "spend": truth["spend"] + 10})
    assert not wrong.ok
    text = table([res, wrong])
    assert "rows" in text.splitlines()[0] and " ok " in text and "WRONG" in text


def test_main_prints_the_table(tmp_path, capsys):
    assert main(["--rows", "1500", "--keep", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "ad_export_1500.csv").exists()
    assert "     1,500 " in out and "Goal: under 10 s and under 2 GB" in out
    assert BenchResult(1, 0.1, 0.1, 0.1, 1.0, 1, 0, True, True).ok
