"""The finance workbook from the command line (`optimize --out plan.xlsx`): every sheet,
the frontier, where the plan came from; `evaluate` with its intervals and flags; and user
text that stays text in every xlsx and CSV the planner writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.base.safe_text import to_csv_bytes, write_xlsx_table
from planner.curves.files import read_curves, write_curves
from planner.data.plans import read_plan
from planner.optimize import frontier, optimize
from planner.report.workbook import allocation_csv, allocation_workbook
from tests.report.test_workbook import INJECTIONS
from tests.report.workbook_cases import curve_table


@pytest.fixture(scope="module")
def curves_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cliwb") / "curves.csv"
    write_curves(curve_table(), path)
    return path


def summary(wb) -> dict:
    return {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}


def test_optimize_out_xlsx_writes_every_sheet_with_the_frontier(cli, curves_csv, tmp_path):
    out = tmp_path / "plan.xlsx"
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--out", out)
    assert r.returncode == 0, r.stderr
    assert "with the best revenue at 20 budgets (sheet Frontier)" in r.stdout
    wb = load_workbook(out, data_only=True)  # formulas read as their saved values
    assert wb.sheetnames == ["Summary", "Allocation", "By network", "By creator", "Curves", "Frontier"]
    rows = list(wb["Frontier"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Budget", "Total spend", "Expected revenue")
    budgets = [r[0] for r in rows[1:]]
    assert len(budgets) == 20 and budgets[0] == 12000 and budgets[-1] == 120000
    revenue = [r[2] for r in rows[1:]]
    assert all(b >= a for a, b in zip(revenue, revenue[1:], strict=False))
    # the frontier's point at the plan's own budget is the plan's optimum
    want = frontier(read_curves(curves_csv), [60000.0])["response"].iloc[0]
    alloc = optimize(read_curves(curves_csv), 60000)
    assert want == pytest.approx(alloc.total_response, rel=1e-9)
    s = summary(wb)
    assert s["Data source"] == "curve table curves.csv"
    assert s["Model"].startswith(("6 response curves", "6 ")) or "hill" in s["Model"]
    assert isinstance(s["Date generated"], dt.datetime)
    assert abs(s["Date generated"] - dt.datetime.now()) < dt.timedelta(minutes=10)
    assert s["Budget"] == 60000
    assert s["Expected revenue, P10 (pessimistic)"] == pytest.approx(alloc.response_p10)
    assert s["Expected revenue, P90 (optimistic)"] == pytest.approx(alloc.response_p90)
    assert "By creator" in s["Sheets"] and "Frontier" in s["Sheets"]
    # and it reads back as the same plan, to the cent
    plan = read_plan(out)
    assert plan["spend"].tolist() == alloc.table["spend"].round(2).tolist()


def test_optimize_frontier_zero_and_csv_have_no_frontier(cli, curves_csv, tmp_path):
    out = tmp_path / "plan.xlsx"
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--out", out, "--frontier", "0")
    assert r.returncode == 0, r.stderr
    assert "Frontier" not in load_workbook(out).sheetnames
    nb = tmp_path / "nb.csv"
    nb.write_text("network,min_spend,max_spend\nInstagram,30000,\n")
    out2 = tmp_path / "bounded.xlsx"
    r = cli("optimize", "--curves", curves_csv, "--budget", "60000", "--network-bounds", nb, "--out", out2,
            "--frontier", "5")
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out2)
    budgets = [row[0] for row in wb["Frontier"].iter_rows(min_row=2, values_only=True)]
    assert budgets and min(budgets) >= 30000  # below the network minimum no plan exists
    assert summary(wb)["Network bounds"] == "nb.csv"


def test_evaluate_shows_intervals_against_the_optimum_and_flags(cli, curves_csv, tmp_path):
    plan = tmp_path / "plan.csv"
    # Instagram far beyond the 30,000 the data has seen
    plan.write_text("name,spend\nInstagram,45000\nTikTok,9000\nPinterest,3000\nYouTube,3000\n")
    r = cli("evaluate", "--curves", curves_csv, "--plan", plan)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Plan: spend $60,000, expected revenue $") and "80% interval" in lines[0]
    assert lines[1].startswith("Optimum for the same spend: $") and "80% interval" in lines[1]
    assert "extrapolation" in r.stdout and "Instagram" in r.stdout
    row = next(line for line in lines if line.strip().startswith("Instagram ") and "$45,000" in line)
    assert row.rstrip().endswith("yes")
    ev = json.loads(cli("evaluate", "--curves", curves_csv, "--plan", plan, "--json").stdout)
    assert ev["optimum_p10"] < ev["optimum_response"] < ev["optimum_p90"]
    assert ev["response_p10"] < ev["total_response"] < ev["response_p90"]
    assert ev["optimum_response"] >= ev["total_response"]
    insta = next(x for x in ev["rows"] if x["name"] == "Instagram")
    assert insta["extrapolated"] is True


def test_a_plan_split_by_month_or_quarter_is_summed(cli, curves_csv, tmp_path):
    path = tmp_path / "monthly.xlsx"
    df = pd.DataFrame({"Network": ["Instagram", "TikTok", "TikTok"], "Creator": ["", "", "@lena.bakes"],
                       "Jan": [10000.0, 2000.0, 500.0], "Feb": [10000.0, 2000.0, 500.0],
                       "Mar": [5000.5, 1000.0, 500.0]})
    write_xlsx_table({"Plan": df}, path)
    plan = read_plan(path)
    assert plan.set_index("name")["spend"].to_dict() == {"Instagram": 25000.5, "TikTok": 5000.0,
                                                          "TikTok/@lena.bakes": 1500.0}
    assert any("Jan" in n and "Mar" in n for n in plan.attrs["notes"])
    ev = json.loads(cli("evaluate", "--curves", curves_csv, "--plan", path, "--json").stdout)
    assert ev["total_spend"] == 31500.5


# ----------------------------------------------------------------------------- text stays text


def _formula_cells(path_or_bytes) -> list:
    src = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = load_workbook(src)
    return [(ws.title, c.coordinate, c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def _assert_text_kept(cells, names):
    for _sheet, _coord, formula in cells:
        assert not any(n in str(formula) for n in names), formula


def test_user_text_is_never_a_formula_in_any_file_the_planner_writes(tmp_path):
    names = ['=HYPERLINK("http://x","click")', "+1", "@SUM(A1:A2)", "=1+1", "-2+3", "TikTok/=cmd|' /C calc'!A0"]
    networks = ["=1+1", "+Net", "@Net", "=1+1", "-Net", "TikTok"]
    c = curve_table(names=names, networks=networks)
    a = optimize(c, 30000)
    fr = frontier(c, [10000, 30000])
    # the allocation workbook
    wb_bytes = allocation_workbook(a, c, fr, meta={"model": "=HYPERLINK(\"m\")"})
    _assert_text_kept(_formula_cells(wb_bytes), names + networks + ["HYPERLINK(\"m\")"])
    # the curve table as xlsx and csv, the frontier as xlsx, plain tables
    write_curves(c, tmp_path / "c.xlsx")
    write_curves(c, tmp_path / "c.csv")
    assert _formula_cells(tmp_path / "c.xlsx") == []
    assert read_curves(tmp_path / "c.xlsx")["name"].tolist() == names
    assert read_curves(tmp_path / "c.csv")["name"].tolist() == names
    assert _formula_cells(write_xlsx_table({"T": pd.DataFrame({"=x": names})})) == []
    # every CSV: no cell a spreadsheet would run
    for data in (allocation_csv(a), to_csv_bytes(pd.DataFrame({"name": names, "=header": networks})),
                 (tmp_path / "c.csv").read_bytes()):
        for row in csv.reader(io.StringIO(data.decode("utf-8"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")) or _is_number(cell), cell


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_cli_writers_keep_text(cli, tmp_path):
    names = [n.strip() for n in INJECTIONS]  # the curve table strips surrounding blanks ("\t=cmd")
    c = curve_table(names=names, networks=["=1+1", "+N", "@N", "=1+1", "-N", "@N"])
    src = tmp_path / "c.csv"
    write_curves(c, src)
    for out in ("a.xlsx", "a.csv"):
        r = cli("optimize", "--curves", src, "--budget", "30000", "--out", tmp_path / out, "--frontier", "2")
        assert r.returncode == 0, r.stderr
    _assert_text_kept(_formula_cells(tmp_path / "a.xlsx"), names)
    assert read_plan(tmp_path / "a.xlsx")["name"].tolist() == names
    assert read_plan(tmp_path / "a.csv")["name"].tolist() == names
    r = cli("frontier", "--curves", src, "--budgets", "10000:30000:2", "--out", tmp_path / "f.xlsx")
    assert r.returncode == 0, r.stderr
    assert _formula_cells(tmp_path / "f.xlsx") == []
    r = cli("evaluate", "--curves", src, "--plan", tmp_path / "a.xlsx", "--json")
    got = json.loads(r.stdout)
    assert [x["name"] for x in got["rows"]] == names
    assert np.isclose(got["total_spend"], optimize(read_curves(src), 30000).total_spend)
