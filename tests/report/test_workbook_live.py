"""A workbook finance can model in: every formula saved with the planner's value, and, recalculated by
LibreOffice after an analyst's edits of spends and curves, the same figures the planner evaluates."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.analysis.evaluate import evaluate_plan
from planner.base.currency import using
from planner.curves.files import read_curves
from planner.data.plans import read_plan
from planner.optimize import Allocation, frontier, optimize
from planner.report.workbook import allocation_workbook
from tests.report.libreoffice import needs_soffice, recalc
from tests.report.workbook_cases import curve_table, sheet_rows

EPD = [np.nan, 0.5, np.nan, 0.8, np.nan, np.nan]  # engagements per dollar: creators only


@pytest.fixture(scope="module")
def curves() -> pd.DataFrame:
    c = curve_table()
    c["engagement_per_dollar"] = EPD
    c["source"] = ["paid", "creators", "paid", "creators", "paid", "paid"]
    return c


@pytest.fixture(scope="module")
def allocation(curves) -> Allocation:
    return optimize(curves, 60000)


@pytest.fixture(scope="module")
def workbook_bytes(allocation, curves) -> bytes:
    return allocation_workbook(allocation, curves, frontier(curves, [30000, 60000]), meta={"model": "hill fit"})


def _formulas(data: bytes) -> list[tuple[str, str, str]]:
    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def _summary(wb) -> dict:
    return {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}


# ----------------------------------------------------------------------------- saved values
def test_every_formula_is_saved_with_the_planners_figure(workbook_bytes, allocation, curves):
    formulas = _formulas(workbook_bytes)
    assert len(formulas) > 100
    wb = load_workbook(io.BytesIO(workbook_bytes), data_only=True)
    for sheet, ref, formula in formulas:
        value = wb[sheet][ref].value
        text_result = '"Yes"' in formula or '"OK"' in formula
        if formula.startswith("=IF(ISNUMBER(C") and wb[sheet][f"C{ref[1:]}"].value is None:
            assert value is None  # no current spend on this row: an empty result
            continue
        assert isinstance(value, str) if text_result else isinstance(value, (int, float)), (sheet, ref, formula)
    t = allocation.table
    ws = wb["Allocation"]
    for r, row in enumerate(t.itertuples(index=False), start=2):
        assert ws[f"F{r}"].value == pytest.approx(row.response, abs=0.005)
        assert ws[f"G{r}"].value == pytest.approx(row.response / row.spend, rel=1e-9)
        assert ws[f"K{r}"].value == (pytest.approx(row.engagements) if np.isfinite(row.engagements) else None)
    total = len(t) + 2
    assert ws[f"F{total}"].value == pytest.approx(allocation.total_response, abs=0.005)
    assert ws[f"K{total}"].value == pytest.approx(allocation.engagements)
    bn = {r[0]: r for r in sheet_rows(wb["By network"]) if r[0]}
    for net in allocation.network_table.itertuples(index=False):
        assert bn[net.network][4] == pytest.approx(net.response, abs=0.005)
    s = _summary(wb)
    assert s["Expected revenue"] == pytest.approx(allocation.total_response, abs=0.005)
    assert s["ROAS"] == pytest.approx(allocation.total_response / allocation.total_spend, rel=1e-9)
    for label, want in (("P10 (pessimistic)", allocation.response_p10), ("P50 (median)", allocation.response_p50),
                        ("P90 (optimistic)", allocation.response_p90)):
        assert s[f"Expected revenue, {label}"] == pytest.approx(want, abs=0.005)
    assert s["Expected revenue at current spend"] == pytest.approx(allocation.total_current_response, abs=0.01)
    assert s["Change in expected revenue"] == pytest.approx(
        allocation.total_response - allocation.total_current_response, abs=0.01)
    # pandas reads the same numbers, none missing
    df = pd.read_excel(io.BytesIO(workbook_bytes), sheet_name="Allocation", engine="openpyxl", nrows=len(t))
    assert df[["Change", "Expected revenue", "ROAS"]].notna().all().all()
    assert np.allclose(df["Expected revenue"], t["response"], atol=0.005)


def test_revenue_and_range_are_formulas_of_the_curves_sheet(workbook_bytes, allocation):
    wb = load_workbook(io.BytesIO(workbook_bytes))
    ws = wb["Allocation"]
    functions = {"hill": "^", "logistic": "TANH(", "log": "LN(", "linear": "MAX("}
    curves_ws = wb["Curves"]
    rows = {curves_ws.cell(r, 1).value: r for r in range(2, curves_ws.max_row + 1)}
    form = {curves_ws.cell(r, 1).value: curves_ws.cell(r, 3).value for r in rows.values()}
    for r, name in enumerate(allocation.table["name"], start=2):
        f = ws[f"F{r}"].value
        assert f.startswith("=") and f"D{r}" in f and f"Curves!$D${rows[name]}" in f, f
        assert functions[form[name]] in f
    s = {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}
    assert all(str(s[f"Expected revenue, {p}"]).startswith("=IF(Allocation!") for p in
               ("P10 (pessimistic)", "P50 (median)", "P90 (optimistic)"))
    assert "the P10-P90 range too" in s["Note"] and "fixed" not in s["Note"]


def test_a_plan_made_on_other_curves_keeps_numbers_and_says_so(allocation, curves):
    other = curves.copy()
    other.loc[0, "beta"] *= 1.1  # the Instagram row's curve no longer gives the plan's revenue
    other = other.drop(index=5).reset_index(drop=True)  # and Pinterest's curve is missing
    wb = load_workbook(io.BytesIO(allocation_workbook(allocation, other)))
    ws = wb["Allocation"]
    names = list(allocation.table["name"])
    for name in ("Instagram", "Pinterest"):
        cell = ws[f"F{names.index(name) + 2}"]
        assert cell.value == pytest.approx(float(allocation.table.set_index("name").loc[name, "response"]))
        assert "not a formula" in cell.comment.text
    assert "not on the Curves sheet" in ws[f"F{names.index('Pinterest') + 2}"].comment.text
    assert "other curves" in ws["F2"].comment.text
    assert str(ws["F3"].value).startswith("=")  # the other rows stay live
    s = _summary(wb)
    assert "2 row(s)" in s["Note"] and "Instagram, Pinterest" in s["Note"]
    assert s["Expected revenue, P10 (pessimistic)"] == pytest.approx(allocation.response_p10)
    notes = {r[0]: r[2] for r in sheet_rows(wb["Summary"]) if r[0]}
    assert "rerun evaluate after editing" in notes["Expected revenue, P10 (pessimistic)"]


# ----------------------------------------------------------------------------- LibreOffice
@needs_soffice
def test_libreoffice_computes_the_saved_values(workbook_bytes, tmp_path):
    """What readers see without recalculating is what a spreadsheet computes."""
    src = tmp_path / "plan.xlsx"
    src.write_bytes(workbook_bytes)
    saved = load_workbook(src, data_only=True)
    calc = load_workbook(recalc(src, tmp_path), data_only=True)
    for sheet, ref, formula in _formulas(workbook_bytes):
        want, got = saved[sheet][ref].value, calc[sheet][ref].value
        if isinstance(want, (int, float)):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-6), (sheet, ref, formula)
        else:
            assert (got or "") == (want or ""), (sheet, ref, formula)


# each curve form: a new spend for its row and a changed parameter of its curve
EDITS = {"Instagram": ("hill", 25000.0, "s", 1.9), "TikTok": ("logistic", 18000.5, "k", 7000.0),
         "Pinterest": ("log", 2500.25, "k", 5000.0), "YouTube": ("linear", 3000.0, "beta", 2.1),
         "TikTok/@lena.bakes": ("hill", 0.0, "beta_p90", 30000.0)}


@needs_soffice
def test_edited_spends_and_curves_recalculate_as_the_planner_evaluates(workbook_bytes, allocation, tmp_path):
    wb = load_workbook(io.BytesIO(workbook_bytes))
    alloc, curves_ws = wb["Allocation"], wb["Curves"]
    header = [c.value for c in curves_ws[1]]
    names = list(allocation.table["name"])
    for name, (_form, spend, param, value) in EDITS.items():
        alloc[f"D{names.index(name) + 2}"] = spend
        curve_row = next(r for r in range(2, curves_ws.max_row + 1) if curves_ws.cell(r, 1).value == name)
        curves_ws.cell(curve_row, header.index(param) + 1).value = value
    src = tmp_path / "edited.xlsx"
    wb.save(src)
    done = recalc(src, tmp_path)
    # the planner reads the edited workbook back - its plan and its curves - and evaluates it
    ev = evaluate_plan(read_curves(done), read_plan(done))
    rows = ev.rows.set_index("name")
    got = load_workbook(done, data_only=True)
    ws = got["Allocation"]
    assert {rows.loc[n, "spend"] for n in EDITS} == {e[1] for e in EDITS.values()}
    for r, name in enumerate(names, start=2):
        want = float(rows.loc[name, "response"])
        assert ws[f"F{r}"].value == pytest.approx(want, abs=0.005), name
        spend = float(rows.loc[name, "spend"])
        if spend > 0:
            assert ws[f"G{r}"].value == pytest.approx(want / spend, rel=1e-9)
        assert ws[f"E{r}"].value == pytest.approx(spend - (ws[f"C{r}"].value or 0.0), abs=1e-6)
        epd = EPD[r - 2]
        assert ws[f"K{r}"].value == (pytest.approx(spend * epd) if np.isfinite(epd) else None)
    s = _summary(got)
    assert s["Total spend"] == pytest.approx(ev.total_spend, abs=0.005)
    assert s["Expected revenue"] == pytest.approx(ev.total_response, abs=0.005)
    assert s["ROAS"] == pytest.approx(ev.total_response / ev.total_spend, rel=1e-9)
    assert s["Expected revenue, P10 (pessimistic)"] == pytest.approx(ev.response_p10, abs=0.005)
    assert s["Expected revenue, P90 (optimistic)"] == pytest.approx(ev.response_p90, abs=0.005)
    assert s["Expected revenue, P10 (pessimistic)"] != pytest.approx(allocation.response_p10, abs=1.0)
    bn = {r[0]: r for r in sheet_rows(got["By network"]) if r[0]}
    for net, group in rows.groupby("network"):
        assert bn[net][2] == pytest.approx(group["spend"].sum(), abs=0.005)
        assert bn[net][4] == pytest.approx(group["response"].sum(), abs=0.005)
    bc = {r[0]: r for r in sheet_rows(got["By creator"]) if r[0]}
    assert bc["TikTok/@lena.bakes"][5] == 0 and bc["TikTok/@lena.bakes"][3] == 0
    # today's spend on the edited curves
    edited = read_curves(done)
    today = pd.DataFrame({"name": edited["name"], "spend": edited["current_spend"].fillna(0.0)})
    want_current = evaluate_plan(edited, today).total_response
    assert s["Expected revenue at current spend"] == pytest.approx(want_current, abs=0.005)
    assert s["Change in expected revenue"] == pytest.approx(ev.total_response - want_current, abs=0.01)


def test_money_is_shown_in_the_currency_chosen(allocation, curves):
    with using("EUR"):
        data = allocation_workbook(allocation, curves)
    wb = load_workbook(io.BytesIO(data))
    assert '"€"' in wb["Allocation"]["F2"].number_format and "$" not in wb["Allocation"]["F2"].number_format
    assert "EUR" in wb["Summary"]["A2"].value
    assert '"$"' in load_workbook(io.BytesIO(allocation_workbook(allocation, curves)))["Allocation"]["F2"].number_format
