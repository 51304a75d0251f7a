"""The Plan over time page's inputs (horizon, weeks or months, budget, carry-over), its figures and its table.

The plan is set beside last year's pattern: the same budget spread as the data's own spend was a year
earlier (planner.flighting.pattern), valued on the same model.

Every choice survives a page switch (ui.widgets.remembered). The budget follows the horizon: today's
quarterly spend scaled to the horizon's length, until the user types one for that horizon.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from planner.base.currency import current, using
from planner.base.errors import InputError
from planner.base.format import money
from planner.base.markdown import literal
from planner.data.history import spend_history
from planner.flighting import FlightPlan, Horizon, next_months
from planner.flighting import pattern as _pattern
from planner.flighting.horizon import QUARTER_WEEKS
from planner.report.flight_text import baseline_frame, baseline_sentence, flight_headline, last_year_figure
from ui.state import AppState
from ui.widgets import K_UI, money_column, money_frame, remembered

HORIZONS = {"quarter": ("Next quarter", 3), "half": ("Next 6 months", 6), "year": ("Next 12 months", 12),
            "dates": ("Dates…", None)}
PERIODS = {"month": "Months", "week": "Weeks"}
K_HORIZON, K_PERIOD, K_START, K_END = "flight_horizon", "flight_period", "flight_start", "flight_end"
K_BUDGET, K_AFTER, K_MIN_FLIGHT = "flight_budget", "flight_after", "flight_min_flight"
K_TYPED = "flight_budget_typed"  # in K_UI: {"span": (start, end), "amount": budget typed for that horizon}
K_LIMITS = "flight_limits"  # the limits editor; in K_UI: the table it started from and the table as edited
K_LIMITS_BASE, K_LIMITS_TABLE = "flight_limits_base", "flight_limits_table"
ALL_NETWORKS, WHOLE_HORIZON = "All networks", "Whole horizon"
LIMIT_HEADERS = ("Network", "Period", "Min spend", "Max spend")
# what a headline figure needs, in pixels: its value per character (large type; commas and points narrow), its
# label per character and the label's help icon. Up to five figures share a row by these, so none is cut short in
# the page's column at 1280 pixels; six take two rows
DIGIT_PX, NARROW_PX, LABEL_PX, HELP_PX, PER_ROW = 19.5, 8.0, 7.0, 22.0, 5


@dataclass(frozen=True)
class FlightInputs:
    """What the page plans: a horizon, the budget over all of it, and whether spend after it counts."""

    horizon: Horizon
    budget: float
    after: bool
    scaled: float  # today's quarterly spend scaled to the horizon
    min_flight: int = 1  # shortest flight and pause of paid media with carry-over, in periods


def _typed(span: tuple[date, date]) -> None:
    st.session_state.setdefault(K_UI, {})[K_TYPED] = {"span": span, "amount": st.session_state.get(K_BUDGET)}


def _horizon(choice: str, today: date, period: str) -> Horizon | None:
    """The horizon chosen (a sentence and None when the dates typed cannot be one)."""
    months = HORIZONS[choice][1]
    if months is not None:
        return next_months(today, months, period)
    quarter = next_months(today, 3, period)
    left, right, _ = st.columns([1, 1, 2], vertical_alignment="bottom")
    start = left.date_input("From", format="YYYY-MM-DD", **remembered(K_START, quarter.start))
    end = right.date_input("To (included)", format="YYYY-MM-DD", **remembered(K_END, quarter.end))
    try:
        return Horizon(start, end, period)
    except InputError as exc:
        st.error(literal(str(exc)), icon=":material/event_busy:")
        return None


def inputs(state: AppState, today: date | None = None) -> FlightInputs | None:
    """The page's inputs, drawn; None when the dates typed are not a horizon (its sentence is shown)."""
    today = today or date.today()
    left, mid, right = st.columns([5, 2, 3], gap="medium", vertical_alignment="bottom")
    choice = left.radio("Horizon", list(HORIZONS), format_func=lambda k: HORIZONS[k][0], horizontal=True,
                        **remembered(K_HORIZON, "quarter"))
    period = mid.radio("Split into", list(PERIODS), format_func=PERIODS.get, horizontal=True,
                       **remembered(K_PERIOD, "month"))
    horizon = _horizon(choice, today, period)  # the dates, when typed, on a row of their own below
    if horizon is None:
        return None
    scaled = round(state.default_budget * horizon.weeks / QUARTER_WEEKS, 0)
    span = (horizon.start, horizon.end)
    typed = st.session_state.setdefault(K_UI, {}).get(K_TYPED)
    amount = typed["amount"] if typed and typed["span"] == span and typed["amount"] is not None else scaled
    st.session_state[K_BUDGET] = float(amount)  # this horizon's budget, whatever the widget showed before
    right.number_input(f"Budget for the whole horizon ({current().code})", min_value=0.0,
                       step=float(state.budget_step), format="%.0f", key=K_BUDGET, on_change=_typed, args=(span,),
                       help=literal(f"An upper limit on the plan's total spend over the horizon. It starts at today's "
                                    f"spend ({money(state.default_budget)} a quarter) scaled to the horizon: "
                                    f"{money(scaled)}."))
    tick, shortest, _ = st.columns([5, 3, 2], vertical_alignment="bottom")
    after = tick.checkbox("Count what spend earns after the horizon (carry-over)", **remembered(K_AFTER, False),
                          help="Spend late in the horizon keeps earning after it ends on networks with carry-over. "
                               "Ticked, the plan counts and plans for that too; unticked, only what is earned "
                               "inside the horizon counts.")
    k = shortest_flight(shortest, K_MIN_FLIGHT, horizon, "Shortest flight and pause",
                        "No on-off every other {period}: once a network's paid media starts spending it keeps on for "
                        "at least this many {unit}, and pauses at least as long between two flights. 1: no such "
                        "rule. Creators' posts are bookings, not flights.")
    return FlightInputs(horizon, float(st.session_state[K_BUDGET]), bool(after), scaled, k)


