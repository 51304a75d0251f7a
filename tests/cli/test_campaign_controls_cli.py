"""A creators' tracker with a discount per campaign, from the command line: `inspect` names the control, `fit`
allows for it and says what it found, and its curves are nearer the truth than a fit told to ignore the column."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from planner.bench.fit_measures import creator_errors, plan_regret


@pytest.fixture(scope="module")
def promos(tmp_path_factory):
    from planner.bench.fit_sample import generator

    return generator().generate(tmp_path_factory.mktemp("promos") / "data", 9, creator_promos=True)


def test_inspect_reads_the_discount_as_a_campaign_control(cli, promos):
    r = cli("inspect", promos["creator_campaigns"], "--json")
    assert r.returncode == 0, r.stderr
    said = json.loads(r.stdout)
    assert said["controls"] == ["Discount %"] and said["unused_columns"] == []


def test_the_fit_allows_for_the_discounts_and_its_curves_plan_better(cli, promos, tmp_path):
    told, blind = tmp_path / "told.csv", tmp_path / "blind.csv"
    r = cli("fit", promos["creator_campaigns"], "--out", told)
    assert r.returncode == 0, r.stderr
    assert "Campaigns at Discount % " in r.stdout + r.stderr and "(80% interval +" in r.stdout + r.stderr
    r = cli("fit", promos["creator_campaigns"], "--map", "Discount %=ignore", "--out", blind)
    assert r.returncode == 0, r.stderr
    assert "Campaigns at Discount %" not in r.stdout + r.stderr
    truth = pd.read_csv(promos["true_curves"])
    truth = truth[truth["kind"] == "creator"].reset_index(drop=True)
    from planner.data.ingest import load

    rows = load(promos["creator_campaigns"]).rows
    fitted = {name: pd.read_csv(path) for name, path in (("told", told), ("blind", blind))}
    err = {k: float(np.median(creator_errors(v, truth, rows))) for k, v in fitted.items()}
    budget = 0.5 * float(truth["current_spend"].sum())
    regret = {k: plan_regret(v, truth, budget) for k, v in fitted.items()}
    assert err["told"] < 0.8 * err["blind"], (err, regret)
    assert regret["told"] < 0.6 * regret["blind"], (err, regret)


def test_a_plan_with_every_campaign_discounted_or_none_says_so_and_earns_accordingly(cli, promos, tmp_path):
    import re

    curves = tmp_path / "curves.csv"
    assert cli("fit", promos["creator_campaigns"], "--out", curves).returncode == 0
    fitted = pd.read_csv(curves)
    assert {"control effect: discount %", "control usual: discount %"} <= set(fitted.columns)
    assert 0 < fitted["control usual: discount %"].median() < 20  # most campaigns ran without a code

    def revenue(*extra):
        r = cli("optimize", "--curves", curves, "--budget", "100000", *extra)
        assert r.returncode == 0, r.stderr
        return float(re.search(r"expected revenue \$([\d,]+)", r.stdout).group(1).replace(",", "")), r.stdout

    usual, _ = revenue()
    none, said_none = revenue("--campaign-control", "Discount %=0")
    deep, said_deep = revenue("--campaign-control", "discount %=20")
    assert none < usual < deep
    assert said_deep.startswith("Planned with discount % at 20 on every campaign (usual ")
    assert re.search(r"creators' campaigns earn \+\d+% against their usual\.", said_deep)
    assert re.search(r"creators' campaigns earn -\d+% against their usual\.", said_none)
    book = tmp_path / "plan.xlsx"
    r = cli("optimize", "--curves", curves, "--budget", "100000", "--campaign-control", "discount %=20", "--out", book,
            "--frontier", "0")
    assert r.returncode == 0, r.stderr
    summary = pd.read_excel(book, sheet_name="Summary", header=None, engine="openpyxl").astype(str)
    assert summary.apply(lambda col: col.str.contains("--campaign-control discount %=20", regex=False)).any().any()
    far = cli("optimize", "--curves", curves, "--budget", "100000", "--campaign-control", "discount %=60")
    assert far.returncode == 0 and "Discount % 60 is beyond what the campaigns had (0 to 30), so its effect there is " \
        "an extrapolation." in far.stdout
    bad = cli("optimize", "--curves", curves, "--budget", "100000", "--campaign-control", "Launch=1")
    assert bad.returncode == 1 and 'no campaign control "Launch"; it has: discount %.' in bad.stderr
