"""Creators' trackers the generator's plain one does not show, in Chromium: campaigns that return 30 % more in
mid-November (on Optimize the plan of an average quarter says the wave is there, and Q4's plan says what it assumed
and earns more) and campaigns with discount codes (the Data page reads the column as a control, the Model page says
its lift). Screenshots in test-artifacts/screenshots: 3c_optimize_quarter_average.png, 3d_optimize_quarter_q4.png,
1c_data_discounts.png, 2c_model_discounts.png, 3e_optimize_discounts.png."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import goto_page, settle, snap

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("browser_conftest_quarter", Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
pick_option = _conftest.pick_option
if not Path(_conftest.CHROMIUM).exists():
    pytestmark = [pytestmark, pytest.mark.skip(reason=f"Chromium is not installed at {_conftest.CHROMIUM} "
                                                      "(.ci/run installs it)")]


def _revenue(page: Page) -> float:
    metric = page.get_by_test_id("stMetric").filter(has_text="Expected revenue").first
    text = metric.get_by_test_id("stMetricValue").inner_text()
    return float(re.sub(r"[^\d.]", "", text))


def test_a_q4_plan_of_holiday_creators_in_the_browser(page: Page, app_url, shots, tmp_path):
    from planner.bench.fit_sample import generator

    tracker = generator().generate(tmp_path / "data", 9, creator_season=True)["creator_campaigns"]
    page.goto(app_url)
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(tracker)])
    settle(page)
    goto_page(page, "Optimize")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("This plan is for an average quarter; the fit found a yearly wave: creators' campaigns "
                            "earn up to", exact=False)).to_be_visible()
    average = _revenue(page)
    snap(page, shots / "3c_optimize_quarter_average.png")
    pick_option(page, "Quarter planned", "Q4 (October to December)")
    settle(page)
    expect(main.get_by_text("Planned for Q4 (October to December), by the yearly waves the fit found: creators' "
                            "campaigns earn", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("Q4 (October to December)", exact=False)).to_be_visible()
    assert _revenue(page) > 1.1 * average
    snap(page, shots / "3d_optimize_quarter_q4.png")


def test_a_tracker_with_discount_codes_in_the_browser(page: Page, app_url, shots, tmp_path):
    """The discounts read as a control of each campaign on the Data page, and their lift said on the Model page.
    Screenshots: 1c_data_discounts.png, 2c_model_discounts.png, 3e_optimize_discounts.png."""
    from planner.bench.fit_sample import generator

    tracker = generator().generate(tmp_path / "data", 9, creator_promos=True)["creator_campaigns"]
    page.goto(app_url)
    settle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(tracker)])
    settle(page)
    main = page.get_by_test_id("stMain")
    # said among the file's notes, a table drawn on a canvas: its cells are in the page, not visible as text
    expect(main.get_by_text("Controls used by the creators' fit: Discount %.", exact=False).first).to_be_attached()
    snap(page, shots / "1c_data_discounts.png")
    goto_page(page, "Model")
    expect(main.get_by_text("Campaigns at Discount % ", exact=False).first).to_be_visible()
    expect(main.get_by_text("at the team's usual controls", exact=False).first).to_be_visible()
    snap(page, shots / "2c_model_discounts.png")
    goto_page(page, "Optimize")  # every campaign with a 20 % code: the box, and what it assumed
    box = page.get_by_role("spinbutton", name="Discount % on the plan's campaigns")
    box.fill("20")
    box.press("Enter")
    settle(page)
    expect(main.get_by_text("Planned with discount % at 20 on every campaign (usual ", exact=False)).to_be_visible()
    snap(page, shots / "3e_optimize_discounts.png")
