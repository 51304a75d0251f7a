"""A creators' tracker with a sheet per network and no network column: every sheet read, each its network's."""

from __future__ import annotations

import io

from openpyxl import Workbook

from planner.data.ingest import load
from planner.data.network_tabs import network_tabs

HEAD = ("Date", "Creator", "Fee paid", "Promo-code revenue")


def workbook(tabs: dict[str, list[tuple]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in tabs.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TRACKER = {
    "Instagram": [HEAD, ("2024-01-01", "@nina", 100, 300), ("2024-02-01", "@bo", 120, 200)],
    "TT": [HEAD, ("2024-01-05", "@cleo", 90, 250), ("2024-02-05", "@cleo", "n/a?", 100)],
    "Roster": [("Creator", "Network", "Max posts per quarter"), ("@nina", "Instagram", 4)],
}


def test_every_network_sheet_is_read_each_its_networks_rows():
    ds = load(workbook(TRACKER), name="tracker.xlsx")
    assert ds.sheet == "Instagram, TT" and ds.networks == ["Instagram", "TikTok"]
    assert ds.summary()["rows"] == 3  # rows 2 and 3 of Instagram, row 2 of TT: each sheet numbers its own
    assert ds.rows[["network", "entity"]].values.tolist() == [["Instagram", "@nina"], ["Instagram", "@bo"],
                                                              ["TikTok", "@cleo"]]
    assert ds.warnings[0].message == ("The workbook has a sheet per network (Instagram, TT); they were read together, "
                                      "each sheet's rows its network's.")
    # a problem names its own sheet and row
    assert [(e.sheet, e.row, e.column) for e in ds.errors] == [("TT", 3, "Fee paid")]
    assert ds.skipped[["sheet", "row"]].values.tolist() == [["TT", 3]]
    one = load(workbook(TRACKER), name="tracker.xlsx", sheet="Instagram")  # a sheet picked: that sheet alone
    assert one.sheet == "Instagram" and one.networks == ["Instagram"]
    assert network_tabs(["Instagram", "TT", "Roster", "Notes"]) == ["Instagram", "TT"]


def test_network_sheets_in_different_currencies_are_an_error():
    eur = {"Instagram": [("Date", "Creator", "Fee paid (EUR)", "Revenue (EUR)"), ("2024-01-01", "@nina", 100, 300)],
           "TikTok": [("Date", "Creator", "Fee paid (USD)", "Revenue (USD)"), ("2024-01-05", "@cleo", 90, 250)]}
    ds = load(workbook(eur), name="mixed.xlsx")
    assert any(e.message.startswith("The network sheets state different currencies (EUR on Instagram, USD on TikTok)")
               for e in ds.errors)


def test_a_single_network_sheet_names_the_network_and_a_weekly_sheet_is_read_as_before():
    alone = load(workbook({"YouTube": TRACKER["Instagram"]}), name="yt.xlsx")
    assert alone.networks == ["YouTube"]
    assert any('every row was taken as YouTube because the sheet is named "YouTube"' in w.message
               for w in alone.warnings)
    weekly = {"Instagram": [("Week", "Instagram spend", "Sales"), ("2024-01-01", 100, 900), ("2024-01-08", 120, 950)],
              "TikTok": TRACKER["TT"][:2]}
    ds = load(workbook(weekly), name="weekly.xlsx")  # not all creators' or ad rows: one sheet, as before
    assert "," not in ds.sheet

