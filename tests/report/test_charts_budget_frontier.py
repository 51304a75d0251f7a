"""The budget frontier (planner.report.charts.budget_frontier): the curve, its marks and the next step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.base.format import money, roas
from planner.report.charts.budget_frontier import frontier, frontier_data
from tests.report.chart_specs import fields, find, spec_of, swapped, tooltip_titles, values, without_data


def test_frontier_layers_points_and_tooltips(frontier_df):
    spec = spec_of(frontier(frontier_df, current_budget=120_000, chosen_budget=250_000))
    (line,) = find(spec, "line")
    assert (fields(line)["x"], fields(line)["y"]) == ("budget", "response")
    assert "Return on the next $1" in tooltip_titles(line)
    (band,) = find(spec, "area")
    assert fields(band)["y2"] == "response_p90"
    cur = values(spec, find(spec, "point", filled=False)[0])
    chosen = values(spec, find(spec, "point", filled=True)[0])
    assert cur["budget"].tolist() == [120_000] and chosen["budget"].tolist() == [250_000]
    expected = np.interp(250_000, frontier_df["budget"], frontier_df["response"])
    assert chosen["response"].iloc[0] == pytest.approx(expected)
    mr = np.interp(250_000, frontier_df["budget"], frontier_df["marginal_return"])
    assert chosen["marginal_text"].iloc[0] == roas(mr, per_dollar=True)
    assert set(values(spec, find(spec, "text")[0])["kind"]) == {"Current budget", "Chosen budget"}
    hover = find(spec, "circle")[0]
    assert values(spec, hover)["budget_text"].iloc[1] == money(50_000)


def test_frontier_estimates_the_next_dollar_without_marginal_return(frontier_df):
    spec = spec_of(frontier(frontier_df.drop(columns=["marginal_return", "response_p10", "response_p90"])))
    assert not find(spec, "area")
    data = values(spec, find(spec, "line")[0])
    assert data["marginal_return"].iloc[0] > data["marginal_return"].iloc[-1] > 0


def test_frontier_with_only_a_chosen_budget(frontier_df):
    spec = spec_of(frontier(frontier_df, chosen_budget=100_000))
    assert not find(spec, "point", filled=False)
    assert values(spec, find(spec, "point", filled=True)[0])["kind"].tolist() == ["Chosen budget"]


def test_frontier_budget_outside_the_range_is_noted_not_drawn(frontier_df):
    spec = spec_of(frontier(frontier_df, current_budget=1_000_000))
    assert not find(spec, "point")
    assert "outside" in " ".join(spec["title"]["subtitle"])


def test_frontier_needs_budget_and_response():
    with pytest.raises(ValueError, match="budget and response"):
        frontier(pd.DataFrame({"spend": [1.0]}))


# --------------------------------------------------------------------------- the budget slider


def test_frontier_marks_what_the_next_step_buys(frontier_df):
    resp = float(np.interp(250_000, frontier_df["budget"], frontier_df["response"]))
    spec = spec_of(frontier(frontier_df, current_budget=120_000, chosen_budget=250_000, chosen_response=resp + 1_000,
                            step=10_000, step_response=resp + 5_000))
    chosen = values(spec, find(spec, "point", filled=True)[0])
    assert chosen["response"].iloc[0] == pytest.approx(resp + 1_000)  # the optimum's own figure, not interpolated
    seg = [v for v in find(spec, "line") if v.get("data", {}).get("name") == "frontier-next-step"]
    assert len(seg) == 1
    data = values(spec, seg[0])
    assert data["budget"].tolist() == [250_000, 260_000]
    assert data["response"].tolist() == pytest.approx([resp + 1_000, resp + 5_000])
    assert "Next $10,000: +$4,000" in data["label"].tolist()
    assert {"Expected revenue added", "Return per $1 of it"} <= set(tooltip_titles(seg[0]))


def test_frontier_spec_stays_the_same_when_only_the_chosen_budget_moves(frontier_df):
    """Streamlit then swaps the data into the chart already drawn instead of drawing it again."""
    def spec_at(budget):
        r = float(np.interp(budget, frontier_df["budget"], frontier_df["response"]))
        return spec_of(frontier(frontier_df, current_budget=120_000, chosen_budget=budget, chosen_response=r,
                                step=10_000, step_response=r + 3_000))
    a, b = spec_at(200_000), spec_at(300_000)
    assert without_data(a) == without_data(b)
    assert a["datasets"]["frontier-budgets"] != b["datasets"]["frontier-budgets"]


def test_frontier_labels_one_point_when_the_chosen_budget_is_todays(frontier_df):
    spec = spec_of(frontier(frontier_df, current_budget=250_000, chosen_budget=250_000))
    labels = values(spec, find(spec, "text")[0])
    assert sorted(labels["label"]) == ["", "Chosen budget = current budget"]


def test_frontier_data_swapped_into_another_budgets_chart_is_that_budgets_chart(frontier_df):
    """What the app does on a slider move: the chart built once, the moving data put in."""
    def kw(budget):
        r = float(np.interp(budget, frontier_df["budget"], frontier_df["response"]))
        return dict(chosen_response=r, step=10_000, step_response=r + 2_500)
    template = spec_of(frontier(frontier_df, 120_000, 200_000, **kw(200_000)))
    data, shape = frontier_data(frontier_df, 120_000, 300_000, **kw(300_000))
    assert shape == frontier_data(frontier_df, 120_000, 200_000, **kw(200_000))[1]
    assert swapped(template, data) == spec_of(frontier(frontier_df, 120_000, 300_000, **kw(300_000)))
    # a budget off the curve changes the subtitle: another shape, so the chart is built afresh
    assert frontier_data(frontier_df, 120_000, 1_000_000)[1] != shape
