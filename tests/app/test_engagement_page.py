"""Valuing engagement in the app (AppTest, sample data): the Optimize page's input and reading, the
Tradeoffs page's revenue-engagement front of plans."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_pages import OPTIMIZE, TRADEOFFS, _app, _paid_media_csv, _texts  # the app's pages as tests drive them

FRONT_TITLE = "Best plans of the budget: expected revenue against engagements"


def _ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, _texts(at.error)


def _trade(at: AppTest) -> str | None:
    return next((t for t in _texts(at.markdown) if t.startswith("Valuing an engagement at ")), None)


def _engagements(sentence: str) -> tuple[float, float]:
    m = re.search(r"([\d,]+) in all instead of ([\d,]+)\.$", sentence)
    assert m, sentence
    return tuple(float(g.replace(",", "")) for g in m.groups())


def _front_chart(at: AppTest):
    charts = [c for c in at.get("vega_lite_chart") if FRONT_TITLE in c.proto.spec]
    assert len(charts) == 1, [c.proto.spec[:80] for c in at.get("vega_lite_chart")]
    return charts[0]


def _chart_frames(chart) -> list[pd.DataFrame]:
    """Every data set of a chart: Streamlit moves inline data out of the spec into datasets."""
    import json

    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    frames = [convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets]
    spec = json.loads(chart.proto.spec)
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("values"), list):
                frames.append(pd.DataFrame(node["values"]))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    for rows in spec.get("datasets", {}).values():
        frames.append(pd.DataFrame(rows))
    return frames


def test_the_value_of_an_engagement_feeds_the_plan_and_says_what_it_costs():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    _ok(at)
    box = at.number_input(key="engagement_input")
    assert box.label == "Value of one engagement ($)"
    assert box.value == 0 and not box.disabled
    assert _trade(at) is None  # engagement not valued: nothing to read
    revenue_only = {m.label: m.value for m in at.metric}["Expected revenue"]

    at.number_input(key="engagement_input").set_value(0.05).run()
    _ok(at)
    assert at.session_state["planner_settings"]["engagement_weight"] == 0.05
    sentence = _trade(at)
    assert sentence is not None and sentence.startswith("Valuing an engagement at $0.05 trades $")
    mine, base = _engagements(sentence)
    assert mine > base
    assert {m.label: m.value for m in at.metric}["Expected revenue"] != revenue_only
    assert "+ $0.05 per engagement" in " ".join(_texts(at.sidebar.caption))
    assert any("Engagement is valued at $0.05 each" in t for t in _texts(at.info))

    # the setting survives a page switch and the Tradeoffs page plans with it
    at.switch_page(TRADEOFFS).run()
    _ok(at)
    at.session_state["tradeoffs_view"] = "Revenue and engagement"
    at.run()
    _ok(at)
    assert _trade(at) == sentence
    frames = _chart_frames(_front_chart(at))
    chosen = next(f for f in frames if "label" in f.columns and f["label"].str.startswith("Your plan").any())
    assert chosen["label"].tolist() == ["Your plan ($0.05 per engagement)"]
    assert chosen["engagements"].iloc[0] == pytest.approx(mine, abs=0.5)
    line = max((f for f in frames if {"weight", "revenue", "engagements"} <= set(f.columns)), key=len)
    assert len(line) >= 6 and line["weight"].iloc[0] == 0
    assert np.all(np.diff(line["revenue"]) <= 1e-6 * line["revenue"].iloc[0])
    assert line["engagements"].is_monotonic_increasing
    # the chosen plan lies on the front: between the points of the sweep it falls inside
    assert line["engagements"].min() <= mine <= line["engagements"].max() * (1 + 1e-9)

    at.switch_page(OPTIMIZE).run()
    assert at.number_input(key="engagement_input").value == 0.05
    at.number_input(key="engagement_input").set_value(0.0).run()
    _ok(at)
    assert _trade(at) is None
    assert {m.label: m.value for m in at.metric}["Expected revenue"] == revenue_only


def test_the_tradeoffs_front_marks_the_revenue_only_plan_when_engagement_is_not_valued():
    at = _app()
    at.switch_page(TRADEOFFS).run()
    at.session_state["tradeoffs_view"] = "Revenue and engagement"
    at.run()
    _ok(at)
    frames = _chart_frames(_front_chart(at))
    labels = set().union(*(set(f["label"]) for f in frames if "label" in f.columns))
    assert "Your plan (revenue only)" in labels and "Revenue only" not in labels  # one point, named once
    assert any("Set a value of one engagement on the Optimize page" in c for c in _texts(at.caption))


def test_a_bad_stored_value_plans_for_revenue_without_a_traceback():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    for bad in ("lots", -3.0, float("inf")):
        at.session_state["planner_settings"]["engagement_weight"] = bad
        at.run()
        _ok(at)
        assert _trade(at) is None


def test_data_without_engagements_disables_the_input_and_says_why():
    at = _app()
    at.switch_page(OPTIMIZE).run()
    at.number_input(key="engagement_input").set_value(0.05).run()  # valued on the sample first
    at.switch_page("streamlit_app.py").run()
    at.file_uploader[0].upload("paid.csv", _paid_media_csv(), "text/csv").run()
    _ok(at)
    at.switch_page(OPTIMIZE).run()
    _ok(at)
    assert at.number_input(key="engagement_input").disabled
    assert _trade(at) is None  # the new data has no engagements: the plan is for revenue alone
    at.switch_page(TRADEOFFS).run()
    at.session_state["tradeoffs_view"] = "Revenue and engagement"
    at.run()
    _ok(at)
    assert any("no engagements per dollar" in c for c in _texts(at.caption))
