"""The command line with engagement: `fit` writes engagements per dollar, `optimize --engagement-weight W`
(run in this process: tests/cli/cli_run.py)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from tests.cli.cli_run import SAMPLE, fit_once

BUDGET = "250000"


@pytest.fixture(scope="module")
def fitted(tmp_path_factory) -> Path:
    """The sample's creators fitted (with the roster sheet), no bootstrap: a few seconds."""
    out = tmp_path_factory.mktemp("cli_engagement") / "creators.csv"
    fit_once(SAMPLE / "creator_campaigns.xlsx", "--out", out, "--bootstrap", "0")
    return out


@pytest.fixture(scope="module")
def curves(fitted) -> Path:
    """The fitted creators and each network's paid media (its true curve in the sample, without engagements):
    the whole sample's shape without fitting the marketing mix (half a minute)."""
    creators = pd.read_csv(fitted)
    true = pd.read_csv(SAMPLE / "true_curves.csv")
    paid = true.loc[~true["name"].str.contains("/"), ["name", "network", "curve", "beta", "k", "s", "current_spend"]]
    out = fitted.with_name("curves.csv")
    pd.concat([creators, paid], ignore_index=True).to_csv(out, index=False)
    return out


def _engagements(stdout: str) -> tuple[float, float]:
    """(engagements of the plan, of the revenue-only plan) from the printed trade sentence."""
    m = re.search(r"([\d,]+) in all instead of ([\d,]+)\.", stdout)
    assert m, stdout
    return tuple(float(g.replace(",", "")) for g in m.groups())


def test_fit_writes_engagements_per_dollar_for_every_creator(fitted):
    table = pd.read_csv(fitted)
    assert "engagement_per_dollar" in table.columns
    assert table["engagement_per_dollar"].notna().all() and (table["engagement_per_dollar"] > 0).all()
    by_net = table.groupby("network")["engagement_per_dollar"].median()
    assert by_net.idxmax() == "TikTok"


def test_optimize_without_a_weight_reports_the_plans_engagements(cli, curves, tmp_path):
    out = tmp_path / "plan.csv"
    r = cli("optimize", "--curves", curves, "--budget", BUDGET, "--out", out)
    assert r.returncode == 0, r.stderr
    m = re.search(r"Expected engagements: ([\d,]+)\.", r.stdout)
    assert m, r.stdout
    plan = pd.read_csv(out)
    assert "engagements" in plan.columns
    assert plan["engagements"].sum() == pytest.approx(float(m.group(1).replace(",", "")), abs=0.5)
    rates = pd.read_csv(curves).set_index("name")["engagement_per_dollar"]
    np.testing.assert_allclose(plan["engagements"], plan["spend"] * rates.reindex(plan["name"]).to_numpy())
    assert plan.loc[~plan["name"].str.contains("/"), "engagements"].isna().all()  # paid media: unknown


def test_engagement_weight_trades_revenue_for_engagements(cli, curves, tmp_path):
    out = tmp_path / "plan.csv"
    r0 = cli("optimize", "--curves", curves, "--budget", BUDGET, "--out", tmp_path / "plain.csv")
    r = cli("optimize", "--curves", curves, "--budget", BUDGET, "--engagement-weight", "$0.10", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "Valuing an engagement at $0.10 trades $" in r.stdout
    e1, e0 = _engagements(r.stdout)
    assert e1 > e0
    plan, plain = pd.read_csv(out), pd.read_csv(tmp_path / "plain.csv")
    assert plan["engagements"].sum() == pytest.approx(e1, abs=0.5)
    assert plain["engagements"].sum() == pytest.approx(e0, abs=0.5)
    assert plan["response"].sum() <= plain["response"].sum() + 1e-6
    assert plan["spend"].sum() <= float(BUDGET) + 0.005
    # both runs print their revenue; the weighted plan's is the lower
    rev = [float(re.search(r"expected revenue \$([\d,]+)", x.stdout).group(1).replace(",", "")) for x in (r0, r)]
    assert rev[1] <= rev[0]


def test_the_workbook_reports_engagements_and_their_value(cli, curves, tmp_path):
    out = tmp_path / "plan.xlsx"
    r = cli("optimize", "--curves", curves, "--budget", BUDGET, "--engagement-weight", "0.1", "--out", out,
            "--frontier", "0")
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    summary = {row[0]: row[1] for row in wb["Summary"].iter_rows(min_row=4, max_col=2, values_only=True)}
    assert summary["Value of one engagement"] == 0.1
    assert summary["Expected engagements"].startswith("=Allocation!K")
    assert "+ $0.10 per expected engagement" in summary["Objective maximised"]
    assert "plus engagements at $0.10 each" in summary["Optimality"]
    ws = wb["Allocation"]
    assert ws["K1"].value == "Expected engagements"
    assert ws.tables["AllocationTable"].ref.startswith("A1:K")
    e1, _ = _engagements(r.stdout)
    saved = load_workbook(out, data_only=True)["Allocation"]  # each formula's saved value
    cells = [saved.cell(i, 11).value for i in range(2, ws.max_row)]  # the rows, then the totals row
    assert sum(v for v in cells if v is not None) == pytest.approx(e1, abs=0.5)
    assert cells.count(None) == 6  # paid media: engagements unknown, left blank
    assert ws.cell(ws.max_row, 11).value == f"=SUM(K2:K{ws.max_row - 1})"
    # and the workbook still reads back as the plan, to the cent
    ev = cli("evaluate", "--curves", curves, "--plan", out, "--json")
    assert ev.returncode == 0, ev.stderr


@pytest.mark.parametrize("args,sentence", [
    (["--engagement-weight", "-1"], "The value of an engagement must be zero or more"),
    (["--engagement-weight", "lots"], "--engagement-weight 'lots' is not an amount of money."),
    (["--engagement-weight", "0.1", "--objective", "target", "--target", "100000"],
     "--engagement-weight works with --objective revenue or profit, not target."),
])
def test_a_bad_engagement_weight_is_one_sentence(cli, curves, args, sentence):
    r = cli("optimize", "--curves", curves, "--budget", BUDGET, *args)
    assert r.returncode == 1
    assert sentence in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_weight_needs_the_column(cli, curves, tmp_path):
    bare = tmp_path / "bare.csv"
    pd.read_csv(curves).drop(columns="engagement_per_dollar").to_csv(bare, index=False)
    r = cli("optimize", "--curves", bare, "--budget", BUDGET, "--engagement-weight", "0.05")
    assert r.returncode == 1
    assert r.stderr.strip() == "Error: Valuing engagement needs an 'engagement_per_dollar' column in the curve table."
    r = cli("optimize", "--curves", bare, "--budget", BUDGET)  # without a weight the column is not needed
    assert r.returncode == 0, r.stderr
    assert "engagement" not in r.stdout.lower()


def test_frontier_is_unchanged(cli):
    assert "--engagement-weight" in cli("optimize", "--help").stdout
    assert "--engagement-weight" not in cli("frontier", "--help").stdout
