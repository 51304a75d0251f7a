"""Importing spreadsheets (planner.data.ingest.load): samples, peer data, messy inputs, properties."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.data import csv_files, files, limits  # noqa: E402
from planner.data.dataset import DataError, Dataset, Issue  # noqa: E402
from planner.data.ingest import load  # noqa: E402

SAMPLES = ROOT / "sample_data"
PEER = Path(__file__).resolve().parents[3] / "shared" / "peer_data"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def _xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def _csv(rows: list[list], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _accounted(ds: Dataset) -> int:
    return ds.source_rows + len(ds.skipped)


# ====================================================================== sample files


def test_creator_campaigns_sample():
    path = _need(SAMPLES / "creator_campaigns.xlsx")
    ds = load(path)
    assert ds.kind == "attributed" and not ds.has_errors
    assert ds.sheet == "Campaigns"  # not the Roster sheet
    assert ds.source == "creator_campaigns.xlsx"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    grid = [list(r) for r in wb["Campaigns"].iter_rows(values_only=True)]
    wb.close()
    header = next(i for i, r in enumerate(grid) if r and r[0] == "Date")
    body = [(i + 1, r) for i, r in enumerate(grid[header + 1:], start=header + 1) if any(v is not None for v in r)]
    data = [(n, r) for n, r in body if r[0] != "Total"]
    total_row = [(n, r) for n, r in body if r[0] == "Total"]
    assert len(ds.rows) == len(data) == 286
    assert ds.rows["row"].tolist() == [n for n, _ in data]
    assert ds.rows["row"].iloc[0] == header + 2  # the header row has its own number
    assert ds.skipped.to_dict("records") == [{"sheet": "Campaigns", "row": total_row[0][0],
                                               "reason": 'a totals row ("Total")'}]
    fee = sum(r[5] for _, r in data)
    revenue = sum(r[10] for _, r in data)
    assert ds.rows["spend"].sum() == pytest.approx(fee)
    assert ds.rows["outcome"].sum() == pytest.approx(revenue)
    assert total_row[0][1][5] == pytest.approx(fee)
    assert set(ds.networks) == {"Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"}
    assert ds.rows["entity"].str.startswith("@").all()
    assert "@björn.hikes" in set(ds.rows["entity"])
    assert ds.rows["date"].dtype.kind == "M"
    for col in ("followers", "posts", "reach", "engagements", "clicks", "orders"):
        assert col in ds.rows.columns
    assert ds.describe() == "286 campaigns of 60 creators on 6 networks, revenue attributed per row"
    s = ds.summary()
    json.dumps(s)
    assert s["rows"] == 286 and s["errors"] == [] and len(s["skipped"]) == 1
    assert sum(s["spend_by_network"].values()) == pytest.approx(fee)


def test_weekly_paid_media_sample():
    path = _need(SAMPLES / "weekly_paid_media.xlsx")
    ds = load(path)
    assert ds.kind == "total" and not ds.has_errors and ds.warnings == ()
    assert ds.describe() == "156 weeks, 6 networks, total sales only"
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    grid = [list(r) for r in wb["Weekly"].iter_rows(values_only=True)]
    wb.close()
    header = grid[0]
    body = [r for r in grid[1:] if r[0] is not None]
    assert len(ds.outcome) == len(body) == 156
    assert list(ds.rows.columns[:3]) == ["date", "network", "spend"]
    assert len(ds.rows) == 156 * 6
    for j, h in enumerate(header[1:7], start=1):
        net = h.replace(" spend", "")
        assert ds.spend_by_network()[net] == pytest.approx(sum(r[j] for r in body))
    assert ds.outcome["outcome"].sum() == pytest.approx(sum(r[7] for r in body))
    assert (ds.outcome["date"].dt.day_of_week == 0).all()


def test_finance_plan_is_not_spend_history():
    ds = load(_need(SAMPLES / "finance_plan.xlsx"))
    assert ds.has_errors
    assert any("date" in e.message for e in ds.errors)
    assert _accounted(ds) == 66  # every plan row listed as skipped, none silently dropped


# ====================================================================== peer data


def test_robyn_totals_match_manifest():
    ds = load(_need(PEER / "robyn" / "dt_simulated_weekly.csv"))
    assert ds.kind == "total" and not ds.has_errors
    assert len(ds.outcome) == 208
    spend = ds.spend_by_network()
    assert spend == pytest.approx({"TV": 3_087_487.77, "OOH": 8_989_331.73, "Print": 775_555.51,
                                   "Search": 1_230_426.67, "Facebook": 446_296.83}, abs=0.01)
    assert ds.outcome_total() == pytest.approx(379_005_696.67, abs=0.01)
    assert ds.describe() == "208 weeks, 5 networks, total revenue only"
    assert dict(ds.mapping)["facebook_S"] == "spend:Facebook"


def test_meridian_national_totals_and_revenue_product():
    ds = load(_need(PEER / "meridian" / "national_media.csv"))
    assert ds.kind == "total" and not ds.has_errors
    assert ds.spend_by_network() == pytest.approx({"Channel0": 27_156_895.07, "Channel1": 29_394_408.57,
                                                   "Channel2": 27_749_086.02, "Channel3": 37_440_308.42}, abs=0.01)
    assert ds.outcome_total() == pytest.approx(1_140_591_725.52, abs=0.01)
    assert any("conversions" in w.message and "revenue_per_conversion" in w.message for w in ds.warnings)
    assert ds.describe() == "156 weeks, 4 networks, total revenue only"


def test_meridian_geo_is_summed_over_geos():
    national = load(_need(PEER / "meridian" / "national_media.csv"))
    geo = load(_need(PEER / "meridian" / "geo_media.csv"))
    assert geo.kind == "total" and len(geo.outcome) == 156
    for net, total in national.spend_by_network().items():
        assert geo.spend_by_network()[net] == pytest.approx(total, rel=1e-6)
    assert any("geo" in w.message for w in geo.warnings)


def test_pymc_mmm_example_is_guessed_with_a_hint():
    ds = load(_need(PEER / "pymc_marketing" / "mmm_example.csv"))
    assert ds.kind == "total" and not ds.has_errors
    assert ds.spend_by_network() == pytest.approx({"X1": 55.33, "X2": 28.97}, abs=0.005)
    assert ds.outcome_total() == pytest.approx(946_005.62, abs=0.01)
    assert len(ds.outcome) == 179
    hints = [w.message for w in ds.warnings]
    assert any("--map" in m and "x1" in m for m in hints)
    assert any("scaled" in m for m in hints)
    fixed = load(PEER / "pymc_marketing" / "mmm_example.csv", mapping={"x1": "spend:TV", "x2": "spend:Radio",
                                                                        "y": "outcome"})
    assert set(fixed.networks) == {"TV", "Radio"}
    assert not any("--map" in w.message and "x1" in w.message for w in fixed.warnings)


def test_pymc_other_files():
    case = load(_need(PEER / "pymc_marketing" / "case_study_data.csv"))
    assert case.kind == "total" and len(case.networks) == 10 and len(case.outcome) == 209
    assert all(col.startswith("mdsp_") for col, f in case.mapping if f.startswith("spend:"))
    assert dict(case.mapping)["sales"] == "outcome"
    tvp = load(_need(PEER / "pymc_marketing" / "media_tvp_data.csv"))
    assert tvp.kind == "total" and set(tvp.networks) == {"X1", "X2"} and len(tvp.outcome) == 179


def test_fivetran_spend_by_platform():
    ds = load(_need(PEER / "pymc_marketing" / "fivetran_ad_report_sample.csv"))
    assert ds.kind == "attributed" and not ds.has_errors and ds.warnings == ()
    assert len(ds.rows) == 16
    assert ds.spend_by_network() == pytest.approx({"Facebook": 1188.00, "Google Ads": 587.05, "TikTok": 472.10},
                                                  abs=0.005)
    assert ds.outcome_total() == pytest.approx(4585.00)
    assert (ds.rows["entity"] == "").all()
    assert ds.describe() == "16 rows over 3 days on 3 networks, conversion value attributed per row"


def test_every_peer_file_imports_and_accounts_for_every_row():
    files = sorted(PEER.glob("*/*.csv"))
    if not files:
        pytest.skip("shared/peer_data is not available")
    for path in files:
        ds = load(path)
        assert not ds.has_errors, (path.name, ds.errors)
        n = sum(1 for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip())
        if path.name != "geo_media.csv":  # geo rows are summed per week
            assert _accounted(ds) == n, path.name
        json.dumps(ds.summary())


# ====================================================================== messy inputs


GOOGLE_ADS = '''Campaign report
"May 18, 2025 - August 15, 2025"
Day,Campaign,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value,Avg. cost,Conv. value / cost
2025-05-18,Brand,USD,"1,234.50","8,658",120,4.00,"2,089.46",10.29,1.69
2025-05-19,Brand,USD,980.10,"7,001",98, --,--,10.00, --
2025-05-19,"Generic, broad",USD,50.00,"1,001",12,1.00,80.00,4.17,1.6
Total: Account,,USD,"2,264.60","16,660",230,5.00,"2,169.46",,
Total: Campaigns,,USD,"2,264.60","16,660",230,5.00,"2,169.46",,
'''


def test_google_ads_export_with_title_rows_and_totals():
    ds = load(GOOGLE_ADS.encode(), name="campaigns.csv")
    assert ds.kind == "attributed" and not ds.has_errors
    assert ds.networks == ["Google Ads"]
    assert ds.rows["spend"].tolist() == [1234.5, 980.10, 50.0]
    assert ds.rows["outcome"].tolist() == [2089.46, 0.0, 80.0]
    assert ds.rows["campaign"].tolist() == ["Brand", "Brand", "Generic, broad"]
    assert ds.rows["row"].tolist() == [4, 5, 6]
    assert ds.skipped["row"].tolist() == [7, 8]
    assert ds.skipped["reason"].str.contains("totals").all()
    assert any("Google Ads" in w.message and "no network column" in w.message for w in ds.warnings)
    assert any(w.column == "Conv. value" and "read as 0" in w.message for w in ds.warnings)


def test_google_ads_utf16_tab_separated():
    rows = list(csv.reader(io.StringIO(GOOGLE_ADS)))
    data = _csv(rows, "\t").encode("utf-16")
    ds = load(data, name="report.csv")
    assert not ds.has_errors and ds.rows["spend"].tolist() == [1234.5, 980.10, 50.0]


def test_meta_export_in_euros_with_bom():
    text = ("\ufeffReporting starts,Reporting ends,Campaign name,Amount spent (EUR),Purchases,"
            "Purchases conversion value,Reach\n"
            '2024-03-01,2024-03-31,"Spring, EU",1.234,50,12,"4.321,00",10000\n')
    # a European export written with a comma delimiter must quote its numbers; this one does not: an error row
    ds = load(text.encode("utf-8"), name="meta.csv")
    assert ds.source_rows + len(ds.skipped) == 1
    good = ("\ufeffReporting starts;Campaign name;Amount spent (EUR);Purchases;Purchases conversion value\n"
            "2024-03-01;Spring;1.234,50;12;4.321,00\n2024-04-01;Summer;987,65;8;2.000,00\n")
    ds = load(good.encode("utf-8"), name="meta.csv")
    assert not ds.has_errors
    assert ds.networks == ["Facebook"]
    assert ds.rows["spend"].tolist() == [1234.5, 987.65]
    assert ds.rows["outcome"].tolist() == [4321.0, 2000.0]


def test_european_semicolon_csv():
    text = ("Datum;Netzwerk;Kosten;Umsatz\n"
            "01.02.2024;Instagram;1.234,50 €;5.000,00 €\n"
            "08.02.2024;Instagram;(500,00 €);4.000,00 €\n"
            "15.02.2024;TikTok;1.000;3.000\n"
            "Summe;;1.734,50;12.000\n")
    ds = load(text.encode("utf-8"), name="de.csv")
    assert ds.rows["spend"].tolist() == [1234.5, 1000.0]  # "1.000" read with the file's comma decimals
    assert ds.rows["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-01", "2024-02-15"]
    assert ds.rows["network"].tolist() == ["Instagram", "TikTok"]
    (err,) = ds.errors
    assert (err.row, err.column, err.value) == (3, "Kosten", "(500,00 €)")
    assert "negative" in err.message
    reasons = dict(zip(ds.skipped["row"], ds.skipped["reason"], strict=True))
    assert reasons[3].startswith("left out") and "totals" in reasons[5]
    assert _accounted(ds) == 4


def test_cp1252_file_and_creator_handles():
    text = ("Date,Network,Creator,Montant dépensé (EUR),Revenue\n"
            "2024-01-01,IG,renée,100,500\n"
            "2024-01-08,ig,https://www.instagram.com/björn.hikes/,200,400\n")
    ds = load(text.encode("cp1252"), name="cp.csv")
    assert not ds.has_errors
    assert ds.rows["entity"].tolist() == ["@renée", "@björn.hikes"]
    assert ds.rows["network"].tolist() == ["Instagram", "Instagram"]


def test_a_handle_written_in_several_cases_is_one_creator_and_said():
    text = ("Date,Network,Creator,Fee paid,Promo-code revenue\n"
            "2024-01-01,IG,@nina.pours,100,500\n2024-02-01,IG,@NINA.POURS ,120,300\n"
            "2024-03-01,IG,nina.pours,90,400\n2024-03-01,IG,@bo,80,200\n2024-03-01,IG,@Nina.Pours,90,400\n")
    ds = load(text.encode(), name="t.csv")
    assert ds.rows["entity"].tolist() == ["@nina.pours", "@nina.pours", "@nina.pours", "@bo", "@nina.pours"]
    said = [w.message for w in ds.warnings if w.column == "Creator"]
    assert said == ["Handles do not depend on case, so handles written in several ways are one creator each: read "
                    "@NINA.POURS as @nina.pours, @Nina.Pours as @nina.pours."]
    # the last row is the third written another way: one campaign entered twice
    assert any(w.row == 6 and w.message.startswith("Same date, creator and details as row 4") for w in ds.warnings)


def test_campaigns_booked_after_the_last_revenue_are_left_out_as_to_come_not_read_as_sold_nothing():
    text = ("Date,Network,Creator,Fee paid,Promo-code revenue\n"
            "2024-01-01,IG,@a,100,500\n2024-02-01,IG,@b,120,\n2024-03-01,IG,@a,90,400\n"
            "2024-04-01,IG,@a,80,\n2024-04-15,IG,@b,80,\n")
    ds = load(text.encode(), name="t.csv")
    assert ds.rows["outcome"].tolist() == [500.0, 0.0, 400.0]  # a blank among the results: none, as said
    assert ds.skipped["row"].tolist() == [5, 6]
    assert set(ds.skipped["reason"]) == {"no revenue yet (dated after the file's last revenue)"}
    said = [w.message for w in ds.warnings if w.column == "Promo-code revenue"]
    assert "2 rows dated after the last Promo-code revenue the file gives (01 Mar 2024) have none yet, so they were " \
           "left out as campaigns still to come (the first at row 5). Write 0 where a campaign sold nothing." in said
    assert any("1 blank cell" in m and "read as 0" in m for m in said)


def test_a_tracker_of_profile_links_without_a_network_column_reads_each_network_from_its_link():
    text = ("Date,Creator,Fee paid,Promo-code revenue\n"
            "2024-01-01,https://www.instagram.com/nina.pours/,100,300\n2024-02-01,https://www.tiktok.com/@bo.bakes,120,200\n"
            "2024-03-01,youtube.com/@cleo.reads,300,900\n2024-04-01,@dee,90,250\n")
    ds = load(text.encode(), name="links.csv")
    assert ds.rows[["network", "entity"]].values.tolist() == [["Instagram", "@nina.pours"], ["TikTok", "@bo.bakes"],
                                                              ["YouTube", "@cleo.reads"]]
    said = {(w.row, w.column): w.message for w in ds.warnings}
    assert said[(1, "Creator")] == "There is no network column; each creator's network was read from its profile link."
    assert [(e.row, e.column) for e in ds.errors] == [(5, "Creator")]
    assert ds.errors[0].message.startswith("This creator has no profile link to read its network from")
    plain = load(text.replace("https://www.", "").replace("instagram.com/", "@").replace("tiktok.com/", "")
                 .replace("youtube.com/", "").encode(), name="plain.csv")
    assert any(e.message.startswith("No network column was found") for e in plain.errors)


def test_a_trackers_campaigns_planned_or_cancelled_are_left_out_by_their_status():
    text = ("Date,Network,Creator,Fee paid,Promo-code revenue,Status\n2024-01-01,IG,@a,100,300,Posted\n"
            "2024-02-01,IG,@b,120,,Cancelled\n2024-03-01,IG,@a,TBD,,Planned\n2024-03-05,IG,@c,90,200,paid\n"
            "2024-03-09,IG,@d,80,,cancelled\n")
    ds = load(text.encode(), name="s.csv")
    assert ds.rows["entity"].tolist() == ["@a", "@c"] and not ds.errors  # "TBD" of a planned row is no error
    assert ds.skipped["row"].tolist() == [3, 4, 6] and ds.unused == ()
    said = [w.message for w in ds.warnings if w.column == "Status"]
    assert said == ['3 rows whose status says the campaign has not run ("Cancelled" (2), "Planned" (1)) were left '
                    "out (the first at row 3): a campaign that did not run says nothing of what a fee returns."]
    ads = load(b"Date,Network,Spend,Revenue,Campaign status\n2024-01-01,IG,100,300,Paused\n", name="a.csv")
    assert len(ads.rows) == 1  # an ad export's status is not a creator campaign's


def test_a_year_column_beside_week_or_month_numbers_makes_the_dates():
    weeks = load((b"Year,Week,Instagram spend,TikTok spend,Sales\n2023,52,100,50,900\n2024,1,120,40,950\n"
                  b"2024,2,90,60,880\n"), name="yw.csv")
    assert weeks.kind == "total" and weeks.unused == ()
    assert weeks.outcome["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-12-25", "2024-01-01", "2024-01-08"]
    assert any(w.message == 'Each row\'s date is its week in the year of the column "Year" (the ISO week\'s Monday).'
               for w in weeks.warnings)
    months = load((b"Year,Month,Network,Spend,Revenue\n2024,Jan,IG,100,300\n2024,Feb,IG,120,310\n"
                   b"2024,3,IG,90,280\n"), name="ym.csv")
    assert months.rows["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-02-01", "2024-03-01"]


def test_text_in_a_number_column_is_an_error_with_location():
    text = "Date,Network,Spend,Revenue\n2024-01-01,FB,100,200\n2024-01-02,FB,tbd,100\n2024-01-03,FB,50,x\n"
    ds = load(text.encode(), name="t.csv")
    assert len(ds.rows) == 1
    errs = sorted((e.row, e.column, e.value) for e in ds.errors)
    assert errs == [(3, "Spend", "tbd"), (4, "Revenue", "x")]
    assert all("not a number" in e.message for e in ds.errors)
    assert set(ds.skipped["row"]) == {3, 4}
    s = ds.summary()
    assert s["errors"][0].keys() == {"sheet", "row", "column", "value", "message"}
    assert "Spend" in str(ds.errors[0]) and "row 3" in str(ds.errors[0])


def test_unreadable_and_missing_dates():
    text = "Date,Network,Spend,Revenue\n2024-01-01,FB,100,200\n2024-02-30,FB,1,2\n,FB,5,6\n"
    ds = load(text.encode(), name="t.csv")
    kinds = {e.row: e.message for e in ds.errors}
    assert "not a real date" in kinds[3]
    assert "no date" in kinds[4]
    assert _accounted(ds) == 3


def test_ambiguous_dates_are_assumed_and_said_and_can_be_fixed():
    text = "Date,Network,Spend,Revenue\n01/02/2024,FB,100,200\n03/04/2024,FB,100,200\n"
    ds = load(text.encode(), name="t.csv")
    (w,) = [w for w in ds.warnings if w.column == "Date"]
    assert "assumed month/day" in w.message and "date:dmy" in w.message
    assert ds.rows["date"].iloc[0] == pd.Timestamp("2024-01-02")
    fixed = load(text.encode(), name="t.csv", mapping={"Date": "date:dmy"})
    assert fixed.rows["date"].iloc[0] == pd.Timestamp("2024-02-01")
    assert fixed.warnings == ()
    decided = load((text + "25/04/2024,FB,1,2\n").encode(), name="t.csv")
    assert decided.warnings == () and decided.rows["date"].iloc[0] == pd.Timestamp("2024-02-01")


def test_parentheses_negative_outcome_is_a_warning_and_kept():
    text = "Date,Network,Spend,Revenue\n2024-01-01,FB,100,(50)\n"
    ds = load(text.encode(), name="t.csv")
    assert not ds.has_errors and ds.rows["outcome"].tolist() == [-50.0]
    assert ds.warnings[0].value == "(50)"


def test_unlabelled_sum_row_and_note_row_are_skipped():
    text = ("Date,Network,Spend,Revenue\n2024-01-01,FB,100,200\n2024-01-02,IG,50.5,100\n"
            ",,150.50,300\nSource: our export,,,\n")
    ds = load(text.encode(), name="t.csv")
    assert not ds.has_errors and len(ds.rows) == 2
    reasons = dict(zip(ds.skipped["row"], ds.skipped["reason"], strict=True))
    assert "sum of the rows above" in reasons[4]
    assert "note" in reasons[5]


def test_subtotals_grand_total_and_repeated_header():
    rows = [["Date", "Network", "Spend", "Revenue"],
            ["2024-01-01", "FB", "10", "20"], ["2024-01-08", "FB", "10", "20"],
            ["Facebook subtotal", "", "20", "40"],
            ["Date", "Network", "Spend", "Revenue"],
            ["2024-01-01", "IG", "5", "9"], ["Grand total", "", "25", "49"]]
    ds = load(_csv(rows).encode(), name="t.csv")
    assert not ds.has_errors and len(ds.rows) == 3
    reasons = dict(zip(ds.skipped["row"], ds.skipped["reason"], strict=True))
    assert reasons == {4: 'a totals row ("Facebook subtotal")', 5: "repeats the header row",
                       7: 'a totals row ("Grand total")'}


def test_dated_total_rows_in_the_network_column_are_skipped():
    rows = [["Date", "Network", "Creator", "Spend", "Revenue"],
            ["2024-01-01", "FB", "", "10", "20"], ["2024-01-01", "IG", "@a", "5", "9"],
            ["2024-01-01", "Total", "", "15", "29"], ["2024-01-08", "All networks", "", "15", "29"],
            ["2024-01-08", "IG", "Total", "15", "29"]]
    ds = load(_csv(rows).encode(), name="t.csv")
    assert not ds.has_errors and ds.rows["row"].tolist() == [2, 3]
    assert ds.skipped["row"].tolist() == [4, 5, 6]
    assert ds.skipped["reason"].str.startswith("a totals row").all()


def test_header_without_data_rows_is_an_error():
    ds = load(b"Date,Network,Spend,Revenue\n", name="t.csv")
    assert ds.has_errors and "no data rows" in ds.errors[0].message
    assert ds.describe() == "No rows could be imported."


def test_a_csv_has_no_sheets():
    text = b"Date,Network,Spend,Revenue\n2024-01-01,FB,1,2\n"
    assert load(text, name="t.csv", sheet="t.csv").sheet == "t.csv"
    with pytest.raises(DataError, match="CSV"):
        load(text, name="t.csv", sheet="Weekly")


def test_duplicates_and_outliers_are_warnings():
    rows = [["Date", "Network", "Creator", "Spend", "Revenue"]]
    for w in range(12):
        rows.append([f"2024-01-{w + 1:02d}", "TikTok", "@a", 1000 + 10 * w, 3000])
    rows.append(["2024-01-05", "TikTok", "@a", 1040, 3000])  # same date, network, creator as row 6
    rows.append(["2024-02-01", "TikTok", "@a", 100000, 3000])  # a typo: 100x
    ds = load(_csv(rows).encode(), name="t.csv")
    assert not ds.has_errors and len(ds.rows) == 14
    dup = [w for w in ds.warnings if "Same date" in w.message]
    assert [(w.row, "row 6" in w.message) for w in dup] == [(14, True)]
    out = [w for w in ds.warnings if "far above" in w.message]
    assert [(w.row, w.column) for w in out] == [(15, "Spend")]


def test_missing_outcome_column_is_one_clear_error():
    text = "Date,Network,Spend,Clicks\n2024-01-01,FB,100,5\n2024-01-02,FB,100,5\n"
    ds = load(text.encode(), name="t.csv")
    (err,) = ds.errors
    assert "no outcome column" in err.message and "--map" in err.message
    assert ds.rows.empty and list(ds.skipped["row"]) == [2, 3]
    assert ds.describe() == "No rows could be imported."
    conv = load(b"Date,Network,Spend,Conversions\n2024-01-01,FB,100,2\n", name="t.csv")
    assert '"Conversions"' in conv.errors[0].message and "Conversions=outcome" in conv.errors[0].message


def test_missing_network_and_spend_columns():
    ds = load(b"Date,Spend,Revenue\n2024-01-01,1,2\n", name="t.csv")
    assert any("No network column" in e.message for e in ds.errors)
    ds = load(b"Date,Network,Revenue\n2024-01-01,FB,2\n", name="t.csv")
    assert any("No spend column" in e.message for e in ds.errors)


def test_mapping_names_an_unknown_header(tmp_path):
    text = "Date,Network,Creator,Honorarium,Sales\n2024-01-01,IG,@a,100,300\n"
    ds = load(text.encode(), name="t.csv", mapping={"Honorarium": "spend"})
    assert not ds.has_errors and ds.rows["spend"].tolist() == [100.0]
    assert ("Honorarium", "spend") in ds.mapping
    with pytest.raises(DataError, match="Fee paid"):
        load(text.encode(), name="t.csv", mapping={"Fee paid": "spend"})


def test_several_sheets_pick_the_data_sheet(tmp_path):
    path = _xlsx(tmp_path / "book.xlsx", {
        "Roster": [["Creator", "Network", "Followers", "Fee per post", "Max posts per quarter"],
                   ["@a", "Instagram", 1000, 50, 3]] * 1,
        "Notes": [["This workbook holds our campaigns"]],
        "Campaigns": [["Creator campaigns 2024"], [],
                      ["Date", "Network", "Creator", "Fee paid", "Promo-code revenue"],
                      [dt.datetime(2024, 1, 1), "Instagram", "@a", 100, 250.5],
                      [dt.datetime(2024, 4, 1), "Instagram", "@a", 150, 300],
                      ["Total", None, None, 250, 550.5]],
    })
    ds = load(path)
    assert ds.sheet == "Campaigns" and not ds.has_errors
    assert ds.rows["row"].tolist() == [4, 5]
    assert ds.skipped.to_dict("records") == [{"sheet": "Campaigns", "row": 6, "reason": 'a totals row ("Total")'}]
    roster = load(path, sheet="Roster")
    assert roster.sheet == "Roster" and roster.has_errors
    assert load(path, sheet="campaigns").sheet == "Campaigns"
    assert load(path, sheet=2).sheet == "Campaigns"
    with pytest.raises(DataError, match='no sheet "Plan"'):
        load(path, sheet="Plan")


def test_wide_xlsx_with_title_blank_column_and_totals(tmp_path):
    rows = [["Weekly media report"], [],
            ["Week", None, "Instagram spend", "TikTok spend", "Total sales"]]
    for w in range(10):
        rows.append([dt.date(2024, 1, 1) + dt.timedelta(weeks=w), None, 100.0 + w, "$1,000.00" if w else None,
                     5000 + w])
    rows.append(["Total", None, sum(100.0 + w for w in range(10)), 9000, sum(5000 + w for w in range(10))])
    ds = load(_xlsx(tmp_path / "w.xlsx", {"Data": rows}))
    assert ds.kind == "total" and not ds.has_errors
    assert ds.networks == ["Instagram", "TikTok"]
    assert ds.spend_by_network() == {"Instagram": 1045.0, "TikTok": 9000.0}
    assert any("blank" in w.message and w.column == "TikTok spend" for w in ds.warnings)
    assert len(ds.outcome) == 10 and ds.outcome["row"].tolist() == list(range(4, 14))
    assert ds.skipped["row"].tolist() == [14]


def test_long_table_with_outcome_repeated_per_date_becomes_total():
    rows = [["Date", "Network", "Spend", "Total sales"]]
    for d in range(5):
        for net in ("FB", "IG"):
            rows.append([f"2024-01-{d + 1:02d}", net, 10 + d, 1000 + d])
    ds = load(_csv(rows).encode(), name="t.csv")
    assert ds.kind == "total"
    assert ds.outcome["outcome"].tolist() == [1000, 1001, 1002, 1003, 1004]
    assert ds.spend_by_network() == {"Facebook": 60.0, "Instagram": 60.0}
    assert any("same value on every row of a date" in w.message for w in ds.warnings)


def test_formula_without_saved_value_is_explained(tmp_path):
    path = _xlsx(tmp_path / "f.xlsx", {"S": [["Date", "Network", "Spend", "Revenue"],
                                             [dt.datetime(2024, 1, 1), "IG", 100, "=C2*3"],
                                             [dt.datetime(2024, 1, 2), "IG", 100, 300]]})
    ds = load(path)
    (err,) = ds.errors
    assert err.row == 2 and err.column == "Revenue" and err.value == "=C2*3"
    assert "formula" in err.message


def test_bytes_and_file_objects_and_paths_agree(tmp_path):
    text = b"Date,Network,Spend,Revenue\n2024-01-01,FB,100,200\n"
    p = tmp_path / "x.csv"
    p.write_bytes(text)
    a, b, c = load(p), load(text, name="x.csv"), load(io.BytesIO(text), name="x.csv")
    assert a.fingerprint == b.fingerprint == c.fingerprint
    assert a.summary() == b.summary() == c.summary()
    assert load(str(p)).source == "x.csv"
    assert load(text, name="x.csv", mapping={"Spend": "spend"}).fingerprint != a.fingerprint


def test_tsv_and_pipe_delimiters():
    rows = [["Date", "Network", "Spend", "Revenue"], ["2024-01-01", "FB", "1,000.50", "2,000"]]
    for d in ("\t", "|", ";"):
        ds = load(_csv(rows, d).encode(), name="x.txt")
        assert ds.rows["spend"].tolist() == [1000.5], d


# A legacy .xls workbook (BIFF8), made with xlwt 1.3.0: sheet "Notes" ("read me"), sheet "Weekly" with a
# title row, a blank row, the header "Week | Instagram spend | TikTok spend | Total sales" on row 3,
# six weekly rows (date cells, 100.5 + i, the text "$1,000", 5000 + i) and a "Total" row on row 10.
_XLS_ZLIB_B64 = (
    "eNrtmE1oE1EQgOdtdjeb/iWtrdAKZQlatT/SKoiXNirVItJSpVAVQbdmkZg0kSQg9aDV2qMgePIXi/Wgh/pz8IcqVPTgQazoQVCE"
    "Vm96EhQ8tI3zZt/WbozQgBZadsLOvjdv5tvJvr/dfT1eOjF0t2oSsqQFPDCT8YE6x8bw8NmVAGB7JsOL9lnDI+PKohKfhh2pKjBa"
    "/NLL+5D39yRIcEd+ihrgEx774Sh0JOKmvoCylXIwGM+hmck49iS4jEcJVFJeZaQPkV5G+jb5Pia9mSxnSTej7wTbB+OhjtpNYhzv"
    "kYLUVoKawQOKeU+WJqiAF3wcnzzHLF8FtiQjRmyRNVTLRTAM2KVtZtxM8rofbkABwF6Uhvb2htbWCSjH7h6GHxkd4Ls9r8d0176w"
    "dgZo/+m0e/9i17ATs+3nJRmgHzIHGR/Mg1AMR2TeouCkTZupQRzlY4o1t7tNMxrrm4I4OlnrNY6QpGmE9V6zDKDTiPBSOGLoPX36"
    "MXRGEI/xA+yIp9LG4aTRq6eOmvFwEUBXJNqViFrVQqwm0kZMTxkxM4WLyMqm+sbGRkWYC/jOQStNwLHSFNP8K0IdBj+VS2kWBjC3"
    "qZvf3rT3dIYOkKWfsrX2oFX8D0MGTvEIDC6ZbbF0LUXUkT5N1BVUriJdjjcGzzWdFaKwfYB8zlBrDV5nA8nb0Oo55TVYHvy662H1"
    "4OfQWiyPtE0eLx95FxqCIO6JYYznvwGoZ/Xs4gUuj0L2mYnV6iPpyj9WLk0KiNwzYqP1wzSfqyil1m4slcF97oor229ZiLtqZSEv"
    "ubvKhIdE/87pIZEH11aN3z/PbE3Cmjxb82BNESxPFusJZuihvereMx5VeIVnw+M8ROF9dULiNU4JdlgUOQdFJsoroly6alNkB0Um"
    "So2gKDkoClG+EKXumk1RHBSFKLWCouagqERRn/Oo0SGbojooKlHWCYo3B8VLlCBRdl63KV4HxUuU9YKi5aBoRGkhyodhm6I5KBpR"
    "NgoKf36VsvrbR/3tFf4+6u9bPjHrINesc8UVV1xxxZXFLYz2QxDPLkDPCKr1XkDfdabxmHE/kyxZ2Q0J/KXxlXIbvhWmIQl9eY2f"
    "5aAwm8XmGWN/L+TSjVdPQhR6KI9o3uMX3wHY3P8z78DAv5tC+V5/Jp88//P1fwF1bUFO"
)


def test_legacy_xls_workbook(tmp_path):
    import base64
    import zlib

    path = tmp_path / "weekly.xls"
    path.write_bytes(zlib.decompress(base64.b64decode("".join(_XLS_ZLIB_B64))))
    ds = load(path)
    assert ds.sheet == "Weekly" and ds.kind == "total" and not ds.has_errors
    assert ds.spend_by_network() == {"Instagram": pytest.approx(618.0), "TikTok": 6000.0}
    assert ds.outcome["row"].tolist() == [4, 5, 6, 7, 8, 9]
    assert ds.outcome["date"].iloc[0] == pd.Timestamp("2024-01-01")
    assert ds.skipped.to_dict("records") == [{"sheet": "Weekly", "row": 10, "reason": 'a totals row ("Total")'}]
    (note,) = ds.warnings  # "$1,000" alone cannot tell the decimal mark: assumed and said
    assert note.column == "TikTok spend" and "assumed" in note.message


# ---------------------------------------------------------------------- unreadable files


def test_unreadable_files_raise_one_sentence(tmp_path):
    cases = {
        "empty.csv": b"",
        "blank.csv": b"\n\n  \n",
        "broken.xlsx": b"PK\x03\x04" + bytes(range(256)) * 4,
        "locked.xlsx": files.OLE_MAGIC + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64,
        "old.xls": files.OLE_MAGIC + b"\x01" * 700,
        "binary.csv": bytes(range(256)) * 8,
        "page.xls": b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        "one_column.csv": b"Spend\n1\n2\n",
    }
    for name, data in cases.items():
        with pytest.raises(DataError) as info:
            load(data, name=name)
        msg = str(info.value)
        assert msg.endswith(".") and "\n" not in msg and "Traceback" not in msg, name
    with pytest.raises(DataError, match="password"):
        load(cases["locked.xlsx"], name="locked.xlsx")
    with pytest.raises(DataError, match="empty"):
        load(b"", name="empty.csv")
    with pytest.raises(DataError, match="does not exist"):
        load(tmp_path / "nope.xlsx")
    real = _need(SAMPLES / "weekly_paid_media.xlsx").read_bytes()
    with pytest.raises(DataError, match="damaged"):
        load(real[: len(real) // 2], name="cut.xlsx")
    empty_book = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty_book)
    with pytest.raises(DataError, match="no data"):
        load(empty_book)


def test_size_limits(monkeypatch, tmp_path):
    text = _csv([["Date", "Network", "Spend", "Revenue"]] + [["2024-01-01", "FB", 1, 2]] * 100).encode()
    assert limits.MAX_BYTES == 200 * 1024 * 1024 and limits.MAX_ROWS == 2_000_000
    assert "300.0 MB, over the 200 MB limit" in str(limits.file_too_big(300 * 1024 * 1024))
    monkeypatch.setattr(limits, "MAX_BYTES", 100)
    with pytest.raises(DataError, match="limit"):
        load(text, name="big.csv")
    p = tmp_path / "big.csv"
    p.write_bytes(text)
    with pytest.raises(DataError, match="limit"):
        load(p)
    monkeypatch.setattr(limits, "MAX_BYTES", 200 * 1024 * 1024)
    monkeypatch.setattr(limits, "MAX_ROWS", 10)
    with pytest.raises(DataError, match="rows"):
        load(text, name="long.csv")
    with pytest.raises(DataError, match="rows"):
        load(_xlsx(tmp_path / "long.xlsx", {"S": [["Date", "Network", "Spend", "Revenue"]] + [
            [dt.datetime(2024, 1, 1), "FB", 1, 2]] * 100}))


def test_defusedxml_guards_openpyxl():
    import defusedxml  # noqa: F401
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


# ====================================================================== properties


_DATES = st.one_of(
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)).map(lambda d: d.isoformat()),
    st.sampled_from(["", "Total", "Grand total", "2024-02-30", "someday", "13/13/2024", "Subtotal:"]),
)
_NUMS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.decimals(min_value=0, max_value=10**6, places=2).map(lambda d: f"${d:,.2f}"),
    st.sampled_from(["", "-", "--", "(5)", "abc", "1,234", "1.234,50", "12%", " n/a"]),
)
_NETS = st.sampled_from(["FB", "IG", "tiktok", "", "Total", "Meta", "X"])
_HANDLES = st.sampled_from(["", "@a", "b", "@c"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_DATES, _NETS, _HANDLES, _NUMS, _NUMS), max_size=15),
       title=st.booleans(), blank_every=st.integers(min_value=0, max_value=4))
def test_random_long_tables_never_crash_and_account_for_every_row(rows, title, blank_every):
    grid = ([["My report"], []] if title else []) + [["Date", "Network", "Creator", "Spend", "Revenue"]]
    for k, r in enumerate(rows):
        grid.append(list(r))
        if blank_every and k % blank_every == 0:
            grid.append([])
    data_rows = sum(1 for r in rows if any(str(c).strip() for c in r))
    ds = load(_csv(grid).encode(), name="random.csv")
    assert _accounted(ds) == data_rows
    json.dumps(ds.summary())
    assert isinstance(ds.describe(), str)
    if len(ds.rows):
        assert (ds.rows["spend"] >= 0).all() and ds.rows["spend"].notna().all()
        assert ds.rows["outcome"].notna().all() and ds.rows["date"].notna().all()
        assert (ds.rows["network"] != "").all()
    for issue in ds.issues:
        assert isinstance(issue, Issue) and issue.message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_DATES, _NUMS, _NUMS, _NUMS), max_size=15))
def test_random_wide_tables_never_crash_and_account_for_every_row(rows):
    grid = [["Week", "Instagram spend", "TikTok spend", "Sales"]] + [list(r) for r in rows]
    data_rows = sum(1 for r in rows if any(str(c).strip() for c in r))
    ds = load(_csv(grid).encode(), name="random.csv")
    assert _accounted(ds) == data_rows
    json.dumps(ds.summary())
    if ds.outcome is not None and len(ds.outcome):
        assert ds.kind == "total"
        assert len(ds.rows) == 2 * len(ds.outcome)
        assert (ds.rows["spend"] >= 0).all()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(
    st.one_of(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 1, 1)), st.none(), st.just("Total")),
    st.sampled_from(["FB", "IG", None]),
    st.one_of(st.floats(min_value=-10, max_value=1e6, allow_nan=False), st.none(), st.just("n/a")),
    st.one_of(st.integers(min_value=0, max_value=10**6), st.none()),
), max_size=10))
def test_random_xlsx_tables_account_for_every_row(tmp_path, rows):
    grid = [["Date", "Network", "Spend", "Revenue"]] + [list(r) for r in rows]
    path = _xlsx(tmp_path / "r.xlsx", {"S": grid})
    data_rows = sum(1 for r in rows if any(c is not None for c in r))
    ds = load(path)
    assert _accounted(ds) == data_rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from([b"", b"PK\x03\x04", files.OLE_MAGIC, b"\xef\xbb\xbf", b"\xff\xfe"]),
       body=st.binary(max_size=300), name=st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.tsv", "a"]))
def test_any_bytes_give_a_dataset_or_one_data_error(prefix, body, name):
    try:
        ds = load(prefix + body, name=name)
    except DataError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    json.dumps(ds.summary())


def test_ambiguous_dates_in_a_european_file_are_assumed_day_first():
    text = "Datum;Netzwerk;Kosten;Umsatz\n01/02/2024;FB;1.234,50;2.000,00\n03/04/2024;FB;10,00;20,00\n"
    ds = load(text.encode(), name="de.csv")
    assert ds.rows["date"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-03")]
    (w,) = [w for w in ds.warnings if w.column == "Datum"]
    assert "assumed day/month" in w.message


# ====================================================================== more shapes, choices and costs


def test_merged_two_row_header_is_read_as_one(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Weekly"
    ws.append(["Paid media by week"])
    ws.append(["Week", "Spend", None, None, "Total sales"])
    ws.append([None, "Instagram", "TikTok", "YouTube", None])
    ws.merge_cells("B2:D2")
    ws.merge_cells("A2:A3")
    ws.merge_cells("E2:E3")
    for k in range(8):
        ws.append([dt.datetime(2024, 1, 1) + dt.timedelta(weeks=k), 100 + k, 50, 20, 1000 + k])
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    ds = load(path)
    assert ds.kind == "total" and ds.describe() == "8 weeks, 3 networks, total sales only"
    assert dict(ds.mapping) == {"Week": "date", "Spend Instagram": "spend:Instagram", "Spend TikTok": "spend:TikTok",
                                "Spend YouTube": "spend:YouTube", "Total sales": "outcome"}
    assert ds.spend_by_network() == {"Instagram": 828.0, "TikTok": 400.0, "YouTube": 160.0}
    (note,) = ds.warnings
    assert (note.row, note.message) == (3, 'The header spans rows 2 and 3; their texts were joined, e.g. "Spend Instagram".')
    assert ds.columns == ("Week", "Spend Instagram", "Spend TikTok", "Spend YouTube", "Total sales")
    assert _accounted(ds) == 8


def test_band_over_sub_headers_in_a_csv():
    text = _csv([["Date", "Network", "Paid", None, "Results"],
                 [None, None, "Fee", "Product cost", "Revenue"],
                 ["2024-01-01", "IG", 100, 20, 500], ["2024-01-02", "IG", 100, 0, 400]])
    ds = load(text.encode(), name="band.csv")
    assert ds.columns == ("Date", "Network", "Fee", "Product cost", "Revenue")
    assert dict(ds.mapping)["Product cost"] == "product_cost"
    assert ds.rows["spend"].tolist() == [120.0, 100.0] and ds.rows["outcome"].tolist() == [500.0, 400.0]


def test_a_single_header_is_not_joined_with_a_text_data_row():
    text = _csv([["Date", "Network", "Creator", "Spend", "Revenue"], ["Monday", "Instagram", "@a", "Paid", "Sales"],
                 ["2024-01-01", "IG", "@a", 1, 2]])
    ds = load(text.encode(), name="t.csv")
    assert ds.columns == ("Date", "Network", "Creator", "Spend", "Revenue")
    assert list(ds.skipped["row"]) == [2] and _accounted(ds) == 2


def test_decimal_mark_can_be_chosen_when_it_cannot_be_decided():
    text = 'Date,Network,Spend,Revenue\n2024-01-01,FB,"1,234","2,000"\n2024-01-02,FB,"1,500","3,250"\n'
    ds = load(text.encode(), name="a.csv")
    assert ds.rows["spend"].tolist() == [1234.0, 1500.0]
    notes = [w for w in ds.warnings if w.column == "Spend"]
    assert len(notes) == 1 and notes[0].message.endswith(
        'If that is wrong, say which mark the file uses: --decimal "," (a decimal comma) or --decimal "." '
        "(a decimal point).")
    comma = load(text.encode(), name="a.csv", decimal=",")
    assert comma.rows["spend"].tolist() == [1.234, 1.5] and comma.rows["outcome"].tolist() == [2.0, 3.25]
    assert not comma.warnings and comma.fingerprint != ds.fingerprint
    point = load(text.encode(), name="a.csv", decimal=".")
    assert point.rows["spend"].tolist() == [1234.0, 1500.0] and not point.warnings
    with pytest.raises(DataError, match='The decimal mark must be "." or ",", not ";".'):
        load(text.encode(), name="a.csv", decimal=";")


def test_decimal_comma_also_reads_ambiguous_dates_day_first():
    text = "Date;Network;Spend;Revenue\n01/02/2024;FB;1.234;2.000\n03/04/2024;FB;10;20\n"
    ds = load(text.encode(), name="de.csv", decimal=",")
    assert ds.rows["date"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-03")]
    assert ds.rows["spend"].tolist() == [1234.0, 10.0] and ds.rows["outcome"].tolist() == [2000.0, 20.0]


def test_creator_costs_beyond_the_fee_are_counted():
    text = _csv([
        ["Date", "Network", "Creator", "Fee paid", "Product cost", "Usage rights (USD)", "Commission %",
         "Promo-code revenue", "Posts"],
        ["2024-01-01", "Instagram", "@a", 1000, 200, 100, "10%", 5000, 2],
        ["2024-04-01", "Instagram", "@a", 500, "", 0, 10, 2500, 1],
        ["2024-01-01", "Instagram", "", 3000, "", "", "", 9000, ""],
        ["2024-07-01", "Instagram", "@a", 500, "lots", 0, "", 1000, 1],
    ])
    ds = load(text.encode(), name="c.csv")
    assert ds.rows["spend"].tolist() == [1300.0, 500.0, 3000.0, 500.0]
    assert ds.rows["outcome"].tolist() == pytest.approx([4500.0, 2250.0, 9000.0, 1000.0])
    assert ds.rows["product_cost"].tolist() == [200.0, 0.0, 0.0, 0.0]
    assert ds.rows["commission"].tolist() == pytest.approx([500.0, 250.0, 0.0, 0.0])
    net = [w for w in ds.warnings if w.row == 1 and w.column is None]
    assert net[0].message == (
        "A creator's cost is more than the fee: spend is \"Fee paid\" plus \"Product cost\" and \"Usage rights (USD)\"; "
        "the outcome is net of \"Commission %\" (a share of sales), so every return computed from this table is net "
        "of these costs.")
    (bad,) = [w for w in ds.warnings if w.column == "Product cost"]
    assert (bad.row, bad.value) == (5, "lots") and bad.message.endswith("it was counted as 0.")
    amounts = load(_csv([["Date", "Network", "Creator", "Fee", "Commission paid", "Revenue"],
                         ["2024-01-01", "TikTok", "@b", 100, 30, 400]]).encode(), name="m.csv")
    assert amounts.rows["outcome"].tolist() == [370.0] and "(money paid)" in amounts.warnings[0].message


def test_linkedin_campaign_manager_export():
    text = ("Campaign Performance Report (in UTC)\nReport Start: 9/1/2026, Report End: 9/2/2026\n\n"
            "Start Date (in UTC),Account Name,Campaign Name,Campaign ID,Total Spent,Impressions,Clicks,"
            "Clicks to Landing Page,Conversions,Total Conversion Value,Currency\n"
            '09/01/2026,Acme,"Leads, directivos",11,"1,234.50",10000,200,150,3,300.00,USD\n'
            "09/01/2026,Acme,Marca,12,10.25,500,4,2,0,0,USD\n"
            '09/02/2026,Acme,"Leads, directivos",11,100.00,2000,40,30,1,100.00,USD\n'
            'Total,,,,"1,344.75",12500,244,182,4,400.00,USD\n')
    ds = load(text.encode(), name="linkedin.csv")
    assert ds.kind == "attributed" and ds.networks == ["LinkedIn"]
    assert ds.spend_by_network() == {"LinkedIn": 1344.75} and ds.outcome_total() == 400.0
    assert dict(ds.mapping)["Total Spent"] == "spend" and dict(ds.mapping)["Start Date (in UTC)"] == "date"
    assert ds.skipped.to_dict("records") == [{"sheet": "linkedin.csv", "row": 8, "reason": 'a totals row ("Total")'}]
    assert any("LinkedIn Campaign Manager export" in w.message for w in ds.warnings)


def test_dates_out_of_order_and_missing_weeks_are_warnings():
    weeks = [dt.date(2024, 1, 1) + dt.timedelta(weeks=k) for k in range(10)]
    order = [0, 1, 2, 4, 3, 5, 8, 9]  # week 3 after week 4; weeks 6 and 7 missing
    grid = [["Week", "Instagram spend", "TikTok spend", "Sales"]] + [
        [weeks[k].isoformat(), 100, 50, 1000 + k] for k in order]
    ds = load(_csv(grid).encode(), name="w.csv")
    assert ds.outcome["date"].is_monotonic_increasing and len(ds.outcome) == 8
    said = [(w.row, w.column, w.value, w.message) for w in ds.warnings]
    assert (6, "Week", "2024-01-22",
            "This date comes after 2024-01-29 (row 5) although it is earlier; the rows were put in date order.") in said
    assert (8, "Week", "2024-02-26",
            "2 weeks between 2024-02-05 (row 7) and 2024-02-26 are missing from the table; add them if you have "
            "the figures: until then the model takes their spend as between the weeks around them, and their "
            "sales as unknown.") in said
    clean = load(_csv([grid[0]] + [[w.isoformat(), 1, 1, 1] for w in weeks]).encode(), name="ok.csv")
    assert not clean.warnings


def test_columns_sheets_and_a_corrected_mapping(tmp_path):
    from planner.data.mapping import mapping_changes

    ds = load(_need(SAMPLES / "creator_campaigns.xlsx"))
    assert ds.sheets == ("Campaigns", "Roster")
    table = ds.mapping_table()
    assert list(table.columns) == ["column", "field"] and list(table["column"]) == list(ds.columns)
    assert dict(zip(table["column"], table["field"], strict=True))["Clicks"] == "clicks"
    edited = table.copy()
    edited.loc[edited["column"] == "Clicks", "field"] = ""
    edited.loc[edited["column"] == "Date", "field"] = "date:dmy"
    changes = mapping_changes(list(table.itertuples(index=False)), list(edited.itertuples(index=False)))
    assert changes == {"Clicks": "ignore", "Date": "date:dmy"}
    again = load(SAMPLES / "creator_campaigns.xlsx", mapping=changes)
    assert "clicks" not in again.rows.columns and dict(again.mapping)["Date"] == "date:dmy"
    assert again.mapping_table().equals(edited)
    with pytest.raises(DataError, match="is not a field the planner knows"):
        mapping_changes([("A", "spend")], [("A", "money")])
    csv_ds = load(b"Date,Network,Spend,Revenue\n2024-01-01,FB,1,2\n", name="one.csv")
    assert csv_ds.sheets == ("one.csv",) and csv_ds.columns == ("Date", "Network", "Spend", "Revenue")


def test_many_errors_of_one_kind_are_listed_twenty_times_and_counted():
    grid = [["Date", "Network", "Spend", "Revenue"]] + [["2024-01-01", "FB", "oops", 1]] * 45 + [
        ["2024-01-02", "FB", 5, 10]]
    ds = load(_csv(grid).encode(), name="bad.csv")
    listed = [e for e in ds.errors if e.row is not None]
    assert len(listed) == 20 and [e.row for e in listed] == list(range(2, 22))
    assert ds.errors[-1].message == '25 more rows in column "Spend" have the same problem as above (not a number).'
    assert len(ds.skipped) == 45 and ds.source_rows == 1


# ---------------------------------------------------------------------- big files: the column-wise fast path


def _same(a: Dataset, b: Dataset) -> None:
    pd.testing.assert_frame_equal(a.rows, b.rows)
    pd.testing.assert_frame_equal(a.skipped, b.skipped)
    assert a.issues == b.issues and a.kind == b.kind and a.mapping == b.mapping


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_DATES, _NETS, _HANDLES, _NUMS, _NUMS), max_size=15),
       title=st.booleans(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_pandas_reader_for_big_files_gives_the_same_dataset(rows, title, delimiter):
    grid = ([["My report"], []] if title else []) + [["Date", "Network", "Creator", "Spend", "Revenue"]]
    grid += [list(r) for r in rows]
    data = _csv(grid, delimiter).encode()
    slow = load(data, name="t.csv")
    old = csv_files.FAST_CSV_CHARS
    try:
        csv_files.FAST_CSV_CHARS = 0
        fast = load(data, name="t.csv")
    finally:
        csv_files.FAST_CSV_CHARS = old
    _same(slow, fast)


def test_big_ad_export_keeps_every_row_and_total(tmp_path):
    from planner.bench.imports import write_export

    path = tmp_path / "export.csv"
    truth = write_export(path, 30_000, seed=3, days=90)
    assert path.stat().st_size > csv_files.FAST_CSV_CHARS  # read by the fast path
    ds = load(path)
    assert ds.kind == "attributed" and ds.source_rows == 30_000 and not ds.errors
    assert ds.skipped.to_dict("records") == [{"sheet": "export.csv", "row": 30_004, "reason": 'a totals row ("Total")'}]
    assert ds.rows["spend"].sum() == pytest.approx(truth["spend"], abs=0.01)
    assert ds.outcome_total() == pytest.approx(truth["revenue"], abs=0.01)
    assert ds.rows["row"].min() == 4 and ds.rows["row"].max() == 30_003
    assert set(ds.networks) == {"Instagram", "TikTok", "YouTube", "Facebook", "Pinterest", "X"}
    assert ds.rows.loc[ds.rows["entity"] == "", "network"].nunique() == 6


def test_inspect_takes_the_decimal_mark(tmp_path):
    import subprocess

    p = tmp_path / "a.csv"
    p.write_text('Date,Network,Spend,Revenue\n2024-01-01,FB,"1,234","2,000"\n')
    run = subprocess.run([sys.executable, "-m", "planner", "inspect", str(p), "--json", "--decimal", ","],
                         cwd=tmp_path, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert got["spend_by_network"] == {"Facebook": 1.234} and got["warnings"] == []


def test_a_real_password_protected_workbook_is_one_sentence():
    locked = ROOT / "tests" / "fixtures" / "password_secret.xlsx"
    for source in (locked, locked.read_bytes()):
        with pytest.raises(DataError) as info:
            load(source, name="password_secret.xlsx")
        assert str(info.value) == ('The workbook "password_secret.xlsx" is password-protected; save a copy without '
                                   "a password and load that.")


def test_spend_and_revenue_per_channel_under_channel_bands(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Week", "Instagram", None, "TikTok", None])
    ws.append([None, "Spend", "Revenue", "Spend", "Revenue"])
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    ws.append([dt.datetime(2024, 1, 1), 100, 400, 50, 120])
    ws.append([dt.datetime(2024, 1, 8), 120, None, 60, 150])
    ws.append([dt.datetime(2024, 1, 15), "abc", 1, 2, 3])
    ws.append(["Total", 220, 400, 110, 270])
    path = tmp_path / "bands.xlsx"
    wb.save(path)
    ds = load(path)
    assert ds.kind == "attributed" and ds.describe() == "4 rows over 2 weeks on 2 networks, revenue attributed per row"
    assert dict(ds.mapping) == {"Week": "date", "Instagram Spend": "spend:Instagram",
                                "Instagram Revenue": "outcome:Instagram", "TikTok Spend": "spend:TikTok",
                                "TikTok Revenue": "outcome:TikTok"}
    assert ds.rows[["network", "spend", "outcome", "row"]].values.tolist() == [
        ["Instagram", 100.0, 400.0, 3], ["TikTok", 50.0, 120.0, 3], ["Instagram", 120.0, 0.0, 4],
        ["TikTok", 60.0, 150.0, 4]]
    assert (ds.rows["entity"] == "").all()
    said = {(i.row, i.column): i.message for i in ds.issues}
    assert said[(5, "Instagram Spend")] == '"abc" is not a number, so this row was left out.'
    assert said[(4, "Instagram Revenue")] == "1 blank cell in this column was read as 0 (the first at row 4)."
    assert ds.skipped[["row", "reason"]].values.tolist() == [[5, 'left out: "Instagram Spend" is not a number'],
                                                          [6, 'a totals row ("Total")']]
    # named outright on the command line's terms
    flat = _csv([["Date", "IG cost", "IG value", "TT cost", "TT value"], ["2024-01-01", 1, 2, 3, 4]])
    mapped = load(flat.encode(), name="f.csv", mapping={"IG value": "outcome:Instagram", "TT value": "outcome:TikTok"})
    assert mapped.kind == "attributed" and mapped.spend_by_network() == {"Instagram": 1.0, "TikTok": 3.0}


def test_read_sheets_heads_and_one_sheet(tmp_path):
    import base64
    import zlib

    xls = tmp_path / "weekly.xls"
    xls.write_bytes(zlib.decompress(base64.b64decode("".join(_XLS_ZLIB_B64))))
    name, heads = files.read_sheets(xls, max_rows=3)
    assert name == "weekly.xls" and [len(s) for s in heads if s.name == "Weekly"] == [3]
    name, (full,) = files.read_sheets(xls, only=["Weekly"])
    assert full.name == "Weekly" and len(full) > 3 and full.rownums[0] == heads[[s.name for s in heads].index("Weekly")].rownums[0]
    book = _need(SAMPLES / "creator_campaigns.xlsx")
    _, heads = files.read_sheets(book, max_rows=5)
    assert [(s.name, len(s)) for s in heads] == [("Campaigns", 5), ("Roster", 5)]
    _, (roster,) = files.read_sheets(book, only=["Roster"])
    assert len(roster) == 61 and roster.row(0)[:2] == ["Creator", "Network"]
