"""planner.bench.fit's several-campaigns tracker: its truth, its floors, and the one-campaign files unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.bench.fit_bayes import bayes_score, creator_bayes
from planner.bench.fit_floors import creator_floor
from planner.bench.fit_measures import creator_errors
from planner.bench.fit_runs import accuracy
from planner.bench.fit_sample import SEEDS, SEVERAL, campaign_rows, campaigns, make_sample, per_campaign
from planner.curves.forms import response

SEED = 9  # not a benchmark seed


@pytest.fixture(scope="module")
def several(tmp_path_factory):
    return make_sample(SEED, tmp_path_factory.mktemp("several"), SEVERAL)


def test_the_tracker_runs_several_campaigns_a_quarter_on_distinct_dates(several):
    assert SEED not in SEEDS
    rows = several.creators.rows
    creators = rows.loc[rows["entity"] != ""]
    q = creators.assign(quarter=pd.to_datetime(creators["date"]).dt.to_period("Q"))
    per = q.groupby(["network", "entity", "quarter"]).agg(n=("date", "size"), dates=("date", "nunique"))
    assert per["n"].between(*SEVERAL).all() and (per["n"] == per["dates"]).all()
    assert creators["posts"].between(1, 4).all()
    truth = several.truth.loc[several.truth["kind"] == "creator"].set_index("name")
    assert truth["campaigns"].between(*SEVERAL).all()
    # a creator's usual number is the most frequent in its quarters
    usual = per.reset_index().assign(name=lambda d: d["network"] + "/" + d["entity"]).groupby("name")["n"] \
        .agg(lambda s: s.value_counts().idxmax())
    assert (usual == truth.loc[usual.index, "campaigns"]).mean() > 0.7


def test_the_truth_is_the_quarter_of_even_campaigns(several):
    truth = several.truth.loc[several.truth["kind"] == "creator"].reset_index(drop=True)
    one = per_campaign(truth)
    c = truth["campaigns"].to_numpy(dtype=float)
    x = truth["max_spend"].to_numpy(dtype=float) * 0.6
    np.testing.assert_allclose(response(truth, x), c * response(one, x / c), rtol=1e-9)
    # the data's revenue follows a campaign's curve: revenue / f(spend) is the noise, about 1
    camp = campaign_rows(several.creators.rows)
    ratio = camp["outcome"].to_numpy() / response(one.set_index("name").loc[camp.index].reset_index(),
                                                  camp["spend"].to_numpy(dtype=float))
    assert 0.85 < np.median(ratio) < 1.15
    assert len(camp) > len(campaigns(several.creators.rows))


def test_floor_and_bayes_read_campaigns(several):
    truth = several.truth.loc[several.truth["kind"] == "creator"].reset_index(drop=True)
    fc = creator_floor(several)
    np.testing.assert_allclose(fc["k"], truth["k"])
    assert np.median(creator_errors(fc, truth, several.creators.rows)) < 0.1
    vb = creator_bayes(several, draws=1500)
    t = truth.set_index("name")
    for name, v in vb.items():
        assert len(v) >= round(t.loc[name, "max_spend"] / t.loc[name, "unit_cost"]) + 1 and v[0] == 0
    score = bayes_score(several, draws=1500)
    assert score["error"] < 0.12 and all(0 <= score[f"regret_{m}x"] < 0.2 for m in ("0.5", "1", "2"))


def test_accuracy_on_the_several_campaigns_tracker(several, monkeypatch):
    from planner.bench import fit_runs

    monkeypatch.setattr(fit_runs, "make_sample", lambda seed, out, *tracker, **shapes: several)
    acc, nets = accuracy([SEED], n_boot=5, campaigns_per_quarter=SEVERAL, weekly=False)
    assert set(acc["data"]) == {"creators, 2-3 campaigns a quarter"} and nets.empty
    assert set(acc["model"]) == {"fitted", "floor", "bayes"}
    fitted = acc.set_index("model").loc["fitted"]
    assert fitted["error"] < 0.12 and fitted["regret_1x"] < 0.1


def test_the_default_tracker_is_one_campaign_a_quarter(tmp_path):
    smp = make_sample(SEED, tmp_path)
    assert "campaigns" not in smp.truth.columns
    assert len(campaign_rows(smp.creators.rows)) == len(campaigns(smp.creators.rows))
