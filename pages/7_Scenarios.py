"""Scenarios: save the current plan under a name; list, load, rename, delete and compare saved plans."""

import pandas as pd
import streamlit as st

import ui
from planner import scenarios as sc
from planner.base.markdown import literal
from planner.report import charts
from planner.report.sentences import headline
from ui import scenarios as us
from ui.cache import attempt
from ui.weak_curves import warn_weak_curves

state = ui.setup("Scenarios")
opened = us.open_store()
if not opened.ok:
    st.error(literal(opened.error), icon=":material/error:")
    st.caption(literal("Scenarios are kept in the database of PLANNER_DATABASE_URL (a PostgreSQL server shared by "
                       "the team), else in the SQLite file of PLANNER_SCENARIO_DB on the planner's computer. Whoever "
                       "runs the planner can fix the setting and restart the app."))
    st.stop()
store = opened.value

flash = us.take_flash()
if flash is not None:
    kind, text = flash
    icon = {"success": ":material/check_circle:", "warning": ":material/warning:", "error": ":material/error:"}
    getattr(st, kind)(literal(text), icon=icon[kind])

st.caption(f"Saved scenarios live in: {literal(store.kind)}. Everyone who uses this planner sees them"
           + (": each is its saver's, and only its saver or an admin can replace, rename or delete it."
              if ui.signin.team_mode() else "."))

# ----------------------------------------------------------------------------- save
st.subheader("Save the current plan")
result = state.allocation()
if not result.ok:
    st.info(literal(f"There is no plan to save yet: {result.error}"), icon=":material/info:")
else:
    h = headline(result.value)
    st.markdown(literal(f"The plan of the Optimize page: a budget of {h['budget']}, {h['spend']} spent, ")
                + f"**{literal(h['revenue'])}** " + literal(f"expected revenue ({h['roas']})."))
    warn_weak_curves(state)  # a saved plan keeps what these curves say of it: as on the Optimize page
    c1, c2 = st.columns([2, 3], gap="medium")
    with c1:
        st.text_input("Name", key=us.K_NAME, max_chars=sc.MAX_NAME, placeholder="e.g. Q3 base plan")
    with c2:
        st.text_input("Note (optional)", key=us.K_NOTE, placeholder="What is different about this plan")
    st.checkbox("Replace a saved scenario of the same name", key=us.K_OVERWRITE)
    st.button("Save scenario", key="save_scenario", type="primary", icon=":material/save:",
              on_click=us.save_current, args=(state, store))

# ----------------------------------------------------------------------------- list
listed = attempt("listing the saved scenarios", store.list)
if not listed.ok:
    st.error(literal(listed.error), icon=":material/error:")
    st.stop()
saved = listed.value
st.subheader(f"Saved scenarios ({len(saved)})")
if saved.empty:
    st.info("No scenarios saved yet. Save the current plan above to keep it.", icon=":material/info:")
    st.stop()
us.table(us.list_view(saved, us.fingerprint(state)), key="scenario_list")

names = saved["name"].tolist()
if st.session_state.get(us.K_PICK) not in names:
    st.session_state[us.K_PICK] = names[0]
with st.container(border=True):
    st.selectbox("Scenario", names, key=us.K_PICK)
    refused = us.change_refused(saved, st.session_state[us.K_PICK])  # someone else's: no rename, no delete
    a, b, c = st.columns(3, gap="large")
    with a:
        st.button("Load this plan", key="load_scenario", icon=":material/upload:",
                  on_click=us.load_picked, args=(state, store))
        st.caption("Sets the budget, objective, margin and bounds of the Optimize page to the scenario's.")
    if refused:
        with b:
            st.caption(literal(refused))
    else:
        with b:
            st.text_input("New name", key=us.K_NEW_NAME, max_chars=sc.MAX_NAME)
            st.button("Rename", key="rename_scenario", icon=":material/edit:", on_click=us.rename_picked,
                      args=(store,))
        with c:
            st.checkbox("Yes, delete it for everyone", key=us.K_CONFIRM)
            st.button("Delete", key="delete_scenario", icon=":material/delete:", on_click=us.delete_picked,
                      args=(store,))
history = attempt("reading who changed the scenarios", store.history, limit=50)
if history.ok and not history.value.empty:
    with st.expander("Who saved, replaced, renamed or deleted scenarios, and when (the latest 50)"):
        us.table(us.history_view(history.value), key="scenario_history")

# ----------------------------------------------------------------------------- against today's data
st.subheader("Against the data loaded now")
st.caption("How the picked scenario's curves and plan move on the curves fitted to the data loaded now.")
us.against_now(state, store, st.session_state[us.K_PICK])

# ----------------------------------------------------------------------------- compare
st.subheader("Compare scenarios")
st.session_state[us.K_COMPARE] = us.compare_choice(names)
st.multiselect("Scenarios to compare (two or more)", names, key=us.K_COMPARE, on_change=us.compare_touched)
chosen = st.session_state[us.K_COMPARE]
if len(chosen) < 2:
    st.info("Pick two or more scenarios to see them side by side.", icon=":material/info:")
    st.stop()
compared = attempt("comparing the scenarios", store.compare, chosen)
if not compared.ok:
    st.error(literal(compared.error), icon=":material/error:")
    st.stop()
table = compared.value

st.markdown("**Totals**")
us.text_table(sc.comparison_text(table, sc.SECTION_TOTALS))
measure = st.radio("Chart", ["spend", "response"], key="scenario_chart_measure", horizontal=True,
                   format_func={"spend": "Spend per network", "response": "Expected revenue per network"}.get)
n_networks = int((table.index.get_level_values("section") == sc.SECTION_NET_SPEND).sum())
ui.chart(charts.scenario_comparison(table, measure, height=max(320, 16 * n_networks * len(chosen) + 40)))
st.markdown("**By network**")
us.text_table(pd.concat([sc.comparison_text(table, sc.SECTION_NET_SPEND).rename(index=lambda n: f"{n}: spend"),
                         sc.comparison_text(table, sc.SECTION_NET_REVENUE)
                         .rename(index=lambda n: f"{n}: expected revenue")]).sort_index(kind="stable"))
with st.expander(f"Every network and creator ({int((table.index.get_level_values('section') == sc.SECTION_ROW_SPEND).sum())} rows): spend"):
    us.text_table(sc.comparison_text(table, sc.SECTION_ROW_SPEND), max_height=480)
