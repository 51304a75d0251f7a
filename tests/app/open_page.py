"""Open the app on the sample data at one page, as a user who clicks it in the sidebar."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180


def open_page(page: str, timeout: float = TIMEOUT, errors: bool = False) -> AppTest:
    """Return the app run on the sample and switched to ``page`` (``pages/9_Pacing.py``), checked by :func:`ok`."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    at.run()
    at.switch_page(page).run()
    ok(at, errors)
    return at


def ok(at: AppTest, errors: bool = False) -> None:
    """Assert the run raised nothing and, unless ``errors``, showed no error box."""
    assert not at.exception, at.exception
    if not errors:
        assert not at.error, [e.value for e in at.error]


def save_change_and_load(at: AppTest, name: str, change) -> str:
    """Save the plan as scenario ``name``, call ``change(at)`` on the Optimize page, load it back; return the load's
    message (the Optimize page is then open again)."""
    at.switch_page("pages/7_Scenarios.py").run()
    at.text_input(key="scenario_name").input(name)
    at.button(key="save_scenario").click().run()
    ok(at)
    at.switch_page("pages/3_Optimize.py").run()
    change(at)
    at.switch_page("pages/7_Scenarios.py").run()
    at.selectbox(key="scenario_pick").select(name)
    at.button(key="load_scenario").click().run()
    ok(at)
    said = " ".join(str(s.value) for s in at.success)
    at.switch_page("pages/3_Optimize.py").run()
    ok(at)
    return said
