"""Response curves and the return on the next dollar, against spend, one line per entity."""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import numpy as np
import pandas as pd

from planner.base.currency import current
from planner.base.format import roas
from planner.curves.forms import marginal
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.spend_curves import (
    curve_layers,
    curve_tooltips,
    entity_color,
    line_texts,
    plan_notes,
    prepare_curves,
    row_word,
)
from planner.report.charts.style import (
    HEIGHT,
    INK,
    RESPONSE_TITLE,
    chart_title,
    marginal_title,
    money_axis,
    money_scale,
    money_text,
    money_title,
    per_dollar_text,
    with_texts,
)
from planner.report.display import column_numbers

__all__ = ["response_curves", "marginal_roas"]


def response_curves(
    curves: pd.DataFrame,
    allocation_table: pd.DataFrame | None = None,
    names: Iterable[str] | str | None = None,
    max_spend: float | None = None,
    n_points: int = 120,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Expected revenue at each level of spend",
) -> alt.LayerChart | alt.Chart:
    """Draw response curves: expected revenue per quarter against spend, one line per entity.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1).  Optional columns used when
        present: ``observed_min``/``observed_max`` (solid within, dashed beyond:
        extrapolation), ``beta_p10``/``beta_p90`` (a 10th-90th percentile band),
        ``current_spend`` (the hollow point when no allocation is given).
    allocation_table : DataFrame, optional
        ``Allocation.table``: ``spend`` is drawn as a filled point (optimal),
        ``current_spend`` as a hollow one.
    names : iterable of str or str, optional
        Rows to draw, in this order; default the networks' paid media (names
        without ``/``).  Names not in the curve table are ignored.
    max_spend : float, optional
        Right end of the spend axis; default 1.5 x the larger of current and
        optimal spend, or 1.25 x the largest spend seen in the data.
    n_points : int, default 120
        Grid points per curve (fewer when many curves share the chart).
    width, height, title
        Size (``"container"`` follows the page's column) and title.

    Returns
    -------
    alt.LayerChart
        Or a text chart saying "No rows selected" when no row matches.
    """
    prepared = prepare_curves(curves, allocation_table, names, max_spend, n_points)
    if prepared is None:
        return empty_chart(title=title, width=width, height=height)
    sel, lines, pts, x = prepared
    y_title = money_title(RESPONSE_TITLE)
    y = alt.Y("response:Q", title=y_title, axis=money_axis(), scale=money_scale())
    layers, notes = [], plan_notes(lines, pts)
    if "response_p10" in lines.columns and lines["response_p10"].notna().any():
        layers.append(on_data(
            inline_data(lines),  # the lines' own data, so the spec holds it once
            alt.Chart().transform_filter("isValid(datum.response_p10) && isValid(datum.response_p90)")
            .transform_calculate(spend_shown=line_texts()["spend_shown"], p10_shown=money_text("response_p10"),
                                 p90_shown=money_text("response_p90"))
            .mark_area(opacity=0.15, clip=True).encode(
                x=x,
                y=alt.Y("response_p10:Q", title=y_title, axis=money_axis(), scale=money_scale(), stack=None),
                y2="response_p90:Q",
                color=entity_color(sel),
                detail="name:N",
                tooltip=curve_tooltips(row_word(sel["name"]))[:3] + [
                    alt.Tooltip("p10_shown:N", title="Expected revenue, 10th percentile"),
                    alt.Tooltip("p90_shown:N", title="Expected revenue, 90th percentile"),
                ],
            )
        ))
        notes.append("Band: 10th to 90th percentile of the expected revenue.")
    layers += curve_layers(lines, pts, sel, y, x)
    return layered(layers, width, height, chart_title(title, notes))


def _equal_margin_level(allocation: pd.DataFrame | None) -> float | None:
    """Return the optimum's common marginal return: the median over funded rows held by no bound."""
    if allocation is None or not len(allocation) or "marginal_return" not in allocation.columns:
        return None
    m = column_numbers(allocation, "marginal_return")
    ok = np.isfinite(m) & (np.nan_to_num(column_numbers(allocation, "spend")) > 0)
    if "binding" in allocation.columns:
        free = ~allocation["binding"].fillna("").astype(str).isin(["min", "max"]).to_numpy()
        if (ok & free).any():
            ok &= free
    return float(np.median(m[ok])) if ok.any() else None


