"""Widgets shared by the pages: navigation, inputs bound to the settings, formatted tables.

Inputs are seeded from the settings (:mod:`ui.state`) when their widget state is
absent (first visit, or back from another page) and copy their value back on
change, so a page switch loses nothing.
"""

from __future__ import annotations

import hashlib
import weakref
from pathlib import Path

import pandas as pd
import streamlit as st

from planner.base.currency import KNOWN, current
from planner.base.format import money, pct, unit_money, whole_money
from planner.base.markdown import bold, literal
from planner.report import charts, sentences
from planner.report.display import COLUMN_FORMATS
from ui import cache
from ui.state import K_SETTINGS, OBJECTIVES, AppState

K_UI = "planner_ui"  # choices of view widgets (selections), kept across pages

PAGES = (
    ("streamlit_app.py", "Data", ":material/table_view:"),
    ("pages/2_Model.py", "Model", ":material/insights:"),
    ("pages/3_Optimize.py", "Optimize", ":material/tune:"),
    ("pages/4_Tradeoffs.py", "Tradeoffs", ":material/balance:"),
    ("pages/8_Plan_over_time.py", "Plan over time", ":material/calendar_month:"),
    ("pages/9_Pacing.py", "Pacing", ":material/speed:"),
    ("pages/5_Finance_plan.py", "Finance plan", ":material/request_quote:"),
    ("pages/6_Export.py", "Export", ":material/download:"),
    ("pages/7_Scenarios.py", "Scenarios", ":material/bookmarks:"),
)
PAGE = {label: (path, icon) for path, label, icon in PAGES}


def unknown_address(url: str | None) -> str | None:
    """Return the path of ``url`` when it names no page of the app (Streamlit then runs the Data page), else None.

    A page's address is its file name without the number and suffix: ``/Optimize``, ``/Finance_plan``.
    """
    from urllib.parse import unquote, urlsplit

    if not url:
        return None
    path = unquote(urlsplit(str(url)).path).strip("/")
    known = {""} | {Path(p).stem.split("_", 1)[1].lower() for p, _, _ in PAGES[1:]}
    return None if path.lower() in known else "/" + path


def page_link(label: str, text: str | None = None) -> None:
    path, icon = PAGE[label]
    st.page_link(path, label=text or label, icon=icon)


def sidebar(state: AppState) -> None:
    with st.sidebar:
        st.markdown("**Marketing budget planner**")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()
        st.caption(f"**Data:** {literal(state.data_label())}")
        state.sidebar_note = st.empty()  # a fragment that moves the budget rewrites it (settings_note)
    settings_note(state)
    state.after_fit = lambda: settings_note(state)


def currency_choice(state: AppState) -> None:
    """The Data page's line on the currency amounts are in (read from the files, or chosen), and its box."""
    code, where = state.currency_found
    shown = state.currency
    if state.settings.get("currency"):
        said = f"Amounts are shown in {bold(f'{shown.name} ({shown.code})')}, as chosen."
    elif code:
        said = f"Amounts are in {bold(f'{shown.name} ({shown.code})')}, as {literal(where)} says."
    else:
        said = (f"The files do not say their currency, so amounts are shown in {bold(f'{shown.name} ({shown.code})')}"
                ". Choose another if they are in one.")
    conflict = state.currency_conflict()
    if conflict:
        st.error(literal(conflict), icon=":material/currency_exchange:")
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.markdown(said)
    detected = f"As the data says ({code})" if code else "US dollars (the files do not say)"
    options = ["", *sorted(KNOWN)]  # "": as the data says (a None value would read as no choice at all)
    key = state.key("currency")
    _seed(key, state.settings.get("currency") or "")
    right.selectbox("Currency", options, key=key, format_func=lambda c: f"{KNOWN[c].name} ({c})" if c else detected,
                    on_change=lambda: state.set_currency(st.session_state[key] or None),
                    help="Only how amounts are written: the planner never converts them. Every page, chart, "
                         "workbook and report uses it.")


def settings_note(state: AppState) -> None:
    """The sidebar's line on the budget and objective (redrawn by a fragment that changes them)."""
    note = getattr(state, "sidebar_note", None)
    if note is None:
        return
    b = state.settings.get("budget")
    if b is not None:
        budget = money(b)
    elif state.fit_at_hand and state.curves is not None:  # the Data page does not fit new files for this line
        budget = f"{money(state.default_budget)} (today's total spend)"
    else:
        budget = "today's total spend"
    objective = OBJECTIVES[state.objective]
    if state.objective == "profit":
        objective += f" at a {pct(state.margin, decimals=0)} margin"
    if state.engagement_weight > 0:
        objective += f" + {unit_money(state.engagement_weight)} per engagement"
    planned = state.planned_for() if state.fit_at_hand else {}  # a calendar quarter, campaign controls
    extra = "".join(f"  \n**{k}:** {literal(v)}" for k, v in planned.items())
    note.caption(f"**Budget:** {literal(budget)} per quarter  \n**Objective:** {literal(objective)}{extra}")


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


