"""The Optimize page's Cautious plan tab: the plan whose total has the highest P10, beside the usual plan."""

from __future__ import annotations

import streamlit as st

from planner.base.format import money, signed_money
from planner.base.markdown import literal
from planner.report.cautious_text import caution_frontier, cautious_networks, cautious_text
from ui.state import AppState
from ui.widgets import table


def cautious_panel(state: AppState, alloc) -> None:
    """What a plan made for the cautious case brings, against the plan ``alloc`` for the expected curves."""
    st.caption("The usual plan makes the most of the expected curves. The cautious plan discounts each curve by "
               "how uncertain it is, plans again, and keeps the plan whose total has the highest 10th percentile "
               "(the usual plan among those tried, so it is never lower): more sure, usually a little less on "
               "average on the fitted curves.")
    if not {"beta_p10", "beta_p90"} <= set(state.planning_curves.columns):
        st.info("The curves have no intervals (they were given, not fitted), so there is nothing to be cautious "
                "about.", icon=":material/info:")
        return
    found = state.cautious()
    if not found.ok:
        st.error(literal(found.error), icon=":material/error:")
        return
    cp = found.value
    st.info(literal(cautious_text(cp)), icon=":material/lightbulb:")
    cols = st.columns(3)
    cols[0].metric("P10 of the cautious plan", money(cp.plan.response_p10),
                   delta=f"{signed_money(cp.plan.response_p10 - cp.usual.response_p10)} vs usual plan",
                   help="The total falls below this one time in ten.")
    cols[1].metric("Mean", money(cp.plan.response_mean),
                   delta=f"{signed_money(cp.plan.response_mean - cp.usual.response_mean)} vs usual plan",
                   help="The expected revenue less what a plan chosen on estimated curves is expected to lose to "
                        "them (the optimizer's curse).")
    cols[2].metric("Expected on the fitted curves", money(cp.plan.total_response),
                   delta=f"{signed_money(cp.plan.total_response - cp.usual.total_response)} vs usual plan",
                   help="What the curves as fitted promise, before any allowance.")
    table(cautious_networks(cp))
    with st.expander("Every discount tried"):
        table(caution_frontier(cp))
