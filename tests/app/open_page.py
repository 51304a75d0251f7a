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
