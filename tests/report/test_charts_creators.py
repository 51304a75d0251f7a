"""Creators (planner.report.charts.creators): the scatter and the bars per network that filter it."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.report.charts.creators import NETWORK_PICK, creator_scatter, creators_by_network
from tests.report.chart_specs import assert_empty_chart, fields, find, mark_type, spec_of, tooltip_titles, values, views


@pytest.mark.parametrize(
    "followers",
    [
        {"TikTok/@lena.bakes": 120_000, "TikTok/@max.fit": 40_000},
        pd.Series({"TikTok/@lena.bakes": 120_000, "TikTok/@max.fit": 40_000}),
        pd.DataFrame({"name": ["TikTok/@lena.bakes", "TikTok/@max.fit"], "followers": [120_000, 40_000]}),
    ],
    ids=["dict", "series", "frame"],
)
def test_creator_scatter(allocation, followers):
    spec = spec_of(creator_scatter(allocation, followers=followers))
    (pts,) = find(spec, "point")
    data = values(spec, pts).set_index("name")
    assert set(data.index) == {"TikTok/@lena.bakes", "TikTok/@max.fit", "Instagram/@sara.cooks"}
    assert data.loc["TikTok/@lena.bakes", "status"] == "Chosen"
    assert data.loc["TikTok/@lena.bakes", "x"] == 4_500
    # not chosen: drawn at its current spend
    assert data.loc["TikTok/@max.fit", "status"] == "Not chosen"
    assert data.loc["TikTok/@max.fit", "x"] == 1_000
    assert data.loc["TikTok/@max.fit", "shown_at"] == "current spend"
    assert fields(pts)["size"] == "followers"
    assert data.loc["TikTok/@lena.bakes", "followers_text"] == "120,000"
    assert fields(pts)["color"] == "network"
    assert fields(pts)["shape"] == fields(pts)["opacity"] == "status"
    assert {"Creator", "In the plan", "Planned spend", "Followers"} <= set(tooltip_titles(pts))
    (even,) = find(spec, "line")
    assert even["encoding"]["tooltip"]


def test_creator_scatter_without_followers_has_no_size(allocation):
    spec = spec_of(creator_scatter(allocation))
    assert "size" not in find(spec, "point")[0]["encoding"]
    spec = spec_of(creator_scatter(allocation.assign(followers=range(len(allocation)))))
    assert fields(find(spec, "point")[0])["size"] == "followers"


# --------------------------------------------------------------------------- creators by network


def test_creators_by_network_filters_the_creators_by_a_clicked_network(allocation):
    spec = spec_of(creators_by_network(allocation, followers={"TikTok/@lena.bakes": 120_000}))
    bars_view, scatter = spec["vconcat"]
    (param,) = spec["params"]  # Altair lifts it to the top, naming the bars' view
    assert param["name"] == NETWORK_PICK and param["views"] == [bars_view["name"]]
    assert param["select"]["type"] == "point" and param["select"]["fields"] == ["network"]
    bars = values(spec, bars_view).set_index("network")
    creators = allocation[allocation["name"].str.contains("/")]
    assert bars["spend"].to_dict() == pytest.approx(creators.groupby("network")["spend"].sum().to_dict())
    assert bars_view["encoding"]["tooltip"]
    points = [v for v in views(scatter) if mark_type(v) == "point"]
    assert len(points) == 1
    assert {"param": NETWORK_PICK} in [t.get("filter") for t in points[0]["transform"]]
    assert set(values(spec, points[0])["name"]) == set(creators["name"])
    assert all(v["encoding"].get("tooltip") for v in views(scatter))


def test_creators_by_network_without_creators_says_so(allocation):
    assert_empty_chart(creators_by_network(allocation[~allocation["name"].str.contains("/")]))
