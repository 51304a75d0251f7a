"""Saved scenarios: a named plan the team can list, load, rename, delete and compare.

A :class:`Scenario` holds everything needed to see a plan again without recomputing
it: the data's fingerprint, the curve table, the budget, the bounds per row and per
network, the objective and margin, the value of one engagement and the most creators
to hire, the allocation table and its totals.

A :class:`ScenarioStore` keeps scenarios in a database through SQLAlchemy:

- SQLite by default, in the file ``$PLANNER_SCENARIO_DB`` or else
  ``~/.planner/scenarios.db`` (``path=`` sets another file);
- ``PLANNER_DATABASE_URL`` (or ``url=``), e.g. ``postgresql://user@host/db``, points a
  team at a shared PostgreSQL instead (``postgresql://`` means the psycopg 3 driver).

The schema is versioned: the table ``planner_schema`` lists the migrations applied,
and opening a store applies the missing ones from :data:`MIGRATIONS`, in order, in one
transaction (under a lock, so two processes opening a new database at once do not
race).  A database written by a newer planner is refused with a sentence.

Every save is one transaction: the scenario's row and its tables land together or
not at all, so a crash half-way through a save loses nothing saved before it.  On
SQLite the store runs in WAL mode, a writer takes the write lock at the start of its
transaction (``BEGIN IMMEDIATE``) and waits up to ``busy_timeout`` seconds for
another, so two sessions saving at once both land; PostgreSQL serialises them by the
unique name.  Names are unique ignoring case ("Q3 plan" and "q3 plan" are one name).

Tables (DataFrames) are stored as JSON text with their column types, floats written
exactly (``repr``), so a loaded scenario equals the saved one to the last bit; a
SHA-256 checksum over the content is checked on every load.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from planner.base.format import money, roas, signed_money

__all__ = [
    "ENV_URL",
    "ENV_PATH",
    "DEFAULT_PATH",
    "MAX_NAME",
    "TOTALS",
    "Migration",
    "MIGRATIONS",
    "Scenario",
    "ScenarioError",
    "ScenarioExists",
    "ScenarioNotFound",
    "StoreError",
    "ScenarioStore",
    "resolve_url",
    "clean_name",
    "data_fingerprint",
    "encode_frame",
    "decode_frame",
    "comparison_text",
]

ENV_URL = "PLANNER_DATABASE_URL"
ENV_PATH = "PLANNER_SCENARIO_DB"
DEFAULT_PATH = Path("~") / ".planner" / "scenarios.db"
MAX_NAME = 120
BUSY_TIMEOUT = 30.0  # seconds a SQLite writer waits for another one
TOTALS = (
    "total_spend", "total_response", "response_p10", "response_p90", "total_current_spend",
    "total_current_response", "upper_bound", "gap", "budget_value",
)
_FRAMES = ("curves", "allocation", "bounds", "network_bounds")
_LOCK_KEY = 7_305_114_211  # PostgreSQL advisory lock held while migrating


# ----------------------------------------------------------------------------- errors


class ScenarioError(ValueError):
    """A scenario operation a user asked for cannot be done; the message says why."""


class ScenarioExists(ScenarioError):
    """A scenario of that name (ignoring case) is already saved."""


class ScenarioNotFound(ScenarioError):
    """No scenario of that name is saved."""


class StoreError(ScenarioError):
    """The scenario database cannot be opened or used."""


# ----------------------------------------------------------------------------- names


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_name(name) -> str:
    """A scenario name as stored: stripped of surrounding spaces; raises ScenarioError if unusable."""
    if not isinstance(name, str):
        raise ScenarioError(f"A scenario name must be text, not {type(name).__name__}.")
    text = name.strip()
    if not text:
        raise ScenarioError("A scenario needs a name.")
    if _CONTROL.search(text):
        raise ScenarioError("A scenario name cannot hold tabs, line breaks or other control characters.")
    if len(text) > MAX_NAME:
        raise ScenarioError(f"A scenario name can have at most {MAX_NAME} characters; this one has {len(text)}.")
    return text


def _key(name: str) -> str:
    """The unique key of a name: case and Unicode width ignored."""
    return clean_name(name).casefold()


def data_fingerprint(parts: Iterable[str]) -> str:
    """One fingerprint for the data of a plan made from several files (order does not matter)."""
    items = sorted(str(p) for p in parts)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return hashlib.sha256("\n".join(items).encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------- tables as JSON


def _plain(v):
    """A JSON-native value (floats kept exact; NaN and infinities as JSON's NaN/Infinity)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    if isinstance(v, str):
        return v
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date)):
        return {"datetime": pd.Timestamp(v).isoformat()}
    return str(v)


