"""The Optimize page books creators in posts and campaigns (AppTest, on the sample: one campaign a quarter)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

MAIN = Path(__file__).resolve().parents[2] / "streamlit_app.py"


def test_the_plan_shows_posts_and_campaigns_per_creator():
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.run()
    at.switch_page("pages/3_Optimize.py").run()
    at.session_state["optimize_view"] = "Every row"  # the tabs draw only the open one
    at.run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if {"Name", "Optimal spend", "Campaigns"} <= set(d.value.columns))
    creators = table[table["Type"] == "Creator"]
    booked = creators[creators["Optimal spend"] > 0]
    assert len(booked) > 0
    assert (booked["Campaigns"] == 1).all() and (booked["Posts"] >= 1).all()  # the sample: one a quarter
    assert (creators.loc[creators["Optimal spend"] == 0, "Campaigns"] == 0).all()
    assert table.loc[table["Type"] != "Creator", "Campaigns"].isna().all()
