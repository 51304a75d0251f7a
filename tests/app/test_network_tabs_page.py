"""A workbook with a sheet per network on the Data page (AppTest): read together, and one sheet can be picked."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.app.open_page import ok

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tabs() -> bytes:
    """The sample tracker's campaigns, a sheet per network, without the network column."""
    sheet = pd.read_excel(ROOT / "sample_data" / "creator_campaigns.xlsx", sheet_name="Campaigns", header=2,
                          engine="calamine")
    sheet = sheet.loc[sheet["Date"].astype(str) != "Total"]
    buf = io.BytesIO()
    with pd.ExcelWriter(buf) as w:
        for net, rows in sheet.groupby("Network"):
            rows.drop(columns="Network").to_excel(w, sheet_name=net, index=False)
    return buf.getvalue()


def _sheet_box(at: AppTest):
    return next(s for s in at.selectbox if s.label == "Sheet")


def test_a_sheet_per_network_is_read_together_and_one_can_be_picked():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload("tabs.xlsx", _tabs(), XLSX).run()
    ok(at)
    box = _sheet_box(at)
    together = "Facebook, Instagram, Pinterest, TikTok, X, YouTube"
    assert box.value == together and box.format_func(together) == f"Every network's sheet ({together})"
    assert any("60 creators on 6 networks" in m.value for m in at.markdown), [m.value for m in at.markdown][:8]
    box.select("TikTok").run()
    ok(at)
    assert _sheet_box(at).value == "TikTok"
    assert any("on 1 network" in m.value for m in at.markdown)
    _sheet_box(at).select(together).run()
    ok(at)
    assert _sheet_box(at).value == together
    at.switch_page("pages/3_Optimize.py").run()  # the plan covers every network's creators
    ok(at)


def test_a_tracker_of_five_campaigns_plans_with_its_curves_said_to_be_weak():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    thin = ("Date,Network,Creator,Posts,Fee paid,Promo-code revenue\n2024-01-01,IG,@a,1,100,300\n"
            "2024-02-01,IG,@b,2,240,500\n2024-01-05,TikTok,@c,1,90,250\n2024-03-01,TikTok,@d,3,300,600\n"
            "2024-03-05,TikTok,@e,1,80,90\n")
    at.file_uploader[0].upload("thin.csv", thin.encode(), "text/csv").run()
    at.switch_page("pages/3_Optimize.py").run()
    ok(at)
    said = " ".join(w.value.replace("\\", "") for w in at.warning)
    assert "Optimal for these curves only: the data barely support 5 of them." in said
    assert "3 TikTok creators with 3 campaigns between them" in said
    assert "Plan with care, or load more of the creators' campaigns." in said
