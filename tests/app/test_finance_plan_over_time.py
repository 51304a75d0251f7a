"""The Finance plan page reading a plan over time (months or weeks across the columns, or the planner's own
workbook), valued period by period beside the best plan of the same spend, driven with Streamlit's AppTest."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from planner.base.format import money
from planner.flighting import parse_horizon, plan_flighting
from planner.report.sheets.flight_plan import flight_workbook
from tests.app.open_page import ok, open_page
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/5_Finance_plan.py"
TIMEOUT = 240
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY = r"\$\d{1,3}(,\d{3})*"
BEST = "Best plan, same spend"
SPENDS, REVENUES = ["Plan's spend", "Best plan's spend"], ["Plan's expected revenue", "Best plan's expected revenue"]
# finance's layout: months across the columns, a creator of the sample, a network the data lacks, a Total
# column and row (not counted), amounts with cents and as people type them
WIDE_CSV = b"""Network,Creator,Jan 2027,Feb 2027,Mar 2027,Total
Facebook,,"$20,000.50",15000,10000,"45,000.50"
Instagram,,15000,15000,15000,45000
Instagram,@paz_cooks,3400,3400,6800,13600
YouTube,@heyumahikes,10000,0,10000,20000
Snapchat,,500.25,500.25,0,1000.50
Total,,48900.75,33900.25,41800,124601
"""
WIDE_TOTAL = 20_000.50 + 15_000 + 10_000 + 3 * 15_000 + 3_400 + 3_400 + 6_800 + 10_000 + 10_000 + 500.25 + 500.25


@pytest.fixture(scope="module")
def flighted():
    """The best plan of $300,000 over the first quarter of 2027 on the sample's curves, month by month."""
    curves = pd.read_parquet(ROOT / "sample_data" / "sample_fit.parquet")
    return plan_flighting(curves, 300_000.0, parse_horizon("2027-01-01:2027-03-31", "month"))


def _upload(at: AppTest, name: str, data: bytes, mime: str) -> AppTest:
    at.file_uploader[0].upload(name, data, mime).run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _delta(at: AppTest, label: str) -> str:
    return next(m.proto.delta for m in at.metric if m.label == label)


def _captions(at: AppTest) -> str:
    return "\n".join(shown(str(c.value)) for c in at.caption)


def _table(at: AppTest, first: str):
    """The table whose first column is ``first`` (its values, and its column formats as sent)."""
    d = next(d for d in at.dataframe if d.value.columns[0] == first)
    return d.value, json.loads(d.proto.columns)


def _money_amount(text: str) -> float:
    return float(re.sub(r"[^\d.\-]", "", text))


def _check_tables(at: AppTest, total_spend: float, periods: list[str]) -> pd.DataFrame:
    """The tables by period, by network and period and by row: totals to the cent, money formatted."""
    per, config = _table(at, "Period")
    assert list(per.columns) == ["Period", *[c for pair in zip(SPENDS, REVENUES, strict=True) for c in pair]]
    assert list(per["Period"]) == [*periods, "Total"]
    total = per.iloc[-1]
    assert total["Plan's spend"] == pytest.approx(total_spend, abs=0.005)  # to the cent
    assert per["Plan's spend"].iloc[:-1].sum() == pytest.approx(total_spend, abs=0.005)
    assert total["Best plan's spend"] == pytest.approx(total_spend, abs=0.01)  # the same money
    assert total["Best plan's expected revenue"] >= total["Plan's expected revenue"]  # never worse
    for c in SPENDS + REVENUES:  # money, never a raw float: cents for spends, whole units for revenue
        assert config[c]["type_config"]["format"] == "dollar"
        assert config[c]["type_config"]["step"] == (0.01 if c in SPENDS else 1)
        decimals = 2 if c in SPENDS else 0
        assert np.allclose(per[c], per[c].round(decimals), rtol=0, atol=1e-9)
    nets, _ = _table(at, "Network")
    rows, _ = _table(at, "Name")
    for t in (nets, rows):
        assert t.iloc[-1, 0] == "Total"
        assert t["Plan's spend"].iloc[-1] == pytest.approx(total_spend, abs=0.005)
        assert t["Plan's spend"].iloc[:-1].sum() == pytest.approx(total_spend, abs=0.005)
    return per


