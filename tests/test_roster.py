"""planner.data.roster: a creator roster or rate card feeds unit costs, bounds and net returns."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.curves.forms import response  # noqa: E402
from planner.curves.table import validate_curves  # noqa: E402
from planner.data.dataset import Issue  # noqa: E402
from planner.data.ingest import load  # noqa: E402
from planner.data.roster import (  # noqa: E402
    ROSTER_COLUMNS,
    Roster,
    RosterError,
    apply_roster,
    check_roster,
    creator_names,
    find_roster,
    load_roster,
    roster_issues,
)

SAMPLES = ROOT / "sample_data"


def _csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode()


def _curves(rows: list[dict]) -> pd.DataFrame:
    base = {"s": np.nan, "min_spend": np.nan, "max_spend": np.nan, "unit_cost": np.nan, "current_spend": np.nan,
            "observed_min": np.nan, "observed_max": np.nan, "beta_p10": np.nan, "beta_p90": np.nan}
    return validate_curves(pd.DataFrame([{**base, **r} for r in rows]))


def _roster(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- the sample roster


def test_sample_roster_is_found_beside_the_campaigns():
    roster = find_roster(SAMPLES / "creator_campaigns.xlsx")
    assert isinstance(roster, Roster)
    assert roster.sheet == "Roster" and roster.source == "creator_campaigns.xlsx"
    assert list(roster.table.columns) == list(ROSTER_COLUMNS)
    assert len(roster.table) == 60 and not roster.issues and roster.skipped.empty
    assert dict(roster.mapping) == {"Creator": "entity", "Network": "network", "Followers": "followers",
                                    "Fee per post": "fee_per_post", "Max posts per quarter": "max_posts"}
    assert roster.describe() == "60 creators on 6 networks with fee per post, maximum posts"
    wb = openpyxl.load_workbook(SAMPLES / "creator_campaigns.xlsx", read_only=True)
    first = next(wb["Roster"].iter_rows(min_row=2, max_row=2, values_only=True))
    row = roster.table.iloc[0]
    assert (row["entity"], row["network"], row["followers"], row["fee_per_post"], row["max_posts"], row["row"]) == (
        first[0], first[1], first[2], first[3], first[4], 2)


def test_weekly_sheet_and_campaign_table_are_not_rosters():
    assert find_roster(SAMPLES / "weekly_paid_media.xlsx") is None
    campaigns = _csv([["Date", "Network", "Creator", "Posts", "Fee paid", "Revenue"],
                      ["2024-01-02", "TikTok", "@a", 2, 500, 2000]])
    assert find_roster(campaigns, name="campaigns.csv") is None


def test_sample_curves_get_the_true_unit_costs_and_maximum_spend():
    from planner.fit.pipeline import fit_curves

    ds = load(SAMPLES / "creator_campaigns.xlsx")
    curves = fit_curves([ds], n_boot=5)
    roster = find_roster(SAMPLES / "creator_campaigns.xlsx")
    planned = apply_roster(curves, roster, [ds])
    true = pd.read_csv(SAMPLES / "true_curves.csv")
    m = planned.merge(true[["name", "unit_cost", "max_spend"]], on="name", suffixes=("", "_true"))
    assert len(m) == 60
    np.testing.assert_allclose(m["unit_cost"], m["unit_cost_true"])
    np.testing.assert_allclose(m["max_spend"], m["max_spend_true"])
    # the fee in the roster is the fee in the campaigns: the curves themselves are unchanged
    np.testing.assert_allclose(planned["k"], curves["k"])
    np.testing.assert_allclose(planned["beta"], curves["beta"])
    assert planned["fee_per_post"].notna().all() and planned["commission_pct"].isna().all()
    assert roster_issues(curves, roster) == ()


def test_optimizer_buys_whole_posts_within_the_roster_limits():
    from planner.fit.pipeline import fit_curves
    from planner.optimize.solver import optimize

    ds = load(SAMPLES / "creator_campaigns.xlsx")
    planned = apply_roster(fit_curves([ds], n_boot=5), find_roster(SAMPLES / "creator_campaigns.xlsx"), [ds])
    alloc = optimize(planned, 150_000)
    t = alloc.table.merge(planned[["name", "unit_cost", "max_spend"]], on="name", suffixes=("", "_roster"))
    posts = t["spend"] / t["unit_cost_roster"]
    np.testing.assert_allclose(posts, np.round(posts), atol=1e-6)
    assert (t["spend"] <= t["max_spend_roster"] + 0.005).all()
    assert alloc.total_spend <= 150_000 + 0.005


# ----------------------------------------------------------------------------- costs beyond the fee


def test_product_usage_and_commission_make_the_curve_net():
    curves = _curves([
        {"name": "Instagram/@a", "network": "Instagram", "curve": "hill", "beta": 10_000.0, "k": 2_000.0, "s": 1.5,
         "unit_cost": 500.0, "current_spend": 1_000.0, "observed_min": 500.0, "observed_max": 2_000.0,
         "beta_p10": 8_000.0, "beta_p90": 12_000.0},
        {"name": "Instagram", "network": "Instagram", "curve": "log", "beta": 50_000.0, "k": 10_000.0},
    ])
    roster = _roster([{"network": "Instagram", "entity": "@a", "fee_per_post": 500.0, "product_cost": 80.0,
                       "usage_rights": 20.0, "commission_pct": 0.1, "max_posts": 6, "min_posts": 1}])
    out = apply_roster(curves, roster)
    a = out.set_index("name").loc["Instagram/@a"]
    assert a["unit_cost"] == 600.0 and a["max_spend"] == 3_600.0 and a["min_spend"] == 600.0
    assert a["k"] == pytest.approx(2_400.0) and a["beta"] == pytest.approx(9_000.0)
    assert (a["beta_p10"], a["beta_p90"]) == (pytest.approx(7_200.0), pytest.approx(10_800.0))
    assert (a["current_spend"], a["observed_min"], a["observed_max"]) == (1_200.0, 600.0, 2_400.0)
    assert (a["fee_per_post"], a["other_cost_per_post"], a["commission_pct"]) == (500.0, 100.0, 0.1)
    # the same three posts: the response is the old one less commission, at the full cost
    old = response(curves.iloc[[0]], np.array([1_500.0]))[0]
    new = response(out.iloc[[0]], np.array([1_800.0]))[0]
    assert new == pytest.approx(0.9 * old)
    paid = out.set_index("name").loc["Instagram"]
    assert paid["k"] == 10_000.0 and paid["beta"] == 50_000.0 and np.isnan(paid["fee_per_post"])


@settings(max_examples=80, deadline=None)
@given(form=st.sampled_from(["hill", "logistic", "log", "linear"]),
       old_unit=st.floats(50, 5_000), fee=st.floats(50, 5_000), extra=st.floats(0, 1_000),
       comm=st.one_of(st.none(), st.floats(0.0, 0.5)), posts=st.integers(0, 12),
       max_posts=st.one_of(st.none(), st.integers(0, 12)))
def test_same_posts_give_the_same_net_response_at_any_price(form, old_unit, fee, extra, comm, posts, max_posts):
    curve = {"name": "TikTok/@x", "network": "TikTok", "curve": form, "beta": 3.0 if form == "linear" else 20_000.0,
             "k": np.nan if form == "linear" else 3 * old_unit, "s": 1.7 if form == "hill" else np.nan,
             "unit_cost": old_unit, "max_spend": 20 * old_unit if form == "linear" else np.nan}
    curves = _curves([curve])
    roster = {"network": "TikTok", "entity": "@x", "fee_per_post": fee, "product_cost": extra,
              "commission_pct": np.nan if comm is None else comm,
              "max_posts": np.nan if max_posts is None else float(max_posts)}
    out = apply_roster(curves, _roster([roster]))
    unit = fee + extra
    assert out["unit_cost"].iloc[0] == pytest.approx(unit)
    before = response(curves, np.array([posts * old_unit]))[0]
    after = response(out, np.array([posts * unit]))[0]
    assert after == pytest.approx(before * (1 - (comm or 0.0)), rel=1e-9, abs=1e-9)
    if max_posts is not None:
        assert out["max_spend"].iloc[0] == pytest.approx(max_posts * unit)
    assert out["min_spend"].iloc[0] <= out["max_spend"].iloc[0]


def test_costs_the_campaign_data_already_counted_are_not_counted_twice():
    text = _csv([
        ["Date", "Network", "Creator", "Posts", "Fee paid", "Product cost", "Commission %", "Promo-code revenue"],
        ["2024-01-03", "Instagram", "@a", 2, 1000, 200, "10%", 5000],
        ["2024-04-03", "Instagram", "@a", 1, 500, 100, "10%", 2600],
        ["2024-07-03", "Instagram", "@a", 3, 1500, 300, "10%", 7000],
        ["2024-10-03", "Instagram", "@a", 2, 1000, 200, "10%", 5200],
    ])
    ds = load(text, name="campaigns.csv")
    assert ds.rows["spend"].tolist() == [1200.0, 600.0, 1800.0, 1200.0]
    assert ds.rows["outcome"].tolist() == pytest.approx([4500.0, 2340.0, 6300.0, 4680.0])
    curves = _curves([{"name": "Instagram/@a", "network": "Instagram", "curve": "log", "beta": 9_000.0,
                       "k": 1_000.0, "unit_cost": 600.0}])
    roster = _roster([{"network": "Instagram", "entity": "@a", "fee_per_post": 500.0, "product_cost": 100.0,
                       "commission_pct": 0.1}])
    out = apply_roster(curves, roster, [ds])
    assert out["unit_cost"].iloc[0] == 600.0
    assert out["k"].iloc[0] == 1_000.0 and out["beta"].iloc[0] == 9_000.0  # nothing twice
    fresh = apply_roster(curves.assign(unit_cost=500.0), roster)  # data of fees only
    assert fresh["k"].iloc[0] == pytest.approx(1_200.0) and fresh["beta"].iloc[0] == pytest.approx(8_100.0)


def test_creator_without_posts_in_the_data_and_a_new_fee():
    curves = _curves([{"name": "YouTube/@y", "network": "YouTube", "curve": "logistic", "beta": 30_000.0,
                       "k": 4_000.0, "max_spend": np.inf}])
    out = apply_roster(curves, _roster([{"network": "YouTube", "entity": "y", "fee_per_post": 2_000.0,
                                         "usage_rights": 500.0, "max_posts": 3}]))
    r = out.iloc[0]
    assert r["unit_cost"] == 2_500.0 and r["max_spend"] == 7_500.0
    assert r["k"] == pytest.approx(5_000.0)  # the data's spend was the fee: 2,500 now buys what 2,000 did


def test_period_other_than_a_quarter_scales_the_posts_allowed():
    curves = _curves([{"name": "X/@z", "network": "X", "curve": "log", "beta": 1_000.0, "k": 100.0,
                       "unit_cost": 100.0}])
    out = apply_roster(curves, _roster([{"network": "X", "entity": "@z", "fee_per_post": 100.0, "max_posts": 5}]),
                       period_weeks=26)
    assert out["max_spend"].iloc[0] == 1_000.0


def test_no_roster_keeps_the_table_and_adds_empty_columns():
    curves = _curves([{"name": "X", "network": "X", "curve": "log", "beta": 1.0, "k": 1.0}])
    out = apply_roster(curves, None)
    assert out["beta"].iloc[0] == 1.0 and out[["fee_per_post", "other_cost_per_post", "commission_pct"]].isna().all(axis=None)


# ----------------------------------------------------------------------------- reading rosters as people type them


def test_rate_card_as_people_type_it():
    text = _csv([
        ["Rate card Q3 (confidential)"],
        [],
        ["Handle", "Platform", "Rate", "Max posts per month", "Commission %", "Gifted product value", "Notes"],
        ["@lena.bakes", "IG", "$1,200.00", 2, 10, "$150", "loves us"],
        ["https://www.tiktok.com/@max.runs", "tiktok", "800", "1.5", "12%", "", ""],
        ["", "YouTube", "2,000", 1, "", "", "no handle"],
        ["@lena.bakes", "Instagram", "1,300", 2, "", "", "second line"],
        ["@sam", "FB", "abc", -1, "150%", "", ""],
        ["Total", "", "4,000", "", "", "", ""],
    ])
    roster = load_roster(text, name="rates.csv")
    t = roster.table.set_index("name")
    assert list(t.index) == ["Instagram/@lena.bakes", "TikTok/@max.runs", "Facebook/@sam"]
    lena = t.loc["Instagram/@lena.bakes"]
    assert (lena["fee_per_post"], lena["max_posts"], lena["commission_pct"], lena["product_cost"], lena["row"]) == (
        1200.0, 6.0, pytest.approx(0.10), 150.0, 4)
    tt = t.loc["TikTok/@max.runs"]
    assert tt["max_posts"] == 4.0 and tt["commission_pct"] == pytest.approx(0.12)
    sam = t.loc["Facebook/@sam"]
    assert np.isnan(sam["fee_per_post"]) and np.isnan(sam["max_posts"]) and np.isnan(sam["commission_pct"])
    said = {(i.row, i.column): i for i in roster.issues}
    assert said[(3, "Max posts per month")].message.startswith("Posts per month were converted")
    assert said[(5, "Max posts per month")].value == "1.5" and "4" in said[(5, "Max posts per month")].message
    assert said[(6, "Handle")].message == "This row names no creator, so it was left out."
    assert "first on row 4" in said[(7, "Handle")].message
    assert said[(8, "Rate")].value == "abc" and said[(8, "Rate")].message.endswith("it was left empty.")
    assert "cannot be negative" in said[(8, "Max posts per month")].message
    assert said[(8, "Commission %")].message.startswith("A commission of 150% of sales is not possible")
    assert all(i.sheet == "rates.csv" and i.message.endswith(".") for i in roster.issues)
    assert roster.skipped.set_index("row")["reason"].to_dict() == {
        6: "left out: no creator", 7: "left out: repeats the creator on row 4", 9: 'a totals row ("Total")'}


def test_roster_mapping_names_unusual_headers():
    text = _csv([["Kanal", "Name", "Honorar pro Post", "Posts maximal"], ["Instagram", "@a", "1.200,00", 3]])
    with pytest.raises(RosterError, match="No creator roster was found"):
        load_roster(text, name="de.csv", mapping={"Kanal": "network"})
    roster = load_roster(text, name="de.csv", mapping={"Honorar pro Post": "fee_per_post", "Posts maximal": "max_posts"})
    assert roster.table["fee_per_post"].iloc[0] == 1200.0 and roster.table["max_posts"].iloc[0] == 3.0
    assert roster.table["name"].iloc[0] == "Instagram/@a"
    with pytest.raises(RosterError, match="not in the roster"):
        load_roster(text, name="de.csv", mapping={"Nope": "fee_per_post"})


def test_unreadable_rosters_raise_one_sentence(tmp_path):
    with pytest.raises(RosterError) as info:
        load_roster(_csv([["Date", "Spend"], ["2024-01-01", 1]]), name="x.csv")
    assert str(info.value).endswith(".") and "\n" not in str(info.value)
    with pytest.raises(RosterError, match='no sheet "Nope"'):
        load_roster(SAMPLES / "creator_campaigns.xlsx", sheet="Nope")
    assert load_roster(SAMPLES / "creator_campaigns.xlsx", sheet="roster").sheet == "Roster"
    empty = load_roster(_csv([["Creator", "Fee per post"]]), name="e.csv")
    assert empty.table.empty and [i.message for i in empty.errors] == ["The roster has a header but no creators below it."]


# ----------------------------------------------------------------------------- what cannot be applied


def test_roster_issues_name_creators_without_data_and_missing_from_the_roster():
    curves = _curves([
        {"name": "Instagram/@a", "network": "Instagram", "curve": "log", "beta": 1.0, "k": 1.0},
        {"name": "Instagram/@b", "network": "Instagram", "curve": "log", "beta": 1.0, "k": 1.0},
        {"name": "TikTok/@b", "network": "TikTok", "curve": "log", "beta": 1.0, "k": 1.0},
    ])
    roster = load_roster(_csv([["Creator", "Network", "Fee per post"], ["@a", "Instagram", 100],
                               ["@new", "YouTube", 50], ["@b", "", 70]]), name="r.csv")
    issues = roster_issues(curves, roster)
    assert all(isinstance(i, Issue) and i.severity == "warning" and i.sheet == "r.csv" for i in issues)
    by_row = {i.row: i for i in issues}
    assert by_row[3].value == "@new" and "no campaigns in the data" in by_row[3].message
    assert by_row[4].value == "@b" and "more than one network" in by_row[4].message
    (summary,) = [i for i in issues if i.row is None]
    assert summary.message.startswith("2 creators with campaigns are not on the roster (Instagram/@b, TikTok/@b)")
    out = apply_roster(curves, roster)
    assert out.set_index("name")["unit_cost"].dropna().to_dict() == {"Instagram/@a": 100.0}


def test_check_roster_against_datasets():
    ds = load(SAMPLES / "creator_campaigns.xlsx")
    names = creator_names([ds])
    assert len(names) == 60 and names["name"].str.contains("/@").all()
    roster = find_roster(SAMPLES / "creator_campaigns.xlsx")
    assert check_roster(roster, [ds]).issues == ()
    short = check_roster(roster, [])
    assert len(short.issues) == 21 and short.issues[-1].message == "40 more creators on the roster have no campaigns in the data."


# ----------------------------------------------------------------------------- command line


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_fit_applies_the_roster_sheet_and_a_roster_file(tmp_path):
    out = tmp_path / "curves.csv"
    res = _cli("fit", str(SAMPLES / "creator_campaigns.xlsx"), "--out", str(out), "--bootstrap", "5", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "Roster (creator_campaigns.xlsx, sheet Roster): 60 creators on 6 networks" in res.stdout
    curves = pd.read_csv(out)
    true = pd.read_csv(SAMPLES / "true_curves.csv")
    m = curves.merge(true[["name", "max_spend"]], on="name", suffixes=("", "_true"))
    np.testing.assert_allclose(m["max_spend"], m["max_spend_true"])

    rates = tmp_path / "rates.csv"
    rates.write_bytes(_csv([["Creator", "Network", "Fee per post", "Max posts", "Commission"],
                            ["@sage_lifts_studio", "TikTok", 250, 2, "10%"], ["@nobody", "TikTok", 1, 1, ""]]))
    res = _cli("fit", str(SAMPLES / "creator_campaigns.xlsx"), "--out", str(out), "--bootstrap", "5",
               "--roster", str(rates), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "WARNING: Sheet rates.csv, row 3, column \"Creator\": @nobody on TikTok is on the roster" in res.stdout
    row = pd.read_csv(out).set_index("name").loc["TikTok/@sage_lifts_studio"]
    assert (row["unit_cost"], row["max_spend"], row["commission_pct"]) == (250.0, 500.0, 0.1)
    res = _cli("fit", str(SAMPLES / "creator_campaigns.xlsx"), "--out", str(out), "--roster", "nope.csv", cwd=tmp_path)
    assert res.returncode == 1 and res.stderr.strip() == "Error: The roster file nope.csv does not exist."


def test_inspect_reports_the_roster_sheet(tmp_path):
    import json

    res = _cli("inspect", str(SAMPLES / "creator_campaigns.xlsx"), "--json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert got["sheet"] == "Campaigns" and got["roster"]["sheet"] == "Roster" and got["roster"]["creators"] == 60


def test_roster_in_an_upload():
    data = (SAMPLES / "creator_campaigns.xlsx").read_bytes()
    assert len(find_roster(io.BytesIO(data), name="up.xlsx").table) == 60
    assert find_roster(data, name="up.xlsx").source == "up.xlsx"
