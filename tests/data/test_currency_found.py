"""The currency a file's amounts are in, read from the file as a user wrote it."""

import pytest

from planner.data.currency_found import same_currency
from planner.data.ingest import load


def _csv(text: str, name: str = "ads.csv"):
    return load(text.encode("utf-8"), name=name)


def test_code_in_a_money_header():
    ds = _csv("Day,Platform,Amount spent (EUR),Purchases conversion value\n"
              "2026-01-05,Instagram,100,300\n2026-01-12,Instagram,120,330\n")
    assert (ds.currency, ds.currency_from) == ("EUR", 'column "Amount spent (EUR)"')
    assert not ds.has_errors


def test_symbols_in_the_amounts_with_a_european_decimal():
    ds = _csv('Date;Network;Spend;Revenue\n05.01.2026;TikTok;"1.234,50 €";"3.000,00 €"\n'
              '12.01.2026;TikTok;"1.000,00 €";"2.500,00 €"\n')
    assert ds.currency == "EUR"
    assert "1.234,50 €" in ds.currency_from
    assert ds.rows["spend"].tolist() == [1234.5, 1000.0]


def test_a_currency_column_as_the_ad_platforms_export_it():
    ds = _csv("Day,Campaign,Currency code,Cost,Conv. value\n2026-01-05,Spring,GBP,100,250\n"
              "2026-01-12,Spring,GBP,90,240\n")
    assert ds.currency == "GBP"
    assert "Currency code" in ds.currency_from


def test_a_dollar_sign_is_the_dollar_the_header_names():
    ds = _csv("Date,Network,Spend (CAD),Revenue (CAD)\n2026-01-05,Instagram,$100,$300\n")
    assert ds.currency == "CAD"


def test_a_bare_dollar_sign_is_us_dollars():
    ds = _csv("Date,Network,Spend,Revenue\n2026-01-05,Instagram,$100,$300\n")
    assert ds.currency == "USD"


def test_a_file_that_says_nothing_has_no_currency():
    ds = _csv("Date,Network,Spend,Revenue\n2026-01-05,Instagram,100,300\n")
    assert ds.currency is None and ds.currency_from == ""


def test_two_currencies_in_one_table_are_refused_with_a_sentence():
    ds = _csv("Date,Network,Spend (EUR),Revenue (USD)\n2026-01-05,Instagram,100,300\n")
    assert ds.has_errors
    errors = [i.message for i in ds.issues if i.severity == "error"]
    assert any("mixes currencies" in m and "EUR" in m and "USD" in m and '"Spend (EUR)"' in m for m in errors)
    assert ds.rows.empty
    assert len(ds.skipped) == 1  # the row is listed, with its reason, not lost


def test_two_files_in_different_currencies_are_named():
    text = same_currency([("ads_eu.csv", "EUR"), ("tracker.xlsx", None), ("ads_us.csv", "USD")])
    assert "ads_eu.csv is in EUR and ads_us.csv in USD" in text
    assert same_currency([("a.csv", "EUR"), ("b.csv", None), ("c.csv", "EUR")]) == ""


@pytest.mark.parametrize("header", ["Spend (€)", "Spend [EUR]", "Spend EUR"])
def test_header_forms(header):
    ds = _csv(f"Date,Network,{header},Revenue\n2026-01-05,Instagram,100,300\n")
    assert ds.currency == "EUR"
