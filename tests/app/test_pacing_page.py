"""The Pacing page: the sample plan against the sample spend to date, uploads, mistakes as sentences."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from tests.app.open_page import open_page
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]
PAGE = "pages/9_Pacing.py"
TIMEOUT = 180
MONEY = r"[+-]?\$\d{1,3}(,\d{3})*"


def _metrics(at: AppTest) -> dict:
    return {m.label: m.value for m in at.metric}


def _texts(at: AppTest) -> str:
    return " ".join(shown(str(e.value)) for e in [*at.markdown, *at.info, *at.warning, *at.caption, *at.error])


def test_the_page_opens_on_the_samples_with_status_the_rest_and_tables():
    at = open_page(PAGE, TIMEOUT)
    m = _metrics(at)
    assert re.fullmatch(MONEY, m["Spent to 2026-03-13"]) and re.fullmatch(MONEY, m["Left to spend"])
    assert re.fullmatch(MONEY, m["Expected revenue"])
    text = _texts(at)
    assert re.search(rf"By 2026-03-13, {MONEY} is spent \([\d.]+% of the budget of {MONEY}\); the plan had {MONEY} by "
                     r"then, so spending is (on pace|ahead of the plan|behind the plan)", text)
    assert "ahead: Instagram paid media (+$" in text and "behind: YouTube paid media (-$" in text
    assert re.search(rf"{MONEY} is left for 2026-03-14 to 2026-06-30\.", text)
    assert "'TikTok/@new.face.studio'" in text and "$1,200 of spend counts as spent" in text  # not dropped
    assert "matches no name in the model" in text and "curve table" not in text  # a manager's words
    periods, networks, rows = (d.value for d in at.dataframe)
    assert list(periods["Period"]) == ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026", "Total"]
    assert list(periods["Status"][:4]) == ["On pace", "On pace", "On pace", "To come"]
    body = periods.iloc[:-1]
    for col in ("Plan", "Re-planned rest", "Expected spend"):  # whole money; the Total row adds up
        assert (periods[col] == periods[col].round()).all()
        assert abs(periods[col].iloc[-1] - body[col].sum()) <= len(body)
    assert set(networks["Network"]) == {"Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X"}
    assert len(rows) > 6 and set(rows["Status"]) <= {"Ahead", "On pace", "Behind"}
    assert len(at.get("vega_lite_chart")) == 1
    assert at.get("download_button")[0].proto.label == "Download per row and period (CSV)"


def test_an_earlier_day_counts_less_spend_and_leaves_more():
    at = open_page(PAGE, TIMEOUT)
    before = _metrics(at)["Left to spend"]
    at.date_input(key="pacing_as_of").set_value(date(2026, 2, 10)).run()
    assert not at.exception
    m = _metrics(at)
    assert "Spent to 2026-02-10" in m
    money = lambda s: float(s.replace("$", "").replace(",", ""))  # noqa: E731
    assert money(m["Left to spend"]) > money(before)
    assert "is left for 2026-02-11 to 2026-06-30" in _texts(at)


def test_uploaded_files_are_read_and_their_mistakes_are_sentences():
    at = open_page(PAGE, TIMEOUT)
    bad = b"Date,Network,Spend\n2026-01-05,Instagram,100\nsoon,Instagram,50\n"
    at.file_uploader(key="pacing_upload_actuals").upload("actuals.csv", bad, "text/csv").run()
    assert not at.exception
    assert "actuals.csv, row 3, column 'Date' holds 'soon'" in _texts(at)
    good = pd.DataFrame({"Date": pd.date_range("2026-01-01", "2026-01-31").date.astype(str), "Network": "Instagram",
                         "Spend": 500.0}).to_csv(index=False).encode()
    at.file_uploader(key="pacing_upload_actuals").upload("january.csv", good, "text/csv").run()
    assert not at.exception and "Spent to 2026-01-31" in _metrics(at)
    assert "january.csv (uploaded)." in _texts(at)
    wb = Workbook()
    wb.active.append(["Network", "Spend"])
    wb.active.append(["Instagram", 1000])
    buf = io.BytesIO()
    wb.save(buf)
    at.file_uploader(key="pacing_upload_plan").upload("one_period.xlsx", buf.getvalue(),
                                                      "application/octet-stream").run()
    assert not at.exception
    assert "one_period.xlsx has no periods: pacing needs a plan over time" in _texts(at)
    at.button(key="pacing_sample_plan").click().run()
    assert not at.exception and len(at.dataframe) == 3


def test_a_shortest_flight_for_the_rest_is_taken_and_kept():
    """What the rule does to the rest: tests/analysis/test_pacing.py; here, that the page takes it and re-plans."""
    at = open_page(PAGE, TIMEOUT)
    at.number_input(key="pacing_min_flight").set_value(2).run()
    assert not at.exception and not at.error
    assert at.number_input(key="pacing_min_flight").value == 2
    assert re.fullmatch(MONEY, _metrics(at)["Expected revenue"])
