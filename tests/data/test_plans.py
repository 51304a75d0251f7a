"""Reading the plans people send back: finance's workbook, any sheet or CSV with a name and
a spend column, our own export, numbers as people type them, errors that say where."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from planner.data.plans import PlanError, read_plan

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PLAN = ROOT / "sample_data" / "finance_plan.xlsx"


def xlsx(rows, sheet="Plan", path: Path | None = None, merge: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(list(r))
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    if path is not None:
        path.write_bytes(buf.getvalue())
    return buf.getvalue()


def as_records(df: pd.DataFrame) -> list[tuple]:
    return list(df[["name", "network", "spend"]].itertuples(index=False, name=None))


# ----------------------------------------------------------------------------- finance plans
def test_sample_finance_plan_reads_every_row():
    if not SAMPLE_PLAN.exists():
        pytest.skip("sample_data/finance_plan.xlsx has not been generated yet (the equivalent file is tested below)")
    plan = read_plan(SAMPLE_PLAN)
    raw = pd.read_excel(SAMPLE_PLAN, sheet_name="Plan", engine="openpyxl")
    raw = raw[raw["Network"].notna()]
    expected = [
        (net if pd.isna(cr) or str(cr).strip() == "" else f"{net}/{str(cr).strip()}", net, round(float(sp), 2))
        for net, cr, sp in raw[["Network", "Creator", "Proposed spend (USD)"]].itertuples(index=False, name=None)
    ]
    assert plan.attrs["kind"] == "finance plan" and plan.attrs["sheet"] == "Plan"
    assert as_records(plan) == expected
    assert plan["spend"].sum() == pytest.approx(raw["Proposed spend (USD)"].sum())
    assert plan["name"].is_unique
    assert {"Instagram", "TikTok"} <= set(plan["name"])  # paid media rows keep the network's name
    assert all("/@" in n for n in plan["name"] if "/" in n)


def test_finance_plan_as_people_type_it(tmp_path):
    rows = [
        ("Q1 2026 marketing proposal", None, None),
        (None, None, None),
        ("Network", "Creator", "Proposed spend (USD)"),
        ("Instagram", None, 31000),
        ("Instagram", "@maya.bakes", "$1,234.50"),
        ("Instagram", " @zoë.runs ", "2,000"),
        (None, None, None),
        ("TikTok", "", " $ 12,500.00 "),
        ("TikTok", "@lena.bakes", None),  # blank = 0
        ("TikTok", "@renée.camps", "50k"),
        ("YouTube", None, "-"),
        ("Total", None, "=SUM(C4:C13)"),
    ]
    path = tmp_path / "finance_plan.xlsx"
    xlsx(rows, path=path)
    plan = read_plan(path)
    assert as_records(plan) == [
        ("Instagram", "Instagram", 31000.0),
        ("Instagram/@maya.bakes", "Instagram", 1234.5),
        ("Instagram/@zoë.runs", "Instagram", 2000.0),
        ("TikTok", "TikTok", 12500.0),
        ("TikTok/@lena.bakes", "TikTok", 0.0),
        ("TikTok/@renée.camps", "TikTok", 50000.0),
        ("YouTube", "YouTube", 0.0),
    ]
    assert any("row 12" in n and "totals row" in n for n in plan.attrs["notes"])


def test_merged_network_cells_name_every_creator(tmp_path):
    rows = [("Network", "Creator", "Proposed spend"), ("TikTok", None, 1000), (None, "@a", 200), (None, "@b", 300)]
    plan = read_plan(xlsx(rows, merge="A2:A4"), name="plan.xlsx")
    assert as_records(plan) == [("TikTok", "TikTok", 1000.0), ("TikTok/@a", "TikTok", 200.0),
                                ("TikTok/@b", "TikTok", 300.0)]


def test_creator_without_network_keeps_the_handle_for_matching():
    rows = [("Network", "Creator", "Proposed spend"), ("TikTok", None, 1000), (None, "@a", 200)]
    plan = read_plan(xlsx(rows), name="plan.xlsx")
    assert as_records(plan) == [("TikTok", "TikTok", 1000.0), ("@a", "", 200.0)]


def test_same_entity_twice_is_added_and_said():
    rows = [("Network", "Creator", "Budget"), ("TikTok", None, 1000), ("TikTok", None, 250.25)]
    plan = read_plan(xlsx(rows), name="plan.xlsx")
    assert as_records(plan) == [("TikTok", "TikTok", 1250.25)]
    assert any("rows 2, 3" in n for n in plan.attrs["notes"])


# ----------------------------------------------------------------------------- any table
def test_month_columns_are_summed_and_said():
    text = "Channel,Jan,Feb,Mar,Total\nInstagram,\"$1,000\",\"$2,000.50\",,\"3,000.50\"\nTikTok,10,20,30,60\n"
    plan = read_plan(text.encode(), name="budget.csv")
    assert as_records(plan) == [("Instagram", "Instagram", 3000.5), ("TikTok", "TikTok", 60.0)]
    assert any("sum of the columns 'Jan', 'Feb', 'Mar'" in n for n in plan.attrs["notes"])
    assert any("'Total'" in n and "not added" in n for n in plan.attrs["notes"])


def test_quarter_columns_in_a_sheet_with_any_name():
    rows = [("Entity", "Q1 2026 budget", "Q2 2026 budget", "Owner"),
            ("Instagram/@maya.bakes", 100, 200, "Ann"), ("YouTube", 5, 5, "Bo")]
    plan = read_plan(xlsx(rows, sheet="Budget 2026"), name="b.xlsx")
    assert plan.attrs["sheet"] == "Budget 2026" and plan.attrs["kind"] == "table"
    assert as_records(plan) == [("Instagram/@maya.bakes", "Instagram", 300.0), ("YouTube", "YouTube", 10.0)]


def test_proposed_spend_wins_over_current_spend():
    rows = [("Name", "Current spend", "Proposed spend"), ("Instagram", 50, 70)]
    plan = read_plan(xlsx(rows, sheet="Sheet1"), name="b.xlsx")
    assert as_records(plan) == [("Instagram", "Instagram", 70.0)]


def test_two_equally_likely_spend_columns_are_an_error_not_a_guess():
    rows = [("Name", "Budget A", "Budget B"), ("Instagram", 50, 70)]
    with pytest.raises(PlanError, match=r"sheet 'Sheet1', row 1: several columns .*'Budget A', 'Budget B'"):
        read_plan(xlsx(rows, sheet="Sheet1"), name="b.xlsx")


def test_allocation_csv_from_optimize_out(tmp_path):
    text = ("name,network,spend,response,current_spend\n"
            "Instagram,Instagram,1234.56,5000.1,1000\n"
            "'=HYPERLINK(\"x\"),TikTok,0.01,0.2,\n"
            "Total,Total,5,1,\n")  # our CSV has no totals row: this is an entity
    path = tmp_path / "allocation.csv"
    path.write_text(text, encoding="utf-8")
    plan = read_plan(path)
    assert plan.attrs["kind"] == "allocation csv"
    assert as_records(plan) == [("Instagram", "Instagram", 1234.56), ('=HYPERLINK("x")', "TikTok", 0.01),
                                ("Total", "Total", 5.0)]


def test_european_numbers_and_semicolons():
    text = "Network;Budget\nInstagram;1.234,50 €\nTikTok;12,5\nX;2.000\n"
    plan = read_plan(text.encode("utf-8"), name="plan.csv")
    assert as_records(plan) == [("Instagram", "Instagram", 1234.5), ("TikTok", "TikTok", 12.5), ("X", "X", 2000.0)]


def test_file_objects_and_dataframes():
    rows = [("Network", "Spend"), ("Instagram", 5)]
    assert as_records(read_plan(io.BytesIO(xlsx(rows)), name="p.xlsx")) == [("Instagram", "Instagram", 5.0)]
    df = pd.DataFrame({"name": ["TikTok/@a"], "spend": ["$7.25"]})
    assert as_records(read_plan(df)) == [("TikTok/@a", "TikTok", 7.25)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**11), min_size=1, max_size=6),
       st.sampled_from(["${:,.2f}", "{:,.2f}", "USD {:,.2f}", "{:.2f}", "$ {:,.2f} "]))
def test_typed_amounts_read_to_the_cent(cents, pattern):
    rows = [("Network", "Proposed spend")] + [(f"N{i}", pattern.format(c / 100)) for i, c in enumerate(cents)]
    plan = read_plan(xlsx(rows), name="p.xlsx")
    assert plan["spend"].tolist() == [c / 100 for c in cents]


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize("value, why", [
    ("abc", "not an amount"), ("-500", "cannot be negative"), ("(1,000)", "cannot be negative"),
    ("12%", "percentage"), (dt.datetime(2026, 1, 5), "not an amount"), (True, "not an amount"),
])
def test_bad_amounts_name_sheet_row_and_column(value, why):
    rows = [("Plan for Q1", None, None), ("Network", "Creator", "Proposed spend (USD)"),
            ("Instagram", None, 100), ("TikTok", "@a", value)]
    with pytest.raises(PlanError) as err:
        read_plan(xlsx(rows), name="finance.xlsx")
    msg = str(err.value)
    assert "finance.xlsx, sheet 'Plan', row 4, column 'Proposed spend (USD)'" in msg
    assert why in msg
    assert msg.count(".") >= 1 and "\n" not in msg


def test_spend_without_a_name_in_the_middle_is_an_error():
    rows = [("Network", "Spend"), ("Instagram", 1), (None, 50), ("TikTok", 2)]
    with pytest.raises(PlanError, match=r"sheet 'Plan', row 3, column 'Network' is empty"):
        read_plan(xlsx(rows), name="p.xlsx")


def test_unnamed_sum_at_the_bottom_is_a_totals_row():
    rows = [("Network", "Spend"), ("Instagram", 1), ("TikTok", 2), (None, 3)]
    plan = read_plan(xlsx(rows), name="p.xlsx")
    assert as_records(plan) == [("Instagram", "Instagram", 1.0), ("TikTok", "TikTok", 2.0)]
    assert any("row 4" in n for n in plan.attrs["notes"])


def test_formula_without_a_saved_result_is_an_error_not_zero():
    rows = [("Network", "Spend"), ("Instagram", "=1000*2")]
    with pytest.raises(PlanError, match=r"row 2, column 'Spend' holds the formula =1000\*2 with no saved result"):
        read_plan(xlsx(rows), name="p.xlsx")


def test_no_usable_header_and_missing_files():
    with pytest.raises(PlanError, match="no sheet"):
        read_plan(xlsx([("Foo", "Bar"), (1, 2)]), name="p.xlsx")
    with pytest.raises(PlanError, match="no header row"):
        read_plan(b"a,b\n1,2\n", name="p.csv")
    with pytest.raises(PlanError, match="does not exist"):
        read_plan("/nonexistent/plan.xlsx")
    with pytest.raises(PlanError, match="damaged and cannot be opened"):
        read_plan(b"PK\x03\x04 not really a zip", name="p.xlsx")
    with pytest.raises(PlanError, match="has no sheet 'Nope'"):
        read_plan(xlsx([("Network", "Spend")]), name="p.xlsx", sheet="Nope")


# ----------------------------------------------------------------------------- files that are not plans
PANDAS_WORDS = ("No columns to parse", "Error tokenizing", "codec can't", "Traceback", "Expected ", "line 1")


def _refused(data: bytes, name: str, *wanted: str) -> str:
    with pytest.raises(PlanError) as err:
        read_plan(data, name=name)
    msg = str(err.value)
    assert name in msg and "\n" not in msg, msg
    assert not any(w in msg for w in PANDAS_WORDS), msg
    for w in wanted:
        assert w in msg, msg
    return msg


@pytest.mark.parametrize("data", [b"", b"   \r\n\t", b"\xef\xbb\xbf", b"\xff\xfe"], ids=["empty", "blank", "bom", "utf16-bom"])
def test_an_empty_file_is_a_sentence_that_says_what_a_plan_is(data):
    _refused(data, "finance plan.csv", "A plan is a sheet or CSV file", "spend")


def test_a_workbook_without_a_plan_names_its_sheets():
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Quarterly review", "Owner"])
    wb.active.append(["Looks fine", "Ann"])
    wb.create_sheet("Chart data").append([1, 2, 3])
    buf = io.BytesIO()
    wb.save(buf)
    _refused(buf.getvalue(), "random.xlsx", "'Notes'", "'Chart data'", "name, network or creator column",
             "spend, budget or amount column")


def test_a_csv_with_nul_bytes_is_a_sentence():
    _refused(b"Network,Spend\nInstagram,100\x00\x00\nTikTok,5\x00\n", "plan.csv", "plan.csv")


@pytest.mark.parametrize("sep", [",", "\t"], ids=["comma", "tab"])
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_a_utf16_plan_is_read(sep, bom):
    text = sep.join(["Network", "Creator", "Proposed spend"]) + "\r\n" + "\r\n".join(
        sep.join(r) for r in [("TikTok", "@léa.bakes", "1200.50"), ("Instagram", "", "800"), ("YouTube", "@ümit", "75")])
    data = text.encode("utf-16" if bom else "utf-16-le")
    plan = read_plan(data, name="plan utf16.csv")
    assert as_records(plan) == [("TikTok/@léa.bakes", "TikTok", 1200.5), ("Instagram", "Instagram", 800.0),
                                ("YouTube/@ümit", "YouTube", 75.0)]
    assert plan.attrs["kind"] == "finance plan"


def test_a_plan_on_a_hidden_sheet_is_read_and_said_and_a_visible_one_wins():
    wb = Workbook()
    wb.active.title = "Cover"
    wb.active.append(["Plan for Q3, see the other sheet"])
    hidden = wb.create_sheet("Numbers")
    for r in [("Network", "Spend"), ("Instagram", 10), ("TikTok", 20)]:
        hidden.append(r)
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    plan = read_plan(buf.getvalue(), name="q3.xlsx")
    assert as_records(plan) == [("Instagram", "Instagram", 10.0), ("TikTok", "TikTok", 20.0)]
    assert plan.attrs["sheet"] == "Numbers"
    assert any("sheet 'Numbers' is hidden" in n for n in plan.attrs["notes"])
    visible = wb.create_sheet("Visible plan")
    for r in [("Network", "Spend"), ("X", 5)]:
        visible.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    assert as_records(read_plan(buf.getvalue(), name="q3.xlsx")) == [("X", "X", 5.0)]


def test_merged_network_cells_are_said():
    rows = [("Network", "Creator", "Proposed spend"), ("TikTok", None, 1000), (None, "@a", 200), (None, "@b", 300)]
    notes = read_plan(xlsx(rows, merge="A2:A4"), name="plan.xlsx").attrs["notes"]
    assert any("merged cells A2:A4 of column 'Network'" in n and "2 rows" in n for n in notes), notes


def test_long_lists_in_notes_are_cut_and_counted():
    lines = ["Network,Creator,Spend"] + [f"TikTok,@c{i % 20},1" for i in range(200)] + ["Total,,200"] * 3
    plan = read_plan("\n".join(lines).encode(), name="p.csv")
    assert len(plan) == 20 and plan["spend"].sum() == 200
    notes = plan.attrs["notes"]
    assert sum("appears on rows" in n for n in notes) == 8 and any("12 more names" in n for n in notes)
    assert all(len(n) < 400 for n in notes), max(notes, key=len)
    assert any("were read as totals rows" in n for n in notes)


def test_a_big_plan_reads_as_the_rows_add_up(tmp_path):
    """Many rows (made here, never committed): every row counted, names and networks as row by row."""
    import numpy as np

    rng = np.random.default_rng(7)
    n = 60_000
    nets = rng.choice(["Instagram", "TikTok", "YouTube"], n)
    handles = np.where(rng.random(n) < 0.3, "", np.char.add("@c", rng.integers(0, 500, n).astype(str)))
    cents = rng.integers(0, 10**7, n)
    path = tmp_path / "big plan.csv"
    pd.DataFrame({"Network": nets, "Creator": handles, "Proposed spend": [f"${c / 100:,.2f}" for c in cents]}) \
        .to_csv(path, index=False)
    plan = read_plan(path)
    names = np.where(handles == "", nets, np.char.add(np.char.add(nets, "/"), handles))
    expected = pd.Series(cents / 100).groupby(names, sort=False).sum().round(2)
    got = plan.set_index("name")["spend"]
    assert list(got.index) == list(expected.index)
    assert np.allclose(got.to_numpy(), expected.to_numpy(), atol=0.005)
    assert (plan["network"] == plan["name"].str.split("/").str[0]).all()


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#REF!", " #n/a "])
def test_an_excel_error_in_a_spend_cell_is_said_not_counted_as_nothing(error):
    """A failed lookup is not a blank: counted as $0 it would change the plan's total without a word."""
    rows = [("Network", "Creator", "Proposed spend (USD)"), ("Instagram", None, 31000),
            ("Instagram", "@a", error), ("TikTok", "@b", 100)]
    with pytest.raises(PlanError, match=r"^plan\.xlsx, sheet 'Plan', row 3, column 'Proposed spend \(USD\)' holds '"
                                        + re.escape(error.strip()) + r"', an Excel error \(a formula that failed\), "
                                        r"not an amount of money"):
        read_plan(xlsx(rows), name="plan.xlsx")
    csv = "\n".join(",".join("" if v is None else str(v) for v in r) for r in rows).encode()
    with pytest.raises(PlanError, match=r"row 3, column 'Proposed spend \(USD\)' holds .*an Excel error"):
        read_plan(csv, name="plan.csv")


