"""The one-page report from the Export page, as a user gets it: both downloads, and the HTML opened in Chromium
at 1280 and 1440 pixels wide (screenshots in test-artifacts/screenshots)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import goto_page, settle

pytestmark = pytest.mark.browser


def test_export_page_hands_over_the_one_page_report(page: Page, app_url, shots, tmp_path):
    page.goto(app_url)
    settle(page)
    goto_page(page, "Export")
    expect(page.get_by_text("One page to hand over")).to_be_visible(timeout=120_000)
    files = {}
    for kind in ("PDF", "HTML"):
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("button", name=f"One-page report ({kind})").click()
        files[kind] = tmp_path / f"plan_report.{kind.lower()}"
        info.value.save_as(files[kind])
    pdf = files["PDF"].read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1

    report = page.context.new_page()
    for width in (1280, 1440):
        report.set_viewport_size({"width": width, "height": 900})
        report.goto(files["HTML"].as_uri())
        expect(report.get_by_role("heading", name="Split by network")).to_be_visible()
        assert report.locator("svg").count() == 2
        # nothing sticks out of the page: the report's column holds every table and chart
        overflow = report.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow
        report.screenshot(path=shots / f"report_{width}.png", full_page=True)
    report.close()
