"""Where a plan is shown: the warning that the data barely support some of its curves, and what would help."""

from __future__ import annotations

import streamlit as st

from planner.base.markdown import literal
from ui.state import AppState


def warn_weak_curves(state: AppState, *more: str) -> None:
    """Show the curves' support headline and advice (planner.curves.support) when it is "thin", then ``more``."""
    if state.support.verdict != "thin":
        return
    st.warning(literal(" ".join(filter(None, (state.support.headline(), state.support.advice(), *more)))),
               icon=":material/warning:")
