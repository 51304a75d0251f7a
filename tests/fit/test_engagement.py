"""planner.fit.engagement and the curve table's engagement_per_dollar column (fit, files, roster)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.curves.files import read_curves, write_curves
from planner.fit.engagement import COLUMN, engagement_per_dollar, engagement_rates, has_engagements
from planner.fit.pipeline import fit_curves
from planner.fit.roster import apply_roster
from tests.fit.fit_cases import FakeDataset  # stand-in for planner.data.dataset.Dataset: what the fit reads

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def _quarter(q: int) -> pd.Timestamp:
    return pd.Timestamp("2023-01-10") + pd.DateOffset(months=3 * q)


def campaigns(seed: int = 0, per_network: int = 8, noise: float = 0.3) -> tuple[pd.DataFrame, dict]:
    """Creator campaigns with known engagements per dollar: TikTok ~40, Instagram ~3 (log-normal spread).

    Creator 0 of each network has one campaign, far above its network (10x); the others eight.
    Returns (rows, true rate per creator name).
    """
    rng = np.random.default_rng(seed)
    rows, truth = [], {}
    for net, level in (("TikTok", 40.0), ("Instagram", 3.0)):
        for i in range(per_network):
            handle = f"@{net.lower()}_{i}"
            rate = level * (10.0 if i == 0 else float(np.exp(rng.normal(0, 0.3))))
            truth[f"{net}/{handle}"] = rate
            n = 1 if i == 0 else 8
            for q in range(n):
                posts = int(rng.integers(1, 5))
                spend = posts * 500.0
                rows.append(dict(date=_quarter(q), network=net, entity=handle, spend=spend,
                                 outcome=spend * 4 * float(np.exp(rng.normal(0, 0.2))), posts=posts,
                                 engagements=round(rate * spend * float(np.exp(rng.normal(0, noise))))))
    # the network's paid media, weekly, with engagements on some weeks only
    for w in range(20):
        rows.append(dict(date=pd.Timestamp("2023-01-02") + pd.Timedelta(weeks=w), network="TikTok", entity="",
                         spend=1000.0, outcome=3000.0 * float(np.exp(rng.normal(0, 0.1))), posts=np.nan,
                         engagements=5000.0 if w % 2 == 0 else np.nan))
    return pd.DataFrame(rows), truth


def test_creators_are_pulled_toward_their_network_the_more_the_fewer_campaigns():
    rows, truth = campaigns()
    rates = engagement_rates([FakeDataset("attributed", rows)]).set_index("name")
    lone = rates.loc["TikTok/@tiktok_0"]
    assert lone["campaigns"] == 1
    # its own rate is 10x the network's; the estimate is pulled toward the network, not past it
    assert lone["network_per_dollar"] < lone["engagement_per_dollar"] < lone["own_per_dollar"]
    assert lone["pooled_weight"] > 0.3
    regular = rates.loc[[n for n in rates.index if n.startswith("TikTok/@") and n != "TikTok/@tiktok_0"]]
    assert (regular["campaigns"] == 8).all()
    assert (regular["pooled_weight"] < lone["pooled_weight"]).all()
    # with eight campaigns a creator keeps close to its own rate, which is close to the truth
    rel = (regular["engagement_per_dollar"] / regular["own_per_dollar"] - 1).abs()
    assert rel.max() < 0.15
    truth_ratio = regular["engagement_per_dollar"] / pd.Series(truth).reindex(regular.index)
    assert truth_ratio.between(0.75, 1.33).all()
    # the networks stay apart: no TikTok creator is pulled down to Instagram's level
    insta = rates[rates["network"] == "Instagram"]
    tiktok = rates[rates["network"] == "TikTok"].drop(index="TikTok")
    regular_insta = insta.drop(index="Instagram/@instagram_0")
    assert tiktok["engagement_per_dollar"].min() > 3 * regular_insta["engagement_per_dollar"].max()


def test_paid_media_rate_is_engagements_over_spend_of_the_rows_that_report_them():
    rows, _ = campaigns()
    rates = engagement_rates([FakeDataset("attributed", rows)]).set_index("name")
    paid = rates.loc["TikTok"]
    assert paid["engagement_per_dollar"] == pytest.approx(5.0)  # 10 weeks x 5,000 / 10 weeks x $1,000
    assert paid["campaigns"] == 10 and paid["pooled_weight"] == 0


def test_no_engagements_no_rates():
    rows, _ = campaigns()
    ds = FakeDataset("attributed", rows.drop(columns="engagements"))
    assert not has_engagements([ds])
    assert engagement_rates([ds]).empty
    assert not has_engagements([FakeDataset("total", rows)])  # a marketing-mix dataset has none per row


def test_a_creator_without_engagements_in_the_data_gets_its_networks_figure():
    rows, _ = campaigns()
    rows.loc[rows["entity"] == "@instagram_3", "engagements"] = np.nan
    curves = pd.DataFrame({"name": ["Instagram/@instagram_3", "Instagram/@instagram_4", "YouTube"],
                           "network": ["Instagram", "Instagram", "YouTube"]})
    ds = [FakeDataset("attributed", rows)]
    col = engagement_per_dollar(curves, ds)
    rates = engagement_rates(ds).set_index("name")
    assert col.name == COLUMN
    assert col.iloc[0] == pytest.approx(rates.loc["Instagram/@instagram_5", "network_per_dollar"])
    assert col.iloc[1] == pytest.approx(rates.loc["Instagram/@instagram_4", "engagement_per_dollar"])
    assert np.isnan(col.iloc[2])  # a network with no engagement data: unknown, counted as 0 by the optimizer


def test_fit_adds_the_column_only_when_the_data_has_engagements():
    rows, _ = campaigns()
    with_eng = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    assert COLUMN in with_eng.columns
    rates = engagement_rates([FakeDataset("attributed", rows)]).set_index("name")
    got = with_eng.set_index("name")[COLUMN]
    assert got.loc["TikTok/@tiktok_2"] == pytest.approx(rates.loc["TikTok/@tiktok_2", "engagement_per_dollar"])
    assert got.loc["TikTok"] == pytest.approx(5.0)
    without = fit_curves(FakeDataset("attributed", rows.drop(columns="engagements")), n_boot=0)
    assert COLUMN not in without.columns


def test_the_column_survives_csv_and_xlsx(tmp_path):
    rows, _ = campaigns()
    curves = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    for name in ("curves.csv", "curves.xlsx"):
        back = read_curves(write_curves(curves, tmp_path / name))
        assert COLUMN in back.columns
        np.testing.assert_allclose(back[COLUMN].to_numpy(dtype=float), curves[COLUMN].to_numpy(dtype=float),
                                   rtol=1e-12)


def test_a_dearer_post_in_the_roster_buys_fewer_engagements_per_dollar():
    rows, _ = campaigns()
    curves = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    roster = pd.DataFrame({"entity": ["@tiktok_2"], "network": ["TikTok"], "fee_per_post": [1000.0]})
    out = apply_roster(curves, roster).set_index("name")
    before = curves.set_index("name")
    assert before.loc["TikTok/@tiktok_2", "unit_cost"] == pytest.approx(500.0)
    assert out.loc["TikTok/@tiktok_2", COLUMN] == pytest.approx(before.loc["TikTok/@tiktok_2", COLUMN] / 2)
    assert out.loc["TikTok/@tiktok_3", COLUMN] == pytest.approx(before.loc["TikTok/@tiktok_3", COLUMN])


def test_sample_creators_rates_follow_their_campaigns():
    from planner.data.ingest import load
    from planner.report.engagement_tables import creator_engagement

    ds = [load(SAMPLE / "creator_campaigns.xlsx")]
    rates = engagement_rates(ds).set_index("name")
    own = creator_engagement(ds).set_index("name")["engagements_per_dollar"]
    assert len(rates) == 60 and set(rates.index) == set(own.index)
    np.testing.assert_allclose(rates["own_per_dollar"].reindex(own.index), own, rtol=1e-9)
    # creators with many campaigns keep nearly their own rate; every estimate lies between its own and its network's
    many = rates[rates["campaigns"] >= 7]
    assert ((many["engagement_per_dollar"] / many["own_per_dollar"] - 1).abs() < 0.1).all()
    lo = np.minimum(rates["own_per_dollar"], rates["network_per_dollar"])
    hi = np.maximum(rates["own_per_dollar"], rates["network_per_dollar"])
    assert (rates["engagement_per_dollar"].between(lo * 0.999, hi * 1.001)).all()
    by_net = rates.groupby("network")["engagement_per_dollar"].median()
    assert by_net.idxmax() == "TikTok"


def test_data_whose_engagements_are_all_zero_gives_zero_rates_not_a_floor():
    rows, _ = campaigns()
    rates = engagement_rates([FakeDataset("attributed", rows.assign(engagements=0.0))])
    assert len(rates) == 17  # 16 creators and the paid media
    assert (rates["engagement_per_dollar"] == 0).all()
