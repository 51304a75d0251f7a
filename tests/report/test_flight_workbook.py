"""Finance's workbook of a plan over time: the contract's long table first, the wide sheet with live totals
(recalculated by LibreOffice), names that stay text, and an amount edited on the wide sheet that flows into
the Plan sheet and back into the planner."""

from __future__ import annotations

import datetime as dt
import io
import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.analysis.flight_plan_file import read_plan_over_time
from planner.flighting import parse_horizon, plan_flighting, value_plan
from planner.report.sheets.flight_plan import FLIGHT_COLUMNS, flight_plan_csv, flight_rows, flight_workbook
from tests.report.libreoffice import needs_soffice, recalc

FIRST = 5  # the wide sheet's first row of names (title, note, blank, header above)
ODD = ["=1+1", "+SUM(A1:A2)", "@handle", "-2"]


def small_curves(names=None, networks=None) -> pd.DataFrame:
    """Two networks with carry-over and two creators without."""
    df = pd.DataFrame({
        "name": ["Instagram", "Instagram/@maya.bakes", "TikTok", "TikTok/@lena.bakes"],
        "network": ["Instagram", "Instagram", "TikTok", "TikTok"],
        "curve": ["hill", "log", "logistic", "hill"],
        "beta": [60_000.0, 9_000.0, 40_000.0, 15_000.0],
        "k": [20_000.0, 1_500.0, 9_000.0, 2_500.0],
        "s": [1.6, np.nan, np.nan, 0.9],
        "max_spend": [np.nan, 12_000.0, np.nan, 9_000.0],
        "current_spend": [25_000.0, 2_000.0, 8_000.0, 1_500.0],
        "decay": [0.5, 0.0, 0.3, 0.0],
    })
    if names is not None:
        df["name"] = names
    if networks is not None:
        df["network"] = networks
    return df


@pytest.fixture(scope="module")
def monthly():
    return plan_flighting(small_curves(), 90_000.0, parse_horizon("2027-01-01:2027-06-30", "month"))


@pytest.fixture(scope="module")
def monthly_book(monthly) -> bytes:
    return flight_workbook(monthly)


def _wide_rows(ws, n_periods):
    """The name rows of the wide sheet (up to the Total row): (network, name, spends, total cell)."""
    out = []
    r = FIRST
    while ws.cell(r, 1).value not in (None, "Total"):
        out.append((ws.cell(r, 1).value, ws.cell(r, 2).value, [ws.cell(r, 3 + p).value for p in range(n_periods)],
                    ws.cell(r, 3 + n_periods).value))
        r += 1
    return out, r


def test_the_first_sheet_is_the_contracts_long_table(monthly, monthly_book):
    wb = load_workbook(io.BytesIO(monthly_book), data_only=True)
    assert wb.sheetnames == ["Plan", "By month", "Summary"]
    df = pd.read_excel(io.BytesIO(monthly_book), sheet_name=0, engine="openpyxl")
    assert list(df.columns) == list(FLIGHT_COLUMNS)
    assert {"name", "network", "period", "spend", "response"} <= set(df.columns)
    assert len(df) == 4 * 6
    assert sorted(set(df["period"])) == [f"2027-{m:02d}-01" for m in range(1, 7)]
    t = monthly.table
    want = t.assign(period=t["period"].dt.strftime("%Y-%m-%d")).set_index(["name", "period"])
    got = df.set_index(["name", "period"])
    assert got["spend"].round(2).to_dict() == want["spend"].round(2).to_dict()
    assert np.allclose(got["response"].reindex(want.index), want["response"], rtol=1e-12)
    assert df["spend"].sum() == pytest.approx(monthly.total_spend, abs=0.005)
    assert monthly.total_spend <= 90_000.0 + 1e-9
    # the money is formatted as money, the spends are live references to the wide sheet
    ws = load_workbook(io.BytesIO(monthly_book))["Plan"]
    assert ws["D2"].value.startswith("='By month'!")
    assert "$" in ws["D2"].number_format and "$" in ws["E2"].number_format


