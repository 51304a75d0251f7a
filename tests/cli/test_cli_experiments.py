"""``fit --experiments FILE``: measured lifts calibrate the marketing-mix model (DESIGN.md, contract 2)."""

from __future__ import annotations

from tests.fit.test_mmm import simulate
from tests.fit.test_mmm_experiments import experiments_of


def test_fit_takes_experiments_on_the_command_line(cli, tmp_path):
    ds, _ = simulate(4, noise=0.08)
    data = tmp_path / "weekly.csv"
    wide = ds.rows.pivot(index="date", columns="network", values="spend")
    wide.columns = [f"{c} spend" for c in wide.columns]
    wide["Sales"] = ds.outcome.set_index("date")["outcome"]
    wide.reset_index(names="Week").to_csv(data, index=False)
    lifts = tmp_path / "lifts.csv"
    experiments_of(ds).to_csv(lifts, index=False)
    run = cli("fit", data, "--out", tmp_path / "c.csv", "--bootstrap", "3", "--experiments", lifts)
    assert run.returncode == 0, run.stderr
    assert "Calibrated the marketing-mix model with 3 experiments from lifts.csv." in run.stdout
    bad = cli("fit", data, "--out", tmp_path / "d.csv", "--experiments", tmp_path / "none.csv")
    assert bad.returncode == 1 and "does not exist" in bad.stderr
