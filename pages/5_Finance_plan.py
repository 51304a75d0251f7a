"""Finance plan: what finance's proposed split is expected to return, next to the best split of the same money.

A plan over time (months or weeks across the columns, or a period column) is valued period by period
beside the best plan of the same spend over the same horizon (ui.flight_evaluation).
"""

import streamlit as st

import ui
from planner.base.format import band_text, interval_text, money, pct, roas, signed_money
from planner.base.markdown import bold, bullets, literal
from planner.report.plan_tables import evaluation_by_network, evaluation_view
from ui import flight_evaluation
from ui.campaign_controls import controls_caption
from ui.quarter import quarter_caption
from ui.weak_curves import warn_weak_curves

LISTED = 50  # names listed under "In the plan but not in the data" and the reverse; the rest counted

state = ui.setup("Finance plan")
ui.require_curves(state)


def _on_upload(key: str) -> None:
    f = st.session_state.get(key)
    if f is not None:
        state.set_plan(f.name, f.getvalue())


foreign = state.plan_is_sample and not state.is_sample  # the sample plan's names are not the loaded data's
left, right = st.columns([3, 2], gap="large")
with left:
    name = state.plan_source[0]
    if foreign:
        st.markdown("Upload finance's plan for the data loaded now.")
    elif state.plan_is_sample:
        st.markdown(f"Evaluating the **sample finance plan** ({literal(name)}): finance's split of "
                    f"{literal(money(250_000))} for next quarter. Upload your own plan to evaluate it instead.")
    else:
        st.markdown(f"Evaluating {bold(name)}.")
        st.button("Back to the sample plan", key="use_sample_plan", icon=":material/restart_alt:",
                  on_click=state.use_sample_plan)
    st.caption("A plan is a sheet with a network and creator column (or a name column) and a spend column; "
               "a plan over time, with the months or weeks across the columns (or a period column), works too, "
               "and so does a workbook exported from this app.")
with right:
    key = state.key("plan_upload")
    st.file_uploader("Upload a plan", type=["xlsx", "xls", "csv"], key=key, on_change=_on_upload, args=(key,))

if foreign:
    st.info(literal(f"The sample finance plan names the sample's networks and creators, not those of "
                    f"{state.data_label()}: upload finance's plan for this data to value it next to the best split "
                    "of the same money."), icon=":material/info:")
    st.stop()
over_time = flight_evaluation.evaluated(state)  # None: the plan has no periods
if over_time is not None:
    flight_evaluation.show(state, over_time)
    st.stop()

plan = state.plan()
if not plan.ok:
    st.error(literal(plan.error), icon=":material/error:")
    st.stop()
curves = state.planning_curves
quarter_caption(state)
controls_caption(state)
result = ui.cache.evaluate_plan(curves, plan.value)
if not result.ok:
    st.error(literal(result.error), icon=":material/error:")
    st.stop()
ev = result.value

st.divider()
m = st.columns(4)
m[0].metric("Plan's spend", money(ev.total_spend))
m[1].metric("Plan's expected revenue", money(ev.total_response),
            help=literal(interval_text(ev.response_p10, ev.response_p50, ev.response_p90)) or None)
m[2].metric("Best split of the same money", money(ev.optimum_response),
            delta=f"{signed_money(ev.gap)} ({pct(ev.gap_pct, signed=True)})"
            if ev.optimum_response == ev.optimum_response else None,
            help=literal(band_text(ev.optimum_p10, ev.optimum_p50, ev.optimum_p90, ev.optimum_mean,
                                   ev.optimum_allowance)) or None)
m[3].metric("Plan's return on ad spend", literal(roas(ev.roas, per_dollar=True)))
interval = interval_text(ev.response_p10, ev.response_p50, ev.response_p90)
interval = f" Plan's {interval}." if interval else ""
st.info(literal(ev.summary() + interval), icon=":material/lightbulb:")
warn_weak_curves(state)  # the best split, and the plan's value, rest on the curves: as on the Optimize page
if state.has_custom_bounds():
    st.caption("The best split keeps the per-row bounds set on the Optimize page; network bounds are not applied "
               "here.")

for w in ev.warnings:
    st.warning(literal(w), icon=":material/warning:")
for n in ev.notes:
    st.caption(literal(n))

if ev.unmatched or ev.missing:
    a, b = st.columns(2, gap="large")
    with a:
        if ev.unmatched:
            st.markdown(f"**In the plan but not in the data ({len(ev.unmatched)})**")
            st.markdown(bullets(ev.unmatched, limit=LISTED))
    with b:
        if ev.missing:
            with st.expander(f"In the data but not in the plan ({len(ev.missing)}): counted at {money(0)}"):
                st.markdown(bullets(ev.missing, limit=LISTED))

by_network, rows = st.tabs(["By network", "Row by row"])
with by_network:
    ui.table(evaluation_by_network(ev))
with rows:
    ui.table(evaluation_view(ev), height=460)
