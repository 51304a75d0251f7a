"""planner.fit.pipeline: creator curves with pooling, attributed paid media, the curve table."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.curves.forms import marginal, response  # noqa: E402
from planner.curves.table import validate_curves  # noqa: E402
from planner.fit.pipeline import SOURCES, TABLE_COLUMNS, FitError, fit_curves  # noqa: E402
from planner.fit.pooling import shrink  # noqa: E402

NOISE = 0.15  # sd of the log noise of a campaign


@dataclass(frozen=True)
class FakeDataset:
    """Stand-in for planner.data.dataset.Dataset: what the fit reads."""

    kind: str
    rows: pd.DataFrame
    outcome: pd.DataFrame | None = None
    source: str = "simulated"


def _quarter_dates(n_quarters: int) -> list[pd.Timestamp]:
    return [pd.Timestamp("2023-01-01") + pd.DateOffset(months=3 * q) + pd.Timedelta(days=10) for q in range(n_quarters)]


def simulate_creators(seed: int = 0, networks=("Instagram", "TikTok"), per_network: int = 12,
                      thin_every: int = 4, noise: float = NOISE):
    """Creator campaigns from known curves: hill with k = 3 posts' fee, s = 1.4.

    Returns (rows, truth): one row per campaign, and the true quarterly curve table.
    Every ``thin_every``-th creator has one or two campaigns, the others eight.
    """
    rng = np.random.default_rng(seed)
    quarters = _quarter_dates(8)
    rows, truth = [], []
    for net in networks:
        roas = {"Instagram": 6.0, "TikTok": 4.0}.get(net, 5.0)
        for i in range(per_network):
            handle = f"@{net.lower()}_{i:02d}"
            followers = float(np.exp(rng.uniform(np.log(5e3), np.log(1e6))))
            fee = round(followers / 1000 * 10 * np.exp(rng.normal(0, 0.2)), -1) + 10
            k, s = 3.0 * fee, 1.4
            ref = 3 * fee  # a typical campaign: three posts
            beta = roas * np.exp(rng.normal(0, 0.25)) * ref * (1 + (k / ref) ** s)
            truth.append(dict(name=f"{net}/{handle}", network=net, curve="hill", beta=beta, k=k, s=s,
                              unit_cost=fee, followers=followers))
            n = int(rng.integers(1, 3)) if i % thin_every == 0 else 8
            for q in rng.choice(8, size=n, replace=False):
                posts = int(rng.integers(1, 7))
                x = posts * fee
                y = beta * x**s / (x**s + k**s) * np.exp(rng.normal(-0.5 * noise**2, noise))
                rows.append(dict(date=quarters[q], network=net, entity=handle, spend=x, outcome=round(y, 2),
                                 posts=posts, followers=followers))
    return pd.DataFrame(rows), pd.DataFrame(truth)


def _rel_error_at_observed(table: pd.DataFrame, truth: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Median |fitted / true - 1| of each creator's response over its observed spends."""
    fit = table.set_index("name")
    tru = truth.set_index("name")
    rows = rows.assign(name=rows["network"] + "/" + rows["entity"])
    out = {}
    for name, g in rows.groupby("name"):
        x = g["spend"].to_numpy()
        f = response(fit.loc[[name] * len(x)].reset_index(), x)
        t = response(tru.loc[[name] * len(x)].reset_index(), x)
        out[name] = float(np.median(np.abs(f / t - 1)))
    return pd.Series(out)


@pytest.fixture(scope="module")
def creators():
    rows, truth = simulate_creators(seed=3)
    table = fit_curves(FakeDataset("attributed", rows), n_boot=20, seed=0)
    return rows, truth, table


# ----------------------------------------------------------------------------- creators


