"""The xlsx reader: calamine reads whole sheets as openpyxl would, and openpyxl still reads what calamine cannot."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import numpy as np
import openpyxl
import pytest
from openpyxl import Workbook

from planner.analysis.flight_plan_file import read_plan_over_time
from planner.cli.main import main as cli_main
from planner.data import plan_files, workbooks
from planner.data.plan_files import PlanFile, read_plan_file
from planner.data.plans import read_plan
from planner.data.workbooks import read_xlsx
from tests.fixtures.hostile import MAIN_NS, write_xlsx


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


def _with_cells(raw: bytes, cells: dict[str, str]) -> bytes:
    """The workbook with some cells of its first sheet's XML replaced (``{ref: the cell's XML}``)."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for ref, xml in cells.items():
                    data, n = re.subn(rf'<c r="{ref}"[^>]*(?:/>|>.*?</c>)'.encode(), xml.encode(), data, count=1)
                    assert n == 1, ref
            dst.writestr(item, data)
    return out.getvalue()


def test_error_cells_keep_their_text_without_openpyxl(monkeypatch):
    raw = _workbook(error_cell=True)  # openpyxl writes "#DIV/0!" as an error cell: <c r="C7" t="e">
    slow = read_xlsx(raw, "t.xlsx", max_rows=10**9)[0]
    # and an error computed by a formula, its text cached, as Excel saves a #N/A of a lookup
    assert isinstance(slow.row(int(np.flatnonzero(slow.rownums == 9)[0]))[2], int)
    raw = _with_cells(raw, {"C9": '<c r="C9" s="0" t="e"><f>VLOOKUP(A9,Z:Z,1,0)</f><v>#N/A</v></c>'})
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: (_ for _ in ()).throw(AssertionError("openpyxl")))
    data = read_xlsx(raw, "t.xlsx")[0]
    assert data.row(int(np.flatnonzero(data.rownums == 7)[0]))[2] == "#DIV/0!"
    assert data.row(int(np.flatnonzero(data.rownums == 9)[0]))[2] == "#N/A"
    # every other cell as openpyxl reads it
    keep = data.rownums != 9
    np.testing.assert_array_equal(data.rownums[keep], slow.rownums[slow.rownums != 9])


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


@pytest.mark.parametrize("chunk", [None, 997])
def test_error_cells_are_found_across_a_long_sheet(chunk, monkeypatch, tmp_path):
    """The sheet's XML is searched in chunks (4 MB; 997 bytes, so that cells straddle their ends): all are found."""
    if chunk is not None:
        monkeypatch.setattr(workbooks, "_CHUNK", chunk)
    rows, errors = 200_000, set(range(5, 200_000, 9_973))
    xml = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()]
    xml += [(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>row {i}</t></is></c>'
             + (f'<c r="B{i}" t="e"><v>#N/A</v></c>' if i in errors else f'<c r="B{i}"><v>{i}.5</v></c>')
             + "</row>").encode() for i in range(1, rows + 1)]
    xml.append(b"</sheetData></worksheet>")
    assert sum(map(len, xml)) > 3 * (1 << 22)  # several chunks
    path = write_xlsx(tmp_path / "long.xlsx", [("Long", "visible", xml)])
    sheet = read_xlsx(path.read_bytes(), "long.xlsx")[0]
    values = sheet.cols[1]
    assert len(sheet) == rows
    assert {int(r) for r, v in zip(sheet.rownums, values, strict=True) if v == "#N/A"} == errors
    assert values[1] == 2.5 and values[rows - 1] == rows + 0.5
