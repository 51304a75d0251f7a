"""The Optimize page says what was chosen (issue 15.2): its first figure is what the plan maximises, and a
setting that changes nothing says so once, in words that agree with the plan."""

from __future__ import annotations

from test_pages import OPTIMIZE, _app, _texts


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_profit_leads_the_figures_when_the_plan_maximises_profit():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    assert [m.label for m in at.metric][0] == "Expected revenue"
    at.radio(key="objective_input").set_value("profit").run()
    assert not at.exception, at.exception
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["Expected profit", "Expected revenue"]
    figures = _metrics(at)
    revenue = float(figures["Expected revenue"].strip("$").replace(",", ""))
    spend = float(figures["Spend"].strip("$").replace(",", ""))
    margin = at.number_input(key="margin_input").value / 100
    # the profit shown is margin x revenue - spend of the figures beside it (to the dollar of their rounding)
    assert abs(float(figures["Expected profit"].replace("$", "").replace(",", "")) - (margin * revenue - spend)) <= 1
    assert at.metric[0].delta and at.metric[0].delta.endswith("vs current")
    assert not any(t.startswith("Expected profit:") for t in _texts(at.caption))  # said once, as the headline


def test_an_engagement_value_that_moves_nothing_is_said_once():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="budget_input").set_value(412_345).run()
    before = _metrics(at)["Expected revenue"]
    at.number_input(key="engagement_input").set_value(0.0001).run()  # far too little to move a post
    assert not at.exception, at.exception
    assert _metrics(at)["Expected revenue"] == before
    trade = [t for t in _texts(at.markdown) if t.startswith("Valuing an engagement at ")]
    assert len(trade) == 1 and "does not change the plan" in trade[0]
    reading = " ".join(_texts(at.info))
    assert "funded further" not in reading and "Engagement is valued" not in reading
    assert "Expected engagements" in _metrics(at)
