"""Creators: each creator's spend against its expected revenue, alone or under bars per network.

:func:`creator_scatter` draws the creators of a plan, chosen or not; :func:`creators_by_network`
puts a bar per network above it, and a click on a bar shows only that network's creators.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import numpy as np
import pandas as pd

from planner.base.format import money, signed_money
from planner.base.names import is_creator, networks_of
from planner.report.charts.layers import empty_chart, inline_data, layered, on_data, sum_or_nan
from planner.report.charts.style import (
    FIT_X,
    HEIGHT,
    RESPONSE_TITLE,
    SPEND_TITLE,
    chart_title,
    count_expr,
    marginal_title,
    money_axis,
    money_scale,
    money_title,
    network_scale,
    per_dollar_text,
    roas_title,
    with_texts,
)
from planner.report.display import column_numbers

__all__ = ["creator_scatter", "creators_by_network", "NETWORK_PICK"]

NETWORK_PICK = "network_pick"  # the selection parameter of creators_by_network: a clicked network


def _followers(table: pd.DataFrame, followers) -> pd.Series | None:
    """Return followers per creator name from a Series, mapping or DataFrame, else the table's column."""
    if followers is None:
        if "followers" not in table.columns:
            return None
        return pd.Series(column_numbers(table, "followers"), index=table["name"].astype(str).to_numpy())
    if isinstance(followers, pd.DataFrame):
        if not {"name", "followers"} <= set(followers.columns):
            raise ValueError("The followers table needs the columns name and followers.")
        return pd.Series(column_numbers(followers, "followers"), index=followers["name"].astype(str).to_numpy())
    s = pd.Series(dict(followers)) if isinstance(followers, Mapping) else pd.Series(followers)
    return pd.Series(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float), index=s.index.astype(str))


def creator_scatter(
    allocation_table: pd.DataFrame,
    followers=None,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Creators: spend and expected revenue",
) -> alt.LayerChart | alt.Chart:
    """Draw each creator's spend against its expected revenue, chosen or not.

    Parameters
    ----------
    allocation_table : DataFrame
        ``Allocation.table``; creators are the rows whose name holds ``/``.
    followers : Series, mapping or DataFrame, optional
        Followers per creator name (a Series indexed by name, a dict, or a
        DataFrame with ``name, followers``); default the table's ``followers``
        column if any.  Sets the size of the points.
    width, height, title
        Size and title.

    Returns
    -------
    alt.LayerChart
        Chosen creators (spend > 0) as solid circles at their planned spend and
        expected revenue; the others as faded triangles at their current spend
        (at $0 without one); a dashed break-even line where revenue equals
        spend.  Or a "No rows selected" text chart without creators.

    Raises
    ------
    ValueError
        When ``followers`` is a DataFrame without the columns ``name`` and ``followers``.
    """
    if allocation_table is None or not len(allocation_table) or "name" not in allocation_table.columns:
        return empty_chart(title=title, width=width, height=height)
    t = allocation_table[is_creator(allocation_table["name"])]
    if t.empty:
        return empty_chart(title=title, width=width, height=height)
    layers, notes = _creator_layers(allocation_table, t, followers)
    return layered(layers, width, height, chart_title(title, notes))


BUBBLE = 700  # the largest bubble's area in square pixels
EDGE = 18  # pixels kept free at the axes' ends: the largest bubble's radius and a little more


