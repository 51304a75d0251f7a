"""What every chart is built from: its data (inline or by name), its layers, and the empty chart.

Also the two readers of the input tables every chart uses: :func:`numbers` (a column as
floats) and :func:`sum_or_nan` (a total that stays missing when every part is).
"""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd

from planner.report.charts.style import EMPTY_TEXT, FIT_X, HEIGHT, chart_title

__all__ = ["inline_data", "on_data", "layered", "named_data", "empty_chart", "numbers", "sum_or_nan"]


def inline_data(df: pd.DataFrame) -> dict:
    """Return data to embed in the spec, JSON-safe (NaN and inf -> null, dates as ISO text).

    Values rather than a DataFrame keep the chart independent of the app's global
    data-transformer settings (and of their 5,000-row limit); a plain dict rather
    than ``alt.InlineData``, which validates every row on construction (slow).
    Altair still gathers identical values into one top-level dataset.
    """
    return {"values": json.loads(df.to_json(orient="records", date_format="iso"))}


def on_data(data: dict, chart: alt.Chart) -> tuple[dict, alt.Chart]:
    """Pair a view with the data it will get once layered (see :func:`layered`)."""
    return data, chart


def layered(layers: list, width, height, title: alt.TitleParams, datasets: dict | None = None) -> alt.LayerChart:
    """Layer views; large data (given as ``on_data(data, view)``) is attached last.

    Altair deep-copies a chart's data on every ``mark_*``/``encode``/``transform_*``
    call and again when layering, which is slow for thousands of rows.  ``datasets``
    holds the named data of :func:`named_data`.
    """
    views, late = [], {}
    for i, item in enumerate(layers):
        if isinstance(item, tuple):
            late[i], item = item
        views.append(item)
    chart = alt.LayerChart(layer=views, width=width, height=height, title=title, autosize=FIT_X)
    for i, data in late.items():
        chart.layer[i].data = data
    if datasets:
        chart.datasets = datasets
    return chart


def named_data(name: str, df: pd.DataFrame, datasets: dict) -> alt.NamedData:
    """Put data under a fixed name (added to ``datasets``, the chart's top-level datasets).

    Inline data is named after a hash of its values, so a chart whose points move
    (the chosen budget, the plan's bars) would be a new spec on every move and be
    drawn from scratch; with fixed names only the data changes, and Streamlit swaps
    the data into the chart already drawn.
    """
    datasets[name] = inline_data(df)["values"]
    return alt.NamedData(name=name)


def empty_chart(
    message: str = EMPTY_TEXT, *, title: str | None = None, width: int | str = "container", height: int = HEIGHT
) -> alt.Chart:
    """Return a chart holding only ``message``, for a selection with nothing to draw."""
    chart = (
        alt.Chart(inline_data(pd.DataFrame({"message": [message]})))
        .mark_text(fontSize=14, color="#555555")
        .encode(text="message:N", tooltip=alt.Tooltip("message:N", title="Note"))
        .properties(width=width, height=height, autosize=FIT_X)
    )
    return chart.properties(title=chart_title(title)) if title else chart


def numbers(df: pd.DataFrame, col: str) -> np.ndarray:
    """Return column ``col`` as floats (NaN where missing or not a number; all NaN if absent)."""
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def sum_or_nan(s: pd.Series) -> float:
    """Return the sum of ``s``, NaN when it has no number (a group with no known value)."""
    return float(s.sum(min_count=1))
