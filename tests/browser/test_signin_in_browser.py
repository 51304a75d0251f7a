"""A team member signs in with a real OpenID Connect provider (Authlib's authorization server, started by the
test), sees the sign-in screen first, saves a scenario that is hers, sees a colleague's that she cannot rename
or delete, and signs out. Its own app server, with sign-in set up in a temporary secrets file and the
scenarios in a temporary SQLite file."""

from __future__ import annotations

import os
import re
import secrets as random_secrets
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from planner.scenarios.access import Person
from planner.scenarios.database import ENV_PATH, ENV_URL
from planner.scenarios.store import ScenarioStore
from tests.browser.conftest import CHROMIUM, pick_option, start_app  # this folder's app server
from tests.browser.oidc_provider import Provider, SignInUser
from tests.scenarios.scenario_data import make_scenario

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    pytestmark = [pytestmark, pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM} (.ci/run installs it)")]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ANA = SignInUser(sub="u-ana-1", email="Ana.Lopez@example.com", name="Ana Lopez")


@pytest.fixture(scope="module")
def team_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("team-server")
    provider = Provider(ANA).start()
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(
        'PLANNER_ADMINS = "it@example.com"\n\n'
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'  # Streamlit fills in its port
        f'cookie_secret = "{random_secrets.token_hex(32)}"\n'
        f'client_id = "{provider.client.client_id}"\n'
        f'client_secret = "{provider.client.client_secret}"\n'
        f'server_metadata_url = "{provider.issuer}/.well-known/openid-configuration"\n')
    db = tmp / "scenarios.db"
    with ScenarioStore(path=db) as store:
        store.save(make_scenario("Bo's plan"), by=Person("bo@example.com"))
    saved = {k: os.environ.get(k) for k in (ENV_PATH, ENV_URL, "PLANNER_ADMINS")}
    os.environ[ENV_PATH] = str(db)
    os.environ.pop(ENV_URL, None)
    os.environ.pop("PLANNER_ADMINS", None)
    try:
        proc, url = start_app(tmp, f"--secrets.files={secrets_file}")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    yield url, db, provider
    proc.terminate()
    proc.wait(timeout=20)
    provider.stop()


def shown(text: str) -> re.Pattern:
    """``text`` as the page shows it: the app writes e-mails with a word joiner before "@" (never a link)."""
    return re.compile(re.escape(text).replace("@", "\u2060?@"))


def settle(page: Page, timeout: float = 120_000) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=timeout)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_sign_in_save_see_the_owner_and_sign_out(page: Page, team_app, shots):
    url, db, provider = team_app
    page.goto(f"{url}/Scenarios")  # a deep link: the sign-in screen all the same
    settle(page)
    expect(page.get_by_role("heading", name="Budget planner")).to_be_visible(timeout=120_000)
    expect(page.get_by_text("Sign in to plan budgets")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_role("link")).to_have_count(0)
    page.screenshot(path=shots / "sign_in.png")

    page.get_by_role("button", name="Sign in").click()  # to the provider, which approves Ana, and back
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Signed in as")).to_be_visible(timeout=120_000)
    settle(page)
    assert provider.signed_in == 1
    expect(sidebar.get_by_text(shown("Signed in as Ana Lopez (ana.lopez@example.com)"))).to_be_visible()
    expect(sidebar.get_by_role("button", name="Sign out")).to_be_visible()

    sidebar.get_by_role("link", name="Scenarios").click()
    settle(page)
    expect(page.get_by_role("heading", name="Scenarios").first).to_be_visible(timeout=120_000)
    page.get_by_label("Name", exact=True).fill("Ana's Q3")
    page.get_by_label("Name", exact=True).press("Enter")
    settle(page)
    page.get_by_role("button", name="Save scenario").click()
    settle(page)
    expect(page.get_by_text("Saved the plan as 'Ana's Q3'")).to_be_visible()
    with ScenarioStore(path=db) as store:
        assert store.owner("Ana's Q3") == "ana.lopez@example.com"
        assert store.history()["actor"].tolist() == ["ana.lopez@example.com", "bo@example.com"]

    # the list names each scenario's owner (the grid's accessible table); hers can be renamed and deleted
    listed = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Saved (UTC)"))
    expect(listed.locator("th").filter(has_text="Owner")).to_have_count(1)
    cells = listed.locator("td").all_text_contents()
    assert "you" in cells and "bo@example.com" in cells
    expect(page.get_by_role("button", name="Rename")).to_be_visible()
    expect(page.get_by_role("button", name="Delete")).to_be_visible()
    # Bo's: no rename, no delete, and a sentence saying whose it is
    pick_option(page, "Scenario", "Bo's plan")
    settle(page)
    expect(page.get_by_text(shown("'Bo's plan' is bo@example.com's scenario: only they or an admin can rename "
                                  "or delete it."))).to_be_visible()
    expect(page.get_by_role("button", name="Rename")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete")).to_have_count(0)
    expect(page.get_by_role("button", name="Load this plan")).to_be_visible()
    page.get_by_text("Who saved, replaced, renamed or deleted scenarios").click()
    settle(page)
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.wait_for_timeout(800)
    page.screenshot(path=shots / "7_scenarios_signed_in.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    sidebar.get_by_role("button", name="Sign out").click()  # through the provider's end-session endpoint
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)
    settle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_have_count(0)
    page.goto(f"{url}/Scenarios")  # signed out for good: a new visit is the sign-in screen again
    settle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=60_000)
