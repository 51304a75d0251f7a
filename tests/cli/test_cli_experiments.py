"""``fit --experiments FILE``: measured lifts calibrate the marketing-mix model (DESIGN.md, contract 2)."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
    # a heavy-up beside the holdouts: counted apart; more money than its window spent is one sentence
    spend = wide.iloc[100:108, 0].sum()
    held = experiments_of(ds)
    first = held.iloc[0]
    heavy = pd.concat([held.assign(spend_tested=np.nan),
                       pd.DataFrame([{**first.to_dict(), "lift": 0.3 * first["lift"], "spend_tested": round(0.5 * spend, 2)}])],
                      ignore_index=True)
    heavy.to_csv(lifts, index=False)
    run = cli("fit", data, "--out", tmp_path / "c.csv", "--bootstrap", "0", "--experiments", lifts)
    assert run.returncode == 0, run.stderr
    assert "Calibrated the marketing-mix model with 4 experiments (3 holdouts, 1 heavy-up) from lifts.csv." in run.stdout
    heavy.loc[3, "spend_tested"] = round(3 * spend, 2)
    heavy.to_csv(lifts, index=False)
    run = cli("fit", data, "--out", tmp_path / "c.csv", "--bootstrap", "0", "--experiments", lifts)
    assert run.returncode == 1 and "moved $" in run.stderr and "more than the $" in run.stderr, run.stderr
    bad = cli("fit", data, "--out", tmp_path / "d.csv", "--experiments", tmp_path / "none.csv")
    assert bad.returncode == 1 and "does not exist" in bad.stderr
