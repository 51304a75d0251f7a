"""Pacing: a plan over time against the spend to date, per period and network, and the rest re-planned."""

import streamlit as st

import ui
from planner.base.format import money, signed_money
from planner.base.markdown import literal
from planner.report.charts.pacing import pacing_spend
from planner.report.pacing_text import pacing_csv, pacing_headline, rest_sentence, status_sentence
from ui import pacing

state = ui.setup("Pacing")
ui.require_curves(state)

st.markdown("Set the spend so far against the plan, month by month (or week by week) and network by network: "
            "ahead, on pace or behind. The money left is re-planned over the rest of the horizon, starting from "
            "the carry-over the spend so far has built up.")

(plan_name, plan_data), (act_name, act_data) = pacing.files()
samples = pacing.samples_in_use()
if samples and not state.is_sample:  # the samples' names are not the loaded data's: nothing to pace
    st.info(literal(pacing.sample_files_text(samples, state.data_label())), icon=":material/info:")
    st.stop()
plan = ui.cache.plan_over_time(plan_name, plan_data)
if not plan.ok:
    st.error(literal(plan.error), icon=":material/error:")
    st.stop()
if plan.value is None:
    st.error(literal(f"{plan_name} has no periods: pacing needs a plan over time, with a period column or the months "
                     "or weeks across the columns (the Plan over time page writes one)."), icon=":material/error:")
    st.stop()
spent = ui.cache.actuals(act_name, act_data)
if not spent.ok:
    st.error(literal(spent.error), icon=":material/error:")
    st.stop()
horizon = plan.value.horizon
st.caption(literal(f"The plan: {horizon.label()}, {money(plan.value.total_spend)} in all. The spend to date: "
                   f"{money(spent.value.total_spend)} from {spent.value.table['first'].min().date().isoformat()} to "
                   f"{spent.value.last_day.isoformat()}."))
as_of, budget, after, min_flight = pacing.settings(plan.value.total_spend, horizon, spent.value.last_day)
result = ui.cache.pacing(state.plan_key(), plan_name, plan_data, act_name, act_data, as_of, budget, after,
                         state.timed_curves, min_flight)
if not result.ok:
    st.error(literal(result.error), icon=":material/block:")
    st.stop()
p = result.value

st.divider()
m = st.columns(4)
m[0].metric(f"Spent to {p.as_of.isoformat()}", money(p.spent), delta=signed_money(p.spent - p.planned_to_date),
            delta_color="off", help=literal(f"The plan had {money(p.planned_to_date)} by then."))
m[1].metric("Left to spend", money(max(p.remaining, 0.0)), help=literal(f"Budget: {money(p.budget)}."))
m[2].metric("Expected revenue", money(p.expected.total_response),
            delta=signed_money(p.expected.total_response - p.planned.total_response),
            help=literal(f"Over the whole horizon: the spend so far and the re-planned rest; the change is against the "
                         f"plan as made, which was "
                         f"expected to bring {money(p.planned.total_response)}."))
if p.kept is not None:
    m[3].metric("Gain from re-planning", signed_money(p.over_kept),
                help=literal(f"The spend so far and the plan's own pattern for the rest, with the same money, bring "
                             f"{money(p.kept.total_response)}."))
st.markdown(literal(pacing_headline(p)))
st.markdown(literal(status_sentence(p)))
st.info(literal(rest_sentence(p)), icon=":material/lightbulb:")
for w in p.warnings:
    st.warning(literal(w), icon=":material/warning:")
for n in p.notes:
    st.caption(literal(n))

ui.chart(pacing_spend(p))
pacing.tables(p)
st.download_button("Download per row and period (CSV)", icon=":material/table:", key="download_pacing_csv",
                   data=pacing_csv(p),
                   file_name=f"pacing_{p.as_of.isoformat()}.csv", mime="text/csv", on_click="ignore",
                   help="A row per network's paid media or creator and period: the plan, the plan to date, what was "
                        "spent, the re-planned rest, the two added, and the status.")