def test_creator_table_follows_the_contract(creators):
    rows, truth, table = creators
    assert list(table.columns)[: len(TABLE_COLUMNS)] == list(TABLE_COLUMNS)
    pd.testing.assert_frame_equal(validate_curves(table), table)
    assert set(table["name"]) == set(truth["name"])
    assert (table["source"] == SOURCES["creator"]).all()
    assert table["curve"].isin(["hill", "logistic", "log"]).all()
    assert ((table["pooled_weight"] >= 0) & (table["pooled_weight"] <= 1)).all()
    assert (table["beta_p10"] < table["beta"]).all() and (table["beta"] < table["beta_p90"]).all()
    # unit cost = fee per post; current = the creator's last quarter; observed range
    t = table.set_index("name")
    tr = truth.set_index("name")
    np.testing.assert_allclose(t.loc[tr.index, "unit_cost"], tr["unit_cost"], rtol=1e-9)
    r = rows.assign(name=rows["network"] + "/" + rows["entity"]).sort_values("date")
    last = r.groupby("name")["spend"].last()
    np.testing.assert_allclose(t.loc[last.index, "current_spend"], last)
    np.testing.assert_allclose(t.loc[last.index, "observed_max"], r.groupby("name")["spend"].max())
    np.testing.assert_allclose(t.loc[last.index, "observed_min"], r.groupby("name")["spend"].min())
    assert (t.loc[last.index, "n_obs"] == r.groupby("name").size()).all()
    assert t["max_spend"].eq(np.inf).all()  # not known from campaigns alone


def test_creator_curves_recover_the_truth_at_observed_spend(creators):
    rows, truth, table = creators
    err = _rel_error_at_observed(table, truth, rows)
    n = table.set_index("name")["n_obs"]
    assert err.median() < 0.10, err.sort_values().tail()
    rich = err[n.loc[err.index] >= 8]
    assert rich.median() < 0.08
    assert rich.max() < 0.30


def test_fitted_curves_increase_with_spend(creators):
    _, _, table = creators
    grid = np.linspace(0, 3, 31)
    prev = np.zeros(len(table))
    for g in grid[1:]:
        x = g * table["observed_max"].to_numpy()
        cur = response(table, x)
        assert (cur > prev).all()
        assert (marginal(table, x) >= 0).all()
        prev = cur


def test_thin_creators_are_pooled_more_than_rich_ones(creators):
    _, _, table = creators
    thin = table.loc[table["n_obs"] <= 2, "pooled_weight"]
    rich = table.loc[table["n_obs"] >= 8, "pooled_weight"]
    assert len(thin) >= 4 and len(rich) >= 10
    assert thin.min() > rich.max()
    assert thin.mean() > 3 * rich.mean()
    # and their intervals are wider
    width = np.log(table["beta_p90"] / table["beta_p10"])
    assert width[table["n_obs"] <= 2].mean() > width[table["n_obs"] >= 8].mean()


def test_pooling_pulls_an_unlucky_thin_creator_back_to_its_network():
    rows, truth = simulate_creators(seed=5, noise=0.3)
    # one thin creator's single campaign returned a third of what its curve says
    thin = rows.groupby("entity").size()
    handle = thin[thin == 1].index[0]
    unlucky = rows.assign(outcome=np.where(rows["entity"] == handle, rows["outcome"] / 3, rows["outcome"]))
    table = fit_curves(FakeDataset("attributed", unlucky), n_boot=0).set_index("name")
    name = rows.loc[rows["entity"] == handle, "network"].iloc[0] + "/" + handle
    x = rows.loc[rows["entity"] == handle, "spend"].to_numpy()
    fitted = response(table.loc[[name]].reset_index(), x)[0]
    true = response(truth.set_index("name").loc[[name]].reset_index(), x)[0]
    observed = unlucky.loc[unlucky["entity"] == handle, "outcome"].iloc[0]
    assert table.loc[name, "pooled_weight"] > 0.3
    assert observed < fitted < true  # between its one data point and the truth


def test_shrink_weights_follow_the_empirical_bayes_formula():
    rng = np.random.default_rng(0)
    n = np.array([1, 1, 2, 3, 6, 8, 8, 8, 10, 12])
    est = rng.normal(0, 0.4, len(n))
    sh = shrink(est, n, sigma2=0.09)
    v = 0.09 / n
    np.testing.assert_allclose(sh.weight, sh.tau2 / (sh.tau2 + v))
    np.testing.assert_allclose(sh.post_mean, sh.weight * est + (1 - sh.weight) * sh.prior_mean)
    assert np.all(np.diff(sh.pooled_weight[np.argsort(n, kind="stable")]) <= 1e-12)
    # two creators cannot make a prior: no pooling
    two = shrink(est[:2], n[:2], 0.09)
    assert np.all(two.pooled_weight == 0) and np.array_equal(two.post_mean, est[:2])


