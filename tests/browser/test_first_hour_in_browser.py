"""A new user's first minutes in Chromium (issue 15): a fresh server's first plan, a wrong address named, the
budget written as money; every page at 1280 and 1440 pixels wide (screenshots in test-artifacts/screenshots)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import goto_page, settle
from ui.widgets import PAGES

pytestmark = pytest.mark.browser


def test_a_wrong_address_is_named_and_the_budget_reads_as_money(browser, fresh_app_url, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{fresh_app_url}/Optimise")
    settle(page)
    expect(page.get_by_text("There is no page at /Optimise")).to_be_visible(timeout=60_000)
    page.screenshot(path=shots / "wrong_address.png")
    page.keyboard.press("Escape")  # Streamlit's own "Page not found" dialog, over the page
    expect(page.get_by_role("dialog")).to_have_count(0)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("(today's total spend) per quarter")
    goto_page(page, "Optimize")
    expect(page.get_by_text("per quarter, an upper limit on the plan's total spend")).to_be_visible()
    caption = page.get_by_text("per quarter, an upper limit on the plan's total spend").inner_text()
    assert caption.startswith("Budget: $") and "," in caption
    page.close()


@pytest.mark.parametrize("width", [1280, 1440])
def test_every_page_at_width(page: Page, app_url, shots, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(app_url)
    settle(page)
    for _, label, _ in PAGES:
        goto_page(page, label)
        expect(page.get_by_role("heading", name=label).first).to_be_visible()
        page.wait_for_timeout(600)
        height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        page.set_viewport_size({"width": width, "height": int(min(max(900, height), 8000))})
        page.wait_for_timeout(600)
        page.screenshot(path=shots / f"w{width}_{label.lower().replace(' ', '_')}.png")
        page.set_viewport_size({"width": width, "height": 900})
