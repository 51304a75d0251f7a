"""A tracker of fees and the shop's promo-code report uploaded together on the Data page (AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.open_page import ok
from tests.base.markdown_shown import shown
from tests.data.test_code_sales import tracker_and_report

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(at: AppTest) -> str:
    return "\n".join(shown(str(e.value)) for e in (*at.markdown, *at.warning, *at.error))


def test_the_reports_sales_are_the_trackers_revenue_and_the_plan_covers_every_creator(tmp_path):
    tracker, report, _ = tracker_and_report(tmp_path)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload(tracker.name, tracker.read_bytes(), XLSX)
    at.file_uploader[0].upload(report.name, report.read_bytes(), "text/csv").run()
    ok(at)
    text = _text(at)
    assert "286 campaigns of 60 creators on 6 networks" in text
    assert "A promo-code report: 60 codes" in text
    assert "Its sales are the revenue of the campaigns in fees.xlsx" in text
    at.switch_page("pages/3_Optimize.py").run()
    ok(at)
    assert not at.error, [e.value for e in at.error]


def test_a_report_alone_is_said_to_be_unused(tmp_path):
    _, report, _ = tracker_and_report(tmp_path)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload(report.name, report.read_bytes(), "text/csv").run()
    ok(at)
    assert "Not used: no file loaded with it is a creators' tracker with a promo-code column" in _text(at)


def test_a_report_whose_code_column_is_not_recognised_is_read_once_the_column_is_named(tmp_path):
    tracker, report, _ = tracker_and_report(tmp_path)
    odd = tmp_path / "gutscheine.csv"  # a code column under a header the planner does not know
    import pandas as pd

    pd.read_csv(report).rename(columns={"Discount code": "Gutschein", "Day": "Tag"}).to_csv(odd, index=False)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload(tracker.name, tracker.read_bytes(), XLSX)
    at.file_uploader[0].upload(odd.name, odd.read_bytes(), "text/csv").run()
    assert "Nothing in fees.xlsx could be used" in _text(at)  # the report is not one yet: no codes, no revenue
    editor = next(t for t in at.dataframe if list(t.value.columns) == ["column", "field"]
                  and "Gutschein" in set(t.value["column"]))
    rows = list(editor.value["column"])
    at.session_state[f"mapping_{odd.name}_table"] = {
        "edited_rows": {rows.index("Gutschein"): {"field": "code"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    ok(at)
    text = _text(at)
    assert "A promo-code report: 60 codes" in text and "Its sales are the revenue of the campaigns in fees.xlsx" in text
    assert at.session_state["planner_import"][odd.name]["mapping"] == {"Gutschein": "code"}
    next(b for b in at.button if b.label == "Read it as detected").click().run()  # and undone on the report
    ok(at, errors=True)
    assert at.session_state["planner_import"][odd.name] == {}
    assert "Nothing in fees.xlsx could be used" in _text(at)