def _check_charts(at: AppTest, period: str) -> None:
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [s["title"]["text"] for s in specs]
    assert titles == [f"The plan against the best plan: expected revenue per {period}",
                      f"The plan against the best plan: spend per {period}"]
    for s in specs:
        y = s["encoding"]["y"]
        assert y["title"].endswith("($)") and "labelExpr" in y["axis"]
        assert s["encoding"]["xOffset"]["field"] == "plan"
        assert s["title"]["subtitle"]


def test_the_planners_workbook_reads_back_as_the_plan_it_is(flighted):
    at = _upload(open_page(PAGE, TIMEOUT), "plan_q1_2027.xlsx", flight_workbook(flighted), XLSX)
    ok(at)
    m = _metrics(at)
    assert m["Plan's spend"] == money(flighted.total_spend, cents=True)
    assert m["Plan's expected revenue"] == money(flighted.total_response)
    assert m[BEST] == money(flighted.value)  # the planner's own plan is the best plan of its spend
    assert _delta(at, BEST) == "$0 (0.0%)"
    assert "Best split of the same money" not in m  # not the one-period view
    info = shown(at.info[0].value)
    assert info.startswith(f"Plan: spend {money(flighted.total_spend, cents=True)}, expected revenue ")
    assert "The best plan of the same spend over the same horizon earns as much" in info
    said = _captions(at)
    assert "Plan over time: 2027-01-01 to 2027-03-31 in 3 months (read from plan_q1_2027.xlsx, sheet 'Plan'" in said
    assert "the periods were read from the column 'period'" in said  # the reader's note
    # the best plan rests on the sample's curves, four of which its data barely support: said as on Optimize
    warned = [shown(w.value) for w in at.warning if "barely support" in w.value]
    assert len(warned) == 1 and warned[0].startswith("Optimal for these curves only: the data barely support 4 of ")
    per = _check_tables(at, flighted.total_spend, ["Jan 2027", "Feb 2027", "Mar 2027"])
    assert per["Plan's spend"].iloc[:-1].tolist() == pytest.approx(
        flighted.by_period()["spend"].tolist(), abs=0.005)
    _check_charts(at, "month")


def test_finance_layout_by_month_sheet_alone_reads_back(flighted):
    """The "By month" sheet as finance keeps it (the long Plan sheet removed): periods across the columns."""
    wb = load_workbook(io.BytesIO(flight_workbook(flighted)))
    del wb["Plan"]
    buf = io.BytesIO()
    wb.save(buf)
    at = _upload(open_page(PAGE, TIMEOUT), "finance_q1.xlsx", buf.getvalue(), XLSX)
    ok(at)
    assert _metrics(at)["Plan's spend"] == money(flighted.total_spend, cents=True)
    assert "sheet 'By month': periods across the columns" in _captions(at)
    _check_tables(at, flighted.total_spend, ["Jan 2027", "Feb 2027", "Mar 2027"])


