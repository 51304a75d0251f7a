"""The command line as a user runs it: real files, exit codes and messages.

The commands run in this process (``planner.cli.main.main``); one test runs ``python -m
planner`` in a real process, end to end.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.cli.cli_run import ROOT, SAMPLE, fit_once


@pytest.fixture(scope="module")
def curves(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "curves.csv"
    fit_once(SAMPLE / "creator_campaigns.xlsx", SAMPLE / "weekly_paid_media.xlsx", "--out", out, "--bootstrap", "20")
    return out


@pytest.mark.parametrize("command", ["inspect", "fit", "optimize", "frontier", "evaluate"])
def test_help_explains_every_command(cli, command):
    r = cli(command, "--help")
    assert r.returncode == 0
    assert "usage: python -m planner " + command in r.stdout
    assert r.stdout.count("--") >= 2


def test_inspect_json_on_campaigns(cli):
    r = cli("inspect", SAMPLE / "creator_campaigns.xlsx", "--json")
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["kind"] == "attributed"
    assert set(info["networks"]) == {"Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"}
    for key in ("rows", "periods", "spend_by_network", "outcome_totals", "errors", "warnings"):
        assert key in info
    raw = pd.read_excel(SAMPLE / "creator_campaigns.xlsx", sheet_name="Campaigns", header=2, engine="openpyxl")
    raw = raw[raw["Date"].astype(str) != "Total"]
    assert sum(info["spend_by_network"].values()) == pytest.approx(raw["Fee paid"].sum())


def test_inspect_weekly_is_total_kind(cli):
    info = json.loads(cli("inspect", SAMPLE / "weekly_paid_media.xlsx", "--json").stdout)
    assert info["kind"] == "total" and info["periods"] == 156


def test_inspect_reports_errors_with_exit_1(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Network,Creator,Fee paid,Promo-code revenue\n2025-01-06,TikTok,@a,-50,100\n"
                   "2025-01-13,TikTok,@a,abc,100\n")
    r = cli("inspect", bad, "--json")
    info = json.loads(r.stdout)
    assert r.returncode == 1
    assert info["errors"] and all({"sheet", "row", "column", "message"} <= set(e) for e in info["errors"])
    assert "Traceback" not in r.stderr


def test_optimize_writes_exact_allocation(cli, curves, tmp_path):
    out = tmp_path / "alloc.csv"
    r = cli("optimize", "--curves", curves, "--budget", "$250,000", "--out", out)
    assert r.returncode == 0, r.stderr
    a = pd.read_csv(out)
    assert {"name", "network", "spend", "response"} <= set(a.columns)
    assert round(a["spend"].sum(), 2) <= 250_000
    assert a["spend"].sum() == pytest.approx(250_000, abs=0.01)
    assert (a["spend"] * 100 - (a["spend"] * 100).round()).abs().max() < 1e-6
    band = re.search(r"Expected revenue, 80% interval: \$([\d,]*\d) to \$([\d,]*\d), median \$([\d,]*\d), "
                     r"mean \$([\d,]*\d)\. The mean allows \$([\d,]*\d) for the optimizer's curse", r.stdout)
    assert band, r.stdout
    p10, p90, p50, mean, allowance = (float(g.replace(",", "")) for g in band.groups())
    assert p10 < p50 < mean < p90
    assert allowance > 0


def test_optimize_workbook_reads_back_to_the_cent(cli, curves, tmp_path):
    xlsx = tmp_path / "plan.xlsx"
    assert cli("optimize", "--curves", curves, "--budget", "180000", "--out", xlsx).returncode == 0
    assert "Summary" in load_workbook(xlsx).sheetnames
    csv = tmp_path / "plan.csv"
    cli("optimize", "--curves", curves, "--budget", "180000", "--out", csv)
    ev = json.loads(cli("evaluate", "--curves", curves, "--plan", xlsx, "--json").stdout)
    want = pd.read_csv(csv).set_index("name")["spend"]
    got = pd.DataFrame(ev["rows"]).set_index("name")["spend"]
    assert ev["total_spend"] == pytest.approx(want.sum(), abs=0.005)
    assert (got.reindex(want.index) - want).abs().max() < 0.005


def test_network_bounds_and_infeasible_message(cli, curves, tmp_path):
    nb = tmp_path / "nb.csv"
    nb.write_text("network,min_spend,max_spend\nInstagram,60000,\nTikTok,,15000\n")
    out = tmp_path / "a.csv"
    assert cli("optimize", "--curves", curves, "--budget", "200000", "--network-bounds", nb, "--out", out).returncode == 0
    by_net = pd.read_csv(out).groupby("network")["spend"].sum()
    assert by_net["Instagram"] >= 60000 - 1e-6 and by_net["TikTok"] <= 15000 + 1e-6
    r = cli("optimize", "--curves", curves, "--budget", "1000", "--network-bounds", nb)
    assert r.returncode == 1
    assert r.stderr.strip() == "Error: The network minimums add up to $60,000 but the budget is $1,000."


def test_frontier_is_monotone(cli, curves, tmp_path):
    out = tmp_path / "f.csv"
    r = cli("frontier", "--curves", curves, "--budgets", "50000:400000:6", "--out", out)
    assert r.returncode == 0, r.stderr
    f = pd.read_csv(out)
    assert len(f) == 6 and f["response"].is_monotonic_increasing


def test_evaluate_finance_plan(cli, curves):
    r = cli("evaluate", "--curves", curves, "--plan", SAMPLE / "finance_plan.xlsx", "--json")
    assert r.returncode == 0, r.stderr
    ev = json.loads(r.stdout)
    assert ev["total_spend"] == pytest.approx(250_000, abs=0.01)
    assert ev["optimum_response"] >= ev["total_response"]


@pytest.mark.parametrize("args,needle", [
    (["optimize", "--curves", "missing.csv", "--budget", "1"], "does not exist"),
    (["optimize", "--curves", SAMPLE / "true_curves.csv", "--budget", "lots"], "not an amount of money"),
    (["frontier", "--curves", SAMPLE / "true_curves.csv", "--budgets", "1:2"], "LO:HI:N"),
    (["inspect", SAMPLE / "true_curves.csv", "--map", "nonsense"], "SOURCE COLUMN=FIELD"),
])
def test_user_mistakes_are_one_sentence(cli, args, needle):
    r = cli(*args)
    assert r.returncode == 1
    assert needle in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_inspect_recognises_a_finance_plan(cli):
    info = json.loads(cli("inspect", SAMPLE / "finance_plan.xlsx", "--json").stdout)
    assert info["kind"] == "plan"
    assert sum(info["spend_by_network"].values()) == pytest.approx(250_000)


@pytest.mark.parametrize("objective,target,check", [
    ("target", "1000000", lambda a: a["response"].sum() >= 1_000_000),
    ("roas", "5", lambda a: a["response"].sum() / a["spend"].sum() >= 5),
])
def test_target_objectives(cli, tmp_path, objective, target, check):
    out = tmp_path / "a.csv"
    r = cli("optimize", "--curves", SAMPLE / "true_curves.csv", "--budget", "400000", "--objective", objective,
            "--target", target, "--out", out)
    assert r.returncode == 0, r.stderr
    a = pd.read_csv(out)
    assert check(a) and a["spend"].sum() <= 400_000


def test_share_range_and_risk_options(cli, tmp_path):
    out = tmp_path / "a.csv"
    r = cli("optimize", "--curves", SAMPLE / "true_curves.csv", "--budget", "200000", "--max-share", "0.3",
            "--spend-range", "0.5:2", "--out", out)
    assert r.returncode == 0, r.stderr
    a = pd.read_csv(out)
    assert a.groupby("network")["spend"].sum().max() <= 60_000 + 1e-6
    cur = a["current_spend"]
    m = cur.notna()
    assert (a.loc[m, "spend"] <= 2 * cur[m] + 1e-6).all()
    r = cli("optimize", "--curves", SAMPLE / "true_curves.csv", "--budget", "1000", "--spend-range", "x")
    assert r.returncode == 1 and "LOW:HIGH" in r.stderr


def test_optimize_with_a_most_number_of_creators(cli, tmp_path):
    out = tmp_path / "a.csv"
    r = cli("optimize", "--curves", SAMPLE / "true_curves.csv", "--budget", "250000", "--max-creators", "12",
            "--out", out)
    assert r.returncode == 0, r.stderr
    assert "Creators hired: 12 (at most 12)." in r.stdout and "Proven optimal." in r.stdout
    a = pd.read_csv(out)
    assert ((a["spend"] > 0) & a["name"].str.contains("/")).sum() <= 12
    r = cli("optimize", "--curves", SAMPLE / "true_curves.csv", "--budget", "250000", "--max-creators", "-1")
    assert r.returncode == 1 and "zero or more" in r.stderr and "Traceback" not in r.stderr


def test_python_m_planner_runs_end_to_end(tmp_path):
    """``python -m planner`` in a real process: a plan written with exit 0, a mistake in one line with exit 1."""
    def run(*args):
        return subprocess.run([sys.executable, "-m", "planner", *map(str, args)], capture_output=True, text=True,
                              cwd=ROOT, timeout=300)

    out = tmp_path / "plan.csv"
    r = run("optimize", "--curves", SAMPLE / "true_curves.csv", "--budget", "$250,000", "--out", out)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Budget $250,000: spend $250,000") and r.stderr == ""
    assert pd.read_csv(out)["spend"].sum() == pytest.approx(250_000, abs=0.01)
    r = run("optimize", "--curves", "missing.csv", "--budget", "1")
    assert r.returncode == 1
    assert r.stderr.startswith("Error: ") and "does not exist" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and r.stdout == ""
    r = run("optimize", "--curves", SAMPLE / "true_curves.csv")  # argparse: a required option is missing
    assert r.returncode == 2 and "--budget" in r.stderr


def test_a_cautious_plan_raises_the_p10_of_the_total_and_is_valued_on_the_expected_curves(cli, tmp_path):
    """--risk p10 keeps, of the plans that discount uncertain curves, the one whose total has the highest P10; the
    figures printed and written are on the expected curves, beside the usual plan's."""
    import re

    curves = tmp_path / "fit.csv"
    pd.read_parquet(SAMPLE / "sample_fit.parquet").to_csv(curves, index=False)
    out = tmp_path / "cautious.csv"
    r = cli("optimize", "--curves", curves, "--budget", "250000", "--risk", "p10", "--out", out)
    assert r.returncode == 0, r.stderr
    amount = r"\$([\d,]+)"
    said = re.search(rf"discounts them by [\d.]+ spreads: P10 {amount} against {amount} for the usual plan, mean "
                     rf"{amount} against {amount}; on the curves as fitted it expects {amount} against {amount}\.",
                     r.stdout)
    assert said, r.stdout
    p10, usual_p10, mean, usual_mean, expected, usual = (float(g.replace(",", "")) for g in said.groups())
    assert p10 > usual_p10  # it does what it is named for
    assert expected <= usual  # the usual plan is the best on the curves as fitted
    assert f"expected revenue ${expected:,.0f}" in r.stdout
    shown_p10 = float(re.search(rf"80% interval: {amount} to", r.stdout).group(1).replace(",", ""))
    assert shown_p10 == p10
    written = pd.read_csv(out)
    assert written["response"].sum() == pytest.approx(expected, abs=1)
    assert "locked" not in set(written["binding"])  # the rows' own bounds, not the pins it was valued with