def test_the_wide_sheet_has_dates_across_and_live_sum_formulas(monthly, monthly_book):
    ws = load_workbook(io.BytesIO(monthly_book))["By month"]
    header = [ws.cell(4, c).value for c in range(1, 10)]
    assert header[:2] == ["Network", "Name"] and header[8] == "Total"
    assert header[2:8] == [dt.datetime(2027, m, 1) for m in range(1, 7)]
    assert ws.cell(4, 3).number_format == "mmm yyyy"
    rows, total = _wide_rows(ws, 6)
    assert len(rows) == 4 and total == FIRST + 4
    assert ws.cell(FIRST, 9).value == f"=SUM(C{FIRST}:H{FIRST})"
    assert ws.cell(total, 3).value == f"=SUM(C{FIRST}:C{total - 1})"
    assert ws.cell(total, 9).value == f"=SUM(I{FIRST}:I{total - 1})"
    assert "$" in ws.cell(FIRST, 3).number_format
    # names and networks are text cells
    for r in range(FIRST, total):
        assert ws.cell(r, 1).data_type == "s" and ws.cell(r, 2).data_type == "s"


def test_a_weekly_plan_has_a_by_week_sheet_headed_by_iso_dates():
    plan = plan_flighting(small_curves(), 40_000.0, parse_horizon("2027-01-04:2027-02-28", "week"))
    wb = load_workbook(io.BytesIO(flight_workbook(plan)))
    assert wb.sheetnames[1] == "By week"
    ws = wb["By week"]
    assert ws.cell(4, 3).value == dt.datetime(2027, 1, 4) and ws.cell(4, 3).number_format == "yyyy-mm-dd"
    assert ws.cell(4, 3 + 7).value == dt.datetime(2027, 2, 22)
    assert ws.cell(4, 3 + 8).value == "Total"