def limits_editor(curves: pd.DataFrame, horizon: Horizon) -> tuple:
    """The limits per period and network (data editor, key ``flight_limits``), kept across page switches.

    Returns the rows that set a minimum or a maximum as ``(network, period, min_spend, max_spend)`` tuples,
    network and period "" for all networks and the whole horizon (planner.flighting.limits reads them).
    """
    store = st.session_state.setdefault(K_UI, {})
    if K_LIMITS not in st.session_state:  # a fresh editor starts from the table as last edited
        store[K_LIMITS_BASE] = store.get(K_LIMITS_TABLE, pd.DataFrame(columns=list(LIMIT_HEADERS)))
    networks = [ALL_NETWORKS, *sorted(curves["network"].astype(str).unique())]
    periods = [WHOLE_HORIZON, *horizon.periods()["label"]]
    edited = st.data_editor(
        store[K_LIMITS_BASE], key=K_LIMITS, num_rows="dynamic", width="stretch", hide_index=True,
        placeholder="no limit",
        column_config={
            "Network": st.column_config.SelectboxColumn("Network", options=networks, default=ALL_NETWORKS,
                                                        required=True),
            "Period": st.column_config.SelectboxColumn("Period", options=periods, default=WHOLE_HORIZON,
                                                       required=True),
            "Min spend": money_column("Min spend", min_value=0.0, help="Spend at least this much there."),
            "Max spend": money_column("Max spend", min_value=0.0, help="Spend at most this much there."),
        })
    store[K_LIMITS_TABLE] = edited
    rows = []
    for r in edited.itertuples(index=False):
        lo, hi = r[2], r[3]
        if pd.isna(lo) and pd.isna(hi):
            continue
        rows.append(("" if r[0] in (None, ALL_NETWORKS) else str(r[0]), "" if r[1] in (None, WHOLE_HORIZON) else str(r[1]),
                     None if pd.isna(lo) else float(lo), None if pd.isna(hi) else float(hi)))
    return tuple(rows)


def budget_caption(state: AppState, chosen: FlightInputs) -> str:
    """The line under the inputs: the budget, the horizon's length, and what today's spend would be over it."""
    h = chosen.horizon
    same = round(chosen.budget) == round(chosen.scaled)
    today = ("today's spend scaled to its length" if same
             else f"today's spend scaled to its length would be {money(chosen.scaled)}")
    return literal(f"Budget: {money(chosen.budget)} over {h.label()} ({h.days} days), an upper limit; {today} "
                   f"({money(state.default_budget)} a quarter).")


def settings_note(state: AppState) -> str | None:
    """What the Optimize page's settings do here: row bounds count; the objective and network bounds do not."""
    left_out = []
    if state.objective != "revenue":
        left_out.append("it plans for revenue, not profit")
    if state.engagement_weight > 0:
        left_out.append("it does not value engagements")
    if state.settings.get("network_bounds") is not None and state.network_bounds is not None:
        left_out.append("bounds on networks' totals are not applied")
    if state.max_creators is not None:
        left_out.append("the most creators to hire is not applied")
    if not left_out:
        return None
    return literal("Unlike the Optimize page, " + "; ".join(left_out) + ". The bounds per network and creator are "
                   "applied, scaled to the horizon.")