@settings(max_examples=60, deadline=None)
@given(
    est=st.lists(st.floats(-5, 5), min_size=3, max_size=15),
    sigma2=st.floats(0.001, 1.0),
    data=st.data(),
)
def test_shrink_stays_between_each_creator_and_the_prior(est, sigma2, data):
    n = data.draw(st.lists(st.integers(1, 12), min_size=len(est), max_size=len(est)))
    sh = shrink(np.array(est), np.array(n), sigma2)
    assert np.all((sh.weight > 0) & (sh.weight <= 1))
    lo = np.minimum(est, sh.prior_mean) - 1e-9
    hi = np.maximum(est, sh.prior_mean) + 1e-9
    assert np.all((sh.post_mean >= lo) & (sh.post_mean <= hi))
    assert np.all(sh.post_var <= sigma2 / np.array(n) + 1e-12)
    # more campaigns, less pooling
    order = np.argsort(n, kind="stable")
    assert np.all(np.diff(sh.pooled_weight[order]) <= 1e-12)


def test_shrink_uses_a_size_covariate_when_it_explains_the_spread():
    rng = np.random.default_rng(1)
    size = rng.uniform(8, 14, 12)
    est = 1.0 * size + rng.normal(0, 0.1, 12)
    sh = shrink(est, np.full(12, 2), 0.04, {"followers": size})
    assert sh.covariate == "followers"
    assert np.corrcoef(sh.prior_mean, size)[0, 1] > 0.99


def test_campaign_rows_in_one_quarter_are_one_point():
    rows, _ = simulate_creators(seed=1, per_network=6)
    first = rows.iloc[[0]].copy()
    half = first.assign(spend=first["spend"] / 2, outcome=first["outcome"] / 2, posts=first["posts"] / 2)
    split = pd.concat([half] * 2)
    split.iloc[1, split.columns.get_loc("date")] += pd.Timedelta(days=20)
    again = pd.concat([split, rows.iloc[1:]], ignore_index=True)
    a = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    b = fit_curves(FakeDataset("attributed", again), n_boot=0)
    pd.testing.assert_frame_equal(a, b)


def test_zero_revenue_and_missing_posts_do_not_break_the_fit():
    rows, _ = simulate_creators(seed=2, per_network=6)
    rows.loc[0, "outcome"] = 0.0
    rows = rows.drop(columns=["posts", "followers"])
    table = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    assert np.isfinite(table["beta"]).all() and (table["beta"] > 0).all()
    assert table["unit_cost"].isna().all()


def test_same_seed_same_table_and_inputs_untouched(creators):
    rows, _, table = creators
    before = rows.copy()
    again = fit_curves(FakeDataset("attributed", rows), n_boot=20, seed=0)
    pd.testing.assert_frame_equal(table, again)
    pd.testing.assert_frame_equal(rows, before)


# ----------------------------------------------------------------------------- attributed paid media

PAID = {  # weekly truth: form, beta, k, s
    "Instagram": ("hill", 9000.0, 2500.0, 1.6),
    "TikTok": ("logistic", 6000.0, 1500.0, np.nan),
    "Pinterest": ("log", 1500.0, 400.0, np.nan),
}


