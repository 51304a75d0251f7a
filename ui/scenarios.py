"""Saved scenarios in the app: the store, the current plan as a scenario, a scenario back
into the settings, and the actions of the Scenarios page (run as button callbacks, so
their result shows on the run they trigger).

The store is :class:`planner.scenarios.store.ScenarioStore` at ``$PLANNER_DATABASE_URL`` or
the SQLite file ``$PLANNER_SCENARIO_DB`` (default ``~/.planner/scenarios.db``), opened
once per URL for the server (``st.cache_resource``).  Every change is made as the person
:func:`ui.signin.acting` says is signed in ("local" without sign-in).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from planner import scenarios as sc
from planner.base.currency import COLUMN as CURRENCY_COLUMN
from planner.base.currency import currency_in
from planner.base.format import money, signed_money, things, unit_money
from planner.base.markdown import bullets, literal
from planner.bounds.bounds import Bounds
from planner.curves.campaign_controls import control_names, set_controls
from planner.curves.season import QUARTER
from planner.report.quarter_text import quarter_label
from planner.scenarios.access import check_may_change, same_person
from planner.scenarios.refresh import refresh_table, refresh_text
from ui import cache, signin
from ui.cache import Result, attempt
from ui.campaign_controls import control_key
from ui.signin import acting
from ui.state import AppState, show_session_currency
from ui.widgets import column_config, money_column, money_rounded

K_FLASH = "planner_scenario_flash"  # (kind, sentence) of the last action, shown once
K_PICK = "scenario_pick"
K_NAME = "scenario_name"
K_NOTE = "scenario_note"
K_OVERWRITE = "scenario_overwrite"
K_NEW_NAME = "scenario_new_name"
K_CONFIRM = "scenario_confirm_delete"
K_COMPARE = "scenario_compare"
K_COMPARE_CHOSEN = "planner_scenario_compare"  # the user's own choice, kept across pages and new saves
SETTING_WIDGETS = ("budget_input", "budget_slider", "objective_input", "margin_input", "engagement_input",
                   "max_creators_input", "quarter_input")  # ui.widgets keys seeded from the settings


@st.cache_resource(show_spinner="Opening the scenario database…", max_entries=8)
def _store(url: str) -> sc.ScenarioStore:
    return sc.ScenarioStore(url)


def open_store() -> Result:
    """The scenario store, or the sentence saying why it cannot be opened."""
    return attempt("opening the scenario database", lambda: _store(sc.resolve_url()))


def fingerprint(state: AppState) -> str:
    """One fingerprint for the data the app plans with now."""
    return sc.data_fingerprint(ds.fingerprint for ds in state.datasets)


# ----------------------------------------------------------------------------- bounds both ways


def saved_bounds(editor: pd.DataFrame | None) -> pd.DataFrame | None:
    """The per-row bounds editor's table as a scenario keeps it: name, network, min_spend, max_spend, lock."""
    return None if editor is None else Bounds.from_editor(editor, None).saved()[0]


def saved_network_bounds(editor: pd.DataFrame | None) -> pd.DataFrame | None:
    """The network bounds editor's table as a scenario keeps it: network, min_spend, max_spend."""
    return None if editor is None else Bounds.from_editor(None, editor).saved()[1]


# ----------------------------------------------------------------------------- scenario <-> settings


def current_scenario(state: AppState, name: str, note: str = "") -> sc.Scenario:
    """The plan on the Optimize page as a scenario (raises ScenarioError with the reason there is none)."""
    result = state.allocation()
    if not result.ok:
        raise sc.ScenarioError(f"There is no plan to save: {result.error}")
    curves = state.planning_curves.assign(**{CURRENCY_COLUMN: state.currency.code})  # what its amounts are in
    return sc.Scenario.from_allocation(
        name, result.value, curves, fingerprint=fingerprint(state),
        bounds=saved_bounds(state.settings.get("bounds")),
        network_bounds=saved_network_bounds(state.settings.get("network_bounds")), note=note,
    )


