"""A user in Chromium: every page through the sidebar and by deep link, charts drawn, a chart selection,
the budget slider's redraw time, the workbook download.  Screenshots go to test-artifacts/screenshots."""

from __future__ import annotations

import json
import statistics

import numpy as np
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from planner.curves.files import read_curves
from planner.curves.forms import response
from planner.data.plans import read_plan
from ui.widgets import PAGES

pytestmark = pytest.mark.browser
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHART = ".vega-embed"
FRONTIER_TITLE = "Best expected revenue for each total budget"


def settle(page: Page, timeout: float = 180_000) -> None:
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


def drawn_charts(page: Page) -> int:
    """Charts on the page that Vega has drawn: an svg or canvas with marks in it."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(e => {
               const svg = e.querySelector('svg.marks');
               if (svg) return svg.querySelectorAll('path, line, text').length > 10;
               const c = e.querySelector('canvas');
               return !!c && c.width > 50 && c.height > 50;
           }).length""", CHART)


def chart_text(page: Page, title: str) -> str:
    """All text Vega drew in the chart whose title is ``title`` (its svg, marks and labels included)."""
    return page.evaluate(
        """(title) => { const e = [...document.querySelectorAll('.vega-embed')]
               .find(x => x.textContent.includes(title)); return e ? e.querySelector('svg').textContent : ''; }""",
        title)


def goto_page(page: Page, label: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=label).click()
    settle(page)


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    settle(page)


def exact_budget(page: Page):
    return page.get_by_role("spinbutton", name="Exact amount (USD)")


# ----------------------------------------------------------------------------- every page through the sidebar


