"""The Optimize page's Cautious plan tab: the plan whose total has the highest P10, beside the usual plan."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.base.markdown_shown import shown

ROOT = Path(__file__).resolve().parents[2]


def _money(text: str) -> float:
    return float(text.split("$")[1].split()[0].replace(",", ""))


def test_the_cautious_tab_shows_a_higher_p10_and_what_it_costs():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=240)
    at.run()
    at.switch_page("pages/3_Optimize.py").run()
    usual_band = " ".join(shown(c.value) for c in at.caption)
    usual_p10 = _money(usual_band.split("80% interval: ")[1])
    at.session_state["optimize_view"] = "Cautious plan"
    at.run()
    assert not at.exception, at.exception
    m = {x.label: (x.value, x.delta) for x in at.metric}
    p10, gain = m["P10 of the cautious plan"]
    assert gain.startswith("+$") and gain.endswith("vs usual plan")  # it does what it is named for
    assert abs(_money(p10) - _money(gain) - usual_p10) <= 1  # against the usual P10 the page shows (whole dollars)
    assert m["Expected on the fitted curves"][1].startswith("-$")  # the usual plan is best on the fitted curves
    said = " ".join(shown(i.value) for i in at.info)
    assert "the one whose total has the highest 10th percentile discounts them by" in said
    assert "--risk" not in said
    networks = at.dataframe[-2].value
    assert list(networks.columns) == ["Network", "Usual plan", "Cautious plan", "Change", "Expected revenue, usual",
                                      "Expected revenue, cautious"]
    tried = at.dataframe[-1].value
    assert tried["Kept"].tolist().count("yes") == 1 and tried["Discount (spreads)"].iloc[0] == "0"
