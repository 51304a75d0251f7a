"""The spend history of the imported data (planner.data.history): rows named as the curve table, the days each covers."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from planner.data.history import covered_days, spend_history
from planner.data.ingest import load
from planner.fit import saved


@pytest.fixture(scope="module")
def sample(sample_dir):
    return [load(sample_dir / name) for name in ("weekly_paid_media.xlsx", "creator_campaigns.xlsx")]


def test_the_sample_is_named_as_its_curve_table_with_weeks_of_paid_media_and_days_of_fees(sample):
    h = spend_history(sample)
    assert list(h.columns) == ["name", "date", "days", "spend"]
    assert len(h) == sum(len(ds.rows) for ds in sample)
    curves = set(pd.read_parquet(saved.SAMPLE_FIT)["name"])
    assert set(h["name"]) == curves  # 6 networks' paid media and 60 creators, as the fit names them
    paid = ~h["name"].str.contains("/")
    assert set(h.loc[paid, "days"]) == {7} and set(h.loc[~paid, "days"]) == {1}
    assert h["spend"].sum() == pytest.approx(sum(ds.rows["spend"].sum() for ds in sample))
    assert covered_days(h) == (pd.Timestamp("2023-01-02"), pd.Timestamp("2025-12-28"))  # the last week's Sunday


def test_a_table_by_month_covers_calendar_months():
    csv = (b"Date,Network,Creator,Spend,Revenue\n2025-01-01,Meta,,3100,9000\n2025-02-01,Meta,,2800,8000\n"
           b"2025-03-01,Meta,,6200,9000\n2025-02-14,TikTok,@ana,900,2000\n")
    h = spend_history([load(csv, name="months.csv")])
    assert h[["name", "days"]].values.tolist() == [["Facebook", 31], ["Facebook", 28], ["Facebook", 31],
                                                   ["TikTok/@ana", 1]]
    assert covered_days(h) == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-03-31"))


def test_a_missing_week_is_not_stretched_over_and_rows_without_a_date_or_spend_are_left_out():
    rows = pd.DataFrame({"date": pd.to_datetime(["2025-01-06", "2025-01-13", "2025-01-27", None, "2025-02-03"]),
                         "network": ["X"] * 5, "spend": [70.0, 70.0, 70.0, 5.0, None]})
    h = spend_history([SimpleNamespace(rows=rows)])
    assert h["days"].tolist() == [7, 7, 7] and h["spend"].sum() == 210.0
    assert covered_days(h) == (pd.Timestamp("2025-01-06"), pd.Timestamp("2025-02-02"))


def test_no_data_is_an_empty_history():
    h = spend_history([])
    assert list(h.columns) == ["name", "date", "days", "spend"] and h.empty
    assert covered_days(h) is None
