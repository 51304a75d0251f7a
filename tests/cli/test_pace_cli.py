"""`python -m planner pace`: a plan over time against the spend to date, from the command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.flighting import parse_horizon, plan_flighting
from planner.report.sheets.flight_plan import flight_plan_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    """A curve table, the plan optimize --horizon writes from it, and daily actuals to mid-February."""
    d = tmp_path_factory.mktemp("pace")
    curves = pd.DataFrame({
        "name": ["TV", "Search", "Social", "Social/@ana"], "network": ["TV", "Search", "Social", "Social"],
        "curve": ["hill", "log", "hill", "log"], "beta": [300_000.0, 80_000.0, 120_000.0, 20_000.0],
        "k": [60_000.0, 15_000.0, 20_000.0, 2_000.0], "s": [0.9, np.nan, 1.0, np.nan],
        "current_spend": [30_000.0, 10_000.0, 12_000.0, 1_000.0], "decay": [0.6, 0.3, 0.2, 0.0],
        "unit_cost": [np.nan, np.nan, np.nan, 500.0], "max_spend": [np.nan, np.nan, np.nan, 3_000.0],
    })
    paths = {"curves": d / "curves.csv", "plan": d / "plan.csv", "actuals": d / "actuals.csv"}
    curves.to_csv(paths["curves"], index=False)
    paths["plan"].write_bytes(flight_plan_csv(plan_flighting(curves, 300_000.0, parse_horizon("2027-01-01:2027-03-31"))))
    plan = pd.read_csv(paths["plan"])
    rows = []
    for p in plan.itertuples():
        days = pd.date_range(p.period, pd.Timestamp(p.period) + pd.offsets.MonthEnd(0))
        factor = {"TV": 1.3, "Search": 0.5}.get(p.name, 1.0)
        for day in days[days <= "2027-02-14"]:
            rows.append((day.date().isoformat(), p.network if "/" not in p.name else p.name,
                         round(p.spend / len(days) * factor, 2)))
    pd.DataFrame(rows, columns=["Day", "Platform", "Amount spent"]).to_csv(paths["actuals"], index=False)
    return paths


def test_pace_says_who_is_ahead_and_behind_and_writes_the_rows(cli, files, tmp_path):
    plan = pd.read_csv(files["plan"])
    out = tmp_path / "rows.csv"
    r = cli("pace", "--curves", files["curves"], "--plan", files["plan"], "--actuals", files["actuals"], "--out", out)
    assert r.returncode == 0, r.stderr
    text = r.stdout
    assert "By 2027-02-14, $" in text and "the plan had $" in text
    assert "ahead: TV paid media (+$" in text and "behind: Search paid media (-$" in text
    assert "is left for 2027-02-15 to 2027-03-31" in text
    table = pd.read_csv(out)
    assert {"name", "network", "period", "planned", "actual", "rest", "expected", "status"} <= set(table.columns)
    assert table["planned"].sum() == pytest.approx(plan["spend"].sum(), abs=0.05)
    assert table["expected"].sum() == pytest.approx(plan["spend"].sum(), abs=0.05)  # the money left, all planned
    assert set(table.loc[table["period"] == "2027-03-01", "status"]) == {"to come"}


def test_pace_mistakes_are_sentences(cli, files, tmp_path):
    one_period = tmp_path / "one.csv"
    pd.DataFrame({"name": ["TV"], "network": ["TV"], "spend": [10.0], "response": [1.0]}).to_csv(one_period,
                                                                                                   index=False)
    r = cli("pace", "--curves", files["curves"], "--plan", one_period, "--actuals", files["actuals"])
    assert r.returncode == 1 and "has no periods" in r.stderr and "Traceback" not in r.stderr
    r = cli("pace", "--curves", files["curves"], "--plan", files["plan"], "--actuals", files["actuals"],
            "--as-of", "14 Feb")
    assert r.returncode == 1 and "--as-of '14 Feb' is not a date" in r.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,Network,Spend\n2027-01-01,TV,100\nlater,TV,50\n")
    r = cli("pace", "--curves", files["curves"], "--plan", files["plan"], "--actuals", bad)
    assert r.returncode == 1 and "row 3, column 'Date' holds 'later'" in r.stderr


def test_pace_re_plans_the_rest_with_a_shortest_flight(cli, files, tmp_path):
    from planner.flighting.runs import flights_ok

    out = tmp_path / "rows.csv"
    r = cli("pace", "--curves", files["curves"], "--plan", files["plan"], "--actuals", files["actuals"],
            "--min-flight", "2", "--out", out)
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(out)
    paid = t[(t["name"] != "Social/@ana") & (t["period"] != "2027-01-01")]  # the rest: February's half, March
    on = paid.pivot_table(index="name", columns="period", values="rest", aggfunc="sum").to_numpy() > 0
    assert flights_ok(on, 2).all()