def test_the_csv_is_the_long_table_with_iso_periods_and_the_last_days():
    plan = plan_flighting(small_curves(), 40_000.0, parse_horizon("2027-01-01:2027-03-31", "week"))
    df = pd.read_csv(io.BytesIO(flight_plan_csv(plan)), dtype={"period": str, "period_end": str})
    assert list(df.columns) == list(FLIGHT_COLUMNS)
    assert df["period"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert df["period"].min() == "2027-01-01" and df["period"].max() == "2027-03-26"
    assert df["period_end"].max() == "2027-03-31"  # the last week is six days long
    assert df["spend"].sum() == pytest.approx(plan.total_spend, abs=0.005)
    assert flight_rows(plan)["response"].sum() == pytest.approx(plan.total_response, rel=1e-12)


@needs_soffice
def test_libreoffice_recalculates_every_total_as_the_sum_of_its_cells(monthly_book, tmp_path):
    src = tmp_path / "plan.xlsx"
    src.write_bytes(monthly_book)
    wb = load_workbook(recalc(src, tmp_path), data_only=True)
    ws = wb["By month"]
    rows, total = _wide_rows(ws, 6)
    cells = np.array([r[2] for r in rows], dtype=float)
    for (_net, _name, spends, row_total) in rows:
        assert row_total == pytest.approx(sum(spends), abs=1e-6)
    for p in range(6):
        assert ws.cell(total, 3 + p).value == pytest.approx(cells[:, p].sum(), abs=1e-6)
    assert ws.cell(total, 9).value == pytest.approx(cells.sum(), abs=1e-6)
    # the totals by network below, and the check that they add up
    nets = {}
    r = total + 3
    while ws.cell(r, 1).value and not str(ws.cell(r, 1).value).startswith("Check"):
        nets[ws.cell(r, 1).value] = [ws.cell(r, 3 + p).value for p in range(6)] + [ws.cell(r, 9).value]
        r += 1
    assert ws.cell(r, 9).value == "OK"
    for net in ("Instagram", "TikTok"):
        mine = np.array([s for n, _, s, _ in rows if n == net], dtype=float)
        assert nets[net][:6] == pytest.approx(list(mine.sum(axis=0)), abs=1e-6)
        assert nets[net][6] == pytest.approx(mine.sum(), abs=1e-6)
    # the Plan sheet's spends are the wide sheet's cells, and Summary's total spend the grand total
    plan = pd.DataFrame(list(wb["Plan"].iter_rows(min_row=2, values_only=True)), columns=list(FLIGHT_COLUMNS))
    assert plan["spend"].sum() == pytest.approx(cells.sum(), abs=1e-6)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["Total spend"] == pytest.approx(cells.sum(), abs=1e-6)


@needs_soffice
def test_names_that_look_like_formulas_stay_text_after_recalculation(tmp_path):
    curves = small_curves(names=ODD, networks=["=HYPERLINK(\"x\")", "=HYPERLINK(\"x\")", "+1", "+1"])
    plan = plan_flighting(curves, 30_000.0, parse_horizon("2027-01-01:2027-03-31", "month"))
    src = tmp_path / "odd.xlsx"
    src.write_bytes(flight_workbook(plan))
    for path in (src, recalc(src, tmp_path)):
        wb = load_workbook(path, data_only=True)
        rows, total = _wide_rows(wb["By month"], 3)
        assert sorted(r[1] for r in rows) == sorted(ODD)
        assert {r[0] for r in rows} == {"=HYPERLINK(\"x\")", "+1"}
        plan_names = [r[0] for r in wb["Plan"].iter_rows(min_row=2, values_only=True)]
        assert sorted(set(plan_names)) == sorted(ODD)
        ws = wb["By month"]
        assert ws.cell(total, 6).value == pytest.approx(plan.total_spend, abs=0.005)
    # and they read back as the same names and the same plan, to the cent
    back = read_plan_over_time(src)
    assert sorted(set(back.table["name"])) == sorted(ODD)
    assert value_plan(curves, back.table, back.horizon).total_response == pytest.approx(plan.total_response,
                                                                                        abs=0.005)


@needs_soffice
def test_an_amount_edited_on_the_wide_sheet_flows_into_the_plan_sheet_and_back(monthly, monthly_book, tmp_path):
    src = tmp_path / "plan.xlsx"
    src.write_bytes(monthly_book)
    wb = load_workbook(src)
    ws = wb["By month"]
    rows, _ = _wide_rows(ws, 6)
    k = next(i for i, r in enumerate(rows) if r[1] == "Instagram")
    old = ws.cell(FIRST + k, 3).value
    ws.cell(FIRST + k, 3).value = old + 1000.25  # finance moves money into January
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)  # openpyxl keeps no formula results: Excel (here LibreOffice) recalculates on opening
    done = recalc(edited, tmp_path)
    back = read_plan_over_time(done)
    assert back.sheet == "Plan"
    assert back.total_spend == pytest.approx(monthly.total_spend + 1000.25, abs=0.005)
    jan = back.table[(back.table["name"] == "Instagram") & (back.table["period"] == pd.Timestamp("2027-01-01"))]
    assert float(jan["spend"].iloc[0]) == pytest.approx(old + 1000.25, abs=0.005)
    grand = load_workbook(done, data_only=True)["By month"]
    assert math.isclose(grand.cell(FIRST + 4, 9).value, monthly.total_spend + 1000.25, abs_tol=0.005)


def test_expected_sales_sheet_sums_the_baseline_and_the_plans_paid_media(monthly):
    from planner.report.flight_text import baseline_frame

    base = np.array([100_000.0, 90_000.0, 110_000.0, 95_000.0, 105_000.0, 100_000.0])[:len(monthly.horizon.starts())]
    sales = baseline_frame(monthly, base)
    book = load_workbook(io.BytesIO(flight_workbook(monthly, sales=sales)))
    assert "Expected sales" in book.sheetnames
    assert "Expected sales" not in load_workbook(io.BytesIO(flight_workbook(monthly))).sheetnames
    ws = book["Expected sales"]
    assert [c.value for c in ws[4]][:4] == list(sales.columns)
    n = len(base)
    for i in range(n):
        r = 5 + i
        assert ws.cell(r, 4).value == f"=B{r}+C{r}"
        assert ws.cell(r, 2).value == pytest.approx(base[i], abs=0.01)
    total = 5 + n
    assert ws.cell(total, 1).value == "Total" and ws.cell(total, 4).value == f"=SUM(D5:D{4 + n})"
    values = load_workbook(io.BytesIO(flight_workbook(monthly, sales=sales)), data_only=True)["Expected sales"]
    assert values.cell(total, 4).value == pytest.approx(float(sales["Expected sales"].iloc[-1]), abs=0.05)