def apply_scenario(state: AppState, scenario: sc.Scenario) -> list[str]:
    """Put a scenario's budget, objective, margin, engagement value, hire limit and bounds into the settings;
    return notes for the user."""
    notes = []
    settings = state.settings
    settings["budget"] = float(scenario.budget)
    settings["objective"] = scenario.objective
    settings["margin"] = float(scenario.margin)
    settings["engagement_weight"] = float(scenario.engagement_weight)
    settings["max_creators"] = scenario.max_creators
    planned = scenario.curves.get(QUARTER) if scenario.curves is not None else None  # the quarter it was made for
    settings["quarter"] = str(planned.iloc[0]) if planned is not None and len(planned) and planned.notna().all() \
        else None
    settings["controls"] = set_controls(scenario.curves, state.curves)  # campaign controls it was made with
    for name in control_names(state.curves):
        st.session_state.pop(control_key(name), None)
    curves = state.curves
    settings["bounds"] = None
    settings["network_bounds"] = None
    if curves is not None and scenario.bounds is not None and len(scenario.bounds):
        settings["bounds"], _, gone = Bounds(rows=scenario.spend_bounds.rows).editor_tables(curves)
        if gone:
            one_row = len(gone) == 1
            notes.append(f"{things(len(gone), 'row')} with bounds in the scenario {'is' if one_row else 'are'} not in "
                         f"the data loaded now and {'was' if one_row else 'were'} "
                         f"left out: {', '.join(gone[:5])}{' and more' if len(gone) > 5 else ''}.")
    if curves is not None and scenario.network_bounds is not None and len(scenario.network_bounds):
        _, settings["network_bounds"], gone = Bounds(networks=scenario.spend_bounds.networks).editor_tables(curves)
        if gone:
            notes.append(f"Network bounds for {', '.join(gone)} were left out: the data loaded now has no such "
                         "network.")
    state.bump("bounds_editor", "network_bounds_editor")
    for key in SETTING_WIDGETS:  # the inputs start afresh from the settings on their page
        st.session_state.pop(key, None)
    if scenario.engagement_weight and not state.has_engagement:
        notes.append(f"It valued each engagement at {unit_money(scenario.engagement_weight)}, but the data loaded "
                     "now has no engagements, so the plan is on revenue alone.")
    saved_in = currency_in(scenario.curves)
    if saved_in is not None and saved_in.code != state.currency.code:
        notes.append(f"It was saved with amounts in {saved_in.name} ({saved_in.code}); they are shown now in "
                     f"{state.currency.name} ({state.currency.code}), unconverted.")
    if scenario.fingerprint and scenario.fingerprint != fingerprint(state):
        notes.append("It was saved with other data than the data loaded now: its budget, objective and bounds "
                     "apply to the data loaded now, so the Optimize page may show another plan than the saved one.")
    return notes


# ----------------------------------------------------------------------------- actions (button callbacks)


def _flash(kind: str, text: str) -> None:
    st.session_state[K_FLASH] = (kind, text)


def take_flash() -> tuple[str, str] | None:
    return st.session_state.pop(K_FLASH, None)


def against_now(state: AppState, store: sc.ScenarioStore, name: str) -> None:
    """The picked scenario on today's curves: how each curve and the plan moved since it was saved."""
    curves = state.curves
    if curves is None:
        st.info(literal(f"There are no curves fitted now to read it against: {state.fitted.error}"),
                icon=":material/info:")
        return
    loaded = attempt("loading the scenario", store.load, name)
    if not loaded.ok:
        st.error(literal(loaded.error), icon=":material/error:")
        return
    scenario = loaded.value
    if scenario.fingerprint and scenario.fingerprint == fingerprint(state):
        st.caption(f"'{literal(scenario.name)}' was saved with the data loaded now, so its curves are "
                   "today's. Load newer data on the Data page to see how the curves and the plan move.")
        return
    result = cache.refresh(state.plan_key(), scenario, state.curves)
    if not result.ok:
        st.error(literal(result.error), icon=":material/error:")
        return
    r = result.value
    m = st.columns(3)
    m[0].metric("Saved plan, when saved", money(r.saved_response), help=literal(f"Expected revenue on {r.saved_on}."))
    m[1].metric("Saved plan, on today's curves", money(r.saved_now), delta=signed_money(r.saved_now - r.saved_response),
                help="The same spends, each read on the curve fitted now.")
    if r.replanned is not None:
        m[2].metric("Re-planned on today's curves", money(r.replanned.total_response),
                    delta=signed_money(r.replanned.total_response - r.saved_now),
                    help="The best plan with the scenario's budget, objective and bounds, against the saved spends "
                         "today.")
    st.markdown(bullets(refresh_text(r)))
    table(refresh_table(r, "network"), key="refresh_networks")
    with st.expander(f"Every network and creator ({len(r.rows)} rows)"):
        table(refresh_table(r, "row"), height=420, key="refresh_rows")