K_SLIDER, K_NUMBER = "budget_slider", "budget_input"


def _slider_moved() -> None:
    value = st.session_state.get(K_SLIDER)
    st.session_state[K_SETTINGS]["budget"] = value
    st.session_state[K_NUMBER] = float(value)


def _sync(key: str, value) -> None:
    """Show ``value`` in the widget ``key`` (not yet drawn in this run), whatever it showed before.

    Always written, even when equal: after a page switch the value left under ``key`` belongs to the
    other page's widget, and the new widget would start from its default instead.
    """
    st.session_state[key] = value


def budget_control(state: AppState) -> float:
    """The budget as a slider over the budgets planned ahead (key ``budget_slider``) and an exact amount
    (number input, key ``budget_input``); returns the budget in use.

    The slider's positions are the frontier's budgets: once the frontier is computed,
    each is a plan already made, so moving the slider only redraws.  Both widgets show
    the budget in the settings, whichever of them (or another page) set it last.
    """
    budget = round(state.budget, 2)
    today = round(state.default_budget, 2)
    _sync(K_SLIDER, budget)
    _sync(K_NUMBER, float(budget))
    left, right = st.columns([3, 1], gap="medium", vertical_alignment="bottom")
    with left:
        st.select_slider(
            "Budget for the quarter", options=state.budget_choices(), key=K_SLIDER, on_change=_slider_moved,
            format_func=lambda b: money(b) + (" (today's spend)" if b == today else ""),  # one amount: no markup
            help=literal(f"An upper limit on total spend, in steps of {money(state.budget_step)} from half to one "
                         f"and a half times today's total quarterly spend ({money(today)}). Each step is a plan "
                         "computed in advance, so the page redraws at once; type any other amount on the right."),
        )
    with right:
        st.number_input(
            f"Exact amount ({current().code})", min_value=0.0, step=float(state.budget_step), format="%.0f",
            key=K_NUMBER, on_change=_copy, args=(K_NUMBER, "budget"),
            help="Any amount: the best plan for it is computed when you press Enter.",
        )
    st.caption(f"Budget: {bold(money(state.budget))} per quarter, an upper limit on the plan's total spend.")
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


def engagement_input(state: AppState) -> float:
    """The dollars one engagement is worth (number input, key ``engagement_input``), fed into the plan as
    planner.optimize.optimize's ``engagement_weight``; disabled when the data has no engagements."""
    key = "engagement_input"
    _seed(key, state.engagement_weight)
    if not state.has_engagement:
        st.session_state[key] = 0.0  # what the plan uses, whatever was typed for other data
    st.number_input(f"Value of one engagement ({current().symbol.strip()})", min_value=0.0, max_value=1000.0, step=0.01, format="%.3f",
                    key=key, on_change=_copy, args=(key, "engagement_weight"), disabled=not state.has_engagement,
                    help=f"What one like, comment, share or save is worth to the brand, in {current().name}. Above "
                         f"{money(0)} the plan "
                         "maximises revenue plus this value times its expected engagements, so it gives up some "
                         "revenue for engagement; 0 plans for revenue alone." if state.has_engagement else
                         "The data has no engagements per creator, so the plan is for revenue alone.")
    return state.engagement_weight


def max_creators_input(state: AppState) -> int | None:
    """The most creators the plan may hire (number input, key ``max_creators_input``; empty = no limit),
    fed into planner.optimize.optimize's ``max_creators``."""
    key = "max_creators_input"
    _seed(key, state.max_creators)
    st.number_input("Most creators to hire", min_value=0, max_value=100_000, step=1, value=None,
                    placeholder="No limit", key=key, on_change=_copy, args=(key, "max_creators"),
                    help="The plan books at most this many creators (any creator with spend counts; paid media "
                         "does not). Fewer contracts to manage, found exactly. Empty: no limit.")
    return state.max_creators


