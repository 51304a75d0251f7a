"""The Excel and CSV export of an allocation: structure, live formulas recalculated by
LibreOffice, user text that stays text, and a round trip to the cent through read_plan."""

from __future__ import annotations

import csv
import io
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from planner.curves.table import read_curves, validate_curves
from planner.data.plans import read_plan
from planner.optimize.solver import Allocation, frontier, optimize
from planner.report.workbook import allocation_csv, allocation_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (soffice missing), so the workbook's formulas cannot be "
    "recalculated: apt-get install -y --no-install-recommends libreoffice-calc-nogui",
)

INJECTIONS = ['=HYPERLINK("http://x","click")', "+1", "-2+3", "@SUM(A1:A2)", "=1+1", "\t=cmd"]


def curve_table(names=None, networks=None) -> pd.DataFrame:
    """A small curve table: paid media and creators, with current spend, observed range, P10/P90."""
    rows = [
        ("Instagram", "Instagram", "hill", 60000.0, 20000.0, 1.6, 0.0, np.nan, np.nan, 25000.0, 30000.0),
        ("Instagram/@maya.bakes", "Instagram", "log", 9000.0, 1500.0, np.nan, 0.0, 12000.0, np.nan, 2000.0, 4000.0),
        ("TikTok", "TikTok", "logistic", 40000.0, 9000.0, np.nan, 1000.0, np.nan, np.nan, 8000.0, 12000.0),
        ("TikTok/@lena.bakes", "TikTok", "hill", 15000.0, 2500.0, 1.2, 0.0, 9000.0, 500.0, 1500.0, 1000.0),
        ("YouTube", "YouTube", "linear", 1.8, np.nan, np.nan, 0.0, 5000.0, np.nan, np.nan, 5000.0),
        ("Pinterest", "Pinterest", "log", 12000.0, 4000.0, np.nan, 0.0, np.nan, np.nan, 4000.0, 3000.0),
    ]
    df = pd.DataFrame(rows, columns=["name", "network", "curve", "beta", "k", "s", "min_spend", "max_spend",
                                     "unit_cost", "current_spend", "observed_max"])
    df["beta_p10"] = df["beta"] * 0.8
    df["beta_p90"] = df["beta"] * 1.25
    if names is not None:
        df["name"] = names
    if networks is not None:
        df["network"] = networks
    return validate_curves(df)


def recalc(xlsx: Path, workdir: Path) -> Path:
    """Recalculate every formula with LibreOffice; return the converted file."""
    out = workdir / "recalculated"
    out.mkdir(exist_ok=True)
    profile = workdir / "lo-profile"  # own profile: parallel soffice runs do not collide
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--calc",
         "--convert-to", "xlsx", "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )
    result = out / xlsx.name
    assert result.exists(), "LibreOffice wrote no file"
    return result


