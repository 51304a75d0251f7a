"""Tradeoffs: move the budget and watch the plan change; where returns flatten; creators, networks and engagement."""

import math

import streamlit as st

import ui
from planner.analysis.insights import next_money_between
from planner.base.format import money, one, roas, signed_money
from planner.base.markdown import bold, literal
from planner.base.names import is_creator
from planner.report import charts
from planner.report.data_tables import followers
from planner.report.engagement_tables import creator_engagement, engagement_reading, engagement_table, engagement_view
from planner.report.plan_tables import creators_view, of_networks, top_creators
from planner.report.sentences import headline, next_money_text, optimum_level, reading, unmet_text
from ui.campaign_controls import controls_caption
from ui.quarter import quarter_caption
from ui.weak_curves import refuse_without_plan, warn_weak_curves

state = ui.setup("Tradeoffs")
ui.require_curves(state)

st.markdown("Move the budget: every position of the slider is a plan computed in advance, so the charts redraw at "
            "once. Hollow points are today's spend, filled points the best plan; hover any mark for its values.")
front = state.frontier()  # the slider's positions; a progress bar the first time
breakeven = state.breakeven()  # it does not depend on the budget: computed once, not on every slider move


@ui.fragment
def explore() -> None:
    """The budget and everything that depends on it: a slider move or a click redraws this part only."""
    ui.widgets.budget_control(state)
    ui.widgets.settings_note(state)
    quarter_caption(state)
    controls_caption(state)
    if refuse_without_plan(state):  # nothing can be said: no plan, and why
        return
    result = state.allocation()
    if not result.ok:
        st.error(literal(f"This plan cannot be met. {result.error}"), icon=":material/block:")
        ui.widgets.page_link("Optimize", "Change the budget and bounds on the Optimize page")
        return
    alloc = result.value
    curves = state.planning_curves
    step = state.budget_step
    more = state.allocation(alloc.budget + step)
    nxt = next_money_between(alloc, more.value, step) if more.ok else None
    level = optimum_level(alloc)
    h = headline(alloc, state.support)

    m = st.columns(4)
    m[0].metric("Expected revenue", h["revenue"], delta=f"{h['change']} vs current" if h["change"] else None,
                help=literal(h["interval"]) or None)
    m[1].metric("Return on ad spend", literal(h["roas"]),
                help=literal(f"Expected revenue per {one()} of the {h['spend']} spent."))
    m[2].metric(f"Next {money(step)} buys", signed_money(nxt.gain) if nxt else "\u2014",
                help=literal(f"Expected revenue added by raising the budget to {money(alloc.budget + step)}, "
                             "split as well as possible.") if nxt else (literal(more.error) or None))
    m[3].metric(f"Next {one()} returns, best plan",
                literal(roas(level, per_dollar=True)) if math.isfinite(level) else "\u2014",
                help="At the optimum every funded row not held by a bound earns about the same on its next "
                     f"{one()}.")
    warn_weak_curves(state)  # every figure here rests on the curves: as on the Optimize page
    st.info(literal(reading(alloc, curves)), icon=":material/lightbulb:")

    tabs = st.tabs(["Bigger or smaller budget", "Where returns flatten", "Creators", "Revenue and engagement"],
                   key="tradeoffs_view", on_change="rerun")
    if tabs[0].open:
        with tabs[0]:
            _budget_tab(alloc, nxt, step)
    if tabs[1].open:
        with tabs[1]:
            _returns_tab(alloc, curves, level)
    if tabs[2].open:
        with tabs[2]:
            _creators_tab(alloc)
    if tabs[3].open:
        with tabs[3]:
            _engagement_tab(alloc, curves)


def _budget_tab(alloc, nxt, step) -> None:
    if not front.ok:
        st.warning(literal(f"The budget frontier could not be computed: {front.error}"), icon=":material/warning:")
    else:
        f = front.value
        current = alloc.total_current_spend if alloc.total_current_spend == alloc.total_current_spend else None
        ui.widgets.frontier_chart(f, current, alloc.budget, chosen_response=alloc.total_response,
                                  step=step if nxt else None,
                                  step_response=(alloc.total_response + nxt.gain) if nxt else None)
        unmet = f.attrs.get("unmet", [])
        if unmet:
            st.caption(literal(unmet_text(unmet)))
    if nxt:
        st.markdown(literal(next_money_text(nxt)))
    ui.widgets.plan_bars(alloc.table, by="network")
    if breakeven.ok:
        st.caption(literal(f"Break-even budget: {money(breakeven.value)}. Beyond this total the next {one()} returns "
                           f"less than {one()} of revenue, even in the best split."))


def _returns_tab(alloc, curves, level) -> None:
    creators = [n for n in curves["name"].astype(str) if "/" in n]
    show = st.segmented_control("Show", ["Paid media per network", "Creators"],
                                **ui.widgets.remembered("tradeoff_returns", "Paid media per network"))
    if show == "Creators" and creators:
        picked = st.multiselect(
            "Creators to compare", creators, placeholder="Choose creators to draw",
            **ui.widgets.remembered("tradeoff_creators", top_creators(alloc.table, n=6),
                                    valid=lambda names: [n for n in names if n in creators]),
        )
        ui.chart(charts.response_curves(curves, alloc.table, names=picked, title="Expected revenue per creator"))
        ui.chart(charts.marginal_roas(curves, alloc.table, names=picked, level=level,
                                      title=f"Return on the next {one()} per creator"))
    else:
        if show == "Creators":
            st.caption("The data has no creators.")
        ui.chart(charts.response_curves(curves, alloc.table, title="Expected revenue per network"))
        ui.chart(charts.marginal_roas(curves, alloc.table, level=level, title=f"Return on the next {one()} per network"))


def _creators_tab(alloc) -> None:
    if not is_creator(alloc.table["name"]).any():
        st.caption("The data has no creators.")
        return
    event = ui.chart(charts.creators_by_network(alloc.table, followers=followers(state.datasets), height=380),
                     key="creators_pick", select=True)
    networks = ui.widgets.picked(event, charts.NETWORK_PICK, "network")
    rows = creators_view(alloc, networks)
    chosen = int((rows["Optimal spend"] > 0).sum())
    where = f"on {', '.join(networks)}" if networks else "on every network (click a bar to pick one)"
    st.markdown(f"{bold(f'{len(rows)} creators {where}')}: {chosen} in the plan.")
    ui.table(rows, height=320)
    ui.widgets.plan_bars(of_networks(alloc.table, networks), by="creator", top=15, height=480)


def _engagement_tab(alloc, curves) -> None:
    pareto = state.pareto()
    if pareto.ok:
        ui.chart(charts.engagement_front(pareto.value.table, alloc.engagement_weight,
                                         alloc.total_response, alloc.engagements, height=360))
        if not ui.widgets.engagement_trade(state, alloc):
            st.caption("Set a value of one engagement on the Optimize page to plan for engagement as well as "
                       "revenue; the orange point then moves along the line.")
    else:
        st.caption(literal(pareto.error))
    table = engagement_table(alloc, curves, creator_engagement(state.datasets))
    ui.chart(charts.revenue_engagement(table, height=400))
    st.markdown(literal(engagement_reading(table)))
    if len(table):
        front_rows = engagement_view(table[table["on_front"]])
        st.markdown("**Creators on the front**")
        ui.table(front_rows)


explore()
