"""Sign-in where a team shares a server: Streamlit's own ``st.login`` (OpenID Connect) when it is set up,
the single-user planner of before when it is not.

Team mode is on when Streamlit's secrets (``.streamlit/secrets.toml`` in the folder the app is started
from, or the file of ``streamlit run ... --secrets.files FILE``) have an ``[auth]`` section: ``redirect_uri``, ``cookie_secret`` and either
``client_id``, ``client_secret``, ``server_metadata_url`` or one sub-section per provider
(``[auth.google]``, ...), as ``st.login`` reads them.  Then every page shows only the sign-in screen
until the visitor signs in (:func:`gate`, called by ``ui.setup``), the sidebar says who is signed in with
a button to sign out, and scenarios are saved, renamed and deleted as that person.

Admins (who may rename, replace and delete anyone's scenario) are the e-mails of ``PLANNER_ADMINS``:
a top-level key of the secrets, else the environment variable; commas or spaces between them.

Without ``[auth]``, everyone who opens the planner is :data:`planner.scenarios.SINGLE_USER` ("local").
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitAuthError

from planner.base.markdown import bold, literal
from planner.scenarios import SINGLE_USER, Person, ScenarioError, admins_from, person

__all__ = ["ENV_ADMINS", "team_mode", "acting", "gate", "sidebar"]

ENV_ADMINS = "PLANNER_ADMINS"


def _secrets() -> dict:
    """Streamlit's secrets as a plain dict; empty when there is no secrets file (or it cannot be read)."""
    if not st.secrets.load_if_toml_exists():
        return {}
    return st.secrets.to_dict()


def _auth(secrets: Mapping) -> Mapping | None:
    auth = secrets.get("auth")
    return auth if isinstance(auth, Mapping) else None


def team_mode() -> bool:
    """True when sign-in is set up (an ``[auth]`` section in Streamlit's secrets)."""
    return _auth(_secrets()) is not None


def _providers(auth: Mapping) -> list[str]:
    """The providers ``st.login`` can use: "default" for a flat ``[auth]``, else each named section's name."""
    if "client_id" in auth or "server_metadata_url" in auth:
        return ["default"]
    return [name for name, section in auth.items() if isinstance(section, Mapping)
            and ("client_id" in section or "server_metadata_url" in section)]


def _admins(secrets: Mapping) -> frozenset[str]:
    value = secrets.get(ENV_ADMINS)
    if value is None:
        value = os.environ.get(ENV_ADMINS)
    return admins_from(value)


def _user() -> dict:
    return st.user.to_dict()


def acting() -> Person:
    """Who acts on the scenario store in this session: the signed-in person, else the single user ("local").

    In team mode without anyone signed in (the gate stops such a page first) this is the single user too,
    who owns only what was saved before sign-in was set up.
    """
    secrets = _secrets()
    user = _user()
    if _auth(secrets) is None or not user.get("is_logged_in"):
        return SINGLE_USER
    return person(user.get("email"), user.get("sub"), _admins(secrets), email_verified=user.get("email_verified"))


def _login(provider: str) -> None:
    try:
        st.login(provider)
    except StreamlitAuthError as exc:  # [auth] incomplete, or Authlib missing: said, not a traceback
        st.session_state["planner_signin_error"] = " ".join(str(exc).split())


def gate() -> None:
    """In team mode, show the sign-in screen and stop the page until someone signs in; else do nothing."""
    auth = _auth(_secrets())
    if auth is None:
        return
    user = _user()
    if user.get("is_logged_in"):
        try:
            acting()
        except ScenarioError as exc:  # a provider that vouched for neither an e-mail nor a subject
            st.error(literal(f"{exc} Ask whoever runs the planner to check its sign-in settings."),
                     icon=":material/error:")
            st.button("Sign out", key="sign_out_unknown", on_click=st.logout)
            st.stop()
        return
    st.title("Budget planner")
    st.markdown("This planner is shared by your team. Sign in to plan budgets and to save, load and compare "
                "the team's scenarios.")
    providers = _providers(auth)
    if not providers:
        st.error("Sign-in is switched on but no identity provider is set up, so nobody can sign in. Whoever runs "
                 "the planner can add client_id, client_secret and server_metadata_url to the [auth] section of "
                 "its secrets.", icon=":material/error:")
    for name in providers:
        label = "Sign in" if name == "default" else f"Sign in with {name.capitalize()}"
        st.button(label, key=f"sign_in_{name}", type="primary", icon=":material/login:", on_click=_login,
                  args=(name,))
    said = st.session_state.pop("planner_signin_error", None)
    if said:
        st.error(literal(f"Sign-in is not set up completely, so nobody can sign in ({said}). Whoever runs the "
                         "planner can fix the [auth] section of its secrets."), icon=":material/error:")
    st.stop()


def sidebar() -> None:
    """In team mode, who is signed in (and whether they are an admin) and a button to sign out."""
    if not team_mode():
        return
    who = acting()
    user = _user()
    name = str(user.get("name") or "").strip()
    shown = f"{bold(name)} ({literal(who.id)})" if name and name != who.id else bold(who.id)
    with st.sidebar:
        st.divider()
        st.markdown(f"Signed in as {shown}" + (" · admin" if who.admin else ""))
        st.button("Sign out", key="sign_out", icon=":material/logout:", on_click=st.logout)