def test_every_page_through_the_sidebar_and_the_workbook(page: Page, app_url, shots, tmp_path):
    page.goto(app_url)
    settle(page)
    expect(page.get_by_text("60 creators", exact=False).first).to_be_visible(timeout=120_000)
    snap(page, shots / "1_data.png")

    goto_page(page, "Model")
    expect(page.locator(CHART).first).to_be_visible(timeout=60_000)
    assert drawn_charts(page) >= 2  # the networks' curves and the marketing-mix decomposition
    snap(page, shots / "2_model.png")

    goto_page(page, "Optimize")
    budget = exact_budget(page)
    budget.fill("200000")
    budget.press("Enter")
    settle(page)
    expect(page.get_by_test_id("stMetricValue").nth(2)).to_have_text("$200,000")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("$200,000 per quarter")
    assert drawn_charts(page) >= 1  # current against optimal spend per network
    snap(page, shots / "3_optimize.png")
    open_tab(page, "Cautious plan")
    settle(page)
    expect(page.get_by_text("P10 of the cautious plan")).to_be_visible()
    expect(page.get_by_text("vs usual plan").first).to_be_visible()
    snap(page, shots / "3b_optimize_cautious.png")
    open_tab(page, "By network")
    settle(page)

    goto_page(page, "Tradeoffs")
    expect(page.get_by_text("Next $10,000 buys")).to_be_visible()
    assert "Next $10,000: +$" in chart_text(page, FRONTIER_TITLE)
    assert drawn_charts(page) >= 2  # frontier, current against optimal per network
    snap(page, shots / "4_tradeoffs.png")
    for i, tab in enumerate(["Where returns flatten", "Creators", "Revenue and engagement"]):
        open_tab(page, tab)
        page.wait_for_timeout(500)
        assert drawn_charts(page) >= 1, tab
        snap(page, shots / f"4{'bcd'[i]}_tradeoffs_{tab.split()[0].lower()}.png")
    assert "Pareto" in page.locator("body").inner_text() or "front" in page.locator("body").inner_text()

    goto_page(page, "Finance plan")
    expect(page.get_by_text("Plan's expected revenue")).to_be_visible()
    snap(page, shots / "5_finance_plan.png")

    goto_page(page, "Export")
    snap(page, shots / "6_export.png")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the plan (Excel)").click()
    path = tmp_path / "allocation_plan.xlsx"
    info.value.save_as(path)

    seen = ("Data", "Model", "Optimize", "Tradeoffs", "Finance plan", "Export")
    for page_file, label, _ in PAGES:  # pages added beside these (Plan over time, Scenarios) open from the sidebar too
        if label in seen:
            continue
        goto_page(page, label)
        expect(page.get_by_role("heading", name=label).first).to_be_visible()
        snap(page, shots / f"{page_file.split('/')[-1][:-3].lower()}.png")  # 7_scenarios.png, 8_plan_over_time.png

    # the workbook's numbers: spends within the budget chosen in the browser, responses from its own curves
    plan = read_plan(path)
    curves = read_curves(path).set_index("name")
    assert len(plan) == len(curves) > 60
    assert plan["spend"].sum() <= 200_000 + 1e-6
    assert plan["spend"].sum() == pytest.approx(200_000, abs=0.01)
    ws = load_workbook(path, data_only=True)["Allocation"]  # each formula's saved value
    header = [c.value for c in ws[1]]
    rows = {r[header.index("Name")]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    got = np.array([rows[n][header.index("Expected revenue")] for n in plan["name"]], dtype=float)
    want = response(curves.loc[plan["name"]].reset_index(), plan["spend"].to_numpy())
    assert np.allclose(got, want, rtol=1e-9, atol=1e-6)
    # the budget survived every page switch
    goto_page(page, "Optimize")
    expect(exact_budget(page)).to_have_value("200000")


# ----------------------------------------------------------------------------- the budget slider

# In the page: remember when a key goes down, then on every animation frame look at the first metric
# (expected revenue) and at the text of the frontier chart (its "Next $10,000: +$..." label moves with
# the chosen budget); the time is from the key to the frame where both show the new plan.
WATCH = """() => {
  window.__t0 = null;
  window.addEventListener('keydown', () => { window.__t0 = performance.now(); }, {capture: true, once: true});
  window.__look = () => {
    const m = document.querySelector('[data-testid="stMetricValue"]');
    const c = [...document.querySelectorAll('.vega-embed')].find(e => e.textContent.includes('%s'));
    return {metric: m ? m.textContent : '', chart: c && c.querySelector('svg') ? c.querySelector('svg').textContent : ''};
  };
  return window.__look();
}""".replace("%s", FRONTIER_TITLE)
REDRAWN = """(before) => {
  const now = window.__look();
  if (window.__t0 !== null && now.metric !== before.metric && now.chart && now.chart !== before.chart)
    return {ms: performance.now() - window.__t0, metric: now.metric};
  return null;
}"""


def test_budget_slider_redraws_the_plan_without_refitting(page: Page, app_url, shots):
    page.goto(f"{app_url}/Tradeoffs")
    settle(page)  # the first visit fits the curves and plans every budget of the slider (progress bars)
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible()
    thumb = page.get_by_test_id("stSlider").get_by_role("slider")
    thumb.focus()
    timings, revenues = [], []
    for key in ["ArrowLeft"] * 4 + ["ArrowRight"] * 4:
        before = page.evaluate(WATCH)
        page.keyboard.press(key)
        result = page.wait_for_function(REDRAWN, arg=before, polling="raf", timeout=15_000).json_value()
        timings.append(round(result["ms"], 1))
        revenues.append(result["metric"])
        settle(page)
        expect(page.get_by_text("Fitting response curves")).to_have_count(0)  # nothing was refitted
    snap(page, shots / "4e_tradeoffs_after_slider.png")
    # the plan changed with the budget: lower budgets first, then back up to today's spend
    assert len(set(revenues)) >= 4
    value = page.get_by_test_id("stSlider").get_by_role("slider").get_attribute("aria-valuetext") or ""
    report = {"moves": len(timings), "ms": timings, "median_ms": statistics.median(timings), "max_ms": max(timings),
              "goal_ms": 300, "final_slider": value}
    (shots.parent / "slider_timing.json").write_text(json.dumps(report, indent=2))
    print(f"\nbudget slider redraw (key press to new metric and frontier drawn), ms: {timings}; "
          f"median {report['median_ms']} ms")
    # the redraw's speed is printed and kept in slider_timing.json, never asserted (tests do not race the
    # clock): what is asserted is that a move of the slider neither refits (above) nor plans the frontier again
    expect(page.get_by_text("Computing the best plan")).to_have_count(0)
    expect(page.get_by_text("Best plan for a budget of")).to_have_count(0)


# ----------------------------------------------------------------------------- a chart selection, round trip


def test_clicking_a_network_filters_the_creators(page: Page, app_url, shots):
    page.goto(f"{app_url}/Tradeoffs")
    settle(page)
    open_tab(page, "Creators")
    expect(page.get_by_text("creators on every network")).to_be_visible(timeout=60_000)
    chart = page.locator(CHART).filter(has_text="click a network").first
    expect(chart).to_be_visible(timeout=60_000)
    points_before = chart.locator('path[aria-label*="Creator: "]').count()
    assert points_before >= 50
    bar = chart.locator('path[aria-label*="Network: TikTok;"][aria-label*="Creators in the plan"]').first
    bar.scroll_into_view_if_needed()  # the page's warnings above may push the chart below the fold
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a click on the drawing
    settle(page)
    # Python got the selection back (on_select) and filtered the table; the chart shows TikTok's creators only
    expect(page.get_by_text("creators on TikTok")).to_be_visible(timeout=60_000)
    table = page.get_by_test_id("stDataFrame").first
    expect(table).to_contain_text("TikTok/@", timeout=60_000)
    chart = page.locator(CHART).filter(has_text="click a network").first
    shown = chart.locator('path[aria-label*="Creator: "]')
    expect(shown.first).to_be_visible(timeout=60_000)
    labels = [shown.nth(i).get_attribute("aria-label") for i in range(shown.count())]
    assert 0 < len(labels) < points_before
    assert all("Network: TikTok;" in a for a in labels), labels[:3]
    snap(page, shots / "4f_tradeoffs_creators_tiktok.png")
    # a double-click clears it: every creator again (on the bar where it is now: the screenshot moved the page)
    bar = chart.locator('path[aria-label*="Network: TikTok;"][aria-label*="Creators in the plan"]').first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)
    expect(page.get_by_text("creators on every network")).to_be_visible(timeout=60_000)


