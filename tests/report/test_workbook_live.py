"""A workbook finance can model in: every formula saved with the planner's value, and, recalculated by
LibreOffice after an analyst's edits of spends and curves, the same figures the planner evaluates."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from planner.analysis.evaluate import evaluate_plan
from planner.base.currency import using
from planner.base.format import INFINITY
from planner.curves.files import read_curves
from planner.curves.forms import marginal
from planner.curves.table import validate_curves
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


def _formula_text(value) -> str:
    return value.text if isinstance(value, ArrayFormula) else value


def _formulas(data: bytes) -> list[tuple[str, str, str]]:
    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, c.coordinate, _formula_text(c.value)) for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"]


def _summary(wb) -> dict:
    return {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}


# ----------------------------------------------------------------------------- saved values
def test_every_formula_is_saved_with_the_planners_figure(workbook_bytes, allocation, curves):
    formulas = _formulas(workbook_bytes)
    assert len(formulas) > 100
    wb = load_workbook(io.BytesIO(workbook_bytes), data_only=True)
    for sheet, ref, formula in formulas:
        value = wb[sheet][ref].value
        if formula.startswith("=IF(ISNUMBER(C") and wb[sheet][f"C{ref[1:]}"].value is None:
            assert value is None  # no current spend on this row: an empty result
            continue
        if '"Yes"' in formula:  # beyond the data: Yes or an empty result
            assert value in ("Yes", None), (sheet, ref, formula)
        elif INFINITY in formula:  # the next dollar: a number, ∞, or empty for a network with no row open
            assert isinstance(value, (int, float)) or value == INFINITY or (sheet == "By network" and value is None)
        else:
            assert isinstance(value, str) if '"OK"' in formula else isinstance(value, (int, float)), (sheet, ref)
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
    assert all(str(s[f"Expected revenue, {p}"]).startswith("=IF(AND(Allocation!") for p in
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
    assert "other curves" in ws["F2"].comment.text and "Marginal ROAS" in ws["F2"].comment.text
    # that row's next dollar and flag are the planner's too; the other rows stay live
    assert ws["H2"].value == pytest.approx(float(allocation.table["marginal_return"].iloc[0]))
    assert ws["J2"].data_type == "s"
    assert str(ws["F3"].value).startswith("=") and str(ws["H3"].value).startswith("=")
    assert str(ws["J3"].value).startswith("=IF(ISNUMBER(Curves!")
    s = _summary(wb)
    assert "2 rows" in s["Note"] and "Instagram, Pinterest" in s["Note"]
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
    # the range keeps the planner's allowance for the optimizer's curse (a fixed cell): the mean is the revenue less it
    kept = (ev.total_response - allocation.selection_allowance) / ev.total_response
    assert allocation.selection_allowance > 0
    assert s["Expected revenue, P10 (pessimistic)"] == pytest.approx(ev.response_p10 * kept, abs=0.005)
    assert s["Expected revenue, P90 (optimistic)"] == pytest.approx(ev.response_p90 * kept, abs=0.005)
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


# ----------------------------------------------------------------------------- the next dollar and beyond the data
# every curve form, hill on both sides of s = 1 and at s = 1; @maya.bakes is held at $0, where her hill curve
# (s < 1) rises vertically: the planner's next dollar there is infinite
SLOPE_ROWS = [  # name, network, curve, beta, k, s, max_spend, current_spend, observed_max
    ("Instagram", "Instagram", "hill", 60000.0, 20000.0, 1.6, np.nan, 25000.0, 30000.0),
    ("Instagram/@maya.bakes", "Instagram", "hill", 9000.0, 1500.0, 0.7, 0.0, 2000.0, 4000.0),
    ("Instagram/@noa.cooks", "Instagram", "hill", 7000.0, 1200.0, 0.6, np.nan, 800.0, 2000.0),
    ("TikTok", "TikTok", "logistic", 40000.0, 9000.0, np.nan, np.nan, 8000.0, 12000.0),
    ("TikTok/@lena.bakes", "TikTok", "hill", 15000.0, 2500.0, 2.2, np.nan, 1500.0, 1000.0),
    ("TikTok/@ari.eats", "TikTok", "hill", 5000.0, 3000.0, 1.0, np.nan, 1000.0, np.nan),
    ("YouTube", "YouTube", "linear", 1.8, np.nan, np.nan, 5000.0, np.nan, 5000.0),
    ("Pinterest", "Pinterest", "log", 12000.0, 4000.0, np.nan, np.nan, 4000.0, 3000.0),
    ("Snapchat", "Snapchat", "logistic", 4000.0, 100.0, np.nan, np.nan, 500.0, np.nan),
]
# name -> (new spend, {curve column: new value}): x > 0 and x <= 0 for each hill shape, a negative spend, a
# logistic far past its COSH clip, parameters and observed_max moved, and a spend within the planner's margin
SLOPE_EDITS = {
    "Instagram": (25000.0, {"s": 1.9}),
    "Instagram/@maya.bakes": (-50.0, {"s": 0.8}),
    "Instagram/@noa.cooks": (1234.56, {"k": 900.0, "observed_max": 1000.0}),
    "TikTok": (18000.5, {"k": 7000.0}),
    "TikTok/@lena.bakes": (0.0, {"beta": 16000.0}),
    "TikTok/@ari.eats": (0.0, {"beta": 6000.0, "k": 2500.0}),
    "YouTube": (3000.0, {"beta": 2.1}),
    "Pinterest": (3000.15, {}),  # above observed_max 3000 but within its 0.01 % margin: not beyond
    "Snapchat": (100000.0, {"observed_max": 90000.0}),
}
HELD = ("at maximum", "fixed (min = max)")


@pytest.fixture(scope="module")
def slope_curves() -> pd.DataFrame:
    df = pd.DataFrame(SLOPE_ROWS, columns=["name", "network", "curve", "beta", "k", "s", "max_spend",
                                           "current_spend", "observed_max"])
    df["min_spend"] = 0.0
    return validate_curves(df)


@pytest.fixture(scope="module")
def slope_plan(slope_curves) -> Allocation:
    return optimize(slope_curves, 60000)


@pytest.fixture(scope="module")
def slope_bytes(slope_plan, slope_curves) -> bytes:
    return allocation_workbook(slope_plan, slope_curves)


def _assert_next_dollar(got, want: float, where) -> None:
    if np.isinf(want):
        assert got == INFINITY, where
    else:
        assert isinstance(got, (int, float)) and got == pytest.approx(want, rel=1e-9, abs=1e-300), (where, got, want)


def _beyond(curves: pd.DataFrame, spend: np.ndarray) -> np.ndarray:
    obs = curves["observed_max"].to_numpy(dtype=float)
    return np.isfinite(obs) & (spend > obs * 1.0001 + 0.005)


def _assert_views(wb, curves: pd.DataFrame, spend: np.ndarray) -> None:
    """Allocation's Marginal ROAS and Beyond, By creator's copies and By network's next dollar, at ``spend``."""
    ws = wb["Allocation"]
    want, over = marginal(curves, spend), _beyond(curves, spend)
    names = list(curves["name"])
    for i, name in enumerate(names):
        _assert_next_dollar(ws[f"H{i + 2}"].value, want[i], name)
        assert ws[f"J{i + 2}"].value == ("Yes" if over[i] else None), name
    creators = {r[0]: r for r in sheet_rows(wb["By creator"]) if r[0] and "/" in r[0]}
    for name, row in creators.items():
        _assert_next_dollar(row[7], want[names.index(name)], name)
        assert row[8] == ("Yes" if over[names.index(name)] else None), name
    bn = {r[0]: r for r in sheet_rows(wb["By network"]) if r[0]}
    for net, group in curves.groupby("network"):
        open_ = [i for i in group.index if ws[f"I{i + 2}"].value not in HELD]
        if open_:
            _assert_next_dollar(bn[net][7], max(want[open_]), net)
        else:
            assert bn[net][7] is None, net