def marginal_roas(
    curves: pd.DataFrame,
    allocation_table: pd.DataFrame | None = None,
    names: Iterable[str] | str | None = None,
    level: float | None = None,
    max_spend: float | None = None,
    n_points: int = 120,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Return on the next dollar at each level of spend",
) -> alt.LayerChart | alt.Chart:
    """Draw the marginal return (d revenue / d spend) against spend, with the optimum's level.

    Parameters
    ----------
    curves, allocation_table, names, max_spend, n_points
        As in :func:`response_curves`.
    level : float, optional
        The equal marginal return at the optimum, drawn as a dashed rule; default
        the median ``marginal_return`` of the allocation's funded rows not at their
        minimum or maximum (locked rows count; all funded rows when every one is at a bound;
        no rule without an allocation).
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        A line per entity, the plan's points, the optimum's rule and a break-even
        rule at $1 back per $1; or a "No rows selected" text chart.
    """
    prepared = prepare_curves(curves, allocation_table, names, max_spend, n_points)
    if prepared is None:
        return empty_chart(title=title, width=width, height=height)
    sel, lines, pts, x = prepared
    if level is None:
        level = _equal_margin_level(allocation_table)
    has_level = level is not None and np.isfinite(level)
    # a curve with an unbounded slope at $0 (hill with s < 1): its first 2% of spend
    # does not set the axis (the line runs off the top, clipped)
    steep = np.isinf(marginal(sel, np.zeros(len(sel))))
    vals = lines["marginal"].to_numpy(dtype=float)
    near_zero = steep[lines["row"].to_numpy()] & (lines["spend"].to_numpy() < 0.02 * lines["spend"].max())
    vals = vals[np.isfinite(vals) & ~near_zero]
    top = 1.05 * float(vals.max()) if len(vals) else 1.0
    top = max(top, 1.15, 1.15 * level if has_level else 0.0)
    y_title = money_title(marginal_title())
    scale = alt.Scale(domain=[0.0, top], nice=False)
    y = alt.Y("marginal:Q", title=y_title, axis=money_axis(decimals=2), scale=scale)
    layers = curve_layers(lines, pts, sel, y, x)

    one = f"{current().symbol}1"
    rules = [(1.0, "Break-even", f"Break-even: {one} back per {one}", [2, 2])]
    if has_level:
        rules.append((float(level), "Best plan", f"Best plan: {roas(level)} per {one}", [8, 4]))
    d = with_texts(pd.DataFrame({"value": [r[0] for r in rules], "kind": [r[1] for r in rules],
                                 "label": [r[2] for r in rules]}), value_text=("value", per_dollar_text))
    d["label_y"] = _apart(d["value"].to_numpy(dtype=float), top, height)
    tips = [alt.Tooltip("kind:N", title="Line"), alt.Tooltip("value_text:N", title=marginal_title())]
    for row, (_, _, _, dash) in enumerate(rules):
        data = inline_data(d.iloc[[row]])
        layers.append(alt.Chart(data).mark_rule(color=INK, strokeWidth=1.5, strokeDash=dash)
                      .encode(y=alt.Y("value:Q", title=y_title, scale=scale), tooltip=tips))
    # the rules' names in the margin right of the plot, where no curve or point can cross them
    layers.append(alt.Chart(inline_data(d)).mark_text(align="left", baseline="middle", dx=6, color=INK, fontSize=11)
                  .encode(x=alt.value({"expr": "width"}), y=alt.Y("label_y:Q", title=y_title, scale=scale),
                          text="label:N", tooltip=tips))
    notes = plan_notes(lines, pts)
    if has_level:
        notes.append(f"In the best plan every row with spend, except those held at a spend limit, returns the same "
                     f"on its next {one}.")
    return layered(layers, width, height, chart_title(title, notes))


def _apart(values: np.ndarray, top: float, height: float, gap: float = 15.0) -> np.ndarray:
    """Return heights for the rules' names: at their rule, or pushed apart to ``gap`` pixels when closer."""
    out = values.astype(float).copy()
    if len(out) == 2:
        need = gap * top / height - abs(out[1] - out[0])
        if need > 0:
            lo, hi = (0, 1) if out[0] <= out[1] else (1, 0)
            out[lo] -= need / 2
            out[hi] += need / 2
    return out
