"""Shared test set-up: in CI (.ci/run sets PLANNER_REQUIRE_*) a missing tool fails the run instead of skipping."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
CHROMIUM = "/usr/bin/chromium"


def pytest_sessionstart(session):
    missing = []
    if os.environ.get("PLANNER_REQUIRE_BROWSER") and not Path(CHROMIUM).exists():
        missing.append(f"Chromium ({CHROMIUM})")
    if os.environ.get("PLANNER_REQUIRE_LIBREOFFICE") and not (shutil.which("soffice") or shutil.which("libreoffice")):
        missing.append("LibreOffice (soffice)")
    peer = ROOT.parent / "shared" / "peer_data"
    if os.environ.get("CI") == "true" and not peer.is_dir():
        missing.append(f"the team's public test data ({peer})")
    if missing:
        pytest.exit(f"CI needs {' and '.join(missing)}; .ci/run installs the tools from Debian.", returncode=1)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE

