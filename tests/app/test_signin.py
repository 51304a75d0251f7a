"""Sign-in where a team shares a server (AppTest): with ``[auth]`` in the secrets every page shows only the
sign-in screen until someone signs in; signed in, the sidebar says who and offers to sign out; without
``[auth]`` the planner opens as before, for one user."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "streamlit_app.py"
PAGES = ["streamlit_app.py", "pages/2_Model.py", "pages/3_Optimize.py", "pages/4_Tradeoffs.py",
         "pages/5_Finance_plan.py", "pages/6_Export.py", "pages/7_Scenarios.py", "pages/8_Plan_over_time.py"]
TIMEOUT = 120
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 32, "client_id": "planner",
        "client_secret": "s", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def _texts(elements) -> list[str]:
    return [shown(str(e.value)) for e in elements]


def _team_app(user: dict, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    at.secrets = {"auth": dict(AUTH)} if secrets is None else secrets
    at.user = user
    return at


def _shows_only_the_sign_in_screen(at: AppTest, fresh: bool = True) -> None:
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Budget planner"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.dataframe and not at.get("vega_lite_chart") and not at.sidebar.markdown
    if fresh:  # (signing out in a browser opens a new session; AppTest keeps the old one)
        assert "planner_sources" not in at.session_state  # nothing loaded, nothing fitted for a visitor


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_only_the_sign_in_screen_until_someone_signs_in(page):
    at = _team_app({"is_logged_in": False})
    at.run()
    if page != "streamlit_app.py":
        at.switch_page(page).run()
    _shows_only_the_sign_in_screen(at)
    assert "Sign in to plan budgets" in " ".join(_texts(at.markdown))


def test_signed_in_the_planner_opens_and_signing_out_closes_it():
    at = _team_app({"is_logged_in": True, "email": "ana@example.com", "name": "Ana Lopez", "sub": "1"})
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Data" and at.dataframe  # the sample data, as without sign-in
    assert "Signed in as Ana Lopez (ana@example.com)" in _texts(at.sidebar.markdown)
    at.sidebar.button(key="sign_out").click().run()
    assert at.user == {"is_logged_in": False}
    at.run()
    _shows_only_the_sign_in_screen(at, fresh=False)


def test_sign_in_set_up_half_way_is_a_sentence_not_a_traceback():
    at = _team_app({"is_logged_in": False}, secrets={"auth": {"redirect_uri": AUTH["redirect_uri"]}})
    at.run()
    assert not at.exception, at.exception
    assert not at.button and _texts(at.error) == [
        "Sign-in is switched on but no identity provider is set up, so nobody can sign in. Whoever runs the planner "
        "can add client_id, client_secret and server_metadata_url to the [auth] section of its secrets."]
    # set up in the app's eyes, but st.login finds no complete [auth] in the secrets file: said, not raised
    at = _team_app({"is_logged_in": False})
    at.run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    errors = _texts(at.error)
    assert len(errors) == 1 and errors[0].startswith("Sign-in is not set up completely, so nobody can sign in (")


def test_named_providers_each_get_a_button():
    google = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    secrets = {"auth": {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"],
                        "google": google, "okta": dict(google)}}
    at = _team_app({"is_logged_in": False}, secrets=secrets)
    at.run()
    assert [b.label for b in at.button] == ["Sign in with Google", "Sign in with Okta"]


def test_without_sign_in_set_up_the_planner_opens_for_one_user_as_before():
    at = AppTest.from_file(str(MAIN), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Data"
    assert not any("Signed in" in t for t in _texts(at.sidebar.markdown))
    assert not [b for b in at.sidebar.button if b.key == "sign_out"]
