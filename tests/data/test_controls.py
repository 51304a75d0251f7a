"""Controls of the marketing-mix model and the columns nothing reads (Dataset.controls, Dataset.unused)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.data.control_headers import names_control, names_exposure
from planner.data.controls import controls_note
from planner.data.ingest import load
from planner.data.mapping import CONTROL, FIELD_LABELS, mapping_changes, mapping_choices, parse_mapping_field

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
PEER = Path(__file__).resolve().parents[3] / "shared" / "peer_data"


def _need(path: Path) -> Path:
    """The peer file, or skip the test where shared/peer_data is not there."""
    return path if path.exists() else pytest.skip(f"{path} is not available")


def _note(ds) -> str:
    found = [w.message for w in ds.warnings if "Controls used" in w.message or "Not used" in w.message]
    assert len(found) == 1, found
    return found[0]


def _load_csv(text: str, **kw):
    return load(text.encode(), name="table.csv", **kw)


# ====================================================================== peer data


def test_robyn_controls_and_unused_columns():
    path = _need(PEER / "robyn" / "dt_simulated_weekly.csv")
    ds = load(path)
    raw = pd.read_csv(path)
    assert ds.kind == "total" and not ds.has_errors
    assert ds.control_names == ["competitor_sales_B", "events: event1", "events: event2", "newsletter"]
    assert ds.unused == ("facebook_I", "search_clicks_P")
    ctrl = ds.controls
    assert list(ctrl.columns) == ["date", *ds.control_names]
    assert (ctrl["date"].to_numpy() == ds.outcome["date"].to_numpy()).all()
    assert ctrl["competitor_sales_B"].to_numpy() == pytest.approx(raw["competitor_sales_B"].to_numpy())
    assert ctrl["newsletter"].to_numpy() == pytest.approx(raw["newsletter"].to_numpy())
    for kind in ("event1", "event2"):
        assert ctrl[f"events: {kind}"].to_numpy() == pytest.approx((raw["events"] == kind).to_numpy(float))
    assert dict(ds.mapping)["events"] == "control" and "facebook_I" not in dict(ds.mapping)
    assert _note(ds) == ("Controls used by the marketing-mix model: competitor_sales_B, events (2 kinds), newsletter. "
                         'Not used: facebook_I, search_clicks_P (name one with --map "COLUMN=control" to use it as a '
                         "control).")


def test_pymc_events_are_controls_and_a_mapped_column_joins_them():
    path = _need(PEER / "pymc_marketing" / "mmm_example.csv")
    ds = load(path)
    assert ds.control_names == ["event_1", "event_2"]
    assert ds.unused == ("dayofyear", "t")
    raw = pd.read_csv(path)
    assert ds.controls["event_2"].sum() == pytest.approx(raw["event_2"].sum())
    mapped = load(path, mapping={"t": "control"})
    assert mapped.control_names == ["event_1", "event_2", "t"]
    assert mapped.unused == ("dayofyear",)
    assert mapped.controls["t"].to_numpy() == pytest.approx(np.arange(179))
    assert ("t", "control") in mapped.mapping


def test_meridian_controls_national_and_averaged_over_geos():
    national = load(_need(PEER / "meridian" / "national_media.csv"))
    names = ["competitor_activity_score_control", "sentiment_score_control"]
    assert national.control_names == names
    assert national.unused == tuple(f"Channel{n}_impression" for n in range(4))
    geo_path = _need(PEER / "meridian" / "geo_media.csv")
    geo = load(geo_path)
    assert geo.control_names == names and geo.unused[-1] == "population"
    raw = pd.read_csv(geo_path, parse_dates=["time"]).groupby("time")[names].mean()
    assert geo.controls[names].to_numpy() == pytest.approx(raw.to_numpy())
    assert (geo.controls["date"].to_numpy() == geo.outcome["date"].to_numpy()).all()


def test_case_study_reads_holidays_markdowns_and_confidence_not_impressions():
    ds = load(_need(PEER / "pymc_marketing" / "case_study_data.csv"))
    assert {"me_ics_all", "mrkdn_pdm", "hldy_Black Friday"} <= set(ds.control_names)
    assert not any(name.startswith("mdip_") for name in ds.control_names)
    assert {"mdip_dm", "seas_prd_1", "yr_nbr"} <= set(ds.unused)
    assert "and" in _note(ds) and "more" in _note(ds)  # long lists are cut short; unused_columns has them all


# ====================================================================== tables shaped here


def test_controls_align_with_the_outcome_when_rows_are_skipped_and_out_of_order():
    text = ("Week,TV spend,Radio spend,Sales,Price,Promo\n"
            "2024-01-15,100,50,1000,9.5,Spring sale\n"
            "2024-01-01,120,40,1100,$10.00,na\n"
            "2024-01-08,90,60,,9.0,-\n"          # no outcome: left out, so not in controls
            "2024-01-22,80,70,1200,,promo b\n"   # blank price: NaN and a warning
            "2024-01-29,95,65,1300,cheap,Promo B\n")  # not a number: NaN and a warning
    ds = _load_csv(text)
    assert ds.kind == "total"
    assert ds.control_names == ["Price", "Promo: Spring sale", "Promo: promo b"]
    ctrl = ds.controls
    assert list(ctrl["date"]) == list(ds.outcome["date"]) == [pd.Timestamp(d) for d in
                                                             ("2024-01-01", "2024-01-15", "2024-01-22", "2024-01-29")]
    assert ctrl["Price"].tolist()[:2] == [10.0, 9.5] and np.isnan(ctrl["Price"].tolist()[2:]).all()
    assert ctrl["Promo: Spring sale"].tolist() == [0, 1, 0, 0]
    assert ctrl["Promo: promo b"].tolist() == [0, 0, 1, 1]  # "promo b" and "Promo B" are one kind
    by_row = {(w.row, w.column): w.message for w in ds.warnings}
    assert "left empty" in by_row[(5, "Price")] and "left empty" in by_row[(6, "Price")]
    assert ds.unused == ()


def test_a_control_that_never_changes_is_not_used_and_says_why():
    text = ("Date,Instagram spend,TikTok spend,Revenue,Holiday,Newsletter sends,Notes\n"
            "2024-01-01,10,5,100,0,3,\n2024-01-08,12,6,120,0,4,ok\n2024-01-15,9,4,90,0,5,\n")
    ds = _load_csv(text)
    assert ds.control_names == ["Newsletter sends"]
    assert ds.unused == ("Holiday", "Notes")
    assert any(w.column == "Holiday" and "same value in every period" in w.message for w in ds.warnings)
    assert dict(ds.mapping_table().itertuples(index=False))["Holiday"] == ""


def test_competitor_spend_is_a_control_not_a_channel():
    text = ("Date,Instagram spend,TikTok spend,Competitor spend,Revenue\n"
            "2024-01-01,10,5,300,100\n2024-01-08,12,6,250,120\n2024-01-15,9,4,400,90\n")
    ds = _load_csv(text)
    assert ds.networks == ["Instagram", "TikTok"]
    assert ds.control_names == ["Competitor spend"]


def test_decimal_comma_controls_are_read_like_every_number():
    text = ("Datum;Instagram spend;TikTok spend;Umsatz;Price;Discount\n"
            "2024-01-01;1.000,50;500;10.000;9,99;10%\n2024-01-08;1.200;600;12.000;10,49;15%\n")
    ds = load(text.encode(), name="t.csv")
    assert ds.controls["Price"].tolist() == pytest.approx([9.99, 10.49])
    assert ds.controls["Discount"].tolist() == pytest.approx([10.0, 15.0])  # "10 %": percent points, as written


def test_a_text_column_of_nothing_but_no_event_is_not_used():
    text = ("Date,Instagram spend,TikTok spend,Revenue,Events\n"
            "2024-01-01,10,5,100,na\n2024-01-08,12,6,120,-\n2024-01-15,9,4,90,none\n")
    ds = _load_csv(text)
    assert ds.controls is None and ds.unused == ("Events",)
    assert _note(ds).startswith("Not used by the marketing-mix model: Events")


def test_a_table_without_controls_or_unused_columns_says_nothing():
    ds = load(SAMPLES / "weekly_paid_media.xlsx")
    assert ds.controls is None and ds.unused == ()
    assert not any("Controls" in w.message or "Not used" in w.message for w in ds.warnings)
    assert ds.summary()["unused_columns"] == [] and ds.summary()["controls"] == []


def test_a_creators_table_reads_each_campaigns_controls_and_paid_media_rows_list_them_unused():
    campaigns = load(SAMPLES / "creator_campaigns.xlsx")
    assert campaigns.kind == "attributed" and campaigns.controls is None and campaigns.unused == ()
    meta = load(SAMPLES / "meta_ads_export_eur.csv")
    assert meta.controls is None and meta.unused == ("Impressions",)
    assert not any("Not used" in w.message for w in meta.warnings)
    text = ("Date,Network,Creator,Fee paid,Promo-code revenue,Discount,Comment\n"
            "2024-01-01,TikTok,@a,100,300,10%,good\n2024-01-08,TikTok,@b,120,200,5%,\n")
    ds = _load_csv(text)  # a discount per campaign row: the creators' fit allows for it
    assert ds.kind == "attributed" and ds.control_names == ["Discount"]
    assert ds.controls["Discount"].tolist() == pytest.approx([10.0, 5.0])  # "10%" is 10 (percent points)
    assert ds.controls["date"].tolist() == ds.rows["date"].tolist()  # row for row with the rows
    assert ds.unused == ("Comment",) and ds.summary()["unused_columns"] == ["Comment"]
    assert ds.summary()["controls"] == ["Discount"]
    assert any(w.message.startswith("Controls used by the creators' fit: Discount. Not used: Comment") for w in ds.warnings)
    ignored = _load_csv(text, mapping={"Discount": "ignore"})
    assert ignored.controls is None
    paid = ("Date,Network,Spend,Revenue,Discount\n2024-01-01,TikTok,100,300,10%\n2024-01-08,TikTok,120,200,5%\n")
    told = _load_csv(paid, mapping={"Discount": "control"})  # paid media rows: no model reads a control of them
    assert told.controls is None and "Discount" in told.unused
    assert any('"Discount"' in w.message and "by the creators' fit of a table with a creator column" in w.message
               for w in told.warnings)


def test_a_discount_written_where_there_was_one_reads_none_and_blanks_as_0_and_a_price_keeps_its_blanks():
    head = "Date,Network,Creator,Fee paid,Promo-code revenue,Discount %,Price\n"
    text = head + ("2024-01-01,TikTok,@a,100,300,20%,9.99\n2024-01-08,TikTok,@a,120,200,,\n"
                   "2024-02-01,TikTok,@b,90,250,15%,10.49\n")
    ds = _load_csv(text)  # a tracker that writes the discount where there was one: a blank is none
    assert ds.controls["Discount %"].tolist() == [20.0, 0.0, 15.0]
    assert np.isnan(ds.controls["Price"].to_numpy()[1])  # a price is never none: its blank stays unknown
    said = {w.column: w.message for w in ds.warnings if w.column in ("Discount %", "Price")}
    assert "1 blank cell was read as 0 (none): the column never says 0" in said["Discount %"]
    assert "1 blank cell in this control column was left empty" in said["Price"]
    worded = head + ("2024-01-01,TikTok,@a,100,300,20%,9.99\n2024-01-08,TikTok,@a,120,200,none,10\n"
                     "2024-02-01,TikTok,@b,90,250,-,10.49\n2024-03-01,TikTok,@b,90,250,,10.49\n")
    ds = _load_csv(worded)  # "none" and a dash say 0; then the column says 0, and a blank is unknown again
    assert ds.controls["Discount %"].tolist()[:3] == [20.0, 0.0, 0.0]
    assert np.isnan(ds.controls["Discount %"].to_numpy()[3])
    messages = " ".join(w.message for w in ds.warnings if w.column == "Discount %")
    assert '2 cells written as none ("none", "no" or a dash) were read as 0.' in messages
    assert "1 blank cell in this control column was left empty" in messages


def test_a_campaigns_text_control_gives_a_column_per_kind_and_a_constant_one_is_said():
    text = ("Date,Network,Creator,Fee paid,Promo-code revenue,Promotion,Giveaway\n"
            "2024-01-01,TikTok,@a,100,300,launch,1\n2024-01-08,TikTok,@a,120,200,none,1\n"
            "2024-02-01,TikTok,@b,90,250,,1\n")
    ds = _load_csv(text, mapping={"Giveaway": "control"})  # its header names no control: the user names it one
    assert ds.control_names == ["Promotion: launch"]
    assert ds.controls["Promotion: launch"].tolist() == [1.0, 0.0, 0.0]
    said = " ".join(w.message for w in ds.warnings)
    assert "This control has the same value in every campaign row, so the creators' fit cannot tell its effect" in said
    assert "Giveaway" in ds.unused


def test_a_currency_column_is_read_so_not_unused():
    text = ("Date,Network,Spend,Revenue,Currency\n2024-01-01,TikTok,100,300,EUR\n2024-01-08,TikTok,120,200,EUR\n")
    ds = _load_csv(text)
    assert ds.currency == "EUR" and ds.unused == ()


# ====================================================================== mapping and headers


def test_control_is_a_field_of_the_mapping():
    assert parse_mapping_field("control").field == CONTROL
    assert parse_mapping_field("Controls").field == CONTROL
    assert "control" in mapping_choices() and "competitors" in FIELD_LABELS["control"]
    assert mapping_changes([("t", "")], [("t", "control")]) == {"t": "control"}
    with pytest.raises(ValueError, match="control"):
        parse_mapping_field("nonsense")


@pytest.mark.parametrize("header", ["event_1", "events", "Holiday", "hldy_Black Friday", "Promo", "promotions",
                                    "Discount %", "mrkdn_pdm", "Avg price", "competitor_sales_B", "Competitor spend",
                                    "sentiment_score_control", "Newsletter", "Email sends", "organic_sessions",
                                    "Temperature", "covid_lockdown", "Consumer confidence", "me_ics_all",
                                    "trend_B", "CompetitorSales"])
def test_headers_that_name_a_control(header):
    assert names_control(header)


@pytest.mark.parametrize("header", ["facebook_I", "search_clicks_P", "Channel0_impression", "newsletter_clicks",
                                    "Email impressions", "dayofyear", "t", "Total sales", "tv_S", "control_contribution",
                                    "Base", "Notes", ""])
def test_headers_that_do_not(header):
    assert not names_control(header)


def test_exposure_columns():
    assert names_exposure("facebook_I") and names_exposure("Channel3_impression") and names_exposure("mdip_dm")
    assert not names_exposure("newsletter") and not names_exposure("tv_S")


def test_controls_note_without_anything_is_none():
    assert controls_note([], []) is None
    assert controls_note([("events", 1)], []) == "Controls used by the marketing-mix model: events (1 kind)."


# ====================================================================== property


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 1000)), min_size=3, max_size=25), st.randoms())
def test_controls_match_the_outcome_row_for_row(rows, rnd):
    start = dt.date(2023, 1, 2)
    lines = [(start + dt.timedelta(weeks=k), has_outcome, price) for k, (has_outcome, price) in enumerate(rows)]
    rnd.shuffle(lines)
    body = "".join(f"{d.isoformat()},{10 + k},{5 + k},{1000 + k if ok else ''},{price}\n"
                   for k, (d, ok, price) in enumerate(lines))
    ds = _load_csv("Week,Instagram spend,TikTok spend,Revenue,Price\n" + body)
    kept = sorted((pd.Timestamp(d), float(p)) for d, ok, p in lines if ok)
    if not kept:
        assert ds.outcome.empty
        return
    assert list(ds.outcome["date"]) == [d for d, _ in kept]
    if len({p for _, p in kept}) == 1:  # a price that never changes tells the model nothing
        assert ds.controls is None and ds.unused == ("Price",)
        return
    assert len(ds.controls) == len(ds.outcome)
    assert list(ds.controls["date"]) == list(ds.outcome["date"])
    assert ds.controls["Price"].tolist() == [p for _, p in kept]


def test_a_campaign_control_far_above_the_rest_is_left_empty_and_said():
    lines = ["Date,Network,Creator,Fee paid,Promo-code revenue,Discount %"]
    for i in range(12):
        lines.append(f"2024-01-{i + 1:02d},TikTok,@c{i % 3},100,300,{[0, 10, 20, 30][i % 4]}")
    lines.append("2024-02-01,TikTok,@c0,100,300,200000")  # a typing error: it alone would decide the effect
    ds = _load_csv("\n".join(lines) + "\n")
    assert np.isnan(ds.controls["Discount %"].iloc[-1]) and ds.controls["Discount %"].iloc[:-1].notna().all()
    said = [w for w in ds.warnings if "far above the rest" in w.message]
    assert len(said) == 1 and said[0].row == 14 and said[0].column == "Discount %"
    assert "Discount % of 200,000.00 is far above the rest (median 20.00)" in said[0].message


def test_a_total_spend_column_beside_the_channels_is_not_offered_as_a_control():
    text = ("Week,Instagram spend,TikTok spend,Total spend,Total media cost,Total TikTok spend,Notes,Sales\n"
            "2024-01-01,100,50,150,150,50,a,900\n2024-01-08,120,40,160,160,40,b,950\n")
    ds = load(text.encode(), name="w.csv")
    assert ds.networks == ["Instagram", "TikTok"]  # "Total media cost" was a third channel, every dollar again
    note = next(w.message for w in ds.warnings if w.message.startswith("Not used by the marketing-mix model"))
    assert note == ('Not used by the marketing-mix model: Notes (name one with --map "COLUMN=control" to use it as '
                    "a control). Also not used: Total spend, Total media cost, Total TikTok spend (spend, which the "
                    "spend columns already "
                    "count; as a control it would take their effect).")
    assert any('"Total TikTok spend" is a second spend column for TikTok' in w.message for w in ds.warnings)
