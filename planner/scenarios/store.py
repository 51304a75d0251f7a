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

Every scenario belongs to the person who saved it (planner.scenarios.access: the signed-in user's
e-mail or subject, ``"local"`` without sign-in).  Everyone lists, loads and compares every scenario;
only its owner or an admin replaces, renames or deletes it (others get
:class:`~planner.scenarios.errors.NotYours`, a sentence naming the owner).  Every save, replace,
rename and delete is recorded with who and when, in its own transaction (planner.scenarios.audit).

Tables are stored as JSON text with their column types, floats written exactly
(planner.scenarios.frames), so a loaded scenario equals the saved one to the last bit; a
SHA-256 checksum over the content is checked on every load.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from planner.scenarios.access import SINGLE_USER, Person, check_may_change, require_person
from planner.scenarios.audit import read_history, record
from planner.scenarios.comparison import compare
from planner.scenarios.connection import Database
from planner.scenarios.errors import ScenarioError, ScenarioExists, ScenarioNotFound, StoreError
from planner.scenarios.frames import decode_frame
from planner.scenarios.names import clean_name, name_key
from planner.scenarios.scenario import FRAME_KINDS, TOTALS, Scenario, as_utc, checksum, encode_frames
from planner.scenarios.schema import FRAMES, SCENARIOS

__all__ = ["ScenarioStore"]