# ----------------------------------------------------------------------------- deep links on a fresh server


def test_every_page_by_deep_link_on_a_fresh_server(browser, fresh_app_url, shots):
    """The first request a new server gets is a deep link; then every page by its own address, each a new session."""
    url = fresh_app_url
    slugs = [("", "Data")] + [(path.split("/")[-1][2:-3], label) for path, label, _ in PAGES[1:]]
    first = ("Tradeoffs", "Tradeoffs")
    for i, (slug, label) in enumerate([first] + slugs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/{slug}")
        settle(page)
        expect(page.get_by_role("heading", name=label, exact=True).first).to_be_visible()
        sidebar = page.get_by_test_id("stSidebar")
        for _, other, _ in PAGES:  # our navigation with clean labels, not a list of file names
            expect(sidebar.get_by_role("link", name=other, exact=True)).to_be_visible()
        expect(sidebar).to_contain_text("Data: Sample data")
        if label in ("Model", "Optimize", "Tradeoffs"):
            expect(page.locator(CHART).first).to_be_visible(timeout=60_000)
            assert drawn_charts(page) >= 1, label
        if i == 0:  # the server's very first request: the sample's fit ships with the app, nothing is fitted
            expect(page.get_by_text("Fitting response curves")).to_have_count(0)
            snap(page, shots / "0_deep_link_tradeoffs_fresh_server.png")
        context.close()
