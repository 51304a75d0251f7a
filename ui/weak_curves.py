"""Where a plan is shown: no plan where the data cannot carry one, and the warning that they barely support some
of its curves, with what would help (planner.curves.support)."""

from __future__ import annotations

import streamlit as st

from planner.base.markdown import literal
from ui.state import AppState
from ui.widgets import page_link


def refuse_without_plan(state: AppState) -> bool:
    """Say why no plan is made, with a link to where the user can give what is missing, when the data cannot carry one;
    return whether so: the Model page's experiments where the weekly data hardly tell the networks from baseline
    sales, the Data page otherwise."""
    refused = state.no_plan()
    if refused is None:
        return False
    st.error(literal(refused.error), icon=":material/block:")
    if state.support.pull_decides:
        page_link("Model", "Give the fit a lift test on the Model page")
    page_link("Data", "Load more data on the Data page")
    return True


def warn_weak_curves(state: AppState, *more: str) -> None:
    """Show the curves' support headline and advice when it is "thin", then ``more``."""
    if state.support.verdict == "thin":
        st.warning(literal(state.support.warning(*more)), icon=":material/warning:")
