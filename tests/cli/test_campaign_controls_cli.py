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
