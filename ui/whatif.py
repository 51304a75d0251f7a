"""The Optimize page's What if tab: move one network or creator, read the plan with the rest held and re-planned."""

from __future__ import annotations

import math

import streamlit as st

from planner.base.currency import current
from planner.base.format import money, signed_money
from planner.base.markdown import bold, bullets, literal
from planner.report.whatif_text import held_text, move_text, replanned_text, what_if_table
from ui.state import AppState
from ui.widgets import table

HOW = {"change": "Change by a percentage", "spend": "Set its spend", "lock": "Lock at today's spend"}


def _targets(alloc) -> list[str]:
    """Networks first (largest plan spend first), then creators and paid media rows by plan spend."""
    t = alloc.table
    nets = t.groupby("network", sort=False)["spend"].sum().sort_values(ascending=False).index.astype(str).tolist()
    rows = t.sort_values("spend", ascending=False)["name"].astype(str).tolist()
    return nets + [r for r in rows if r not in nets]


def _label(alloc, target: str) -> str:
    t = alloc.table
    if target in set(t["network"].astype(str)):
        spend = float(t.loc[t["network"].astype(str) == target, "spend"].sum())
        return f"{target}, the whole network ({money(spend)} in the plan)"
    spend = float(t.loc[t["name"].astype(str) == target, "spend"].sum())
    return f"{target} ({money(spend)} in the plan)"


def what_if_panel(state: AppState, alloc) -> None:
    """Inputs (what moves and how) and the two readings of the move, beside the plan ``alloc``."""
    st.caption("Move one network or creator and see what the plan returns with every other row as it is, and "
               "with the rest planned again, exactly, within the same budget and bounds.")
    options = _targets(alloc)
    left, mid, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    target = left.selectbox("Network or creator", options, key="whatif_target",
                            format_func=lambda o: _label(alloc, o))
    how = mid.radio("How", list(HOW), format_func=HOW.get, key="whatif_how")
    value = None
    if how == "change":
        value = right.number_input("Change (%)", min_value=-100.0, max_value=1000.0, value=20.0, step=5.0,
                                   format="%.0f", key="whatif_change") / 100.0
    elif how == "spend":
        t = alloc.table
        now = float(t.loc[(t["network"].astype(str) == target) | (t["name"].astype(str) == target), "spend"].sum())
        value = right.number_input(f"New spend ({current().code})", min_value=0.0, value=float(round(now)),
                                   step=1000.0, format="%.0f", key=f"whatif_spend_{target}")
    else:
        right.caption("Each of its rows at its spend today.")
    result = state.what_if(alloc, target, how, value)
    if not result.ok:
        st.error(literal(result.error), icon=":material/error:")
        return
    w = result.value
    held, replanned = st.columns(2, gap="large")
    held.metric("Rest held: expected revenue", money(w.held.total_response),
                delta=f"{signed_money(w.held_gain)} vs the plan", help=f"Spend {money(w.held.total_spend)}.")
    if w.replanned is not None:
        replanned.metric("Rest re-planned: expected revenue", money(w.replanned.total_response),
                         delta=f"{signed_money(w.replan_gain)} vs the plan" if math.isfinite(w.replan_gain) else None,
                         help=literal(f"Spend {money(w.replanned.total_spend)}, within the budget of "
                                      f"{money(alloc.budget)}."))
    st.markdown(bold(move_text(w)))
    st.markdown(bullets([held_text(w), replanned_text(w)]))
    table(what_if_table(w))
