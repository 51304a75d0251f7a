"""The exported workbook recalculated by LibreOffice: every live formula gives the planner's numbers,
follows an analyst's edit, and sums odd network names exactly."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.curves.forms import marginal, response
from planner.data.plans import read_plan
from planner.optimize import Allocation, frontier, optimize
from planner.report.workbook import allocation_workbook
from tests.report.libreoffice import needs_soffice, recalc
from tests.report.workbook_cases import blank, curve_table, sheet_rows


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


@needs_soffice
def test_libreoffice_recalculates_the_planners_numbers(workbook_bytes, allocation, curves, tmp_path):
    src = tmp_path / "allocation.xlsx"
    src.write_bytes(workbook_bytes)
    wb = load_workbook(recalc(src, tmp_path), data_only=True)
    t = allocation.table
    n = len(t)
    ws = wb["Allocation"]
    # the next dollar at the written spend (cents), by the planner's own marginal; beyond the data by its rule
    next_dollar = marginal(curves, t["spend"].round(2))
    for r, row in enumerate(t.itertuples(index=False), start=2):
        cur = 0.0 if not math.isfinite(row.current_spend) else round(row.current_spend, 2)
        assert ws[f"E{r}"].value == pytest.approx(round(row.spend, 2) - cur, abs=1e-6)
        if row.spend > 0:
            assert ws[f"G{r}"].value == pytest.approx(row.response / round(row.spend, 2), rel=1e-9)
        else:
            assert blank(ws[f"G{r}"].value)
        assert ws[f"H{r}"].value == pytest.approx(next_dollar[r - 2], rel=1e-9)
        assert ws[f"H{r}"].value == pytest.approx(row.marginal_return, rel=1e-6)
        assert (ws[f"J{r}"].value == "Yes") == bool(row.extrapolated)
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
        assert got[7] == pytest.approx(ws[f"H{t.index[t['name'] == row.name][0] + 2}"].value, rel=1e-12)
        assert (got[8] == "Yes") == bool(row.extrapolated)
    assert bc["Total (creators)"][3] == pytest.approx(t_creators["spend"].round(2).sum(), abs=0.005)
    assert bc["Total (creators)"][5] == pytest.approx(t_creators["response"].sum(), rel=1e-9)
    # the next dollar per network: the best row of that network that can still take more
    for net in allocation.network_table["network"]:
        rows = (t["network"] == net) & ~t["binding"].isin(["max", "locked"])
        want = next_dollar[rows.to_numpy()].max() if rows.any() else None
        assert (bn[net][7] == pytest.approx(want, rel=1e-9)) if want is not None else blank(bn[net][7])

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
    for r, (nm, net) in enumerate(zip(a.table["name"], a.table["network"], strict=True), start=2):
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


@needs_soffice
def test_an_edited_spend_moves_every_total_in_libreoffice(workbook_bytes, allocation, curves, tmp_path):
    """The analyst types a new spend for a creator on the Allocation sheet (and a wider observed range on the
    Curves sheet): the change, the revenue, ROAS, the next dollar, the beyond-data flag, the creator and network
    views and the Summary follow."""
    t = allocation.table
    i = next(k for k, n in enumerate(t["name"]) if "/" in n)
    row = 2 + i
    name, net = t["name"].iloc[i], t["network"].iloc[i]
    new = round(float(t["spend"].iloc[i]) + 1234.56, 2)
    wb = load_workbook(io.BytesIO(workbook_bytes))
    wb["Allocation"][f"D{row}"] = new
    # and the analyst says the data has seen spends up to $10,000 on this creator
    curves_ws = wb["Curves"]
    curves_ws.cell(row, [c.value for c in curves_ws[1]].index("observed_max") + 1).value = 10000.0
    src = tmp_path / "edited.xlsx"
    wb.save(src)
    got = load_workbook(recalc(src, tmp_path), data_only=True)
    total_spend = float(t["spend"].round(2).sum()) - round(float(t["spend"].iloc[i]), 2) + new
    cur = t["current_spend"].iloc[i]
    cur = round(float(cur), 2) if math.isfinite(cur) else 0.0
    assert got["Allocation"][f"E{row}"].value == pytest.approx(new - cur)
    new_rev = float(response(curves.iloc[[i]], new)[0])
    rev_total = allocation.total_response - float(t["response"].iloc[i]) + new_rev
    assert got["Allocation"][f"F{row}"].value == pytest.approx(new_rev, abs=0.005)
    assert got["Allocation"][f"G{row}"].value == pytest.approx(new_rev / new)
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
    assert s["Expected revenue"] == pytest.approx(rev_total, abs=0.005)
    assert s["ROAS"] == pytest.approx(rev_total / total_spend)
    assert creator[name][5] == pytest.approx(new_rev, abs=0.005)
    assert network["Total"][4] == pytest.approx(rev_total, abs=0.005)
    # the next dollar and the beyond-data flag at the new spend, on the Allocation and By creator sheets
    new_next = float(marginal(curves.iloc[[i]], new)[0])
    assert bool(t["extrapolated"].iloc[i]) and new < 10000.0  # beyond the data as planned; not on the new range
    assert got["Allocation"][f"H{row}"].value == pytest.approx(new_next, rel=1e-9)
    assert new_next < float(t["marginal_return"].iloc[i]) * 0.9
    assert blank(got["Allocation"][f"J{row}"].value) and blank(creator[name][8])
    assert creator[name][7] == pytest.approx(new_next, rel=1e-9)
    # and the network's next dollar: the best of its open rows, the edited one at its new return
    spends = t["spend"].round(2).to_numpy().copy()
    spends[i] = new
    open_ = ((t["network"] == net) & ~t["binding"].isin(["max", "locked"])).to_numpy()
    assert network[net][7] == pytest.approx(marginal(curves, spends)[open_].max(), rel=1e-9)
