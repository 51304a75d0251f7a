"""`optimize --horizon START:END --period week|month` and `evaluate` of a plan over time, from the command line:
the contract's columns in CSV and XLSX, the budget obeyed to a cent, the plan read back to the cent, and every
mistake a sentence with exit status 1."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.flighting import Horizon, plan_flighting
from planner.report.workbook import allocation_csv

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CURVES = ROOT / "sample_data" / "true_curves.csv"
CONTRACT = ["name", "network", "period", "spend", "response"]


def small_curves(decay=True) -> pd.DataFrame:
    df = pd.DataFrame({
        "name": ["Instagram", "Instagram/@maya.bakes", "TikTok", "TikTok/@lena.bakes", "Pinterest"],
        "network": ["Instagram", "Instagram", "TikTok", "TikTok", "Pinterest"],
        "curve": ["hill", "log", "logistic", "hill", "log"],
        "beta": [60_000.0, 9_000.0, 40_000.0, 15_000.0, 12_000.0],
        "k": [20_000.0, 1_500.0, 9_000.0, 2_500.0, 4_000.0],
        "s": [1.6, np.nan, np.nan, 0.9, np.nan],
        "max_spend": [np.nan, 12_000.0, np.nan, 9_000.0, np.nan],
        "current_spend": [25_000.0, 2_000.0, 8_000.0, 1_500.0, 4_000.0],
    })
    if decay:
        df["decay"] = [0.5, 0.0, 0.3, 0.0, 0.2]
    return df


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("horizon") / "curves.csv"
    small_curves().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory) -> Path:
    """The sample curve table with weekly carry-over on its paid media."""
    c = pd.read_csv(SAMPLE_CURVES)
    decay = {"Instagram": 0.5, "TikTok": 0.3, "YouTube": 0.6, "Pinterest": 0.2, "Facebook": 0.4, "X": 0.1}
    c["decay"] = np.where(c["name"] == c["network"], c["network"].map(decay), 0.0)
    path = tmp_path_factory.mktemp("sample") / "curves.csv"
    c.to_csv(path, index=False)
    return path


def evaluate_json(cli, curves, plan, *extra) -> dict:
    r = cli("evaluate", "--curves", curves, "--plan", plan, "--json", *extra)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_csv_has_the_contracts_columns_a_row_per_entity_and_month_and_reads_back(cli, curves_csv, tmp_path):
    out = tmp_path / "plan.csv"
    r = cli("optimize", "--curves", curves_csv, "--budget", "$90,000", "--horizon", "2027-01-01:2027-06-30",
            "--period", "month", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "2027-01-01 to 2027-06-30 in 6 months" in r.stdout
    assert "over an even plan" in r.stdout or "An even plan" in r.stdout
    assert "No plan of this budget can earn more than $" in r.stdout
    assert "of which carried over" in r.stdout and "Jun 2027" in r.stdout
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:5] == CONTRACT
    assert len(rows) == 5 * 6
    assert {(r["name"], r["period"]) for r in rows} == {
        (n, f"2027-{m:02d}-01") for n in small_curves()["name"] for m in range(1, 7)}
    spends = [float(r["spend"]) for r in rows]
    assert all(s >= 0 and round(s, 2) == s for s in spends)
    assert 90_000.0 - 0.01 <= sum(spends) <= 90_000.0 + 1e-6  # the budget is spent, never passed, to a cent
    written = sum(float(r["response"]) for r in rows)
    ev = evaluate_json(cli, curves_csv, out)
    assert ev["total_spend"] == pytest.approx(sum(spends), abs=0.005)
    assert ev["total_response"] == pytest.approx(written, abs=0.005)
    assert ev["best_response"] == pytest.approx(written, abs=0.005)  # the plan is the planner's best
    assert {"name", "period", "spend", "response"} <= set(ev["rows"][0])
    assert [p["period"] for p in ev["periods"]] == [f"2027-{m:02d}-01" for m in range(1, 7)]
    assert sum(p["spend"] for p in ev["periods"]) == pytest.approx(sum(spends), abs=0.005)
    # the same plan as the library makes it
    plan = plan_flighting(small_curves(), 90_000.0, Horizon(date(2027, 1, 1), date(2027, 6, 30), "month"))
    assert written == pytest.approx(plan.total_response, abs=0.005)


def test_xlsx_first_sheet_holds_the_contracts_columns_and_reads_back_to_the_cent(cli, sample_csv, tmp_path):
    out = tmp_path / "plan.xlsx"
    r = cli("optimize", "--curves", sample_csv, "--budget", "500000", "--horizon", "2027-01-01:2027-03-31",
            "--period", "week", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "(sheets Plan, By week and Summary)" in r.stdout
    assert load_workbook(out).sheetnames == ["Plan", "By week", "Summary"]
    df = pd.read_excel(out, sheet_name=0, engine="openpyxl")
    assert list(df.columns[:5]) == CONTRACT
    n = pd.read_csv(sample_csv)["name"].nunique()
    assert len(df) == n * 13
    assert df["period"].min() == "2027-01-01" and df["period"].max() == "2027-03-26"
    assert df["spend"].sum() <= 500_000.0 + 1e-6 and df["spend"].sum() >= 500_000.0 - 0.01
    ev = evaluate_json(cli, sample_csv, out)
    assert ev["horizon"] == {"start": "2027-01-01", "end": "2027-03-31", "period": "week", "periods": 13,
                             "label": "2027-01-01 to 2027-03-31 in 13 weeks"}
    assert ev["total_response"] == pytest.approx(df["response"].sum(), abs=0.005)
    assert ev["total_spend"] == pytest.approx(df["spend"].sum(), abs=0.005)
    text = cli("evaluate", "--curves", sample_csv, "--plan", out)
    assert text.returncode == 0, text.stderr
    assert "Plan over time: 2027-01-01 to 2027-03-31 in 13 weeks (read from plan.xlsx, sheet 'Plan')" in text.stdout
    assert "Best plan's spend" in text.stdout


def test_after_counts_what_carry_over_earns_beyond_the_horizon(cli, curves_csv, tmp_path):
    out = tmp_path / "after.csv"
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--horizon", "2027-01-01:2027-03-31",
            "--after", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "more after it from the carry-over the plan leaves" in r.stdout
    assert "After the horizon" in r.stdout
    plan = plan_flighting(small_curves(), 60_000.0, Horizon(date(2027, 1, 1), date(2027, 3, 31), "month"), after=True)
    ev = evaluate_json(cli, curves_csv, out, "--after")
    assert ev["after_response"] == pytest.approx(plan.after_response, abs=0.005)
    assert ev["total_response"] == pytest.approx(plan.total_response, abs=0.005)


def test_an_even_plan_file_is_compared_with_the_best_plan_in_money(cli, curves_csv, tmp_path):
    path = tmp_path / "even.csv"
    names = small_curves()["name"]
    rows = [(n, f"2027-{m:02d}-01", 3000.0) for n in names for m in (1, 2, 3)]
    pd.DataFrame(rows, columns=["name", "period", "spend"]).to_csv(path, index=False)
    r = cli("evaluate", "--curves", curves_csv, "--plan", path)
    assert r.returncode == 0, r.stderr
    assert "Plan: spend $45,000" in r.stdout
    assert "The best plan of the same spend over the same horizon is expected to return $" in r.stdout
    ev = evaluate_json(cli, curves_csv, path)
    assert ev["best_response"] >= ev["total_response"]
    assert ev["gap"] == pytest.approx(ev["best_response"] - ev["total_response"], abs=1e-6)


def test_period_without_horizon_is_a_sentence_and_exit_1(cli, curves_csv):
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--period", "week")
    assert r.returncode == 1
    assert r.stderr.startswith("Error: --period week needs --horizon START:END")
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.parametrize("horizon,words", [
    ("2027-13-01:2027-12-31", "'2027-13-01' is not a date; write it as YYYY-MM-DD"),
    ("2027-01-01", "must be two dates, START:END"),
    ("2027-06-01:2027-01-01", "ends (2027-01-01) before it starts (2027-06-01)"),
    ("2027-01-01:2031-01-01", "longer than three years"),
])
def test_a_bad_horizon_is_a_sentence_and_exit_1(cli, curves_csv, horizon, words):
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--horizon", horizon)
    assert r.returncode == 1
    assert words in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("extra,words", [
    (["--period", "fortnight"], "The period must be week or month, not 'fortnight'."),
    (["--network-bounds", "nb.csv"], "--network-bounds does not work with --horizon"),
    (["--objective", "profit"], "--objective profit does not work with --horizon"),
    (["--budget", "lots"], "The budget 'lots' is not an amount of money."),
])
def test_options_a_plan_over_time_cannot_take_are_refused_in_a_sentence(cli, curves_csv, extra, words):
    args = ["optimize", "--curves", curves_csv, "--horizon", "2027-01-01:2027-03-31"]
    if "--budget" not in extra:
        args += ["--budget", "60000"]
    r = cli(*args, *extra)
    assert r.returncode == 1
    assert words in r.stderr and "Traceback" not in r.stderr


def test_without_horizon_optimize_and_evaluate_are_the_one_period_commands(cli, curves_csv, tmp_path):
    out = tmp_path / "alloc.csv"
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--out", out)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Budget $60,000: spend $60,000")
    df = pd.read_csv(out)
    assert "period" not in df.columns and len(df) == 5
    ev = evaluate_json(cli, curves_csv, out)
    assert "optimum_response" in ev and "periods" not in ev
    assert ev["total_response"] == pytest.approx(df["response"].sum(), abs=0.005)
    r = cli("evaluate", "--curves", curves_csv, "--plan", out, "--after")
    assert r.returncode == 1 and "--after needs a plan over time" in r.stderr
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--after")
    assert r.returncode == 1 and "--after needs --horizon" in r.stderr


def test_a_one_period_plan_csv_written_by_the_library_still_evaluates_as_before(cli, curves_csv, tmp_path):
    from planner.optimize import optimize

    alloc = optimize(small_curves(decay=False), 50_000)
    path = tmp_path / "alloc.csv"
    path.write_bytes(allocation_csv(alloc))
    ev = evaluate_json(cli, curves_csv, path)
    assert ev["total_response"] == pytest.approx(alloc.total_response, abs=0.005)
    assert io.StringIO(cli("evaluate", "--curves", curves_csv, "--plan", path).stdout).readline().startswith(
        "Plan: spend $50,000")


def test_limits_are_kept_and_the_binding_ones_named(cli, curves_csv, tmp_path):
    limits = tmp_path / "limits.csv"
    limits.write_text("network,period,min_spend,max_spend\nInstagram,2027-02-01,,4000\n,Mar 2027,,12000\n"
                      "TikTok,,15000,\n")
    out = tmp_path / "plan.csv"
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--horizon", "2027-01-01:2027-03-31",
            "--period", "month", "--limits", limits, "--out", out)
    assert r.returncode == 0, r.stderr
    assert "The plan keeps 3 limits on the networks' paid media" in r.stdout
    plan = pd.read_csv(out)
    paid = plan[~plan["name"].str.contains("/")]
    assert paid.loc[(paid["name"] == "Instagram") & (paid["period"] == "2027-02-01"), "spend"].sum() <= 4000.0
    assert paid.loc[paid["period"] == "2027-03-01", "spend"].sum() <= 12000.0
    assert paid.loc[paid["name"] == "TikTok", "spend"].sum() >= 15000.0
    assert plan["spend"].sum() <= 60000.0


def test_limit_mistakes_are_sentences(cli, curves_csv, tmp_path):
    limits = tmp_path / "limits.csv"
    limits.write_text("network,period,min_spend,max_spend\nRadio,,,100\n")
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--horizon", "2027-01-01:2027-03-31",
            "--limits", limits)
    assert r.returncode == 1 and "limits.csv, row 2, column 'network': 'Radio' is not a network" in r.stderr
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--limits", limits)
    assert r.returncode == 1 and "--limits needs --horizon" in r.stderr
    limits.write_text("network,period,min_spend,max_spend\n,Jan 2027,50000,\n,Feb 2027,50000,\n")
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--horizon", "2027-01-01:2027-03-31",
            "--limits", limits)
    assert r.returncode == 1 and "The limits cannot all hold at once within the budget of $60,000" in r.stderr


def test_a_shortest_flight_is_kept_by_every_network_and_said(cli, sample_csv, tmp_path):
    from planner.flighting.runs import flights_ok
    out = tmp_path / "plan.csv"
    r = cli("optimize", "--curves", sample_csv, "--budget", "$300,000", "--horizon", "2027-01-04:2027-03-28",
            "--period", "week", "--min-flight", "3", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "Paid media with carry-over runs in flights of at least 3 weeks, with pauses of at least 3 weeks" in r.stdout
    assert "even with flights of any length" in r.stdout
    plan = pd.read_csv(out)
    paid = plan[plan["name"] == plan["network"]]
    on = paid.pivot_table(index="name", columns="period", values="spend", aggfunc="sum").to_numpy() > 0
    assert flights_ok(on, 3).all()
    assert plan["spend"].sum() <= 300_000 + 0.01


@pytest.mark.parametrize("extra,words", [
    (["--min-flight", "2"], "--min-flight needs --horizon START:END"),
    (["--horizon", "2027-01-04:2027-03-28", "--min-flight", "0"], "The shortest flight must be a whole number"),
])
def test_a_shortest_flight_without_horizon_or_below_one_is_a_sentence(cli, curves_csv, extra, words):
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", *extra)
    assert r.returncode == 1
    assert words in r.stderr and "Traceback" not in r.stderr


def test_a_roster_with_dates_reaches_the_plan_over_time_from_the_command_line(cli, tmp_path):
    """The sample's campaigns with dates on its roster: fit, then plan a quarter by month."""
    import openpyxl

    wb = openpyxl.load_workbook(ROOT / "sample_data" / "creator_campaigns.xlsx")
    ws = wb["Roster"]
    ws.cell(1, 6, "Available from")
    ws.cell(1, 7, "Available until")
    ws.cell(2, 6, "2027-02-01")  # the first creator: from February
    ws.cell(3, 7, "January 2027")  # the second: January only
    first, second = (f"{ws.cell(r, 2).value}/{ws.cell(r, 1).value}" for r in (2, 3))
    data = tmp_path / "campaigns.xlsx"
    wb.save(data)
    curves = tmp_path / "curves.csv"
    r = cli("fit", data, "--out", curves)
    assert r.returncode == 0, r.stderr
    fitted = pd.read_csv(curves, keep_default_na=False).set_index("name")
    assert fitted.loc[first, "available_from"] == "2027-02-01"
    assert fitted.loc[second, "available_until"] == "2027-01-31"
    plan_csv = tmp_path / "plan.csv"
    r = cli("optimize", "--curves", curves, "--budget", "$150,000", "--horizon", "2027-01-01:2027-03-31",
            "--period", "month", "--out", plan_csv)
    assert r.returncode == 0, r.stderr
    assert "By the roster's dates, 2 creators are available for part of the horizon" in r.stdout
    plan = pd.read_csv(plan_csv)
    by = plan.pivot_table(index="name", columns="period", values="spend", aggfunc="sum")
    assert by.loc[first, "2027-01-01"] == 0
    assert by.loc[second, ["2027-02-01", "2027-03-01"]].sum() == 0


