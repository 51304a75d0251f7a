"""What finance and the team receive, in Chromium (issues 14 and 15): euros read from an ad export and shown
on every page, the What if tab, a saved scenario read on today's curves, the headline following the
objective, pages without creator views on data without creators, a counted warning. Screenshots go to
test-artifacts/screenshots (named in each test)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from planner.scenarios.database import ENV_PATH, ENV_URL
from tests.browser.test_app_in_browser import goto_page, open_tab, settle, snap

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
EUR_EXPORT = ROOT / "sample_data" / "meta_ads_export_eur.csv"

_spec = importlib.util.spec_from_file_location("browser_conftest_finance", Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)


def upload(page: Page, *paths: Path) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(p) for p in paths])
    settle(page)


def test_euros_from_an_ad_export_on_every_page(page: Page, app_url, shots):
    page.goto(app_url)
    settle(page)
    upload(page, EUR_EXPORT)
    expect(page.get_by_text('Amounts are in euros (EUR), as meta_ads_export_eur.csv, column "Amount spent (EUR)" '
                            "says.")).to_be_visible()
    snap(page, shots / "14_currency_data.png")
    goto_page(page, "Optimize")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("€")
    box = page.get_by_role("spinbutton", name="Exact amount (EUR)")
    expect(box).to_be_visible()
    assert "$" not in page.get_by_test_id("stMetric").first.inner_text()
    box.fill("30000")
    box.press("Enter")  # the plan's fragment reruns alone, in a thread of its own: still in euros
    settle(page)
    expect(page.get_by_text("Budget: €30,000 per quarter,")).to_be_visible()
    metrics = " ".join(page.get_by_test_id("stMetric").all_inner_texts())
    assert "€" in metrics and "$" not in metrics, metrics
    snap(page, shots / "14_currency_optimize.png")
    goto_page(page, "Data")
    page.get_by_role("button", name="Back to the sample data").click()
    settle(page)


def test_what_if_tab_moves_a_network_both_ways(page: Page, app_url, shots):
    page.goto(app_url)
    settle(page)
    goto_page(page, "Optimize")
    open_tab(page, "What if")
    expect(page.get_by_text("Rest held: expected revenue")).to_be_visible()
    expect(page.get_by_text("Rest re-planned: expected revenue")).to_be_visible()
    expect(page.get_by_text("(paid media and creators) from $").first).to_be_visible()
    page.get_by_text("Lock at today's spend").click()
    settle(page)
    expect(page.get_by_text("Held at today's spend.").first).to_be_visible()
    snap(page, shots / "14_what_if.png")


def test_profit_headline_and_a_counted_warning(page: Page, app_url, shots):
    page.goto(app_url)
    settle(page)
    goto_page(page, "Optimize")
    page.get_by_text("Profit", exact=True).click()
    settle(page)
    first = page.get_by_test_id("stMetric").first
    expect(first).to_contain_text("Expected profit")
    snap(page, shots / "15_profit_headline.png")
    page.get_by_text("Revenue", exact=True).first.click()
    settle(page)
    goto_page(page, "Finance plan")
    expect(page.get_by_text("and 38 more").first).to_be_visible()
    snap(page, shots / "15_finance_warning_counted.png")


def test_data_without_creators_has_no_creator_views(page: Page, app_url, shots, tmp_path):
    csv = tmp_path / "paid_media.csv"
    lines = ["Date,Network,Spend,Revenue"]
    for w in range(30):
        for net, base in (("Reddit", 900), ("Snapchat", 1400)):
            spend = base + 37 * ((w * 7) % 11)
            lines.append(f"2026-0{1 + w // 9}-{1 + (w * 3) % 28:02d},{net},{spend},{int(spend * 3.1 + 50 * (w % 5))}")
    csv.write_text("\n".join(lines) + "\n")
    page.goto(app_url)
    settle(page)
    upload(page, csv)
    goto_page(page, "Model")
    expect(page.get_by_test_id("stMain")).not_to_contain_text("pulled toward their network")
    expect(page.get_by_text("Creators", exact=True)).to_have_count(0)
    snap(page, shots / "15_model_without_creators.png")
    goto_page(page, "Data")
    page.get_by_role("button", name="Back to the sample data").click()
    settle(page)


@pytest.fixture(scope="module")
def refresh_app(tmp_path_factory):
    """A server whose scenario database holds a plan saved on older curves (Instagram looked better then)."""
    import pandas as pd

    from planner.fit.saved import SAMPLE_FIT
    from planner.optimize import optimize
    from planner.scenarios import Scenario, ScenarioStore

    tmp = tmp_path_factory.mktemp("refresh-server")
    db = tmp / "scenarios.db"
    older = pd.read_parquet(SAMPLE_FIT)
    older.loc[older["network"] == "Instagram", "beta"] *= 1.25
    with ScenarioStore(path=db) as store:
        store.save(Scenario.from_allocation("Last quarter", optimize(older, 300_000), older, fingerprint="older"))
    saved = {k: os.environ.get(k) for k in (ENV_PATH, ENV_URL)}
    os.environ[ENV_PATH] = str(db)
    os.environ.pop(ENV_URL, None)
    try:
        proc, url = _conftest.start_app(tmp)
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_a_saved_scenario_read_on_todays_curves(page: Page, refresh_app, shots):
    page.goto(f"{refresh_app}/Scenarios")
    settle(page)
    expect(page.get_by_text("Saved plan, on today's curves")).to_be_visible()
    expect(page.get_by_text("At the saved spend, the curves that moved most: Instagram")).to_be_visible()
    snap(page, shots / "14_refresh_scenario.png")
