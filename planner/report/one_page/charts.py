"""The one-page report's two charts, rendered to files by vl-convert (SVG for HTML, PNG for PDF).

The charts are the app's own where the app has one (the budget frontier) and a grouped bar of
spend per network (today, this plan, the best split of the same money) in the same style.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import vl_convert as vlc

from planner.report.charts.budget_frontier import frontier
from planner.report.charts.style import (
    CHOSEN_COLOR,
    CURRENT_COLOR,
    OPTIMAL_COLOR,
    SPEND_TITLE,
    chart_title,
    money_axis,
    money_scale,
    money_title,
)
from planner.report.one_page.facts import OnePage

__all__ = ["WIDTH", "report_charts", "split_chart", "frontier_chart", "svg", "png"]

WIDTH = 640
KINDS = ("Today", "This plan", "Best split")


def split_chart(split: pd.DataFrame, width: int = WIDTH) -> alt.Chart:
    """Draw spend per network as grouped horizontal bars: today, this plan and the best split of the same money.

    Parameters
    ----------
    split : DataFrame
        ``network, kind, spend`` (:attr:`OnePage.split`), networks in the order to draw them.
    width : int
        The plot's width in pixels.

    Returns
    -------
    alt.Chart
    """
    networks = list(dict.fromkeys(split["network"].astype(str)))
    kinds = [k for k in KINDS if k in set(split["kind"])]
    colors = dict(zip(KINDS, (CURRENT_COLOR, CHOSEN_COLOR, OPTIMAL_COLOR), strict=True))
    return (
        alt.Chart(split)
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("network:N", title=None, sort=networks, axis=alt.Axis(labelLimit=200)),
            yOffset=alt.YOffset("kind:N", sort=kinds),
            x=alt.X("spend:Q", title=money_title(SPEND_TITLE), axis=money_axis(tickCount=5), scale=money_scale()),
            color=alt.Color("kind:N", title=None, sort=kinds,
                            scale=alt.Scale(domain=kinds, range=[colors[k] for k in kinds]),
                            legend=alt.Legend(orient="top")),
        )
        .properties(width=width, height=max(60, 9 * len(kinds) * len(networks)),
                    title=chart_title("Spend per network"))
    )


def frontier_chart(page: OnePage, width: int = WIDTH) -> alt.LayerChart | None:
    """Draw the best expected revenue per budget with today's total and this plan marked (None without a frontier)."""
    if page.frontier is None or not len(page.frontier):
        return None
    chart = frontier(page.frontier, page.marks["today"], page.marks["plan"],
                     chosen_response=page.marks["plan_response"], width=width, height=175,
                     mark_labels={"Current budget": "Today's total", "Chosen budget": "This plan"})
    return chart.properties(title=chart_title("Best expected revenue per budget",
                                              ["Each point of the line is the best split of that budget."]))


def report_charts(page: OnePage, width: int = WIDTH) -> list[alt.TopLevelMixin]:
    """Return the report's charts in the order they are shown (the split, then the frontier when there is one)."""
    charts: list[alt.TopLevelMixin] = []
    if len(page.split):
        charts.append(split_chart(page.split, width))
    front = frontier_chart(page, width)
    if front is not None:
        charts.append(front)
    return charts


def _spec(chart: alt.TopLevelMixin) -> dict:
    return chart.configure(font="DejaVu Sans, Liberation Sans, Arial, sans-serif",
                           background="white").to_dict()


def svg(chart: alt.TopLevelMixin) -> str:
    """Render ``chart`` as an SVG document (text kept as text, so it prints sharp)."""
    return vlc.vegalite_to_svg(_spec(chart))


def png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """Render ``chart`` as PNG bytes at ``scale`` times its size in pixels."""
    return vlc.vegalite_to_png(_spec(chart), scale=scale)
