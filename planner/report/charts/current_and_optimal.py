"""Current against optimal spend: grouped bars per network, creator or entity.

:func:`current_vs_optimal` draws them, optionally with each row's change in expected revenue
beside its bars; :func:`current_vs_optimal_data` gives the data that changes with the plan, so a
page can draw the chart once and only swap its data.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from planner.base.currency import current
from planner.base.format import money, signed_money
from planner.base.names import is_creator, networks_of
from planner.report.charts.layers import empty_chart, inline_data, named_data, sum_or_nan
from planner.report.charts.style import (
    CURRENT_COLOR,
    FIT_X,
    HEIGHT,
    INK,
    OPTIMAL_COLOR,
    SPEND_TITLE,
    chart_title,
    money_axis,
    money_labels,
    money_scale,
    money_title,
    with_texts,
)
from planner.report.display import column_numbers

__all__ = ["current_vs_optimal", "current_vs_optimal_data"]

# what a bar pair stands for, alone and in the plural, by the rows drawn
_WHAT = {"network": ("network", "networks"), "creator": ("creator", "creators"),
         "name": ("network or creator", "networks and creators")}
TICKS = 6  # spend ticks: enough to read a bar, few enough never to crowd at the axis's end


def _bar_parts(table: pd.DataFrame, by: str, top: int, gain: bool) -> dict | None:
    """Return everything :func:`current_vs_optimal` draws, as data, or None when there is nothing to draw.

    Keys: ``rows`` (one per bar pair, in order), ``bars`` (long: a row per bar), ``notes`` and
    ``labels`` (the revenue change beside the bars, or None).
    """
    if table is None or not len(table) or not {"name", "network"} & set(table.columns):
        return None
    name_col = "name" if "name" in table.columns else "network"
    t = pd.DataFrame({
        "name": table[name_col].astype(str).to_numpy(),
        "network": (table["network"] if "network" in table.columns else networks_of(table["name"])).astype(str).to_numpy(),
        "optimal": column_numbers(table, "spend"),
        "response": column_numbers(table, "response"),
        "current": column_numbers(table, "current_spend"),
        "current_response": column_numbers(table, "current_response"),
    })
    if by == "network":
        t = t.groupby("network", sort=False).agg(
            optimal=("optimal", sum_or_nan), response=("response", sum_or_nan),
            current=("current", sum_or_nan), current_response=("current_response", sum_or_nan),
        ).reset_index()
        t["label"] = t["network"]
    else:
        if by == "creator":
            t = t[is_creator(t["name"])]
        t = t.assign(label=t["name"])
    n_all = len(t)
    t = t.sort_values(["optimal", "current"], ascending=False, na_position="last").head(max(int(top), 1))
    t["change"] = t["optimal"] - t["current"]
    t["response_change"] = t["response"] - t["current_response"]
    long = pd.concat([t.assign(plan="Current", spend=t["current"]), t.assign(plan="Optimal", spend=t["optimal"])],
                     ignore_index=True)
    long = long[np.isfinite(long["spend"])]
    if long.empty:
        return None
    long = with_texts(long, spend_text=("spend", money), current_text=("current", money),
                  optimal_text=("optimal", money), change_text=("change", signed_money),
                  current_response_text=("current_response", money), response_text=("response", money),
                  response_change_text=("response_change", signed_money))
    notes = []
    if n_all > len(t):
        notes.append(f"Top {len(t)} of {n_all} {_WHAT[by][1]} by optimal spend.")
    if not np.isfinite(t["current"]).any():
        notes.append("The table has no current spend: optimal spend only.")
    labels = None
    if gain and np.isfinite(t["response_change"].to_numpy(dtype=float)).any():
        notes.insert(0, "Beside the bars: the change in expected revenue, optimal against current spend.")
        end = np.fmax(np.nan_to_num(t["current"].to_numpy(dtype=float)), np.nan_to_num(t["optimal"].to_numpy(dtype=float)))
        labels = with_texts(t.assign(end=end, room=end * 1.3), current_text=("current", money),
                        optimal_text=("optimal", money), change_text=("change", signed_money),
                        current_response_text=("current_response", money), response_text=("response", money),
                        response_change_text=("response_change", signed_money))
        # every label of the chart in one format: "+$102k revenue" never beside "+$76.29 revenue"
        labels["gain_label"] = [f"{text} revenue" if np.isfinite(v) else "" for text, v in
                                zip(money_labels(labels["response_change"], signed=True), labels["response_change"],
                                    strict=True)]
    return {"rows": t, "bars": long, "notes": notes, "labels": labels}


def current_vs_optimal_data(table: pd.DataFrame, by: str = "network", top: int = 15) -> tuple[dict[str, list[dict]], tuple]:
    """Return the data of ``current_vs_optimal(table, by, top, gain=True)`` and the shape of the rest.

    As :func:`planner.report.charts.budget_frontier.frontier_data`: ``datasets`` are its named data sets (``{by}-spend``,
    ``{by}-revenue-change``); plans with equal ``shape`` (the rows in the same order,
    the same notes, the same currency) give specs that differ only in them.

    Parameters
    ----------
    table : DataFrame
        As in :func:`current_vs_optimal`.
    by : {"network", "creator", "name"}, default "network"
        As in :func:`current_vs_optimal`.
    top : int, default 15
        As in :func:`current_vs_optimal`.

    Returns
    -------
    datasets : dict of str to list of dict
        The two named data sets, rows as dicts; empty when there is nothing to draw or no row has a change
        in expected revenue.
    shape : tuple
        ``(by, row labels, notes, currency code)``; in the empty case a shape unique to ``table``, so it never
        matches.

    Raises
    ------
    ValueError
        When ``by`` is not one of the three.
    """
    if by not in ("network", "creator", "name"):
        raise ValueError(f"by must be 'network', 'creator' or 'name', not {by!r}.")
    parts = _bar_parts(table, by, top, True)
    if parts is None or parts["labels"] is None:
        return {}, ("plain", id(table))  # no named data: never the same shape as another plan's
    datasets = {f"{by}-spend": inline_data(parts["bars"])["values"],
                f"{by}-revenue-change": inline_data(parts["labels"])["values"]}
    return datasets, (by, tuple(parts["rows"]["label"]), tuple(parts["notes"]), current().code)


def current_vs_optimal(
    table: pd.DataFrame,
    by: str = "network",
    top: int = 15,
    *,
    gain: bool = False,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str | None = None,
) -> alt.Chart | alt.LayerChart:
    """Draw grouped horizontal bars: current against optimal spend.

    Parameters
    ----------
    table : DataFrame
        ``Allocation.table`` (``name, network, spend, response, current_spend,
        current_response``) or ``Allocation.network_table`` (no ``name``).
    by : {"network", "creator", "name"}, default "network"
        Totals per network, the creators (names with ``/``) or every entity.
    top : int, default 15
        Keep the ``top`` rows by optimal spend (ties by current spend).
    gain : bool, default False
        Write each row's change in expected revenue beside its bars and the total
        revenue gained in the subtitle (an ``alt.LayerChart`` then).
    width, height, title
        Size and title (default "Current and optimal spend per network", ...).

    Returns
    -------
    alt.Chart
        A grey ``Current`` and a blue ``Optimal`` bar per row; tooltips give the
        change in spend and in expected revenue.  Or a "No rows selected" chart.

    Raises
    ------
    ValueError
        When ``by`` is not ``"network"``, ``"creator"`` or ``"name"``.
    """
    if by not in ("network", "creator", "name"):
        raise ValueError(f"by must be 'network', 'creator' or 'name', not {by!r}.")
    title = title or f"Current and optimal spend per {_WHAT[by][0]}"
    parts = _bar_parts(table, by, top, gain)
    if parts is None:
        return empty_chart(title=title, width=width, height=height)
    t, long, notes, labels = (parts[k] for k in ("rows", "bars", "notes", "labels"))
    label_title = {"network": "Network", "creator": "Creator", "name": "Name"}[by]
    tips = [
        alt.Tooltip("label:N", title=label_title),
        *([alt.Tooltip("network:N", title="Network")] if by != "network" else []),
        alt.Tooltip("plan:N", title="Bar"),
        alt.Tooltip("current_text:N", title="Current spend"),
        alt.Tooltip("optimal_text:N", title="Optimal spend"),
        alt.Tooltip("change_text:N", title="Change in spend"),
        alt.Tooltip("current_response_text:N", title="Expected revenue now"),
        alt.Tooltip("response_text:N", title="Expected revenue, optimal"),
        alt.Tooltip("response_change_text:N", title="Change in expected revenue"),
    ]
    y = alt.Y("label:N", title=None, sort=list(t["label"]), axis=alt.Axis(labelLimit=220))
    x_title = money_title(SPEND_TITLE)
    x = alt.X("spend:Q", title=x_title, axis=money_axis(tickCount=TICKS), scale=money_scale())
    named: dict = {}
    bars = (
        alt.Chart(named_data(f"{by}-spend", long, named) if labels is not None else inline_data(long))
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=y,
            yOffset=alt.YOffset("plan:N", sort=["Current", "Optimal"]),
            x=x,
            color=alt.Color("plan:N", title="Spend", sort=["Current", "Optimal"],
                            scale=alt.Scale(domain=["Current", "Optimal"], range=[CURRENT_COLOR, OPTIMAL_COLOR])),
            tooltip=tips,
        )
    )
    if labels is None:
        return bars.properties(width=width, height=height, title=chart_title(title, notes), autosize=FIT_X)
    # the labels' own data under a fixed name: a new plan changes the data, not the spec (see named_data)
    ref = named_data(f"{by}-revenue-change", labels, named)
    label_tips = [t_ for t_ in tips if t_.title != "Bar"]
    text = (alt.Chart(ref).mark_text(align="left", dx=6, color=INK)
            .encode(y=y, x=alt.X("end:Q", title=x_title, axis=money_axis(tickCount=TICKS), scale=money_scale()),
                    text="gain_label:N", tooltip=label_tips))
    # an invisible point 30% beyond the longest bar keeps room on the axis for its label
    room = (alt.Chart(ref).mark_point(opacity=0)
            .encode(y=y, x=alt.X("room:Q", title=x_title, axis=money_axis(tickCount=TICKS), scale=money_scale()),
                    tooltip=label_tips))
    return alt.LayerChart(layer=[bars, text, room], width=width, height=height, title=chart_title(title, notes),
                          autosize=FIT_X, datasets=named)
