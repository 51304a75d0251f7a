"""The Pacing page in Chromium: the sample plan against the spend to date, the chart drawn with money axes and a
legend, an earlier day chosen, the rows downloaded. Screenshot: test-artifacts/screenshots/9_pacing.png."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import chart_text, drawn_charts, settle, snap

pytestmark = pytest.mark.browser
TITLE = "Spend per month: spent and re-planned, against the plan"


def test_pacing_the_sample_plan(page: Page, app_url, shots, tmp_path):
    page.goto(f"{app_url}/Pacing")
    settle(page)
    expect(page.get_by_role("heading", name="Pacing").first).to_be_visible()
    expect(page.get_by_test_id("stMetricLabel").first).to_contain_text("Spent to 2026-03-13", timeout=120_000)
    expect(page.get_by_text("Instagram paid media", exact=False).first).to_be_visible()
    expect(page.locator(".vega-embed").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(500)
    assert drawn_charts(page) >= 1
    text = chart_text(page, TITLE)
    for word in ("Spend per month ($)", "$0", "Spent", "Re-planned rest", "The plan", "Month", "Jan 2026"):
        assert word in text, word
    snap(page, shots / "9_pacing.png")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download per row and period (CSV)").click()
    path = tmp_path / "pacing.csv"
    info.value.save_as(path)
    rows = pd.read_csv(io.BytesIO(path.read_bytes()))
    assert {"name", "period", "planned", "actual", "rest", "status"} <= set(rows.columns)
    assert set(rows["period"]) == {f"2026-0{m}-01" for m in range(1, 7)}

    for part, value in (("month", "02"), ("day", "10")):  # a date field of segments: type into each
        page.get_by_role("spinbutton", name=f"{part}, Spend counted to").click()
        page.keyboard.type(value)
    page.get_by_role("heading", name="Pacing").first.click()  # the field commits its date when it loses focus
    settle(page)
    expect(page.get_by_test_id("stMetricLabel").first).to_contain_text("Spent to 2026-02-10", timeout=60_000)
    expect(page.get_by_text("is left for 2026-02-11 to 2026-06-30", exact=False).first).to_be_visible()
