"""Saved scenarios side by side: a bar per scenario for each network."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from planner.base.currency import current
from planner.base.format import money
from planner.report.charts.layers import empty_chart, inline_data
from planner.report.charts.style import (
    ENTITY_COLORS,
    HEIGHT,
    RESPONSE_TITLE,
    SPEND_TITLE,
    chart_title,
    money_axis,
    money_scale,
    money_title,
    per_dollar_text,
    with_texts,
)

__all__ = ["scenario_comparison"]

# Sections of planner.scenarios.comparison.compare (named here so charts need no database library).
_SCENARIO_SECTIONS = {"spend": "Spend by network", "response": "Expected revenue by network"}
_SCENARIO_TOTALS = "Totals"


def _scenario_figure(table: pd.DataFrame, item: str) -> pd.Series:
    """Return one line of the comparison's totals per scenario (NaN when the table lacks it)."""
    try:
        return table.loc[(_SCENARIO_TOTALS, item)].astype(float)
    except KeyError:
        return pd.Series(np.nan, index=table.columns)


def scenario_comparison(
    table: pd.DataFrame,
    measure: str = "spend",
    *,
    width: int | str = "container",
    height: int = HEIGHT,
    title: str | None = None,
) -> alt.Chart:
    """Draw saved scenarios side by side: one bar per scenario for each network.

    Parameters
    ----------
    table : DataFrame
        :func:`planner.scenarios.comparison.compare`: indexed by (section, item), one column per
        scenario.
    measure : {"spend", "response"}, default "spend"
        Spend per network, or the expected revenue per network.
    width, height, title
        Size and title (default "Spend per network in each scenario" or "Expected
        revenue per network in each scenario").

    Returns
    -------
    alt.Chart
        Horizontal bars grouped by network (largest first), a colour per scenario in
        the order given; the subtitle gives each scenario's spend and expected revenue
        (with its P10-P90 range when known); tooltips give the network's spend,
        expected revenue and ROAS in that scenario.  A "No scenarios to compare" chart
        when the table has none.

    Raises
    ------
    ValueError
        When ``measure`` is not ``"spend"`` or ``"response"``.
    """
    if measure not in _SCENARIO_SECTIONS:
        raise ValueError(f"measure must be 'spend' or 'response', not {measure!r}.")
    what = "Spend" if measure == "spend" else "Expected revenue"
    title = title or f"{what} per network in each scenario"
    if table is None or not len(table.columns) or not isinstance(table.index, pd.MultiIndex):
        return empty_chart("No scenarios to compare", title=title, width=width, height=height)
    scenarios = [str(c) for c in table.columns]
    sections = table.index.get_level_values(0)
    parts = {}
    for key, section in _SCENARIO_SECTIONS.items():
        block = table[sections == section]
        parts[key] = pd.DataFrame(block.to_numpy(dtype=float), index=block.index.get_level_values(1).astype(str),
                                  columns=scenarios)
    shown = parts[measure]
    if shown.empty:
        return empty_chart("No scenarios to compare", title=title, width=width, height=height)
    networks = list(shown.index)
    spend = parts["spend"].reindex(networks)
    revenue = parts["response"].reindex(networks)
    long = pd.DataFrame({
        "network": np.repeat(networks, len(scenarios)),
        "scenario": np.tile(scenarios, len(networks)),
        "value": shown.to_numpy().ravel(),
        "spend": spend.to_numpy().ravel(),
        "revenue": revenue.to_numpy().ravel(),
    })
    long["roas"] = np.divide(long["revenue"], long["spend"], out=np.full(len(long), np.nan),
                             where=long["spend"].to_numpy() > 0)
    long = long[np.isfinite(long["value"])]
    if long.empty:
        return empty_chart("No scenarios to compare", title=title, width=width, height=height)
    long = with_texts(long, spend_text=("spend", money), revenue_text=("revenue", money), roas_text=("roas", per_dollar_text))
    order = long.groupby("network", sort=False)["value"].max().sort_values(ascending=False).index.tolist()

    total_spend = _scenario_figure(table, "Spend")
    total_rev = _scenario_figure(table, "Expected revenue")
    p10, p90 = _scenario_figure(table, "Expected revenue, P10"), _scenario_figure(table, "Expected revenue, P90")
    notes = []
    for name in scenarios[:4]:
        text = (f"{name}: {money(total_spend.get(name), compact=True)} spent, "
                f"{money(total_rev.get(name), compact=True)} expected revenue")
        lo, hi = p10.get(name, np.nan), p90.get(name, np.nan)
        if np.isfinite(lo) and np.isfinite(hi):
            text += f" (P10-P90 {money(lo, compact=True)} to {money(hi, compact=True)})"
        notes.append(text + ".")
    if len(scenarios) > 4:
        notes.append(f"And {len(scenarios) - 4} more scenarios.")
    colors = [ENTITY_COLORS[i % len(ENTITY_COLORS)] for i in range(len(scenarios))]
    axis_title = SPEND_TITLE if measure == "spend" else RESPONSE_TITLE
    return (
        alt.Chart(inline_data(long))
        .mark_bar(cornerRadiusEnd=2)
        .encode(
            y=alt.Y("network:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("scenario:N", sort=scenarios),
            x=alt.X("value:Q", title=money_title(axis_title), axis=money_axis(tickCount=6), scale=money_scale()),
            color=alt.Color("scenario:N", title="Scenario", sort=scenarios,
                            scale=alt.Scale(domain=scenarios, range=colors)),
            tooltip=[alt.Tooltip("scenario:N", title="Scenario"), alt.Tooltip("network:N", title="Network"),
                     alt.Tooltip("spend_text:N", title="Spend"),
                     alt.Tooltip("revenue_text:N", title="Expected revenue"),
                     alt.Tooltip("roas_text:N", title=f"Return per {current().symbol}1")],
        )
        .properties(width=width, height=height, title=chart_title(title, notes))
    )
