"""Amounts on the command line are in the data's currency: read from the file, kept in the curve table,
chosen with --currency."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
EUR_EXPORT = ROOT / "sample_data" / "meta_ads_export_eur.csv"


@pytest.fixture(scope="module")
def eur_curves(tmp_path_factory):
    from planner.cli.main import main

    out = tmp_path_factory.mktemp("eur") / "curves.csv"
    assert main(["fit", str(EUR_EXPORT), "--out", str(out), "--bootstrap", "5"]) == 0
    return out


def test_inspect_says_the_currency_and_where_it_was_read(cli):
    run = cli("inspect", str(EUR_EXPORT))
    assert run.returncode == 0
    assert 'Amounts in euros (EUR), as column "Amount spent (EUR)" says.' in run.stdout
    assert "€" in run.stdout and "$" not in run.stdout


def test_inspect_json_carries_the_code(cli):
    import json

    run = cli("inspect", str(EUR_EXPORT), "--json")
    assert json.loads(run.stdout)["currency"] == "EUR"


def test_the_curve_table_keeps_the_currency_and_optimize_writes_in_it(cli, eur_curves):
    assert set(pd.read_csv(eur_curves)["currency"]) == {"EUR"}
    run = cli("optimize", "--curves", str(eur_curves), "--budget", "20000")
    assert run.returncode == 0
    assert "Budget €20,000: spend €20,000" in run.stdout
    assert "per €1" in run.stdout and "$" not in run.stdout


def test_currency_option_overrides_and_leaves_nothing_behind(cli, eur_curves):
    run = cli("frontier", "--curves", str(eur_curves), "--budgets", "10000:20000:2", "--currency", "GBP")
    assert run.returncode == 0 and "£20,000" in run.stdout and "€" not in run.stdout
    after = cli("optimize", "--curves", str(eur_curves), "--budget", "20000")
    assert "€20,000" in after.stdout  # the option held for its own command only


def test_an_unknown_currency_is_a_sentence(cli, eur_curves):
    run = cli("optimize", "--curves", str(eur_curves), "--budget", "100", "--currency", "XYZ")
    assert run.returncode == 1
    assert "'XYZ' is not a currency the planner knows" in run.stderr


def test_workbook_and_report_in_the_data_currency(cli, eur_curves, tmp_path):
    plan = tmp_path / "plan.xlsx"
    assert cli("optimize", "--curves", str(eur_curves), "--budget", "20000", "--out", str(plan)).returncode == 0
    wb = openpyxl.load_workbook(plan)
    assert "Amounts in EUR" in str(wb["Summary"]["A2"].value)
    assert "€" in wb["Allocation"]["C2"].number_format
    html = tmp_path / "r.html"
    assert cli("report", "--curves", str(eur_curves), "--plan", str(plan), "--out", str(html)).returncode == 0
    text = html.read_text(encoding="utf-8")
    assert "Return per €1" in text and "€20,000" in text


def test_fit_with_currency_writes_it_into_a_table_whose_data_says_none(cli, tmp_path):
    data = tmp_path / "ads.csv"
    data.write_text("Date,Network,Spend,Revenue\n" + "".join(
        f"2026-0{1 + i // 28}-{1 + i % 28:02d},Instagram,{100 + 7 * i},{300 + 15 * i}\n" for i in range(56)))
    out = tmp_path / "c.csv"
    run = cli("fit", str(data), "--out", str(out), "--bootstrap", "3", "--currency", "chf")
    assert run.returncode == 0, run.stderr
    assert set(pd.read_csv(out)["currency"]) == {"CHF"}
    assert "CHF " in cli("optimize", "--curves", str(out), "--budget", "5000").stdout
