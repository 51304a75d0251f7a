"""Widgets shared by the pages: navigation, inputs bound to the settings, formatted tables.

Inputs are seeded from the settings (:mod:`ui.state`) when their widget state is
absent (first visit, or back from another page) and copy their value back on
change, so a page switch loses nothing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import views
from planner.format import money, pct
from ui.state import K_SETTINGS, OBJECTIVES, AppState

K_UI = "planner_ui"  # choices of view widgets (selections), kept across pages

PAGES = (
    ("streamlit_app.py", "Data", ":material/table_view:"),
    ("pages/2_Model.py", "Model", ":material/insights:"),
    ("pages/3_Optimize.py", "Optimize", ":material/tune:"),
    ("pages/4_Tradeoffs.py", "Tradeoffs", ":material/balance:"),
    ("pages/5_Finance_plan.py", "Finance plan", ":material/request_quote:"),
    ("pages/6_Export.py", "Export", ":material/download:"),
)
PAGE = {label: (path, icon) for path, label, icon in PAGES}


def page_link(label: str, text: str | None = None) -> None:
    path, icon = PAGE[label]
    st.page_link(path, label=text or label, icon=icon)


def sidebar(state: AppState) -> None:
    with st.sidebar:
        st.markdown("**Marketing budget planner**")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()
        st.caption(f"**Data:** {state.data_label()}")
        b = state.settings.get("budget")
        budget = money(b) if b is not None else "today's total spend"
        objective = OBJECTIVES[state.objective]
        if state.objective == "profit":
            objective += f" at a {pct(state.margin, decimals=0)} margin"
        st.caption(f"**Budget:** {budget} per quarter  \n**Objective:** {objective}")


# ----------------------------------------------------------------------------- bound inputs


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _copy(key: str, setting: str, scale: float = 1.0) -> None:
    value = st.session_state.get(key)
    if value is not None and scale != 1.0:
        value = float(value) * scale
    st.session_state[K_SETTINGS][setting] = value


def _remember(key: str) -> None:
    st.session_state.setdefault(K_UI, {})[key] = st.session_state.get(key)


def remembered(key: str, default, valid=None) -> dict:
    """Keyword arguments (``key``, ``on_change``) for a view widget whose choice survives page switches.

    ``valid`` cleans a remembered value before it is used (e.g. names no longer in the data).
    """
    store = st.session_state.setdefault(K_UI, {})
    if key not in st.session_state:
        value = store.get(key, default)
        st.session_state[key] = valid(value) if valid is not None else value
    return {"key": key, "on_change": _remember, "args": (key,)}


def budget_input(state: AppState) -> float:
    """The budget (number input, key ``budget_input``); returns the budget in use."""
    key = "budget_input"
    _seed(key, float(round(state.budget)))
    st.number_input(
        "Budget for the quarter (USD)", min_value=0.0, step=1000.0, format="%.0f", key=key,
        on_change=_copy, args=(key, "budget"),
        help=f"An upper limit on total spend. Default: today's total quarterly spend "
             f"({money(state.default_budget)}).",
    )
    st.caption(f"{money(state.budget)} per quarter")
    return state.budget


def objective_input(state: AppState) -> str:
    key = "objective_input"
    _seed(key, state.objective)
    st.radio("Objective", list(OBJECTIVES), format_func=OBJECTIVES.get, key=key, horizontal=True,
             on_change=_copy, args=(key, "objective"),
             help="Revenue: the most expected revenue within the budget. Profit: margin x revenue minus "
                  "spend; it may leave budget unspent.")
    return state.objective


def margin_input(state: AppState) -> float:
    key = "margin_input"
    _seed(key, round(state.margin * 100, 1))
    st.number_input("Contribution margin (%)", min_value=1.0, max_value=100.0, step=1.0, format="%.0f", key=key,
                    on_change=_copy, args=(key, "margin", 0.01), disabled=state.objective != "profit",
                    help="The share of revenue left after the cost of goods; used by the profit objective.")
    return state.margin


def _money_col(label: str | None = None, **kw):
    return st.column_config.NumberColumn(label, format="dollar", step=1, **kw)


def bounds_editor(state: AppState) -> pd.DataFrame:
    """Per-row bounds (data editor, key ``bounds_editor``); the edited table is kept in the settings."""
    base = state.bounds()
    edited = st.data_editor(
        base,
        key=state.key("bounds_editor"),
        num_rows="fixed",
        width="stretch",
        height=360,
        placeholder="no limit",
        disabled=["Network", "Current spend", "Cost per post"],
        column_config={
            "Name": st.column_config.TextColumn("Name", width="medium"),
            "Network": st.column_config.TextColumn("Network", width="small"),
            "Current spend": _money_col(width=110),
            "Cost per post": _money_col(width=110, help="Spend is booked in whole posts at this fee."),
            "Min spend": _money_col(min_value=0.0, help="Spend at least this much (empty = $0)."),
            "Max spend": _money_col(min_value=0.0, help="Spend at most this much (empty = no limit)."),
            "Lock at current": st.column_config.CheckboxColumn(help="Keep today's spend for this row."),
        },
    )
    if state.settings.get("bounds") is not None or not edited.equals(base):
        state.settings["bounds"] = edited
    return edited


def network_bounds_editor(state: AppState) -> pd.DataFrame:
    """Bounds on each network's total (data editor, key ``network_bounds_editor``)."""
    base = state.network_bounds_table()
    edited = st.data_editor(
        base,
        key=state.key("network_bounds_editor"),
        num_rows="fixed",
        width="stretch",
        placeholder="no limit",
        disabled=["Current spend"],
        column_config={
            "Network": st.column_config.TextColumn("Network"),
            "Current spend": _money_col(),
            "Min spend": _money_col(min_value=0.0, help="The network's rows together get at least this (empty = $0)."),
            "Max spend": _money_col(min_value=0.0, help="The network's rows together get at most this "
                                                        "(empty = no limit)."),
        },
    )
    if state.settings.get("network_bounds") is not None or not edited.equals(base):
        state.settings["network_bounds"] = edited
    return edited


