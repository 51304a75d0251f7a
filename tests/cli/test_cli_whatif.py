"""``python -m planner whatif``: one network or creator moved, read with the rest held and re-planned."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def curve_file(tmp_path):
    path = tmp_path / "curves.csv"
    pd.DataFrame({
        "name": ["Instagram", "Instagram/@a", "TikTok", "YouTube"],
        "network": ["Instagram", "Instagram", "TikTok", "YouTube"], "curve": ["log", "log", "log", "log"],
        "beta": [50_000.0, 20_000.0, 40_000.0, 30_000.0], "k": [5_000.0, 2_000.0, 3_000.0, 4_000.0],
        "current_spend": [6_000.0, 1_000.0, 4_000.0, 3_000.0], "max_spend": [np.nan] * 4,
    }).to_csv(path, index=False)
    return path


def test_a_change_in_per_cent(cli, curve_file, tmp_path):
    out = tmp_path / "rows.csv"
    run = cli("whatif", "--curves", curve_file, "--budget", "20000", "--target", "Instagram", "--change", "+20%",
              "--out", out)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("Instagram (paid media and creators) from $") and "+20.0%" in lines[0]
    assert lines[1].startswith("With every other row held, the plan spends $")
    assert lines[2].startswith("With the rest re-planned within the same budget of $20,000")
    assert "Total" in run.stdout and "Rest re-planned" in run.stdout
    rows = pd.read_csv(out)
    assert {"name", "network", "plan", "held", "replanned", "held_response", "replanned_response"} == set(rows)
    assert rows["replanned"].sum() == pytest.approx(20_000, abs=0.05)


def test_lock_and_spend(cli, curve_file):
    run = cli("whatif", "--curves", curve_file, "--budget", "20000", "--target", "tiktok", "--lock")
    assert run.returncode == 0 and "to $4,000" in run.stdout and "Held at today's spend." in run.stdout
    run = cli("whatif", "--curves", curve_file, "--budget", "20000", "--target", "@a", "--spend", "$0")
    assert run.returncode == 0 and run.stdout.startswith("Instagram/@a from $")


@pytest.mark.parametrize("args, message", [
    (["--target", "TikTok"], "exactly one of --change"),
    (["--target", "TikTok", "--change", "+5%", "--lock"], "exactly one of --change"),
    (["--target", "TikTok", "--change", "lots"], "needs a change in per cent"),
    (["--target", "Tiktk", "--change", "5"], "Did you mean 'TikTok'"),
])
def test_mistakes_are_sentences(cli, curve_file, args, message):
    run = cli("whatif", "--curves", curve_file, "--budget", "20000", *args)
    assert run.returncode == 1
    assert message in run.stderr
