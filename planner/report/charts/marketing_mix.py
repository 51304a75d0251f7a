"""The marketing-mix decomposition: sales over time as a baseline plus each network's contribution."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from planner.base.format import money, pct, signed_money
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data
from planner.report.charts.style import (
    BASELINE_COLOR,
    HEIGHT,
    chart_title,
    money_axis,
    money_scale,
    money_text,
    money_title,
    network_color,
    with_texts,
)
from planner.report.display import column_numbers

__all__ = ["decomposition", "sales_title", "date_axis", "DATE_LABELS"]

# A month's name under each tick, with its year under the first tick and under every January, so the
# first year of the data is named too (the default names a year only at its January).
DATE_LABELS = ("(datum.index == 0 || month(datum.value) == 0) ? timeFormat(datum.value, '%b %Y') "
               ": timeFormat(datum.value, '%b')")
MAX_TICKS = 12  # dates under the time axis, at most


def date_axis(dates: pd.Series) -> alt.Axis:
    """Return a time axis whose ticks fall on months that include every January, each year named.

    Parameters
    ----------
    dates : Series
        The dates drawn.

    Returns
    -------
    alt.Axis
        Ticks every 1, 2, 3 or 6 months (as few as keep them to :data:`MAX_TICKS`), labelled by
        :data:`DATE_LABELS`; over more than six years, a tick a year (or every few), labelled with the year.
    """
    d = pd.to_datetime(dates)
    months = max((d.max() - d.min()).days / 30.44, 1.0) if len(d) else 1.0
    step = next((k for k in (1, 2, 3, 6) if months / k <= MAX_TICKS), None)
    if step is None:
        every = alt.TimeIntervalStep(interval="year", step=max(1, int(np.ceil(months / 12 / MAX_TICKS))))
        labels = "timeFormat(datum.value, '%Y')"
    else:  # steps that divide a year: every January is a tick
        every, labels = alt.TimeIntervalStep(interval="month", step=step), DATE_LABELS
    return alt.Axis(tickCount=every, labelExpr=labels, labelOverlap=True, labelFlush=True)


def sales_title(dates: pd.Series) -> str:
    """Return the sales axis's title with its period and currency: ``"Sales per week ($)"``.

    Parameters
    ----------
    dates : Series
        The decomposition's dates; their usual spacing names the period (a day, a week, a month).

    Returns
    -------
    str
        ``"Sales ($)"`` when the spacing is none of those.
    """
    gaps = pd.Series(pd.to_datetime(dates).sort_values().unique()).diff().dt.days.dropna()
    step = float(gaps.median()) if len(gaps) else np.nan
    period = next((name for name, lo, hi in (("day", 1, 1), ("week", 7, 7), ("month", 28, 31)) if lo <= step <= hi),
                  None)
    return money_title(f"Sales per {period}" if period else "Sales")


def decomposition(
    decomp_df: pd.DataFrame,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Sales explained: baseline and each network's contribution",
    controls: Sequence[str] = (),
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
    controls : sequence of str, optional
        Columns that hold the controls' contributions (events, promotions, price): drawn within the
        baseline band, then named "Baseline and controls".

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
    folded = [c for c in controls if c in decomp_df.columns]
    if folded:  # the controls lie in the baseline's band: they are not media
        decomp_df = decomp_df.drop(columns=folded).assign(
            baseline=column_numbers(decomp_df, "baseline") + decomp_df[folded].to_numpy(dtype=float).sum(axis=1))
    base_label = "Baseline and controls" if folded else "Baseline"
    reserved = {"date", "actual", "fitted", "baseline"}
    networks = [c for c in decomp_df.columns if c not in reserved
                and pd.api.types.is_numeric_dtype(decomp_df[c]) and not pd.api.types.is_bool_dtype(decomp_df[c])]
    parts = (["baseline"] if "baseline" in decomp_df.columns else []) + networks
    dates = pd.to_datetime(decomp_df["date"]).to_numpy()
    actual, fitted = column_numbers(decomp_df, "actual"), column_numbers(decomp_df, "fitted")
    if not np.isfinite(fitted).any() and parts:
        fitted = np.nansum(np.column_stack([column_numbers(decomp_df, c) for c in parts]), axis=1)
    x = alt.X("date:T", title=None, axis=date_axis(decomp_df["date"]))
    axis = money_axis()
    y_title = sales_title(decomp_df["date"])
    date_tip = alt.Tooltip("date:T", title="Date", format="%b %d, %Y")
    layers = []
    if parts:
        labels = [base_label if c == "baseline" else str(c) for c in parts]
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
            alt.Chart().transform_calculate(value_shown=money_text("value")).mark_area(opacity=0.85).encode(
                x=x,
                y=alt.Y("value:Q", title=y_title, stack="zero", axis=axis, scale=money_scale()),
                color=alt.Color("component:N", title="Contribution", sort=labels,
                                scale=alt.Scale(domain=labels, range=colors)),
                order=alt.Order("order:Q", sort="ascending"),
                tooltip=[date_tip, alt.Tooltip("component:N", title="Part"),
                         alt.Tooltip("value_shown:N", title="Contribution"),
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
        y = alt.Y("value:Q", title=y_title, axis=axis, scale=money_scale())
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
