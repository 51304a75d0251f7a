"""`optimize --quarter Q4`, `frontier`, `whatif` and `evaluate` plan a calendar quarter where the fit found a yearly
wave: each curve at the wave's mean over the quarter; the average quarter says the wave is there; mistakes are
sentences with exit status 1."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.curves.test_quarter import table


@pytest.fixture(scope="module")
def season_curves(tmp_path_factory):
    """Creators whose campaigns return 30% more in mid-November, fitted by `fit` from the generator's tracker."""
    from planner.bench.fit_sample import generator
    from tests.cli.cli_run import fit_once

    folder = tmp_path_factory.mktemp("season")
    paths = generator().generate(folder / "data", 9, creator_season=True)
    curves = folder / "curves.csv"
    fit_once(paths["creator_campaigns"], "--out", curves)
    return curves, paths


def _revenue(stdout: str) -> float:
    return float(re.search(r"expected revenue \$([\d,]+)", stdout).group(1).replace(",", ""))


def test_a_q4_plan_earns_more_than_a_q2_plan_of_the_same_budget_and_says_why(cli, season_curves):
    curves, _ = season_curves
    runs = {q: cli("optimize", "--curves", curves, "--budget", "150000", *(["--quarter", q] if q else []))
            for q in ("", "Q2", "Q4")}
    for r in runs.values():
        assert r.returncode == 0, r.stderr
    assert runs["Q4"].stdout.startswith("Planned for Q4 (October to December), by the yearly waves the fit found: "
                                        "creators' campaigns earn ")
    assert re.search(r"creators' campaigns earn \d+% less per dollar than in an average quarter", runs["Q2"].stdout)
    assert runs[""].stdout.startswith("This plan is for an average quarter; the fit found a yearly wave: creators' "
                                      "campaigns earn up to ")
    assert "--quarter Q1 (to Q4) plans a calendar quarter." in runs[""].stdout
    q4, avg, q2 = (_revenue(runs[q].stdout) for q in ("Q4", "", "Q2"))
    assert q4 > 1.1 * avg > 1.1 * 1.1 * q2  # the same money, the holidays' campaigns


def test_the_quarter_reaches_the_finance_workbook_frontier_and_whatif(cli, season_curves, tmp_path):
    curves, paths = season_curves
    out = tmp_path / "q4.xlsx"
    r = cli("optimize", "--curves", curves, "--budget", "150000", "--quarter", "q4", "--out", out, "--frontier", "3")
    assert r.returncode == 0, r.stderr
    summary = pd.read_excel(out, sheet_name="Summary", header=None, engine="openpyxl").astype(str)
    assert summary.apply(lambda col: col.str.contains("--quarter q4")).any().any()
    assert summary.apply(lambda col: col.str.startswith("Q4 (October to December), 13 weeks: each curve at its "
                                                        "yearly wave's mean over the quarter")).any().any()
    fr = {q: cli("frontier", "--curves", curves, "--budgets", "50000:150000:3", *(["--quarter", q] if q else []))
          for q in ("Q4", "Q2")}
    assert all(r.returncode == 0 for r in fr.values())
    assert fr["Q4"].stdout.startswith("Planned for Q4")
    w = cli("whatif", "--curves", curves, "--budget", "150000", "--quarter", "Q4", "--target", "Instagram",
            "--change", "+20%")
    assert w.returncode == 0, w.stderr
    assert w.stdout.startswith("Planned for Q4")
    ev = {q: cli("evaluate", "--curves", curves, "--plan", paths["finance_plan"], "--quarter", q) for q in ("Q4", "Q2")}
    assert all(r.returncode == 0 for r in ev.values())
    plan_q4 = float(re.search(r"Plan: spend \$[\d,]+, expected revenue \$([\d,]+)", ev["Q4"].stdout).group(1)
                    .replace(",", ""))
    plan_q2 = float(re.search(r"Plan: spend \$[\d,]+, expected revenue \$([\d,]+)", ev["Q2"].stdout).group(1)
                    .replace(",", ""))
    assert plan_q4 > plan_q2  # finance's plan is worth more in the holidays


def test_a_table_without_a_wave_plans_every_quarter_as_an_average_one_and_says_so(cli, tmp_path):
    path = tmp_path / "flat.csv"
    table().drop(columns=["season_sin", "season_cos"]).to_csv(path, index=False)
    plain = cli("optimize", "--curves", path, "--budget", "30000")
    q4 = cli("optimize", "--curves", path, "--budget", "30000", "--quarter", "Q4")
    assert plain.returncode == q4.returncode == 0
    assert "average quarter" not in plain.stdout
    assert q4.stdout.startswith("--quarter Q4: the curve table has no yearly wave (season_sin, season_cos), so every "
                                "quarter is planned as an average one.")
    assert _revenue(q4.stdout) == _revenue(plain.stdout)


@pytest.mark.parametrize(("extra", "words"), [
    (["--quarter", "Q5"], "--quarter: 'Q5' is not a quarter: write Q1, Q2, Q3 or Q4"),
    (["--quarter", "Q4", "--horizon", "2027-01-01:2027-03-31"], "--quarter does not work with --horizon"),
])
def test_quarter_mistakes_are_sentences(cli, tmp_path, extra, words):
    path = tmp_path / "c.csv"
    table().to_csv(path, index=False)
    r = cli("optimize", "--curves", path, "--budget", "30000", *extra)
    assert r.returncode == 1
    assert words in r.stderr and "Traceback" not in r.stderr
