"""The app makes no plan the data cannot carry, and says so where the plan would be."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

import ui.cache
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]


def _three_days() -> bytes:
    lines = (ROOT / "sample_data" / "meta_ads_export_eur.csv").read_text(encoding="utf-8").splitlines()
    head, body = lines[0], lines[1:]
    days = sorted({line.split(";")[0] for line in body})[:8]
    return ("\n".join([head, *[line for line in body if line.split(";")[0] in days]]) + "\n").encode()


def test_a_three_day_export_shows_why_there_is_no_plan():
    ui.cache._fits.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload("three_days.csv", _three_days(), "text/csv").run()
    at.switch_page("pages/3_Optimize.py").run()
    assert not at.exception, at.exception
    errors = [shown(e.value) for e in at.error]
    assert any(e.startswith("The data cannot carry a plan: Facebook: 2 weeks of data") for e in errors), errors
    assert not at.metric  # no figures of a plan that is not made
    at.switch_page("pages/4_Tradeoffs.py").run()
    assert not at.exception, at.exception
    errors = [shown(e.value) for e in at.error]  # said as on Optimize: not "This plan cannot be met" (no bound is set)
    assert len(errors) == 1 and errors[0].startswith("The data cannot carry a plan: Facebook: 2 weeks of data"), errors
    assert "a quarter)" in errors[0]  # the spend it names is a quarter's, not the file's days'
    assert not at.metric


def test_the_sample_says_which_weekly_networks_its_data_barely_support():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.switch_page("pages/3_Optimize.py").run()
    assert not at.exception, at.exception
    assert at.metric  # a plan is made and shown
    # the sample's weekly model reads four networks' returns mostly from the pull toward the others': the
    # plan is optimal for its curves, and says that the data barely support those four, and what would help
    warned = [shown(w.value) for w in at.warning if "barely support" in w.value]
    assert len(warned) == 1, warned
    assert warned[0].startswith("Optimal for these curves only: the data barely support 4 of them. Pinterest, TikTok, "
                                "X and YouTube: an effect the weekly data hardly tell apart from baseline sales. Their "
                                "bands are widened to what the data know. A lift test of Pinterest, TikTok, X and "
                                "YouTube (an experiment given to the fit) would tell their effect apart from baseline "
                                "sales. "), warned
    # which test first: in the sample's plan the creators carry most of the uncertainty, so none would narrow it much
    assert re.search(r"Those networks carry (under 1|\d)% of the uncertainty in this plan's revenue, so a lift test "
                     r"would narrow its band little\.$", warned[0]), warned
    captions = " ".join(shown(c.value) for c in at.caption)
    assert "Optimal for these curves only (proven)" in captions and "Proven optimal" not in captions


def test_a_weekly_file_whose_returns_are_the_models_pull_shows_no_plan_and_where_to_give_a_lift_test():
    national = ROOT.parent / "shared" / "peer_data" / "meridian" / "national_media.csv"  # CI has it (tests/conftest.py)
    if not national.exists():
        import pytest

        pytest.skip(f"{national} is not available")
    ui.cache._fits.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload("national_media.csv", national.read_bytes(), "text/csv").run()
    at.switch_page("pages/3_Optimize.py").run()
    assert not at.exception, at.exception
    errors = [shown(e.value) for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("The data cannot carry a plan: Channel0, Channel1, Channel2 and "
                                                     "Channel3: an effect the weekly data hardly tell apart"), errors
    assert "A lift test of them (an experiment given to the fit)" in errors[0]
    assert not at.metric
    links = [el.proto.label for el in at.get("page_link")]
    assert links[:2] == ["Give the fit a lift test on the Model page", "Load more data on the Data page"], links
    at.switch_page("pages/2_Model.py").run()  # where the lift tests go: the fit is still shown there
    assert not at.exception, at.exception
    assert any("experiments" in u.label for u in at.get("file_uploader")), [u.label for u in at.get("file_uploader")]