def engagement_trade(state: AppState, alloc) -> bool:
    """The one line on what valuing engagement costs the plan ``alloc`` (planner.report.sentences.engagement_trade);
    nothing, and False, when engagement is not valued."""
    if state.engagement_weight <= 0:
        return False
    revenue_only = state.allocation(revenue_only=True)
    st.markdown(literal(sentences.engagement_trade(alloc, revenue_only.value) if revenue_only.ok else
                        f"The plan for revenue alone, to compare with, cannot be made: {revenue_only.error}"),
                help=literal(f"Against the best plan of the same budget and bounds that values engagement at "
                             f"{money(0)}."))
    return True


def money_column(label: str | None = None, **kw):
    code = current().code
    fmt = _STREAMLIT_MONEY.get(code, "accounting")
    if label and fmt == "accounting":
        label = f"{label} ({code})"
    return st.column_config.NumberColumn(label, format=fmt, step=1, **kw)


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
            "Current spend": money_column(width=110),
            "Cost per post": money_column(width=110, help="Spend is booked in whole posts at this fee."),
            "Min spend": money_column(min_value=0.0, help=f"Spend at least this much (empty = {money(0)})."),
            "Max spend": money_column(min_value=0.0, help="Spend at most this much (empty = no limit)."),
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
            "Current spend": money_column(),
            "Min spend": money_column(min_value=0.0, help=f"The network's rows together get at least this (empty = {money(0)})."),
            "Max spend": money_column(min_value=0.0, help="The network's rows together get at most this "
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
    "Fit": "The fit in words: good from R² 0.7, fair from 0.4, weak from 0, poor below 0 (worse than a flat average).",
    "Revenue P10": "10th percentile of the expected revenue (80% interval, low end).",
    "Revenue P90": "90th percentile of the expected revenue (80% interval, high end).",
    "Pooling": "Creators with few campaigns lean on their network's average curve.",
    "Why": "How far the estimate was pulled toward its network, and why, in words.",
    "In the plan": "The best plan at this budget books this creator.",
    "Revenue per $1": "Expected revenue per dollar from the creator's curve, at the spend named on the right.",
    "Engagements per $1,000": "Likes, comments, shares and saves per $1,000 of fees in the creator's campaigns.",
}


# Streamlit writes these currencies with their symbol and thousands separators; others are written with
# separators and their code in the column's title (its printf formats have no thousands separator).
_STREAMLIT_MONEY = {"USD": "dollar", "EUR": "euro", "JPY": "yen"}


def column_config(df: pd.DataFrame) -> dict:
    """Formats for the display columns (planner.report.display.COLUMN_FORMATS: money, return per $1, percent, R²).

    Money is in the currency shown (planner.base.currency.current): a "$" in a column's name is written as its
    symbol ("Next €1 returns").
    """
    cur = current()
    fmt = _STREAMLIT_MONEY.get(cur.code, "accounting")
    out = {}
    for col in df.columns:
        kind = COLUMN_FORMATS.get(col)
        help_ = _HELP.get(col)
        label = str(col).replace("$", cur.symbol.strip()) if cur.symbol != "$" else str(col)
        if help_ and cur.symbol != "$":
            help_ = help_.replace("$", cur.symbol.strip()).replace("dollar", cur.name.rstrip("s"))
        if kind in ("money", "price"):  # a price keeps its cents: $0.63 per click
            if fmt == "accounting":
                label = f"{label} ({cur.code})"
            out[col] = st.column_config.NumberColumn(label, format=fmt, step=1 if kind == "money" else 0.01,
                                                     help=help_)
        elif kind == "roas":
            out[col] = st.column_config.NumberColumn(label, format=f"{cur.symbol}%.2f per {cur.symbol}1", help=help_)
        elif kind in ("pct", "rate"):  # a rate to two decimals of a percent: 1.37% of clicks become orders
            out[col] = st.column_config.NumberColumn(label, format="percent", step=0.001 if kind == "pct" else 0.0001,
                                                     help=help_)
        elif kind == "r2":
            out[col] = st.column_config.NumberColumn(label, format="%.2f", help=help_)
        elif kind == "count":
            out[col] = st.column_config.NumberColumn(label, format="%d", help=help_)
        elif kind == "number":
            out[col] = st.column_config.NumberColumn(label, format="localized", help=help_)
        elif col in ("Beyond data", "In the plan"):
            out[col] = st.column_config.CheckboxColumn(label, help=help_)
        elif help_ or label != col:
            out[col] = st.column_config.Column(label, help=help_)
    return out


