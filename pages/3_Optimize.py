"""Optimize: budget, objective and bounds in; the best split of the budget out."""

import streamlit as st

import ui
from planner.analysis.insights import next_money_between
from planner.base.format import band_text, count, one, pct, unit_money
from planner.base.markdown import literal
from planner.report.plan_tables import allocation_view, network_view
from planner.report.sentences import beyond_data_text, first_test_text, headline, next_money_text, reading
from ui.campaign_controls import controls_input
from ui.cautious import cautious_panel
from ui.quarter import quarter_input
from ui.weak_curves import refuse_without_plan, warn_weak_curves
from ui.whatif import what_if_panel

state = ui.setup("Optimize")
curves = ui.require_curves(state)


@ui.fragment
def plan() -> None:
    """Inputs and the plan together: changing any input redraws this part only (the data are not read again)."""
    ui.widgets.budget_control(state)
    quarter_input(state)
    controls_input(state)
    c1, c2, c3 = st.columns(3, gap="large")
    with c1:
        ui.widgets.objective_input(state)
    with c2:
        ui.widgets.margin_input(state)
    with c3:
        ui.widgets.engagement_input(state)
    ui.widgets.settings_note(state)

    with st.expander("Bounds per network and creator", icon=":material/tune:",
                     expanded=state.has_custom_bounds()):
        st.caption("Set a minimum or maximum quarterly spend for any row, or lock it at today's spend. "
                   "Creators are booked in whole posts at their fee.")
        ui.widgets.bounds_editor(state)
        st.markdown("**Bounds on each network's total**")
        ui.widgets.network_bounds_editor(state)
        ui.widgets.max_creators_input(state)
        st.button("Clear all bounds", key="reset_bounds", icon=":material/restart_alt:",
                  on_click=ui.widgets.reset_bounds, args=(state,))

    problems = state.bound_problems()
    for p in problems:
        st.error(literal(p), icon=":material/error:")
    if problems:
        st.info("Fix the bounds above to see the best plan.")
        return

    if refuse_without_plan(state):  # nothing can be said: no plan, and why
        return
    result = state.allocation()
    if not result.ok:
        st.error(literal(f"This plan cannot be met. {result.error}"), icon=":material/block:")
        return
    alloc = result.value
    h = headline(alloc, state.support)
    revenue_only = state.allocation(revenue_only=True) if state.engagement_weight > 0 else None

    st.divider()
    # the first figure is what the plan maximises: profit for the profit objective, else revenue
    figures = []
    if h["profit"]:
        figures.append(("Expected profit", h["profit"], f"{h['profit_change']} vs current" if h["profit_change"]
                        else None, f"Margin x expected revenue - spend, at a {pct(alloc.margin, decimals=0)} "
                                   "margin: what this plan maximises."))
    figures.append(("Expected revenue", h["revenue"], f"{h['change']} vs current" if h["change"] else None,
                    band_text(alloc.response_p10, alloc.response_p50, alloc.response_p90, alloc.response_mean,
                              alloc.selection_allowance) or None))
    if alloc.engagement_weight > 0:
        figures.append(("Expected engagements", count(alloc.engagements), None,
                        f"Each valued at {unit_money(alloc.engagement_weight)}: the plan maximises revenue plus "
                        "their value."))
    figures += [("Return on ad spend", literal(h["roas"]), None, f"Expected revenue per {one()} of the plan's spend."),
                ("Spend", h["spend"], None, f"Budget: {h['budget']}.")]
    if len(figures) < 5:
        figures.append(("Change against current plan", h["change_pct"] or "\u2014", None,
                        h["current"] or "The curve table gives no current spend."))
    for column, (label, value, delta, help_) in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(label, value, delta=delta, help=literal(help_) if help_ else None)
    notes = [h["interval"], h["selection"], h["current"], h["optimality"] + ".", h["message"]]
    if state.max_creators is not None:
        notes.append(f"Creators hired: {alloc.creators_hired:,} (at most {state.max_creators:,}).")
    st.caption(literal(" · ".join(n for n in notes if n)))
    warn_weak_curves(state, first_test_text(alloc, state.planning_curves, state.support))
    st.info(literal(reading(alloc, state.planning_curves,
                            revenue_only.value if revenue_only and revenue_only.ok else None)),
            icon=":material/lightbulb:")
    ui.widgets.engagement_trade(state, alloc)
    more = state.allocation(alloc.budget + state.budget_step)
    if more.ok:
        st.markdown(literal(next_money_text(next_money_between(alloc, more.value, state.budget_step))))

    by_network, by_creator, every_row, moved, careful = st.tabs(
        ["By network", "By creator", "Every row", "What if", "Cautious plan"], key="optimize_view", on_change="rerun")
    if by_network.open:
        with by_network:
            ui.widgets.plan_bars(alloc.table, by="network")
            ui.table(network_view(alloc))
    if by_creator.open:
        with by_creator:
            creators = allocation_view(alloc, creators_only=True, curves=state.curves)
            if creators.empty:
                st.caption("The data has no creators.")
            else:
                ui.table(creators, height=420)
    if every_row.open:
        with every_row:
            ui.table(allocation_view(alloc, curves=state.curves), height=420)
    if moved.open:
        with moved:
            what_if_panel(state, alloc)
    if careful.open:
        with careful:
            cautious_panel(state, alloc)
    beyond = beyond_data_text(alloc, ticked=' (ticked under "Beyond data")')
    if beyond:
        st.warning(literal(beyond), icon=":material/warning:")


plan()
