"""The xlsx reader: calamine reads whole sheets as openpyxl would, and openpyxl still reads what calamine cannot."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pytest
from openpyxl import Workbook

from planner.analysis.flight_plan_file import read_plan_over_time
from planner.cli.main import main as cli_main
from planner.data import plan_files
from planner.data.dataset import DataError
from planner.data.plan_files import PlanFile, read_plan_file
from planner.data.plans import read_plan
from planner.data.workbooks import read_xlsx


def _workbook(error_cell: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Week", "Network", "Spend", "Flag", "Note"])
    rng = np.random.default_rng(0)
    for i in range(200):
        row = [dt.datetime(2025, 1, 6) + dt.timedelta(weeks=i), ["Instagram", "TikTok", None, "  X "][i % 4],
               float(rng.integers(0, 5000)) / (1 if i % 3 else 7), bool(i % 2), None if i % 5 else f"n{i}"]
        if i % 17 == 0:
            row = [None] * 5  # a blank row
        if i % 23 == 0:
            row[2] = None
        ws.append(row)
    ws["H3"] = dt.date(2024, 2, 2)
    ws["G250"] = "tail"
    ws["C210"] = 1e300
    ws["D211"] = dt.time(9, 15)
    ws["E212"] = 123456789012
    ws.merge_cells("B2:B5")
    hidden = wb.create_sheet("Hidden")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    very = wb.create_sheet("Very")
    very["B2"] = 5
    very.sheet_state = "veryHidden"
    wb.create_sheet("Empty")
    if error_cell:
        ws["C7"] = "#DIV/0!"  # openpyxl writes it as an error cell
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cells(sheet) -> list:
    return [[(type(v), v) for v in col] for col in sheet.cols]


def test_calamine_reads_every_sheet_as_openpyxl_does():
    raw = _workbook()
    fast = read_xlsx(raw, "t.xlsx")  # the whole sheets: calamine
    slow = read_xlsx(raw, "t.xlsx", max_rows=10**9)  # openpyxl, which stops after max_rows
    assert [s.name for s in fast] == ["Data", "Hidden", "Very", "Empty"]
    for f, s in zip(fast, slow, strict=True):
        assert (f.name, f.hidden, f.very_hidden, f.merges) == (s.name, s.hidden, s.very_hidden, s.merges)
        np.testing.assert_array_equal(f.rownums, s.rownums)
        assert _cells(f) == _cells(s)  # the same values of the same types: int, float, datetime, text, None
    data = fast[0]
    assert data.merges == ((2, 1, 5, 1),) and data.width == 8 and len(data) == 193
    assert data.row(0) == ["Week", "Network", "Spend", "Flag", "Note"]
    assert data.row(1)[7] == dt.datetime(2024, 2, 2) and int(data.rownums[1]) == 3  # row 2 is blank
    assert data.row(7)[1] == "X" and int(data.rownums[7]) == 9  # text trimmed
    assert data.row(len(data) - 1)[6] == "tail" and data.row(len(data) - 2)[4] == 123456789012
    assert [(s.hidden, s.very_hidden) for s in fast[1:3]] == [(True, False), (True, True)]


def test_calamine_reads_without_openpyxl(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)
    assert len(read_xlsx(_workbook(), "t.xlsx")[0]) == 193


def test_a_sheet_with_an_error_cell_is_read_by_openpyxl_which_keeps_the_error(monkeypatch):
    raw = _workbook(error_cell=True)
    data = read_xlsx(raw, "t.xlsx")[0]
    assert data.row(int(np.flatnonzero(data.rownums == 7)[0]))[2] == "#DIV/0!"  # calamine would read a blank
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: (_ for _ in ()).throw(ValueError("no")))
    with pytest.raises(DataError, match="damaged"):
        read_xlsx(raw, "t.xlsx")


def test_a_plan_file_read_once_serves_both_readers(tmp_path, monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    ws.append(["Network", "Creator", "Proposed spend (USD)"])
    for net, creator, x in (("Instagram", None, 31000), ("Instagram", "@a", 250), ("TikTok", "@b", 400.5)):
        ws.append([net, creator, x])
    path = tmp_path / "plan.xlsx"
    wb.save(path)
    read = read_plan_file(path)
    assert isinstance(read, PlanFile) and read.label == "plan.xlsx" and read_plan_file(read) is read
    assert read_plan(read).equals(read_plan(path))
    assert read_plan_over_time(read) is None  # one period

    calls = []
    real = plan_files.sheets_from_bytes
    monkeypatch.setattr(plan_files, "sheets_from_bytes", lambda *a, **k: calls.append(1) or real(*a, **k))
    curves = tmp_path / "curves.csv"
    curves.write_text("name,network,curve,beta,k,s,min_spend,max_spend,unit_cost,current_spend\n"
                      "Instagram,Instagram,hill,100000,30000,1,0,,,30000\n"
                      "Instagram/@a,Instagram,hill,5000,300,1,0,,,200\n"
                      "TikTok/@b,TikTok,hill,4000,300,1,0,,,300\n")
    assert cli_main(["evaluate", "--curves", str(curves), "--plan", str(path), "--json"]) == 0
    assert len(calls) == 1  # `evaluate` looks for a plan over time, then a one-period plan: one read
