"""A team member in Chromium on the Scenarios page: a deep link on a fresh server, save two plans,
compare them with the chart drawn, load one back into the Optimize page. Its own server, with
the scenarios in a temporary SQLite file (never the user's ~/.planner)."""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from planner.scenarios.database import ENV_PATH, ENV_URL
from planner.scenarios.store import ScenarioStore

pytestmark = pytest.mark.browser

# the app server of this folder's conftest, loaded by path (several conftest modules share that name)
_spec = importlib.util.spec_from_file_location("browser_conftest", Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
start_app, pick_option = _conftest.start_app, _conftest.pick_option
if not Path(_conftest.CHROMIUM).exists():
    pytestmark = [pytestmark, pytest.mark.skip(reason=f"Chromium is not installed at {_conftest.CHROMIUM} "
                                                      "(.ci/run installs it)")]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
BUDGET = re.compile(r"Budget for the quarter \(USD\)|Exact amount \(USD\)")  # the Optimize page's typed budget


@pytest.fixture(scope="module")
def scenario_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scenario-server")
    db = tmp / "scenarios.db"
    saved = {k: os.environ.get(k) for k in (ENV_PATH, ENV_URL)}
    os.environ[ENV_PATH] = str(db)
    os.environ.pop(ENV_URL, None)
    try:
        proc, url = start_app(tmp)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    yield url, db
    proc.terminate()
    proc.wait(timeout=20)


def settle(page: Page, timeout: float = 120_000) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def save(page: Page, name: str) -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Name", exact=True).press("Enter")
    settle(page)
    page.get_by_role("button", name="Save scenario").click()
    settle(page)
    expect(page.get_by_text(f"Saved the plan as '{name}'")).to_be_visible()


def hire_box(page: Page):
    """The Optimize page's "Most creators to hire" box, opening the bounds expander it sits in if closed."""
    box = page.get_by_role("spinbutton", name="Most creators to hire")
    if not box.is_visible():
        page.get_by_text("Bounds per network and creator").first.click()
        settle(page)
    return box


def test_save_compare_and_load_in_the_browser(page: Page, scenario_app, shots):
    url, db = scenario_app
    page.goto(f"{url}/Scenarios")  # the first request of a fresh server is a deep link
    settle(page)
    expect(page.get_by_role("heading", name="Scenarios").first).to_be_visible(timeout=120_000)
    expect(page.get_by_text("No scenarios saved yet")).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Scenarios")).to_be_visible()
    save(page, "Today's budget")

    page.get_by_test_id("stSidebar").get_by_role("link", name="Optimize").click()
    settle(page)
    budget = page.get_by_role("spinbutton", name=BUDGET)
    budget.fill("400000")
    budget.press("Enter")
    settle(page)
    hires = hire_box(page)
    hires.fill("12")
    hires.press("Enter")
    settle(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Scenarios").click()
    settle(page)
    save(page, "Stretch")

    expect(page.get_by_text("Pick two or more scenarios")).to_have_count(0)
    expect(page.get_by_role("strong").filter(has_text="Totals")).to_be_visible()
    expect(page.locator("th").filter(has_text="Totals")).to_have_count(1)  # the grid's accessible table
    assert "Difference (Stretch \u2212 Today's budget)" in page.locator("th").all_text_contents()
    expect(page.locator("th, td").filter(has_text="Most creators to hire")).to_have_count(1)
    chart = page.locator(".vega-embed canvas, .vega-embed svg").first
    expect(chart).to_be_visible(timeout=60_000)
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 200
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": int(min(max(900, height), 8000))})
    page.wait_for_timeout(800)
    page.screenshot(path=shots / "7_scenarios.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    # load the first plan back: the Optimize page shows its budget again
    with ScenarioStore(path=db) as store:
        first = store.load("Today's budget")
        assert store.load("Stretch").budget == 400_000
        assert store.load("Stretch").max_creators == 12 and first.max_creators is None
    assert first.budget < 400_000
    pick_option(page, "Scenario", "Today's budget")
    settle(page)
    page.get_by_role("button", name="Load this plan").click()
    settle(page)
    expect(page.get_by_text("Loaded 'Today's budget' into the current settings")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_role("link", name="Optimize").click()
    settle(page)
    expect(page.get_by_role("spinbutton", name=BUDGET)).to_have_value(f"{first.budget:.0f}")
    expect(hire_box(page)).to_have_value("")
