"""Every hostile file of issue 16 uploaded on the Data page: its sentence is shown, never an exception."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.fixtures.hostile import CASES, write_corpus

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "streamlit_app.py"


def _plain(text: str) -> str:
    """The text of a message as a user reads it (Markdown's escaping and invisible word joiners removed)."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


def _shown(at: AppTest) -> list[str]:
    said = [_plain(str(e.value)) for e in at.error]
    for table in at.dataframe:
        if "Message" in table.value.columns:
            said += list(table.value["Message"])
    return said


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("hostile"))


def test_every_hostile_upload_shows_its_sentence(corpus):
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.run()
    missing = []
    for case in CASES:
        path = corpus / f"{case.name}{case.suffix}"
        at.file_uploader[0].upload(path.name, path.read_bytes(), "application/octet-stream").run()
        assert not at.exception, (case.name, at.exception)
        shown = _shown(at)
        assert not any("this is a bug" in s for s in shown), (case.name, shown)
        if case.sentence and not any(case.sentence in s for s in shown):
            missing.append((case.name, shown))
    assert not missing


@pytest.mark.parametrize("name", ["huge_number", "far_dates", "merged_networks"])
def test_the_model_and_optimize_pages_take_a_hostile_file_without_an_exception(name, corpus):
    case = next(c for c in CASES if c.name == name)
    at = AppTest.from_file(str(MAIN), default_timeout=180)
    at.run()
    path = corpus / f"{case.name}{case.suffix}"
    at.file_uploader[0].upload(path.name, path.read_bytes(), "application/octet-stream").run()
    for page in ("pages/2_Model.py", "pages/3_Optimize.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not any("this is a bug" in _plain(str(e.value)) for e in at.error), page
        assert any("Spend" in d.value.columns or "spend" in " ".join(map(str, d.value.columns)).lower()
                   for d in at.dataframe), page
