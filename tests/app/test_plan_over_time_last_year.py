"""The Plan over time page sets the plan beside last year's pattern, driven with AppTest on the sample data.

The sample's paid media runs by week from 2023-01-02 to 2025-12-28 and its creators' campaigns from 2024-01-02
to 2025-11-25: a horizon in 2026 has its year before in the data, the page's default (the next quarter) does
not while the data stops in 2025.
"""

from __future__ import annotations

import json
import re
from datetime import date

from streamlit.testing.v1 import AppTest

from planner.flighting import next_months
from planner.flighting.pattern import year_earlier
from planner.report.charts.flighting import EVEN, FLIGHTED, LAST_YEAR
from tests.app.open_page import ok, open_page
from tests.app.test_plan_over_time_page import PAGE, _metrics, _text, _titles
from tests.base.markdown_shown import shown
from tests.report.chart_specs import mark_type, views

MONEY = r"\$\d{1,3}(,\d{3})*"
METRIC = "Over last year's pattern"
COVERED = "2023-01-02 to 2025-12-28"  # the sample's spend history


def _dates(at: AppTest, start: date, end: date, period: str = "month") -> None:
    at.radio(key="flight_horizon").set_value("dates").run()
    at.radio(key="flight_period").set_value(period).run()
    at.date_input(key="flight_start").set_value(start).run()
    at.date_input(key="flight_end").set_value(end).run()
    ok(at)


def _captions(at: AppTest) -> list[str]:
    return [shown(str(c.value)) for c in at.caption]


def _vs_even(at: AppTest) -> dict:
    return next(s for c in at.get("vega_lite_chart") if "against an even plan" in (s := json.loads(c.proto.spec))
                ["title"]["text"])


def test_the_default_horizon_says_in_words_why_there_is_no_pattern():
    at = open_page(PAGE)
    window = year_earlier(next_months(date.today(), 3, "month"))
    first, last = window["first"].iloc[0].date(), window["last"].iloc[-1].date()
    assert last > date(2025, 12, 28)  # the sample stops before the year before the next quarter
    said = [c for c in _captions(at) if c.startswith("Last year's pattern")]
    assert said and said[0].startswith(f"Last year's pattern needs your spend from {first} to {last}, a year before "
                                       "this horizon; the data covers ")
    assert COVERED in said[0]
    assert METRIC not in _metrics(at) and "last year's pattern" not in _vs_even(at)["title"]["text"]


def test_a_horizon_whose_year_before_the_data_covers_is_compared_with_it():
    at = open_page(PAGE)
    _dates(at, date(2026, 1, 1), date(2026, 3, 31))
    m = _metrics(at)
    assert re.fullmatch(rf"\+{MONEY}", m[METRIC])
    assert list(m)[:3] == ["Expected revenue", "Over an even plan", METRIC]
    text = _text(at)
    said = re.search(rf"Spread over the networks, creators and periods as your spend was from 2025-01-01 to 2025-03-31, "
                     rf"the same budget earns ({MONEY}) on the same model: this plan earns (\+{MONEY}) over last "
                     r"year's pattern\.", text)
    assert said and said.group(3) == m[METRIC]
    assert re.search(rf"Last year's pattern follows your spend from 2025-01-01 to 2025-03-31 \({MONEY}\), scaled to "
                     r"the budget\. \d+ of the 66 networks and creators planned spent nothing then and get nothing in "
                     r"it\.", text)
    chart = _vs_even(at)
    assert chart["title"]["text"] == "This plan against an even plan and last year's pattern: spend per month"
    assert any(s.startswith("Last year's pattern spreads the budget as your spend was from 2025-01-01 to 2025-03-31: "
                            f"this plan earns {m[METRIC]} over it") for s in chart["title"]["subtitle"])
    lines = [v["encoding"]["color"]["scale"]["domain"] for v in views(chart) if mark_type(v) == "line"]
    assert lines == [[FLIGHTED, EVEN, LAST_YEAR]] * 3  # a line per plan, last year's pattern in the legend


def test_weeks_follow_the_weeks_52_weeks_earlier():
    at = open_page(PAGE)
    _dates(at, date(2026, 1, 1), date(2026, 3, 31), "week")
    assert re.fullmatch(rf"\+{MONEY}", _metrics(at)[METRIC])
    assert "as your spend was from 2025-01-02 to 2025-04-01" in _text(at)  # 364 days earlier: Thursdays again
    assert _titles(at)[2] == "This plan against an even plan and last year's pattern: spend per week"


def test_a_year_before_the_data_covers_only_in_part_is_not_compared():
    at = open_page(PAGE)
    _dates(at, date(2026, 10, 1), date(2026, 12, 31))
    assert METRIC not in _metrics(at)
    assert ("Last year's pattern needs your spend from 2025-10-01 to 2025-12-31, a year before this horizon; the data "
            f"covers only 2025-10-01 to 2025-12-28 of it (it runs from {COVERED}), and a pattern from part of those "
            "dates would mislead.") in _captions(at)
    assert "over last year's pattern" not in _text(at)
    assert _titles(at)[2] == "This plan against an even plan: spend per month"
