"""Campaigns as the unit of a creator's curve (planner.fit.creator_rows): several a quarter add up.

A campaign is a creator's rows with one campaign id, else its rows on one date; the curve
table's row is the quarter's response of the creator's usual campaigns, ``c * f(x / c)``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.curves.forms import FORMS, get_form, response
from planner.data.ingest import load
from planner.data.roster import find_roster, load_roster
from planner.fit.creator_rows import CAMPAIGNS, campaigns_of, fit_creators, usual_campaigns
from planner.fit.creators import fit_creator_model
from planner.fit.pipeline import fit_curves
from planner.fit.roster import apply_roster
from planner.fit.table_rows import floor_outcome
from planner.optimize import optimize
from tests.fit.fit_cases import FakeDataset, simulate_creators

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
NOISE = 0.15  # sd of one campaign's log revenue


def several_tracker(seed: int = 0, per_network: int = 12, networks=("Instagram", "TikTok")):
    """Creators running 2 or 3 campaigns (their own number) in 6 of 8 quarters, 1-4 posts each, on distinct dates.

    Returns (rows, truth): one row per campaign, and each creator's true campaign curve (hill,
    k = 2.5 posts' fee, s = 1.4) with ``per_q``, its campaigns a quarter.
    """
    rng = np.random.default_rng(seed)
    rows, truth = [], []
    for net in networks:
        for i in range(per_network):
            handle = f"@{net.lower()}_{i:02d}"
            followers = float(np.exp(rng.uniform(np.log(5e3), np.log(1e6))))
            fee = round(followers / 1000 * 10 * np.exp(rng.normal(0, 0.2)), -1) + 10
            k, s, per_q = 2.5 * fee, 1.4, int(rng.integers(2, 4))
            ref = 2 * fee
            beta = 6.0 * np.exp(rng.normal(0, 0.25)) * ref * (1 + (k / ref) ** s)
            truth.append(dict(name=f"{net}/{handle}", network=net, curve="hill", beta=beta, k=k, s=s,
                              unit_cost=fee, per_q=per_q))
            for q in np.sort(rng.choice(8, size=6, replace=False)):
                start = pd.Timestamp("2023-01-02") + pd.DateOffset(months=3 * int(q))
                for j in range(per_q):
                    posts = int(rng.integers(1, 5))
                    x = posts * fee
                    y = beta * x**s / (x**s + k**s) * np.exp(rng.normal(-0.5 * NOISE**2, NOISE))
                    rows.append(dict(date=start + pd.Timedelta(days=28 * j + int(rng.integers(0, 20))), network=net,
                                     entity=handle, spend=x, outcome=round(y, 2), posts=posts, followers=followers))
    return pd.DataFrame(rows), pd.DataFrame(truth)


@pytest.fixture(scope="module")
def several():
    rows, truth = several_tracker(seed=5)
    return rows, truth, fit_creators(rows)


def _one_campaign(table: pd.DataFrame) -> pd.DataFrame:
    """The curve of one campaign behind each row of a fitted table: its ``c * f(x / c)`` undone."""
    out = table.copy()
    for i, r in enumerate(table.itertuples(index=False)):
        beta, k, _ = get_form(r.curve).repeat(r.beta, r.k, r.s, 1.0 / getattr(r, CAMPAIGNS))
        out.iloc[i, out.columns.get_loc("beta")], out.iloc[i, out.columns.get_loc("k")] = float(beta), float(k)
    return out


def test_several_campaigns_a_quarter_recover_the_campaign_curve(several):
    rows, truth, table = several
    t = table.set_index("name")
    tr = truth.set_index("name")
    assert (t.loc[tr.index, CAMPAIGNS] == tr["per_q"]).all()
    assert (t.loc[tr.index, "n_obs"] == 6 * tr["per_q"]).all()  # every campaign a point, not every quarter
    one = _one_campaign(table).set_index("name")
    name = rows["network"] + "/" + rows["entity"]
    x = rows["spend"].to_numpy(dtype=float)
    fit = response(one.loc[name].reset_index(), x)
    true = response(tr.loc[name].reset_index(), x)
    err = pd.Series(np.abs(fit / true - 1), index=name.to_numpy()).groupby(level=0).median()
    # 12-18 campaigns with 15 % log noise pin a creator's level to about 15 % / sqrt(15) = 4 %; the pooled
    # shape adds a few points at the smallest and largest campaigns: 8 % is twice what the data allow
    assert err.median() < 0.08, err.sort_values().tail()
    assert err.max() < 0.25


def test_the_quarter_of_several_campaigns_is_their_sum_not_one_big_campaign(several):
    rows, truth, table = several
    tr = truth.set_index("name")
    q = rows.assign(name=rows["network"] + "/" + rows["entity"], quarter=pd.to_datetime(rows["date"]).dt.to_period("Q"))
    quarters = q.groupby(["name", "quarter"])["spend"].sum().reset_index()
    x = quarters["spend"].to_numpy(dtype=float)
    per_q = tr.loc[quarters["name"], "per_q"].to_numpy(dtype=float)
    campaign = tr.loc[quarters["name"]].reset_index()
    true = per_q * response(campaign, x / per_q)  # the quarter's spend split evenly over its campaigns
    fit = response(table.set_index("name").loc[quarters["name"]].reset_index(), x)
    assert np.median(np.abs(fit / true - 1)) < 0.08
    # read as one campaign of the quarter's spend, the truth would be far lower: the fit does not do that
    assert np.median(response(campaign, x) / true) < 0.75


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("c", [1.0, 2.0, 3.0, 2.5, 0.25])
def test_the_quarter_row_is_c_times_one_campaign_for_every_form(form, c):
    rng = np.random.default_rng(hash((form, c)) % 2**32)
    beta, k, s = float(rng.uniform(1e3, 1e5)), float(rng.uniform(100, 5000)), float(rng.uniform(0.6, 2.5))
    one = pd.DataFrame({"curve": [form], "beta": [beta], "k": [k], "s": [s]})
    qb, qk, qs = get_form(form).repeat(beta, k, s, c)
    quarter = pd.DataFrame({"curve": [form], "beta": [float(qb)], "k": [float(qk) if np.isfinite(qk) else np.nan],
                            "s": [qs]})
    for x in (0.0, 1.0, 0.3 * k, k, 7.5 * k, 40.0 * k):
        np.testing.assert_allclose(response(quarter, x), c * response(one, x / c), rtol=1e-12, atol=1e-9)


def test_a_campaign_id_groups_the_rows_it_names():
    dates = pd.to_datetime(["2024-01-08", "2024-01-15", "2024-01-22", "2024-02-05", "2024-02-05", "2024-03-04"])
    rows = pd.DataFrame({
        "date": dates, "network": "Instagram", "entity": "@a",
        "campaign": ["Spring", "Spring", "Spring", None, "", "Launch"],
        "spend": [100.0, 100.0, 100.0, 50.0, 50.0, 200.0], "outcome": [300.0, 200.0, 100.0, 80.0, 70.0, 500.0],
        "posts": [1, 1, 1, 1, 1, 2],
    })
    camp = campaigns_of(rows)
    # "Spring" over three dates is one campaign; the two rows without an id on one date are another
    assert len(camp) == 3
    by_spend = camp.set_index("spend")
    assert by_spend.loc[300.0, "outcome"] == 600.0 and by_spend.loc[300.0, "date"] == pd.Timestamp("2024-01-08")
    assert by_spend.loc[100.0, "outcome"] == 150.0
    assert by_spend.loc[200.0, "outcome"] == 500.0
    # without the column, every date is a campaign
    assert len(campaigns_of(rows.drop(columns="campaign"))) == 5
    table = fit_creators(rows)
    assert int(table["n_obs"].iloc[0]) == 3 and float(table[CAMPAIGNS].iloc[0]) == 3.0
    assert float(table["current_spend"].iloc[0]) == 600.0  # the quarter's spend, over its campaigns


def test_usual_campaigns_is_the_median_of_active_quarters_rounded_down():
    assert usual_campaigns(["Q1", "Q1", "Q2", "Q2", "Q2", "Q4", "Q4"]) == 2  # 2, 3, 2
    assert usual_campaigns(["Q1", "Q1", "Q2", "Q2", "Q2"]) == 2  # 2 and 3: a half rounded down
    assert usual_campaigns(["Q1", "Q2", "Q3"]) == 1
    assert usual_campaigns([]) == 1


def test_one_campaign_a_quarter_gives_the_curves_of_quarter_points():
    # what the fit did before campaigns were its unit: a creator's quarter summed into one point
    rows, _ = simulate_creators(seed=3)
    table = fit_creators(rows, period_weeks=26)
    q = rows.assign(quarter=pd.to_datetime(rows["date"]).dt.to_period("Q"))
    pts = q.groupby(["network", "entity", "quarter"], sort=True)[["spend", "outcome"]].sum().reset_index()
    keys = pts[["network", "entity"]].drop_duplicates().reset_index(drop=True)
    pts = pts.merge(keys.assign(cid=np.arange(len(keys))), on=["network", "entity"])
    attrs = q.assign(fee=q["spend"] / q["posts"]).groupby(["network", "entity"], sort=True).agg(
        unit_cost=("fee", "median"), followers=("followers", "median")).reset_index()
    creators = attrs.assign(n=pts.groupby("cid").size().to_numpy())
    model = fit_creator_model(pts.assign(y=floor_outcome(pts["outcome"].to_numpy(dtype=float))), creators)
    assert (table[CAMPAIGNS] == 2.0).all()  # one a quarter: two in a 26-week period
    np.testing.assert_allclose(table["beta"], model.beta * 2, rtol=1e-12)
    np.testing.assert_allclose(table["k"], model.k * 2, rtol=1e-12)
    np.testing.assert_allclose(table["beta_p10"], model.beta * model.lo * 2, rtol=1e-12)
    assert table["n_obs"].tolist() == creators["n"].tolist()


def test_the_sample_tracker_gives_the_curves_it_gave_before():
    # the shipped sample has one campaign a quarter; sample_fit.parquet was fitted before campaigns were the unit
    before = pd.read_parquet(SAMPLES / "sample_fit.parquet").set_index("name")
    ds = load(SAMPLES / "creator_campaigns.xlsx")
    now = apply_roster(fit_curves([ds], n_boot=5), find_roster(SAMPLES / "creator_campaigns.xlsx"), [ds])
    now = now.loc[now["name"].str.contains("/")].set_index("name")
    assert (now[CAMPAIGNS] == 1.0).all()
    for col in ("beta", "k", "s", "beta_p10", "beta_p90", "max_spend", "unit_cost", "current_spend", "observed_max"):
        np.testing.assert_allclose(now[col], before.loc[now.index, col], rtol=1e-9, err_msg=col)
    assert now["pooling_note"].str.endswith("as in its history.").all()


def test_the_roster_limits_hold_and_its_campaigns_replace_the_usual_number(several):
    rows, truth, table = several
    name = truth["name"].iloc[0]
    handle = name.split("/")[1]
    roster = pd.DataFrame({"network": truth["network"], "entity": truth["name"].str.split("/").str[1],
                           "fee_per_post": truth["unit_cost"], "max_posts": 5.0})
    roster.loc[roster["entity"] == handle, "campaigns"] = 1.0
    out = apply_roster(table, roster, [FakeDataset("attributed", rows)])
    t, before = out.set_index("name"), table.set_index("name")
    np.testing.assert_allclose(t["max_spend"], 5 * t["unit_cost"])
    # one campaign a quarter instead of its usual c: c * f(x / c) becomes f(x)
    c = float(before.loc[name, CAMPAIGNS])
    assert t.loc[name, CAMPAIGNS] == 1.0
    np.testing.assert_allclose(t.loc[name, ["beta", "k"]].to_numpy(dtype=float),
                               before.loc[name, ["beta", "k"]].to_numpy(dtype=float) / c, rtol=1e-12)
    np.testing.assert_allclose(t.loc[name, "beta_p90"] / t.loc[name, "beta"],
                               before.loc[name, "beta_p90"] / before.loc[name, "beta"], rtol=1e-12)
    assert t.loc[name, "pooling_note"].endswith("Planned as 1 campaign in the period, as the roster says.")
    others = t.index != name
    np.testing.assert_allclose(t.loc[others, "beta"], before.loc[t.index[others], "beta"], rtol=1e-12)
    # a budget far above what the roster allows: no creator gets more than its maximum posts
    plan = optimize(out, budget=10 * float(out["max_spend"].sum())).table.set_index("name")
    assert (plan["spend"] <= t.loc[plan.index, "max_spend"] + 1e-6).all()
    assert (plan["units"] <= 5).all()


def test_a_roster_column_of_campaigns_is_read_per_quarter():
    text = ("Creator,Network,Fee per post,Max posts per quarter,Campaigns per month\n"
            "@a,Instagram,100,6,1\n@b,TikTok,80,4,\n")
    r = load_roster(text.encode(), name="rate_card.csv")
    assert dict(r.mapping)["Campaigns per month"] == "campaigns"
    t = r.table.set_index("entity")
    assert t.loc["@a", "campaigns"] == 3.0 and np.isnan(t.loc["@b", "campaigns"])
    assert any("Campaigns per month were converted" in i.message for i in r.issues)
    assert "campaigns a quarter" in r.describe()
