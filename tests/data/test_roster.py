"""Reading a creator roster or rate card (planner.data.roster) and what it does not match (planner.data.roster_match).

What a roster changes in the curve table is tested in tests/fit/test_apply_roster.py.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.data.dataset import Issue  # noqa: E402
from planner.data.ingest import load  # noqa: E402
from planner.data.roster import ROSTER_COLUMNS, Roster, RosterError, find_roster, load_roster  # noqa: E402
from planner.data.roster_match import check_roster, creators_with_campaigns, roster_issues  # noqa: E402
from planner.fit.roster import apply_roster  # noqa: E402
from tests.data.roster_cases import csv_bytes, roster_curves  # noqa: E402

SAMPLES = ROOT / "sample_data"


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
    campaigns = csv_bytes([["Date", "Network", "Creator", "Posts", "Fee paid", "Revenue"],
                      ["2024-01-02", "TikTok", "@a", 2, 500, 2000]])
    assert find_roster(campaigns, name="campaigns.csv") is None


# ----------------------------------------------------------------------------- reading rosters as people type them


def test_rate_card_as_people_type_it():
    text = csv_bytes([
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
    text = csv_bytes([["Kanal", "Name", "Honorar pro Post", "Posts maximal"], ["Instagram", "@a", "1.200,00", 3]])
    with pytest.raises(RosterError, match="No creator roster was found"):
        load_roster(text, name="de.csv", mapping={"Kanal": "network"})
    roster = load_roster(text, name="de.csv", mapping={"Honorar pro Post": "fee_per_post", "Posts maximal": "max_posts"})
    assert roster.table["fee_per_post"].iloc[0] == 1200.0 and roster.table["max_posts"].iloc[0] == 3.0
    assert roster.table["name"].iloc[0] == "Instagram/@a"
    with pytest.raises(RosterError, match="not in the roster"):
        load_roster(text, name="de.csv", mapping={"Nope": "fee_per_post"})


def test_unreadable_rosters_raise_one_sentence(tmp_path):
    with pytest.raises(RosterError) as info:
        load_roster(csv_bytes([["Date", "Spend"], ["2024-01-01", 1]]), name="x.csv")
    assert str(info.value).endswith(".") and "\n" not in str(info.value)
    with pytest.raises(RosterError, match='no sheet "Nope"'):
        load_roster(SAMPLES / "creator_campaigns.xlsx", sheet="Nope")
    assert load_roster(SAMPLES / "creator_campaigns.xlsx", sheet="roster").sheet == "Roster"
    empty = load_roster(csv_bytes([["Creator", "Fee per post"]]), name="e.csv")
    assert empty.table.empty and [i.message for i in empty.errors] == ["The roster has a header but no creators below it."]


# ----------------------------------------------------------------------------- what cannot be applied


def test_roster_issues_name_creators_without_data_and_missing_from_the_roster():
    curves = roster_curves([
        {"name": "Instagram/@a", "network": "Instagram", "curve": "log", "beta": 1.0, "k": 1.0},
        {"name": "Instagram/@b", "network": "Instagram", "curve": "log", "beta": 1.0, "k": 1.0},
        {"name": "TikTok/@b", "network": "TikTok", "curve": "log", "beta": 1.0, "k": 1.0},
    ])
    roster = load_roster(csv_bytes([["Creator", "Network", "Fee per post"], ["@a", "Instagram", 100],
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
    names = creators_with_campaigns([ds])
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
    rates.write_bytes(csv_bytes([["Creator", "Network", "Fee per post", "Max posts", "Commission"],
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
