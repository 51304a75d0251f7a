"""``fit --time-budget SECONDS``: the fit keeps within it and says what it left out (issue 16)."""

from __future__ import annotations

import pandas as pd

from planner.bench.wide_weekly import write_wide_weekly


def test_fit_with_a_time_budget_of_nothing_says_what_it_left_out(cli, tmp_path):
    data = write_wide_weekly(tmp_path / "wide.csv", channels=12, weeks=60, seed=5)
    run = cli("fit", data, "--out", tmp_path / "c.csv", "--bootstrap", "4", "--time-budget", "0")
    assert run.returncode == 0, run.stderr
    assert ("wide.csv: Within its time budget of 0 s the marketing-mix model was not tested on held-out weeks"
            in run.stdout)
    assert "made none of its 4 bootstrap refits" in run.stdout
    curves = pd.read_csv(tmp_path / "c.csv")
    assert len(curves) == 12 and curves["pooling_note"].str.contains("time budget of 0 s").all()
    roomy = cli("fit", data, "--out", tmp_path / "d.csv", "--bootstrap", "2", "--time-budget", "inf")
    assert roomy.returncode == 0, roomy.stderr
    assert "time budget" not in roomy.stdout and len(pd.read_csv(tmp_path / "d.csv")) == 12


def test_a_negative_time_budget_is_refused_in_a_sentence(cli, tmp_path):
    data = write_wide_weekly(tmp_path / "wide.csv", channels=3, weeks=40, seed=1)
    run = cli("fit", data, "--out", tmp_path / "c.csv", "--time-budget", "-5")
    assert run.returncode == 1 and "--time-budget must be 0 or more seconds; -5 is not." in run.stderr
    assert not (tmp_path / "c.csv").exists()
    assert "--time-budget SECONDS" in cli("fit", "--help").stdout
