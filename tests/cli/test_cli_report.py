"""``python -m planner report``: the one-page report of a plan, as HTML or PDF (contract 2)."""

from __future__ import annotations

import re

from tests.cli.cli_run import SAMPLE, run_cli

CURVES = SAMPLE / "true_curves.csv"
PLAN = SAMPLE / "finance_plan.xlsx"


def test_report_html_of_finance_plan(capsys, tmp_path):
    out = tmp_path / "plan.html"
    run = run_cli(capsys, "report", "--curves", CURVES, "--plan", PLAN, "--out", out)
    assert run.returncode == 0, run.stderr
    evaluate = run_cli(capsys, "evaluate", "--curves", CURVES, "--plan", PLAN)
    # the report's headline carries the same figures as evaluate prints
    spend, revenue = re.search(r"Plan: spend (\$[\d,]+), expected revenue (\$[\d,]+)", evaluate.stdout).groups()
    text = out.read_text(encoding="utf-8")
    assert f"The plan spends {spend} and is expected to return {revenue}" in text
    assert "Budget plan: finance_plan.xlsx" in text and text.count("<svg") == 2
    assert f"to {out}" in run.stdout


def test_report_pdf(capsys, tmp_path):
    out = tmp_path / "plan.pdf"
    run = run_cli(capsys, "report", "--curves", CURVES, "--plan", PLAN, "--out", out, "--title", "Q1 plan")
    assert run.returncode == 0, run.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1


def test_report_refuses_other_files_with_a_sentence(capsys, tmp_path):
    run = run_cli(capsys, "report", "--curves", CURVES, "--plan", PLAN, "--out", tmp_path / "plan.docx")
    assert run.returncode == 1 and "written as .html or .pdf, not .docx" in run.stderr
    assert "Traceback" not in run.stderr
    run = run_cli(capsys, "report", "--curves", CURVES, "--plan", tmp_path / "missing.xlsx", "--out",
                  tmp_path / "r.html")
    assert run.returncode == 1 and "does not exist" in run.stderr
    assert not (tmp_path / "r.html").exists()
