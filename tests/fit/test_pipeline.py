"""planner.fit.pipeline: fit_curves makes one table of several datasets, refuses in one sentence, and fits
the sample data close to its true curves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import response
from planner.fit.pipeline import FitError, fit_curves
from planner.fit.table_rows import SOURCES
from tests.fit.fit_cases import FakeDataset, rel_error_at_observed, simulate_creators

ROOT = Path(__file__).resolve().parents[2]


def test_several_datasets_make_one_table(paid):
    rows, table = paid
    creators, _ = simulate_creators(seed=4, networks=("YouTube",), per_network=5)
    both = fit_curves([FakeDataset("attributed", rows), FakeDataset("attributed", creators)], n_boot=50, seed=4)
    assert len(both) == len(table) + 5
    assert set(both["source"]) == {SOURCES["paid"], SOURCES["creator"]}


def test_fit_curves_errors_are_one_sentence():
    rows, _ = simulate_creators(seed=1, per_network=4)
    with pytest.raises(FitError, match="no data"):
        fit_curves([])
    with pytest.raises(FitError, match="kind"):
        fit_curves(FakeDataset("weekly", rows))
    with pytest.raises(FitError, match="more than one dataset"):
        fit_curves([FakeDataset("attributed", rows)] * 2, n_boot=0)
    with pytest.raises(FitError, match="no spend"):
        fit_curves(FakeDataset("attributed", rows.assign(spend=0.0)))


# ----------------------------------------------------------------------------- the sample data

SAMPLE = ROOT / "sample_data"


@pytest.mark.skipif(
    not all((SAMPLE / f).exists() for f in ("creator_campaigns.xlsx", "weekly_paid_media.xlsx", "true_curves.csv"))
    or not (ROOT / "planner" / "data" / "ingest.py").exists(),
    reason="sample data or importer not there",
)
def test_sample_data_fits_close_to_the_true_curves():
    from planner.data.ingest import load

    campaigns = load(SAMPLE / "creator_campaigns.xlsx")
    weekly = load(SAMPLE / "weekly_paid_media.xlsx")
    table = fit_curves([campaigns, weekly], n_boot=20, seed=0)
    truth = pd.read_csv(SAMPLE / "true_curves.csv")
    assert set(table["name"]) == set(truth["name"])
    t = table.set_index("name")
    # creators: median over creators of the relative error at their campaigns' spend
    creator_err = rel_error_at_observed(table, truth, campaigns.rows)
    assert creator_err.median() < 0.12, creator_err.describe()
    assert (t.loc[creator_err.index, "source"] == SOURCES["creator"]).all()
    # networks: relative error over the range of quarterly spend seen
    net_err = {}
    tru = truth.set_index("name")
    for name in t.index[t["source"] == SOURCES["mmm"]]:
        x = np.linspace(t.loc[name, "observed_min"], t.loc[name, "observed_max"], 9)
        f = response(t.loc[[name] * 9].reset_index(), x)
        r = response(tru.loc[[name] * 9].reset_index(), x)
        net_err[name] = float(np.median(np.abs(f / r - 1)))
    assert len(net_err) == 6
    # 156 noisy weeks cannot pin every network down (python -m planner.bench.fit: even the true
    # shapes and baseline given, plain least squares misses the scales by ~20%); the big
    # networks, where the data speak, are close, and what matters, the plan, nearly optimal.
    # This sample with the decay's prior N(0.3, 0.2): median 0.37 and mean 0.41 over the six networks, the
    # worst 0.87 (X); with N(0.3, 0.4) it was 0.32, 0.52 and 1.60 (planner.fit.mmm: over the benchmark's
    # 60 seeds the median error fell by 3-5 points)
    assert np.median(list(net_err.values())) < 0.40, net_err
    assert np.mean(list(net_err.values())) < 0.45 and max(net_err.values()) < 1.0, net_err
    assert net_err["Instagram"] < 0.25 and net_err["TikTok"] < 0.25, net_err
    from planner.optimize import optimize

    paid = truth.loc[truth["kind"] == "paid media"].reset_index(drop=True)
    budget = float(paid["current_spend"].sum())
    fitted = t.loc[paid["name"]].reset_index()
    plan = optimize(fitted, budget).table.set_index("name").loc[paid["name"], "spend"].to_numpy()
    best = optimize(paid, budget).table.set_index("name").loc[paid["name"], "spend"].to_numpy()
    regret = 1 - response(paid, plan).sum() / response(paid, best).sum()
    assert 0 <= regret < 0.035, regret  # 3.1 % on this sample (2.8 % before); 1.9-2.2 % over the bench's seeds
