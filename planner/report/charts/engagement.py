"""Revenue against engagement: creators per dollar, and the best plans as engagement gains value.

:func:`revenue_engagement` places each creator by its revenue and its engagements per dollar,
with the creators no other beats on both (the Pareto front); :func:`engagement_front` draws the
plan-level front of :func:`planner.analysis.pareto.pareto_front`, with the plan in use.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from planner.analysis.pareto import undominated
from planner.base.format import count, money, pct, unit_money
from planner.base.names import handle_of
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.style import (
    CHOSEN_COLOR,
    HEIGHT,
    INK,
    MONEY_AXIS,
    OPTIMAL_COLOR,
    PER_DOLLAR,
    RESPONSE_TITLE,
    chart_title,
    network_scale,
    per_dollar_text,
    with_texts,
)
from planner.report.display import column_numbers

__all__ = ["revenue_engagement", "engagement_front"]


def revenue_engagement(
    table: pd.DataFrame,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Creators: expected revenue against engagement, per dollar",
) -> alt.LayerChart | alt.Chart:
    """Draw revenue per dollar against engagements per $1,000, with the Pareto front of creators.

    Parameters
    ----------
    table : DataFrame
        :func:`planner.report.engagement_tables.engagement_table`: name, network, in_plan,
        planned_spend, measured_at, revenue_per_dollar, engagements_per_1000,
        engagements, campaigns and (optional) on_front; without ``on_front`` the
        front is computed here.
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        A point per creator (colour: network; shape: in the plan or not), the
        front's creators solid and named, the others faded, and the front as a
        dashed staircase: no creator beyond it brings both more revenue and more
        engagement per dollar.  Engagements on a log axis (they span orders of
        magnitude across networks).  A text chart when no creator has both numbers.
    """
    need = {"name", "network", "revenue_per_dollar", "engagements_per_1000"}
    if table is None or not len(table) or not need <= set(table.columns):
        return empty_chart("The data has no engagements per creator.", title=title, width=width, height=height)
    d = pd.DataFrame({
        "name": table["name"].astype(str).to_numpy(),
        "network": table["network"].astype(str).to_numpy(),
        "x": column_numbers(table, "engagements_per_1000"),
        "y": column_numbers(table, "revenue_per_dollar"),
        "in_plan": table["in_plan"].fillna(False).astype(bool).to_numpy() if "in_plan" in table.columns
        else np.zeros(len(table), dtype=bool),
        "planned_spend": column_numbers(table, "planned_spend"),
        "engagements": column_numbers(table, "engagements"),
        "campaigns": column_numbers(table, "campaigns"),
        "measured_at": table["measured_at"].astype(str).to_numpy() if "measured_at" in table.columns else "",
    })
    d = d[np.isfinite(d["x"]) & (d["x"] > 0) & np.isfinite(d["y"])].reset_index(drop=True)
    if d.empty:
        return empty_chart("The data has no engagements per creator.", title=title, width=width, height=height)
    if "on_front" in table.columns:
        front = table.set_index(table["name"].astype(str))["on_front"]
        d["on_front"] = d["name"].map(front[~front.index.duplicated()]).fillna(False).astype(bool).to_numpy()
    else:
        d["on_front"] = undominated(d["x"], d["y"])
    d["plan"] = np.where(d["in_plan"], "In the plan", "Not in the plan")
    d["front"] = np.where(d["on_front"], "On the front", "Behind the front")
    d["handle"] = [handle_of(n) or n for n in d["name"]]
    d = with_texts(d, y_text=("y", per_dollar_text), x_text=("x", lambda v: "\u2014" if pd.isna(v) else f"{float(v):,.0f}"),
               planned_text=("planned_spend", money),
               engagements_text=("engagements", lambda v: "\u2014" if pd.isna(v) else f"{float(v):,.0f}"),
               campaigns_text=("campaigns", lambda v: "\u2014" if pd.isna(v) else f"{int(v):d}"))
    tips = [
        alt.Tooltip("name:N", title="Creator"),
        alt.Tooltip("network:N", title="Network"),
        alt.Tooltip("front:N", title="Pareto front"),
        alt.Tooltip("plan:N", title="In the plan"),
        alt.Tooltip("planned_text:N", title="Planned spend"),
        alt.Tooltip("y_text:N", title="Expected revenue per $1"),
        alt.Tooltip("measured_at:N", title="Revenue measured at"),
        alt.Tooltip("x_text:N", title="Engagements per $1,000"),
        alt.Tooltip("engagements_text:N", title="Engagements in the data"),
        alt.Tooltip("campaigns_text:N", title="Campaigns"),
    ]
    x = alt.X("x:Q", title="Engagements per $1,000 of spend (log scale)",
              scale=alt.Scale(type="log", nice=False, padding=12), axis=alt.Axis(format="~s"))
    y = alt.Y("y:Q", title="Expected revenue per $1", axis=alt.Axis(format=PER_DOLLAR),
              scale=alt.Scale(zero=False, padding=12))
    plan = ["In the plan", "Not in the plan"]
    fronts = ["On the front", "Behind the front"]
    layers = []
    f = d[d["on_front"]].sort_values("x")
    if len(f) >= 2:
        layers.append(alt.Chart(inline_data(f.assign(line="Pareto front")))
                      .mark_line(interpolate="step-before", color=INK, strokeDash=[5, 3], strokeWidth=1.5)
                      .encode(x=x, y=y, tooltip=[alt.Tooltip("line:N", title="Line"), *tips]))
    layers.append(on_data(inline_data(d), alt.Chart().mark_point(filled=True, size=110).encode(
        x=x, y=y,
        color=alt.Color("network:N", title="Network", scale=network_scale(d["network"])),
        shape=alt.Shape("plan:N", title="Plan", scale=alt.Scale(domain=plan, range=["circle", "triangle-up"])),
        opacity=alt.Opacity("front:N", scale=alt.Scale(domain=fronts, range=[1.0, 0.25]), legend=None),
        tooltip=tips,
    )))
    if len(f):
        # neighbours on the front alternate above and below their point, so close names do not overlap;
        # names in the right quarter of the axis go to the left of their point, clear of the legend
        lx = np.log10(d["x"].to_numpy(dtype=float))
        right = np.log10(f["x"].to_numpy(dtype=float)) > lx.min() + 0.75 * (lx.max() - lx.min())
        labels = f.assign(side=np.arange(len(f)) % 2, right=right.astype(int))
        ldata = inline_data(labels)
        for side, dy in ((0, -8), (1, 14)):
            for r, align, dx in ((0, "left", 8), (1, "right", -8)):
                layers.append(alt.Chart(ldata).transform_filter(f"datum.side == {side} && datum.right == {r}")
                              .mark_text(align=align, dx=dx, dy=dy, fontSize=11, color=INK)
                              .encode(x=x, y=y, text="handle:N", tooltip=tips))
    notes = [f"{len(f)} of {len(d)} creators on the front (solid, named): none of the others brings both more "
             "revenue and more engagement per dollar.",
             "Revenue per $1 from each creator's curve at today's spend; engagements from its campaigns."]
    return layered(layers, width, height, chart_title(title, notes))


def _engagement_front_frame(front: pd.DataFrame) -> pd.DataFrame:
    """Return the points of :func:`engagement_front` with their tooltip texts."""
    d = pd.DataFrame({c: column_numbers(front, c) for c in ("weight", "revenue", "engagements", "revenue_lost",
                                                    "revenue_lost_pct", "engagements_gained",
                                                    "engagements_gained_pct", "revenue_per_engagement")})
    d = d[np.isfinite(d["revenue"]) & np.isfinite(d["engagements"])].sort_values("engagements")
    return with_texts(
        d.reset_index(drop=True),
        weight_text=("weight", lambda w: "not valued (revenue only)" if w == 0 else unit_money(w)),
        revenue_text=("revenue", money), engagements_text=("engagements", count),
        lost_text=("revenue_lost", money), lost_pct_text=("revenue_lost_pct", lambda v: pct(v, decimals=2)),
        gained_text=("engagements_gained", lambda v: count(v, signed=True)),
        gained_pct_text=("engagements_gained_pct", lambda v: pct(v, signed=True)),
        per_text=("revenue_per_engagement", unit_money),
    )


def engagement_front(
    front: pd.DataFrame,
    chosen_weight: float | None = None,
    chosen_revenue: float | None = None,
    chosen_engagements: float | None = None,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Best plans of the budget: expected revenue against engagements",
) -> alt.LayerChart | alt.Chart:
    """Draw the plan-level Pareto front: expected revenue against expected engagements.

    Parameters
    ----------
    front : DataFrame
        ``planner.analysis.pareto.pareto_front(...).table``: weight, revenue, engagements and
        (optional) revenue_lost(_pct), engagements_gained(_pct), revenue_per_engagement.
    chosen_weight, chosen_revenue, chosen_engagements : float, optional
        The plan in use (its value of an engagement, revenue and engagements), drawn as
        a large orange point and named, whether or not it is one of the front's points.
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        The front as a line with a point per plan (tooltip: the value of an engagement,
        revenue, engagements, what was given up and gained against the revenue-only
        plan), the revenue-only plan named, the chosen plan highlighted.  A text chart
        when the front has no points.
    """
    d = _engagement_front_frame(front) if front is not None and len(front) else pd.DataFrame()
    if d.empty:
        return empty_chart("The data has no engagements per dollar, so revenue cannot be weighed against "
                           "engagement.", title=title, width=width, height=height)
    tips = [
        alt.Tooltip("weight_text:N", title="Value of one engagement"),
        alt.Tooltip("revenue_text:N", title="Expected revenue"),
        alt.Tooltip("engagements_text:N", title="Expected engagements"),
        alt.Tooltip("lost_text:N", title="Revenue given up"),
        alt.Tooltip("lost_pct_text:N", title="Revenue given up, share"),
        alt.Tooltip("gained_text:N", title="Engagements gained"),
        alt.Tooltip("gained_pct_text:N", title="Engagements gained, share"),
        alt.Tooltip("per_text:N", title="Revenue given up per engagement gained"),
    ]
    x = alt.X("engagements:Q", title="Expected engagements per quarter",
              axis=alt.Axis(format=",.3~s"), scale=alt.Scale(zero=False, padding=16))
    y = alt.Y("revenue:Q", title=RESPONSE_TITLE, axis=alt.Axis(format=MONEY_AXIS),
              scale=alt.Scale(zero=False, padding=16))
    data = inline_data(d)
    layers = [
        alt.Chart(data).mark_line(color=OPTIMAL_COLOR, strokeWidth=2).encode(x=x, y=y, tooltip=tips),
        alt.Chart(data).mark_point(filled=True, size=70, color=OPTIMAL_COLOR, opacity=1).encode(x=x, y=y,
                                                                                               tooltip=tips),
    ]
    base = d[d["weight"] == 0]
    notes = ["Each point is the best plan of the budget when one engagement is worth the dollars in its tooltip.",
             "To the right: more engagements for less revenue. No plan lies above and to the right of the line."]
    if len(base):
        layers.append(alt.Chart(inline_data(base.assign(label="Revenue only"))).mark_text(
            align="left", dx=9, dy=12, color=INK).encode(x=x, y=y, text="label:N", tooltip=tips))
    if chosen_revenue is not None and chosen_engagements is not None and np.isfinite(chosen_revenue) \
            and np.isfinite(chosen_engagements):
        w = float(chosen_weight or 0.0)
        r0 = float(base["revenue"].iloc[0]) if len(base) else np.nan
        e0 = float(base["engagements"].iloc[0]) if len(base) else np.nan
        lost, gained = r0 - float(chosen_revenue), float(chosen_engagements) - e0
        c = _engagement_front_frame(pd.DataFrame({
            "weight": [w], "revenue": [float(chosen_revenue)], "engagements": [float(chosen_engagements)],
            "revenue_lost": [lost], "revenue_lost_pct": [lost / r0 if r0 else np.nan],
            "engagements_gained": [gained], "engagements_gained_pct": [gained / e0 if e0 else np.nan],
            "revenue_per_engagement": [lost / gained if w > 0 and gained > 0 else np.nan],
        }))
        label = "Your plan (revenue only)" if w == 0 else f"Your plan ({unit_money(w)} per engagement)"
        cdata = inline_data(c.assign(point="Your plan", label=label))
        ctips = [alt.Tooltip("point:N", title="Point"), *tips]
        layers.append(alt.Chart(cdata).mark_point(filled=True, size=180, color=CHOSEN_COLOR, opacity=1)
                      .encode(x=x, y=y, tooltip=ctips))
        layers.append(alt.Chart(cdata).mark_text(align="right", dx=-11, dy=-12, color=CHOSEN_COLOR,
                                                 fontWeight="bold").encode(x=x, y=y, text="label:N", tooltip=ctips))
        notes.append(f"Orange: your plan, valuing an engagement at {unit_money(w)}; set it on the Optimize page.")
    return layered(layers, width, height, chart_title(title, notes))
