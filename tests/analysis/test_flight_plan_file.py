"""A plan over time read back from the files people send: the long CSV, finance's wide layout with its totals
(never counted twice), months and weeks written as people write them, and every problem in a sentence."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from planner.analysis.flight_evaluate import evaluate_plan_over_time
from planner.analysis.flight_plan_file import period_start, read_plan_over_time
from planner.data.plan_files import PlanError
from planner.flighting import Horizon, parse_horizon, plan_flighting, value_plan
from planner.report.sheets.flight_plan import flight_plan_csv, flight_workbook

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_CURVES = ROOT / "sample_data" / "true_curves.csv"
MONTHS = [dt.datetime(2027, m, 1) for m in (1, 2, 3)]


def small_curves() -> pd.DataFrame:
    """Paid media with carry-over and two creators without, on three networks."""
    return pd.DataFrame({
        "name": ["Instagram", "Instagram/@maya.bakes", "TikTok", "TikTok/@lena.bakes", "Pinterest"],
        "network": ["Instagram", "Instagram", "TikTok", "TikTok", "Pinterest"],
        "curve": ["hill", "log", "logistic", "hill", "log"],
        "beta": [60_000.0, 9_000.0, 40_000.0, 15_000.0, 12_000.0],
        "k": [20_000.0, 1_500.0, 9_000.0, 2_500.0, 4_000.0],
        "s": [1.6, np.nan, np.nan, 0.9, np.nan],
        "current_spend": [25_000.0, 2_000.0, 8_000.0, 1_500.0, 4_000.0],
        "decay": [0.5, 0.0, 0.3, 0.0, 0.0],
    })


@pytest.fixture(scope="module")
def sample_with_decay() -> pd.DataFrame:
    """The sample's curve table, its paid media given weekly carry-over (its creators none)."""
    c = pd.read_csv(SAMPLE_CURVES)
    decay = {"Instagram": 0.5, "TikTok": 0.3, "YouTube": 0.6, "Pinterest": 0.2, "Facebook": 0.4, "X": 0.1}
    c["decay"] = np.where(c["name"] == c["network"], c["network"].map(decay), 0.0)
    return c