def money_rounded(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with its money columns rounded to whole units as every sentence writes them (Streamlit's number
    formats cut decimals off: $1,610,360.6 would read $1,610,360 here and $1,610,361 beside it)."""
    cols = [c for c in df.columns if COLUMN_FORMATS.get(c) == "money" or c == "Budget"]
    if not cols:
        return df
    out = df.copy()
    for c in cols:
        if pd.api.types.is_numeric_dtype(out[c]):
            out[c] = whole_money(out[c].to_numpy(dtype=float))
    return out


def table(df: pd.DataFrame, *, height: int | str = "auto", key: str | None = None) -> None:
    """A read-only table with the planner's number formats, amounts rounded as everywhere else."""
    st.dataframe(money_rounded(df), column_config=column_config(df), hide_index=True, width="stretch",
                 height=height, key=key)


def chart_spec(c) -> dict:
    """The Vega-Lite spec of an Altair chart of planner.report.charts, without Altair's schema validation.

    Validating a spec against the Vega-Lite schema takes longer than building it (tens
    of milliseconds a chart, paid on every slider move); planner.report.charts' tests validate
    every chart the pages draw, so the app skips it.  The default theme's ``config``
    (a 300 px view the charts never use) is left out, as st.altair_chart leaves it out.
    """
    spec = c.to_dict(validate=False)
    spec.pop("config", None)
    return spec


def chart(c, *, key: str | None = None, select: bool = False):
    """Place a chart across the column; ``select=True`` reruns on a click in it and returns the selection event."""
    spec = chart_spec(c)
    if select:
        return st.vega_lite_chart(spec, width="stretch", key=key, on_select="rerun")
    st.vega_lite_chart(spec, width="stretch", key=key)
    return None


@st.cache_resource(show_spinner=False)
def _templates() -> cache.LRU:
    """Chart specs already built, without the data that moves."""
    return cache.LRU(64)


def _templated(key: tuple, build, datasets: dict) -> None:
    """Place a chart whose spec, but for the named ``datasets``, depends only on ``key``.

    The first time ``build()`` makes it; afterwards only the data are put in.  Streamlit
    sees the same spec with other data and swaps the data into the chart already drawn,
    so moving the budget redraws the chart in a few milliseconds instead of rebuilding it.
    """
    store = _templates()
    spec = store.get(key)
    if spec is None:
        spec = chart_spec(build())
        store.put(key, spec)
    st.vega_lite_chart({**spec, "datasets": {**spec.get("datasets", {}), **datasets}}, width="stretch")


def _digest(df: pd.DataFrame) -> str:
    return hashlib.sha256(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes()).hexdigest()


def frontier_chart(front: pd.DataFrame, current_budget=None, chosen_budget=None, **kw) -> None:
    """planner.report.charts.frontier, drawn once per frontier; a new chosen budget only moves its marks."""
    datasets, shape = charts.frontier_data(front, current_budget, chosen_budget, **kw)
    _templated(("frontier", _digest(front), current_budget, shape),
               lambda: charts.frontier(front, current_budget, chosen_budget, **kw), datasets)


def plan_bars(table: pd.DataFrame, by: str = "network", top: int = 15, height: int = 260) -> None:
    """planner.report.charts.current_vs_optimal with the revenue gained; another plan only changes its data."""
    datasets, shape = _bar_data(table, by, top)
    _templated(("plan-bars", by, top, height, shape),
               lambda: charts.current_vs_optimal(table, by=by, top=top, gain=True, height=height), datasets)


@st.cache_resource(show_spinner=False)
def _bar_store() -> cache.LRU:
    """The bars' data of plan tables already drawn: the sessions share plans, so they share these too."""
    return cache.LRU(64)


def _bar_data(table: pd.DataFrame, by: str, top: int):
    """charts.current_vs_optimal_data of ``table``, made once per plan table (the same object in every session:
    the plans are shared) and currency."""
    store, key = _bar_store(), (id(table), by, top, current().code)
    hit = store.get(key)
    if hit is not None and hit[0]() is table:
        return hit[1]
    made = charts.current_vs_optimal_data(table, by=by, top=top)
    store.put(key, (weakref.ref(table), made))
    return made


def picked(event, param: str, field: str) -> list[str]:
    """The values of ``field`` selected under the chart parameter ``param`` (empty when nothing is selected)."""
    if event is None:
        return []
    chosen = (event.get("selection") or {}).get(param) or []
    return [str(item[field]) for item in chosen if isinstance(item, dict) and field in item]


def money_frame(df: pd.DataFrame, *, key: str, height: int | str = "auto") -> None:
    """A table whose number columns are money in whole units (blank where empty), its text columns as they are."""
    shown = df.copy()
    nums = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    for c in nums:
        shown[c] = whole_money(shown[c].to_numpy(dtype=float))
    config = {c: money_column(str(c)) for c in nums}
    st.dataframe(shown, column_config=config, hide_index=True, width="stretch", height=height, key=key)