def save_current(state: AppState, store: sc.ScenarioStore) -> None:
    show_session_currency()
    name = st.session_state.get(K_NAME, "") or ""
    note = st.session_state.get(K_NOTE, "") or ""
    def save():
        made = current_scenario(state, name, note)
        store.save(made, overwrite=bool(st.session_state.get(K_OVERWRITE)), by=acting())
        return made

    saved = attempt("saving the scenario", save)
    if not saved.ok:
        _flash("error", saved.error)
        return
    scenario = saved.value
    st.session_state[K_PICK] = scenario.name
    st.session_state[K_NAME] = ""
    st.session_state[K_NOTE] = ""
    st.session_state[K_OVERWRITE] = False
    _flash("success", f"Saved the plan as '{scenario.name}': {_money(scenario.total_spend)} spent, "
           f"{_money(scenario.total_response)} expected revenue.")


def load_picked(state: AppState, store: sc.ScenarioStore) -> None:
    show_session_currency()
    name = st.session_state.get(K_PICK)
    loaded = attempt("loading the scenario", store.load, name or "")
    if not loaded.ok:
        _flash("error", loaded.error)
        return
    scenario = loaded.value
    notes = apply_scenario(state, scenario)
    extras = ""
    if scenario.engagement_weight:
        extras += f", each engagement worth {unit_money(scenario.engagement_weight)}"
    if scenario.max_creators is not None:
        extras += f", at most {scenario.max_creators:,} creators hired"
    if state.settings.get("quarter"):
        extras += f", planned for {quarter_label(state.settings['quarter'])}"
    for name, value in (state.settings.get("controls") or {}).items():
        extras += f", every campaign with {name} at {value:g}"
    _flash("warning" if notes else "success",
           " ".join([f"Loaded '{scenario.name}' into the current settings: a budget of "
                     f"{_money(scenario.budget)}, objective {scenario.objective}{extras}."] + notes))


def rename_picked(store: sc.ScenarioStore) -> None:
    old = st.session_state.get(K_PICK) or ""
    renamed = attempt("renaming the scenario", lambda: store.rename(old, st.session_state.get(K_NEW_NAME, "") or "",
                                                                     by=acting()))
    if not renamed.ok:
        _flash("error", renamed.error)
        return
    new = renamed.value
    st.session_state[K_PICK] = new
    st.session_state[K_NEW_NAME] = ""
    chosen = st.session_state.get(K_COMPARE_CHOSEN)
    if chosen:
        st.session_state[K_COMPARE_CHOSEN] = [new if c == old else c for c in chosen]
    _flash("success", f"Renamed '{old}' to '{new}'.")


def delete_picked(store: sc.ScenarioStore) -> None:
    name = st.session_state.get(K_PICK) or ""
    if not st.session_state.get(K_CONFIRM):
        _flash("error", f"Tick the box to confirm that '{name}' should be deleted.")
        return
    deleted = attempt("deleting the scenario", lambda: store.delete(name, by=acting()))
    if not deleted.ok:
        _flash("error", deleted.error)
        return
    st.session_state.pop(K_PICK, None)
    st.session_state[K_CONFIRM] = False
    chosen = st.session_state.get(K_COMPARE_CHOSEN)
    if chosen:
        st.session_state[K_COMPARE_CHOSEN] = [c for c in chosen if c != name]
    _flash("success", f"Deleted '{name}'.")


def change_refused(saved: pd.DataFrame, name: str) -> str | None:
    """Why the person signed in may not rename or delete the scenario ``name`` of the list, or None if they may."""
    owners = saved.loc[saved["name"] == name, "owner"]
    if owners.empty:
        return None
    try:
        check_may_change(acting(), str(owners.iloc[0]), name, "rename or delete")
    except sc.NotYours as exc:
        return str(exc)
    return None


