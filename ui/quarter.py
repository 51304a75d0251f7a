"""The Optimize page's choice of the quarter a one-quarter plan is for, where the fit found a yearly wave."""

from __future__ import annotations

import streamlit as st

from planner.base.markdown import literal
from planner.curves.season import QUARTERS, has_wave
from planner.report.quarter_text import average_quarter_text, quarter_label, quarter_text
from ui.state import K_SETTINGS, AppState

KEY = "quarter_input"


def _copy() -> None:
    st.session_state[K_SETTINGS]["quarter"] = st.session_state.get(KEY) or None


def quarter_input(state: AppState) -> None:
    """A select box of the quarter planned (an average one, or Q1..Q4) and what the choice assumes, in words.

    Shown only when some curve rises and falls over the year (``season_sin``/``season_cos``); otherwise every
    quarter is the average one and there is nothing to choose.
    """
    if not has_wave(state.curves):
        return
    if KEY not in st.session_state:
        st.session_state[KEY] = state.quarter or ""
    options = ["", *QUARTERS]  # "": an average quarter (a None value would read as no choice at all)
    st.selectbox("Quarter planned", options, key=KEY, on_change=_copy,
                 format_func=lambda q: quarter_label(q or None),
                 help="The fit found returns that rise and fall over the year. A calendar quarter counts each curve "
                      "at its yearly wave's mean over that quarter's days; an average quarter leaves the wave out. "
                      "The Tradeoffs, Finance plan and Export pages plan the same quarter.")
    said = quarter_text(state.curves, state.quarter) if state.quarter else average_quarter_text(state.curves)
    st.caption(literal(said))


def quarter_caption(state: AppState) -> None:
    """Say, where a calendar quarter was chosen on the Optimize page, which one this page plans and what it assumed."""
    if state.quarter:
        st.caption(literal(quarter_text(state.curves, state.quarter) + " Chosen on the Optimize page."))
