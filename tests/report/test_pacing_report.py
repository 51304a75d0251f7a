"""Pacing in a chart and tables (planner.report.charts.pacing, planner.report.pacing_text), on the samples: the
team's plan for the first half of 2026 against its spend to 13 March."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.analysis.actuals_file import read_actuals
from planner.analysis.flight_plan_file import read_plan_over_time
from planner.analysis.pacing import pace
from planner.fit import saved
from planner.report.charts.pacing import PLAN, REST, SPENT, pacing_spend
from planner.report.charts.style import CURRENT_COLOR
from planner.report.pacing_text import STATUS, TOTAL, pacing_tables
from tests.report.chart_scene import colliding_ticks, crossings, draw
from tests.report.chart_specs import mark_type, spec_of, values, views

COLUMN = {1280: 820, 1440: 980}  # the page's main column at these window widths
MONEY_COLUMNS = ["Plan", "Plan to date", "Spent", "Difference", "Re-planned rest", "Expected spend"]


@pytest.fixture(scope="module")
def paced(sample_dir):
    plan = read_plan_over_time(sample_dir / "plan_h1_2026.xlsx")
    return pace(pd.read_parquet(saved.SAMPLE_FIT), plan.table, plan.horizon,
                read_actuals(sample_dir / "spend_to_date.csv"))


def test_the_bars_are_spent_and_rest_and_the_plan_a_dashed_line(paced):
    spec = spec_of(pacing_spend(paced))
    (bars,) = [v for v in views(spec) if mark_type(v) == "bar"]
    (line,) = [v for v in views(spec) if mark_type(v) == "line"]
    drawn = values(spec, bars)
    assert set(drawn["part"]) == {SPENT, REST}
    assert drawn["value"].sum() == pytest.approx(paced.periods["expected"].sum(), abs=0.01)
    assert values(spec, line)["value"].sum() == pytest.approx(paced.periods["planned"].sum(), abs=0.01)
    # the dash is an encoding with a scale (not a mark property), so the legend can draw it
    assert "strokeDash" not in line["mark"]
    dash = line["encoding"]["strokeDash"]
    assert dash["scale"] == {"domain": [PLAN], "range": [[5, 3]]}


def test_the_plans_legend_is_a_grey_dashed_line_and_the_bars_keep_their_squares(paced):
    chart = pacing_spend(paced)
    spec = spec_of(chart)
    (line,) = [v for v in views(spec) if mark_type(v) == "line"]
    stroke, dash = line["encoding"]["stroke"], line["encoding"]["strokeDash"]
    assert stroke["legend"]["symbolType"] == "stroke" and dash["legend"] == stroke["legend"]
    (bars,) = [v for v in views(spec) if mark_type(v) == "bar"]
    # a field of its own: on the bars' field the browser merged the two legends and drew no squares for the bars
    assert stroke["field"] != bars["encoding"]["color"]["field"]
    scene = draw(chart, COLUMN[1280])
    shown = dict(zip(scene.legend_labels, scene.legend_symbols, strict=True))
    assert list(shown) == [SPENT, REST, PLAN]  # the plan once: stroke and dash in one legend
    assert shown[PLAN]["shape"] == "stroke" and shown[PLAN]["strokeDash"] == [5, 3]
    assert shown[PLAN]["stroke"] == CURRENT_COLOR
    assert shown[SPENT]["shape"] == shown[REST]["shape"] == "square"  # bars: filled


@pytest.mark.parametrize("page", sorted(COLUMN))
def test_the_chart_is_readable_at_the_pages_widths(paced, page):
    scene = draw(pacing_spend(paced), COLUMN[page])
    assert not crossings(scene) and not colliding_ticks(scene)
    assert scene.width <= COLUMN[page] + 1


def test_the_tables_name_their_columns_and_statuses_in_words(paced):
    t = pacing_tables(paced)
    assert list(t.by_period.columns) == ["Period", "Plan", "Plan to date", "Spent", "Re-planned rest",
                                         "Expected spend", "Status"]
    assert list(t.by_network.columns) == ["Network", *MONEY_COLUMNS[:4], "Status", *MONEY_COLUMNS[4:]]
    assert list(t.by_row.columns) == ["Name", "Network", *MONEY_COLUMNS[:4], "Status", *MONEY_COLUMNS[4:]]
    words = set(STATUS.values())
    for table in t:
        assert set(table["Status"]) <= words, set(table["Status"])
    assert t.by_period["Period"].iloc[-1] == TOTAL
    assert list(t.by_period["Status"][:4]) == ["On pace", "On pace", "On pace", "To come"]
    assert t.by_network["Spent"].sum() == pytest.approx(t.by_row["Spent"].sum(), abs=0.01)
    assert t.by_network["Spent"].sum() == pytest.approx(t.by_period["Spent"].iloc[:-1].sum(), abs=0.01)
