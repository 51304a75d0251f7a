"""The scenario database's schema: versioned, migrated once, a failed migration changes nothing,
and scenarios saved under schema 1 still load.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
import sqlalchemy as sa

from planner.scenarios.errors import StoreError
from planner.scenarios.schema import MIGRATIONS, Migration
from planner.scenarios.store import ScenarioStore
from tests.scenarios.scenario_data import assert_same, make_scenario, save_as_written_by

LATEST = MIGRATIONS[-1].version


def test_schema_is_versioned_and_migrations_run_once(tmp_path):
    path = tmp_path / "s.db"
    with ScenarioStore(path=path) as store:
        assert store.schema_version() == LATEST >= 3
        store.save(make_scenario("Kept"))
    applied = []

    def add_tag(conn):
        applied.append(1)
        conn.execute(sa.text("ALTER TABLE planner_scenarios ADD COLUMN tag VARCHAR(20)"))

    newer = MIGRATIONS + (Migration(LATEST + 1, "a tag per scenario", add_tag),)
    with ScenarioStore(path=path, migrations=newer) as store:
        assert store.schema_version() == LATEST + 1
        assert_same(store.load("Kept"), make_scenario("Kept", created=store.load("Kept").created))
    with ScenarioStore(path=path, migrations=newer) as store:
        assert store.schema_version() == LATEST + 1
    assert applied == [1]
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT version FROM planner_schema ORDER BY version")] == list(range(1, LATEST + 2))
    assert "tag" in [r[1] for r in con.execute("PRAGMA table_info(planner_scenarios)")]
    con.close()
    # the planner of before refuses a database a newer planner wrote
    with pytest.raises(StoreError, match=rf"written by a newer version of the planner \(schema {LATEST + 1}; this one "
                                         rf"knows up to {LATEST}\); update the planner\.$"):
        ScenarioStore(path=path)


def test_a_failing_migration_changes_nothing(url):
    with ScenarioStore(url) as store:
        store.save(make_scenario("Kept"))

    def half_done(conn):
        conn.execute(sa.text("CREATE TABLE planner_extra (x INTEGER)"))
        conn.execute(sa.text("ALTER TABLE planner_scenarios ADD COLUMN tag VARCHAR(20)"))
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        ScenarioStore(url, migrations=MIGRATIONS + (Migration(LATEST + 1, "breaks", half_done),))
    with ScenarioStore(url) as store:
        assert store.schema_version() == LATEST
        assert store.names() == ["Kept"]
        insp = sa.inspect(store.engine)
        assert not insp.has_table("planner_extra")
        assert "tag" not in [c["name"] for c in insp.get_columns("planner_scenarios")]


def test_schema_2_keeps_the_scenarios_saved_before_it(url):
    old = make_scenario("Saved in 2025")
    with ScenarioStore(url, migrations=MIGRATIONS[:1]) as store:
        assert store.schema_version() == 1
        save_as_written_by(store.engine, old, version=1)
    with ScenarioStore(url) as store:
        assert store.schema_version() == LATEST
        back = store.load("Saved in 2025")  # its checksum still holds
        assert_same(back, old)
        assert back.engagement_weight == 0.0 and back.max_creators is None
        store.save(make_scenario("With limits").replace(engagement_weight=0.05, max_creators=3))
        new = store.load("With limits")
        assert (new.engagement_weight, new.max_creators) == (0.05, 3)
        assert set(store.names()) == {"With limits", "Saved in 2025"}
        listed = store.list().set_index("name")
        assert listed.loc["With limits", "engagement_weight"] == 0.05 and listed.loc["With limits", "max_creators"] == 3
        assert listed.loc["Saved in 2025", "engagement_weight"] == 0.0
        assert np.isnan(listed.loc["Saved in 2025", "max_creators"])
