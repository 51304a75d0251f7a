"""The command line refuses a plan the data cannot carry, and says when a plan rests on weak curves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT.parent / "shared" / "peer_data" / "meridian" / "national_media.csv"  # CI has it (tests/conftest.py)


@pytest.fixture(scope="module")
def three_days(tmp_path_factory) -> Path:
    """The first three days of the bundled Meta export: 16 rows, two networks."""
    lines = (ROOT / "sample_data" / "meta_ads_export_eur.csv").read_text(encoding="utf-8").splitlines()
    head, body = lines[0], lines[1:]
    days = sorted({line.split(";")[0] for line in body})[:8]
    path = tmp_path_factory.mktemp("short") / "three_days.csv"
    path.write_text("\n".join([head, *[line for line in body if line.split(";")[0] in days]]) + "\n", encoding="utf-8")
    return path


def test_a_three_day_export_carries_no_plan(cli, three_days, tmp_path):
    curves = tmp_path / "curves.csv"
    assert cli("fit", three_days, "--out", curves).returncode == 0
    run = cli("optimize", "--curves", curves, "--budget", "40000")
    assert run.returncode == 1
    assert "The data cannot carry a plan: Facebook: 2 weeks of data, spend that never moved (€24,144 a quarter)." in run.stderr
    anyway = cli("optimize", "--curves", curves, "--budget", "40000", "--anyway")
    assert anyway.returncode == 0
    assert "Optimal for these curves only (proven): the data barely support 2 of them." in anyway.stdout
    assert "load more weeks of data" in anyway.stdout and "lift test" not in anyway.stdout
    assert "Proven optimal" not in anyway.stdout
    low, high = (float(x.replace("€", "").replace(",", "")) for x in
                 anyway.stdout.split("80% interval: ")[1].split(",  median")[0].split(", median")[0].split(" to "))
    assert high > 1.5 * low  # the band is as wide as the error in the data, not "€61,037 to €61,037"


def test_a_model_worse_than_a_flat_average_is_said_where_the_plan_is(cli, tmp_path):
    if not NATIONAL.exists():
        pytest.skip(f"{NATIONAL} is not available")
    curves = tmp_path / "national.csv"  # its two controls left out: the model then does worse than a flat average
    assert cli("fit", NATIONAL, "--out", curves, "--bootstrap", "5", "--map", "competitor_activity_score_control=ignore",
               "--map", "sentiment_score_control=ignore").returncode == 0
    run = cli("optimize", "--curves", curves, "--budget", "10000000")
    assert run.returncode == 1  # and its returns are nearly all the pull's (below): no plan
    assert "a fit worse than a flat average (R² -0.25 on held-out weeks)" in run.stderr
    run = cli("optimize", "--curves", curves, "--budget", "10000000", "--anyway")
    assert "Optimal for these curves only (proven): the data barely support 4 of them." in run.stdout
    assert "a fit worse than a flat average (R² -0.25 on held-out weeks)" in run.stdout


def test_with_its_controls_the_same_model_beats_a_flat_average_but_carries_no_plan_until_lift_tests(cli, tmp_path):
    if not NATIONAL.exists():
        pytest.skip(f"{NATIONAL} is not available")
    import pandas as pd

    curves = tmp_path / "national.csv"
    assert cli("fit", NATIONAL, "--out", curves, "--bootstrap", "5").returncode == 0
    table = pd.read_csv(curves)
    assert table["r2"].iloc[0] > 0  # held-out R² -0.25 without the controls
    # but the four channels' returns per dollar are nearly all the pull toward each other's: no plan, the remedy said
    assert (table["prior_weight"] >= 0.5).all() and (1 - table["prior_weight"]).mean() < 0.1
    run = cli("optimize", "--curves", curves, "--budget", "10000000")
    assert run.returncode == 1 and "worse than a flat average" not in run.stderr
    assert run.stderr.startswith("Error: The data cannot carry a plan: Channel0, Channel1, Channel2 and Channel3: an "
                                 "effect the weekly data hardly tell apart from baseline sales."), run.stderr
    assert "A lift test of them (an experiment given to the fit) would tell their effect apart from baseline sales; " \
           "then plan. (--anyway plans all the same.)" in run.stderr
    out = cli("optimize", "--curves", curves, "--budget", "10000000", "--anyway").stdout
    assert re.search(r"Test Channel\d first: it carries \d+% of the uncertainty in this plan's revenue\.", out), out
    assert "Proven optimal." not in out

    # a four-week lift test of each channel (2 dollars back per dollar, measured to 15 %): the plan is made
    weeks = pd.read_csv(NATIONAL).iloc[120:124]
    spent = {n: float(weeks[f"Channel{n}_spend"].sum()) for n in range(4)}
    tests = tmp_path / "lift_tests.csv"
    pd.DataFrame({"network": [f"Channel{n}" for n in spent], "start": weeks["time"].iloc[0], "end": weeks["time"].iloc[-1],
                  "lift": [2 * v for v in spent.values()], "lift_se": [0.3 * v for v in spent.values()]}).to_csv(tests, index=False)
    calibrated = tmp_path / "calibrated.csv"
    assert cli("fit", NATIONAL, "--experiments", tests, "--out", calibrated, "--bootstrap", "5").returncode == 0
    assert (pd.read_csv(calibrated)["prior_weight"] < 0.5).all()
    run = cli("optimize", "--curves", calibrated, "--budget", "10000000")
    assert run.returncode == 0 and "cannot carry a plan" not in run.stdout + run.stderr
    assert "Budget $10,000,000: spend $10,000,000" in run.stdout


def test_a_plan_beyond_the_spend_the_data_saw_says_so(cli, tmp_path):
    import pandas as pd

    curves = tmp_path / "curves.csv"
    pd.DataFrame({"name": ["TV", "Search"], "network": ["TV", "Search"], "curve": ["log", "log"],
                  "beta": [4e6, 1e6], "k": [3e5, 8e4], "observed_max": [531_747.0, 5e6]}).to_csv(curves, index=False)
    out = cli("optimize", "--curves", curves, "--budget", "3000000").stdout
    assert "1 row gets more than the data has ever seen it spend: TV ($" in out
    assert "the most seen $531,747). Its expected revenue is an extrapolation of the curve" in out
    assert "ever seen" not in cli("optimize", "--curves", curves, "--budget", "100000").stdout


def test_a_tracker_of_five_campaigns_gives_a_plan_said_to_rest_on_them(cli, tmp_path):
    tracker = tmp_path / "thin.csv"
    tracker.write_text("Date,Network,Creator,Posts,Fee paid,Promo-code revenue\n2024-01-01,IG,@a,1,100,300\n"
                       "2024-02-01,IG,@b,2,240,500\n2024-01-05,TikTok,@c,1,90,250\n2024-03-01,TikTok,@d,3,300,600\n"
                       "2024-03-05,TikTok,@e,1,80,90\n", encoding="utf-8")
    curves = tmp_path / "curves.csv"
    assert cli("fit", tracker, "--out", curves).returncode == 0
    run = cli("optimize", "--curves", curves, "--budget", "2000")
    assert run.returncode == 0 and "Proven optimal" not in run.stdout
    assert "Optimal for these curves only (proven): the data barely support 5 of them." in run.stdout
    assert ("Instagram/@a and Instagram/@b: 2 Instagram creators with 2 campaigns between them. TikTok/@c, TikTok/@d "
            "and TikTok/@e: 3 TikTok creators with 3 campaigns between them.") in run.stdout
    assert "Plan with care, or load more of the creators' campaigns." in run.stdout
