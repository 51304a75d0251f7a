"""Text a user gave shows as typed on every page: creator handles, file names, a plan's names and a scenario's
name full of Markdown, HTML, LaTeX and Streamlit directives never turn into bold, links, formulas or colours."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import ui.cache
from planner.scenarios.database import ENV_PATH, ENV_URL
from tests.base.markdown_shown import markup_in, shown
from ui.funnel import K_A

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 240
PAGES = ["pages/2_Model.py", "pages/3_Optimize.py", "pages/4_Tradeoffs.py", "pages/5_Finance_plan.py",
         "pages/6_Export.py", "pages/7_Scenarios.py", "pages/8_Plan_over_time.py"]

DATA_FILE = "**fileB** [fileL](javascript:alert(1)) $fileM$ :red[fileC] <i>fileH</i>.csv"
PLAN_FILE = "plan **planB** $planM$ :blue[planC].csv"
CREATORS = {"Instagram": ["@**boldB**", "@:red[colourC]"], "TikTok": ["@[linkL](javascript:alert(1))", "@<b>tagH</b>"],
            "YouTube": ["@$mathM$", "@www.evil.example"]}
GHOST = "@__ghostG__ [g](javascript:alert(2))"  # in the plan, not in the data
SCENARIO = "**Q3S** [scenL](javascript:alert(3)) $scenM$ :red[scenC]"
# what a reader sees of each, and a word of it that shows it is there
HOSTILE = {"Instagram/@**boldB**": "boldB", "Instagram/@:red[colourC]": "colourC",
           "TikTok/@[linkL](javascript:alert(1))": "linkL", "TikTok/@<b>tagH</b>": "tagH",
           "YouTube/@$mathM$": "mathM", "YouTube/@www.evil.example": "evil", DATA_FILE: "fileB",
           PLAN_FILE: "planB", f"TikTok/{GHOST}": "ghostG", SCENARIO: "Q3S"}
# markup the app writes itself: its bold, its lists, a line break, a command in backticks
OURS = {"<strong>", "<ul>", "<li>", "<br>", "<code>"}


def _campaigns() -> bytes:
    rng = np.random.default_rng(16)
    lines = ["Date,Network,Creator,Followers,Fee paid,Reach,Engagements,Clicks,Orders,Promo-code revenue"]
    for w in range(40):
        day = np.datetime64("2025-01-06") + np.timedelta64(7 * w, "D")
        for net, handles in CREATORS.items():
            for i, handle in enumerate(handles):
                fee = float(rng.uniform(200, 2500))
                revenue = (4000 + 1500 * i) * np.log1p(fee / 900) * float(rng.lognormal(0, 0.1))
                clicks = int(fee * 2.5)
                cell = '"' + handle.replace('"', '""') + '"'
                lines.append(f"{day},{net},{cell},{20000 + 1000 * i},{fee:.2f},{int(fee * 40)},{int(fee * 3)},"
                             f"{clicks},{max(1, int(revenue / 60))},{revenue:.2f}")
    return ("\n".join(lines) + "\n").encode()


def _plan() -> bytes:
    rows = ["Network,Creator,Proposed spend"]
    for net, handles in CREATORS.items():
        rows += [f'{net},"{h}",{1500 + 100 * i}' for i, h in enumerate(handles)]
    rows.append(f'TikTok,"{GHOST}",700')
    return ("\n".join(rows) + "\n").encode()


def _texts(at: AppTest) -> list[str]:
    """Every text of the page that Streamlit reads as Markdown, as sent."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "subheader", "header", "title",
                 "toast"):
        out += [str(e.value) for e in at.get(kind)]
    out += [str(e.label) for e in at.expander]
    out += [str(t.label) for t in at.tabs]
    for m in at.metric:
        out += [str(m.label), str(m.value)]
    return out


def _check(at: AppTest, seen: set[str]) -> None:
    assert not at.exception, at.exception
    for text in _texts(at):
        assert not set(markup_in(text)) - OURS, (markup_in(text), text)
        reads = shown(text)
        for hostile, word in HOSTILE.items():
            if word in reads:  # it is in this text: all of it shows, markup characters and all
                assert hostile in reads, (hostile, text)
                seen.add(hostile)


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "scenarios.db"))


def test_names_full_of_markup_show_as_typed_on_every_page(db):
    ui.cache._fits.clear()
    seen: set[str] = set()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.run()
    at.file_uploader[0].upload(DATA_FILE, _campaigns(), "text/csv").run()
    _check(at, seen)
    creators = [o for o in at.selectbox(key=K_A).options if "/@" in o]
    assert sorted(creators) == sorted(f"{n}/{h}" for n, hs in CREATORS.items() for h in hs)  # kept as typed
    for creator in creators:  # the funnel's sentence names the creator compared
        at.selectbox(key=K_A).set_value(creator).run()
        _check(at, seen)
    for page in PAGES:
        at.switch_page(page).run()
        _check(at, seen)
        if page.endswith("3_Optimize.py"):
            at.session_state["optimize_view"] = "What if"
            at.run()
            for creator in creators:
                at.selectbox(key="whatif_target").set_value(creator).run()
                _check(at, seen)
        if page.endswith("5_Finance_plan.py"):
            at.file_uploader[0].upload(PLAN_FILE, _plan(), "text/csv").run()
            _check(at, seen)
        if page.endswith("7_Scenarios.py"):
            at.text_input(key="scenario_name").input(SCENARIO)
            at.button(key="save_scenario").click().run()
            _check(at, seen)
    assert seen == set(HOSTILE), set(HOSTILE) - seen  # each was on a page, so the checks above checked it
