"""Plan over time: a budget for a quarter, half a year or a year, split into weeks or months."""

from datetime import date
from functools import partial

import streamlit as st

import ui
from planner.base.markdown import literal
from planner.flighting.limits import limits_frame
from planner.report import charts
from planner.report.flight_limits_text import limits_sentence
from planner.report.flight_text import (
    availability_sentence,
    flight_summary,
    flight_table,
    model_note,
    past_sentence,
    season_sentence,
)
from planner.report.sheets.flight_plan import flight_plan_csv, flight_workbook
from ui import flighting
from ui.campaign_controls import controls_caption
from ui.weak_curves import refuse_without_plan, warn_weak_curves

state = ui.setup("Plan over time")
ui.require_curves(state)

st.markdown("Plan a budget over the coming months, week by week or month by month. Where spend keeps earning "
            "after the week it runs (carry-over), the best plan does not spend evenly: it moves money to the "
            "periods where it earns most.")


@ui.fragment
def plan_over_time() -> None:
    """Inputs and the plan together: changing any input redraws this part only."""
    chosen = flighting.inputs(state)
    if chosen is None:
        return
    st.caption(flighting.budget_caption(state, chosen))
    controls_caption(state)
    past = past_sentence(chosen.horizon, date.today())
    if past:
        st.warning(literal(past), icon=":material/history:")
    if refuse_without_plan(state):  # nothing can be said: no plan, and why
        return
    curves = state.timed_curves  # its yearly waves kept: each period is counted at its waves' mean
    h = chosen.horizon
    with st.expander("Limits per period and network (optional)", icon=":material/tune:"):
        st.caption("The least or most the networks' paid media may spend in a period (All networks: their total), "
                   "or a network over the whole horizon. Creators are booked per campaign within their roster.")
        limits = flighting.limits_editor(curves, h)
    result = ui.cache.flight_plan(state.plan_key(), chosen.budget, h.start, h.end, h.period, chosen.after,
                                  curves, limits, chosen.min_flight)
    if not result.ok:
        st.error(literal(f"This plan cannot be made. {result.error}"), icon=":material/block:")
        return
    plan = result.value
    last_year = flighting.last_year(state, plan, curves)

    st.divider()
    flighting.figures(plan, last_year)
    st.markdown(literal(" ".join(flight_summary(plan, last_year))))
    if limits:
        st.caption(literal(limits_sentence(plan, curves, limits_frame(limits))))
    st.caption(literal(" ".join(last_year.pattern.notes())))
    warn_weak_curves(state)  # as on the Optimize page: the plan is the best for these curves only
    st.info(literal(model_note(plan)), icon=":material/lightbulb:")
    for sentence in (season_sentence(curves), availability_sentence(curves, h)):
        if sentence:
            st.caption(literal(sentence))
    note = flighting.settings_note(state)
    if note:
        st.caption(note)

    ui.chart(charts.flight_spend(plan))
    ui.chart(charts.flight_response(plan))
    ui.chart(charts.flight_vs_even(plan, last_year))
    sales = flighting.baseline(state, plan)

    st.subheader(f"Spend per network and creator, by {h.period}")
    flighting.spend_table(flight_table(plan))
    name = f"plan_{h.start.isoformat()}_{h.end.isoformat()}_{h.period}s"
    left, right, _ = st.columns([2, 2, 3])
    workbook = partial(flight_workbook, sales=sales)
    left.download_button("Download the plan (Excel)", data=flighting.in_currency(workbook, plan),
                         file_name=f"{name}.xlsx", key="download_flight_xlsx", type="primary",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         icon=":material/download:", on_click="ignore",
                         help="For finance: the plan by network and creator with a column per period and live "
                              "totals, the long table beside it, and a summary of what the plan earns.")
    right.download_button("Plan as CSV", data=flight_plan_csv(plan), file_name=f"{name}.csv", mime="text/csv",
                          key="download_flight_csv", icon=":material/table:", on_click="ignore",
                          help="A row per network's paid media or creator and period: name, network, period (its "
                               "first day), spend, expected revenue, what of it is carried over, the period's last "
                               "day.")


plan_over_time()
