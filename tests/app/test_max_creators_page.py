"""The most creators to hire, on the Optimize page (AppTest, sample data)."""

from __future__ import annotations

import re

from test_pages import OPTIMIZE, _app, _network_bound, _texts


def _revenue(at) -> str:
    return {m.label: m.value for m in at.metric}["Expected revenue"]


def test_the_most_creators_to_hire_limits_the_plan_and_says_how_many():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    assert not at.exception and not at.error
    box = at.number_input(key="max_creators_input")
    assert box.label == "Most creators to hire" and box.value is None  # no limit until one is typed
    free = _revenue(at)

    at.number_input(key="max_creators_input").set_value(8).run()
    assert not at.exception, at.exception
    assert not at.error, _texts(at.error)
    assert at.session_state["planner_settings"]["max_creators"] == 8
    captions = " ".join(_texts(at.caption))
    assert "Creators hired: 8 (at most 8)." in captions
    assert "Optimal for these curves only (proven)" in captions  # the sample's weak weekly curves are said too
    assert _revenue(at) != free

    at.number_input(key="max_creators_input").set_value(None).run()  # cleared: no limit again
    assert not at.exception
    assert _revenue(at) == free
    assert "Creators hired:" not in " ".join(_texts(at.caption))


def test_the_most_creators_with_a_network_bound_gives_a_plan_within_both():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    _network_bound(at, "Max spend", 20_000.0)
    at.number_input(key="max_creators_input").set_value(10).run()
    assert not at.exception, at.exception
    assert not at.error, _texts(at.error)
    captions = " ".join(_texts(at.caption))
    hired = re.search(r"Creators hired: (\d+) \(at most 10\)\.", captions)
    assert hired and int(hired.group(1)) <= 10
    assert "(proven)" in captions  # the core's program per network proves it (issue 17, point 4)
    bounds = at.session_state["planner_settings"]["network_bounds"]
    capped = bounds.index[0]
    plan = next(d.value for d in at.dataframe if "Network" in d.value.columns and "Optimal spend" in d.value.columns)
    assert plan.set_index("Network").loc[capped, "Optimal spend"] <= 20_000 + 0.005