def test_next_dollar_and_beyond_data_are_formulas_saved_with_the_planners_values(slope_bytes, slope_plan,
                                                                                 slope_curves):
    t = slope_plan.table
    assert t["binding"].tolist()[1] == "locked" and t["spend"].iloc[1] == 0 and np.isinf(t["marginal_return"][1])
    wb = load_workbook(io.BytesIO(slope_bytes))
    ws = wb["Allocation"]
    obs = get_column_letter([c.value for c in wb["Curves"][1]].index("observed_max") + 1)
    for r, form in enumerate(slope_curves["curve"], start=2):
        h, j = ws[f"H{r}"].value, ws[f"J{r}"].value
        assert h.startswith("=") and "Curves!$D$" in h and (form == "linear" or f"D{r}" in h), h
        assert j == f'=IF(ISNUMBER(Curves!${obs}${r}),IF(D{r}>Curves!${obs}${r}*1.0001+0.005,"Yes",""),"")'
    notes = {c.value: c.comment.text for c in ws[1] if c.comment}
    assert "follows edits" in notes["Marginal ROAS"] and "follows edits" in notes["Beyond observed spend"]
    assert "does not follow" in notes["Binding"]
    assert "A formula" in wb["By network"]["H1"].comment.text
    assert isinstance(wb["By network"]["H2"].value, ArrayFormula)
    note = _summary(wb)["Note"]
    assert "Marginal ROAS (the return of the next dollar) and Beyond observed spend follow too" in note
    # saved: the planner's own marginal at the written spend, and its beyond-the-data rule
    saved = load_workbook(io.BytesIO(slope_bytes), data_only=True)
    spend = t["spend"].round(2).to_numpy()
    _assert_views(saved, slope_curves, spend)
    assert [saved["Allocation"][f"J{r}"].value == "Yes" for r in range(2, len(t) + 2)] == t["extrapolated"].tolist()
    bn = {r[0]: r[7] for r in sheet_rows(saved["By network"]) if r[0]}
    assert bn["Instagram"] != INFINITY and bn["YouTube"] is None  # held rows do not count


@needs_soffice
def test_next_dollar_and_beyond_data_follow_edited_spends_and_curves(slope_bytes, slope_plan, slope_curves,
                                                                     tmp_path):
    wb = load_workbook(io.BytesIO(slope_bytes))
    alloc, curves_ws = wb["Allocation"], wb["Curves"]
    header = [c.value for c in curves_ws[1]]
    names = list(slope_plan.table["name"])
    edited = slope_curves.copy()
    spend = slope_plan.table["spend"].round(2).to_numpy().copy()
    for name, (new, params) in SLOPE_EDITS.items():
        i = names.index(name)
        alloc[f"D{i + 2}"] = new
        spend[i] = new
        for col, value in params.items():
            curves_ws.cell(i + 2, header.index(col) + 1).value = value
            edited.loc[i, col] = value
    assert set(SLOPE_EDITS) == set(names)
    src = tmp_path / "slopes.xlsx"
    wb.save(src)
    got = load_workbook(recalc(src, tmp_path), data_only=True)
    want = marginal(edited, spend)
    assert np.isinf(want[1]) and want[4] == 0 and want[5] == pytest.approx(6000 / 2500) and 0 < want[8] < 1e-290
    assert _beyond(edited, spend).tolist() == [False, False, True, True, False, False, False, False, True]
    _assert_views(got, edited, spend)
