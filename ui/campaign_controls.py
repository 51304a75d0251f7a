"""The Optimize page's campaign controls: plan the creators' campaigns with a discount (or launch) set, or as usual."""

from __future__ import annotations

import streamlit as st

from planner.base.markdown import literal
from planner.curves.campaign_controls import control_names, usual_level
from planner.report.controls_text import controls_beyond_text, controls_text
from ui.state import K_SETTINGS, AppState


def control_key(name: str) -> str:
    """The widget key of a control's box (a scenario's load clears it, so the box starts from the settings)."""
    return f"campaign_control_{name}"


def _copy(name: str) -> None:
    st.session_state[K_SETTINGS].setdefault("controls", {})[name] = st.session_state.get(control_key(name))


def controls_input(state: AppState) -> None:
    """A number box per campaign control the fit read (blank: as usual) and what the values set assume.

    Shown only where the creators' tracker had such a control (planner.fit.campaign_controls).
    """
    names = control_names(state.curves)
    if not names:
        return
    chosen = state.settings.get("controls") or {}
    cols = st.columns(min(len(names), 3))
    for i, name in enumerate(names):
        key = control_key(name)
        if key not in st.session_state:
            st.session_state[key] = chosen.get(name)
        usual = usual_level(state.curves, name)
        cols[i % len(cols)].number_input(
            f"{name[:1].upper()}{name[1:]} on the plan's campaigns", key=key, on_change=_copy, args=(name,),
            placeholder=f"as usual ({usual:.3g})",
            help="The creators' fit read how this control moved what campaigns return. Blank: the curves are at "
                 "the team's usual level; a value plans every creator's campaigns with it.")
    said = controls_text(state.curves, state.control_values)
    if said:
        st.caption(literal(said))
    beyond = controls_beyond_text(state.curves, state.control_values)
    if beyond:
        st.warning(literal(beyond), icon=":material/warning:")


def controls_caption(state: AppState) -> None:
    """Say, where campaign controls were set on the Optimize page, what this page's plan assumed of them."""
    said = controls_text(state.curves, state.control_values)
    if said:
        st.caption(literal(said + " Set on the Optimize page."))
