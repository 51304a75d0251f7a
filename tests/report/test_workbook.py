"""The Excel and CSV export of an allocation: structure, live formulas, user text that stays text,
and a round trip to the cent through read_plan (LibreOffice's recalculation: test_workbook_libreoffice)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from planner.curves.files import read_curves
from planner.data.plans import read_plan
from planner.optimize import Allocation, frontier, optimize
from planner.optimize.result import PlanRows
from planner.report.workbook import allocation_csv, allocation_workbook
from tests.report.workbook_cases import curve_table, sheet_rows

INJECTIONS = ['=HYPERLINK("http://x","click")', "+1", "-2+3", "@SUM(A1:A2)", "=1+1", "\t=cmd"]


@pytest.fixture(scope="module")
def curves() -> pd.DataFrame:
    return curve_table()


@pytest.fixture(scope="module")
def allocation(curves) -> Allocation:
    return optimize(curves, 60000)


@pytest.fixture(scope="module")
def workbook_bytes(allocation, curves) -> bytes:
    fr = frontier(curves, [20000, 40000, 60000])
    return allocation_workbook(allocation, curves, fr, meta={"data_source": "campaigns.xlsx", "model": "hill fit"})


# ----------------------------------------------------------------------------- structure
def test_sheets_tables_formats_and_formulas(workbook_bytes, allocation):
    wb = load_workbook(io.BytesIO(workbook_bytes))
    assert wb.sheetnames == ["Summary", "Allocation", "By network", "By creator", "Curves", "Frontier"]
    ws = wb["Allocation"]
    header = [c.value for c in ws[1]]
    assert header[:10] == ["Name", "Network", "Current spend", "Optimal spend", "Change", "Expected revenue",
                           "ROAS", "Marginal ROAS", "Binding", "Beyond observed spend"]
    # beside the table, after two blank columns: the revenue at current spend and the range's helpers
    assert header[10:] == [None, None, "Revenue at current spend", "Range: source group", "Range: log spread",
                           "Range: mean revenue", "Range: variance share", "Range: selection allowance"]
    n = len(allocation.table)
    assert list(ws.tables) == ["AllocationTable"]
    assert ws.tables["AllocationTable"].ref == f"A1:J{n + 1}"
    assert ws.freeze_panes == "B2"
    assert ws.column_dimensions["A"].width >= 16
    for r in range(2, n + 2):
        assert ws[f"E{r}"].value == f"=D{r}-C{r}"
        assert ws[f"G{r}"].value == f'=IF(D{r}>0,F{r}/D{r},"")'
        assert ws[f"F{r}"].value.startswith("=") and f"D{r}" in ws[f"F{r}"].value and "Curves!$" in ws[f"F{r}"].value
        assert "$" in ws[f"D{r}"].number_format and "$" in ws[f"F{r}"].number_format
    total = n + 2
    assert ws[f"A{total}"].value == "Total"
    for c in "CDEF":
        assert ws[f"{c}{total}"].value == f"=SUM({c}2:{c}{n + 1})"
    # spends rounded to the cent, names and networks as text
    for r, row in enumerate(allocation.table.itertuples(index=False), start=2):
        assert ws[f"D{r}"].value == round(row.spend, 2)
        assert ws[f"A{r}"].data_type == "s" and ws[f"B{r}"].data_type == "s"
    bn = wb["By network"]
    assert all("SUMIF(" in bn.cell(r, 3).value for r in range(2, 2 + allocation.table["network"].nunique()))
    assert "%" in bn["G2"].number_format
    assert [c.value for c in bn[1]][-1] == "Marginal ROAS" and list(bn.tables) == ["NetworkTable"]
    bc = wb["By creator"]
    assert [c.value for c in bc[1]] == ["Creator", "Network", "Current spend", "Optimal spend", "Change",
                                        "Expected revenue", "ROAS", "Marginal ROAS", "Beyond observed spend"]
    creators = allocation.table[allocation.table["name"].str.contains("/")]
    assert list(bc.tables) == ["CreatorTable"] and bc.tables["CreatorTable"].ref == f"A1:I{len(creators) + 1}"
    assert bc.freeze_panes == "B2" and "$" in bc["D2"].number_format
    assert {bc.cell(r, 1).value for r in range(2, 2 + len(creators))} == set(creators["name"])
    assert all(str(bc.cell(r, 4).value).startswith("=Allocation!D") for r in range(2, 2 + len(creators)))
    summary = {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}
    assert summary["Budget"] == 60000
    assert summary["Data source"] == "campaigns.xlsx" and summary["Model"] == "hill fit"
    assert "Expected revenue, P10 (pessimistic)" in summary and "Date generated" in summary
    assert "optimal" in summary["Optimality"].lower()
    fr = sheet_rows(wb["Frontier"])
    assert fr[0][:4] == ("Budget", "Total spend", "Expected revenue", "Marginal return")
    assert [r[0] for r in fr[1:]] == [20000, 40000, 60000]


def test_curves_sheet_reads_back_as_the_curve_table(workbook_bytes, curves, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes)
    back = read_curves(path)
    cols = ["name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend", "unit_cost", "current_spend"]
    pd.testing.assert_frame_equal(back[cols], curves[cols], check_dtype=False)


def test_csv_has_the_contract_columns_and_reads_back(allocation):
    data = allocation_csv(allocation)
    df = pd.read_csv(io.BytesIO(data))
    assert list(df.columns[:4]) == ["name", "network", "spend", "response"]
    assert np.allclose(df["spend"], allocation.table["spend"].round(2))
    plan = read_plan(data, name="allocation.csv")
    assert plan["name"].tolist() == allocation.table["name"].tolist()
    assert plan["spend"].tolist() == allocation.table["spend"].round(2).tolist()


def test_injection_names_stay_text_in_xlsx_and_csv():
    names = [f"Instagram/{x}" if i % 2 else x for i, x in enumerate(INJECTIONS)]
    networks = ["=1+1", "+Net", "@Net", "=1+1", "-Net", "@Net"]
    c = curve_table(names=names, networks=networks)
    a = optimize(c, 30000)
    wb = load_workbook(io.BytesIO(allocation_workbook(a, c, meta={"data_source": '=HYPERLINK("evil")'})))
    ws = wb["Allocation"]
    for r, (nm, net) in enumerate(zip(a.table["name"], a.table["network"], strict=True), start=2):
        assert ws[f"A{r}"].value == nm and ws[f"A{r}"].data_type == "s"
        assert ws[f"B{r}"].value == net and ws[f"B{r}"].data_type == "s"
    for ws in wb.worksheets:  # no formula anywhere holds a user's text
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # a formula's text (an array formula's too)
                    text = str(getattr(cell.value, "text", cell.value))
                    assert not any(x in text for x in INJECTIONS + ["evil"]), text
    rows = list(csv.reader(io.StringIO(allocation_csv(a).decode("utf-8"))))[1:]
    for row, nm, net in zip(rows, a.table["name"], a.table["network"], strict=True):
        assert row[0] == ("'" + nm if nm[0] in "=+-@\t" else nm)
        assert row[1] == "'" + net  # every network here starts with = + - @


# ----------------------------------------------------------------------------- round trip
def test_round_trip_of_the_real_optimum_and_of_edited_spends(workbook_bytes, allocation, tmp_path):
    plan = read_plan(workbook_bytes, name="allocation.xlsx")
    assert plan.attrs["kind"] == "allocation workbook"
    assert plan["name"].tolist() == allocation.table["name"].tolist()
    assert plan["network"].tolist() == allocation.table["network"].tolist()
    assert plan["spend"].tolist() == allocation.table["spend"].round(2).tolist()
    # the analyst edits two spends and saves
    wb = load_workbook(io.BytesIO(workbook_bytes))
    wb["Allocation"]["D2"] = 12345.67
    wb["Allocation"]["D3"] = None
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    edited = read_plan(path)
    assert edited["spend"].iloc[0] == 12345.67 and edited["spend"].iloc[1] == 0.0
    assert edited["spend"].iloc[2:].tolist() == allocation.table["spend"].round(2).iloc[2:].tolist()


# any printable text; control characters, lone surrogates and U+FFFE/U+FFFF cannot be stored
# in an xlsx at all (see test_characters_xml_cannot_hold_are_dropped)
_name_chars = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
_tricky = ["Total", "Grand total", "Instagram total", "=1+1", "+1", "-1", "@x", '=HYPERLINK("x")', "123",
           "1.50", "$5", "TRUE", "#N/A", "Name", "Optimal spend"]
_names = st.lists(
    st.one_of(st.sampled_from(_tricky), st.text(_name_chars, min_size=1, max_size=24).map(str.strip).filter(bool)),
    min_size=1, max_size=8, unique=True,
)
_cents = st.integers(min_value=0, max_value=2_000_000_000)  # up to $20M, whole cents


def _stand_in(names, networks, spends) -> Allocation:
    spend = np.array(spends, dtype=float)
    table = pd.DataFrame({
        "name": names, "network": networks, "spend": spend, "response": spend * 1.5,
        "roas": np.where(spend > 0, 1.5, np.nan), "marginal_return": 1.2, "current_spend": np.nan,
        "current_response": np.nan, "change": np.nan, "min_spend": 0.0, "max_spend": np.inf,
        "unit_cost": np.nan, "units": np.nan, "binding": "", "observed_max": np.nan, "extrapolated": False,
    })
    net = table.groupby("network", sort=False)[["spend", "response"]].sum().reset_index()
    total = float(spend.sum())
    return Allocation(rows=PlanRows.from_frames(table, net), budget=total, objective="revenue", margin=1.0,
                      total_spend=total, total_response=total * 1.5, total_current_spend=np.nan,
                      total_current_response=np.nan, upper_bound=total * 1.5, gap=0.0, budget_value=1.2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), names=_names)
def test_round_trip_to_the_cent_with_any_names(data, names):
    cents = data.draw(st.lists(_cents, min_size=len(names), max_size=len(names)))
    networks = data.draw(st.lists(st.sampled_from(["Instagram", "TikTok", "=1+1", "Insta*", "X"]),
                                  min_size=len(names), max_size=len(names)))
    spends = [c / 100 for c in cents]
    a = _stand_in(names, networks, spends)
    curves = pd.DataFrame({"name": names, "network": networks, "curve": "linear", "beta": 1.5,
                           "max_spend": [s + 1 for s in spends]})
    plan = read_plan(allocation_workbook(a, curves), name="plan.xlsx")
    assert plan["name"].tolist() == names
    assert plan["network"].tolist() == networks
    assert plan["spend"].tolist() == spends  # identical floats: to the cent
    back = read_plan(allocation_csv(a), name="plan.csv")
    assert back["name"].tolist() == names and back["spend"].tolist() == spends


def test_empty_frontier_and_no_current_spend_still_make_a_workbook():
    c = curve_table().drop(columns=["current_spend", "observed_max", "beta_p10", "beta_p90"])
    a = optimize(c, 10000)
    wb = load_workbook(io.BytesIO(allocation_workbook(a, c)))
    assert "Frontier" not in wb.sheetnames
    assert "By creator" in wb.sheetnames
    s = {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}
    assert s["Current spend"] == "not given"
    assert "P10" not in " ".join(s)
    assert "not checked" in s["Beyond observed spend"]
    # without observed_max on the Curves sheet, Beyond observed spend is the planner's text, and says so
    ws = wb["Allocation"]
    assert "does not follow edits" in ws["J1"].comment.text
    assert all(ws[f"J{r}"].data_type != "f" and str(ws[f"H{r}"].value).startswith("=")
               for r in range(2, len(a.table) + 2))
    assert "Binding and Beyond observed spend are the planner's" in s["Note"]


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    names = ["a\ufffeb", "c\x01d", "e\U0001F600f", "Total"]
    a = _stand_in(names, ["X"] * 4, [1.0, 2.5, 3.25, 4.0])
    curves = pd.DataFrame({"name": names, "network": "X", "curve": "linear", "beta": 1.5, "max_spend": 9.0})
    plan = read_plan(allocation_workbook(a, curves), name="plan.xlsx")
    assert plan["name"].tolist() == ["ab", "cd", "e\U0001F600f", "Total"]
    assert plan["spend"].tolist() == [1.0, 2.5, 3.25, 4.0]


def test_a_plan_without_creators_has_no_creator_sheet():
    c = curve_table()
    c = c[~c["name"].str.contains("/")].reset_index(drop=True)
    wb = load_workbook(io.BytesIO(allocation_workbook(optimize(c, 30000), c)))
    assert wb.sheetnames == ["Summary", "Allocation", "By network", "Curves"]
    s = {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}
    assert "By creator" not in s["Sheets"]




def test_the_summary_says_which_curves_the_data_barely_support(curves, allocation, workbook_bytes):
    summary = {r[0]: r[1] for r in sheet_rows(load_workbook(io.BytesIO(workbook_bytes))["Summary"]) if r[0]}
    assert "Data support" not in summary  # a table without fit columns is taken as it is
    weak = curves.assign(source=np.where(curves["name"].str.contains("/"), "creator campaigns", "marketing-mix"),
                         prior_weight=np.where(curves["name"] == "TikTok", 0.7, 0.1))
    book = allocation_workbook(optimize(weak, 60000), weak)
    summary = {r[0]: r[1] for r in sheet_rows(load_workbook(io.BytesIO(book))["Summary"]) if r[0]}
    assert summary["Data support"] == (
        "Optimal for these curves only: the data barely support 1 of them. TikTok: an effect the weekly data hardly "
        "tell apart from baseline sales. Their bands are widened to what the data know. A lift test of TikTok (an "
        "experiment given to the fit) would tell its effect apart from baseline sales.")
