"""The platforms' spend exports and the shop's sales over time uploaded together, in Chromium: the Data page shows
one table joined from the four files, the Model page fits every network and the plan covers them. Screenshots in
test-artifacts/screenshots: 1e_data_spend_with_sales.png, 2e_model_spend_with_sales.png,
3g_optimize_spend_with_sales.png."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import CHART, drawn_charts, goto_page, settle, snap
from tests.data.test_spend_join import exports_and_sales

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("browser_conftest_join", Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
if not Path(_conftest.CHROMIUM).exists():
    pytestmark = [pytestmark, pytest.mark.skip(reason=f"Chromium is not installed at {_conftest.CHROMIUM} "
                                                      "(.ci/run installs it)")]


def test_spend_exports_and_shop_sales_in_the_browser(page: Page, app_url, shots, tmp_path):
    files, shop, _ = exports_and_sales(tmp_path)
    page.goto(app_url)
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([*(str(p) for p in files), str(shop)])
    settle(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("1,092 days, 6 networks, total sales only", exact=False)).to_be_visible()
    expect(main.get_by_text("Joined from 4 files", exact=False)).to_be_visible()
    main.get_by_text("Joined from 4 files", exact=False).scroll_into_view_if_needed()
    snap(page, shots / "1e_data_spend_with_sales.png")
    goto_page(page, "Model")
    expect(page.locator(CHART).first).to_be_visible(timeout=60_000)
    assert drawn_charts(page) >= 2  # the networks' curves and the marketing-mix decomposition
    snap(page, shots / "2e_model_spend_with_sales.png")
    goto_page(page, "Optimize")
    expect(main.get_by_text("Expected revenue", exact=False).first).to_be_visible()
    snap(page, shots / "3g_optimize_spend_with_sales.png")
