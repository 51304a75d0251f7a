"""The Optimize page plans a calendar quarter where the fit found a yearly wave (AppTest): creators whose campaigns
return 30% more in mid-November are worth more in a Q4 plan than in a Q2 one, the sidebar says which quarter, the
plan over time keeps its own periods' waves, and data without a wave offer no choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.open_page import ok, open_page, save_change_and_load
from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]


def _money(text: str) -> float:
    return float(text.replace("$", "").replace(",", ""))


@pytest.fixture(scope="module")
def season(tmp_path_factory) -> dict:
    from planner.bench.fit_sample import generator

    return generator().generate(tmp_path_factory.mktemp("season") / "data", 9, creator_season=True)


@pytest.fixture(scope="module")
def tracker(season) -> bytes:
    return Path(season["creator_campaigns"]).read_bytes()


def _quarter_box(at: AppTest):
    return next((s for s in at.selectbox if s.label == "Quarter planned"), None)


def test_a_q4_plan_is_worth_more_than_a_q2_plan_and_every_page_plans_the_quarter_chosen(tracker, season):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload("creator_campaigns.xlsx", tracker,
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    at.switch_page("pages/3_Optimize.py").run()
    ok(at)
    box = _quarter_box(at)
    assert box is not None and box.value == ""  # an average quarter, said as such
    captions = [shown(c.value) for c in at.caption]
    assert any(c.startswith("This plan is for an average quarter; the fit found a yearly wave: creators' campaigns "
                            "earn up to ") and c.endswith("Choose the quarter to plan it.") for c in captions), captions
    revenue = {"": _money(next(m.value for m in at.metric if m.label == "Expected revenue"))}
    for q in ("Q2", "Q4"):
        _quarter_box(at).set_value(q).run()
        ok(at)
        revenue[q] = _money(next(m.value for m in at.metric if m.label == "Expected revenue"))
        captions = [shown(c.value) for c in at.caption]
        assert any(c.startswith(f"Planned for {q} (") for c in captions), captions
    assert revenue["Q4"] > 1.1 * revenue[""] > 1.1 * 1.1 * revenue["Q2"]
    sidebar = " ".join(shown(c.value) for c in at.sidebar.caption)
    assert "Quarter: Q4 (October to December)" in sidebar
    at.switch_page("pages/4_Tradeoffs.py").run()  # the same quarter's curves
    ok(at)
    assert "Quarter: Q4 (October to December)" in " ".join(shown(c.value) for c in at.sidebar.caption)
    assert any(shown(c.value).startswith("Planned for Q4 (October to December)") and
               shown(c.value).endswith("Chosen on the Optimize page.") for c in at.caption)
    at.switch_page("pages/5_Finance_plan.py").run()  # finance's plan for this data, valued in the same quarter
    at.file_uploader[0].upload("finance_plan.xlsx", Path(season["finance_plan"]).read_bytes(),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    ok(at, errors=True)
    assert any(shown(c.value).startswith("Planned for Q4 (October to December)") for c in at.caption)
    at.switch_page("pages/8_Plan_over_time.py").run()  # its periods' own waves: no error, no quarter applied twice
    ok(at)
    at.switch_page("pages/3_Optimize.py").run()
    ok(at)
    assert _quarter_box(at).value == "Q4"  # the choice survives the page switch
    assert _money(next(m.value for m in at.metric if m.label == "Expected revenue")) == revenue["Q4"]


def test_data_without_a_wave_offer_no_quarter_to_choose():
    at = open_page("pages/3_Optimize.py")
    assert _quarter_box(at) is None
    assert not any("average quarter" in shown(c.value) for c in at.caption)
    assert not any(n.label.endswith("on the plan's campaigns") for n in at.number_input)  # nor a campaign control


def test_a_scenario_saved_for_q4_loads_back_into_q4(tracker, tmp_path, monkeypatch):
    from planner.scenarios.database import ENV_PATH, ENV_URL

    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "scenarios.db"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.file_uploader[0].upload("creator_campaigns.xlsx", tracker,
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    at.switch_page("pages/3_Optimize.py").run()
    _quarter_box(at).set_value("Q4").run()
    said = save_change_and_load(at, "Holiday quarter", lambda a: _quarter_box(a).set_value("").run())  # average
    assert "planned for Q4 (October to December)." in shown(said)
    assert _quarter_box(at).value == "Q4"
