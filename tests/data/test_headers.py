"""Header synonyms, wide marketing-mix columns, network names and mappings (planner.data.headers, channels,
networks, mapping, column_plan)."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from planner.data.channels import infer_network, wide_channel  # noqa: E402
from planner.data.column_plan import plan_columns  # noqa: E402
from planner.data.dataset import DataError  # noqa: E402
from planner.data.headers import header_scale, match_field, normalize_header  # noqa: E402
from planner.data.mapping import parse_mapping_field  # noqa: E402
from planner.data.networks import normalize_network  # noqa: E402

PEER = Path(__file__).resolve().parents[3] / "shared" / "peer_data"
EXPORT_HEADERS = PEER / "export_headers" / "EXPORT_HEADERS.md"


def _split(line: str) -> list[str]:
    return next(csv.reader(io.StringIO(line)))


def _export_line(prefix: str) -> list[str]:
    """A header line quoted in EXPORT_HEADERS.md (between backticks), starting with ``prefix``."""
    if not EXPORT_HEADERS.exists():
        pytest.skip("shared/peer_data/export_headers is not available")
    for line in re.findall(r"`([^`]+)`", EXPORT_HEADERS.read_text(encoding="utf-8")):
        if line.startswith(prefix) and "," in line:
            return _split(line)
    raise AssertionError(f"no header line starting with {prefix!r}")


@pytest.mark.parametrize(
    "header, field",
    [
        ("Amount spent (USD)", "spend"),
        ("Amount spent (EUR)", "spend"),
        ("Amount spent (QAR)", "spend"),
        ("Cost (USD)", "spend"),
        ("Amount Spent", "spend"),
        ("Cost", "spend"),
        ("Spend", "spend"),
        ("spend", "spend"),
        ("Fee paid", "spend"),
        ("Spend in account currency", "spend"),
        ("Kosten", "spend"),
        ("Montant dépensé (EUR)", "spend"),
        ("Ad spend ($)", "spend"),
        ("Purchases conversion value", "outcome"),
        ("Website purchases conversion value", "outcome"),
        ("Conv. value", "outcome"),
        ("conversions_value", "outcome"),
        ("Total conversion value", "outcome"),
        ("Promo-code revenue", "outcome"),
        ("Promo code revenue", "outcome"),
        ("Revenue", "outcome"),
        ("revenue", "outcome"),
        ("Sales", "outcome"),
        ("Total sales", "outcome"),
        ("Date", "date"),
        ("Day", "date"),
        ("date_day", "date"),
        ("Reporting starts", "date"),
        ("Week", "date"),
        ("Tag", "date"),
        ("wk_strt_dt", "date"),
        ("Network", "network"),
        ("Platform", "network"),
        ("Channel", "network"),
        ("Creator", "entity"),
        ("Handle", "entity"),
        ("Influencer", "entity"),
        ("Followers", "followers"),
        ("Posts", "posts"),
        ("Reach", "reach"),
        ("Engagements", "engagements"),
        ("Clicks", "clicks"),
        ("Link clicks", "clicks"),
        ("Clicks (all)", "clicks"),
        ("Klicks", "clicks"),
        ("Orders", "orders"),
        ("Purchases", "orders"),
        ("Conversions", "orders"),
        ("Campaign name", "campaign"),
        ("Kampagne", "campaign"),
        ("Nom de la campagne", "campaign"),
        ("revenue_per_conversion", "outcome_per_order"),
        ("Total complete payment value", "outcome"),  # TikTok Ads Manager's purchase value
        ("Gross revenue", "outcome"),
        ("Shopify revenue", "outcome"),
    ],
)
def test_match_field(header, field):
    assert match_field(header) == field


@pytest.mark.parametrize(
    "header",
    ["Cost per result", "Avg. cost", "Cost / conv.", "CPM (cost per 1,000 impressions) (USD)",
     "Conv. value / cost", "Cost per Purchase (USD)", "Budget", "Ad set budget", "CPC (all) (USD)",
     "Impressions", "Reporting ends", "Result indicator", "account_name", "source_relation",
     "Fee per post", "Max posts per quarter", "Proposed spend (USD)", "competitor_sales_B"],
)
def test_lookalikes_do_not_match(header):
    assert match_field(header) is None


def test_normalize_header():
    assert normalize_header("Amount spent (USD)") == "amount spent"
    assert normalize_header("  Promo-code   Revenue ") == "promo code revenue"
    assert normalize_header("Montant dépensé (EUR)") == "montant depense"
    assert normalize_header("Conv. value") == "conv value"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("facebook", "Facebook"), ("FB", "Facebook"), ("Facebook Ads", "Facebook"), ("Meta", "Facebook"),
        ("instagram", "Instagram"), ("IG", "Instagram"), ("tiktok", "TikTok"), ("TikTok Ads", "TikTok"),
        ("Tik Tok", "TikTok"), ("YouTube", "YouTube"), ("YT", "YouTube"), ("youtube", "YouTube"),
        ("Pinterest", "Pinterest"), ("pinterest ads", "Pinterest"), ("X", "X"), ("x", "X"),
        ("Twitter", "X"), ("X (Twitter)", "X"), ("Google Ads", "Google Ads"), ("google ads", "Google Ads"),
        ("LinkedIn", "LinkedIn"), ("linkedin", "LinkedIn"),
        ("search", "Search"), ("print", "Print"), ("Channel0", "Channel0"), ("tv", "TV"),
        ("Snapchat", "Snapchat"), ("Radio DE", "Radio DE"), ("podcast ads", "Podcast Ads"),
        ("  Instagram  ", "Instagram"), ("", ""),
    ],
)
def test_normalize_network(name, expected):
    assert normalize_network(name) == expected


@pytest.mark.parametrize(
    "header, network",
    [
        ("Instagram spend", "Instagram"), ("TikTok spend", "TikTok"), ("X spend", "X"),
        ("YouTube Spend (USD)", "YouTube"), ("Facebook Ads cost", "Facebook"), ("Spend - FB", "Facebook"),
        ("spend_tiktok", "TikTok"), ("tv_S", "TV"), ("ooh_S", "OOH"), ("print_S", "Print"),
        ("search_S", "Search"), ("facebook_S", "Facebook"), ("mdsp_so", "So"), ("mdsp_sem", "Sem"),
        ("Channel0_spend", "Channel0"), ("Channel3_spend", "Channel3"), ("Pinterest (spend)", "Pinterest"),
    ],
)
def test_wide_channel(header, network):
    assert wide_channel(header) == network


@pytest.mark.parametrize(
    "header",
    ["Total spend", "Spend", "Cost", "Avg. cost", "Conv. value / cost", "Cost per result", "Cost / conv.",
     "facebook_I", "search_clicks_P", "competitor_sales_B", "x1", "y", "Total sales", "Media spend",
     "Channel0_impression", "mdip_so", "Cost per 1,000 people reached", "Ad set budget"],
)
def test_not_wide_channels(header):
    assert wide_channel(header) is None


def test_meta_ads_manager_export_header():
    headers = _export_line("Reporting starts,")
    plan = plan_columns(headers)
    assert plan.layout == "long"
    col = {f: headers[j] for f, j in plan.fields.items()}
    assert col["date"] == "Reporting starts"
    assert col["spend"] == "Amount spent (USD)"
    assert col["campaign"] == "Campaign name"
    assert col["reach"] == "Reach"
    assert col["clicks"] == "Link clicks"
    assert "outcome" not in col  # the default column set has no conversion value
    assert plan.network_guess[0] == "Facebook"


def test_google_ads_campaign_report_header():
    headers = _export_line("Campaign status,")
    plan = plan_columns(headers)
    col = {f: headers[j] for f, j in plan.fields.items()}
    assert plan.layout == "long" and plan.channels == ()
    assert col["spend"] == "Cost"
    assert col["outcome"] == "Conv. value"
    assert col["orders"] == "Conversions"
    assert col["clicks"] == "Clicks"
    assert col["campaign"] == "Campaign"
    assert plan.network_guess[0] == "Google Ads"


def test_google_ads_german_and_age_report_headers():
    german = _export_line("Tag,")
    plan = plan_columns(german)
    col = {f: german[j] for f, j in plan.fields.items()}
    assert col == {"date": "Tag", "campaign": "Kampagne", "spend": "Kosten", "clicks": "Klicks",
                   "orders": "Conversions"}
    assert plan.network_guess[0] == "Google Ads"
    age = _export_line("Demographic status,")
    plan = plan_columns(age)
    assert age[plan.fields["spend"]] == "Cost" and plan.channels == ()


def test_pinterest_and_fivetran_headers():
    pins = [h.strip() for h in "Campaign ID, Campaign name, Spend in account currency, Impressions, Outbound clicks, "
            "Total conversions, Total conversion value, ROAS, CTR, eCTR, CPA, Date".split(",")]
    plan = plan_columns(pins)
    col = {f: pins[j] for f, j in plan.fields.items()}
    assert col["spend"] == "Spend in account currency"
    assert col["outcome"] == "Total conversion value"
    assert col["date"] == "Date"
    assert plan.network_guess[0] == "Pinterest"
    five = ("source_relation,date_day,platform,account_id,account_name,campaign_id,campaign_name,ad_group_id,"
            "ad_group_name,ad_id,ad_name,clicks,impressions,spend,conversions,conversions_value").split(",")
    plan = plan_columns(five)
    col = {f: five[j] for f, j in plan.fields.items()}
    assert col["network"] == "platform" and col["spend"] == "spend" and col["outcome"] == "conversions_value"
    assert col["date"] == "date_day" and col["orders"] == "conversions"


def test_tiktok_glossary_headers():
    headers = ["By Day", "Campaign name", "Cost", "CPC (destination)", "Impressions", "Clicks (destination)",
               "Conversions", "Cost per conversion", "Reach", "Paid likes"]
    plan = plan_columns(headers)
    assert headers[plan.fields["spend"]] == "Cost"
    assert plan.network_guess[0] == "TikTok"


def test_wide_sample_layout():
    headers = ["Week", "Instagram spend", "TikTok spend", "YouTube spend", "Pinterest spend", "Facebook spend",
               "X spend", "Total sales"]
    plan = plan_columns(headers)
    assert plan.layout == "wide"
    assert [n for _, n in plan.channels] == ["Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"]
    assert headers[plan.fields["outcome"]] == "Total sales"
    assert headers[plan.fields["date"]] == "Week"


def test_robyn_header_is_wide():
    headers = ["DATE", "revenue", "tv_S", "ooh_S", "print_S", "facebook_I", "search_clicks_P", "search_S",
               "competitor_sales_B", "facebook_S", "events", "newsletter"]
    plan = plan_columns(headers)
    assert plan.layout == "wide"
    assert [headers[j] for j, _ in plan.channels] == ["tv_S", "ooh_S", "print_S", "search_S", "facebook_S"]
    assert headers[plan.fields["outcome"]] == "revenue"


def test_x_columns_are_guessed_with_guidance():
    headers = ["date_week", "y", "x1", "x2", "event_1", "event_2", "dayofyear", "t"]
    plan = plan_columns(headers)
    assert plan.layout == "wide"
    assert [headers[j] for j, _ in plan.channels] == ["x1", "x2"]
    assert headers[plan.fields["outcome"]] == "y"
    assert set(plan.guessed) == {"x1", "x2", "y"}
    assert any("--map" in text for text, _ in plan.notes)


def test_long_table_with_network_is_long_even_with_channel_like_columns():
    plan = plan_columns(["Date", "Network", "Spend", "Revenue", "Instagram spend"])
    assert plan.layout == "long" and plan.channels == ()


def test_wide_total_spend_column_is_not_used():
    headers = ["Week", "Instagram spend", "TikTok spend", "Total spend", "Sales"]
    plan = plan_columns(headers)
    assert plan.layout == "wide" and "spend" not in plan.fields
    assert any("Total spend" in text for text, _ in plan.notes)


def test_mapping_overrides_detection():
    headers = ["Date", "Network", "Creator", "Honorarium", "Cost", "Promo revenue"]
    plan = plan_columns(headers, {"Honorarium": "spend"})
    assert headers[plan.fields["spend"]] == "Honorarium"
    plan = plan_columns(headers, {"Cost": "ignore", "honorarium": "fee"})
    assert headers[plan.fields["spend"]] == "Honorarium"
    plan = plan_columns(["date_week", "y", "x1", "x2"], {"x1": "spend:TV", "x2": "spend:Radio", "y": "revenue"})
    assert plan.layout == "wide" and plan.guessed == ()
    assert [n for _, n in plan.channels] == ["TV", "Radio"]


def test_mapping_date_order():
    plan = plan_columns(["Datum", "Network", "Spend", "Sales"], {"Datum": "date:dmy"})
    assert plan.dayfirst is True
    assert parse_mapping_field("date:mdy").dayfirst is False


def test_bad_mappings_raise_one_sentence():
    with pytest.raises(DataError, match="not a field"):
        parse_mapping_field("money")
    with pytest.raises(DataError, match="not in the table"):
        plan_columns(["Date", "Spend"], {"Fee paid": "spend"})
    with pytest.raises(DataError, match="dmy"):
        parse_mapping_field("date:yesterday")


def test_infer_network_only_from_distinctive_headers():
    assert infer_network(["Date", "Spend", "Revenue"]) is None
    assert infer_network(["Day", "Amount spent (EUR)"])[0] == "Facebook"


def test_every_peer_csv_header_plans_without_error():
    files = sorted(PEER.glob("*/*.csv"))
    if not files:
        pytest.skip("shared/peer_data is not available")
    for path in files:
        header = _split(path.read_text(encoding="utf-8").splitlines()[0])
        plan = plan_columns(header)
        assert plan.layout in ("long", "wide"), path.name
        assert "date" in plan.fields, path.name


def test_per_channel_outcome_columns():
    from planner.data.channels import wide_outcome_channel

    assert wide_outcome_channel("Instagram revenue") == "Instagram"
    assert wide_outcome_channel("Sales - TikTok") == "TikTok"
    assert wide_outcome_channel("fb_sales") == "Facebook"
    for h in ("Total sales", "Revenue", "Net revenue", "Promo-code revenue", "Instagram spend"):
        assert wide_outcome_channel(h) is None, h
    plan = plan_columns(["Week", "Instagram spend", "Instagram revenue", "TikTok spend", "TikTok revenue"])
    assert plan.layout == "wide" and plan.outcome_channels == ((2, "Instagram"), (4, "TikTok"))
    total = plan_columns(["Week", "Instagram spend", "Instagram revenue", "TikTok spend", "Total sales"])
    assert total.outcome_channels == () and total.fields["outcome"] == 4
    part = plan_columns(["Week", "Instagram spend", "Instagram revenue", "TikTok spend"])
    assert part.channels == ((1, "Instagram"),) and "no outcome column for TikTok" in part.notes[0][0]


def test_mapping_choices_and_changes():
    from planner.data.mapping import FIELD_LABELS, mapping_changes, mapping_choices

    choices = mapping_choices(["Snapchat"])
    assert choices[: len(FIELD_LABELS)] == list(FIELD_LABELS)
    assert "spend:Snapchat" in choices and "outcome:Instagram" in choices and "date:dmy" in choices
    assert mapping_changes([("A", "spend"), ("B", ""), ("C", "date")],
                           [("A", None), ("B", "outcome"), ("C", "date")]) == {"A": "ignore", "B": "outcome"}


@pytest.mark.parametrize(("header", "scaled"), [
    ("Instagram spend ($000)", ("Instagram spend", 1e3)), ("Sales (USD m)", ("Sales", 1e6)),
    ("Revenue (k)", ("Revenue", 1e3)), ("Followers ('000)", ("Followers", 1e3)), ("Cost (in thousands)", ("Cost", 1e3)),
    ("Spend (EUR k)", ("Spend", 1e3)), ("Budget (MM)", ("Budget", 1e6)),
    ("Amount spent (USD)", ("Amount spent (USD)", 1.0)), ("Watch time (mins)", ("Watch time (mins)", 1.0)),
])
def test_a_header_in_thousands_or_millions_says_so(header, scaled):
    assert header_scale(header) == scaled


def test_weekly_spend_in_thousands_is_read_in_dollars():
    from planner.data.ingest import load

    text = ("Week,Instagram spend ($000),TikTok spend ($000),Sales ($000)\n"
            "2024-01-01,2.5,1.25,80\n2024-01-08,3,1,90\n")
    ds = load(text.encode(), name="k.csv")
    assert ds.networks == ["Instagram", "TikTok"]
    assert sorted(ds.rows["spend"].tolist()) == [1000.0, 1250.0, 2500.0, 3000.0]
    assert ds.outcome["outcome"].tolist() == [80_000.0, 90_000.0]
    said = [w.message for w in ds.warnings if w.column == "Instagram spend ($000)"]
    assert said == ["Its header says its figures are in thousands, so they were read as such: 2.5 as 2,500."]