def test_a_wide_csv_with_months_across_the_columns_is_compared_with_the_best_plan():
    at = _upload(open_page(PAGE, TIMEOUT), "finance.csv", WIDE_CSV, "text/csv")
    assert not at.error, [e.value for e in at.error]
    m = _metrics(at)
    assert m["Plan's spend"] == money(WIDE_TOTAL)
    assert re.fullmatch(MONEY, m["Plan's expected revenue"]) and re.fullmatch(MONEY, m[BEST])
    gain = _money_amount(m[BEST]) - _money_amount(m["Plan's expected revenue"])
    assert gain > 0  # a plan that leaves most creators and networks out earns less than the best plan
    assert re.fullmatch(rf"\+{MONEY} \(\+\d+\.\d%\)", _delta(at, BEST))
    assert re.fullmatch(r"\$\d+\.\d\d per \$1", shown(m["Plan's return on ad spend"]))
    assert "is expected to return" in shown(at.info[0].value)
    said = _captions(at)
    assert "2027-01-01 to 2027-03-31 in 3 months (read from finance.csv: periods across the columns)" in said
    assert "the column 'Total' was not read" in said and "read as the totals row" in said
    warnings = [shown(w.value) for w in at.warning]
    # in the model's words, with the amount typed to the cent ($500.25 twice), not rounded to $1,001
    assert any("'Snapchat' ($1,000.50)" in w and "matches no name in the model" in w for w in warnings)
    assert not any("curve table" in w for w in warnings)
    per = _check_tables(at, WIDE_TOTAL, ["Jan 2027", "Feb 2027", "Mar 2027"])
    assert per["Plan's spend"].iloc[:-1].tolist() == pytest.approx([48_900.75, 33_900.25, 41_800.0], abs=0.005)
    rows, _ = _table(at, "Name")
    snap = rows[rows["Name"] == "Snapchat"]
    assert set(snap["In the data"]) == {"no"} and snap["Plan's expected revenue"].sum() == 0
    _check_charts(at, "month")


def test_weeks_across_the_columns_work_too():
    csv = (b"Network,Week of 2027-01-04,Week of 2027-01-11,Week of 2027-01-18\n"
           b"Instagram,1000,2000,3000.10\nTikTok,500,500,500\n")
    at = _upload(open_page(PAGE, TIMEOUT), "weeks.csv", csv, "text/csv")
    ok(at)
    assert "2027-01-04 to 2027-01-24 in 3 weeks" in _captions(at)
    _check_tables(at, 7500.10, ["Week of 2027-01-04", "Week of 2027-01-11", "Week of 2027-01-18"])
    _check_charts(at, "week")


def test_a_one_period_plan_still_shows_the_one_period_view():
    at = _upload(open_page(PAGE, TIMEOUT), "finance.csv", WIDE_CSV, "text/csv")
    assert BEST in _metrics(at)
    at.button(key="use_sample_plan").click().run()  # back to the sample: a plan without periods
    ok(at)
    m = _metrics(at)
    assert m["Plan's spend"] == "$250,000" and "Best split of the same money" in m and BEST not in m
    assert any("Plan name" in d.value.columns for d in at.dataframe)
    at = _upload(at, "one.csv", b"name,network,spend\nInstagram,Instagram,1000\n", "text/csv")
    ok(at)
    m = _metrics(at)
    assert m["Plan's spend"] == "$1,000" and "Best split of the same money" in m and BEST not in m
    assert not at.get("vega_lite_chart")


def test_the_upload_hint_says_months_or_weeks_across_the_columns_work():
    assert "months or weeks across the columns" in _captions(open_page(PAGE, TIMEOUT))


def test_a_period_that_is_not_a_date_is_a_sentence_not_a_traceback():
    bad = b"name,network,period,spend\nInstagram,Instagram,2027-01-01,100\nTikTok,TikTok,soon,200\n"
    at = _upload(open_page(PAGE, TIMEOUT), "plan.csv", bad, "text/csv")
    errors = [shown(e.value) for e in at.error]
    assert errors == ["plan.csv, row 3, column 'period' holds 'soon', which is not a period's first day; write a "
                      "date such as 2027-01-01 or a month such as Jan 2027."]
    assert not at.metric and not at.dataframe


def test_names_and_file_names_stay_text():
    csv = (b"Network,Creator,Jan 2027,Feb 2027\nInstagram,,1000,2000\n"
           b"TikTok,@**boldB** [linkL](javascript:alert(1)),500,500\n")
    at = _upload(open_page(PAGE, TIMEOUT), "plan **planB** $planM$.csv", csv, "text/csv")
    ok(at)
    assert "read from plan **planB** $planM$.csv: periods across the columns" in _captions(at)
    warning = next(shown(w.value) for w in at.warning if "matches no name in the model" in shown(w.value))
    assert "'TikTok/@**boldB** [linkL](javascript:alert(1))'" in warning
