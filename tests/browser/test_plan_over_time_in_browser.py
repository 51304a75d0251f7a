"""The Plan over time page in Chromium: its three charts drawn with money axes and legends, weeks instead of months,
a budget typed, the plan downloaded. Screenshots: test-artifacts/screenshots/8a_plan_over_time_months.png, 8b_..._weeks.png."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import chart_text, drawn_charts, settle, snap

pytestmark = pytest.mark.browser
SPEND = "Spend per {p}, by network"
REVENUE = "Expected revenue per {p}"
EVEN = "This plan against an even plan: spend per {p}"


def test_the_plan_over_time_in_months_then_weeks(page: Page, app_url, shots, tmp_path):
    page.goto(f"{app_url}/Plan_over_time")
    settle(page)
    expect(page.get_by_role("heading", name="Plan over time").first).to_be_visible()
    expect(page.get_by_test_id("stMetricLabel").first).to_contain_text("Expected revenue", timeout=120_000)
    expect(page.get_by_text("even plan (same budget, same model)", exact=False).first).to_be_visible()
    expect(page.locator(".vega-embed").nth(2)).to_be_visible(timeout=60_000)
    page.wait_for_timeout(500)
    assert drawn_charts(page) >= 3
    spend = chart_text(page, SPEND.format(p="month"))
    for text in ("Spend per month ($)", "$0", "Network", "Instagram", "Month"):
        assert text in spend, text
    revenue = chart_text(page, REVENUE.format(p="month"))
    for text in ("Expected revenue per month ($)", "From this period's spend", "80% band"):
        assert text in revenue, text
    even = chart_text(page, EVEN.format(p="month"))
    assert "This plan" in even and "Even plan (same budget)" in even
    snap(page, shots / "8a_plan_over_time_months.png")

    # the plan as files: a row per network or creator and month, spending the budget
    budget = float(page.get_by_role("spinbutton", name="Budget for the whole horizon (USD)").input_value())
    with page.expect_download() as info:
        page.get_by_role("button", name="Plan as CSV").click()
    path = tmp_path / "plan.csv"
    info.value.save_as(path)
    plan = pd.read_csv(io.BytesIO(path.read_bytes()))
    assert list(plan.columns)[:5] == ["name", "network", "period", "spend", "response"]
    assert plan["period"].nunique() == 3 and plan["name"].nunique() == 66
    assert plan["spend"].sum() == pytest.approx(budget, abs=1)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the plan (Excel)").click()
    path = tmp_path / "plan.xlsx"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith("_months.xlsx")
    book = load_workbook(path)
    assert {"Plan", "By month", "Summary"} <= set(book.sheetnames)

    # weeks, and a budget of one's own
    page.get_by_text("Weeks", exact=True).click()
    settle(page)
    budget = page.get_by_role("spinbutton", name="Budget for the whole horizon (USD)")
    budget.fill("200000")
    budget.press("Enter")
    settle(page)
    expect(page.get_by_test_id("stMetricValue").nth(2)).to_have_text("$200,000")
    expect(page.locator(".vega-embed").filter(has_text=SPEND.format(p="week"))).to_be_visible()
    page.wait_for_timeout(500)
    assert drawn_charts(page) >= 3
    assert "Week starting" in chart_text(page, SPEND.format(p="week"))
    snap(page, shots / "8b_plan_over_time_weeks.png")
