"""The workbook's Funnel sheet: its figures are the Funnel's, its rates are live formulas of its counts (recalculated
by LibreOffice to the saved values, and following an edited count), creators' pooled figures are numbers, and the
sheet joins the allocation workbook when the data's funnel is given."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from planner.analysis.funnel import funnel
from planner.base.currency import EUR, using
from planner.data.ingest import load
from planner.data.plans import read_plan
from planner.optimize import optimize
from planner.report.funnel_text import missing_text, thin_creators_text
from planner.report.workbook import allocation_workbook, funnel_workbook
from tests.analysis.test_funnel import Data, rows
from tests.report.libreoffice import needs_soffice, recalc
from tests.report.workbook_cases import blank, curve_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"

# each header of the sheet and the Funnel column it shows (a creator's Conversion and Order value are pooled)
NETWORK_KEYS = {
    "Spend": "spend", "Revenue": "revenue", "Reach": "reach", "Engagements": "engagements", "Clicks": "clicks",
    "Orders": "orders", "Reach per $1,000": "reach_per_1000", "Engagements per $1,000": "engagements_per_1000",
    "Clicks per $1,000": "clicks_per_1000", "Orders per $1,000": "orders_per_1000", "Click-through": "click_through",
    "Conversion": "conversion", "Order value": "order_value", "Revenue per click": "revenue_per_click",
    "Return per $1": "roas",
}
CREATOR_KEYS = {**NETWORK_KEYS, "Return per $1": "roas_pooled", "Own conversion": "conversion_own",
                "Own order value": "order_value_own", "Own return per $1": "roas",
                "Pulled toward network": "conversion_pooled_weight"}
RATES = ("Reach per $1,000", "Engagements per $1,000", "Clicks per $1,000", "Orders per $1,000", "Click-through",
         "Revenue per click")


def tables(ws) -> dict[str, dict]:
    """Both funnel tables of the sheet: ``{"network"|"creator": {name: {header: cell}}}``, and the total row."""
    out, level, headers = {"network": {}, "creator": {}}, None, []
    for row in ws.iter_rows():
        first = row[0].value
        if first in ("Network", "Creator"):
            level, headers = first.lower(), [c.value for c in row]
        elif level and first is None:
            level = None
        elif level:
            out[level][first] = {h: c for h, c in zip(headers, row, strict=False) if h}
    return out


def is_formula(cell) -> bool:
    return isinstance(cell.value, str) and cell.value.startswith("=")


@pytest.fixture(scope="module")
def sample():
    return funnel([load(SAMPLE / "creator_campaigns.xlsx")])


@pytest.fixture(scope="module")
def sample_xlsx(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("funnelwb") / "funnel.xlsx"
    path.write_bytes(funnel_workbook(sample))
    return path


def test_the_sheet_shows_the_funnels_figures(sample, sample_xlsx):
    values = tables(load_workbook(sample_xlsx, data_only=True)["Funnel"])
    cells = tables(load_workbook(sample_xlsx)["Funnel"])
    nets = sample.networks.set_index("network")
    assert list(values["network"]) == [*nets.sort_values("spend", ascending=False).index, "All networks"]
    for name, row in nets.iterrows():
        got = values["network"][name]
        assert set(got) == {"Network", *NETWORK_KEYS}
        for header, key in NETWORK_KEYS.items():
            assert got[header].value == pytest.approx(row[key], rel=1e-12), (name, header)
            # counts are numbers, every rate a formula of them
            assert is_formula(cells["network"][name][header]) == (header in RATES or header in (
                "Conversion", "Order value", "Return per $1")), (name, header)
    total = values["network"]["All networks"]
    assert total["Orders"].value == nets["orders"].sum()
    assert total["Conversion"].value == pytest.approx(nets["orders"].sum() / nets["clicks"].sum(), rel=1e-12)
    assert total["Return per $1"].value == pytest.approx(nets["revenue"].sum() / nets["spend"].sum(), rel=1e-12)

    creators = sample.creators.set_index("name")
    assert set(values["creator"]) == set(creators.index)
    for name, row in creators.iterrows():
        got, cell = values["creator"][name], cells["creator"][name]
        assert got["Network"].value == row["network"]
        for header, key in CREATOR_KEYS.items():
            want = row[key]
            assert (got[header].value == pytest.approx(want, rel=1e-12)) if np.isfinite(want) else \
                blank(got[header].value), (name, header)
        # the pooled figures are numbers; the creator's own ratios and its return are formulas
        assert not is_formula(cell["Conversion"]) and not is_formula(cell["Order value"])
        assert is_formula(cell["Own conversion"]) and is_formula(cell["Own order value"])
        assert is_formula(cell["Return per $1"])

    ws = load_workbook(sample_xlsx)["Funnel"]
    text = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert thin_creators_text(sample) in text
    assert any("pooled toward its network's" in t and "numbers, not formulas" in t for t in text)
    pin = cells["network"]["Pinterest"]
    assert "$" in pin["Spend"].number_format and "$" in pin["Order value"].number_format
    assert pin["Conversion"].number_format == "0.00%" and pin["Clicks per $1,000"].number_format == "#,##0"
    assert pin["Orders"].number_format == "#,##0"


@needs_soffice
def test_libreoffice_recalculates_the_saved_values(sample_xlsx, tmp_path):
    saved = load_workbook(sample_xlsx, data_only=True)["Funnel"]
    formulas = load_workbook(sample_xlsx)["Funnel"]
    again = load_workbook(recalc(sample_xlsx, tmp_path), data_only=True)["Funnel"]
    checked = 0
    for row in formulas.iter_rows():
        for cell in row:
            if is_formula(cell):
                want = saved[cell.coordinate].value
                assert isinstance(want, float | int), cell.coordinate
                assert again[cell.coordinate].value == pytest.approx(want, rel=1e-9), cell.coordinate
                checked += 1
    # 9 rates of 6 networks, the totals (6 sums, 9 rates), 10 ratios of each of the 60 creators
    assert checked == 6 * 9 + 15 + 60 * 10


@needs_soffice
def test_an_edited_orders_cell_moves_conversion_and_order_value(sample, sample_xlsx, tmp_path):
    wb = load_workbook(sample_xlsx)
    cells = tables(wb["Funnel"])
    pin, creator = cells["network"]["Pinterest"], cells["creator"]["Instagram/@paz_cooks"]
    pin["Orders"].value = 2 * pin["Orders"].value
    creator["Orders"].value = 2 * creator["Orders"].value
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    before = tables(load_workbook(sample_xlsx, data_only=True)["Funnel"])
    after = tables(load_workbook(recalc(edited, tmp_path), data_only=True)["Funnel"])

    def value(table, level, name, header):
        return table[level][name][header].value

    for header, factor in (("Conversion", 2.0), ("Order value", 0.5), ("Orders per $1,000", 2.0),
                           ("Revenue per click", 1.0), ("Return per $1", 1.0), ("Clicks per $1,000", 1.0)):
        assert value(after, "network", "Pinterest", header) == pytest.approx(
            factor * value(before, "network", "Pinterest", header), rel=1e-9), header
    nets = sample.networks
    orders = nets["orders"].sum() + float(nets.loc[nets["network"] == "Pinterest", "orders"].iloc[0])
    assert value(after, "network", "All networks", "Conversion") == pytest.approx(orders / nets["clicks"].sum())
    assert value(after, "network", "X", "Conversion") == pytest.approx(value(before, "network", "X", "Conversion"))
    # a creator: its own ratios follow; the pooled figures and the return made of them stay the planner's
    for header, factor in (("Own conversion", 2.0), ("Own order value", 0.5), ("Conversion", 1.0),
                           ("Order value", 1.0), ("Return per $1", 1.0)):
        assert value(after, "creator", "Instagram/@paz_cooks", header) == pytest.approx(
            factor * value(before, "creator", "Instagram/@paz_cooks", header), rel=1e-9), header


def test_euro_export_names_the_missing_step_in_euros():
    f = funnel([load(SAMPLE / "meta_ads_export_eur.csv")])
    with using(EUR):
        wb = load_workbook(io.BytesIO(funnel_workbook(f)))
    ws = wb["Funnel"]
    assert ws["A3"].value == missing_text(f) == "The data has no engagements, so the funnel skips that step."
    got = tables(ws)
    assert list(got["creator"]) == [] and "Creator" not in [c.value for c in ws["A"]]
    fb = got["network"]["Facebook"]
    assert "Engagements" not in fb and "Engagements per €1,000" not in fb
    assert {"Reach per €1,000", "Clicks per €1,000", "Return per €1"} <= set(fb)
    assert "€" in fb["Spend"].number_format and "$" not in fb["Order value"].number_format
    with using(EUR):
        values = tables(load_workbook(io.BytesIO(funnel_workbook(f)), data_only=True)["Funnel"])
    for name in ("Facebook", "Instagram"):
        assert values["network"][name]["Return per €1"].value == pytest.approx(f.row(name)["roas"], rel=1e-12)
        assert values["network"][name]["Order value"].value == pytest.approx(f.row(name)["order_value"], rel=1e-12)


def test_a_rate_over_part_of_the_rows_is_the_planners_number_with_a_comment():
    # paid media has no engagements: engagements per $1,000 is over the creators' rows only
    r = rows()
    r.loc[r["network"] == "X", "network"] = '=HYPERLINK("x")'
    f = funnel([Data(r)])
    raw = funnel_workbook(f)
    cells = tables(load_workbook(io.BytesIO(raw))["Funnel"])
    values = tables(load_workbook(io.BytesIO(raw), data_only=True)["Funnel"])
    assert set(cells["network"]) == {"Pinterest", '=HYPERLINK("x")', "All networks"}  # text stays text
    for name in ("Pinterest", '=HYPERLINK("x")'):
        eng = cells["network"][name]["Engagements per $1,000"]
        assert not is_formula(eng) and "some rows lack one of them" in eng.comment.text
        assert eng.value == pytest.approx(f.row(name)["engagements_per_1000"], rel=1e-12)
        assert is_formula(cells["network"][name]["Conversion"])
        assert values["network"][name]["Conversion"].value == pytest.approx(f.row(name)["conversion"], rel=1e-12)
    total = values["network"]["All networks"]
    assert blank(total["Engagements per $1,000"].value) and total["Clicks per $1,000"].value > 0


@pytest.mark.parametrize("with_creators", [True, False])
def test_the_allocation_workbook_has_the_funnel_sheet_when_given(sample, tmp_path, with_creators):
    curves = curve_table()
    if not with_creators:
        curves = curves[~curves["name"].str.contains("/")].reset_index(drop=True)
    alloc = optimize(curves, 60000)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(allocation_workbook(alloc, curves, funnel=sample))
    wb = load_workbook(path, data_only=True)
    before = ["Summary", "Allocation", "By network"] + (["By creator"] if with_creators else [])
    assert wb.sheetnames == [*before, "Funnel", "Curves"]
    listed = next(r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0] == "Sheets")
    assert "Funnel (why each network returns what it does)" in listed
    got = tables(wb["Funnel"])
    assert got["network"]["Pinterest"]["Order value"].value == pytest.approx(sample.row("Pinterest")["order_value"])
    plan = read_plan(path)  # the extra sheet changes nothing finance reads back
    assert plan["spend"].tolist() == alloc.table["spend"].round(2).tolist()
    plain = load_workbook(io.BytesIO(allocation_workbook(alloc, curves)))
    assert "Funnel" not in plain.sheetnames
    assert not any(r and r[0] == "Sheets" and "Funnel" in str(r[1]) for r in plain["Summary"].iter_rows(values_only=True))
    empty = funnel([Data(pd.DataFrame(columns=["date", "network", "entity", "spend", "outcome"]))])
    assert "Funnel" not in load_workbook(io.BytesIO(allocation_workbook(alloc, curves, funnel=empty))).sheetnames
