"""Last year's pattern in words and on the chart of this plan against an even plan, on the sample's curves and spend."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from planner.data.history import spend_history
from planner.data.ingest import load
from planner.fit import saved
from planner.flighting import Horizon, plan_flighting
from planner.flighting.pattern import last_year
from planner.report import charts
from planner.report.charts.flighting import EVEN, FLIGHTED, LAST_YEAR
from planner.report.flight_text import flight_summary, last_year_figure, last_year_sentence
from tests.report.chart_scene import colliding_ticks, crossings, draw, text_box, vlc
from tests.report.chart_specs import mark_type, spec_of, values, views

COLUMN = {1280: 820, 1440: 980}  # the page's main column at these window widths
DECAYS = {"Facebook": 0.6, "Instagram": 0.5, "YouTube": 0.4, "TikTok": 0.3, "Pinterest": 0.2, "X": 0.1}
MONEY = r"\$\d{1,3}(,\d{3})*"


@pytest.fixture(scope="module")
def curves() -> pd.DataFrame:
    c = pd.read_parquet(saved.SAMPLE_FIT).drop(columns="decay", errors="ignore")
    return c.assign(decay=c["name"].map(DECAYS))  # paid media carries over, creators do not


@pytest.fixture(scope="module")
def history(sample_dir) -> pd.DataFrame:
    return spend_history([load(sample_dir / n) for n in ("weekly_paid_media.xlsx", "creator_campaigns.xlsx")])


@pytest.fixture(scope="module")
def compared(curves, history) -> dict:
    """The summer of 2026 in months and in weeks (its year before, 2025, the data covers), and 2027 (it does not)."""
    out = {}
    for name, end, period in (("months", "2026-08-31", "month"), ("weeks", "2026-08-31", "week"),
                              ("uncovered", "2027-08-31", "month")):
        start = date(2027 if name == "uncovered" else 2026, 6, 1)
        plan = plan_flighting(curves, 340_000.0, Horizon(start, date.fromisoformat(end), period))
        out[name] = (plan, last_year(plan, curves, history))
    return out


def test_the_summary_adds_a_sentence_on_last_years_pattern(compared):
    plan, ly = compared["months"]
    earns, even, pattern, proof = flight_summary(plan, ly)
    assert pattern == last_year_sentence(ly, plan.after)
    assert pattern == ("Spread over the networks, creators and periods as your spend was from 2025-06-01 to "
                       f"2025-08-31, the same budget earns ${ly.earns:,.0f} on the same model: this plan earns "
                       f"+${ly.over:,.0f} over last year's pattern. Of that, +${ly.timing:,.0f} is timing (this plan's "
                       "total per network and creator, spent when each spent last year, earns that much less) and "
                       f"+${ly.over - ly.timing:,.0f} the split of the budget between them.")
    assert 0 < ly.timing < ly.over  # the sample's last year spent its money in another mix: most of the gain
    assert ly.over > 0 and proof.startswith("No plan of this budget can earn more than")
    value, help_ = last_year_figure(ly)
    assert value == f"+${ly.over:,.0f}" and help_.endswith(f"valued on the same model, earns ${ly.earns:,.0f}.")


def test_without_a_pattern_the_summary_is_unchanged_and_the_reason_is_a_sentence(compared):
    plan, ly = compared["uncovered"]
    assert flight_summary(plan, ly) == flight_summary(plan)
    assert last_year_figure(ly) is None
    assert last_year_sentence(ly) == ("Last year's pattern needs your spend from 2026-06-01 to 2026-08-31, a year "
                                      "before this horizon; the data covers 2023-01-02 to 2025-12-28.")


def test_counting_after_the_horizon_is_said(curves, history):
    plan = plan_flighting(curves, 340_000.0, Horizon(date(2026, 6, 1), date(2026, 8, 31), "month"), after=True)
    ly = last_year(plan, curves, history)
    assert "on the same model (after the horizon included): this plan earns" in flight_summary(plan, ly)[2]


@pytest.mark.parametrize("plan", ["months", "weeks"])
def test_the_chart_draws_last_years_pattern_as_a_third_plan(compared, plan):
    flight, ly = compared[plan]
    spec = spec_of(charts.flight_vs_even(flight, ly))
    per = "month" if plan == "months" else "week"
    assert spec["title"]["text"] == f"This plan against an even plan and last year's pattern: spend per {per}"
    lines = [values(spec, v) for v in views(spec) if mark_type(v) == "line"]
    assert [set(d["plan"]) for d in lines] == [{FLIGHTED}, {EVEN}, {LAST_YEAR}]
    pattern = lines[2]
    assert pattern["value"].sum() == pytest.approx(340_000.0, abs=0.01)
    by_period = ly.pattern.table.groupby("period")["spend"].sum().to_numpy()
    assert np.allclose(pattern["value"].to_numpy(), by_period, atol=0.01)
    assert pattern["last_year_text"].str.match(MONEY).all()
    said = spec["title"]["subtitle"]
    assert said[1] == (f"Last year's pattern spreads the budget as your spend was from {ly.pattern.first.isoformat()} "
                       f"to {ly.pattern.last.isoformat()}: this plan earns +${ly.over:,.0f} over it.")
    colour = [v["encoding"]["color"]["scale"] for v in views(spec) if "color" in v.get("encoding", {})]
    assert all(c["domain"] == [FLIGHTED, EVEN, LAST_YEAR] for c in colour) and len(colour) == 6
    assert len({str(c["range"]) for c in colour}) == 1 and len(set(colour[0]["range"])) == 3  # three colours


@pytest.mark.parametrize("plan", ["months", "weeks"])
@pytest.mark.parametrize("page", sorted(COLUMN))
def test_the_chart_with_last_year_is_readable_at_the_pages_widths(compared, plan, page):
    chart = charts.flight_vs_even(*compared[plan])
    scene = draw(chart, COLUMN[page])
    assert not crossings(scene) and not colliding_ticks(scene), f"{plan} at {page} px"
    assert scene.width <= COLUMN[page] + 1
    labels = _legend_labels(chart, COLUMN[page])
    assert [t for t, _ in labels] == [FLIGHTED, EVEN, LAST_YEAR]
    for text, (width, limit) in labels:  # written whole: no label cut short by the legend's limit
        assert width <= limit, text


def test_the_legend_draws_each_plan_as_a_line_last_years_pattern_dotted(compared):
    scene = draw(charts.flight_vs_even(*compared["weeks"]), COLUMN[1280])
    shown = dict(zip(scene.legend_labels, scene.legend_symbols, strict=True))
    assert list(shown) == [FLIGHTED, EVEN, LAST_YEAR]
    assert all(s["shape"] == "stroke" for s in shown.values())  # short lines, not filled blobs
    assert shown[EVEN]["strokeDash"] == [5, 3] and shown[LAST_YEAR]["strokeDash"] == [2, 2]
    assert len({s["stroke"] for s in shown.values()}) == 3


def _legend_labels(chart, width: int) -> list[tuple[str, tuple[float, float]]]:
    """Each drawn legend label with its estimated width and the width the legend allows it."""
    out = []

    def walk(mark):
        for it in mark.get("items", []):
            if mark.get("role") == "legend-label":
                left, _, right, _ = text_box(it, 0.0, 0.0)
                out.append((str(it["text"]), (right - left, float(it.get("limit", np.inf)))))
            walk(it)

    walk(vlc.vegalite_to_scenegraph(chart.to_json().replace('"container"', str(width)))["scenegraph"])
    return out


def test_without_a_pattern_the_chart_is_the_even_plans(compared):
    plan, ly = compared["uncovered"]
    assert spec_of(charts.flight_vs_even(plan, ly)) == spec_of(charts.flight_vs_even(plan))
