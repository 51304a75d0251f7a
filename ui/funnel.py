"""The Data page's funnel: why each network returns what it does, from reach to order value (issue 19).

The table per network, the chart of its steps, two networks or creators compared in a sentence, and the
creators' funnels. Everything comes from ``state.funnel`` (ui.cache.funnel); the comparison goes through
ui.cache.attempt, so a name the data lacks is a sentence, never a traceback.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from planner.analysis.funnel import compare
from planner.base.format import one
from planner.base.markdown import literal
from planner.report import charts
from planner.report.display import COLUMN_FORMATS
from planner.report.funnel_text import difference_text, missing_text, thin_creators_text
from ui.cache import attempt
from ui.state import AppState
from ui.widgets import chart, remembered, table

TITLE = "Why each network returns what it does"
K_A, K_B = "funnel_compare_a", "funnel_compare_b"


# the decomposition first (return per $1 = clicks x conversion x order value), so it shows without scrolling
FIRST = ("Name", "Network", "Spend", "Return per $1", "Clicks per $1,000", "Conversion", "Order value")
# decimals each kind keeps: Streamlit cuts a number to its column's step (1.0785% would read 1.07%, not 1.08%)
DECIMALS = {"price": 2, "rate": 4, "pct": 3, "roas": 2}


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    """The table as a person reads it: the decomposition's columns first, each number rounded as the sentences
    round it (counts per $1,000 whole from 100, else to one decimal)."""
    out = df[[c for c in FIRST if c in df.columns] + [c for c in df.columns if c not in FIRST]].copy()
    for col in out.columns:
        kind = COLUMN_FORMATS.get(col)
        if kind == "number" and "per $1,000" in col:
            v = out[col].to_numpy(dtype=float)
            out[col] = np.where(np.abs(v) >= 100, np.round(v), np.round(v, 1))
        elif kind in DECIMALS:
            out[col] = out[col].astype(float).round(DECIMALS[kind])
    return out


def _choices(f) -> tuple[list[str], str, str]:
    """The names to compare (networks by spend, then creators by spend) and the default pair: the networks returning
    most and least per dollar."""
    nets = f.networks.sort_values("spend", ascending=False, kind="stable")
    creators = f.creators.sort_values("spend", ascending=False, kind="stable")
    options = list(dict.fromkeys([*nets["network"].astype(str), *creators["name"].astype(str)]))
    ranked = nets.dropna(subset=["roas"]).sort_values("roas", ascending=False, kind="stable")["network"].astype(str)
    best = ranked.iloc[0] if len(ranked) else options[0]
    worst = ranked.iloc[-1] if len(ranked) > 1 else next((o for o in options if o != best), best)
    return options, best, worst


def _pick(label: str, key: str, options: list[str], default: str, column) -> str:
    """A box of names that remembers its choice across pages, back to ``default`` when the data no longer has it."""
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)  # other data: the choice no longer applies
    return column.selectbox(
        label, options,
        help="Networks first, then creators (a creator's conversion and order value are pulled toward its "
             "network's when it has few orders).",
        **remembered(key, default, valid=lambda v: v if v in options else default))


def _comparison(f, options: list[str], best: str, worst: str) -> list[str]:
    """The two boxes and the sentence saying which step makes their returns differ; the networks compared."""
    left, right = st.columns(2)
    a = _pick("Compare", K_A, options, best, left)
    b = _pick("with", K_B, options, worst, right)
    if a == b:
        st.caption("Pick two different networks or creators to see which step makes the difference.")
        return [a]
    found = attempt("comparing two funnels", compare, f, a, b)
    if found.ok:
        st.info(literal(difference_text(found.value)), icon=":material/filter_alt:")
    else:
        st.warning(literal(found.error))
    return [a, b]


def funnel_section(state: AppState) -> None:
    """The section below the files: the funnel per network and per creator, when the data has revenue per row."""
    result = state.funnel
    if result is None:
        return
    st.divider()
    st.subheader(TITLE)
    if not result.ok:
        st.error(literal(result.error))
        return
    f, networks, creators = result.value
    if networks.empty:
        st.info("No row of the data has spend, so there is no funnel to show.")
        return
    if not f.decomposable:
        st.info(literal(missing_text(f)), icon=":material/info:")
        return
    st.markdown(f"Return per {literal(one())} is **clicks per {literal(one())} × conversion (orders per click) × "
                "order value**. "
                "Each network's steps, from its rows of spend with clicks and orders:")
    if f.missing:
        st.caption(literal(missing_text(f)))
    table(_readable(networks))
    drawn = st.container()
    compared = _comparison(f, *_choices(f))
    with drawn:
        lit = [n for n in compared if n in set(f.networks["network"].astype(str))]
        built = attempt("drawing the funnel", charts.funnel_steps, f.networks, lit)
        if built.ok:
            chart(built.value)
        else:
            st.error(literal(built.error))
    if len(creators):
        with st.expander(f"The funnel per creator ({len(creators)})", icon=":material/groups:"):
            thin = thin_creators_text(f)
            if thin:
                st.caption(literal(thin))
            table(_readable(creators), height=min(38 + 35 * len(creators), 420))
