"""The scenario database's tables and the migrations that make them.

The table ``planner_schema`` lists the migrations applied; opening a store applies the
missing ones of :data:`MIGRATIONS`, in order (planner.scenarios.store).

- ``planner_scenarios``: one row per scenario (name, unique ``name_key``, created,
  fingerprint, budget, objective, margin, the totals, rows, note, checksum; from schema 2
  the value of one engagement and the most creators to hire; from schema 3 every
  ``name_key`` is :func:`planner.scenarios.names.name_key`, Unicode width ignored; from schema 4
  its ``owner``, the identity of whoever saved it first, ``"local"`` for those saved without sign-in);
- ``planner_scenario_frames``: its tables as JSON text, one row per kind;
- ``planner_scenario_audit`` (schema 4): every change, one row each: when, who (``actor``), what
  (``action``: save, replace, rename, delete), the scenario's name (and its new name for a rename)
  and its owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from planner.scenarios.access import LOCAL, MAX_ID
from planner.scenarios.errors import ScenarioError
from planner.scenarios.names import MAX_KEY, MAX_NAME, name_key
from planner.scenarios.scenario import TOTALS

__all__ = ["Migration", "MIGRATIONS", "SCHEMA", "SCENARIOS", "FRAMES", "AUDIT", "scenario_tables", "audit_table"]


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
_LATEST = 4


def _owner_column() -> sa.Column:  # added by migration 4; every scenario saved before it is "local"'s
    return sa.Column("owner", sa.String(MAX_ID), nullable=False, server_default=LOCAL)


def scenario_tables(meta: sa.MetaData, version: int = _LATEST) -> tuple[sa.Table, sa.Table]:
    """Return the scenario tables (scenarios, frames) as schema ``version`` defines them, in ``meta``.

    Parameters
    ----------
    meta : sqlalchemy.MetaData
        Where the tables are defined (the database is not touched).
    version : int, default 4 (the latest)
        The schema version; from 2 on ``planner_scenarios`` has ``engagement_weight`` and ``max_creators``,
        from 4 on its ``owner``.

    Returns
    -------
    tuple of (sqlalchemy.Table, sqlalchemy.Table)
        ``planner_scenarios`` and ``planner_scenario_frames``.
    """
    scenarios = sa.Table(
        "planner_scenarios", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(MAX_NAME), nullable=False),
        sa.Column("name_key", sa.String(MAX_KEY), nullable=False, unique=True),
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
        *([_owner_column()] if version >= 4 else []),
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


def audit_table(meta: sa.MetaData) -> sa.Table:
    """Return the record of changes (``planner_scenario_audit``, schema 4) in ``meta``.

    Parameters
    ----------
    meta : sqlalchemy.MetaData
        Where the table is defined (the database is not touched).

    Returns
    -------
    sqlalchemy.Table
        Columns id, at (UTC), actor, action (save, replace, rename, delete), name, new_name (a rename's,
        else NULL) and owner (the scenario's).  No foreign key: the record outlives a deleted scenario.
    """
    audit = sa.Table(
        "planner_scenario_audit", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(MAX_ID), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("name", sa.String(MAX_NAME), nullable=False),
        sa.Column("new_name", sa.String(MAX_NAME), nullable=True),
        sa.Column("owner", sa.String(MAX_ID), nullable=False),
    )
    sa.Index("ix_planner_scenario_audit_at", audit.c.at)
    return audit


def _migration_1(conn: Connection) -> None:
    meta = sa.MetaData()
    scenario_tables(meta, version=1)
    meta.create_all(conn)


def _migration_2(conn: Connection) -> None:
    for name, kind in _V2_COLUMNS:
        ddl = kind().compile(dialect=conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE planner_scenarios ADD COLUMN {name} {ddl}"))


def _numbered(name: str, n: int) -> str:
    suffix = f" ({n})"
    return name[:MAX_NAME - len(suffix)] + suffix


def _migration_3(conn: Connection) -> None:
    """Key every name by :func:`~planner.scenarios.names.name_key` (NFKC and case folding, before: case only).

    Names that now share a key ("Q3 plan" and the full-width "Ｑ３ ｐｌａｎ") were two scenarios: the oldest
    keeps its name, each later one gets " (2)", " (3)", ... the first whose key no other scenario holds, so
    nothing saved is lost.
    """
    scenarios, _ = scenario_tables(sa.MetaData(), version=2)
    rows = conn.execute(sa.select(scenarios.c.id, scenarios.c.name, scenarios.c.name_key)
                        .order_by(scenarios.c.created, scenarios.c.id)).all()
    keys = []
    for row in rows:
        try:
            keys.append(name_key(row.name))
        except ScenarioError:  # saved before names were checked: its key stays
            keys.append(row.name_key)
    first = {}
    for row, key in zip(rows, keys, strict=True):
        first.setdefault(key, row.id)
    taken = set(first)
    changes = []
    for row, key in zip(rows, keys, strict=True):
        name, n = row.name, 2
        while first[key] != row.id and key in taken:  # a later one of a clashing pair: numbered
            name = _numbered(row.name, n)
            key, n = name_key(name), n + 1
            first.setdefault(key, row.id)
        taken.add(key)
        if (name, key) != (row.name, row.name_key):
            changes.append((row.id, name, key))
    # out of the way first (a new key may be another row's old one); a folded key has no capital letter
    for id_, _, _ in changes:
        conn.execute(sa.update(scenarios).where(scenarios.c.id == id_).values(name_key=f"MIGRATING {id_}"))
    for id_, name, key in changes:
        conn.execute(sa.update(scenarios).where(scenarios.c.id == id_).values(name=name, name_key=key))


def _migration_4(conn: Connection) -> None:
    """Give every scenario an owner ("local": saved without sign-in) and start the record of changes."""
    column = _owner_column()
    ddl = column.type.compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE planner_scenarios ADD COLUMN owner {ddl} NOT NULL DEFAULT '{LOCAL}'"))
    meta = sa.MetaData()
    audit_table(meta)
    meta.create_all(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "scenarios and their tables (curves, allocation, bounds, network bounds)", _migration_1),
    Migration(2, "the value of one engagement and the most creators to hire", _migration_2),
    Migration(3, "names compared ignoring Unicode width (NFKC) as well as case", _migration_3),
    Migration(4, "an owner per scenario and a record of who changed what, when", _migration_4),
)

_META = sa.MetaData()
SCHEMA = _schema_table(_META)
SCENARIOS, FRAMES = scenario_tables(_META)
AUDIT = audit_table(_META)
