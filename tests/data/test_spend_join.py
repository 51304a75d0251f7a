"""Spend exports without revenue joined with the shop's sales over time (planner.data.spend_join)."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner.data.dataset import DataError
from planner.data.ingest import load
from planner.data.sales_file import combine_sales, is_sales_file, read_sales
from planner.data.spend_export import is_spend_export
from planner.data.spend_join import join_spend

ROOT = Path(__file__).resolve().parents[2]
WEEKLY = ROOT / "sample_data" / "weekly_paid_media.xlsx"


_spec = importlib.util.spec_from_file_location("sample_spend_exports", ROOT / "sample_data" / "spend_exports.py")
spend_exports = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(spend_exports)
_by_day = spend_exports.by_day


def exports_and_sales(tmp_path: Path) -> tuple[list[Path], Path, pd.DataFrame]:
    """The shipped weekly table as a brand has it (sample_data/spend_exports.py), written into ``tmp_path``.

    Facebook and Instagram in one Meta Ads Manager export (a Platform breakdown), TikTok in a TikTok Ads Manager
    export, YouTube, Pinterest and X in a team's sheet of spend per day and network; the sales in Shopify's
    "Sales over time". Returns the spend files, the sales file and the weekly table.
    """
    weekly = pd.read_excel(WEEKLY, sheet_name="Weekly", engine="calamine")
    paths = spend_exports.write(weekly, tmp_path)
    return [paths["meta"], paths["tiktok"], paths["team"]], paths["sales"], weekly


def test_the_shipped_spend_exports_are_the_weekly_samples_pieces(tmp_path):
    _, _, _ = exports_and_sales(tmp_path)
    for name in spend_exports.FILES:
        fresh, shipped = pd.read_csv(tmp_path / name, dtype=str), pd.read_csv(ROOT / "sample_data" / name, dtype=str)
        pd.testing.assert_frame_equal(fresh, shipped, obj=f"{name} is stale: run python sample_data/spend_exports.py")


def _joined(files, shop):
    return join_spend([load(p, spend_only=True) for p in files], read_sales(shop))


def test_the_weekly_sample_split_into_exports_and_sales_joins_back_week_for_week(tmp_path):
    files, shop, weekly = exports_and_sales(tmp_path)
    ds = _joined(files, shop)
    assert ds.kind == "total" and not ds.has_errors
    assert ds.joined == ("meta_ads_spend.csv", "tiktok_ads_spend.csv", "team_spend_by_day.csv",
                         "shop_sales_over_time.csv")
    assert ds.currency == "USD" and "meta_ads_spend.csv" in ds.currency_from
    week = lambda d: pd.to_datetime(d) - pd.to_timedelta(pd.to_datetime(d).dt.day_of_week, unit="D")  # noqa: E731
    spend = ds.rows.assign(week=week(ds.rows["date"])).pivot_table(index="week", columns="network", values="spend",
                                                                   aggfunc="sum")
    for net in ("Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"):
        assert np.allclose(spend[net].to_numpy(), weekly[f"{net} spend"].to_numpy(), atol=0.005), net
    sales = ds.outcome.assign(week=week(ds.outcome["date"])).groupby("week")["outcome"].sum()
    assert np.allclose(sales.to_numpy(), weekly["Total sales"].to_numpy(), atol=0.005)  # Net sales, not Total sales
    said = ds.warnings[0].message
    assert said.startswith("Spend (Facebook, Instagram from meta_ads_spend.csv, TikTok from tiktok_ads_spend.csv")
    assert "were joined by day: 1,092 periods, 2 Jan 2023 to 28 Dec 2025" in said
    assert "Impressions (meta_ads_spend.csv)" in ds.unused


def test_the_joined_files_are_fitted_as_the_weekly_table_they_came_from(tmp_path):
    from planner.fit.pipeline import fit_curves

    files, shop, _ = exports_and_sales(tmp_path)
    joined = fit_curves([_joined(files, shop)], n_boot=0).set_index("name")
    weekly = fit_curves([load(WEEKLY)], n_boot=0).set_index("name")
    assert sorted(joined.index) == sorted(weekly.index)
    x = weekly["current_spend"]
    for name in weekly.index:
        a, b = joined.loc[name], weekly.loc[name]
        ya = a["beta"] * x[name] ** a["s"] / (x[name] ** a["s"] + a["k"] ** a["s"])
        yb = b["beta"] * x[name] ** b["s"] / (x[name] ** b["s"] + b["k"] ** b["s"])
        assert abs(a["current_spend"] - b["current_spend"]) < 1.0
        assert ya == pytest.approx(yb, rel=0.01), name


def test_sales_by_week_take_the_spend_of_their_days(tmp_path):
    files, shop, weekly = exports_and_sales(tmp_path)
    days = pd.read_csv(shop)
    days["Day"] = pd.to_datetime(days["Day"])
    sunday = days.assign(Week=days["Day"] - pd.to_timedelta((days["Day"].dt.day_of_week + 1) % 7, unit="D"))
    by_week = sunday.groupby("Week", as_index=False)["Net sales"].sum()  # Sunday weeks, as a US shop reports
    path = tmp_path / "sales_by_week.csv"
    by_week.to_csv(path, index=False)
    series = read_sales(path)
    assert series.step == "week"
    ds = join_spend([load(p, spend_only=True) for p in files], series)
    assert ds.outcome["date"].dt.day_of_week.eq(6).all()  # the sales' own weeks
    assert len(ds.outcome) == len(by_week) - 2  # the first and last Sunday weeks are partly before and after
    first = pd.Timestamp(ds.outcome["date"].iloc[0])
    in_week = (pd.to_datetime(pd.read_csv(files[1])["By Day"]).between(first, first + pd.Timedelta(days=6)))
    tiktok = pd.read_csv(files[1])[in_week]["Cost"].sum()
    got = ds.rows[(ds.rows["date"] == first) & (ds.rows["network"] == "TikTok")]["spend"].sum()
    assert got == pytest.approx(tiktok, abs=0.01)


def test_an_export_that_starts_late_is_said_and_the_sales_before_every_export_are_left_out(tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    tiktok = pd.read_csv(files[1])
    tiktok[tiktok["By Day"] >= "2024-03-04"].to_csv(files[1], index=False)
    sales = pd.read_csv(shop)
    before = pd.DataFrame({"Day": ["2022-12-30", "2022-12-31"], "Net sales": [100.0, 200.0]})
    pd.concat([before, sales], ignore_index=True).to_csv(shop, index=False)
    ds = _joined(files, shop)
    said = " ".join(w.message for w in ds.warnings)
    assert "tiktok_ads_spend.csv starts on 4 Mar 2024, after the first period with sales (2 Jan 2023)" in said
    assert "2 of the 1,094 periods of sales are not within the dates of the spend exports" in said
    out = ds.skipped[ds.skipped["sheet"] == "shop_sales_over_time.csv"]
    assert out["row"].tolist() == [2, 3] and set(out["reason"]) == {"not within the dates of the spend exports"}
    early = ds.rows[(ds.rows["network"] == "TikTok") & (ds.rows["date"] < "2024-03-04")]
    assert len(early) and early["spend"].eq(0).all()


def test_files_in_two_currencies_are_refused(tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    meta = pd.read_csv(files[0]).rename(columns={"Amount spent (USD)": "Amount spent (EUR)"})
    meta.to_csv(files[0], index=False)
    assert _joined(files, shop).currency == "EUR"  # the only file that says: the sales say none
    pd.read_csv(shop).rename(columns={"Net sales": "Net sales (USD)"}).to_csv(shop, index=False)
    assert read_sales(shop).outcome_header == "Net sales (USD)" and read_sales(shop).currency == "USD"
    with pytest.raises(DataError, match=r"different currencies \(meta_ads_spend.csv in EUR, "
                                        r"shop_sales_over_time.csv in USD\)"):
        _joined(files, shop)


def test_an_export_without_a_breakdown_by_day_is_left_out_with_what_to_do(tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    total = tmp_path / "meta_totals.csv"
    total.write_text("Reporting starts,Reporting ends,Campaign name,Amount spent (USD)\n"
                     "2023-01-02,2025-12-28,Always on,5000\n")
    ds = join_spend([load(p, spend_only=True) for p in (total, *files[1:])], read_sales(shop))
    assert ds.has_errors
    err = ds.errors[0]
    assert err.sheet == "meta_totals.csv" and "gives its spend on 1 date only, not over time" in err.message
    assert "Breakdown > By time > Day" in err.message
    assert "Facebook" not in ds.networks
    with pytest.raises(DataError, match="No spend export gives its spend by date"):
        join_spend([load(total, spend_only=True)], read_sales(shop))


def test_a_shop_report_is_read_with_its_totals_blanks_and_repeated_days_said():
    text = ("Day,Sales channel,Orders,Net sales,Total sales\n"
            "2024-01-01,Online Store,3,100.50,120\n2024-01-01,Point of Sale,1,20,24\n"
            "2024-01-02,Online Store,2,,60\n2024-01-03,Online Store,2,-15,0\n"
            "2024-01-04,Online Store,2,abc,0\nTotal,,8,105.50,204\n")
    s = read_sales(io.BytesIO(text.encode()), "sales.csv")
    assert s.outcome_header == "Net sales" and s.table["outcome"].tolist() == [120.5, -15.0]
    assert s.table["row"].tolist() == [2, 5]
    said = {(i.row, i.severity): i.message for i in s.issues}
    assert "no sales figure" in said[(4, "error")] and "is not a number" not in said[(4, "error")]
    assert "so this period was left out" in said[(6, "error")]
    assert any("1 dates have several rows" in m for m in said.values())
    assert any("Sales are negative in 1 period(s)" in m for m in said.values())
    assert set(s.skipped["row"]) == {4, 6, 7}


def test_which_files_are_sales_and_which_are_spend_exports(tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    assert is_sales_file(shop) and not is_spend_export(shop)
    assert all(is_spend_export(p) and not is_sales_file(p) for p in files)
    assert not is_sales_file(WEEKLY) and not is_spend_export(WEEKLY)  # spend and sales in one table
    revenue = tmp_path / "meta_with_revenue.csv"
    pd.read_csv(files[0]).assign(**{"Purchases conversion value": 1.0}).to_csv(revenue, index=False)
    assert is_spend_export(revenue)  # with the shop's sales, its own conversion value gives way to them
    wide = tmp_path / "weekly_with_revenue_per_channel.csv"
    pd.DataFrame({"Week": ["2024-01-01", "2024-01-08"], "Instagram spend": [1, 2], "Instagram revenue": [3, 4]}).to_csv(
        wide, index=False)
    assert not is_spend_export(wide)  # revenue per channel in a team's table: its own, kept
    codes = io.BytesIO(b"Day,Discount code,Net sales\n2024-01-01,NINA15,100\n")
    assert not is_sales_file(codes, "codes.csv")  # a promo-code report: sales by code
    tracker = io.BytesIO(b"Date,Network,Creator,Fee,Promo code\n2024-01-01,Instagram,@a,100,A15\n")
    assert not is_spend_export(tracker, "fees.csv")  # its revenue is the promo-code report's


def test_an_export_alone_says_to_load_the_shops_sales_with_it(tmp_path):
    files, _, _ = exports_and_sales(tmp_path)
    ds = load(files[1])
    assert ds.rows.empty and "load the shop's sales over time" in ds.errors[0].message


def test_a_google_ads_export_with_its_title_rows_and_totals_gives_its_days_spend(tmp_path):
    _, shop, _ = exports_and_sales(tmp_path)
    text = ("Campaign report\n\"January 2, 2023 - January 8, 2023\"\nDay,Campaign,Currency code,Cost,Impr.,Clicks\n"
            + "".join(f'2023-01-0{d},Search brand,USD,"1,{d}00.50",100,5\n' for d in range(2, 9))
            + 'Total: Account,,USD,"8,400.00",700,35\n')
    path = tmp_path / "google_ads.csv"
    path.write_text(text)
    ds = join_spend([load(path, spend_only=True)], read_sales(shop))
    assert not ds.has_errors and ds.networks == ["Google Ads"]
    assert ds.spend_by_network()["Google Ads"] == pytest.approx(sum(1000 + 100 * d + 0.5 for d in range(2, 9)))
    assert len(ds.outcome) == 7


def test_two_sales_files_are_one_series_unless_they_give_the_same_day(tmp_path):
    _, shop, _ = exports_and_sales(tmp_path)
    sales = pd.read_csv(shop)
    a, b = tmp_path / "2023.csv", tmp_path / "2024_25.csv"
    sales[sales["Day"] < "2024-01-01"].to_csv(a, index=False)
    sales[sales["Day"] >= "2024-01-01"].to_csv(b, index=False)
    both = combine_sales([read_sales(a), read_sales(b)])
    assert both.source == "2023.csv + 2024_25.csv" and len(both.table) == len(sales)
    sales[sales["Day"] >= "2023-12-01"].to_csv(b, index=False)
    with pytest.raises(DataError, match="2023.csv and 2024_25.csv both give sales for 1 Dec 2023"):
        combine_sales([read_sales(a), read_sales(b)])


def test_a_team_sheet_of_spend_per_channel_with_a_promotion_column_gives_the_model_its_control(tmp_path):
    _, shop, weekly = exports_and_sales(tmp_path)
    team = weekly.drop(columns=["Total sales"]).assign(Promotion=[1 if i % 13 == 0 else 0 for i in range(len(weekly))])
    path = tmp_path / "team_weekly.xlsx"
    team.to_excel(path, index=False)
    ds = join_spend([load(path, spend_only=True)], read_sales(shop))
    assert not ds.has_errors and ds.control_names == ["Promotion"]
    assert len(ds.outcome) == len(weekly) and ds.outcome["date"].tolist() == weekly["Week"].tolist()  # its weeks
    assert ds.controls["Promotion"].tolist() == team["Promotion"].astype(float).tolist()
    assert np.allclose(ds.outcome["outcome"], weekly["Total sales"], atol=0.01)


def test_sales_by_month_are_joined_and_said_to_tell_the_model_less(tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    days = pd.read_csv(shop, parse_dates=["Day"])
    month = days.assign(Month=days["Day"].dt.to_period("M").dt.to_timestamp()).groupby("Month", as_index=False)[
        "Net sales"].sum()
    path = tmp_path / "sales_by_month.csv"
    month.to_csv(path, index=False)
    ds = join_spend([load(p, spend_only=True) for p in files], read_sales(path))
    assert len(ds.outcome) == 34  # January 2023 starts before the spend (2 Jan), December 2025 ends after it
    assert ds.warnings[1].message.startswith("The sales are by month, so the model has 34 periods to learn from")
    assert ds.rows.groupby("date")["spend"].sum().index.tolist() == ds.outcome["date"].tolist()


def test_sales_files_as_shops_and_analytics_tools_write_them():
    ga4 = ("# ----------------------------------------\n# Ecommerce purchases\n# Account: Shop\n"
           "# ----------------------------------------\n#\n# Start date: 20240101\n# End date: 20240103\n"
           "Date,Total revenue,Ecommerce purchases\n20240101,1000.5,10\n20240102,1100,11\n20240103,900,9\n")
    s = read_sales(io.BytesIO(ga4.encode()), "ga4.csv")
    assert (s.step, s.outcome_header, s.table["outcome"].sum(), s.first) == ("day", "Total revenue", 3000.5,
                                                                            pd.Timestamp("2024-01-01"))
    month = ("Month,Orders,Gross sales,Discounts,Returns,Net sales,Shipping charges,Duties,Taxes,Total sales\n"
             "2024-01,100,10000,-500,-200,9300,300,0,700,10300\n2024-02,90,9000,-400,-100,8500,250,0,600,9350\n")
    s = read_sales(io.BytesIO(month.encode()), "shop.csv")
    assert (s.step, s.outcome_header, s.last) == ("month", "Net sales", pd.Timestamp("2024-02-29"))
    week = 'Week,Net sales\n"Week of Jan 1, 2024",7000\n"Week of Jan 8, 2024",7100\nw/c 15/01/2024,7200\n'
    s = read_sales(io.BytesIO(week.encode()), "weeks.csv")
    assert s.step == "week" and s.table["date"].dt.day.tolist() == [1, 8, 15]
    with pytest.raises(DataError, match=r'^bad.csv has a date and a sales column but no row with both \(row 2: '
                                        r'"foo" is not a date I can read, so this row\'s sales were left out\)\.$'):
        read_sales(io.BytesIO(b"Week,Net sales\nfoo,7000\n"), "bad.csv")


def test_a_meta_export_broken_down_by_platform_gives_each_placement_its_network():
    text = ("Day,Campaign name,Platform,Amount spent (EUR)\n" + "".join(
        f"2024-01-0{d},Always on,{p},{10 * d}\n" for d in range(1, 5)
        for p in ("facebook", "instagram", "audience_network", "messenger")))
    ds = load(io.BytesIO(text.encode()), name="meta.csv", spend_only=True)
    assert ds.networks == ["Facebook", "Instagram", "Audience Network", "Messenger"] and ds.currency == "EUR"


def test_an_export_with_the_platforms_own_conversion_value_takes_the_shops_sales_instead_and_says_so(tmp_path):
    files, shop, weekly = exports_and_sales(tmp_path)
    meta = pd.read_csv(files[0])
    meta.assign(**{"Purchases conversion value": meta["Amount spent (USD)"] * 4.2}).to_csv(files[0], index=False)
    assert is_spend_export(files[0]) and not load(files[0]).has_errors  # alone, it is read with its own value
    ds = _joined(files, shop)
    assert not ds.has_errors and ds.spend_by_network()["Facebook"] == pytest.approx(weekly["Facebook spend"].sum())
    said = next(i for i in ds.warnings if i.column == "Purchases conversion value")
    assert said.sheet == "meta_ads_spend.csv" and "the platform's own attribution" in said.message
    assert "Purchases conversion value (meta_ads_spend.csv)" in ds.unused
    assert ds.outcome_total() == pytest.approx(weekly["Total sales"].sum(), abs=0.05)


def test_a_creators_tracker_without_revenue_is_told_of_promo_codes_not_of_the_shops_total_sales():
    tracker = io.BytesIO(b"Date,Network,Creator,Fee\n2024-01-01,Instagram,@a,100\n2024-02-01,Instagram,@b,200\n")
    said = load(tracker, name="fees.csv").errors[0].message
    assert "add each campaign's promo code" in said and "sales over time" not in said
