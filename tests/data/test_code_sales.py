"""A creators' tracker of fees and a shop's promo-code report: each campaign's sales come from the report, by code."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.base.format import money
from planner.data.code_report import code_key, combine_reports, is_code_report, read_code_report
from planner.data.code_sales import attribute
from planner.data.ingest import load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "creator_campaigns.xlsx"
SHOPIFY = "Day,Discount code,Orders,Gross sales,Discounts,Returns,Net sales,Taxes,Total sales\n"
TRACKER = "Date,Network,Creator,Posts,Fee paid,Promo code\n"


def _report(text: str, name: str = "codes.csv"):
    return read_code_report(text.encode(), name=name)


def test_a_shopify_report_is_read_with_its_net_sales_by_day_and_code():
    text = SHOPIFY + ("2024-01-02,NINA15,3,115.00,-15.00,0,100.00,8.00,108.00\n"
                      "2024-01-03,nina15,2,\"$1,150.00\",-150.00,0,\"$1,000.00\",80.00,\"1,080.00\"\n"
                      "2024-01-03,,1,50,0,0,40,3,43\n"
                      "2024-01-04,LEO10,x,10,0,0,oops,1,11\n"
                      "Total,,,,,,1140.00,,\n")
    assert is_code_report(text.encode(), "codes.csv")
    r = _report(text)
    assert r.outcome_header == "Net sales" and r.orders_header == "Orders" and r.date_header == "Day"
    assert r.table["key"].tolist() == ["nina15", "nina15"]  # case folded: one code
    assert r.table["outcome"].tolist() == [100.0, 1000.0]
    assert (r.first, r.last) == (pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-03"))
    said = {(i.severity, i.row, i.column): i.message for i in r.issues}
    assert "no code" in said[("warning", 4, "Discount code")]  # sales without a code: said, not given to anyone
    assert "left out" in said[("error", 5, "Net sales")]  # an amount that is not a number: its row
    assert r.describe() == "A promo-code report: 1 code, $1,100 of Net sales, 2 Jan 2024 to 3 Jan 2024"


def test_files_that_are_not_promo_code_reports_are_told_apart():
    assert not is_code_report(SAMPLE)  # a tracker with fees
    assert read_code_report(SAMPLE) is None
    assert not is_code_report(b"Date,Network,Spend,Revenue\n2024-01-01,IG,10,20\n", "t.csv")
    assert code_key(" Nina 15 ") == "nina15" and code_key(1234.0) == "1234" and code_key(None) == ""
    assert code_key("https://shop.example/discount/NINA15?redirect=%2F") == "nina15" and code_key("TBD") == ""


def test_each_sale_goes_to_the_last_campaign_of_its_code_before_it():
    report = _report(SHOPIFY.replace(",Gross sales,Discounts,Returns", "").replace(",Taxes,Total sales", "") + (
        "2024-01-01,A,1,10\n"        # before A's first campaign: given to nobody, said
        "2024-01-05,A,2,100\n2024-01-20,A,1,50\n"   # A's first campaign
        "2024-02-10,A,3,200\n"       # A's second campaign (from 2024-02-01)
        "2024-08-01,A,1,30\n"        # more than a quarter after A's last campaign: said
        "2024-01-09,B,1,70\n"        # B: two rows of one campaign, by fee
        "2024-03-01,ZZ,9,900\n"      # a code of no campaign (the shop's own): said
        "2024-09-30,A,1,1\n"))
    keys = np.array(["a", "a", "b", "b", "c", "", "d", "a"], dtype=object)
    dates = pd.to_datetime(["2024-01-05", "2024-02-01", "2024-01-08", "2024-01-08", "2024-03-01", "2024-03-01",
                            "2023-12-01", "2024-09-29"]).to_numpy()
    fees = np.array([100, 100, 300, 100, 50, 80, 100, 100], dtype=float)
    sales = attribute(keys, dates, fees, report)
    out = sales.outcome
    assert out[:5] == pytest.approx([150.0, 200.0, 52.5, 17.5, 0.0], abs=0.01)  # C sold nothing in the report's days
    assert sales.orders[:2] == pytest.approx([3.0, 3.0], abs=0.01)
    reasons = sales.reasons.tolist()
    assert reasons[:5] == [None] * 5 and np.isnan(out[5:]).all()
    assert reasons[5].startswith("no promo code")
    assert reasons[6].startswith("dated before the promo-code report's first day (1 Jan 2024)")
    assert reasons[7].startswith("too close to the promo-code report's last day (30 Sep 2024)")
    notes = " ".join(sales.notes)
    assert "1 code of codes.csv belongs to no campaign of the tracker (ZZ ($900); $900 in all)" in notes
    assert (f"not given to a campaign: {money(10)} before their code's first campaign and {money(30)} more than 91 "
            "days after their code's campaign") in notes
    assert "1 campaign whose code sold nothing in the report's days (1 Jan 2024 to 30 Sep 2024) earned 0." in notes
    assert sales.given == pytest.approx(420.0)
    assert "fell in the sales of two or more campaigns" not in notes  # 36 days after A1, 9 after A2: A2's


def test_a_report_of_totals_splits_a_code_of_several_campaigns_by_fee_and_says_so():
    report = _report("Discount code,Orders,Net sales\nA,10,1000\nB,3,300\nSHOP,1,5\n")
    assert not report.dated and report.describe().endswith("over its period (no dates)")
    keys = np.array(["a", "a", "b", "c"], dtype=object)
    dates = pd.to_datetime(["2024-01-01", "2024-04-01", "2024-02-01", "2024-02-01"]).to_numpy()
    sales = attribute(keys, dates, np.array([300.0, 100.0, 50.0, 50.0]), report)
    assert sales.outcome.tolist() == [750.0, 250.0, 300.0, 0.0]
    notes = " ".join(sales.notes)
    assert "1 code with several campaigns (2 rows) had its sales split between them by fee" in notes
    assert "1 code of the tracker is not in codes.csv: its campaigns sold nothing in its period (read as 0)" in notes


def test_reports_by_day_are_combined_and_one_of_totals_is_left_aside():
    q1 = _report("Day,Code,Net sales\n2024-01-05,A,10\n", "q1.csv")
    q2 = _report("Day,Code,Net sales\n2024-04-05,A,20\n", "q2.csv")
    totals = _report("Code,Net sales\nA,30\n", "all.csv")
    both = combine_reports([q1, q2, totals])
    assert both.source == "q1.csv, q2.csv" and both.table["outcome"].sum() == 30.0
    assert any("all.csv gives totals without dates" in i.message for i in both.issues)


def tracker_and_report(tmp_path: Path) -> tuple[Path, Path, pd.DataFrame]:
    """The shipped tracker without its revenue and with a code per creator, and its sales as a report by day."""
    x = pd.read_excel(SAMPLE, sheet_name="Campaigns", header=2, engine="calamine")
    x = x[pd.to_datetime(x["Date"], errors="coerce").notna()].reset_index(drop=True)
    x["Promo code"] = x["Creator"].str.replace(r"[@._]", "", regex=True).str.upper() + "15"
    rows = []
    for r in x.itertuples(index=False):
        day, code = pd.Timestamp(r.Date), r[-1]
        for i, part in enumerate((0.6, 0.3, 0.1)):  # each campaign's sales over its first days, codes in any case
            rows.append({"Day": (day + pd.Timedelta(days=2 * i)).date(), "Discount code": code.lower() if i else code,
                         "Orders": int(r.Orders) * part, "Net sales": round(float(r[10]) * part, 2)})
    tracker = tmp_path / "fees.xlsx"
    x.drop(columns=["Promo-code revenue", "Orders"]).to_excel(tracker, index=False)
    report = tmp_path / "sales_by_discount.csv"
    pd.DataFrame(rows).sort_values("Day").to_csv(report, index=False)
    return tracker, report, x


def test_the_sample_tracker_with_its_revenue_in_a_shop_report_reads_as_the_tracker_with_revenue(tmp_path):
    tracker, report_path, x = tracker_and_report(tmp_path)
    alone = load(tracker)
    assert alone.rows.empty and "load that report together with this file" in alone.errors[0].message
    report = read_code_report(report_path)
    ds = load(tracker, codes=[report])
    assert not ds.has_errors and ds.code_reports == ("sales_by_discount.csv",)
    whole = load(SAMPLE)
    a = ds.rows.sort_values(["date", "entity"]).reset_index(drop=True)
    b = whole.rows.sort_values(["date", "entity"]).reset_index(drop=True)
    assert len(a) == len(b) and ds.skipped.empty  # every sale is within its campaign's days, the last ones too
    assert np.allclose(a["outcome"], b["outcome"], atol=0.02) and np.allclose(a["orders"], b["orders"])
    said = " ".join(w.message for w in ds.warnings)
    assert "Revenue is each campaign's sales of its code (\"Promo code\") in sales_by_discount.csv" in said
    assert ds.fingerprint != load(tracker, codes=[_report("Code,Net sales\nSAGELIFTSSTUDIO15,1\n")]).fingerprint


def test_a_tracker_that_writes_its_revenue_keeps_it(tmp_path):
    text = TRACKER.replace("Promo code", "Promo code,Revenue") + "2024-01-01,IG,@a,1,100,A,500\n"
    ds = load(io.BytesIO(text.encode()), name="t.csv", codes=[_report("Code,Net sales\nA,9\n")])
    assert ds.rows["outcome"].tolist() == [500.0] and ds.code_reports == ()


def test_a_report_by_month_gives_a_months_sales_to_the_codes_last_campaign_in_it():
    report = _report("Month,Discount code,Net sales\n2024-01-01,A,100\n2024-02-01,A,40\n2024-03-01,A,5\n"
                     "2024-05-01,A,60\n2024-06-01,A,10\n")
    assert report.step == "month" and report.last == pd.Timestamp("2024-06-30")
    keys = np.array(["a", "a"], dtype=object)
    dates = pd.to_datetime(["2024-01-15", "2024-05-10"]).to_numpy()  # January's sales: from the campaign in January
    sales = attribute(keys, dates, np.array([100.0, 100.0]), report)
    assert sales.outcome.tolist() == [145.0, 70.0]
    weekly = _report("Week,Code,Net sales\n2024-01-01,A,1\n2024-01-08,A,2\n2024-01-22,A,3\n")
    assert weekly.step == "week" and weekly.last == pd.Timestamp("2024-01-28")


def test_sales_of_two_campaigns_of_one_code_that_overlap_are_shared_by_how_sales_fall_off():
    days = pd.date_range("2024-01-01", periods=40)
    fall = 0.8 ** np.arange(28)
    lines = []
    for i, day in enumerate(days):  # A: a campaign on day 0 (100 a day falling) and one on day 10 (50 falling)
        a = (100 * fall[i] if i < 28 else 0) + (50 * fall[i - 10] if 10 <= i < 38 else 0)
        lines.append(f"{day.date()},A,{a:.2f}")
    for start in ("2024-03-01", "2024-05-01", "2024-07-01"):  # B's campaigns alone show how sales fall off
        lines += [f"{(pd.Timestamp(start) + pd.Timedelta(days=k)).date()},B,{80 * fall[k]:.2f}" for k in range(28)]
    report = _report("Day,Code,Net sales\n" + "\n".join(lines) + "\n")
    keys = np.array(["a", "a", "b", "b", "b"], dtype=object)
    dates = pd.to_datetime(["2024-01-01", "2024-01-11", "2024-03-01", "2024-05-01", "2024-07-01"]).to_numpy()
    sales = attribute(keys, dates, np.full(5, 100.0), report)
    whole = 100 * fall.sum()
    assert sales.outcome[0] == pytest.approx(whole, rel=0.03)  # the last campaign before each sale: 10 % short
    assert sales.outcome[1] == pytest.approx(whole / 2, rel=0.05)
    assert any("half within 3 days" in n for n in sales.notes), sales.notes


def test_a_workbook_with_the_fees_on_one_sheet_and_the_sales_by_code_on_another(tmp_path):
    tracker, report, _ = tracker_and_report(tmp_path)
    book = tmp_path / "team.xlsx"
    with pd.ExcelWriter(book) as w:
        pd.read_excel(tracker, engine="calamine").to_excel(w, sheet_name="Fees", index=False)
        sales = pd.read_csv(report).astype({"Net sales": object})
        sales.loc[len(sales)] = ["2024-03-03", "NOBODY15", 1, "n/a?"]  # an amount that is not one: said, with its row
        sales.to_excel(w, sheet_name="Shopify codes", index=False)
    assert not is_code_report(book)  # a data file, whose tracker reads the report's sheet itself
    ds = load(book)
    assert ds.sheet == "Fees" and not ds.has_errors and len(ds.rows) == 286
    assert ds.code_reports == ("team.xlsx, sheet Shopify codes",)
    assert np.isclose(ds.rows["outcome"].sum(), load(SAMPLE).rows["outcome"].sum(), atol=1.0)
    bad = [w.message for w in ds.warnings if w.message.startswith("team.xlsx, sheet Shopify codes, row ")]
    assert len(bad) == 1 and "so this row was left out" in bad[0]


def test_the_reports_currency_must_be_the_fees_and_is_theirs_where_they_do_not_say():
    from planner.data.dataset import DataError

    euros = TRACKER.replace("Fee paid", "Fee paid (EUR)") + "2024-01-01,IG,@a,1,100,A\n"
    dollars = _report("Discount code,Net sales (USD)\nA,500\n")
    assert dollars.currency == "USD"
    with pytest.raises(DataError, match="gives its sales in USD and the tracker's fees are in EUR"):
        load(euros.encode(), name="fees.csv", codes=[dollars])
    plain = TRACKER + "2024-01-01,IG,@a,1,100,A\n"
    ds = load(plain.encode(), name="fees.csv", codes=[dollars])
    assert ds.currency == "USD" and "codes.csv" in ds.currency_from
    assert ds.rows["outcome"].tolist() == [500.0]


def test_an_affiliate_report_with_commission_gives_the_campaigns_sales_net_of_it():
    report = _report("Affiliate,Code,Conversions,Sales amount,Commission,Commission rate\n"
                     "Nina,NINA10,12,1000,100,10%\nLeo,LEO10,3,300,30,10%\n", "affiliates.csv")
    assert report.commission_header == "Commission" and report.orders_header == "Conversions"
    tracker = TRACKER + "2024-01-01,IG,@nina,1,200,NINA10\n2024-01-05,IG,@leo,1,50,leo10\n"
    ds = load(tracker.encode(), name="fees.csv", codes=[report])
    assert ds.rows["outcome"].tolist() == [900.0, 270.0]  # sales less the commission paid on them
    assert ds.rows["commission"].tolist() == [100.0, 30.0] and ds.rows["orders"].tolist() == [12.0, 3.0]


def test_creators_whose_sales_are_known_only_in_total_have_bands_that_say_so(tmp_path):
    from planner.fit.budget import NOTES
    from planner.fit.pipeline import fit_curves

    tracker, report, _ = tracker_and_report(tmp_path)
    daily = load(tracker, codes=[read_code_report(report)])
    sales = pd.read_csv(report)
    sales["Discount code"] = sales["Discount code"].str.upper()
    totals = tmp_path / "totals.csv"
    sales.groupby("Discount code")[["Orders", "Net sales"]].sum().reset_index().to_csv(totals, index=False)
    split = load(tracker, codes=[read_code_report(totals)])
    assert (split.rows["sales_group"] != "").mean() > 0.9  # nearly every code has several campaigns
    a, b = fit_curves(daily, n_boot=0, seed=0), fit_curves(split, n_boot=0, seed=0)
    width = np.log(b["beta_p90"] / b["beta_p10"]).median() / np.log(a["beta_p90"] / a["beta_p10"]).median()
    assert width > 2.0  # the split by fee made every creator's curve look exact; now the bands are wide
    assert any("57 creators had the sales of their codes only in total over 283 campaigns" in n for n in b.attrs[NOTES])


def test_a_report_none_of_whose_codes_are_the_trackers_is_refused_and_few_matches_are_said():
    from planner.data.dataset import DataError

    tracker = TRACKER + "2024-01-01,IG,@a,1,100,NINA15\n2024-01-02,IG,@b,1,100,LEO15\n2024-01-03,IG,@c,1,100,MAX15\n"
    with pytest.raises(DataError, match="None of the tracker's 3 promo codes"):
        load(tracker.encode(), name="fees.csv", codes=[_report("Code,Net sales\nWELCOME10,500\n")])
    ds = load(tracker.encode(), name="fees.csv", codes=[_report("Code,Net sales\nNINA15,500\n")])
    assert any("Only 1 of the tracker's 3 promo codes are in codes.csv (not found: leo15, max15)" in w.message
               for w in ds.warnings)


def test_a_plan_on_creators_whose_sales_are_known_only_in_total_is_said_to_rest_on_weak_curves(tmp_path):
    from planner.curves.support import IN_TOTAL, support
    from planner.fit.pipeline import fit_curves

    tracker, report, _ = tracker_and_report(tmp_path)
    sales = pd.read_csv(report)
    sales["Discount code"] = sales["Discount code"].str.upper()
    totals = tmp_path / "totals.csv"
    sales.groupby("Discount code")[["Net sales"]].sum().reset_index().to_csv(totals, index=False)
    curves = fit_curves(load(tracker, codes=[read_code_report(totals)]), n_boot=0, seed=0)
    judged = support(curves)
    assert judged.verdict == "thin" and sum(IN_TOTAL in why for why in judged.reasons.values()) == 57
    assert "and 52 more: their campaigns' sales known only in total per code" in judged.headline()
    assert judged.advice() == ("Their bands are widened to what the data know. A promo-code report by day would give "
                               "each campaign its own sales. Plan with care.")
    daily = fit_curves(load(tracker, codes=[read_code_report(report)]), n_boot=0, seed=0)
    assert "sales_in_total" not in daily and support(daily).verdict == "sound"


def test_a_german_shop_report_is_read_with_its_net_sales():
    text = ("Tag;Rabattcode;Bestellungen;Bruttoumsatz;Nettoumsatz\n02.01.2024;NINA15;3;1.400,00;1.234,50\n"
            "03.01.2024;nina15;2;120,00;100,00\n")
    r = _report(text, "rabatte.csv")
    assert r.outcome_header == "Nettoumsatz" and r.table["outcome"].tolist() == [1234.5, 100.0]
    assert (r.first, r.last) == (pd.Timestamp("2024-01-02"), pd.Timestamp("2024-01-03"))
