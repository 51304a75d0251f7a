"""The Data page lets a user correct how a file was read (columns, decimal mark, sheet) and shows the roster."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "streamlit_app.py"
WEEKLY = "weekly_paid_media.xlsx"
CAMPAIGNS = "creator_campaigns.xlsx"


def _app() -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _descriptions(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown if str(m.value).startswith("**") and " to " in str(m.value)]


def _editor(at: AppTest, file: str) -> pd.DataFrame:
    for t in at.dataframe:  # st.data_editor is among them
        df = t.value
        if list(df.columns) == ["column", "field"] and file == WEEKLY and "Total sales" in set(df["column"]):
            return df
        if list(df.columns) == ["column", "field"] and file == CAMPAIGNS and "Fee paid" in set(df["column"]):
            return df
    raise AssertionError(f"no mapping table for {file}")


def test_mapping_table_shows_every_column_and_its_field():
    at = _app()
    weekly = _editor(at, WEEKLY)
    assert dict(zip(weekly["column"], weekly["field"], strict=False)) == {
        "Week": "date", "Instagram spend": "spend:Instagram", "TikTok spend": "spend:TikTok",
        "YouTube spend": "spend:YouTube", "Pinterest spend": "spend:Pinterest", "Facebook spend": "spend:Facebook",
        "X spend": "spend:X", "Total sales": "outcome"}
    labels = [e.label for e in at.expander]
    assert labels.count("How this file was read: sheet, numbers and columns (correct them here)") == 2


def test_editing_the_mapping_reads_the_file_again():
    at = _app()
    assert any(d.startswith("**156 weeks, 6 networks, total sales only**") for d in _descriptions(at))
    rows = list(_editor(at, WEEKLY)["column"])
    at.session_state[f"mapping_{WEEKLY}_table"] = {
        "edited_rows": {rows.index("X spend"): {"field": ""}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert any(d.startswith("**156 weeks, 5 networks, total sales only**") for d in _descriptions(at))
    assert at.session_state["planner_import"][WEEKLY]["mapping"] == {"X spend": "ignore"}
    assert dict(zip(*_editor(at, WEEKLY).T.values, strict=False))["X spend"] == ""
    # the model pages follow: no curve for X any more
    at.switch_page("pages/2_Model.py").run()
    assert not at.exception, at.exception
    at.switch_page(str(MAIN)).run()
    at.button(key=f"mapping_{WEEKLY}_1_reset").click().run()
    assert any(d.startswith("**156 weeks, 6 networks, total sales only**") for d in _descriptions(at))
    assert at.session_state["planner_import"][WEEKLY] == {}


def test_decimal_mark_and_sheet_can_be_chosen():
    at = _app()
    at.radio(key=f"mapping_{WEEKLY}_decimal").set_value(",").run()
    assert not at.exception, at.exception
    assert at.session_state["planner_import"][WEEKLY]["decimal"] == ","
    at.selectbox(key=f"mapping_{CAMPAIGNS}_sheet").set_value("Roster").run()
    assert not at.exception, at.exception
    assert at.session_state["planner_import"][CAMPAIGNS] == {"sheet": "Roster", "mapping": {}, "decimal": None}
    assert any(f"Nothing in {CAMPAIGNS} could be used" in shown(e.value) for e in at.error)


def test_roster_is_shown_and_shapes_the_curves():
    at = _app()
    subheaders = [shown(s.value) for s in at.subheader]
    assert f"Creator roster: {CAMPAIGNS}, sheet Roster" in subheaders
    assert any(str(m.value).startswith("**60 creators on 6 networks with fee per post, maximum posts\\.**")
               for m in at.markdown)
    true = pd.read_csv(ROOT / "sample_data" / "true_curves.csv").set_index("name")
    at.switch_page("pages/3_Optimize.py").run()
    assert not at.exception, at.exception
    bounds = next(d.value for d in at.dataframe if {"Cost per post", "Max spend"} <= set(d.value.columns))
    creators = bounds[bounds.index.str.contains("/")]
    assert len(creators) == 60
    pd.testing.assert_series_equal(creators["Max spend"].astype(float),
                                   true.loc[creators.index, "max_spend"].astype(float), check_names=False)
    pd.testing.assert_series_equal(creators["Cost per post"].astype(float),
                                   true.loc[creators.index, "unit_cost"].astype(float), check_names=False)
