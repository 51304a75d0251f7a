"""A user in Chromium: open the app on the sample data, optimise, download the workbook, check its numbers."""

from __future__ import annotations

import numpy as np
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from planner.curve_table import read_curves
from planner.curves import response
from planner.plans import read_plan

pytestmark = pytest.mark.browser
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def settle(page: Page, timeout: float = 120_000) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def snap(page: Page, path) -> None:
    """Screenshot of the whole page: Streamlit scrolls inside its main block, so grow the viewport to fit it."""
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": int(min(max(900, height), 8000))})
    page.wait_for_timeout(800)
    page.screenshot(path=path)
    page.set_viewport_size({"width": 1280, "height": 900})


def charts(page: Page):
    return page.locator(".vega-embed canvas, .vega-embed svg")


def goto_page(page: Page, label: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=label).click()
    settle(page)


def test_main_flow_and_workbook(page: Page, app_url, shots, tmp_path):
    page.goto(app_url)
    settle(page)
    expect(page.get_by_text("60 creators", exact=False).first).to_be_visible(timeout=120_000)
    snap(page, shots / "1_data.png")

    goto_page(page, "Model")
    expect(charts(page).first).to_be_visible(timeout=60_000)
    snap(page, shots / "2_model.png")

    goto_page(page, "Optimize")
    budget = page.get_by_role("spinbutton", name="Budget for the quarter (USD)")
    budget.fill("200000")
    budget.press("Enter")
    settle(page)
    expect(page.get_by_text("$200,000 per quarter").first).to_be_visible()
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    snap(page, shots / "3_optimize.png")

    goto_page(page, "Tradeoffs")
    expect(charts(page).first).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1000)
    snap(page, shots / "4_tradeoffs.png")

    goto_page(page, "Finance plan")
    snap(page, shots / "5_finance_plan.png")

    goto_page(page, "Export")
    snap(page, shots / "6_export.png")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the plan (Excel)").click()
    path = tmp_path / "allocation_plan.xlsx"
    info.value.save_as(path)

    # the workbook's numbers: spends within the budget chosen in the browser, responses from its own curves
    plan = read_plan(path)
    curves = read_curves(path).set_index("name")
    assert len(plan) == len(curves) > 60
    assert plan["spend"].sum() <= 200_000 + 1e-6
    assert plan["spend"].sum() == pytest.approx(200_000, abs=0.01)
    ws = load_workbook(path)["Allocation"]
    header = [c.value for c in ws[1]]
    rows = {r[header.index("Name")]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    got = np.array([rows[n][header.index("Expected revenue")] for n in plan["name"]], dtype=float)
    want = response(curves.loc[plan["name"]].reset_index(), plan["spend"].to_numpy())
    assert np.allclose(got, want, rtol=1e-9, atol=1e-6)
    # the budget survived every page switch
    goto_page(page, "Optimize")
    expect(page.get_by_role("spinbutton", name="Budget for the quarter (USD)")).to_have_value("200000")


@pytest.mark.parametrize("slug,text", [("Optimize", "Budget for the quarter"), ("Export", "Download the plan")])
def test_deep_link(page: Page, app_url, slug, text):
    page.goto(f"{app_url}/{slug}")
    settle(page)
    expect(page.get_by_text(text).first).to_be_visible(timeout=120_000)
