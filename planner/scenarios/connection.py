"""A database of the scenario store: its URL, its engine, one transaction at a time, its schema migrated.

:class:`Database` opens SQLite or PostgreSQL (planner.scenarios.database), applies the missing
migrations of planner.scenarios.schema in one transaction (PostgreSQL: under an advisory lock), and
runs each operation of the store in one transaction whose database errors become one
:class:`~planner.scenarios.errors.StoreError` sentence without the database's whereabouts.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
from collections.abc import Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from planner.scenarios.database import BUSY_TIMEOUT, ENV_URL, resolve_url, sqlite_engine, store_kind, without_location
from planner.scenarios.errors import ScenarioError, StoreError
from planner.scenarios.names import name_key
from planner.scenarios.schema import MIGRATIONS, SCHEMA, Migration

__all__ = ["Database"]

_LOCK_KEY = 7_305_114_211  # PostgreSQL advisory lock held while migrating


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return text[:240].rstrip(". ")


class Database:
    """A scenario database, SQLite or PostgreSQL, its schema migrated when opened.

    Parameters
    ----------
    url
        A SQLAlchemy URL (``sqlite:///file.db``, ``postgresql://user@host/db``).
    path
        A SQLite file (created with its folder when missing); used when ``url`` is None.
    busy_timeout
        Seconds a SQLite writer waits for another writer before giving up.

    Without ``url`` and ``path``: ``$PLANNER_DATABASE_URL``, else ``$PLANNER_SCENARIO_DB``,
    else ``~/.planner/scenarios.db``.  Raises :class:`StoreError` when the database
    cannot be opened or was written by a newer planner.
    """

    def __init__(self, url: str | None = None, *, path: str | os.PathLike | None = None,
                 busy_timeout: float = BUSY_TIMEOUT, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        self.url = resolve_url(url, path)
        self.migrations = tuple(sorted(migrations, key=lambda m: m.version))
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise StoreError(f"The scenario database's setting ({ENV_URL}) is not a database URL "
                             "(e.g. postgresql://user@host/db).") from exc
        self.location = parsed.render_as_string(hide_password=True)  # for the server's log and repr, never a visitor
        self.kind = store_kind(parsed)  # what a visitor may read: "Team database (PostgreSQL)"
        self._parsed = parsed
        self.dialect = parsed.get_backend_name()
        try:
            if self.dialect == "sqlite":
                self.engine = sqlite_engine(parsed, busy_timeout)
            else:
                kwargs = {"pool_pre_ping": True}
                if self.dialect == "postgresql":
                    kwargs["connect_args"] = {"connect_timeout": 10}
                self.engine = sa.create_engine(parsed, **kwargs)
        except (NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"The planner cannot talk to a {self.dialect} database "
                             f"({without_location(_short(exc), parsed)}); "
                             "use SQLite or PostgreSQL.") from exc
        try:
            self.migrate()
        except BaseException:
            self.engine.dispose()
            raise

    # ------------------------------------------------------------------ engine and transactions

    @contextmanager
    def transaction(self, write: bool = False):
        """Return a context manager: one transaction, whose SQLAlchemy errors become one StoreError sentence.

        Parameters
        ----------
        write : bool, default False
            A writing transaction (SQLite: ``BEGIN IMMEDIATE``, waiting for another writer).

        Returns
        -------
        context manager of sqlalchemy.engine.Connection
            :class:`~planner.scenarios.errors.ScenarioError` and ``IntegrityError`` pass unchanged.
        """
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(planner_write=True)
                with conn.begin():
                    yield conn
        except ScenarioError:
            raise
        except IntegrityError:
            raise
        except (DBAPIError, SQLAlchemyError) as exc:
            raise StoreError(f"The scenario database ({self.kind}) could not be used "
                             f"({without_location(_short(exc), self._parsed)}).") from exc

    def close(self) -> None:
        """Close the database connections (the store can no longer be used)."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"

    # ------------------------------------------------------------------ schema

    def schema_version(self) -> int:
        """Return the highest migration applied (0 for an empty database).

        Returns
        -------
        int

        Raises
        ------
        StoreError
            When the database cannot be read.
        """
        with self.transaction() as conn:
            return self._version(conn)

    @staticmethod
    def _version(conn: Connection) -> int:
        if not sa.inspect(conn).has_table(SCHEMA.name):
            return 0
        return int(conn.execute(sa.select(sa.func.max(SCHEMA.c.version))).scalar() or 0)

    def migrate(self) -> int:
        """Apply the missing migrations in one transaction; return the schema version.

        Returns
        -------
        int
            The highest version of the store's migrations (0 without any).

        Raises
        ------
        StoreError
            When the database was written by a newer planner or cannot be used.
        """
        latest = self.migrations[-1].version if self.migrations else 0
        with self.transaction() as conn:
            current = self._version(conn)
        if current == latest:
            return current
        self._check_known(current, latest)
        with self.transaction(write=True) as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            SCHEMA.create(conn, checkfirst=True)
            current = self._version(conn)  # another process may have migrated meanwhile
            self._check_known(current, latest)
            for m in self.migrations:
                if m.version > current:
                    m.apply(conn)
                    conn.execute(sa.insert(SCHEMA).values(version=m.version, description=m.description,
                                                          applied=_dt.datetime.now(_dt.timezone.utc)))
            return latest

    def _check_known(self, current: int, latest: int) -> None:
        if current > latest:
            raise StoreError(f"The scenario database ({self.kind}) was written by a newer version of the "
                             f"planner (schema {current}; this one knows up to {latest}); update the planner.")

    # ------------------------------------------------------------------ writers of one name, one at a time

    def lock_names(self, conn: Connection, *names: str) -> None:
        """On PostgreSQL, serialise the transactions that write these names (SQLite has one writer anyway).

        Parameters
        ----------
        conn : sqlalchemy.engine.Connection
            The writing transaction; the locks are released when it ends.
        *names : str
            Scenario names (their keys are locked: case and width ignored).
        """
        if self.dialect != "postgresql":
            return
        keys = sorted({int.from_bytes(hashlib.sha256(name_key(n).encode("utf-8")).digest()[:8], "big", signed=True)
                       for n in names})
        for k in keys:  # in one order everywhere: no deadlock
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": k})