def simulate_paid(seed: int = 0, weeks: int = 104, noise: float = 0.1) -> pd.DataFrame:
    """Daily platform-attributed rows (entity "") of three networks."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-01-01", periods=7 * weeks, freq="D")
    rows = []
    for net, (form, beta, k, s) in PAID.items():
        weekly = 2000.0 * np.exp(rng.uniform(np.log(0.1), np.log(2.5), weeks))
        curve = pd.DataFrame([dict(curve=form, beta=beta, k=k, s=s)] * weeks)
        outcome = response(curve, weekly) * np.exp(rng.normal(0, noise, weeks))
        for w in range(weeks):  # spread each week over its days
            share = rng.dirichlet(np.ones(7))
            for d in range(7):
                rows.append(dict(date=days[7 * w + d], network=net, entity="", spend=weekly[w] * share[d],
                                 outcome=outcome[w] * share[d]))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def paid():
    rows = simulate_paid()
    return rows, fit_curves(FakeDataset("attributed", rows), n_boot=50, seed=4)


def test_attributed_paid_media_is_fitted_per_week_and_scaled_to_the_quarter(paid):
    rows, table = paid
    t = table.set_index("name")
    assert set(t.index) == set(PAID)
    assert (t["source"] == SOURCES["paid"]).all() and (t["pooled_weight"] == 0).all()
    assert (t["n_obs"] == 104).all()
    for net, (form, beta, k, s) in PAID.items():
        weeks = pd.Grouper(key="date", freq="W-MON", label="left", closed="left")
        weekly = rows[rows["network"] == net].groupby(weeks)["spend"].sum()
        x = 13 * np.quantile(weekly, [0.1, 0.5, 0.9])
        true = 13 * response(pd.DataFrame([dict(curve=form, beta=beta, k=k, s=s)] * 3), x / 13)
        fitted = response(t.loc[[net] * 3].reset_index(), x)
        np.testing.assert_allclose(fitted, true, rtol=0.06, err_msg=net)
        np.testing.assert_allclose(t.loc[net, "current_spend"], weekly.iloc[-13:].sum(), rtol=1e-9)
        assert t.loc[net, "observed_max"] <= 13 * weekly.max() + 1e-6
        assert t.loc[net, "beta_p10"] < t.loc[net, "beta"] < t.loc[net, "beta_p90"]


def test_noise_free_paid_media_recovers_form_and_parameters():
    rows = simulate_paid(seed=1, noise=0.0)
    t = fit_curves(FakeDataset("attributed", rows), n_boot=0).set_index("name")
    for net, (form, beta, k, s) in PAID.items():
        assert t.loc[net, "curve"] == form, net
        np.testing.assert_allclose(t.loc[net, ["beta", "k"]].to_numpy(float), [13 * beta, 13 * k], rtol=0.01)
        if form == "hill":
            assert t.loc[net, "s"] == pytest.approx(s, rel=0.01)


def test_period_weeks_rescales_every_curve(paid):
    rows, table = paid
    half_year = fit_curves(FakeDataset("attributed", rows), period_weeks=26, n_boot=50, seed=4)
    a, b = table.set_index("name"), half_year.set_index("name")
    np.testing.assert_allclose(b["beta"], 2 * a["beta"], rtol=1e-9)
    np.testing.assert_allclose(b["k"], 2 * a["k"], rtol=1e-9)


# ----------------------------------------------------------------------------- fit_curves


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
    or not (ROOT / "planner" / "ingest.py").exists(),
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
    creator_err = _rel_error_at_observed(table, truth, campaigns.rows)
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
    # networks, where the data speak, are close, and what matters, the plan, nearly optimal
    assert np.median(list(net_err.values())) < 0.35, net_err
    assert net_err["Instagram"] < 0.25 and net_err["TikTok"] < 0.25, net_err
    from planner.optimize.solver import optimize

    paid = truth.loc[truth["kind"] == "paid media"].reset_index(drop=True)
    budget = float(paid["current_spend"].sum())
    fitted = t.loc[paid["name"]].reset_index()
    plan = optimize(fitted, budget).table.set_index("name").loc[paid["name"], "spend"].to_numpy()
    best = optimize(paid, budget).table.set_index("name").loc[paid["name"], "spend"].to_numpy()
    regret = 1 - response(paid, plan).sum() / response(paid, best).sum()
    assert 0 <= regret < 0.03, regret


# ----------------------------------------------------------------------------- pooling notes, shapes


def test_every_creator_says_how_far_it_was_pulled_and_why(creators):
    _, _, table = creators
    assert "pooling_note" in TABLE_COLUMNS
    for r in table.itertuples(index=False):
        note = r.pooling_note
        assert isinstance(note, str) and note.endswith(".")
        assert f"{r.n_obs} campaign" in note
        if r.pooled_weight >= 0.05:
            assert note.startswith(f"Pulled {100 * r.pooled_weight:.0f}% toward {r.network} creators")
            assert "Why:" in note and "per $1" in note
        else:
            assert note.startswith("Hardly pulled")
    thin = table.loc[table["n_obs"] <= 2, "pooling_note"]
    assert len(thin) >= 4 and thin.str.startswith("Pulled").all()
    assert thin.str.contains(r"so [12] campaigns? (?:is|are) (?:little|some|good) evidence\.$").all(), thin.tolist()


def test_pooling_note_wording():
    from planner.fit.pooling import pooling_note

    pulled = pooling_note("Instagram", 1, 0.62, 9.1, 5.4, 6.8, 2400.0, 3.0, "post", "followers", 0.2, 0.3)
    assert pulled == (
        "Pulled 62% toward Instagram creators of its follower count: its 1 campaign returned $9.10 per $1 at "
        "3 posts ($2,400), they return $5.40, the curve uses $6.80. Why: one campaign's revenue varies by about "
        "22% by chance while creators differ by about 35%, so 1 campaign is little evidence."
    )
    hardly = pooling_note("TikTok", 8, 0.01, 4.0, 5.0, 4.01, 500.0, 2.5, "post", "none", 0.2, 0.3)
    assert hardly.startswith("Hardly pulled (1%): its 8 campaigns show its own return clearly, $4.00 per $1 at 2.5 posts ($500)")
    alone = pooling_note("X", 3, 0.0, 2.0, 2.0, 2.0, 900.0, 900.0, "", "none", 0.2, float("nan"))
    assert alone.startswith("Not pooled: X has fewer than three creators") and "$900" in alone


def test_a_network_with_two_creators_is_not_pooled():
    rows, _ = simulate_creators(seed=6, networks=("Instagram", "TikTok"), per_network=8)
    keep = rows.loc[(rows["network"] == "Instagram") | rows["entity"].isin(["@tiktok_01", "@tiktok_02"])]
    t = fit_curves(FakeDataset("attributed", keep), n_boot=0).set_index("name")
    tik = t.loc[t["network"] == "TikTok"]
    assert len(tik) == 2 and (tik["pooled_weight"] == 0).all()
    assert tik["pooling_note"].str.startswith("Not pooled: TikTok has fewer than three creators").all()


def _log_creators(seed: int):
    """The creators of simulate_creators with concave log curves (k = 2 posts' fee) instead of hill."""
    rows, truth = simulate_creators(seed=seed)
    rng = np.random.default_rng(seed + 100)
    t = truth.set_index("name")
    name = rows["network"] + "/" + rows["entity"]
    fee = t.loc[name, "unit_cost"].to_numpy()
    scale = t.loc[name, "beta"].to_numpy() / 4
    y = scale * np.log1p(rows["spend"].to_numpy() / (2 * fee)) * np.exp(rng.normal(-0.5 * NOISE**2, NOISE, len(rows)))
    return rows.assign(outcome=np.round(y, 2))


def test_curves_are_s_shaped_only_when_the_data_support_it(creators):
    _, _, table = creators  # truth: hill with s = 1.4 for every creator
    s_shaped = (table["curve"] == "hill") & (table["s"] > 1)
    assert s_shaped.mean() > 0.8
    concave = fit_curves(FakeDataset("attributed", _log_creators(3)), n_boot=0)  # truth: log curves
    s_shaped = (concave["curve"] == "hill") & (concave["s"] > 1.05)
    assert s_shaped.mean() < 0.2, concave[["name", "curve", "s"]]


def test_noisy_s_shaped_creators_keep_s_shaped_curves():
    # with noisy campaigns held-out error cannot tell the forms apart; the one prior over
    # every form still gives S-shaped creators S-shaped curves (planner.fit.creators, step 2)
    rows, _ = simulate_creators(seed=5, noise=0.35)
    table = fit_curves(FakeDataset("attributed", rows), n_boot=0)
    assert ((table["curve"] == "hill") & (table["s"] > 1)).mean() > 0.5, table[["name", "curve", "s"]]  # was 0.29


def test_creator_intervals_cover_the_truth_about_as_often_as_they_say():
    hits = []
    for seed in (11, 12):
        rows, truth = simulate_creators(seed=seed, networks=("Instagram", "TikTok", "YouTube"))
        t = fit_curves(FakeDataset("attributed", rows), n_boot=0).set_index("name")
        tr = truth.set_index("name").loc[t.index]
        x = t["observed_max"].to_numpy()
        f = response(t.reset_index(), x)
        true = response(tr.reset_index(), x)
        hits += list((true >= f * t["beta_p10"] / t["beta"]) & (true <= f * t["beta_p90"] / t["beta"]))
    assert 0.65 <= np.mean(hits) <= 0.97, np.mean(hits)
