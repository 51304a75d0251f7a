"""The command line reads a tracker of fees with the shop's promo-code report beside it."""

from __future__ import annotations

import json

import pandas as pd

from tests.data.test_code_sales import tracker_and_report


def test_fit_finds_the_report_among_its_files_and_fits_every_creator(cli, tmp_path):
    tracker, report, _ = tracker_and_report(tmp_path)
    out = tmp_path / "curves.csv"
    run = cli("fit", tracker, report, "--bootstrap", "0", "--out", out)
    assert run.returncode == 0, run.stderr
    curves = pd.read_csv(out)
    assert len(curves) == 60 and curves["beta"].gt(0).all()


def test_inspect_reads_a_tracker_with_codes_and_says_what_a_report_alone_is(cli, tmp_path):
    tracker, report, _ = tracker_and_report(tmp_path)
    alone = cli("inspect", report)
    assert alone.returncode == 0
    assert alone.stdout.startswith("sales_by_discount.csv: A promo-code report: 60 codes,")
    assert f"`inspect TRACKER --codes {report.name}`" in alone.stdout
    shown = json.loads(cli("inspect", report, "--json").stdout)
    assert shown["kind"] == "promo-code report" and shown["codes"] == 60 and shown["first"] == "2024-01-02"
    waiting = cli("inspect", tracker)  # without its report: what to load, not "a spend plan"
    assert waiting.returncode == 1 and "load that report together with this file" in waiting.stdout
    joined = json.loads(cli("inspect", tracker, "--codes", report, "--json").stdout)
    assert joined["rows"] == 286 and not joined["errors"] and joined["code_reports"] == ["sales_by_discount.csv"]
    refused = cli("fit", report, "--out", tmp_path / "c.csv")
    assert refused.returncode != 0 and "give the creators' tracker with it" in refused.stderr
    not_a_report = cli("inspect", tracker, "--codes", tracker)
    assert not_a_report.returncode != 0 and "is not a promo-code report" in not_a_report.stderr
