"""A tracker of fees and the shop's promo-code report uploaded together, in Chromium: the Data page shows the report
and where its sales went, and the plan covers every creator. Screenshots in test-artifacts/screenshots:
1d_data_promo_codes.png, 3f_optimize_promo_codes.png."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import goto_page, settle, snap
from tests.data.test_code_sales import tracker_and_report

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("browser_conftest_codes", Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
if not Path(_conftest.CHROMIUM).exists():
    pytestmark = [pytestmark, pytest.mark.skip(reason=f"Chromium is not installed at {_conftest.CHROMIUM} "
                                                      "(.ci/run installs it)")]


def test_fees_and_a_promo_code_report_in_the_browser(page: Page, app_url, shots, tmp_path):
    tracker, report, _ = tracker_and_report(tmp_path)
    page.goto(app_url)
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(tracker), str(report)])
    settle(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("286 campaigns of 60 creators on 6 networks", exact=False)).to_be_visible()
    expect(main.get_by_text("A promo-code report: 60 codes", exact=False)).to_be_visible()
    expect(main.get_by_text("Its sales are the revenue of the campaigns in fees.xlsx", exact=False)).to_be_visible()
    main.get_by_text("A promo-code report: 60 codes", exact=False).scroll_into_view_if_needed()
    snap(page, shots / "1d_data_promo_codes.png")
    goto_page(page, "Optimize")
    expect(main.get_by_text("Expected revenue", exact=False).first).to_be_visible()
    snap(page, shots / "3f_optimize_promo_codes.png")
