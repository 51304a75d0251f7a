"""Why each network returns what it does: the funnel's steps side by side, one small panel per step.

Return per dollar is clicks per dollar x conversion x order value (planner.analysis.funnel), and clicks
per dollar is reach per dollar x click-through. :func:`funnel_steps` draws one panel per step the data
has, in the funnel's order (reach per $1,000 and click-through when the data has reach, then clicks per
$1,000, conversion, order value and return per $1), each with one bar per network from zero, the networks
in the same order and colour in every panel and each bar's value written at its end.

The panels are laid out in one view (a grid of up to three across), so the chart fits the page's column at
any width, as every other chart does: each panel has a band of rows on the y axis (a title row, then a row
per network) and a third (or half) of the x axis, its bars scaled to that panel's largest value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import altair as alt
import numpy as np
import pandas as pd

from planner.base.format import MISSING, count, money, one, pct, roas
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.style import INK, chart_title, money_title, network_scale
from planner.report.display import column_numbers

__all__ = ["FUNNEL_PANELS", "funnel_panels", "funnel_steps"]

BAR = 0.6  # the longest bar of a panel, as a share of the panel's width; the rest holds its label
ROW = 17  # pixels per row of a panel (a gap above the second row of panels, its title, then each network)
FADED = 0.3  # opacity of the networks not highlighted


def _panel_titles() -> dict[str, str]:
    """Each panel's title in the currency shown: its unit named (``Order value ($)``)."""
    return {
        "reach_per_1000": f"Reach per {one(1000)}",
        "click_through": "Click-through (clicks per reach)",
        "clicks_per_1000": f"Clicks per {one(1000)}",
        "conversion": "Conversion (orders per click)",
        "order_value": money_title("Order value"),
        "roas": f"Return per {one()}",
    }


#: the panels in the funnel's order: the column of planner.analysis.funnel.Funnel.networks and how a value is written
FUNNEL_PANELS: dict[str, Callable[[float], str]] = {
    "reach_per_1000": count,
    "click_through": lambda x: pct(x, decimals=1 if x >= 0.1 else 2),
    "clicks_per_1000": count,
    "conversion": lambda x: pct(x, decimals=2),
    "order_value": money,
    "roas": roas,
}


def funnel_panels(networks: pd.DataFrame) -> list[str]:
    """Return the panels :func:`funnel_steps` draws for these networks: the steps some network has a value of.

    Parameters
    ----------
    networks : DataFrame
        ``Funnel.networks`` (planner.analysis.funnel): ``network`` and the columns of :data:`FUNNEL_PANELS`.

    Returns
    -------
    list of str
        Columns of :data:`FUNNEL_PANELS`, in the funnel's order; empty when the data has no clicks (then return
        per dollar has no steps to show).
    """
    if networks is None or networks.empty or not np.isfinite(column_numbers(networks, "clicks_per_1000")).any():
        return []
    return [c for c in FUNNEL_PANELS if np.isfinite(column_numbers(networks, c)).any()]


def _grid(n: int) -> int:
    """Panels across: three for five or six panels, two for four (two rows of two), else all in one row."""
    return 3 if n >= 5 else 2 if n == 4 else max(n, 1)


def _bars(networks: pd.DataFrame, panels: list[str], order: list[str], lit: set[str]) -> tuple[pd.DataFrame, list]:
    """Return a row per (panel, network) with its bar's ends and label, and the y axis's slots in order."""
    across, titles = _grid(len(panels)), _panel_titles()
    nets = networks.set_index(networks["network"].astype(str))
    spend, ret = nets["spend"].astype(float), nets["roas"].astype(float)
    rows, slots = [], []
    for i, col in enumerate(panels):
        row, left = divmod(i, across)
        if left == 0:
            slots += ([f"{row}-|"] if row else []) + [f"{row}|"] + [f"{row}|{n}" for n in order]  # a gap, a title
        values = nets[col].astype(float).reindex(order).to_numpy()
        top = np.nanmax(np.where(values > 0, values, np.nan)) if (values > 0).any() else 1.0
        write = FUNNEL_PANELS[col]
        for net, v in zip(order, values, strict=True):
            known = bool(np.isfinite(v))
            end = left + BAR * max(v, 0.0) / top if known else float(left)
            rows.append({"panel": titles[col], "slot": f"{row}|{net}", "title_slot": f"{row}|", "network": net,
                         "x0": float(left), "x1": end, "value": v if known else None,
                         "label": write(v) if known else MISSING, "spend_text": money(spend.get(net)),
                         "roas_text": roas(ret.get(net), per_dollar=True),
                         "opacity": 1.0 if not lit or net in lit else FADED})
    return pd.DataFrame(rows), slots


