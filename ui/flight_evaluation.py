"""The Finance plan page's view of a plan over time: the plan valued period by period, beside the best plan.

A plan whose file has periods (months or weeks across the columns, or a period column) is read by
planner.analysis.flight_plan_file and valued by planner.analysis.flight_evaluate; the words and tables
come from planner.report.flight_evaluation_text, the chart from planner.report.charts.flight_vs_best.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner.base.format import whole_money
from planner.base.markdown import literal
from planner.report import charts
from planner.report.flight_evaluation_text import (
    REVENUE_COLUMNS,
    SPEND_COLUMNS,
    earns_as_much,
    evaluation_figures,
    network_period_view,
    period_view,
    reading,
    row_view,
    source_sentence,
)
from ui import cache
from ui.state import AppState
from ui.weak_curves import warn_weak_curves
from ui.widgets import chart, money_column


def evaluated(state: AppState):
    """The plan in use valued over its periods (a FlightEvaluation), or None when it has no periods.

    A plan over time that cannot be read or valued shows its sentence and stops the page.
    """
    name, data = state.plan_source
    timed = cache.plan_over_time(name, data)
    if timed.ok and timed.value is None:
        return None
    result = cache.evaluate_plan_over_time(state.plan_key(), name, data, state.timed_curves) if timed.ok else timed
    if not result.ok:
        st.error(literal(result.error), icon=":material/error:")
        st.stop()
    return result.value


def _figures(ev) -> None:
    f = evaluation_figures(ev)
    m = st.columns(4)
    m[0].metric("Plan's spend", f["spend"], help=literal(f"Over {ev.horizon.label()}."))
    m[1].metric("Plan's expected revenue", f["revenue"],
                help=literal(f"Over the horizon. {f['interval']}." if f["interval"] else "Over the horizon."))
    m[2].metric("Best plan, same spend", f["best"], delta=f["gap"] or None,
                delta_color="off" if earns_as_much(ev) else "normal",
                help=literal("The planner's plan of the same total spend over the same periods, on the same model, "
                             "each row within its bounds." + (f" {f['best_interval']}." if f["best_interval"] else "")))
    m[3].metric("Plan's return on ad spend", literal(f["roas"]))


def _money_config(df: pd.DataFrame) -> dict:
    """Money columns in the currency shown: spends to the cent (as the plan has them), revenue in whole units."""
    config = {}
    for c in df.columns:
        if c in SPEND_COLUMNS:
            col = money_column(c)
            config[c] = {**col, "type_config": {**col["type_config"], "step": 0.01}}
        elif c in REVENUE_COLUMNS:
            config[c] = money_column(c)
        else:
            config[c] = st.column_config.TextColumn(c)
    return config


def money_table(df: pd.DataFrame, *, key: str, height: int | str = "auto") -> None:
    """A table of planner.report.flight_evaluation_text: spends to the cent, expected revenue in whole units."""
    shown = df.copy()
    for c in SPEND_COLUMNS:
        shown[c] = shown[c].astype(float).round(2)
    for c in REVENUE_COLUMNS:
        shown[c] = whole_money(shown[c].to_numpy(dtype=float))
    st.dataframe(shown, column_config=_money_config(shown), hide_index=True, width="stretch", height=height, key=key)


def show(state: AppState, ev) -> None:
    """The plan over time beside the best plan: figures, sentences, notes, warnings, charts and tables."""
    st.divider()
    _figures(ev)
    st.info(literal(" ".join(reading(ev))), icon=":material/lightbulb:")
    st.caption(literal(source_sentence(ev)))
    warn_weak_curves(state)  # the best plan, and the plan's value, rest on the curves: as on the Optimize page
    if state.has_custom_bounds():
        st.caption("The best plan keeps the per-row bounds set on the Optimize page, scaled to the horizon; network "
                   "bounds and the most creators to hire are not applied here.")
    for n in ev.notes:
        st.caption(literal(n))
    for w in ev.warnings:
        st.warning(literal(w), icon=":material/warning:")
    revenue, spend = st.tabs(["Expected revenue", "Spend"])
    with revenue:
        chart(charts.flight_vs_best(ev, "response"))
    with spend:
        chart(charts.flight_vs_best(ev, "spend"))
    st.subheader(f"By {ev.horizon.period}")
    money_table(period_view(ev), key="finance_time_periods")
    by_network, rows = st.tabs([f"By network and {ev.horizon.period}", "Row by row"])
    with by_network:
        money_table(network_period_view(ev), key="finance_time_networks", height=460)
    with rows:
        money_table(row_view(ev), key="finance_time_rows", height=460)
