"""Tradeoffs: where returns flatten, what another dollar buys, and what a bigger or smaller budget would do."""

import math

import streamlit as st

import ui
from planner import charts, views
from planner.format import money, roas

state = ui.setup("Tradeoffs")
alloc = ui.require_allocation(state)
curves = state.planning_curves
table = alloc.table
level = views.optimum_level(alloc)

st.markdown(f"For a budget of **{money(alloc.budget)}** per quarter. "
            "Hollow points: today's spend; filled points: the best plan. Hover a line or point for its values.")
st.info(views.reading(alloc, curves), icon=":material/lightbulb:")

st.subheader("Where returns flatten")
creators = [n for n in curves["name"].astype(str) if "/" in n]
networks_tab, creators_tab = st.tabs(["Paid media per network", "Creators"])
with networks_tab:
    ui.chart(charts.response_curves(curves, table, title="Expected revenue per network"))
    ui.chart(charts.marginal_roas(curves, table, level=level, title="Return on the next dollar per network"))
with creators_tab:
    if not creators:
        st.caption("The data has no creators.")
    else:
        picked = st.multiselect(
            "Creators to compare", creators, placeholder="Choose creators to draw",
            **ui.widgets.remembered("tradeoff_creators", views.top_creators(table, n=6),
                                    valid=lambda names: [n for n in names if n in creators]),
        )
        ui.chart(charts.response_curves(curves, table, names=picked, title="Expected revenue per creator"))
        ui.chart(charts.marginal_roas(curves, table, names=picked, level=level,
                                      title="Return on the next dollar per creator"))

st.subheader("Bigger or smaller budget")
front = state.frontier()
breakeven = state.breakeven()
budgets = state.frontier_budgets()
facts = [f"Each point is the best split of a budget from {money(budgets[0])} to {money(budgets[-1])}; "
         "its slope is what the next dollar of budget brings back."]
if math.isfinite(level):
    facts.append(f"At {money(alloc.budget)}, the next dollar returns about **{roas(level, per_dollar=True)}**.")
if breakeven.ok:
    facts.append(f"**Break-even budget: {money(breakeven.value)}.** Beyond this total the next dollar returns "
                 "less than a dollar of revenue, even in the best split.")
st.markdown(" ".join(facts))
if front.ok:
    current = alloc.total_current_spend if alloc.total_current_spend == alloc.total_current_spend else None
    ui.chart(charts.frontier(front.value, current_budget=current, chosen_budget=alloc.budget))
else:
    st.warning(f"The budget frontier could not be computed: {front.error}")

st.subheader("Current and best plan")
tabs = st.tabs(["Per network", "Top creators", "Creators: spend and revenue"] if creators else ["Per network"])
with tabs[0]:
    ui.chart(charts.current_vs_optimal(table, by="network"))
if creators:
    with tabs[1]:
        ui.chart(charts.current_vs_optimal(table, by="creator", top=15, height=480))
    with tabs[2]:
        ui.chart(charts.creator_scatter(table, followers=views.followers(state.datasets), height=420))
