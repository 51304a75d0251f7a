"""Browser tests: a real Streamlit server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "test-artifacts" / "screenshots"

if not Path(CHROMIUM).exists():
    pytestmark = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM} (.ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(tmp_dir: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run streamlit_app.py`` (with ``args``, e.g. ``--secrets.files=...``); return it and its URL."""
    port = _free_port()
    log = open(tmp_dir / f"streamlit-{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
         "--server.fileWatcherType=none", *args],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"the app did not start; see {log.name}")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    proc, url = start_app(tmp_path_factory.mktemp("server"))
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def fresh_app_url(tmp_path):
    """A second server, started for the test alone: its first request is whatever the test asks first."""
    proc, url = start_app(tmp_path)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "accept_downloads": True}


@pytest.fixture(scope="session")
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def pick_option(page, label: str, option: str) -> None:
    """Open the selectbox labelled ``label`` and pick ``option``, as a user clicks its box and then the option.

    The click goes to the box's combobox (not the middle of the widget, which a warning above can move onto
    the label's edge), and is made again when the list did not open (a rerun can swallow the first click).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.scroll_into_view_if_needed()
    wanted = page.get_by_role("option", name=option)
    for _ in range(3):
        box.get_by_role("combobox").click()
        try:
            wanted.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    wanted.click()
