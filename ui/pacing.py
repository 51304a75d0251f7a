"""The Pacing page's inputs: the plan and the spend to date (the samples until the user uploads), the day paced to,
the budget; and its tables.

The files chosen survive page switches (kept in the session, outside any widget).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from planner.analysis.pacing import Pacing
from planner.base.currency import current
from planner.base.markdown import literal
from planner.report.pacing_text import pacing_tables
from ui.flighting import shortest_flight
from ui.widgets import money_frame, remembered

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PLAN = ROOT / "sample_data" / "plan_h1_2026.xlsx"
SAMPLE_ACTUALS = ROOT / "sample_data" / "spend_to_date.csv"
K_FILES = "pacing_files"  # {"plan": (name, bytes, sample), "actuals": (name, bytes, sample)}
K_AS_OF, K_BUDGET, K_AFTER = "pacing_as_of", "pacing_budget", "pacing_after"
K_MIN_FLIGHT = "pacing_min_flight"


@dataclass(frozen=True)
class PacingInputs:
    """What the page paces: the two files, the day the spend counts to, the budget and the carry-over choice."""

    plan: tuple[str, bytes]
    actuals: tuple[str, bytes]
    as_of: date
    budget: float
    after: bool


def _files() -> dict:
    files = st.session_state.setdefault(K_FILES, {})
    for key, path in (("plan", SAMPLE_PLAN), ("actuals", SAMPLE_ACTUALS)):
        files.setdefault(key, (path.name, path.read_bytes(), True))
    return files


def _uploaded(which: str, widget: str) -> None:
    f = st.session_state.get(widget)
    if f is not None:
        _files()[which] = (f.name, f.getvalue(), False)
        for key in (K_AS_OF, K_BUDGET):  # a new file: the day and the budget start from it again
            st.session_state.pop(key, None)


def _sample(which: str) -> None:
    _files().pop(which, None)
    for key in (K_AS_OF, K_BUDGET):
        st.session_state.pop(key, None)


def _file_box(column, which: str, what: str, sample_text: str, hint: str) -> tuple[str, bytes]:
    name, data, sample = _files()[which]
    with column:
        st.markdown(f"**{what}**")
        if sample:
            st.markdown(literal(sample_text))
        else:
            st.markdown(literal(f"{name} (uploaded)."))
            st.button("Back to the sample", key=f"pacing_sample_{which}", icon=":material/restart_alt:",
                      on_click=_sample, args=(which,))
        st.file_uploader(f"Upload {what.lower()}", type=["xlsx", "xls", "csv"], key=f"pacing_upload_{which}",
                         on_change=_uploaded, args=(which, f"pacing_upload_{which}"), help=hint)
    return name, data


def files() -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """The plan and the spend to date, each with an uploader; the samples until the user uploads."""
    left, right = st.columns(2, gap="large")
    plan = _file_box(left, "plan", "The plan",
                     "The sample: the team's approved plan for January to June 2026, by month (a workbook in finance's "
                     "layout, the months across the columns).",
                     "A plan over time: the workbook or CSV the Plan over time page or optimize --horizon writes, or "
                     "finance's sheet with networks and creators in rows and months or weeks across the columns.")
    actuals = _file_box(right, "actuals", "Spend to date",
                        "The sample: the team's spend sheet, paid media by day and creators' fees on the day they "
                        "posted, to 13 March 2026.",
                        "An ad-platform export (Day, Platform, Amount spent), the team's sheet (Date, Network, "
                        "Creator, Spend), or actuals by month across the columns.")
    return plan, actuals


def samples_in_use() -> tuple[str, ...]:
    """Which of the page's two files are still the samples: ``"plan"``, ``"actuals"``, both or neither."""
    return tuple(which for which, (_, _, sample) in _files().items() if sample)


def sample_files_text(which: tuple[str, ...], data_label: str) -> str:
    """Say that the sample files ``which`` (one or both) name the sample's networks and creators, not the data's."""
    named = {"plan": "plan", "actuals": "spend to date"}
    files = " and ".join(named[w] for w in ("plan", "actuals") if w in which)
    verb = "name" if len(which) > 1 else "names"
    uploads = " and ".join(f"your {named[w]}" for w in ("plan", "actuals") if w in which)
    return (f"The sample {files} {verb} the sample's networks and creators, not those of {data_label}: upload "
            f"{uploads} above to pace them against its curves.")


def settings(plan_total: float, horizon, last_day: date) -> tuple[date, float, bool, int]:
    """The day paced to (default the last day of the spend to date), the budget (default the plan's total), after,
    and the shortest flight and pause of the rest (default 1: none)."""
    default_day = min(max(last_day, horizon.start), horizon.end)
    left, mid, right = st.columns([2, 2, 3], vertical_alignment="bottom")
    as_of = left.date_input("Spend counted to (included)", min_value=horizon.start, max_value=horizon.end,
                            format="YYYY-MM-DD", **remembered(K_AS_OF, default_day),
                            help="The last day the spend to date counts; the rest of the horizon is re-planned from "
                                 "the day after. It starts at the last day in the spend file.")
    budget = mid.number_input(f"Budget for the whole horizon ({current().code})", min_value=0.0, step=1000.0,
                              format="%.0f", **remembered(K_BUDGET, float(round(plan_total))),
                              help="What the whole horizon may spend, what is already spent included. It starts at "
                                   "the plan's total.")
    after = right.checkbox("Count what spend earns after the horizon (carry-over)", **remembered(K_AFTER, False))
    k = shortest_flight(right, K_MIN_FLIGHT, horizon, "Shortest flight and pause of the rest",
                        "No on-off every other {period} in the re-planned rest: once a network's paid media starts it "
                        "keeps on for at least this many {unit}, and pauses at least as long. 1: no such rule.")
    return as_of, float(budget), bool(after), k


def tables(p: Pacing) -> None:
    """The pacing's tables in tabs: by period, by network, by network and creator (the report layer words them)."""
    t = pacing_tables(p)
    by_period, by_network, by_row = st.tabs([f"By {p.horizon.period}", "By network", "By network and creator"])
    with by_period:
        money_frame(t.by_period, key="pacing_periods")
    with by_network:
        money_frame(t.by_network, key="pacing_networks")
    with by_row:
        money_frame(t.by_row, key="pacing_rows", height=420)
