"""One plan, one figure: the sample's plan at $250,000 reads the same, to the dollar, on the Optimize page, in
the Scenarios list, on the Finance plan page, in the command line's output and in the workbook's saved values."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from planner.base.format import interval_text, money
from planner.cli.main import main
from planner.scenarios import Scenario, ScenarioStore
from tests.base.markdown_shown import shown
from ui.scenarios import list_view
from ui.widgets import money_rounded

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = [ROOT / "sample_data" / "creator_campaigns.xlsx", ROOT / "sample_data" / "weekly_paid_media.xlsx"]
FINANCE_PLAN = ROOT / "sample_data" / "finance_plan.xlsx"
BUDGET = 250_000.0


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """The command line on the sample: fit with its defaults, plan $250,000 (text and workbook), evaluate."""
    import contextlib
    import io

    d = tmp_path_factory.mktemp("one_figure")
    curves, plan = d / "curves.csv", d / "plan.xlsx"

    def run(*args) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main([str(a) for a in args]) == 0
        return out.getvalue()

    run("fit", *SAMPLE, "--out", curves)
    return {"optimize": run("optimize", "--curves", curves, "--budget", BUDGET),
            "evaluate": run("evaluate", "--curves", curves, "--plan", FINANCE_PLAN),
            "workbook": run("optimize", "--curves", curves, "--budget", BUDGET, "--out", plan) and plan}


@pytest.fixture(scope="module")
def app_run():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.session_state["planner_settings"]["budget"] = BUDGET
    at.switch_page("pages/3_Optimize.py").run()
    assert not at.exception, at.exception
    optimize = {m.label: m.value for m in at.metric}
    captions = " ".join(shown(c.value) for c in at.caption)
    at.switch_page("pages/5_Finance_plan.py").run()
    assert not at.exception, at.exception
    finance = " ".join([shown(i.value) for i in at.info] + [f"{m.label} {shown(m.value)}" for m in at.metric])
    return {"optimize": optimize, "captions": captions, "finance": finance}


def _interval(text: str) -> str:
    return re.search(r"80% interval: \$[\d,]*\d to \$[\d,]*\d, median \$[\d,]*\d(, mean \$[\d,]*\d)?", text).group(0)


def test_the_plan_reads_the_same_in_the_app_and_the_command_line(cli_run, app_run):
    revenue = app_run["optimize"]["Expected revenue"]
    assert f"expected revenue {revenue}" in cli_run["optimize"]
    assert _interval(app_run["captions"]) == _interval(cli_run["optimize"])


def test_finance_plan_page_and_evaluate_give_the_same_band(cli_run, app_run):
    plan_line = cli_run["evaluate"].splitlines()[0]
    assert _interval(plan_line) in app_run["finance"]
    best_line = cli_run["evaluate"].splitlines()[1]
    assert _interval(best_line) == _interval(cli_run["optimize"])  # the plan totals $250,000: the same optimum


def test_the_workbook_saves_the_same_figures(cli_run, app_run):
    wb = openpyxl.load_workbook(cli_run["workbook"], data_only=True)  # the values saved beside the formulas
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert money(summary["Expected revenue"]) == app_run["optimize"]["Expected revenue"]
    p10, p90 = (next(v for k, v in summary.items() if k.startswith(f"Expected revenue, {q}")) for q in ("P10", "P90"))
    assert interval_text(p10, None, p90) + "," in _interval(app_run["captions"]) + ","


def test_the_scenarios_list_shows_the_saved_plan_to_the_dollar(tmp_path, app_run):
    import pandas as pd

    from planner.fit.saved import SAMPLE_FIT
    from planner.optimize import optimize

    curves = pd.read_parquet(SAMPLE_FIT)
    alloc = optimize(curves, BUDGET)
    with ScenarioStore(path=tmp_path / "s.db") as store:
        store.save(Scenario.from_allocation("Q3 plan", alloc, curves))
        listed = money_rounded(list_view(store.list(), ""))
    row = listed.iloc[0]
    # the list's numbers are whole amounts that Streamlit's format (which cuts decimals) shows as they are
    assert row["Expected revenue"] == int(row["Expected revenue"])
    assert money(row["Expected revenue"]) == app_run["optimize"]["Expected revenue"]
    assert f"80% interval: {money(row['Revenue P10'])} to {money(row['Revenue P90'])}" in app_run["captions"]