def _column(s: pd.Series) -> dict:
    dtype = str(s.dtype)
    if pd.api.types.is_bool_dtype(s.dtype) and not isinstance(s.dtype, pd.CategoricalDtype):
        kind, values = "bool", [None if pd.isna(v) else bool(v) for v in s]
    elif pd.api.types.is_integer_dtype(s.dtype):
        kind, values = "int", [None if pd.isna(v) else int(v) for v in s]
    elif pd.api.types.is_float_dtype(s.dtype):
        kind, values = "float", [float(v) for v in s.to_numpy(dtype=float, na_value=np.nan)]
    elif pd.api.types.is_datetime64_any_dtype(s.dtype):
        kind, values = "datetime", [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in s]
    else:
        kind, values = "object", [_plain(v) for v in s.astype(object)]
    return {"kind": kind, "dtype": dtype, "values": values}


def _series(spec: Mapping, index: pd.Index | None, name) -> pd.Series:
    kind, dtype, values = spec["kind"], spec.get("dtype"), spec["values"]
    if kind == "float":
        s = pd.Series(np.array(values, dtype=float), index=index, name=name)
    elif kind == "datetime":
        s = pd.Series(pd.to_datetime(values), index=index, name=name)
    elif kind == "object":
        vals = [pd.Timestamp(v["datetime"]) if isinstance(v, dict) and "datetime" in v else v for v in values]
        s = pd.Series(vals, index=index, name=name, dtype=object)
    else:
        s = pd.Series(values, index=index, name=name, dtype=object)
    if dtype and dtype != str(s.dtype):
        try:
            s = s.astype(dtype)
        except (TypeError, ValueError):
            pass  # a dtype this pandas does not know: keep the values as read
    return s


def encode_frame(df: pd.DataFrame | None) -> str | None:
    """A DataFrame as JSON text with its column types and index; None stays None."""
    if df is None:
        return None
    index = df.index
    body: dict = {"format": 1, "columns": [], "n": int(len(df))}
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        body["index"] = {"name": None if index.name is None else str(index.name),
                         **_column(pd.Series(index, copy=False))}
    for j, col in enumerate(df.columns):
        body["columns"].append({"name": str(col), **_column(df.iloc[:, j])})
    return json.dumps(body, separators=(",", ":"), allow_nan=True, ensure_ascii=False)


def decode_frame(text: str | None) -> pd.DataFrame | None:
    """The DataFrame of :func:`encode_frame`."""
    if text is None:
        return None
    body = json.loads(text)
    index = None
    if "index" in body:
        spec = body["index"]
        index = pd.Index(_series(spec, None, spec.get("name")), name=spec.get("name"))
    data = {}
    for spec in body["columns"]:
        s = _series(spec, None, spec["name"])
        if index is not None:
            s.index = index
        data[spec["name"]] = s
    if not data:
        return pd.DataFrame(index=index if index is not None else pd.RangeIndex(body.get("n", 0)))
    return pd.DataFrame(data, index=index)


# ----------------------------------------------------------------------------- the scenario


def _utc(t: _dt.datetime | None) -> _dt.datetime:
    if t is None:
        return _dt.datetime.now(_dt.timezone.utc)
    if isinstance(t, pd.Timestamp):
        t = t.to_pydatetime()
    if t.tzinfo is None:
        return t.replace(tzinfo=_dt.timezone.utc)
    return t.astimezone(_dt.timezone.utc)