def reset_bounds(state: AppState) -> None:
    state.settings["bounds"] = None
    state.settings["network_bounds"] = None
    state.bump("bounds_editor", "network_bounds_editor")


# ----------------------------------------------------------------------------- tables

_HELP = {
    "Beyond data": "The spend is above anything seen in the data: its expected revenue is an extrapolation.",
    "Next $1 returns": "Revenue expected from one more dollar at this spend (marginal ROAS).",
    "Next $1 at current spend": "Revenue expected from one more dollar at today's spend (marginal ROAS).",
    "Fit (R²)": "Share of the variation in the data the curve explains (1 = all). Marketing mix: on held-out weeks.",
    "Revenue P10": "10th percentile of the expected revenue (80% interval, low end).",
    "Revenue P90": "90th percentile of the expected revenue (80% interval, high end).",
    "Pooling": "Creators with few campaigns lean on their network's average curve.",
}


def column_config(df: pd.DataFrame) -> dict:
    """Formats for the display columns of planner.views (money, return per $1, percent, R²)."""
    out = {}
    for col in df.columns:
        kind = views.COLUMN_FORMATS.get(col)
        help_ = _HELP.get(col)
        if kind == "money":
            out[col] = st.column_config.NumberColumn(col, format="dollar", step=1, help=help_)
        elif kind == "roas":
            out[col] = st.column_config.NumberColumn(col, format="$%.2f per $1", help=help_)
        elif kind == "pct":
            out[col] = st.column_config.NumberColumn(col, format="percent", step=0.001, help=help_)
        elif kind == "r2":
            out[col] = st.column_config.NumberColumn(col, format="%.2f", help=help_)
        elif kind == "count":
            out[col] = st.column_config.NumberColumn(col, format="%d", help=help_)
        elif col == "Beyond data":
            out[col] = st.column_config.CheckboxColumn(col, help=help_)
        elif help_:
            out[col] = st.column_config.Column(col, help=help_)
    return out


def table(df: pd.DataFrame, *, height: int | str = "auto", key: str | None = None) -> None:
    """A read-only table with the planner's number formats."""
    st.dataframe(df, column_config=column_config(df), hide_index=True, width="stretch", height=height, key=key)


def chart(c) -> None:
    st.altair_chart(c, width="stretch")