def compare_touched() -> None:
    st.session_state[K_COMPARE_CHOSEN] = list(st.session_state.get(K_COMPARE) or [])


def compare_choice(names: list[str]) -> list[str]:
    """The scenarios to compare: the user's choice (those still saved), else the newest two, older first."""
    chosen = st.session_state.get(K_COMPARE_CHOSEN)
    if chosen is None:
        return names[:2][::-1]
    return [n for n in chosen if n in names]


# ----------------------------------------------------------------------------- display


def _money(x) -> str:
    return money(x)


def list_view(saved: pd.DataFrame, current_fingerprint: str) -> pd.DataFrame:
    """The saved scenarios for display: one row each, newest first (with their owners when they differ)."""
    me = acting()
    created = pd.to_datetime(saved["created"], utc=True)
    return pd.DataFrame({
        "Name": saved["name"].astype(str),
        **({"Owner": [owner_label(o, me) for o in saved["owner"]]} if shows_owners(saved) else {}),
        "Saved (UTC)": created.dt.strftime("%Y-%m-%d %H:%M"),
        "Budget": saved["budget"].astype(float),
        "Spend": saved["total_spend"].astype(float),
        "Expected revenue": saved["total_response"].astype(float),
        "Revenue P10": saved["response_p10"].astype(float),
        "Revenue P90": saved["response_p90"].astype(float),
        "ROAS": saved["roas"].astype(float),
        "Objective": [(f"profit at a {m:.0%} margin" if o == "profit" else "revenue")
                      + (f" + {unit_money(w)} per engagement" if w > 0 else "")
                      for o, m, w in zip(saved["objective"], saved["margin"], saved["engagement_weight"], strict=False)],
        "Creators": ["no limit" if not np.isfinite(k) else f"at most {int(k):,}" for k in saved["max_creators"]],
        "Data": np.where(saved["fingerprint"].astype(str) == current_fingerprint, "as loaded now", "other data"),
        "Note": saved["note"].astype(str),
    })


def shows_owners(saved: pd.DataFrame) -> bool:
    """Whether the list names owners: when sign-in is set up, or anything was saved by a signed-in person."""
    return signin.team_mode() or bool((saved["owner"].astype(str) != sc.LOCAL).any())


def owner_label(owner: str, me: sc.Person) -> str:
    """An owner (or who made a change) as the page shows it: "you", an e-mail, or "saved before sign-in"."""
    if same_person(owner, me.id):
        return "you"
    return "saved before sign-in" if same_person(owner, sc.LOCAL) else str(owner)


_DONE = {"save": "saved", "replace": "replaced", "delete": "deleted"}


def history_view(history: pd.DataFrame) -> pd.DataFrame:
    """The record of changes for display: when (UTC), who, what (with a rename's new name), whose."""
    me = acting()
    return pd.DataFrame({
        "When (UTC)": pd.to_datetime(history["at"], utc=True).dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Who": [owner_label(a, me) for a in history["actor"]],
        "What": [f"renamed it to '{new}'" if act == "rename" else _DONE.get(act, act)
                for act, new in zip(history["action"], history["new_name"], strict=True)],
        "Scenario": history["name"].astype(str),
        "Owner": [owner_label(o, me) for o in history["owner"]],
    })


def table(df: pd.DataFrame, *, height: int | str = "auto", key: str | None = None) -> None:
    """A read-only table with the planner's formats (and Budget as money)."""
    config = column_config(df)
    if "Budget" in df.columns:
        config["Budget"] = money_column("Budget")
    st.dataframe(money_rounded(df), column_config=config, hide_index=True, width="stretch", height=height, key=key)


def text_table(df: pd.DataFrame, *, max_height: int = 600) -> None:
    """A table of display text (planner.scenarios.comparison.comparison_text), its index as the first column,
    tall enough for every row up to ``max_height`` pixels."""
    st.dataframe(df, hide_index=False, width="stretch", height=min(35 * (len(df) + 1) + 3, max_height))