def last_year(state: AppState, plan: FlightPlan, curves: pd.DataFrame) -> _pattern.LastYear:
    """The plan beside last year's pattern of its budget, read from the data's own spend (or why there is none)."""
    return _pattern.last_year(plan, curves, spend_history(state.datasets))


def figures(plan: FlightPlan, last_year: _pattern.LastYear | None = None) -> None:
    """The headline figures of the plan, each with what it means on hover (last year's pattern's when there is one)."""
    h = flight_headline(plan)
    shown = [("Expected revenue", h["revenue"], f"Over the whole horizon. {h['interval']}." if h["interval"] else
              "Over the whole horizon."),
             ("Over an even plan" + (" (no limits)" if plan.limits else ""), h["over_even"],
              f"The same budget spread evenly over the weeks, valued on the same model, earns {h['even']}."
              + (" It keeps none of the limits: what this plan earns less is what they cost." if plan.limits else "")),
             ("Spend", h["spend"], f"Budget: {h['budget']}, an upper limit."),
             ("Proven within", h["gap"], f"No plan of this budget can earn more than {h['bound']}: this one is at "
                                         f"most {h['gap']} below it.")]
    pattern = last_year_figure(last_year) if last_year is not None else None
    if pattern is not None:
        shown.insert(2, ("Over last year's pattern", *pattern))
    if plan.after:
        shown.insert(1, ("Earned after the horizon", h["after"], "What the plan's carry-over earns once the horizon "
                                                                 "has ended."))
    rows = -(-len(shown) // PER_ROW)
    size = -(-len(shown) // rows)  # six figures: two rows of three, in columns that line up
    for start in range(0, len(shown), size):
        row = shown[start:start + size]
        widths = [_needs(label, value) for label, value, _ in row] if rows == 1 else size
        for column, (label, value, help_) in zip(st.columns(widths), row, strict=False):
            column.metric(label, value, help=literal(help_) if help_ else None)


def _needs(label: str, value: str) -> float:
    """The pixels a headline figure needs: its value's (large type, commas narrow) or its label's and help icon's."""
    narrow = sum(c in ",." for c in value)
    return max(DIGIT_PX * (len(value) - narrow) + NARROW_PX * narrow, LABEL_PX * len(label) + HELP_PX)


def baseline(state: AppState, plan: FlightPlan) -> pd.DataFrame | None:
    """Sales expected without paid media per period (the weekly model's baseline) and with this plan's paid media.

    Drawn only where the data hold a weekly model (outcome in total) that fitted; nothing otherwise. Returns
    the table (planner.report.flight_text.baseline_frame), or None.
    """
    fitted = [r.value.baseline for _, r in state.mmm_results() if r.ok and r.value.baseline is not None]
    if not fitted:
        return None
    periods = plan.horizon.periods()
    base = sum(b.over(periods["period"], periods["last"]) for b in fitted)
    frame = baseline_frame(plan, base)
    st.subheader(f"Expected sales per {plan.horizon.period}")
    st.caption(literal(baseline_sentence(frame)))
    money_frame(frame, key="flight_baseline")
    return frame


def spend_table(table: pd.DataFrame) -> None:
    """planner.report.flight_text.flight_table: money in whole units, a column per period and the total."""
    money_frame(table, key="flight_table", height=420)


def in_currency(render, plan):
    """``render(plan)`` made when the download is asked for (outside this run), in this run's currency."""
    currency = current()

    def make():
        with using(currency):
            return render(plan)

    return make


def shortest_flight(column, key: str, horizon, label: str, help_text: str) -> int:
    """A remembered number input of the shortest flight and pause, in periods of ``horizon`` (1 to their number).

    A value chosen for a longer horizon is brought down to this one's number of periods.
    """
    n = len(horizon.starts())
    if st.session_state.get(key, 1) > n:
        st.session_state[key] = n
    unit = f"{horizon.period}s"
    return int(column.number_input(f"{label} ({unit})", min_value=1, max_value=n, step=1,
                                   **remembered(key, 1, valid=lambda v: min(max(int(v), 1), n)),
                                   help=help_text.format(period=horizon.period, unit=unit)))