def test_a_plan_in_thousands_of_dollars_is_read_in_dollars():
    data = xlsx([("Network", "Creator", "Proposed spend ($000)"), ("Instagram", None, 31), ("TikTok", "@bo", 2.5)])
    plan = read_plan(data, name="plan_k.xlsx")
    assert as_records(plan) == [("Instagram", "Instagram", 31_000.0), ("TikTok/@bo", "TikTok", 2_500.0)]
    assert plan.attrs["notes"] == ["plan_k.xlsx, sheet 'Plan', column 'Proposed spend ($000)': its header says its "
                                   "figures are in thousands, so they were read as such."]
    millions = read_plan(xlsx([("Network", "Budget (USD m)"), ("Instagram", 1.2)]), name="m.xlsx")
    assert millions["spend"].tolist() == [1_200_000.0]


def test_a_title_saying_the_plan_is_in_thousands_scales_it_and_a_plain_title_does_not():
    rows = [("Budget plan H1 2026", None, None), ("All figures in $000", None, None), (None, None, None),
            ("Network", "Creator", "Proposed spend"), ("Instagram", None, 31), ("TikTok", "@bo", 2.5)]
    plan = read_plan(xlsx(rows), name="titled.xlsx")
    assert plan["spend"].tolist() == [31_000.0, 2_500.0]
    assert plan.attrs["notes"] == ["titled.xlsx, sheet 'Plan': the sheet says its figures are in thousands ('All "
                                   "figures in $000' (row 2)), so they were read as such."]
    plain = read_plan(xlsx([("Finance plan Q1 2026", None, None)] + rows[3:]), name="plain.xlsx")
    assert plain["spend"].tolist() == [31.0, 2.5] and plain.attrs["notes"] == []


def test_a_plan_over_time_under_a_thousands_title_says_it_once():
    from planner.analysis.flight_plan_file import read_plan_over_time

    rows = [("All figures in $000",), (), ("Network", "Creator", "Jan 2026", "Feb 2026", "Mar 2026"),
            ("Instagram", None, 10, 12, 11), ("TikTok", "@bo", 1, 1.5, 2)]
    plan = read_plan_over_time(xlsx(rows), name="pot.xlsx")
    assert plan.table["spend"].sum() == 37_500.0
    assert sum("in thousands" in n for n in plan.notes) == 1
