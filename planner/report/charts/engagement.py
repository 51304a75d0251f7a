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
from planner.base.currency import current
from planner.base.format import count, money, pct, unit_money
from planner.base.names import handle_of
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.placement import Frame, nice_end, place_labels, text_layers, with_places
from planner.report.charts.style import (
    CHOSEN_COLOR,
    HEIGHT,
    INK,
    OPTIMAL_COLOR,
    RESPONSE_TITLE,
    chart_title,
    count_expr,
    money_axis,
    money_scale,
    money_title,
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
    one = current().symbol + "1"
    tips = [
        alt.Tooltip("name:N", title="Creator"),
        alt.Tooltip("network:N", title="Network"),
        alt.Tooltip("front:N", title="Pareto front"),
        alt.Tooltip("plan:N", title="In the plan"),
        alt.Tooltip("planned_text:N", title="Planned spend"),
        alt.Tooltip("y_text:N", title=f"Expected revenue per {one}"),
        alt.Tooltip("measured_at:N", title="Revenue measured at"),
        alt.Tooltip("x_text:N", title=f"Engagements per {one},000"),
        alt.Tooltip("engagements_text:N", title="Engagements in the data"),
        alt.Tooltip("campaigns_text:N", title="Campaigns"),
    ]
    # fixed domains (a third of a decade of room on the log axis; revenue from zero), so labels can be placed
    x_domain = [float(d["x"].min()) / 1.4, float(d["x"].max()) * 1.4]
    y_domain = [0.0, nice_end(1.06 * max(float(d["y"].max()), 0.0))]
    ticks = [m * 10.0 ** e for e in range(-1, 10) for m in (1, 2, 5) if x_domain[0] <= m * 10.0 ** e <= x_domain[1]]
    x = alt.X("x:Q", title=f"Engagements per {one},000 of spend (log scale)",
              scale=alt.Scale(type="log", domain=x_domain, nice=False),
              axis=alt.Axis(labelExpr=count_expr(), values=ticks, labelOverlap=True))
    y_scale = money_scale(domain=y_domain, nice=False)
    y_title = f"Expected revenue per {one}"
    y = alt.Y("y:Q", title=y_title, axis=money_axis(decimals=2), scale=y_scale)
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
    named = 0
    if len(f):
        # each name beside its point where no point, no step of the front and no other name is
        sx, sy = f["x"].to_numpy(dtype=float), f["y"].to_numpy(dtype=float)
        stairs = (np.repeat(sx, 2)[:-1], np.repeat(sy, 2)[1:])  # step-before: up (or down) first, then across
        frame = Frame(tuple(x_domain), tuple(y_domain), float(height), x_log=True, lines=[stairs],
                      points=[(a, b, 6.5) for a, b in zip(d["x"], d["y"], strict=True)])
        found = place_labels(frame, sx, sy, f["handle"].tolist(), radius=6.5, reach=0.45 * height)
        named = len(found)
        if named:
            placed = with_places(f.reset_index(drop=True).assign(label=f["handle"].to_numpy()), found,
                                 {k: k for k in range(len(f))})
            layers += text_layers(inline_data(placed), x, y_title, y_scale, tips, color=INK)
    named_words = "solid, named" if named == len(f) else f"solid; {named} named, hover the others for theirs"
    notes = [f"{len(f)} of {len(d)} creators on the front ({named_words}): none of the others brings both more "
             "revenue and more engagement per dollar.",
             f"Revenue per {one} from each creator's curve at today's spend; engagements from its campaigns."]
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
    c = None
    if chosen_revenue is not None and chosen_engagements is not None and np.isfinite(chosen_revenue) \
            and np.isfinite(chosen_engagements):
        c = _chosen_frame(d, float(chosen_weight or 0.0), float(chosen_revenue), float(chosen_engagements))
    shown = d if c is None else pd.concat([d, c], ignore_index=True)
    (x_domain, x_zoom), (y_domain, y_zoom) = (_domain(shown[col]) for col in ("engagements", "revenue"))
    x_title = "Expected engagements per quarter" + (", zoomed in" if x_zoom else "")
    y_title = money_title(RESPONSE_TITLE) + (", zoomed in" if y_zoom else "")
    x = alt.X("engagements:Q", title=x_title, axis=alt.Axis(labelExpr=count_expr(), labelOverlap=True, tickCount=6),
              scale=alt.Scale(domain=x_domain, nice=False, zero=False))
    y_scale = alt.Scale(domain=y_domain, nice=False, zero=False)
    y = alt.Y("revenue:Q", title=y_title, axis=money_axis(tickCount=6), scale=y_scale)
    data = inline_data(d)
    layers = [
        alt.Chart(data).mark_line(color=OPTIMAL_COLOR, strokeWidth=2).encode(x=x, y=y, tooltip=tips),
        alt.Chart(data).mark_point(filled=True, size=70, color=OPTIMAL_COLOR, opacity=1).encode(x=x, y=y,
                                                                                               tooltip=tips),
    ]
    notes = ["Each point is the best plan of the budget when one engagement is worth the amount in its tooltip.",
             "To the right: more engagements for less revenue. No plan lies above and to the right of the line."]
    if x_zoom or y_zoom:
        notes.append(_zoom_note(shown, x_zoom, y_zoom))
    frame = Frame(tuple(x_domain), tuple(y_domain), float(height),
                  lines=[(d["engagements"].to_numpy(), d["revenue"].to_numpy())],
                  points=[(e, r, 5.0) for e, r in zip(d["engagements"], d["revenue"], strict=True)]
                  + ([] if c is None else [(c["engagements"].iloc[0], c["revenue"].iloc[0], 8.0)]))
    base = d[d["weight"] == 0]
    items = []  # (rows, label, colour, bold): the plan in use first
    if c is not None:
        w = float(c["weight"].iloc[0])
        label = "Your plan (revenue only)" if w == 0 else f"Your plan ({unit_money(w)} per engagement)"
        c = c.assign(point="Your plan", label=label)
        ctips = [alt.Tooltip("point:N", title="Point"), *tips]
        layers.append(alt.Chart(inline_data(c)).mark_point(filled=True, size=180, color=CHOSEN_COLOR, opacity=1)
                      .encode(x=x, y=y, tooltip=ctips))
        items.append((c, CHOSEN_COLOR, "bold", ctips))
        notes.append(f"Orange: your plan, valuing an engagement at {unit_money(w)}; set it on the Optimize page." if w
                     else "Orange: your plan, which gives engagement no value; set a value of one engagement on "
                          "the Optimize page.")
    if len(base) and (c is None or float(c["weight"].iloc[0]) != 0):
        items.append((base.iloc[:1].assign(label="Revenue only"), INK, "normal", tips))
    found = place_labels(frame, [r["engagements"].iloc[0] for r, *_ in items], [r["revenue"].iloc[0] for r, *_ in items],
                         [r["label"].iloc[0] for r, *_ in items], radius=[8.0 if col == CHOSEN_COLOR else 5.0
                                                                         for _, col, _, _ in items])
    for k, (rows, color, weight, item_tips) in enumerate(items):
        if k in found.index:
            placed = with_places(rows.iloc[:1], found, {k: rows.index[0]})
            layers += text_layers(inline_data(placed), x, y_title, y_scale, item_tips, color=color, fontWeight=weight)
    return layered(layers, width, height, chart_title(title, notes))


def _chosen_frame(d: pd.DataFrame, w: float, revenue: float, engagements: float) -> pd.DataFrame:
    """Return the plan in use as a point of the front, against the revenue-only plan (its texts too)."""
    base = d[d["weight"] == 0]
    r0 = float(base["revenue"].iloc[0]) if len(base) else np.nan
    e0 = float(base["engagements"].iloc[0]) if len(base) else np.nan
    lost, gained = r0 - revenue, engagements - e0
    return _engagement_front_frame(pd.DataFrame({
        "weight": [w], "revenue": [revenue], "engagements": [engagements],
        "revenue_lost": [lost], "revenue_lost_pct": [lost / r0 if r0 else np.nan],
        "engagements_gained": [gained], "engagements_gained_pct": [gained / e0 if e0 else np.nan],
        "revenue_per_engagement": [lost / gained if w > 0 and gained > 0 else np.nan],
    }))


ZOOM = 0.5  # an axis whose values span less than half the largest is zoomed in, and says so


def _domain(values: pd.Series) -> tuple[list[float], bool]:
    """Return an axis's domain and whether it is zoomed in: from zero, unless the values lie close together."""
    lo, hi = float(values.min()), float(values.max())
    if hi <= 0 or hi - lo >= ZOOM * hi:
        return [0.0, nice_end(1.06 * hi)], False
    pad = 0.12 * (hi - lo) if hi > lo else 0.01 * hi
    return [lo - pad, hi + pad], True


def _zoom_note(d: pd.DataFrame, x_zoom: bool, y_zoom: bool) -> str:
    """Say that (and how far) the axes are zoomed in: the whole range of revenue and of engagements drawn."""
    parts = []
    if y_zoom:
        lo, hi = d["revenue"].min(), d["revenue"].max()
        parts.append(f"revenue only from {money(lo)} to {money(hi)} ({pct((hi - lo) / hi, decimals=2)} apart)")
    if x_zoom:
        lo, hi = d["engagements"].min(), d["engagements"].max()
        parts.append(f"engagements from {count(lo)} to {count(hi)}")
    which = "Both axes are" if x_zoom and y_zoom else "The axis is"
    return f"{which} zoomed in, not from zero: {' and '.join(parts)}."