def _float(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


@dataclass(frozen=True, eq=False)
class Scenario:
    """A named plan with everything it was made from.

    ``curves`` is the curve table the optimizer used (per-row bounds applied);
    ``bounds`` is the per-row bounds as set by the user (``name, network, min_spend,
    max_spend, lock``) or None for the curve table's own; ``network_bounds`` is
    ``network, min_spend, max_spend`` or None; ``allocation`` is
    ``Allocation.table``; ``totals`` holds the keys of :data:`TOTALS` (NaN when
    unknown); ``engagement_weight`` is the dollars one engagement was worth to the
    optimizer (0: revenue alone) and ``max_creators`` the most creators it could hire
    (None: no limit).  Compare two scenarios with :meth:`same_as`.
    """

    name: str
    created: _dt.datetime
    fingerprint: str
    curves: pd.DataFrame
    budget: float
    objective: str
    margin: float
    allocation: pd.DataFrame
    totals: Mapping[str, float]
    bounds: pd.DataFrame | None = None
    network_bounds: pd.DataFrame | None = None
    note: str = ""
    engagement_weight: float = 0.0
    max_creators: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "name", clean_name(self.name))
        object.__setattr__(self, "created", _utc(self.created))
        object.__setattr__(self, "totals", {k: _float(self.totals.get(k)) for k in TOTALS})
        object.__setattr__(self, "budget", float(self.budget))
        object.__setattr__(self, "margin", float(self.margin))
        object.__setattr__(self, "objective", str(self.objective))
        object.__setattr__(self, "fingerprint", str(self.fingerprint or ""))
        object.__setattr__(self, "note", str(self.note or ""))
        weight = _float(self.engagement_weight)
        if not (math.isfinite(weight) and weight >= 0):
            raise ScenarioError(f"The value of one engagement must be a number of dollars, 0 or more, "
                                f"not {self.engagement_weight!r}.")
        object.__setattr__(self, "engagement_weight", weight)
        if self.max_creators is not None:
            limit = _float(self.max_creators)
            if not (math.isfinite(limit) and limit >= 0 and limit == int(limit)):
                raise ScenarioError(f"The most creators to hire must be a whole number, 0 or more, "
                                    f"not {self.max_creators!r}.")
            object.__setattr__(self, "max_creators", int(limit))
        if self.objective not in ("revenue", "profit"):
            raise ScenarioError(f"The objective must be 'revenue' or 'profit', not {self.objective!r}.")
        for what in ("curves", "allocation"):
            if not isinstance(getattr(self, what), pd.DataFrame):
                raise ScenarioError(f"A scenario's {what} must be a table (DataFrame).")

    @classmethod
    def from_allocation(cls, name: str, allocation, curves: pd.DataFrame, *, fingerprint: str = "",
                        bounds: pd.DataFrame | None = None, network_bounds: pd.DataFrame | None = None,
                        note: str = "", created: _dt.datetime | None = None) -> Scenario:
        """A scenario of an :class:`planner.optimize.solver.Allocation` and the curve table it came from
        (its engagement value and hire limit from ``allocation.extra``)."""
        extra = getattr(allocation, "extra", None) or {}
        return cls(
            name=name, created=_utc(created), fingerprint=fingerprint, curves=curves.reset_index(drop=True),
            budget=allocation.budget, objective=allocation.objective, margin=allocation.margin,
            allocation=allocation.table.reset_index(drop=True),
            totals={k: getattr(allocation, k, float("nan")) for k in TOTALS},
            bounds=None if bounds is None else bounds.reset_index(drop=True),
            network_bounds=None if network_bounds is None else network_bounds.reset_index(drop=True),
            note=note, engagement_weight=extra.get("engagement_weight") or 0.0,
            max_creators=extra.get("max_creators"),
        )

    # ------------------------------------------------------------------ readings

    @property
    def total_spend(self) -> float:
        return self.totals["total_spend"]

    @property
    def total_response(self) -> float:
        return self.totals["total_response"]

    @property
    def roas(self) -> float:
        s = self.total_spend
        return self.total_response / s if s > 0 else float("nan")

    @property
    def network_table(self) -> pd.DataFrame:
        """Spend, expected revenue and current spend per network."""
        t = self.allocation
        agg = {"spend": ("spend", "sum"), "response": ("response", "sum")}
        if "current_spend" in t.columns:
            agg["current_spend"] = ("current_spend", lambda s: s.sum(min_count=1))
        return t.groupby("network", sort=False).agg(**agg).reset_index()

    def replace(self, **changes) -> Scenario:
        return dataclasses.replace(self, **changes)

    def same_as(self, other: Scenario) -> bool:
        """True when both hold the same name and content, tables equal to the last bit."""
        return isinstance(other, Scenario) and self.name == other.name and _content(self) == _content(other)