def finance_workbook(path: Path, header=MONTHS, title=None) -> Path:
    """Finance's layout: Network | Creator | a column per month | Total; a subtotal row, a Total row with its
    numbers typed (as a saved workbook caches them), and totals by network below it."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Budget 2027"
    if title:
        ws.append([title])
        ws.append([])
    ws.append(["Network", "Creator", *header, "Total"])
    rows = [("Instagram", None, [1000, 2000, 3000]), ("Instagram", "@maya.bakes", [500, 0, 500]),
            ("Instagram total", None, [1500, 2000, 3500]),
            ("TikTok", None, [4000, 4000, 0]), ("TikTok", "lena.bakes", [250.5, 250.5, 250.5])]
    for net, creator, spends in rows:
        ws.append([net, creator, *spends, sum(spends)])
    cols = np.array([r[2] for r in rows if "total" not in r[0]], dtype=float)
    ws.append(["Total", None, *cols.sum(axis=0).tolist(), float(cols.sum())])
    ws.append([])
    ws.append(["By network"])
    ws.append(["Instagram", None, 1500, 2000, 3500, 7000])
    ws.append(["TikTok", None, 4250.5, 4250.5, 250.5, 8751.5])
    wb.save(path)
    return path


def test_finance_wide_layout_is_read_per_month_without_its_totals(tmp_path):
    plan = read_plan_over_time(finance_workbook(tmp_path / "budget.xlsx"))
    assert plan is not None and plan.layout == "wide" and plan.sheet == "Budget 2027"
    assert plan.horizon == Horizon(dt.date(2027, 1, 1), dt.date(2027, 3, 31), "month")
    t = plan.table.set_index(["name", "period"])["spend"]
    assert t[("Instagram", pd.Timestamp("2027-02-01"))] == 2000
    assert t[("Instagram/@maya.bakes", pd.Timestamp("2027-03-01"))] == 500
    assert t[("TikTok/lena.bakes", pd.Timestamp("2027-01-01"))] == 250.5
    # the subtotal row, the Total row and column and the section below are not counted
    assert plan.total_spend == pytest.approx(1000 + 2000 + 3000 + 500 + 500 + 4000 + 4000 + 3 * 250.5)
    assert set(plan.table["name"]) == {"Instagram", "Instagram/@maya.bakes", "TikTok", "TikTok/lena.bakes"}
    said = " ".join(plan.notes)
    assert "'Total' was not read" in said and "read as the totals row" in said


def test_month_headers_written_as_text_and_a_csv_file_read_the_same(tmp_path):
    csv = ("Network,Creator,Jan 2027,February 2027,2027-03,Total\n"
           "Instagram,,\"$1,000.00\",2000,3000,6000\n"
           "TikTok,@lena.bakes,250.50,250.50,250.50,751.50\n"
           "Total,,\"1,250.50\",2250.5,3250.5,6751.5\n")
    path = tmp_path / "budget.csv"
    path.write_text(csv)
    plan = read_plan_over_time(path)
    assert plan.layout == "wide" and plan.sheet is None
    assert sorted(set(plan.table["period"])) == [pd.Timestamp(d) for d in MONTHS]
    assert plan.total_spend == pytest.approx(6000 + 751.5)
    assert plan.horizon.period == "month"


def test_weeks_across_the_columns_and_a_title_that_states_a_short_last_week(tmp_path):
    weeks = [f"Week of 2027-01-{d:02d}" for d in (1, 8, 15, 22, 29)]
    path = finance_workbook(tmp_path / "weeks.xlsx", header=weeks[:3],
                            title="Spend by week, 2027-01-01 to 2027-01-20 in 3 weeks")
    plan = read_plan_over_time(path)
    assert plan.horizon == Horizon(dt.date(2027, 1, 1), dt.date(2027, 1, 20), "week")  # the title's end
    path = finance_workbook(tmp_path / "weeks2.xlsx", header=weeks[:3])
    assert read_plan_over_time(path).horizon == Horizon(dt.date(2027, 1, 1), dt.date(2027, 1, 21), "week")


def test_a_plan_without_periods_is_left_to_the_one_period_reader():
    assert read_plan_over_time(ROOT / "sample_data" / "finance_plan.xlsx") is None
    csv = b"name,network,spend\nInstagram,Instagram,1000\n"
    assert read_plan_over_time(csv, "plan.csv") is None
    quarters = b"Network,Q1 2027,Q2 2027\nInstagram,1000,2000\n"  # quarters are not weeks or months
    assert read_plan_over_time(quarters, "plan.csv") is None


@pytest.mark.parametrize("period,span", [("month", "2027-01-01:2027-06-30"), ("week", "2027-01-01:2027-03-31")])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_planners_own_files_read_back_as_the_same_plan_to_the_cent(sample_with_decay, period, span, kind):
    horizon = parse_horizon(span, period)
    plan = plan_flighting(sample_with_decay, 400_000.0, horizon)
    raw = flight_plan_csv(plan) if kind == "csv" else flight_workbook(plan)
    back = read_plan_over_time(raw, f"plan.{kind}")
    assert back.layout == "long" and back.horizon == horizon
    assert back.total_spend == pytest.approx(plan.total_spend, abs=0.005)
    v = value_plan(sample_with_decay, back.table, back.horizon)
    assert v.total_response == pytest.approx(plan.total_response, abs=0.005)
    ev = evaluate_plan_over_time(sample_with_decay, back)
    assert ev.total_response == pytest.approx(plan.total_response, abs=0.005)
    assert ev.best is not None and ev.best_value == pytest.approx(plan.value, abs=0.005)


def test_the_wide_sheet_alone_reads_back_as_the_same_plan(sample_with_decay):
    from openpyxl import load_workbook

    plan = plan_flighting(sample_with_decay, 300_000.0, parse_horizon("2027-01-01:2027-03-31", "week"))
    wb = load_workbook(io.BytesIO(flight_workbook(plan)))
    del wb["Plan"]
    buf = io.BytesIO()
    wb.save(buf)  # the totals' formulas lose their saved results: they are not read anyway
    back = read_plan_over_time(buf.getvalue(), "finance.xlsx")
    assert back.layout == "wide" and back.sheet == "By week"
    assert back.horizon == plan.horizon  # the title says where the short last week ends
    assert back.total_spend == pytest.approx(plan.total_spend, abs=0.005)
    assert value_plan(sample_with_decay, back.table, back.horizon).total_response == pytest.approx(
        plan.total_response, abs=0.005)


def test_unknown_names_are_named_in_a_sentence_and_their_spend_counted(tmp_path):
    curves = small_curves()
    plan = read_plan_over_time(finance_workbook(tmp_path / "budget.xlsx"))
    ev = evaluate_plan_over_time(curves, plan)
    # "TikTok/lena.bakes" is matched ignoring the @; nothing else is unknown yet
    assert ev.matches == (("TikTok/lena.bakes", "TikTok/@lena.bakes", "ignoring @ and spaces"),)
    assert ev.unmatched.empty
    wrong = plan.table.copy()
    wrong.loc[len(wrong)] = ["Snapchat/@nobody", "Snapchat", pd.Timestamp("2027-02-01"), 777.5]
    ev = evaluate_plan_over_time(curves, type(plan)(wrong, plan.horizon, "budget.xlsx", "Budget 2027", "wide"))
    warning = next(w for w in ev.warnings if "Snapchat/@nobody" in w)
    # the finance analyst's words: the model, not the curve table; the amount typed, to the cent
    assert "matches no name in the model: 'Snapchat/@nobody' ($777.50); its $777.50 counts" in warning
    assert not any("curve table" in w for w in ev.warnings)
    assert ev.total_spend == pytest.approx(plan.total_spend + 777.5)
    assert ev.value.total_spend == pytest.approx(plan.total_spend)
    rows = ev.rows()
    assert rows.loc[~rows["in_curves"], "response"].sum() == 0
    assert rows["spend"].sum() == pytest.approx(ev.total_spend)
    assert any("'Pinterest'" in w and "names in the model are not in the plan" in w and "zero spend" in w
               for w in ev.warnings)


def test_a_poor_plan_is_shown_what_the_best_plan_of_its_spend_earns():
    curves = small_curves()
    horizon = parse_horizon("2027-01-01:2027-03-31", "month")
    lumped = pd.DataFrame({"name": ["Instagram", "TikTok"], "network": ["Instagram", "TikTok"],
                           "period": [pd.Timestamp("2027-01-01")] * 2, "spend": [30_000.0, 30_000.0]})
    from planner.analysis.flight_plan_file import PlanOverTime

    ev = evaluate_plan_over_time(curves, PlanOverTime(lumped, horizon, "plan.csv", None, "long"))
    assert ev.total_spend == 60_000.0
    assert ev.best.total_spend == pytest.approx(60_000.0, abs=0.01)
    assert ev.gap > 1_000  # everything in one month, nothing on creators: far from the best
    per = ev.periods()
    assert per["spend"].tolist() == [60_000.0, 0.0, 0.0]
    assert per["best_spend"].sum() == pytest.approx(ev.best.total_spend)
    js = ev.to_json()
    assert js["total_spend"] == 60_000.0 and js["best_response"] > js["total_response"]
    assert {"name", "period", "spend", "response"} <= set(js["rows"][0])
    assert [p["period"] for p in js["periods"]] == ["2027-01-01", "2027-02-01", "2027-03-01"]


def test_problems_are_sentences_naming_the_row_and_column(tmp_path):
    bad = b"name,network,period,spend\nInstagram,Instagram,2027-01-01,100\nTikTok,TikTok,soon,200\n"
    with pytest.raises(PlanError, match=r"plan\.csv, row 3, column 'period' holds 'soon'.*2027-01-01"):
        read_plan_over_time(bad, "plan.csv")
    blank = b"name,network,period,spend\nInstagram,Instagram,,100\n"
    with pytest.raises(PlanError, match=r"row 2, column 'period' is empty, but the row has a spend"):
        read_plan_over_time(blank, "plan.csv")
    twice = b"Network,Jan 2027,2027-01-01\nInstagram,1,2\n"
    with pytest.raises(PlanError, match="two columns are headed 2027-01-01"):
        read_plan_over_time(twice, "plan.csv")
    negative = b"Network,Jan 2027,Feb 2027\nInstagram,1,-2\n"
    with pytest.raises(PlanError, match=r"row 2, column 'Feb 2027' holds '-2'.*cannot be negative"):
        read_plan_over_time(negative, "plan.csv")
    gaps = b"name,period,spend\nInstagram,2027-01-01,1\nInstagram,2027-01-05,1\n"
    with pytest.raises(PlanError, match="neither weeks"):
        read_plan_over_time(gaps, "plan.csv")


def test_a_long_table_with_months_as_people_write_them():
    csv = (b"Creator,Network,Month,Budget\n@maya.bakes,Instagram,Jan 2027,500\n@maya.bakes,Instagram,Feb 2027,500\n"
           b",Instagram,Jan 2027,\"$2,000\"\n,Instagram,Mar 2027,1000\n")
    plan = read_plan_over_time(csv, "finance.csv")
    assert plan.layout == "long"
    assert plan.horizon == Horizon(dt.date(2027, 1, 1), dt.date(2027, 3, 31), "month")
    t = plan.table.set_index(["name", "period"])["spend"].to_dict()
    assert t == {("Instagram/@maya.bakes", pd.Timestamp("2027-01-01")): 500.0,
                 ("Instagram/@maya.bakes", pd.Timestamp("2027-02-01")): 500.0,
                 ("Instagram", pd.Timestamp("2027-01-01")): 2000.0,
                 ("Instagram", pd.Timestamp("2027-03-01")): 1000.0}


@pytest.mark.parametrize("cell,want", [
    ("2027-01-04", dt.date(2027, 1, 4)), ("Week of 2027-01-04", dt.date(2027, 1, 4)), ("Jan 2027", dt.date(2027, 1, 1)),
    ("September 2027", dt.date(2027, 9, 1)), ("Sept 2027", dt.date(2027, 9, 1)), ("2027-11", dt.date(2027, 11, 1)),
    (dt.datetime(2027, 2, 1), dt.date(2027, 2, 1)), ("Total", None), ("Q1 2027", None), ("2027-02-30", None),
    ("Jan", None), (45000, None), ("Spend by week, 2027-01-01 to 2027-03-31", None),
])
def test_period_start_reads_dates_as_people_write_them(cell, want):
    assert period_start(cell) == want


def test_a_booking_outside_a_creators_roster_dates_is_named():
    from planner.analysis.flight_plan_file import PlanOverTime

    curves = small_curves().assign(available_from="", available_until="")
    curves.loc[curves["name"] == "Instagram/@maya.bakes", "available_from"] = "2027-02-01"
    horizon = parse_horizon("2027-01-01:2027-03-31", "month")
    plan = pd.DataFrame({"name": ["Instagram/@maya.bakes"] * 2 + ["Instagram"], "network": ["Instagram"] * 3,
                         "period": pd.to_datetime(["2027-01-01", "2027-02-01", "2027-01-01"]),
                         "spend": [1_500.5, 1_500.0, 20_000.0]})
    ev = evaluate_plan_over_time(curves, PlanOverTime(plan, horizon, "plan.csv", None, "long"))
    assert ("1 booking falls outside the roster's dates of its creator: 'Instagram/@maya.bakes' in Jan 2027 "
            "($1,500.50); it is valued as if the creator posted then.") in ev.warnings
    ok = plan[plan["period"] != pd.Timestamp("2027-01-01")]
    ev = evaluate_plan_over_time(curves, PlanOverTime(ok, horizon, "plan.csv", None, "long"))
    assert not any("roster's dates" in w for w in ev.warnings)
