"""The record of changes to the scenario store: who saved, replaced, renamed or deleted which scenario, when.

One row per change, written in the change's own transaction (so a change and its record land
together or not at all) into ``planner_scenario_audit`` (planner.scenarios.schema).  The record keeps
names, not ids: it outlives a deleted scenario.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from planner.scenarios.access import ACTIONS, Person
from planner.scenarios.names import name_key
from planner.scenarios.scenario import as_utc
from planner.scenarios.schema import AUDIT

__all__ = ["HISTORY_COLUMNS", "record", "read_history"]

HISTORY_COLUMNS = ("at", "actor", "action", "name", "new_name", "owner")


def record(conn: Connection, by: Person, action: str, name: str, owner: str, new_name: str | None = None) -> None:
    """Write one change into the record, inside the change's transaction.

    Parameters
    ----------
    conn : sqlalchemy.engine.Connection
        The transaction that makes the change.
    by : Person
        Who made it.
    action : str
        One of :data:`planner.scenarios.access.ACTIONS`: save, replace, rename, delete.
    name : str
        The scenario's name (before a rename).
    owner : str
        The scenario's owner.
    new_name : str, optional
        A rename's new name.

    Raises
    ------
    ValueError
        When ``action`` is not one of the four.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {ACTIONS}")
    conn.execute(sa.insert(AUDIT).values(at=_dt.datetime.now(_dt.timezone.utc), actor=by.id, action=action,
                                         name=name, new_name=new_name, owner=owner))


def _of_one(rows: list[tuple], key: str) -> list[tuple]:
    """Return the rows (newest first) of the scenario keyed ``key`` now or last.

    Back through its renames to its first save; an older scenario of the same name (saved, then deleted) has a
    history of its own.
    """
    tracked, mine = key, []
    for row in rows:
        _, _, action, name, new_name, _ = row
        if tracked is None:
            break
        if action == "rename" and name_key(new_name) == tracked:
            mine.append(row)
            tracked = name_key(name)
        elif name_key(name) == tracked:
            if action == "delete" and mine:
                break  # deleted before: what comes before is an earlier scenario of that name
            mine.append(row)
            if action == "save":
                tracked = None
    return mine


def read_history(conn: Connection, name: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Return the recorded changes, newest first.

    Parameters
    ----------
    conn : sqlalchemy.engine.Connection
        A transaction on a store of schema 4 or later.
    name : str, optional
        Only the changes of the scenario of that name now (ignoring case and width), or of the last one
        deleted under it: back through its renames to its first save.
    limit : int, optional
        At most this many rows (the newest).

    Returns
    -------
    DataFrame
        Columns :data:`HISTORY_COLUMNS`; ``at`` as UTC times, ``new_name`` empty but for a rename.
    """
    query = sa.select(*[AUDIT.c[c] for c in HISTORY_COLUMNS]).order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc())
    if name is None and limit is not None:
        query = query.limit(int(limit))
    rows = [(at, actor, action, name_, new or "", owner) for at, actor, action, name_, new, owner in conn.execute(query)]
    if name is not None:
        rows = _of_one(rows, name_key(name))[:limit]
    df = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    df["at"] = pd.to_datetime([as_utc(t) for t in df["at"]], utc=True)
    return df