def test_the_wave_reaches_a_plan_over_time_from_the_command_line(cli, tmp_path):
    """A weekly file whose media earn 40% more around April: fit, then plan a year by month."""
    from tests.fit.test_mmm import simulate

    ds, _ = simulate(1, wave=(0.4, 0.0))
    wide = ds.rows.pivot_table(index="date", columns="network", values="spend").add_suffix(" spend")
    wide["Total sales"] = ds.outcome.set_index("date")["outcome"]
    data = tmp_path / "weekly.csv"
    wide.reset_index(names="Week").to_csv(data, index=False)
    curves = tmp_path / "curves.csv"
    r = cli("fit", data, "--out", curves)
    assert r.returncode == 0, r.stderr
    fitted = pd.read_csv(curves)
    assert fitted["season_sin"].notna().all() and (fitted["season_sin"] > 0.2).all()
    out = tmp_path / "plan.csv"
    r = cli("optimize", "--curves", curves, "--budget", "$200,000", "--horizon", "2027-01-01:2027-12-31",
            "--period", "month", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "earning more per dollar in some seasons: up to " in r.stdout
    import re

    assert re.search(r"above an average week around (2[0-9]|3[01]) March|above an average week around \d+ April",
                     r.stdout)  # the truth's top: 2 April
    plan = pd.read_csv(out).groupby("period")["spend"].sum()
    assert plan["2027-04-01"] > 1.3 * plan["2027-10-01"]  # money goes to the season media earns most in


def test_creators_whose_campaigns_sell_more_in_the_holidays_are_worth_more_in_a_q4_plan(cli, tmp_path):
    from planner.bench.fit_sample import generator

    paths = generator().generate(tmp_path / "season", 9, creator_season=True)  # +30 % in mid-November
    curves = tmp_path / "curves.csv"
    fitted = cli("fit", paths["creator_campaigns"], "--out", curves)
    assert fitted.returncode == 0 and "Campaigns return most around" in fitted.stdout + fitted.stderr
    table = pd.read_csv(curves)
    assert table[["season_sin", "season_cos"]].notna().all().all()
    value = {}
    for label, horizon in (("q4", "2026-10-01:2026-12-31"), ("q2", "2026-04-01:2026-06-30")):
        out = tmp_path / f"{label}.csv"
        run = cli("optimize", "--curves", curves, "--budget", "150000", "--horizon", horizon, "--period", "month",
                  "--out", out)
        assert run.returncode == 0, run.stderr
        assert "Creators' campaigns return more in some seasons: up to " in run.stdout
        value[label] = pd.read_csv(out)["response"].sum()
    assert value["q4"] > 1.3 * value["q2"]  # the same money, the holidays' campaigns