def funnel_steps(
    networks: pd.DataFrame,
    highlight: Sequence[str] = (),
    *,
    width: int | str = "container",
    title: str = "The funnel per network: where each one wins and loses",
) -> alt.LayerChart | alt.Chart:
    """Draw a small multiple of the funnel: one panel per step, one bar per network, each value written.

    Parameters
    ----------
    networks : DataFrame
        ``Funnel.networks`` (planner.analysis.funnel.funnel): ``network, spend`` and ``reach_per_1000,
        click_through, clicks_per_1000, conversion, order_value, roas``; a step no network has a value of is
        left out (reach and click-through when the data has no reach).
    highlight : sequence of str, default ()
        Networks drawn in full (the two compared, say); the others are faded. None highlighted: all in full.
    width : int or str, default "container"
        Width in pixels, or the page's column.
    title : str
        The chart's title.

    Returns
    -------
    alt.LayerChart
        Bars coloured by network (:func:`~planner.report.charts.style.network_scale`, with a legend), networks
        in the order of ``networks`` (most spend first) in every panel; the height follows the rows (17 px
        each). A chart saying why there is nothing to draw when the data has no clicks.
    """
    panels = funnel_panels(networks)
    if not panels:
        return empty_chart("The data has no clicks: the funnel has no steps to draw", title=title, width=width)
    t = networks.sort_values("spend", ascending=False, kind="stable")
    order = list(dict.fromkeys(t["network"].astype(str)))
    lit = {str(h) for h in highlight} & set(order)
    bars, slots = _bars(t, panels, order, lit)
    across = _grid(len(panels))
    y = alt.Y("slot:N", sort=slots, title=None, scale=alt.Scale(domain=slots, paddingInner=0.25, paddingOuter=0.1),
              axis=alt.Axis(labelExpr="slice(datum.label, indexof(datum.label, '|') + 1)", ticks=False,
                            domain=False, labelLimit=160, labelPadding=6))
    x = alt.X("x0:Q", title=None, axis=None, scale=alt.Scale(domain=[0, across], nice=False, zero=True))
    tips = [alt.Tooltip("network:N", title="Network"), alt.Tooltip("panel:N", title="Step"),
            alt.Tooltip("label:N", title="Value"), alt.Tooltip("spend_text:N", title="Spend"),
            alt.Tooltip("roas_text:N", title="Return")]
    bar = (alt.Chart().mark_bar(cornerRadiusEnd=2, height={"band": 1})
           .encode(y=y, x=x, x2="x1:Q",
                   color=alt.Color("network:N", title="Network", scale=network_scale(order),
                                   legend=alt.Legend(orient="bottom", direction="horizontal")),
                   opacity=alt.Opacity("opacity:Q", scale=None, legend=None), tooltip=tips))
    label = (alt.Chart().mark_text(align="left", baseline="middle", dx=4, color=INK, fontSize=11)
             .encode(y=y, x=alt.X("x1:Q", title=None, axis=None, scale=alt.Scale(domain=[0, across], nice=False)),
                     text="label:N", opacity=alt.Opacity("opacity:Q", scale=None, legend=None), tooltip=tips))
    heads = bars.drop_duplicates("panel")[["panel", "title_slot", "x0"]]
    head = (alt.Chart().mark_text(align="left", baseline="middle", fontWeight="bold", fontSize=12, color=INK)
            .encode(y=alt.Y("title_slot:N", sort=slots, title=None, scale=alt.Scale(domain=slots)),
                    x=alt.X("x0:Q", scale=alt.Scale(domain=[0, across], nice=False)), text="panel:N",
                    tooltip=alt.Tooltip("panel:N", title="Step")))
    subtitle = [f"Return per {one()} = clicks per {one()} \u00d7 conversion \u00d7 order value. Each panel is one step, its "
                "bars from zero; the networks keep their order and colour."]
    if lit:
        subtitle.append(f"In full colour: {' and '.join(n for n in order if n in lit)}, compared below.")
    data = inline_data(bars)
    return layered([on_data(data, bar), on_data(data, label), on_data(inline_data(heads), head)], width,
                   ROW * len(slots), chart_title(title, subtitle))
