"""The sample-data generator (sample_data/generate.py): layout, calibration, truth, determinism."""

from __future__ import annotations

import importlib.util
import sys
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.analysis.actuals_file import read_actuals  # noqa: E402
from planner.analysis.flight_plan_file import read_plan_over_time  # noqa: E402
from planner.curves.files import read_curves  # noqa: E402
from planner.curves.forms import response  # noqa: E402
from planner.curves.table import validate_curves  # noqa: E402


def _load_generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate", ROOT / "sample_data" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


gen = _load_generator()

CAMPAIGN_COLS = ["Date", "Network", "Creator", "Followers", "Posts", "Fee paid", "Reach",
                 "Engagements", "Clicks", "Orders", "Promo-code revenue"]
ROSTER_COLS = ["Creator", "Network", "Followers", "Fee per post", "Max posts per quarter"]
WEEKLY_COLS = ["Week"] + [f"{n} spend" for n in gen.NETWORKS] + ["Total sales"]
PLAN_COLS = ["Network", "Creator", "Proposed spend (USD)"]
CURVE_COLS = ["name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend", "unit_cost",
              "current_spend"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return {
        "a": gen.generate(tmp_path_factory.mktemp("seed7a"), 7),
        "b": gen.generate(tmp_path_factory.mktemp("seed7b"), 7),
        "c": gen.generate(tmp_path_factory.mktemp("seed8"), 8),
    }


def _campaigns(path):
    df = pd.read_excel(path, sheet_name="Campaigns", header=2, engine="openpyxl")
    return df[df["Date"].astype(str) != "Total"].assign(Date=lambda d: pd.to_datetime(d["Date"]))


def _all_tables(paths):
    out = {}
    for key in ("creator_campaigns", "weekly_paid_media", "finance_plan"):
        for sheet, df in pd.read_excel(paths[key], sheet_name=None, header=None, engine="openpyxl").items():
            out[f"{key}/{sheet}"] = df
    for key in ("true_curves", "true_weekly"):
        out[key] = pd.read_csv(paths[key])
    out["meta_ads_export"] = pd.read_csv(paths["meta_ads_export"], sep=";", dtype=str)
    out["pacing_plan"] = pd.read_excel(paths["pacing_plan"], header=None, engine="openpyxl")
    out["spend_to_date"] = pd.read_csv(paths["spend_to_date"], dtype=str)
    return out


def test_same_seed_gives_the_same_files(runs):
    a, b = runs["a"], runs["b"]
    assert set(a) == {"creator_campaigns", "weekly_paid_media", "finance_plan", "true_curves", "true_weekly",
                      "meta_ads_export", "pacing_plan", "spend_to_date"}
    ta, tb = _all_tables(a), _all_tables(b)
    assert ta.keys() == tb.keys()
    for key in ta:
        pd.testing.assert_frame_equal(ta[key], tb[key], obj=key)
    for key in a:  # reproducible down to the bytes (fixed xlsx timestamps)
        assert Path(a[key]).read_bytes() == Path(b[key]).read_bytes(), key


def test_different_seeds_give_different_data(runs):
    ta, tc = _all_tables(runs["a"]), _all_tables(runs["c"])
    for key in ("creator_campaigns/Campaigns", "weekly_paid_media/Weekly", "true_curves"):
        assert not ta[key].equals(tc[key]), key


def test_campaign_workbook_layout(runs):
    wb = load_workbook(runs["a"]["creator_campaigns"])
    assert wb.sheetnames == ["Campaigns", "Roster"]
    ws = wb["Campaigns"]
    assert ws["A1"].value == "Creator campaigns, Q1 2024 - Q4 2025 (team tracker export)"
    assert all(c.value is None for c in ws[2])                      # a blank row above the header
    assert [c.value for c in ws[3]] == CAMPAIGN_COLS
    first = ws[4]
    assert isinstance(first[0].value, (date, datetime))              # a real Excel date
    assert "$" in first[5].number_format and "$" in first[10].number_format   # money formats
    last = ws[ws.max_row]
    assert last[0].value == "Total"
    camp = _campaigns(runs["a"]["creator_campaigns"])
    for j, col in enumerate(CAMPAIGN_COLS):
        if col in ("Posts", "Fee paid", "Reach", "Engagements", "Clicks", "Orders", "Promo-code revenue"):
            assert last[j].value == pytest.approx(camp[col].sum(), abs=0.01), col
    assert [c.value for c in wb["Roster"][1]] == ROSTER_COLS


def test_creators_networks_and_campaigns(runs):
    paths = runs["a"]
    camp = _campaigns(paths["creator_campaigns"])
    roster = pd.read_excel(paths["creator_campaigns"], sheet_name="Roster", engine="openpyxl")
    assert 55 <= len(roster) <= 65 and roster["Creator"].is_unique
    assert set(roster["Network"]) == set(gen.NETWORKS)
    counts = roster["Network"].value_counts()
    assert counts["Instagram"] > counts["X"] and counts["TikTok"] > counts["Pinterest"]
    assert roster["Creator"].str.startswith("@").all()
    assert roster["Creator"].map(lambda h: not h.isascii()).sum() in (1, 2)
    assert set(camp["Creator"]) == set(roster["Creator"])
    per_creator = camp.groupby("Creator").size()
    assert per_creator.min() >= 1 and per_creator.max() <= 8 and (per_creator <= 3).sum() >= 5
    assert (camp.groupby(["Creator", camp["Date"].dt.to_period("Q")]).size() == 1).all()
    assert camp["Date"].min() >= pd.Timestamp("2024-01-01") and camp["Date"].max() <= pd.Timestamp("2025-12-31")
    # fee paid = posts x fee per post, posts within the quarterly maximum
    m = camp.merge(roster, on=["Creator", "Network"], suffixes=("", "_r"))
    np.testing.assert_allclose(m["Fee paid"], m["Posts"] * m["Fee per post"])
    assert (m["Posts"] <= m["Max posts per quarter"]).all() and (m["Posts"] >= 1).all()
    assert (m["Clicks"] >= m["Orders"]).all() and (m["Orders"] >= 0).all()


def test_creator_program_roas_is_calibrated(runs):
    for key in ("a", "c"):
        camp = _campaigns(runs[key]["creator_campaigns"])
        roas = camp["Promo-code revenue"].sum() / camp["Fee paid"].sum()
        assert 5.5 <= roas <= 7.5


def test_network_figures_show_in_the_data(runs):
    camp = _campaigns(runs["a"]["creator_campaigns"])
    g = camp.groupby("Network")[["Promo-code revenue", "Orders", "Clicks"]].sum()
    aov = g["Promo-code revenue"] / g["Orders"]
    conv = g["Orders"] / g["Clicks"]
    assert aov.idxmax() == "Pinterest"
    assert conv.idxmax() == "Facebook" and conv.idxmin() == "X"


def test_weekly_media_file(runs):
    weekly = pd.read_excel(runs["a"]["weekly_paid_media"], sheet_name="Weekly", engine="openpyxl")
    assert list(weekly.columns) == WEEKLY_COLS
    assert len(weekly) == 156
    assert weekly["Week"].iloc[0] == pd.Timestamp("2023-01-02")
    assert (weekly["Week"].dt.day_of_week == 0).all() and (weekly["Week"].diff().dropna() == pd.Timedelta(days=7)).all()
    spend = weekly[[f"{n} spend" for n in gen.NETWORKS]]
    assert (spend >= 0).all().all()
    assert 8_000 <= spend.sum(axis=1).mean() <= 12_000
    assert (spend.std() > 0.2 * spend.mean()).all()                 # enough variation to identify curves


def test_weekly_truth_reproduces_sales(runs):
    paths = runs["a"]
    weekly = pd.read_excel(paths["weekly_paid_media"], sheet_name="Weekly", engine="openpyxl")
    tw = pd.read_csv(paths["true_weekly"]).pivot(index="component", columns="parameter", values="value")
    media = np.zeros(len(weekly))
    for net in gen.NETWORKS:
        p = tw.loc[net]
        x = weekly[f"{net} spend"].to_numpy()
        a, prev = np.empty_like(x), x[0]
        for t, v in enumerate(x):
            prev = (1 - p["decay"]) * v + p["decay"] * prev
            a[t] = prev
        media += p["beta"] * a ** p["s"] / (a ** p["s"] + p["k"] ** p["s"])
        assert 0.1 <= p["decay"] <= 0.6
    b = tw.loc["baseline"]
    doy = weekly["Week"].dt.day_of_year.to_numpy().astype(float)
    t = np.arange(len(weekly)) / 52.0
    season = (1 + b["season_amplitude"] * np.cos(2 * np.pi * (doy - b["season_peak_day"]) / 365.25)
              + b["holiday_amplitude"] * np.exp(-0.5 * ((doy - b["holiday_peak_day"]) / b["holiday_width_days"]) ** 2))
    expected = b["level"] * (1 + b["trend_per_year"] * t) * season + media
    resid = weekly["Total sales"].to_numpy() / expected - 1
    assert abs(resid.mean()) < 0.02 and 0.03 < resid.std() < 0.07
    share = media.sum() / weekly["Total sales"].sum()
    assert 0.30 <= share <= 0.40
    # Q4 is the peak of the baseline
    q = weekly.assign(q=weekly["Week"].dt.quarter).groupby("q")["Total sales"].mean()
    assert q.idxmax() == 4


def test_true_curves_are_a_valid_curve_table(runs):
    paths = runs["a"]
    raw = pd.read_csv(paths["true_curves"])
    assert list(raw.columns[: len(CURVE_COLS)]) == CURVE_COLS
    curves = read_curves(paths["true_curves"])
    validate_curves(curves)
    roster = pd.read_excel(paths["creator_campaigns"], sheet_name="Roster", engine="openpyxl")
    names = set(gen.NETWORKS) | {f"{n}/{h}" for n, h in zip(roster["Network"], roster["Creator"], strict=True)}
    assert set(curves["name"]) == names
    assert set(curves["curve"]) <= {"hill", "logistic", "log"}
    cr = curves[curves["name"].str.contains("/")].set_index("name")
    r = roster.assign(name=roster["Network"] + "/" + roster["Creator"]).set_index("name").loc[cr.index]
    np.testing.assert_allclose(cr["unit_cost"], r["Fee per post"])
    np.testing.assert_allclose(cr["max_spend"], r["Fee per post"] * r["Max posts per quarter"])
    hill = cr[cr["curve"] == "hill"]
    assert hill["s"].between(0.8, 2.2).all() and (hill["s"] > 1).any() and (hill["s"] < 1).any()
    assert (cr["curve"] != "hill").any()
    # paid media: the weekly hill as a quarter (13 x weekly beta, 13 x weekly k, same s)
    tw = pd.read_csv(paths["true_weekly"]).pivot(index="component", columns="parameter", values="value")
    pm = curves[~curves["name"].str.contains("/")].set_index("name")
    for net in gen.NETWORKS:
        assert pm.loc[net, "curve"] == "hill"
        assert pm.loc[net, "beta"] == pytest.approx(13 * tw.loc[net, "beta"], rel=1e-6)
        assert pm.loc[net, "k"] == pytest.approx(13 * tw.loc[net, "k"], rel=1e-6)
        assert pm.loc[net, "s"] == pytest.approx(tw.loc[net, "s"], rel=1e-6)


def test_campaign_revenue_follows_the_true_curves(runs):
    paths = runs["a"]
    camp = _campaigns(paths["creator_campaigns"])
    curves = read_curves(paths["true_curves"]).set_index("name")
    rows = curves.loc[camp["Network"] + "/" + camp["Creator"]].reset_index()
    expected = response(rows, camp["Fee paid"].to_numpy())
    log_ratio = np.log(camp["Promo-code revenue"].to_numpy() / expected)
    assert abs(np.median(log_ratio)) < 0.05
    assert 0.12 < log_ratio.std() < 0.30                              # the 15-25% lognormal noise


def test_finance_plan(runs):
    paths = runs["a"]
    wb = load_workbook(paths["finance_plan"])
    assert wb.sheetnames == ["Plan"]
    plan = pd.read_excel(paths["finance_plan"], sheet_name="Plan", engine="openpyxl")
    assert list(plan.columns) == PLAN_COLS
    paid = plan[plan["Creator"].isna()]
    assert sorted(paid["Network"]) == sorted(gen.NETWORKS)
    total = plan["Proposed spend (USD)"].sum()
    assert total == pytest.approx(250_000, abs=1)
    assert (plan["Proposed spend (USD)"] >= 0).all()
    roster = pd.read_excel(paths["creator_campaigns"], sheet_name="Roster", engine="openpyxl")
    creators = plan.dropna(subset=["Creator"])
    assert set(creators["Creator"]) == set(roster["Creator"])
    names = set(read_curves(paths["true_curves"])["name"])
    plan_names = set(paid["Network"]) | set(creators["Network"] + "/" + creators["Creator"])
    assert plan_names == names


def test_committed_sample_files_match_the_generator(tmp_path):
    committed = ROOT / "sample_data"
    fresh = gen.generate(tmp_path, gen.DEFAULT_SEED)
    for path in fresh.values():
        target = committed / Path(path).name
        assert target.exists(), f"{target.name} is missing: run python sample_data/generate.py"
    committed_paths = {key: committed / Path(path).name for key, path in fresh.items()}
    ta, tb = _all_tables(fresh), _all_tables(committed_paths)
    for key in ta:  # same data (bytes may differ with another zlib build)
        pd.testing.assert_frame_equal(ta[key], tb[key], obj=f"{key} is stale: run python sample_data/generate.py")


def test_meta_export_is_the_weekly_spend_of_two_networks_in_euros(runs):
    paths = runs["a"]
    export = pd.read_csv(paths["meta_ads_export"], sep=";", dtype=str)
    assert list(export.columns) == ["Day", "Campaign name", "Platform", "Amount spent (EUR)", "Impressions", "Reach",
                                    "Link clicks", "Purchases", "Purchases conversion value"]
    assert len(export) == 13 * 7 * 2 and set(export["Platform"]) == {"Facebook", "Instagram"}
    euros = export["Amount spent (EUR)"].str.replace(".", "", regex=False).str.replace(",", ".").astype(float)
    weekly = pd.read_excel(paths["weekly_paid_media"], sheet_name="Weekly", engine="openpyxl").tail(13)
    for net in ("Facebook", "Instagram"):  # the same spend, in euros at 0.92 per dollar
        got = euros[export["Platform"] == net].sum()
        assert got == pytest.approx(0.92 * weekly[f"{net} spend"].sum(), rel=1e-4)


def test_the_pacing_samples_are_a_plan_by_month_and_the_spend_to_mid_march(runs):
    plan = read_plan_over_time(runs["a"]["pacing_plan"])
    assert plan.layout == "wide" and plan.horizon.label() == "2026-01-01 to 2026-06-30 in 6 months"
    names = set(read_curves(runs["a"]["true_curves"])["name"])
    assert set(plan.table["name"]) <= names  # the plan names rows of the curve table only
    spent = read_actuals(runs["a"]["spend_to_date"])
    assert spent.last_day == gen.PACING_AS_OF
    raw = pd.read_csv(runs["a"]["spend_to_date"])
    assert spent.total_spend == pytest.approx(raw["Spend"].sum(), abs=0.01)
    assert set(spent.table["name"]) - names == {"TikTok/@new.face.studio"}  # booked outside the plan, on purpose