class ScenarioStore(Database):
    """Scenarios in a SQLite file or a PostgreSQL database (see the module docstring).

    Opened as :class:`~planner.scenarios.connection.Database` is: ``ScenarioStore(url=None, *, path=None,
    busy_timeout=30.0)``; without ``url`` and ``path``, ``$PLANNER_DATABASE_URL``, else
    ``$PLANNER_SCENARIO_DB``, else ``~/.planner/scenarios.db``.

    Every change takes the person who makes it (``by``, a :class:`~planner.scenarios.access.Person`;
    without sign-in :data:`~planner.scenarios.access.SINGLE_USER`).
    """

    def _find(self, conn: Connection, name: str):
        return conn.execute(sa.select(SCENARIOS.c.id, SCENARIOS.c.name, SCENARIOS.c.owner)
                            .where(SCENARIOS.c.name_key == name_key(name))).first()

    def _missing(self, name) -> ScenarioNotFound:
        return ScenarioNotFound(f"There is no saved scenario named '{clean_name(name)}'.")

    def save(self, scenario: Scenario, overwrite: bool = False, *, by: Person = SINGLE_USER) -> Scenario:
        """Save ``scenario`` in one transaction, owned by ``by``; return it.

        Raises :class:`ScenarioExists` when a scenario of that name (ignoring case) is
        saved already, unless ``overwrite`` is true: then it is replaced, if ``by`` owns it or is an
        admin, and stays its owner's.  The save or the replacement is recorded with who and when.

        Parameters
        ----------
        scenario : Scenario
            The scenario to save.
        overwrite : bool, default False
            Replace a saved scenario of the same name.
        by : Person, default SINGLE_USER
            Who saves it.

        Returns
        -------
        Scenario
            ``scenario`` itself.

        Raises
        ------
        ScenarioExists
            When the name is taken and ``overwrite`` is false.
        NotYours
            When the scenario to replace is someone else's and ``by`` is not an admin.
        ScenarioError
            When ``scenario`` is not a :class:`Scenario` or ``by`` not a :class:`Person`.
        StoreError
            When the database cannot be used.
        """
        if not isinstance(scenario, Scenario):
            raise ScenarioError(f"Only a Scenario can be saved, not {type(scenario).__name__}.")
        require_person(by)
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
                with self.transaction(write=True) as conn:
                    self.lock_names(conn, scenario.name)
                    found = self._find(conn, scenario.name)
                    owner, action = by.id, "save"
                    if found is not None:
                        if not overwrite:
                            raise self._exists(found.name)
                        check_may_change(by, found.owner, found.name, "replace")
                        owner, action = found.owner, "replace"  # an admin's fix leaves it its owner's
                        conn.execute(sa.delete(FRAMES).where(FRAMES.c.scenario_id == found.id))
                        conn.execute(sa.delete(SCENARIOS).where(SCENARIOS.c.id == found.id))
                    new_id = conn.execute(sa.insert(SCENARIOS).values(**row, owner=owner)).inserted_primary_key[0]
                    conn.execute(sa.insert(FRAMES), [{"scenario_id": new_id, "kind": k, "body": body}
                                                     for k, body in frames.items() if body is not None])
                    record(conn, by, action, scenario.name, owner)
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
        with self.transaction() as conn:
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
        rows, note, engagement_weight (0 when unset), max_creators (NaN for no limit) and owner
        (``"local"`` for those saved without sign-in).

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
                SCENARIOS.c.n_rows, SCENARIOS.c.note, SCENARIOS.c.engagement_weight, SCENARIOS.c.max_creators,
                SCENARIOS.c.owner]
        with self.transaction() as conn:
            rows = conn.execute(sa.select(*cols).order_by(SCENARIOS.c.created.desc(), SCENARIOS.c.name)).all()
        names = ["name", "created", "fingerprint", "budget", "objective", "margin", *TOTALS, "rows", "note",
                 "engagement_weight", "max_creators", "owner"]
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
        with self.transaction() as conn:
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

    def rename(self, old: str, new: str, *, by: Person = SINGLE_USER) -> str:
        """Rename a scenario of ``by`` (or any, for an admin); return the new name.  Recorded with who and when.

        Parameters
        ----------
        old : str
            The scenario's name now.
        new : str
            Its new name (:func:`~planner.scenarios.names.clean_name`); the same name in other case is allowed.
        by : Person, default SINGLE_USER
            Who renames it: its owner or an admin.

        Returns
        -------
        str
            The new name, stripped.

        Raises
        ------
        ScenarioNotFound
            When no scenario is named ``old``.
        ScenarioExists
            When another scenario is named ``new``.
        NotYours
            When the scenario is someone else's and ``by`` is not an admin.
        ScenarioError
            When ``new`` is not usable.
        StoreError
            When the database cannot be used.
        """
        new = clean_name(new)
        require_person(by)
        try:
            with self.transaction(write=True) as conn:
                self.lock_names(conn, old, new)
                found = self._find(conn, old)
                if found is None:
                    raise self._missing(old)
                check_may_change(by, found.owner, found.name, "rename")
                other = self._find(conn, new)
                if other is not None and other.id != found.id:
                    raise self._exists(other.name)
                conn.execute(sa.update(SCENARIOS).where(SCENARIOS.c.id == found.id)
                             .values(name=new, name_key=name_key(new)))
                record(conn, by, "rename", found.name, found.owner, new_name=new)
        except IntegrityError as exc:  # a scenario of the new name landed meanwhile
            raise self._exists(new) from exc
        return new

    def delete(self, name: str, *, by: Person = SINGLE_USER) -> None:
        """Delete a saved scenario of ``by`` (or any, for an admin), its tables with it.  Recorded with who and when.

        Parameters
        ----------
        name : str
            The scenario's name (ignoring case).
        by : Person, default SINGLE_USER
            Who deletes it: its owner or an admin.

        Raises
        ------
        ScenarioNotFound
            When no scenario has that name.
        NotYours
            When the scenario is someone else's and ``by`` is not an admin.
        StoreError
            When the database cannot be used.
        """
        require_person(by)
        with self.transaction(write=True) as conn:
            self.lock_names(conn, name)
            found = self._find(conn, name)
            if found is None:
                raise self._missing(name)
            check_may_change(by, found.owner, found.name, "delete")
            conn.execute(sa.delete(FRAMES).where(FRAMES.c.scenario_id == found.id))
            conn.execute(sa.delete(SCENARIOS).where(SCENARIOS.c.id == found.id))
            record(conn, by, "delete", found.name, found.owner)

    def owner(self, name: str) -> str:
        """Return who owns the saved scenario ``name`` (ignoring case): an e-mail, a subject or ``"local"``.

        Parameters
        ----------
        name : str
            The scenario's name; ``"local"`` owns those saved without sign-in.

        Returns
        -------
        str

        Raises
        ------
        ScenarioNotFound
            When no scenario has that name.
        StoreError
            When the database cannot be used.
        """
        with self.transaction() as conn:
            found = self._find(conn, name)
        if found is None:
            raise self._missing(name)
        return found.owner

    def history(self, name: str | None = None, limit: int | None = None) -> pd.DataFrame:
        """Return the recorded changes (save, replace, rename, delete), newest first.

        See :func:`planner.scenarios.audit.read_history`.

        Parameters
        ----------
        name : str, optional
            Only the changes of the scenario of that name (back through its renames to its first save).
        limit : int, optional
            At most this many, the newest.

        Returns
        -------
        DataFrame
            Columns at (UTC), actor, action, name, new_name, owner.

        Raises
        ------
        StoreError
            When the database cannot be used.
        """
        with self.transaction() as conn:
            return read_history(conn, name, limit)

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
        with self.transaction() as conn:
            scenarios = [self._load(conn, n) for n in names]
        return compare(scenarios)