def sheet_rows(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def blank(v) -> bool:
    return v is None or v == ""


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
    assert header == ["Name", "Network", "Current spend", "Optimal spend", "Change", "Expected revenue",
                      "ROAS", "Marginal ROAS", "Binding", "Beyond observed spend"]
    n = len(allocation.table)
    assert list(ws.tables) == ["AllocationTable"]
    assert ws.tables["AllocationTable"].ref == f"A1:J{n + 1}"
    assert ws.freeze_panes == "B2"
    assert ws.column_dimensions["A"].width >= 16
    for r in range(2, n + 2):
        assert ws[f"E{r}"].value == f"=D{r}-C{r}"
        assert ws[f"G{r}"].value == f'=IF(D{r}>0,F{r}/D{r},"")'
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
    for r, (nm, net) in enumerate(zip(a.table["name"], a.table["network"]), start=2):
        assert ws[f"A{r}"].value == nm and ws[f"A{r}"].data_type == "s"
        assert ws[f"B{r}"].value == net and ws[f"B{r}"].data_type == "s"
    for ws in wb.worksheets:  # no formula anywhere holds a user's text
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert not any(x in str(cell.value) for x in INJECTIONS + ["evil"]), cell.value
    rows = list(csv.reader(io.StringIO(allocation_csv(a).decode("utf-8"))))[1:]
    for row, nm, net in zip(rows, a.table["name"], a.table["network"]):
        assert row[0] == ("'" + nm if nm[0] in "=+-@\t" else nm)
        assert row[1] == "'" + net  # every network here starts with = + - @


# ----------------------------------------------------------------------------- LibreOffice
@needs_soffice
def test_libreoffice_recalculates_the_planners_numbers(workbook_bytes, allocation, tmp_path):
    src = tmp_path / "allocation.xlsx"
    src.write_bytes(workbook_bytes)
    wb = load_workbook(recalc(src, tmp_path), data_only=True)
    t = allocation.table
    n = len(t)
    ws = wb["Allocation"]
    for r, row in enumerate(t.itertuples(index=False), start=2):
        cur = 0.0 if not math.isfinite(row.current_spend) else round(row.current_spend, 2)
        assert ws[f"E{r}"].value == pytest.approx(round(row.spend, 2) - cur, abs=1e-6)
        if row.spend > 0:
            assert ws[f"G{r}"].value == pytest.approx(row.response / round(row.spend, 2), rel=1e-9)
        else:
            assert blank(ws[f"G{r}"].value)
    total = n + 2
    assert ws[f"C{total}"].value == pytest.approx(np.nansum(t["current_spend"].round(2)), abs=1e-6)
    assert ws[f"D{total}"].value == pytest.approx(allocation.total_spend, abs=0.005)
    assert ws[f"F{total}"].value == pytest.approx(allocation.total_response, rel=1e-9)
    assert ws[f"G{total}"].value == pytest.approx(allocation.total_response / allocation.total_spend, rel=1e-9)

    bn = {r[0]: r for r in sheet_rows(wb["By network"]) if r[0] and r[0] != "Network"}
    for net in allocation.network_table.itertuples(index=False):
        row = bn[net.network]
        assert row[1] == pytest.approx(np.nansum(t.loc[t["network"] == net.network, "current_spend"].round(2)))
        assert row[2] == pytest.approx(net.spend, abs=0.005)
        assert row[4] == pytest.approx(net.response, rel=1e-9)
        assert row[6] == pytest.approx(net.spend / allocation.total_spend, rel=1e-9)
    assert bn["Total"][2] == pytest.approx(allocation.total_spend, abs=0.005)
    assert bn["Total"][6] == pytest.approx(1.0)
    assert bn["Check: equals the Allocation total"][2] == "OK"

    # By creator: the creators only, every figure following the Allocation sheet
    t_creators = t[t["name"].str.contains("/")]
    bc = {r[0]: r for r in sheet_rows(wb["By creator"]) if r[0] and r[0] != "Creator"}
    assert set(bc) == set(t_creators["name"]) | {"Total (creators)"}
    for row in t_creators.itertuples(index=False):
        got = bc[row.name]
        cur = round(row.current_spend, 2) if math.isfinite(row.current_spend) else None
        assert got[1] == row.network
        assert (got[2] == pytest.approx(cur)) if cur is not None else blank(got[2])
        assert got[3] == pytest.approx(round(row.spend, 2), abs=1e-9)
        assert got[4] == pytest.approx(round(row.spend, 2) - (cur or 0.0), abs=1e-6)
        assert got[5] == pytest.approx(row.response, rel=1e-12)
        assert (got[6] == pytest.approx(row.response / round(row.spend, 2))) if row.spend > 0 else blank(got[6])
        assert got[7] == pytest.approx(row.marginal_return, rel=1e-12)
        assert (got[8] == "Yes") == bool(row.extrapolated)
    assert bc["Total (creators)"][3] == pytest.approx(t_creators["spend"].round(2).sum(), abs=0.005)
    assert bc["Total (creators)"][5] == pytest.approx(t_creators["response"].sum(), rel=1e-9)
    # the next dollar per network: the best row of that network that can still take more
    for net in allocation.network_table["network"]:
        rows = t[(t["network"] == net) & ~t["binding"].isin(["max", "locked"])]
        want = rows["marginal_return"].max() if len(rows) else None
        assert (bn[net][7] == pytest.approx(want)) if want is not None else blank(bn[net][7])

    s = {r[0]: r[1] for r in sheet_rows(wb["Summary"]) if r[0]}
    assert s["Total spend"] == pytest.approx(allocation.total_spend, abs=0.005)
    assert s["Expected revenue"] == pytest.approx(allocation.total_response, rel=1e-9)
    assert s["ROAS"] == pytest.approx(allocation.total_response / allocation.total_spend, rel=1e-9)
    assert s["Unspent budget"] == pytest.approx(allocation.budget - allocation.total_spend, abs=0.005)
    assert s["Expected revenue, P10 (pessimistic)"] == pytest.approx(allocation.response_p10)
    assert s["Expected revenue, P50 (median)"] == pytest.approx(allocation.response_p50)
    assert s["Expected revenue, P10 (pessimistic)"] < s["Expected revenue, P50 (median)"] < \
        s["Expected revenue, P90 (optimistic)"]
    assert s["Change in expected revenue"] == pytest.approx(
        allocation.total_response - allocation.total_current_response, rel=1e-9)


@needs_soffice
def test_libreoffice_keeps_injection_text_and_sums_odd_networks_exactly(tmp_path):
    # SUMIF would read "Insta*" as a wildcard and ignore case; the export must not
    names = ['=HYPERLINK("x")', "+1", "Insta*/@a", "insta*/@b", "@SUM(A1)", "=1+1"]
    networks = ["Insta*", "=1+1", "Insta*", "insta*", ">5", "TikTok"]
    c = curve_table(names=names, networks=networks)
    a = optimize(c, 40000)
    src = tmp_path / "odd.xlsx"
    src.write_bytes(allocation_workbook(a, c))
    wb = load_workbook(recalc(src, tmp_path), data_only=True)
    ws = wb["Allocation"]
    for r, (nm, net) in enumerate(zip(a.table["name"], a.table["network"]), start=2):
        assert ws[f"A{r}"].value == nm and ws[f"B{r}"].value == net
    bn = {r[0]: r for r in sheet_rows(wb["By network"]) if r[0] and r[0] != "Network"}
    by_net = a.table.groupby("network")["spend"].sum()
    for net, spend in by_net.items():
        assert bn[net][2] == pytest.approx(spend, abs=0.005), net
    assert bn["Check: equals the Allocation total"][2] == "OK"
    # the analyst opens the file in LibreOffice, saves it: it still reads back as the same plan
    plan = read_plan(tmp_path / "recalculated" / "odd.xlsx")
    assert plan["name"].tolist() == a.table["name"].tolist()
    assert plan["spend"].tolist() == a.table["spend"].round(2).tolist()


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
    return Allocation(table=table, network_table=net, budget=total, objective="revenue", margin=1.0,
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


@needs_soffice
def test_an_edited_spend_moves_every_total_in_libreoffice(workbook_bytes, allocation, tmp_path):
    """The analyst types a new spend for a creator on the Allocation sheet: the change, ROAS, the
    creator and network views and the Summary follow."""
    t = allocation.table
    i = next(k for k, n in enumerate(t["name"]) if "/" in n)
    row = 2 + i
    name, net = t["name"].iloc[i], t["network"].iloc[i]
    new = round(float(t["spend"].iloc[i]) + 1234.56, 2)
    wb = load_workbook(io.BytesIO(workbook_bytes))
    wb["Allocation"][f"D{row}"] = new
    src = tmp_path / "edited.xlsx"
    wb.save(src)
    got = load_workbook(recalc(src, tmp_path), data_only=True)
    total_spend = float(t["spend"].round(2).sum()) - round(float(t["spend"].iloc[i]), 2) + new
    cur = t["current_spend"].iloc[i]
    cur = round(float(cur), 2) if math.isfinite(cur) else 0.0
    assert got["Allocation"][f"E{row}"].value == pytest.approx(new - cur)
    assert got["Allocation"][f"G{row}"].value == pytest.approx(t["response"].iloc[i] / new)
    creator = {r[0]: r for r in sheet_rows(got["By creator"]) if r[0]}
    assert creator[name][3] == pytest.approx(new) and creator[name][4] == pytest.approx(new - cur)
    creators = t[t["name"].str.contains("/")]
    assert creator["Total (creators)"][3] == pytest.approx(
        float(creators["spend"].round(2).sum()) - round(float(t["spend"].iloc[i]), 2) + new)
    network = {r[0]: r for r in sheet_rows(got["By network"]) if r[0]}
    want_net = float(t.loc[t["network"] == net, "spend"].round(2).sum()) - round(float(t["spend"].iloc[i]), 2) + new
    assert network[net][2] == pytest.approx(want_net)
    assert network["Total"][2] == pytest.approx(total_spend)
    assert network["Check: equals the Allocation total"][2] == "OK"
    s = {r[0]: r[1] for r in sheet_rows(got["Summary"]) if r[0]}
    assert s["Total spend"] == pytest.approx(total_spend)
    assert s["Unspent budget"] == pytest.approx(allocation.budget - total_spend)
    assert s["ROAS"] == pytest.approx(allocation.total_response / total_spend)
