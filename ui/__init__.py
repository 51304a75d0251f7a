"""Shared app code for the Streamlit pages: setup, state, cached calls into planner/, widgets.

Every page begins with::

    import ui
    state = ui.setup("Page title")

which configures the page (wide layout, title), shows only the sign-in screen
until someone signs in when a team has set up sign-in (ui.signin), loads the
sample data on a session's first run, and draws the sidebar navigation.  planner/ never imports
this package (nor streamlit).
"""

from __future__ import annotations

import functools
import os

# One BLAS thread for the server, set before NumPy loads (Streamlit does not load it before the first page):
# the app's linear algebra is small, and on a shared 2-core server a threaded BLAS spin-waits for cores
# other sessions hold, which made a first fit take 30-40 s instead of 2. An administrator's setting stands.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

import streamlit as st  # noqa: E402  (every import after the BLAS threads are set)

from planner.base.currency import show_in  # noqa: E402
from planner.base.markdown import literal  # noqa: E402
from ui import cache, signin, widgets  # noqa: E402
from ui.state import K_CURRENCY, AppState, show_session_currency  # noqa: E402
from ui.widgets import chart, page_link, table  # noqa: E402

__all__ = ["setup", "fragment", "AppState", "cache", "signin", "widgets", "chart", "table", "page_link", "require_curves",
           "require_allocation"]


_ADDRESS_SAID = "planner_address_checked"


def fragment(fn):
    """``st.fragment`` whose reruns write amounts in the session's currency, as the full run does.

    Streamlit runs every rerun, a fragment's too, in a new thread, where the currency in force
    (planner.base.currency, a context variable) is back to US dollars.
    """
    @functools.wraps(fn)
    def run(*args, **kwargs):
        show_session_currency()
        return fn(*args, **kwargs)

    return st.fragment(run)



def setup(title: str) -> AppState:
    """Configure the page, make sure a dataset is loaded (the sample by default), draw the sidebar."""
    st.set_page_config(page_title=f"{title} · Budget planner", page_icon=":material/savings:", layout="wide",
                       initial_sidebar_state="expanded")
    signin.gate()  # team mode (st.login set up): the sign-in screen and nothing else until someone signs in
    state = AppState()
    # every amount this run writes (planner.base.format) is in the data's currency; a fragment's rerun runs in a
    # thread of its own, so ui.fragment shows it again from the session
    st.session_state[K_CURRENCY] = show_in(state.currency)
    widgets.sidebar(state)
    signin.sidebar()  # team mode: who is signed in, and the way out
    st.title(title)
    if title == "Data" and not st.session_state.get(_ADDRESS_SAID):
        st.session_state[_ADDRESS_SAID] = True  # the address a session opened with: said once
        wrong = widgets.unknown_address(st.context.url)
        if wrong:
            st.warning(literal(f"There is no page at {wrong}, so the planner opened its first page, Data. The pages "
                               "are in the sidebar."), icon=":material/wrong_location:")
    return state


def require_curves(state: AppState):
    """The curve table, or the reason there is none (with a link to the Data page) and stop the page."""
    if state.curves is None:
        st.error(literal(state.fitted.error or "There are no response curves yet."))
        page_link("Data", "Go to the Data page")
        st.stop()
    return state.curves


def require_allocation(state: AppState):
    """The optimal allocation for the current settings, or its error sentence (and stop the page)."""
    require_curves(state)
    result = state.allocation()
    if not result.ok:
        st.error(literal(result.error))
        page_link("Optimize", "Change the budget and bounds on the Optimize page")
        st.stop()
    return result.value
