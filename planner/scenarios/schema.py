"""The scenario database's tables and the migrations that make them.

The table ``planner_schema`` lists the migrations applied; opening a store applies the
missing ones of :data:`MIGRATIONS`, in order (planner.scenarios.store).

- ``planner_scenarios``: one row per scenario (name, unique ``name_key``, created,
  fingerprint, budget, objective, margin, the totals, rows, note, checksum; from schema 2
  the value of one engagement and the most creators to hire);
- ``planner_scenario_frames``: its tables as JSON text, one row per kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from planner.scenarios.names import MAX_NAME
from planner.scenarios.scenario import TOTALS

__all__ = ["Migration", "MIGRATIONS", "SCHEMA", "SCENARIOS", "FRAMES", "scenario_tables"]


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


def scenario_tables(meta: sa.MetaData, version: int = 2) -> tuple[sa.Table, sa.Table]:
    """Return the scenario tables (scenarios, frames) as schema ``version`` defines them, in ``meta``.

    Parameters
    ----------
    meta : sqlalchemy.MetaData
        Where the tables are defined (the database is not touched).
    version : int, default 2
        The schema version; from 2 on ``planner_scenarios`` has ``engagement_weight`` and ``max_creators``.

    Returns
    -------
    tuple of (sqlalchemy.Table, sqlalchemy.Table)
        ``planner_scenarios`` and ``planner_scenario_frames``.
    """
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
    scenario_tables(meta, version=1)
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
SCENARIOS, FRAMES = scenario_tables(_META)
