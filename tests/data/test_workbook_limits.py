"""The limits of a workbook, merged cells, far dates and implausible numbers, one rule at a time."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from planner.data import limits
from planner.data.dataset import DataError
from planner.data.dates import parse_dates
from planner.data.far_dates import far_dates
from planner.data.ingest import load
from planner.data.numbers import parse_numbers
from planner.data.zip_limits import ref_cells
from tests.fixtures.hostile import HEADER, save_workbook, sheet_xml, spend_rows, write_xlsx


def _table() -> list[list]:
    return [HEADER, *[[r[0].strftime("%Y-%m-%d"), *r[1:]] for r in spend_rows(6)]]


def test_ranges_are_read_as_rows_and_columns():
    assert ref_cells("B2:D40") == (2, 1, 40, 3)
    assert ref_cells("A1") == (1, 0, 1, 0)
    assert ref_cells("XFD1048576") == (1048576, 16383, 1048576, 16383)
    assert ref_cells("A:C") == (1, 0, 1048576, 2)
    assert ref_cells("no range") is None


def test_cells_are_counted_while_a_sheet_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 50)
    path = write_xlsx(tmp_path / "wide.xlsx", [("Data", "visible", sheet_xml(_table()))])
    with pytest.raises(DataError, match='^The sheet "Data" of "wide.xlsx" has more than 50 cells'):
        load(path)


def test_a_sheet_that_says_it_has_too_many_rows(tmp_path):
    path = write_xlsx(tmp_path / "tall.xlsx", [("Data", "visible", sheet_xml(_table(), dimension="A1:D3000000"))])
    with pytest.raises(DataError) as err:
        load(path)
    assert str(err.value) == ('The sheet "Data" of "tall.xlsx" says it spans A1:D3000000, 3,000,000 rows, over the '
                              "limit of 2,000,000; if it holds fewer, delete the empty rows below the data in Excel "
                              "and save it again, or save it as CSV.")


def test_what_a_workbook_unpacks_to_in_all(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 2048)
    path = write_xlsx(tmp_path / "book.xlsx", [("Data", "visible", sheet_xml(_table()))])
    with pytest.raises(DataError, match=r'^The workbook "book.xlsx" unpacks to 0.0 MB, over the 0.0 MB limit; save '):
        load(path)


def test_a_small_part_packed_tightly_is_read(tmp_path):
    rows = _table() + [[f"2024-03-{d:02d}", "Instagram", 0, 0] for d in range(1, 29)] * 20
    path = write_xlsx(tmp_path / "zeros.xlsx", [("Data", "visible", sheet_xml(rows))])
    assert not load(path).has_errors  # packed tighter than 100 times, but far under 16 MB unpacked


def test_merged_ranges_are_read_past_every_chunk_of_the_sheet(tmp_path):
    rows = [HEADER] + [[r[0].strftime("%Y-%m-%d"), *r[1:], None if k % 2 else f"Q{k}"]  # 2,400 rows
                       for k, r in enumerate(spend_rows(60) * 10)]
    merges = "".join(f'<mergeCell ref="E{r}:E{r + 1}"/>' for r in range(2, 2401, 2)).encode()
    body = b"".join(sheet_xml(rows)).replace(b"</worksheet>", b"")
    mb = 1024 * 1024
    pad = (len(body) // mb + 1) * mb - len(merges) // 2 - len(body)  # the ranges straddle the reader's 1 MB chunks
    xml = body + b" " * pad + b"<mergeCells>" + merges + b"</mergeCells></worksheet>"
    ds = load(write_xlsx(tmp_path / "many.xlsx", [("Data", "visible", [xml])]))
    note = next(i for i in ds.issues if "merged cells" in i.message)
    assert note.message == ("1,200 merged cells in this column (E2:E3, E4:E5, E6:E7 and 1,197 more) were read as "
                            "their value on every row they cover (1,200 rows filled).")
    assert note.column == "Column E"


def test_a_merged_amount_is_counted_once(tmp_path):
    rows = [[*r] for r in spend_rows(8, ["Instagram"])]
    rows[1][2] = None
    path = save_workbook(tmp_path / "spend.xlsx", [("Data", [HEADER, *rows], "visible")], merges=[("Data", "C2:C3")])
    ds = load(path)
    assert ds.rows["spend"].sum() == pytest.approx(sum(r[2] for r in rows if r[2]))
    assert [(i.row, i.column, i.message) for i in ds.issues if "merged" in i.message] == [
        (2, "Spend", "A merged cell in this column (C2:C3) was read once, on its first row; the other rows it covers "
                     "were read as blank. If the amount is meant for every row, unmerge the cells and fill them in.")]


def test_a_merged_header_is_not_filled(tmp_path):
    rows = [["Spend report", None, None, None], HEADER, *spend_rows(8)]
    path = save_workbook(tmp_path / "title.xlsx", [("Data", rows, "visible")], merges=[("Data", "A1:D1"), ("Data", "A2:A2")])
    ds = load(path)
    assert not [i for i in ds.issues if "merged" in i.message] and len(ds.rows) == 32


def test_data_only_on_a_hidden_sheet_is_read_and_said(tmp_path):
    path = save_workbook(tmp_path / "hidden.xlsx", [("Notes", [["Read me"]], "visible"),
                                            ("Data", [HEADER, *spend_rows(8)], "hidden")])
    ds = load(path)
    assert ds.sheet == "Data" and len(ds.rows) == 32
    assert [i.message for i in ds.issues] == [
        'The table was read from the hidden sheet "Data" (Excel does not show it); the visible sheet "Notes" was '
        "not read. Check that this is the data you meant."]


def test_three_columns_of_one_name(tmp_path):
    rows = [[*r, r[2], r[2]] for r in spend_rows(8)]
    ds = load(save_workbook(tmp_path / "three.xlsx", [("Data", [[*HEADER, "Spend", "Spend"], *rows], "visible")]))
    assert [i.message for i in ds.issues] == [
        'Three columns are named "Spend": C, E and F; column C was used. To use column E instead, map "Spend (2)" '
        'to spend (--map "Spend (2)=spend").']


def test_dates_far_from_the_rest():
    weeks = np.array([np.datetime64("2024-01-01") + np.timedelta64(7 * i, "D") for i in range(30)], "datetime64[ns]")
    typo = np.concatenate([weeks, np.array(["2034-02-05", "NaT"], "datetime64[ns]")])
    assert far_dates(typo, np.ones(32, dtype=int)) == [
        (30, "2034-02-05 is 10 years after the other dates (2024-01-01 to 2024-07-22)")]
    halves = np.concatenate([weeks - np.timedelta64(3650, "D"), weeks])
    assert far_dates(halves, np.ones(60, dtype=int)) == []  # two periods of data: the gap is said elsewhere
    assert far_dates(weeks[:2], np.ones(2, dtype=int)) == []


def test_dates_outside_the_years_of_spend_are_problems_not_wrapped_around():
    col = parse_dates(["9999-12-31", dt.datetime(9999, 12, 31), dt.datetime(1899, 12, 30), "2262-05-01", "2024-01-01"])
    assert [str(v)[:10] for v in col.values] == ["NaT"] * 4 + ["2024-01-01"]
    assert [p.message for p in col.problems] == [
        '"9999-12-31" is not a plausible date: the year 9999 is after 2199',
        '"9999-12-31" is not a plausible date: the year 9999 is after 2199',
        '"1899-12-30" is not a plausible date: the year 1899 is before 1900',
        '"2262-05-01" is not a plausible date: the year 2262 is after 2199']


def test_numbers_beyond_any_plausible_amount_are_problems():
    col = parse_numbers(["1e308", 1e20, 10 ** 400, "1e309", "-2e16", 999_999_999_999_999.0, "12"])
    assert list(col.values[-2:]) == [999_999_999_999_999.0, 12.0] and np.isnan(col.values[:5]).all()
    assert [(p.index, p.message) for p in col.problems] == [
        (0, '"1e308" is beyond any plausible amount (the limit is 10^15)'),
        (1, '"1e+20" is beyond any plausible amount (the limit is 10^15)'),
        (2, '"1e+400" is beyond any plausible amount (the limit is 10^15)'),
        (3, '"1e309" is beyond any plausible amount (the limit is 10^15)'),
        (4, '"-2e16" is beyond any plausible amount (the limit is 10^15)')]
