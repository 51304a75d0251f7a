"""What every chart is built from: its data (inline or by name), its layers, and the empty chart.

Also the two readers of the input tables every chart uses: :func:`numbers` (a column as
floats) and :func:`sum_or_nan` (a total that stays missing when every part is).
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from planner.report.charts.style import EMPTY_TEXT, FIT_X, HEIGHT, chart_title

__all__ = ["inline_data", "on_data", "layered", "named_data", "empty_chart", "sum_or_nan"]


def inline_data(df: pd.DataFrame) -> dict:
    """Return data to embed in the spec, JSON-safe (NaN and inf -> null, dates as ISO text).

    Values rather than a DataFrame keep the chart independent of the app's global
    data-transformer settings (and of their 5,000-row limit); a plain dict rather
    than ``alt.InlineData``, which validates every row on construction (slow).
    Altair still gathers identical values into one top-level dataset.

    Parameters
    ----------
    df : DataFrame
        The chart's rows (the index is dropped).

    Returns
    -------
    dict
        ``{"values": [one dict per row]}``.
    """
    return {"values": json.loads(df.to_json(orient="records", date_format="iso"))}


def on_data(data: dict, chart: alt.Chart) -> tuple[dict, alt.Chart]:
    """Pair a view with the data it will get once layered (see :func:`layered`).

    Parameters
    ----------
    data : dict
        The view's data, as :func:`inline_data` returns it.
    chart : alt.Chart
        The view, built without data.

    Returns
    -------
    tuple of (dict, alt.Chart)
        ``(data, chart)``, an item of :func:`layered`'s ``layers``.
    """
    return data, chart


def layered(layers: list, width, height, title: alt.TitleParams, datasets: dict | None = None) -> alt.LayerChart:
    """Layer views; large data (given as ``on_data(data, view)``) is attached last.

    Altair deep-copies a chart's data on every ``mark_*``/``encode``/``transform_*``
    call and again when layering, which is slow for thousands of rows.  ``datasets``
    holds the named data of :func:`named_data`.

    Parameters
    ----------
    layers : list
        Views, each an ``alt.Chart`` or an ``on_data(data, view)`` pair.
    width : int or str
        The chart's width in pixels, or ``"container"``.
    height : int
        The plot's height in pixels.
    title : alt.TitleParams
        The title (:func:`~planner.report.charts.style.chart_title`).
    datasets : dict, optional
        Top-level named datasets (name -> list of row dicts).

    Returns
    -------
    alt.LayerChart
        The views in the order given, sized to the container's width (``FIT_X``).
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

    Parameters
    ----------
    name : str
        The dataset's name, fixed for the chart.
    df : DataFrame
        The data.
    datasets : dict
        The chart's datasets; ``name`` is added (or replaced) in place.

    Returns
    -------
    alt.NamedData
        A reference to the data by name.
    """
    datasets[name] = inline_data(df)["values"]
    return alt.NamedData(name=name)


def empty_chart(
    message: str = EMPTY_TEXT, *, title: str | None = None, width: int | str = "container", height: int = HEIGHT
) -> alt.Chart:
    """Return a chart holding only ``message``, for a selection with nothing to draw.

    Parameters
    ----------
    message : str, default EMPTY_TEXT
        The text shown ("No rows selected").
    title : str, optional
        A title above it; None for none.
    width : int or str, default "container"
        Width in pixels, or the page's column.
    height : int, default HEIGHT (320)
        Height in pixels.

    Returns
    -------
    alt.Chart
        A text mark with the message, and a tooltip of it.
    """
    chart = (
        alt.Chart(inline_data(pd.DataFrame({"message": [message]})))
        .mark_text(fontSize=14, color="#555555")
        .encode(text="message:N", tooltip=alt.Tooltip("message:N", title="Note"))
        .properties(width=width, height=height, autosize=FIT_X)
    )
    return chart.properties(title=chart_title(title)) if title else chart


def sum_or_nan(s: pd.Series) -> float:
    """Return the sum of ``s``, NaN when it has no number (a group with no known value).

    Parameters
    ----------
    s : Series
        Numbers (NaN for unknown).

    Returns
    -------
    float
    """
    return float(s.sum(min_count=1))
