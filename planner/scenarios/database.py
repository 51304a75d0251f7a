"""Where the scenario store lives: the database URL from the settings, and a SQLite engine that waits its turn.

A visitor of the app reads where scenarios are kept only as a kind (:func:`store_kind`: "Team database
(PostgreSQL)", "This computer (SQLite)"), never the host, user, password, database name or file; a
driver's message is shown with those taken out (:func:`without_location`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError

from planner.scenarios.errors import StoreError

__all__ = ["ENV_URL", "ENV_PATH", "DEFAULT_PATH", "BUSY_TIMEOUT", "resolve_url", "store_kind", "without_location",
           "sqlite_engine"]

ENV_URL = "PLANNER_DATABASE_URL"
ENV_PATH = "PLANNER_SCENARIO_DB"
DEFAULT_PATH = Path("~") / ".planner" / "scenarios.db"
BUSY_TIMEOUT = 30.0  # seconds a SQLite writer waits for another one


def resolve_url(url: str | None = None, path: str | os.PathLike | None = None,
                environ: Mapping[str, str] | None = None) -> str:
    """Return the database URL of a store.

    That is ``url``, else SQLite at ``path``, else ``$PLANNER_DATABASE_URL``, else SQLite
    at ``$PLANNER_SCENARIO_DB``, else at ``~/.planner/scenarios.db``.

    ``postgresql://`` and ``postgres://`` mean the psycopg 3 driver.

    Parameters
    ----------
    url : str, optional
        A SQLAlchemy URL; surrounding spaces are stripped.
    path : str or path-like, optional
        A SQLite file (``~`` and environment variables expanded, made absolute).
    environ : mapping of str to str, optional
        The environment to read; default ``os.environ``.

    Returns
    -------
    str
        A SQLAlchemy URL, e.g. ``sqlite:////home/me/.planner/scenarios.db`` or
        ``postgresql+psycopg://user@host/db``.
    """
    env = os.environ if environ is None else environ
    if url is None and path is None:
        url = (env.get(ENV_URL) or "").strip() or None
        if url is None:
            path = (env.get(ENV_PATH) or "").strip() or DEFAULT_PATH
    if url is None:
        p = Path(os.path.expandvars(str(path))).expanduser()
        return "sqlite:///" + str(p.resolve())
    url = url.strip()
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


_KINDS = {"postgresql": "Team database (PostgreSQL)", "sqlite": "This computer (SQLite)"}
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")  # what drivers quote: host, user, database, socket, file
_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")


def _parsed(url: str | URL) -> URL | None:
    if isinstance(url, URL):
        return url
    try:
        return make_url(str(url))
    except ArgumentError:
        return None


def store_kind(url: str | URL) -> str:
    """Return where a store keeps its scenarios, in words any visitor may read.

    Parameters
    ----------
    url : str or sqlalchemy.engine.URL
        The store's database URL (:func:`resolve_url`).

    Returns
    -------
    str
        ``"Team database (PostgreSQL)"``, ``"This computer (SQLite)"``, else ``"A <backend> database"`` (or
        ``"The scenario database"`` when ``url`` is not a URL): never the host, user, password,
        database name or file.
    """
    parsed = _parsed(url)
    if parsed is None:
        return "The scenario database"
    backend = parsed.get_backend_name()
    return _KINDS.get(backend, f"A {backend} database")


def without_location(text: str, url: str | URL) -> str:
    """Return a driver's message with the database's whereabouts taken out.

    Parameters
    ----------
    text : str
        E.g. ``connection to server at "db.example" (10.0.0.5), port 5432 failed: FATAL: password
        authentication failed for user "alice"``.
    url : str or sqlalchemy.engine.URL
        The store's database URL.

    Returns
    -------
    str
        ``text`` with the URL, its host, user, password and database (or file), every quoted name and
        every IP address replaced by ``…``.
    """
    parsed = _parsed(url)
    known = {str(url)}
    if parsed is not None:
        known |= {parsed.render_as_string(hide_password=False), parsed.render_as_string(hide_password=True),
                  parsed.host, parsed.username, parsed.password, parsed.database}
    out = str(text)
    for secret in sorted((s for s in known if s and len(str(s)) > 1), key=lambda s: -len(str(s))):
        out = out.replace(str(secret), "…")
    out = _QUOTED.sub('"…"', out)
    return _ADDRESS.sub("…", out)


def _wal(cur, busy_timeout: float) -> None:
    """Put the database in WAL mode, waiting (up to ``busy_timeout``) while another process holds it.

    SQLite answers a change of journal mode with "database is locked" at once, without its busy
    handler, while another connection opens or checkpoints the same file: a store opened by several
    processes at the same moment retries instead of failing.  A database already in WAL mode is left as
    it is.
    """
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def sqlite_engine(parsed, busy_timeout: float) -> Engine:
    """Return an engine for the SQLite database of ``parsed`` that serialises writers without failing them.

    WAL mode, ``BEGIN IMMEDIATE`` for a write transaction and a busy timeout, so two sessions saving at
    once both land; the database's folder is made when missing.

    Parameters
    ----------
    parsed : sqlalchemy.engine.URL
        A ``sqlite://`` URL.
    busy_timeout : float
        Seconds a writer waits for another.

    Returns
    -------
    Engine

    Raises
    ------
    StoreError
        When the database's folder cannot be created.
    """
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"The folder for the scenario database ({ENV_PATH}) cannot be created "
                             f"({exc.strerror or type(exc).__name__}).") from exc
    kwargs = {}
    if not database or database == ":memory:":  # one connection, or every one would see its own database
        kwargs["poolclass"] = sa.pool.StaticPool
    engine = sa.create_engine(parsed, connect_args={"timeout": float(busy_timeout), "check_same_thread": False},
                              **kwargs)
    wait_ms = int(busy_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        # the driver must not open transactions on its own: the "begin" hook below does
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {wait_ms}")
        _wal(cur, busy_timeout)  # (an in-memory database keeps its own mode)
        cur.execute("PRAGMA synchronous = FULL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        write = conn.get_execution_options().get("planner_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
