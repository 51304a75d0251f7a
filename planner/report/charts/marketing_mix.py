"""The marketing-mix decomposition: sales over time as a baseline plus each network's contribution."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from planner.base.format import money, pct, signed_money
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.style import (
    BASELINE_COLOR,
    HEIGHT,
    MONEY,
    MONEY_AXIS,
    chart_title,
    network_color,
    with_texts,
)
from planner.report.display import column_numbers

__all__ = ["decomposition"]


def decomposition(
    decomp_df: pd.DataFrame,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Sales explained: baseline and each network's contribution",
) -> alt.LayerChart | alt.Chart:
    """Draw the stacked contributions over time with the actual sales line.

    Parameters
    ----------
    decomp_df : DataFrame
        ``date``, ``actual``, ``fitted``, ``baseline`` and one numeric column per
        network holding its contribution; ``actual``, ``fitted`` and ``baseline``
        are optional (``fitted`` defaults to the sum of the parts).
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        A stacked area (baseline at the bottom, then the networks in column
        order), actual sales (solid black) and the model's fit (dashed); or a
        "No rows selected" text chart for an empty table.

    Raises
    ------
    ValueError
        When the table has rows but no ``date`` column.
    """
    if decomp_df is None or not len(decomp_df):
        return empty_chart(title=title, width=width, height=height)
    if "date" not in decomp_df.columns:
        raise ValueError("The decomposition table needs a date column.")
    reserved = {"date", "actual", "fitted", "baseline"}
    networks = [c for c in decomp_df.columns if c not in reserved
                and pd.api.types.is_numeric_dtype(decomp_df[c]) and not pd.api.types.is_bool_dtype(decomp_df[c])]
    parts = (["baseline"] if "baseline" in decomp_df.columns else []) + networks
    dates = pd.to_datetime(decomp_df["date"]).to_numpy()
    actual, fitted = column_numbers(decomp_df, "actual"), column_numbers(decomp_df, "fitted")
    if not np.isfinite(fitted).any() and parts:
        fitted = np.nansum(np.column_stack([column_numbers(decomp_df, c) for c in parts]), axis=1)
    x = alt.X("date:T", title=None)
    axis = alt.Axis(format=MONEY_AXIS)
    date_tip = alt.Tooltip("date:T", title="Date", format="%b %d, %Y")
    layers = []
    if parts:
        labels = ["Baseline" if c == "baseline" else str(c) for c in parts]
        long = pd.concat(
            [pd.DataFrame({"date": dates, "component": label, "order": i, "value": column_numbers(decomp_df, c),
                           "actual": actual, "fitted": fitted})
             for i, (c, label) in enumerate(zip(parts, labels, strict=True))],
            ignore_index=True,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            long["share"] = np.where(long["fitted"] != 0, long["value"] / long["fitted"], np.nan)
        long = with_texts(long, share_text=("share", pct), actual_text=("actual", money))
        colors = [BASELINE_COLOR if c == "baseline" else network_color(str(c), [str(n) for n in networks])
                  for c in parts]
        layers.append(on_data(
            inline_data(long),
            alt.Chart().mark_area(opacity=0.85).encode(
                x=x,
                y=alt.Y("value:Q", title="Sales", stack="zero", axis=axis),
                color=alt.Color("component:N", title="Contribution", sort=labels,
                                scale=alt.Scale(domain=labels, range=colors)),
                order=alt.Order("order:Q", sort="ascending"),
                tooltip=[date_tip, alt.Tooltip("component:N", title="Part"),
                         alt.Tooltip("value:Q", title="Contribution", format=MONEY),
                         alt.Tooltip("share_text:N", title="Share of the fit"),
                         alt.Tooltip("actual_text:N", title="Actual sales")],
            ),
        ))
    series = [(label, v) for label, v in (("Actual sales", actual), ("Model fit", fitted)) if np.isfinite(v).any()]
    if series:
        lines = pd.concat([pd.DataFrame({"date": dates, "series": label, "value": v, "actual": actual,
                                         "fitted": fitted}) for label, v in series], ignore_index=True)
        lines = with_texts(lines.assign(error=lines["actual"] - lines["fitted"]), actual_text=("actual", money),
                       fitted_text=("fitted", money), error_text=("error", signed_money))
        tips = [date_tip, alt.Tooltip("series:N", title="Line"),
                alt.Tooltip("actual_text:N", title="Actual sales"),
                alt.Tooltip("fitted_text:N", title="Model fit"),
                alt.Tooltip("error_text:N", title="Actual minus fit")]
        data = inline_data(lines)
        y = alt.Y("value:Q", title="Sales", axis=axis)
        shown = [label for label, _ in series]
        dashes = {"Actual sales": [1, 0], "Model fit": [5, 3]}
        layers.append(on_data(data, alt.Chart().mark_line(color="#000000", strokeWidth=1.5).encode(
            x=x, y=y, tooltip=tips,
            strokeDash=alt.StrokeDash("series:N", title="Line", sort=shown,
                                      scale=alt.Scale(domain=shown, range=[dashes[s] for s in shown])))))
        layers.append(on_data(data, alt.Chart().mark_circle(size=50, opacity=0).encode(x=x, y=y, tooltip=tips)))
    if not layers:
        return empty_chart(title=title, width=width, height=height)
    notes = ["Stacked: the baseline at the bottom, then each network's contribution."] if parts else []
    return layered(layers, width, height, chart_title(title, notes))