def _frames(s: Scenario) -> dict[str, str | None]:
    return {k: encode_frame(getattr(s, k)) for k in _FRAMES}


def _content(s: Scenario, frames: Mapping[str, str | None] | None = None) -> str:
    """Canonical text of everything but the name (what the checksum covers)."""
    frames = _frames(s) if frames is None else frames
    head = {
        "created": s.created.isoformat(), "fingerprint": s.fingerprint, "budget": s.budget,
        "objective": s.objective, "margin": s.margin, "totals": [s.totals[k] for k in TOTALS], "note": s.note,
    }
    # added in schema 2; absent when unset, so the checksums of scenarios saved before still hold
    if s.engagement_weight:
        head["engagement_weight"] = s.engagement_weight
    if s.max_creators is not None:
        head["max_creators"] = s.max_creators
    return json.dumps({"head": head, "frames": [frames.get(k) for k in _FRAMES]}, allow_nan=True,
                      separators=(",", ":"), ensure_ascii=False)


def _checksum(s: Scenario, frames: Mapping[str, str | None]) -> str:
    return hashlib.sha256(_content(s, frames).encode("utf-8")).hexdigest()


# ----------------------------------------------------------------------------- schema


@dataclass(frozen=True)
class Migration:
    """One step of the schema: ``apply(connection)`` runs inside the migration's transaction."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _schema_table(meta: sa.MetaData) -> sa.Table:
    return sa.Table(
        "planner_schema", meta,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("applied", sa.DateTime(timezone=True), nullable=False),
    )


_V2_COLUMNS = (("engagement_weight", sa.Double), ("max_creators", sa.Integer))  # added by migration 2


def _tables(meta: sa.MetaData, version: int = 2) -> tuple[sa.Table, sa.Table]:
    """The scenario tables as schema ``version`` defines them."""
    scenarios = sa.Table(
        "planner_scenarios", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(MAX_NAME), nullable=False),
        sa.Column("name_key", sa.String(MAX_NAME * 3), nullable=False, unique=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fingerprint", sa.String(200), nullable=False),
        sa.Column("budget", sa.Double, nullable=False),
        sa.Column("objective", sa.String(20), nullable=False),
        sa.Column("margin", sa.Double, nullable=False),
        *[sa.Column(k, sa.Double, nullable=True) for k in TOTALS],
        sa.Column("n_rows", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        *[sa.Column(k, t, nullable=True) for k, t in (_V2_COLUMNS if version >= 2 else ())],
    )
    frames = sa.Table(
        "planner_scenario_frames", meta,
        sa.Column("scenario_id", sa.Integer, sa.ForeignKey("planner_scenarios.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
    )
    sa.Index("ix_planner_scenarios_created", scenarios.c.created)
    return scenarios, frames


def _migration_1(conn: Connection) -> None:
    meta = sa.MetaData()
    _tables(meta, version=1)
    meta.create_all(conn)


def _migration_2(conn: Connection) -> None:
    for name, kind in _V2_COLUMNS:
        ddl = kind().compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE planner_scenarios ADD COLUMN {name} {ddl}"))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "scenarios and their tables (curves, allocation, bounds, network bounds)", _migration_1),
    Migration(2, "the value of one engagement and the most creators to hire", _migration_2),
)

_META = sa.MetaData()
SCHEMA = _schema_table(_META)
SCENARIOS, FRAMES = _tables(_META)


# ----------------------------------------------------------------------------- the store


def resolve_url(url: str | None = None, path: str | os.PathLike | None = None,
                environ: Mapping[str, str] | None = None) -> str:
    """The database URL: ``url``, else SQLite at ``path``, else ``$PLANNER_DATABASE_URL``,
    else SQLite at ``$PLANNER_SCENARIO_DB``, else at ``~/.planner/scenarios.db``.

    ``postgresql://`` and ``postgres://`` mean the psycopg 3 driver.
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
            raise StoreError(f"{self.url!r} is not a database URL (e.g. postgresql://user@host/db).") from exc
        self.location = parsed.render_as_string(hide_password=True)
        self.dialect = parsed.get_backend_name()
        try:
            if self.dialect == "sqlite":
                self.engine = self._sqlite_engine(parsed, busy_timeout)
            else:
                kwargs = {"pool_pre_ping": True}
                if self.dialect == "postgresql":
                    kwargs["connect_args"] = {"connect_timeout": 10}
                self.engine = sa.create_engine(parsed, **kwargs)
        except (NoSuchModuleError, ImportError) as exc:
            raise StoreError(f"The planner cannot talk to a {self.dialect} database ({_short(exc)}); "
                             "use SQLite or PostgreSQL.") from exc
        try:
            self.migrate()
        except BaseException:
            self.engine.dispose()
            raise

    # ------------------------------------------------------------------ engine and transactions

    @staticmethod
    def _sqlite_engine(parsed, busy_timeout: float) -> Engine:
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"The folder {folder} for the scenario database cannot be created "
                                 f"({exc.strerror or exc}).") from exc
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
            cur.execute("PRAGMA journal_mode = WAL")  # (an in-memory database keeps its own mode)
            cur.execute("PRAGMA synchronous = FULL")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):
            write = conn.get_execution_options().get("planner_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

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
            raise StoreError(f"The scenario database {self.location} could not be used ({_short(exc)}).") from exc

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
        """The highest migration applied (0 for an empty database)."""
        with self._transaction() as conn:
            return self._version(conn)

    @staticmethod
    def _version(conn: Connection) -> int:
        if not sa.inspect(conn).has_table(SCHEMA.name):
            return 0
        return int(conn.execute(sa.select(sa.func.max(SCHEMA.c.version))).scalar() or 0)

    def migrate(self) -> int:
        """Apply the missing migrations in one transaction; return the schema version."""
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
            raise StoreError(f"The scenario database {self.location} was written by a newer version of the "
                             f"planner (schema {current}; this one knows up to {latest}); update the planner.")

    # ------------------------------------------------------------------ operations

    def _lock_names(self, conn: Connection, *names: str) -> None:
        """On PostgreSQL, serialise the transactions that write these names (SQLite has one writer anyway)."""
        if self.dialect != "postgresql":
            return
        keys = sorted({int.from_bytes(hashlib.sha256(_key(n).encode("utf-8")).digest()[:8], "big", signed=True)
                       for n in names})
        for k in keys:  # in one order everywhere: no deadlock
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": k})

    def _find(self, conn: Connection, name: str):
        return conn.execute(sa.select(SCENARIOS.c.id, SCENARIOS.c.name)
                            .where(SCENARIOS.c.name_key == _key(name))).first()

    def _missing(self, name) -> ScenarioNotFound:
        return ScenarioNotFound(f"There is no saved scenario named '{clean_name(name)}'.")

    def save(self, scenario: Scenario, overwrite: bool = False) -> Scenario:
        """Save ``scenario`` in one transaction; return it.

        Raises :class:`ScenarioExists` when a scenario of that name (ignoring case) is
        saved already, unless ``overwrite`` is true: then it is replaced.
        """
        if not isinstance(scenario, Scenario):
            raise ScenarioError(f"Only a Scenario can be saved, not {type(scenario).__name__}.")
        frames = _frames(scenario)
        row = {
            "name": scenario.name, "name_key": _key(scenario.name), "created": scenario.created,
            "fingerprint": scenario.fingerprint, "budget": scenario.budget, "objective": scenario.objective,
            "margin": scenario.margin, "n_rows": int(len(scenario.allocation)), "note": scenario.note,
            "checksum": _checksum(scenario, frames), "engagement_weight": scenario.engagement_weight,
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
        with self._transaction() as conn:
            return self._find(conn, name) is not None

    def names(self) -> list[str]:
        """Names of the saved scenarios, newest first."""
        return self.list()["name"].tolist()

    def list(self) -> pd.DataFrame:
        """The saved scenarios, newest first: name, created, fingerprint, budget, objective,
        margin, the totals, roas, rows, note, engagement_weight (0 when unset) and
        max_creators (NaN for no limit); no tables are read."""
        cols = [SCENARIOS.c.name, SCENARIOS.c.created, SCENARIOS.c.fingerprint, SCENARIOS.c.budget,
                SCENARIOS.c.objective, SCENARIOS.c.margin, *[SCENARIOS.c[k] for k in TOTALS],
                SCENARIOS.c.n_rows, SCENARIOS.c.note, SCENARIOS.c.engagement_weight, SCENARIOS.c.max_creators]
        with self._transaction() as conn:
            rows = conn.execute(sa.select(*cols).order_by(SCENARIOS.c.created.desc(), SCENARIOS.c.name)).all()
        names = ["name", "created", "fingerprint", "budget", "objective", "margin", *TOTALS, "rows", "note",
                 "engagement_weight", "max_creators"]
        df = pd.DataFrame([tuple(r) for r in rows], columns=names)
        df["created"] = pd.to_datetime([_utc(t) for t in df["created"]], utc=True)
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
        """The saved scenario ``name`` (ignoring case), exactly as saved."""
        with self._transaction() as conn:
            return self._load(conn, name)

    def _load(self, conn: Connection, name: str) -> Scenario:
        row = conn.execute(sa.select(SCENARIOS).where(SCENARIOS.c.name_key == _key(name))).mappings().first()
        if row is None:
            raise self._missing(name)
        bodies = {r.kind: r.body for r in conn.execute(
            sa.select(FRAMES.c.kind, FRAMES.c.body).where(FRAMES.c.scenario_id == row["id"]))}
        if "curves" not in bodies or "allocation" not in bodies:
            raise StoreError(f"The scenario '{row['name']}' is damaged in the database: its tables are missing.")
        frames = {k: decode_frame(bodies.get(k)) for k in _FRAMES}
        scenario = Scenario(
            name=row["name"], created=_utc(row["created"]), fingerprint=row["fingerprint"],
            curves=frames["curves"], budget=row["budget"], objective=row["objective"], margin=row["margin"],
            allocation=frames["allocation"],
            totals={k: (row[k] if row[k] is not None else float("nan")) for k in TOTALS},
            bounds=frames["bounds"], network_bounds=frames["network_bounds"], note=row["note"],
            engagement_weight=row["engagement_weight"] or 0.0, max_creators=row["max_creators"],
        )
        if _checksum(scenario, {k: bodies.get(k) for k in _FRAMES}) != row["checksum"]:
            raise StoreError(f"The scenario '{row['name']}' is damaged in the database: its content does not "
                             "match the checksum saved with it.")
        return scenario

    def rename(self, old: str, new: str) -> str:
        """Rename a scenario; return the new name.  Raises ScenarioExists when ``new`` is taken."""
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
                             .values(name=new, name_key=_key(new)))
        except IntegrityError as exc:  # a scenario of the new name landed meanwhile
            raise self._exists(new) from exc
        return new

    def delete(self, name: str) -> None:
        """Delete a saved scenario (its tables with it)."""
        with self._transaction(write=True) as conn:
            self._lock_names(conn, name)
            found = self._find(conn, name)
            if found is None:
                raise self._missing(name)
            conn.execute(sa.delete(FRAMES).where(FRAMES.c.scenario_id == found.id))
            conn.execute(sa.delete(SCENARIOS).where(SCENARIOS.c.id == found.id))

    def compare(self, names: Sequence[str]) -> pd.DataFrame:
        """The scenarios side by side (see :func:`compare`), read in one transaction."""
        if isinstance(names, str):
            names = [names]
        names = list(dict.fromkeys(clean_name(n) for n in names))
        if not names:
            raise ScenarioError("Pick at least one scenario to compare.")
        with self._transaction() as conn:
            scenarios = [self._load(conn, n) for n in names]
        return compare(scenarios)


# ----------------------------------------------------------------------------- comparison

SECTION_TOTALS = "Totals"
SECTION_NET_SPEND = "Spend by network"
SECTION_NET_REVENUE = "Expected revenue by network"
SECTION_ROW_SPEND = "Spend by row"
COMPARE_UNITS = {"ROAS": "ratio", "Rows beyond observed spend": "count",
                 "Most creators to hire": "count"}  # every other row is money


def _totals_rows(s: Scenario) -> dict[str, float]:
    t = s.totals
    a = s.allocation
    extrap = a["extrapolated"].fillna(False).astype(bool).sum() if "extrapolated" in a.columns else np.nan
    rows = {
        "Budget": s.budget,
        "Spend": t["total_spend"],
        "Unspent budget": s.budget - t["total_spend"],
        "Expected revenue": t["total_response"],
        "Expected revenue, P10": t["response_p10"],
        "Expected revenue, P90": t["response_p90"],
        "ROAS": s.roas,
        "Current spend": t["total_current_spend"],
        "Expected revenue at current spend": t["total_current_response"],
        "Change in expected revenue vs current": t["total_response"] - t["total_current_response"],
        "Rows beyond observed spend": float(extrap),
    }
    if s.engagement_weight:
        rows["Value of one engagement"] = s.engagement_weight
    if s.max_creators is not None:
        rows["Most creators to hire"] = float(s.max_creators)
    return rows


def compare(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Scenarios side by side: one column per scenario (in the order given), one row per
    figure, indexed by (section, item).

    Sections: ``Totals`` (budget, spend, expected revenue with P10/P90, ROAS, current
    spend and revenue, change, rows beyond observed spend; the value of one engagement
    and the most creators to hire when a scenario set them), ``Spend by network``,
    ``Expected revenue by network`` and ``Spend by row`` (every network's paid media
    and creator).  A network or row a scenario does not have is NaN there.
    """
    if not scenarios:
        raise ScenarioError("Pick at least one scenario to compare.")
    cols: dict[str, dict[tuple[str, str], float]] = {}
    order: list[tuple[str, str]] = []

    def put(col: dict, key: tuple[str, str], value) -> None:
        if key not in seen:
            seen.add(key)
            order.append(key)
        col[key] = _float(value)

    seen: set = set()
    for s in scenarios:
        col: dict = {}
        for item, v in _totals_rows(s).items():
            put(col, (SECTION_TOTALS, item), v)
        cols[s.name] = col
    for section, measure in ((SECTION_NET_SPEND, "spend"), (SECTION_NET_REVENUE, "response")):
        for s in scenarios:
            for r in s.network_table.itertuples(index=False):
                put(cols[s.name], (section, str(r.network)), getattr(r, measure))
    for s in scenarios:
        for nm, sp in zip(s.allocation["name"].astype(str), s.allocation["spend"]):
            put(cols[s.name], (SECTION_ROW_SPEND, nm), sp)
    index = pd.MultiIndex.from_tuples(order, names=["section", "item"])
    out = pd.DataFrame({name: [col.get(k, np.nan) for k in order] for name, col in cols.items()}, index=index)
    out.columns.name = "scenario"
    return out


def _fmt(unit: str, x: float, signed: bool = False) -> str:
    if not (isinstance(x, (int, float)) and math.isfinite(x)):
        return "\u2014"
    if unit == "ratio":
        text = roas(x, per_dollar=True)
        return "+" + text if signed and text[0] != "-" and round(x, 2) != 0 else text
    if unit == "count":
        return f"{x:+,.0f}" if signed else f"{x:,.0f}"
    return signed_money(x) if signed else money(x)


def comparison_text(table: pd.DataFrame, section: str | None = None, difference: bool = True) -> pd.DataFrame:
    """The comparison of :func:`compare` as display text (money, ROAS, counts), indexed by item.

    ``section`` keeps one section; with exactly two scenarios and ``difference`` a
    last column gives the second minus the first.
    """
    t = table if section is None else table.xs(section, level="section", drop_level=False)
    names = list(t.columns)
    rows = {}
    for (sec, item), vals in t.iterrows():
        unit = COMPARE_UNITS.get(item, "money") if sec == SECTION_TOTALS else "money"
        text = [_fmt(unit, float(v)) for v in vals]
        if difference and len(names) == 2:
            a, b = float(vals.iloc[0]), float(vals.iloc[1])
            if not math.isfinite(a) and math.isfinite(b) and sec != SECTION_TOTALS:
                a = 0.0  # a row only the second scenario has: all of it is new
            if not math.isfinite(b) and math.isfinite(a) and sec != SECTION_TOTALS:
                b = 0.0
            text.append(_fmt(unit, b - a, signed=True))
        rows[item if section is not None else f"{sec}: {item}"] = text
    columns = names + ([f"Difference ({names[1]} \u2212 {names[0]})"] if difference and len(names) == 2 else [])
    out = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    out.index.name = section or "item"
    return out
