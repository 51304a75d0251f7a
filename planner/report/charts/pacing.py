"""Pacing (:class:`planner.analysis.pacing.Pacing`): spend per period, spent and re-planned, against the plan.

:func:`pacing_spend` stacks each period's actual spend and the re-planned rest, and draws the plan's
spend per period over them as a dashed line: where the bars stand above the line, spending is (or is
re-planned to be) ahead of the plan.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from planner.analysis.pacing import Pacing
from planner.base.format import money, signed_money
from planner.report.charts.flighting import period_ticks
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.style import (
    CURRENT_COLOR,
    HEIGHT,
    OPTIMAL_COLOR,
    chart_title,
    money_axis,
    money_scale,
    money_title,
    with_texts,
)

__all__ = ["pacing_spend", "SPENT", "REST", "PLAN"]

SPENT = "Spent"
REST = "Re-planned rest"
PLAN = "The plan"
REST_COLOR = "#9DC3E6"  # the plan's blue, lighter: money not yet spent


def pacing_spend(p: Pacing, *, width: int | str = "container", height: int = HEIGHT,
                 title: str | None = None) -> alt.LayerChart | alt.Chart:
    """Draw each period's spend so far and re-planned rest as stacked bars, the plan's spend as a dashed line.

    Parameters
    ----------
    p : Pacing
        From :func:`planner.analysis.pacing.pace`.
    width, height, title
        Size and title (default "Spend per month: spent and re-planned, against the plan").

    Returns
    -------
    alt.LayerChart
        Bars (spent: blue; re-planned rest: light blue) and the plan's line with hollow points (grey,
        dashed); every mark's tooltip gives the period, the plan, what was spent, the rest and the status.
    """
    per = "week" if p.horizon.period == "week" else "month"
    title = title or f"Spend per {per}: spent and re-planned, against the plan"
    t = p.periods
    if t is None or not len(t):
        return empty_chart(title=title, width=width, height=height)
    d = t.assign(tick=period_ticks(t["period"], p.horizon.period)).drop(columns=["period"])
    d = with_texts(d, plan_text=("planned", money), spent_text=("actual", money), rest_text=("rest", money),
                   expected_text=("expected", money))
    ticks = list(d["tick"])
    x = alt.X("tick:N", title="Week starting" if per == "week" else "Month", sort=ticks,
              axis=alt.Axis(labelAngle=0, labelOverlap="parity", labelSeparation=6, labelLimit=120))
    y = alt.Y("value:Q", title=money_title(f"Spend per {per}"), axis=money_axis(), scale=money_scale(), stack=True)
    tips = [alt.Tooltip("label:N", title="Period"), alt.Tooltip("plan_text:N", title="The plan"),
            alt.Tooltip("spent_text:N", title="Spent"), alt.Tooltip("rest_text:N", title="Re-planned rest"),
            alt.Tooltip("expected_text:N", title="Spent and re-planned"), alt.Tooltip("status:N", title="Status")]
    parts = [SPENT, REST]
    color = alt.Color("part:N", title=None, sort=parts, scale=alt.Scale(domain=parts, range=[OPTIMAL_COLOR, REST_COLOR]),
                      legend=alt.Legend(orient="bottom", direction="horizontal", padding=5))  # level with the line's
    # the plan's line has a legend of its own (stroke and dash share it): a short grey dashed line, not a blob
    line_legend = alt.Legend(orient="bottom", direction="horizontal", symbolType="stroke", symbolStrokeWidth=2,
                             symbolSize=400, symbolOpacity=1)
    # its own field: a legend on the bars' field would be merged with theirs and draw their entries as strokes too
    stroke = alt.Stroke("series:N", title=None, scale=alt.Scale(domain=[PLAN], range=[CURRENT_COLOR]),
                        legend=line_legend)
    dash = alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=[PLAN], range=[[5, 3]]), legend=line_legend)
    bars = pd.concat([d.assign(part=SPENT, value=d["actual"], order=0), d.assign(part=REST, value=d["rest"], order=1)],
                     ignore_index=True)
    line = d.assign(series=PLAN, value=d["planned"])
    views = [
        on_data(inline_data(bars), alt.Chart().mark_bar().encode(x=x, y=y, color=color, order="order:Q",
                                                                 tooltip=tips)),
        on_data(inline_data(line), alt.Chart().mark_line(strokeWidth=2).encode(
            x=x, y=alt.Y("value:Q"), stroke=stroke, strokeDash=dash, tooltip=tips)),
        on_data(inline_data(line), alt.Chart().mark_point(filled=False, size=90, strokeWidth=1.5).encode(
            x=x, y=alt.Y("value:Q"), stroke=stroke, tooltip=tips)),
    ]
    gone = f"Spent to {p.as_of.isoformat()}: {money(p.spent)}, {signed_money(p.spent - p.planned_to_date)} against " \
           f"the plan to date."
    left = f"Left: {money(max(p.remaining, 0.0))}, re-planned over the rest of the horizon." if p.rest is not None \
        else "Nothing is left to plan."
    return layered(views, width, height, chart_title(title, [gone, left]))
