"""The scenario store: scenarios kept in a database through SQLAlchemy.

- SQLite by default, in the file ``$PLANNER_SCENARIO_DB`` or else
  ``~/.planner/scenarios.db`` (``path=`` sets another file);
- ``PLANNER_DATABASE_URL`` (or ``url=``), e.g. ``postgresql://user@host/db``, points a
  team at a shared PostgreSQL instead (``postgresql://`` means the psycopg 3 driver).

The schema is versioned (planner.scenarios.schema): opening a store applies the missing
migrations, in order, in one transaction (under a lock, so two processes opening a new
database at once do not race).  A database written by a newer planner is refused with a
sentence.

Every save is one transaction: the scenario's row and its tables land together or
not at all, so a crash half-way through a save loses nothing saved before it.  On
SQLite the store runs in WAL mode, a writer takes the write lock at the start of its
transaction (``BEGIN IMMEDIATE``) and waits up to ``busy_timeout`` seconds for
another, so two sessions saving at once both land; PostgreSQL serialises them by the
unique name.  Names are unique ignoring case and Unicode width ("Q3 plan", "q3 plan" and the
full-width "Ｑ３ ｐｌａｎ" are one name: planner.scenarios.names.name_key).

Tables are stored as JSON text with their column types, floats written exactly
(planner.scenarios.frames), so a loaded scenario equals the saved one to the last bit; a
SHA-256 checksum over the content is checked on every load.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import os
from collections.abc import Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from planner.scenarios.comparison import compare
from planner.scenarios.database import BUSY_TIMEOUT, ENV_URL, resolve_url, sqlite_engine, store_kind, without_location
from planner.scenarios.errors import ScenarioError, ScenarioExists, ScenarioNotFound, StoreError
from planner.scenarios.frames import decode_frame
from planner.scenarios.names import clean_name, name_key
from planner.scenarios.scenario import FRAME_KINDS, TOTALS, Scenario, as_utc, checksum, encode_frames
from planner.scenarios.schema import FRAMES, MIGRATIONS, SCENARIOS, SCHEMA, Migration

__all__ = ["ScenarioStore"]

_LOCK_KEY = 7_305_114_211  # PostgreSQL advisory lock held while migrating


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return text[:240].rstrip(". ")


class ScenarioStore:
    """Scenarios in a SQLite file or a PostgreSQL database (see the module docstring).

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
    def _transaction(self, write: bool = False):
        """One transaction; SQLAlchemy's errors become one StoreError sentence."""
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

    def __enter__(self) -> ScenarioStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ScenarioStore({self.location!r})"

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
        with self._transaction() as conn:
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
        with self._transaction() as conn:
            current = self._version(conn)
        if current == latest:
            return current
        self._check_known(current, latest)
        with self._transaction(write=True) as conn:
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

    # ------------------------------------------------------------------ operations

    def _lock_names(self, conn: Connection, *names: str) -> None:
        """On PostgreSQL, serialise the transactions that write these names (SQLite has one writer anyway)."""
        if self.dialect != "postgresql":
            return
        keys = sorted({int.from_bytes(hashlib.sha256(name_key(n).encode("utf-8")).digest()[:8], "big", signed=True)
                       for n in names})
        for k in keys:  # in one order everywhere: no deadlock
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": k})

    def _find(self, conn: Connection, name: str):
        return conn.execute(sa.select(SCENARIOS.c.id, SCENARIOS.c.name)
                            .where(SCENARIOS.c.name_key == name_key(name))).first()

    def _missing(self, name) -> ScenarioNotFound:
        return ScenarioNotFound(f"There is no saved scenario named '{clean_name(name)}'.")

    def save(self, scenario: Scenario, overwrite: bool = False) -> Scenario:
        """Save ``scenario`` in one transaction; return it.

        Raises :class:`ScenarioExists` when a scenario of that name (ignoring case) is
        saved already, unless ``overwrite`` is true: then it is replaced.

        Parameters
        ----------
        scenario : Scenario
            The scenario to save.
        overwrite : bool, default False
            Replace a saved scenario of the same name.

        Returns
        -------
        Scenario
            ``scenario`` itself.

        Raises
        ------
        ScenarioExists
            When the name is taken and ``overwrite`` is false.
        ScenarioError
            When ``scenario`` is not a :class:`Scenario`.
        StoreError
            When the database cannot be used.
        """
        if not isinstance(scenario, Scenario):
            raise ScenarioError(f"Only a Scenario can be saved, not {type(scenario).__name__}.")
        frames = encode_frames(scenario)
        row = {
            "name": scenario.name, "name_key": name_key(scenario.name), "created": scenario.created,
            "fingerprint": scenario.fingerprint, "budget": scenario.budget, "objective": scenario.objective,
            "margin": scenario.margin, "n_rows": int(len(scenario.allocation)), "note": scenario.note,
            "checksum": checksum(scenario, frames), "engagement_weight": scenario.engagement_weight,
            "max_creators": scenario.max_creators,
            **{k: (v if math.isfinite(v) else None) for k, v in scenario.totals.items()},
        }
        for attempt in range(5):
            try:
                with self._transaction(write=True) as conn:
                    self._lock_names(conn, scenario.name)
                    found = self._find(conn, scenario.name)
                    if found is not None:
                        if not overwrite:
                            raise self._exists(found.name)
                        conn.execute(sa.delete(FRAMES).where(FRAMES.c.scenario_id == found.id))
                        conn.execute(sa.delete(SCENARIOS).where(SCENARIOS.c.id == found.id))
                    new_id = conn.execute(sa.insert(SCENARIOS).values(**row)).inserted_primary_key[0]
                    conn.execute(sa.insert(FRAMES), [{"scenario_id": new_id, "kind": k, "body": body}
                                                     for k, body in frames.items() if body is not None])
                return scenario
            except IntegrityError as exc:
                # another session saved the same name between our check and our insert
                if not overwrite or attempt == 4:
                    raise self._exists(scenario.name) from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _exists(name: str) -> ScenarioExists:
        return ScenarioExists(f"A scenario named '{name}' is already saved; choose another name or replace it.")

    def exists(self, name: str) -> bool:
        """Return True when a scenario of that name (ignoring case) is saved.

        Parameters
        ----------
        name : str
            The name.

        Returns
        -------
        bool

        Raises
        ------
        ScenarioError
            When the name is not usable (:func:`~planner.scenarios.names.clean_name`).
        StoreError
            When the database cannot be used.
        """
        with self._transaction() as conn:
            return self._find(conn, name) is not None

    def names(self) -> list[str]:
        """Return the names of the saved scenarios, newest first.

        Returns
        -------
        list of str
            As saved (not case-folded); ties in time by name.

        Raises
        ------
        StoreError
            When the database cannot be used.
        """
        return self.list()["name"].tolist()

    def list(self) -> pd.DataFrame:
        """Return the saved scenarios, newest first, without reading their tables.

        Columns: name, created, fingerprint, budget, objective, margin, the totals, roas,
        rows, note, engagement_weight (0 when unset) and max_creators (NaN for no limit).

        Returns
        -------
        DataFrame
            One row per scenario; ``created`` as UTC times, money and totals as floats (NaN when unknown),
            ``roas`` after ``total_response`` (NaN when nothing is spent), ``rows`` the allocation's row count.

        Raises
        ------
        StoreError
            When the database cannot be used.
        """
        cols = [SCENARIOS.c.name, SCENARIOS.c.created, SCENARIOS.c.fingerprint, SCENARIOS.c.budget,
                SCENARIOS.c.objective, SCENARIOS.c.margin, *[SCENARIOS.c[k] for k in TOTALS],
                SCENARIOS.c.n_rows, SCENARIOS.c.note, SCENARIOS.c.engagement_weight, SCENARIOS.c.max_creators]
        with self._transaction() as conn:
            rows = conn.execute(sa.select(*cols).order_by(SCENARIOS.c.created.desc(), SCENARIOS.c.name)).all()
        names = ["name", "created", "fingerprint", "budget", "objective", "margin", *TOTALS, "rows", "note",
                 "engagement_weight", "max_creators"]
        df = pd.DataFrame([tuple(r) for r in rows], columns=names)
        df["created"] = pd.to_datetime([as_utc(t) for t in df["created"]], utc=True)
        for k in ("budget", "margin", *TOTALS, "max_creators"):
            df[k] = pd.to_numeric(df[k], errors="coerce").astype(float)
        df["engagement_weight"] = pd.to_numeric(df["engagement_weight"], errors="coerce").fillna(0.0).astype(float)
        df["rows"] = df["rows"].astype(int)
        spend = df["total_spend"].to_numpy(dtype=float)
        df.insert(df.columns.get_loc("total_response") + 1, "roas",
                  np.divide(df["total_response"].to_numpy(dtype=float), spend,
                            out=np.full(len(df), np.nan), where=spend > 0))
        return df

    def load(self, name: str) -> Scenario:
        """Return the saved scenario ``name`` (ignoring case), exactly as saved.

        Parameters
        ----------
        name : str
            The scenario's name.

        Returns
        -------
        Scenario

        Raises
        ------
        ScenarioNotFound
            When no scenario has that name.
        StoreError
            When its tables are missing, its checksum does not match, or the database cannot be used.
        """
        with self._transaction() as conn:
            return self._load(conn, name)

    def _load(self, conn: Connection, name: str) -> Scenario:
        row = conn.execute(sa.select(SCENARIOS).where(SCENARIOS.c.name_key == name_key(name))).mappings().first()
        if row is None:
            raise self._missing(name)
        bodies = {r.kind: r.body for r in conn.execute(
            sa.select(FRAMES.c.kind, FRAMES.c.body).where(FRAMES.c.scenario_id == row["id"]))}
        if "curves" not in bodies or "allocation" not in bodies:
            raise StoreError(f"The scenario '{row['name']}' is damaged in the database: its tables are missing.")
        frames = {k: decode_frame(bodies.get(k)) for k in FRAME_KINDS}
        scenario = Scenario(
            name=row["name"], created=as_utc(row["created"]), fingerprint=row["fingerprint"],
            curves=frames["curves"], budget=row["budget"], objective=row["objective"], margin=row["margin"],
            allocation=frames["allocation"],
            totals={k: (row[k] if row[k] is not None else float("nan")) for k in TOTALS},
            bounds=frames["bounds"], network_bounds=frames["network_bounds"], note=row["note"],
            engagement_weight=row["engagement_weight"] or 0.0, max_creators=row["max_creators"],
        )
        if checksum(scenario, {k: bodies.get(k) for k in FRAME_KINDS}) != row["checksum"]:
            raise StoreError(f"The scenario '{row['name']}' is damaged in the database: its content does not "
                             "match the checksum saved with it.")
        return scenario

    def rename(self, old: str, new: str) -> str:
        """Rename a scenario; return the new name.  Raises ScenarioExists when ``new`` is taken.

        Parameters
        ----------
        old : str
            The scenario's name now.
        new : str
            Its new name (:func:`~planner.scenarios.names.clean_name`); the same name in other case is allowed.

        Returns
        -------
        str
            The new name, stripped.

        Raises
        ------
        ScenarioNotFound
            When no scenario is named ``old``.
        ScenarioError
            When ``new`` is not usable.
        StoreError
            When the database cannot be used.
        """
        new = clean_name(new)
        try:
            with self._transaction(write=True) as conn:
                self._lock_names(conn, old, new)
                found = self._find(conn, old)
                if found is None:
                    raise self._missing(old)
                other = self._find(conn, new)
                if other is not None and other.id != found.id:
                    raise self._exists(other.name)
                conn.execute(sa.update(SCENARIOS).where(SCENARIOS.c.id == found.id)
                             .values(name=new, name_key=name_key(new)))
        except IntegrityError as exc:  # a scenario of the new name landed meanwhile
            raise self._exists(new) from exc
        return new

    def delete(self, name: str) -> None:
        """Delete a saved scenario (its tables with it).

        Parameters
        ----------
        name : str
            The scenario's name (ignoring case).

        Raises
        ------
        ScenarioNotFound
            When no scenario has that name.
        StoreError
            When the database cannot be used.
        """
        with self._transaction(write=True) as conn:
            self._lock_names(conn, name)
            found = self._find(conn, name)
            if found is None:
                raise self._missing(name)
            conn.execute(sa.delete(FRAMES).where(FRAMES.c.scenario_id == found.id))
            conn.execute(sa.delete(SCENARIOS).where(SCENARIOS.c.id == found.id))

    def compare(self, names: Sequence[str]) -> pd.DataFrame:
        """Return the scenarios side by side, read in one transaction.

        See :func:`planner.scenarios.comparison.compare`.

        Parameters
        ----------
        names : str or sequence of str
            The scenarios, in the order of the columns; repeats are dropped.

        Returns
        -------
        DataFrame
            As :func:`~planner.scenarios.comparison.compare` returns it.

        Raises
        ------
        ScenarioError
            When ``names`` is empty or a name is not usable.
        ScenarioNotFound
            When a name is not saved.
        StoreError
            When a scenario is damaged or the database cannot be used.
        """
        if isinstance(names, str):
            names = [names]
        names = list(dict.fromkeys(clean_name(n) for n in names))
        if not names:
            raise ScenarioError("Pick at least one scenario to compare.")
        with self._transaction() as conn:
            scenarios = [self._load(conn, n) for n in names]
        return compare(scenarios)
