"""The Plan over time page in Chromium: its three charts drawn with money axes and legends, weeks instead of months,
a budget typed, the plan downloaded; dates typed that the history covers a year earlier, set against last year's
pattern. Screenshots: test-artifacts/screenshots/8a_plan_over_time_months.png, 8b_..._weeks.png,
8c_..._last_year.png."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.test_app_in_browser import chart_text, drawn_charts, settle, snap

pytestmark = pytest.mark.browser
SPEND = "Spend per {p}, by network"
REVENUE = "Expected revenue per {p}"
EVEN = "This plan against an even plan: spend per {p}"
LAST_YEAR = "This plan against an even plan and last year's pattern: spend per {p}"


def open_page(page: Page, url: str) -> None:
    page.goto(f"{url}/Plan_over_time")
    settle(page)
    expect(page.get_by_role("heading", name="Plan over time").first).to_be_visible()
    expect(page.get_by_test_id("stMetricLabel").first).to_contain_text("Expected revenue", timeout=120_000)


def type_date(page: Page, label: str, day: date) -> None:
    """Type ``day`` into the date field ``label``: its segments one by one, then commit it by leaving the field."""
    for part, value in (("year", f"{day.year}"), ("month", f"{day.month:02d}"), ("day", f"{day.day:02d}")):
        page.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)
    page.get_by_role("heading", name="Plan over time").first.click()
    settle(page)


def figure(page: Page, label: str) -> str:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue").inner_text()


def test_the_plan_over_time_in_months_then_weeks(page: Page, app_url, shots, tmp_path):
    open_page(page, app_url)
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
    assert {"Plan", "By month", "Summary", "Expected sales"} <= set(book.sheetnames)  # the sample has a weekly model

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


def test_dates_the_history_covers_a_year_earlier_are_set_against_last_years_pattern(page: Page, app_url, shots):
    open_page(page, app_url)
    page.get_by_text("Dates…", exact=True).click()
    settle(page)
    type_date(page, "From", date(2025, 4, 1))  # the sample's history runs from 2023-01-02 to 2025-12-28
    type_date(page, "To (included)", date(2025, 6, 30))
    expect(page.get_by_text("over 2025-04-01 to 2025-06-30 in 3 months (91 days)", exact=False)).to_be_visible()
    label = page.get_by_test_id("stMetricLabel").filter(has_text="Over last year's pattern")
    expect(label).to_be_visible()
    assert re.fullmatch(r"[+-]\$\d{1,3}(,\d{3})*|\$0", figure(page, "Over last year's pattern"))
    assert "Last year's pattern needs your spend" not in page.get_by_test_id("stMain").inner_text()
    expect(page.locator(".vega-embed").filter(has_text=LAST_YEAR.format(p="month"))).to_be_visible(timeout=60_000)
    page.wait_for_timeout(500)
    assert drawn_charts(page) >= 3
    said = chart_text(page, LAST_YEAR.format(p="month"))
    for text in ("This plan", "Even plan (same budget)", "Last year's pattern (same budget)", "Spend per month ($)",
                 "Apr 2025", "Jun 2025"):
        assert text in said, text
    page.mouse.move(0, 0)  # off the heading clicked to commit the dates: no link icon beside it in the screenshot
    snap(page, shots / "8c_plan_over_time_last_year.png")
