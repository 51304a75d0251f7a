"""The Finance plan page reading a plan over time in Chromium: finance's CSV with the months across the columns
uploaded through the page's uploader, its figures, both charts drawn with money axes and legends, the table per
month with its Total row. Screenshot: test-artifacts/screenshots/5b_finance_plan_over_time.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from planner.base.format import money
from tests.app.test_finance_plan_over_time import WIDE_CSV, WIDE_TOTAL
from tests.browser.test_app_in_browser import chart_text, drawn_charts, goto_page, settle, snap
from tests.browser.test_finance_in_browser import upload

pytestmark = pytest.mark.browser
MONEY = r"\$\d{1,3}(,\d{3})*"
BEST = "Best plan, same spend"
CHART = "The plan against the best plan: {what} per month"
MONTHS = ["Jan 2027", "Feb 2027", "Mar 2027"]


def grid_rows(table: Locator) -> list[list[str]]:
    """The rows a Streamlit table shows (its grid's accessible cells, header first), as text."""
    return table.evaluate(
        """(e) => [...e.querySelectorAll('table[role=grid] tr')]
               .map(r => [...r.querySelectorAll('th, td')].map(c => c.textContent.trim()))
               .filter(r => r.some(c => c))""")


def metric(page: Page, label: str) -> str:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue").inner_text()


def test_a_plan_with_months_across_the_columns(page: Page, app_url, shots, tmp_path):
    csv = tmp_path / "finance_q1_2027.csv"
    csv.write_bytes(WIDE_CSV)
    page.goto(app_url)
    settle(page)
    goto_page(page, "Finance plan")
    expect(page.get_by_text("Plan's expected revenue")).to_be_visible(timeout=120_000)
    upload(page, csv)
    expect(page.get_by_text("Evaluating finance_q1_2027.csv.")).to_be_visible()

    # the figures: the plan's spend to the dollar, beside the best plan of the same spend and horizon
    expect(page.get_by_test_id("stMetricLabel").filter(has_text=BEST)).to_be_visible()
    assert metric(page, "Plan's spend") == money(WIDE_TOTAL)
    revenue, best = metric(page, "Plan's expected revenue"), metric(page, BEST)
    assert re.fullmatch(MONEY, revenue) and re.fullmatch(MONEY, best)
    delta = page.get_by_test_id("stMetric").filter(has_text=BEST).get_by_test_id("stMetricDelta").inner_text()
    assert re.fullmatch(rf"\+{MONEY} \(\+\d+\.\d%\)", delta.strip()), delta
    assert re.fullmatch(r"\$\d+\.\d\d per \$1", metric(page, "Plan's return on ad spend"))
    expect(page.get_by_text("2027-01-01 to 2027-03-31 in 3 months (read from finance_q1_2027.csv: periods across "
                            "the columns)", exact=False)).to_be_visible()
    expect(page.get_by_text("'Snapchat'", exact=False).first).to_be_visible()  # a network the data lacks

    # the charts: money on the axis, both plans in the legend, one bar pair per month
    expect(page.locator(".vega-embed").first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(500)
    assert drawn_charts(page) >= 1
    said = chart_text(page, CHART.format(what="expected revenue"))
    for text in ("Expected revenue per month ($)", "$0", "The plan", "Best plan (same spend)", *MONTHS):
        assert text in said, text
    page.get_by_role("tab", name="Spend", exact=True).click()
    settle(page)
    expect(page.locator(".vega-embed").filter(has_text=CHART.format(what="spend"))).to_be_visible()
    page.wait_for_timeout(500)
    said = chart_text(page, CHART.format(what="spend"))
    for text in ("Spend per month ($)", "$0", "The plan", "Best plan (same spend)", *MONTHS):
        assert text in said, text
    page.get_by_role("tab", name="Expected revenue", exact=True).click()  # back to what the page opens on
    settle(page)

    # the table per month: the plan's spend per month as the file has it, and a Total row of the plan's spend
    expect(page.get_by_role("heading", name="By month")).to_be_visible()
    first_column = page.locator("th:first-child", has_text=re.compile(r"^Period$"))
    per_month = page.get_by_test_id("stDataFrame").filter(has=first_column)
    expect(per_month).to_have_count(1)
    rows = grid_rows(per_month)
    assert rows[0][:3] == ["Period", "Plan's spend", "Plan's expected revenue"], rows[0]
    assert [r[0] for r in rows[1:]] == [*MONTHS, "Total"]
    spent = [float(r[1]) for r in rows[1:]]  # the grid's cells hold the values; its canvas draws them as money
    assert spent == pytest.approx([48_900.75, 33_900.25, 41_800.0, WIDE_TOTAL], abs=0.005)
    snap(page, shots / "5b_finance_plan_over_time.png")

    page.get_by_role("button", name="Back to the sample plan").click()
    settle(page)
    expect(page.get_by_test_id("stMetricLabel").filter(has_text="Best split of the same money")).to_be_visible()
