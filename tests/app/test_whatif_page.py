"""The Optimize page's What if tab: move a network or a creator, read the plan with the rest held and re-planned."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]


def _what_if_tab() -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.switch_page("pages/3_Optimize.py").run()
    at.session_state["optimize_view"] = "What if"
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_a_network_up_twenty_per_cent_by_default():
    at = _what_if_tab()
    m = _metrics(at)
    assert m["Rest held: expected revenue"][1].startswith("+$")  # more money, more revenue
    assert m["Rest re-planned: expected revenue"][1].startswith("-$")  # the plan was the best one
    texts = [md.value for md in at.markdown if md.value.startswith("**")]  # the move, in bold
    assert any(shown(t).startswith("Instagram (paid media and creators) from $") and "+20.0%" in shown(t)
               for t in texts)
    table = at.dataframe[-1].value
    assert list(table.columns) == ["Network", "Plan", "Rest held", "Rest re-planned", "Change, re-planned"]
    assert table["Network"].iloc[-1] == "Total"


def test_a_creator_set_to_zero_and_a_network_locked():
    at = _what_if_tab()
    creator = next(o for o in at.selectbox(key="whatif_target").options if "/@" in o)
    at.selectbox(key="whatif_target").set_value(creator.split(" (")[0]).run()
    at.radio(key="whatif_how").set_value("spend").run()
    name = creator.split(" (")[0]
    at.number_input(key=f"whatif_spend_{name}").set_value(0.0).run()
    assert not at.exception, at.exception
    assert any(md.value.startswith("**") and shown(md.value).startswith(f"{name} from $") and "to $0" in shown(md.value)
               for md in at.markdown)
    at.selectbox(key="whatif_target").set_value("TikTok").run()
    at.radio(key="whatif_how").set_value("lock").run()
    assert not at.exception, at.exception
    assert any("Held at today's spend." in shown(md.value) for md in at.markdown)
    assert not at.error
