"""The Data page's funnel in Chromium (issue 19): the section below the files, its chart drawn at the widths of
1280 and 1440 pixel windows, the sentence on the two compared. Screenshots: test-artifacts/screenshots/19_funnel_*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import chart_text, settle
from ui.funnel import TITLE

pytestmark = pytest.mark.browser
CHART_TITLE = "The funnel per network"


def test_the_funnel_section_is_drawn_at_both_widths(page: Page, app_url, shots):
    page.goto(app_url)
    settle(page)
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 1300})
        settle(page)
        heading = page.get_by_role("heading", name=TITLE)
        heading.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(800)
        expect(heading).to_be_in_viewport()
        expect(page.get_by_text("Pinterest returns $8.55 per $1 and X $3.44")).to_be_visible()
        drawn = chart_text(page, CHART_TITLE)
        for text in ("Conversion (orders per click)", "Order value ($)", "Return per $1", "$91.97", "Pinterest"):
            assert text in drawn, (width, text)
        box = page.locator(".vega-embed").filter(has_text=CHART_TITLE).bounding_box()
        main = page.get_by_test_id("stMainBlockContainer").bounding_box()
        assert box["width"] > 700 and box["x"] + box["width"] <= main["x"] + main["width"] + 1  # within its column
        page.screenshot(path=shots / f"19_funnel_{width}.png")
    page.set_viewport_size({"width": 1280, "height": 1300})
    settle(page)
    page.get_by_text("The funnel per creator (60)").click()
    expect(page.get_by_text("creators have too few orders to say much on their own")).to_be_visible()
    page.get_by_text("The funnel per creator (60)").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(800)
    page.screenshot(path=shots / "19_funnel_creators_1280.png")
    page.set_viewport_size({"width": 1280, "height": 900})