def _creator_layers(allocation_table: pd.DataFrame, t: pd.DataFrame, followers, pick=None,
                    legend_orient: str | None = None, networks=None) -> tuple[list, list[str]]:
    """Return the creator scatter's layers (break-even line, points) and notes; ``pick`` filters the points.

    ``networks`` orders the colour legend (default: as the creators come).
    """
    names = t["name"].astype(str)
    spend, resp = column_numbers(t, "spend"), column_numbers(t, "response")
    cur, cur_resp = column_numbers(t, "current_spend"), column_numbers(t, "current_response")
    chosen = np.nan_to_num(spend) > 0
    at_current = ~chosen & (np.nan_to_num(cur) > 0)
    d = pd.DataFrame({
        "name": names.to_numpy(),
        "network": (t["network"].astype(str) if "network" in t.columns else networks_of(names)).to_numpy(),
        "status": np.where(chosen, "Chosen", "Not chosen"),
        "x": np.where(chosen, spend, np.where(at_current, cur, 0.0)),
        "y": np.where(chosen, resp, np.where(at_current, cur_resp, 0.0)),
        "shown_at": np.where(chosen, "planned spend", np.where(at_current, "current spend", "no spend")),
        "spend": spend,
        "response": resp,
        "current_spend": cur,
        "current_response": cur_resp,
        "marginal_return": column_numbers(t, "marginal_return"),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        d["roas"] = np.where(np.nan_to_num(d["spend"]) > 0, d["response"] / d["spend"], np.nan)
    fol = _followers(allocation_table, followers)
    if fol is not None:
        fol = fol[~fol.index.duplicated()]
        d["followers"] = d["name"].map(fol).to_numpy(dtype=float)
    has_size = "followers" in d.columns and bool(np.isfinite(d["followers"]).any())
    d = with_texts(d, spend_text=("spend", money), response_text=("response", money), roas_text=("roas", per_dollar_text),
               marginal_text=("marginal_return", per_dollar_text), current_text=("current_spend", money),
               current_response_text=("current_response", money),
               followers_text=("followers", lambda v: "\u2014" if pd.isna(v) else f"{float(v):,.0f}"))
    tips = [
        alt.Tooltip("name:N", title="Creator"),
        alt.Tooltip("network:N", title="Network"),
        alt.Tooltip("status:N", title="In the plan"),
        alt.Tooltip("spend_text:N", title="Planned spend"),
        alt.Tooltip("response_text:N", title="Expected revenue"),
        alt.Tooltip("roas_text:N", title=roas_title()),
        alt.Tooltip("marginal_text:N", title=marginal_title()),
        alt.Tooltip("current_text:N", title="Current spend"),
        alt.Tooltip("current_response_text:N", title="Expected revenue now"),
        *([alt.Tooltip("followers_text:N", title="Followers")] if has_size else []),
        alt.Tooltip("shown_at:N", title="Drawn at"),
    ]
    # the scales end a bubble's radius past the largest point, so no bubble hangs over the plot's edge
    x = alt.X("x:Q", title=money_title(SPEND_TITLE), axis=money_axis(),
              scale=money_scale(padding=EDGE, domainMin=0))
    y = alt.Y("y:Q", title=money_title(RESPONSE_TITLE), axis=money_axis(),
              scale=money_scale(padding=EDGE, domainMin=0))
    status = ["Chosen", "Not chosen"]
    where = {} if legend_orient is None else {"orient": legend_orient}
    enc = dict(
        x=x, y=y,
        color=alt.Color("network:N", title="Network",
                        scale=network_scale(d["network"] if networks is None else networks),
                        legend=alt.Legend(**where)),
        shape=alt.Shape("status:N", title="In the plan",
                        scale=alt.Scale(domain=status, range=["circle", "triangle-up"]), legend=alt.Legend(**where)),
        opacity=alt.Opacity("status:N", title="In the plan", scale=alt.Scale(domain=status, range=[0.9, 0.4]),
                            legend=alt.Legend(**where)),
        tooltip=tips,
    )
    if has_size:
        enc["size"] = alt.Size("followers:Q", title="Followers", scale=alt.Scale(range=[30, BUBBLE]),
                               legend=alt.Legend(labelExpr=count_expr(), **where))
    layers = []
    xs, ys = d["x"].to_numpy(dtype=float), d["y"].to_numpy(dtype=float)
    end = min(np.max(xs[np.isfinite(xs)], initial=0.0), np.max(ys[np.isfinite(ys)], initial=0.0))
    notes = ["Chosen creators at their planned spend; the others faded, at their current spend."]
    if end > 0:
        even = pd.DataFrame({"x": [0.0, end], "y": [0.0, end], "label": ["Break-even: revenue equals spend"] * 2})
        layers.append(alt.Chart(inline_data(even)).mark_line(color="#777777", strokeDash=[4, 4], strokeWidth=1)
                      .encode(x=x, y=y, tooltip=[alt.Tooltip("label:N", title="Line")]))
        notes.append("Above the dashed line a creator brings in more than it costs.")
    points = alt.Chart().mark_point(filled=True, size=90)
    if pick is not None:
        points = points.transform_filter(pick)
    layers.append(on_data(inline_data(d), points.encode(**enc)))
    return layers, notes


def creators_by_network(
    allocation_table: pd.DataFrame,
    followers=None,
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str = "Creators per network: click a network to see only its creators",
) -> alt.VConcatChart | alt.Chart:
    """Draw the creators' spend per network (bars you click) above the creator scatter, filtered by the click.

    Parameters
    ----------
    allocation_table : DataFrame
        ``Allocation.table``; creators are the rows whose name holds ``/``.
    followers : Series, mapping or DataFrame, optional
        As in :func:`creator_scatter` (sets the size of the points).
    width, height, title
        Size (of the scatter; the bars take 30 px per network) and title.

    Returns
    -------
    alt.VConcatChart
        Top: one bar per network, the optimal spend on its creators, with the
        selection parameter :data:`NETWORK_PICK` (a point selection on
        ``network``; click a bar to pick it, shift-click to add one, double-click
        to clear).  Bottom: :func:`creator_scatter`'s layers, showing only the picked
        network's creators (all of them when nothing is picked).  A "No rows
        selected" text chart without creators.

    Raises
    ------
    ValueError
        When ``followers`` is a DataFrame without the columns ``name`` and ``followers``.
    """
    if allocation_table is None or not len(allocation_table) or "name" not in allocation_table.columns:
        return empty_chart(title=title, width=width, height=height)
    t = allocation_table[is_creator(allocation_table["name"])]
    if t.empty:
        return empty_chart(title=title, width=width, height=height)
    net = t["network"].astype(str) if "network" in t.columns else networks_of(t["name"])
    g = pd.DataFrame({
        "network": net.to_numpy(),
        "spend": column_numbers(t, "spend"),
        "current": column_numbers(t, "current_spend"),
        "response": column_numbers(t, "response"),
        "chosen": (np.nan_to_num(column_numbers(t, "spend")) > 0).astype(int),
    }).groupby("network", sort=False).agg(
        spend=("spend", sum_or_nan), current=("current", sum_or_nan), response=("response", sum_or_nan),
        chosen=("chosen", "sum"), creators=("chosen", "size"),
    ).reset_index().sort_values("spend", ascending=False, ignore_index=True)
    g["change"] = g["spend"] - g["current"]
    g["in_plan"] = [f"{c} of {n}" for c, n in zip(g["chosen"], g["creators"], strict=True)]
    g = with_texts(g, spend_text=("spend", money), current_text=("current", money), change_text=("change", signed_money),
               response_text=("response", money))
    pick = alt.selection_point(name=NETWORK_PICK, fields=["network"], on="click", clear="dblclick")
    bars = (
        alt.Chart(inline_data(g))
        .mark_bar(cornerRadiusEnd=2, cursor="pointer")
        .encode(
            y=alt.Y("network:N", title=None, sort=list(g["network"])),
            x=alt.X("spend:Q", title=money_title("Optimal spend on creators per quarter"), axis=money_axis(),
                    scale=money_scale()),
            color=alt.Color("network:N", title="Network", scale=network_scale(g["network"]),
                            legend=alt.Legend(orient="bottom")),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.3)),
            tooltip=[alt.Tooltip("network:N", title="Network"),
                     alt.Tooltip("in_plan:N", title="Creators in the plan"),
                     alt.Tooltip("spend_text:N", title="Optimal spend on creators"),
                     alt.Tooltip("current_text:N", title="Current spend on creators"),
                     alt.Tooltip("change_text:N", title="Change in spend"),
                     alt.Tooltip("response_text:N", title="Expected revenue from creators")],
        )
        .add_params(pick)
        .properties(width=width, height=30 * len(g))
    )
    # a concatenation cannot fit its width to the page with legends beside it: they go below
    layers, notes = _creator_layers(allocation_table, t, followers, pick=pick, legend_orient="bottom",
                                    networks=list(g["network"]))
    scatter = layered(layers, width, height, alt.TitleParams(text=""))
    scatter.title = alt.Undefined
    scatter.autosize = alt.Undefined  # only the top level may size itself
    notes = ["Click a bar to see only that network's creators, shift-click to add another, double-click to see "
             "all."] + notes
    return alt.vconcat(bars, scatter, title=chart_title(title, notes), spacing=18, autosize=FIT_X)
