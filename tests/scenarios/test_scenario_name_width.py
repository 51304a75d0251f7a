"""Scenario names are one name whatever their Unicode width and case (NFKC and case folding), and a
database keyed the old way (case only) is migrated without losing a scenario."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.scenarios.errors import ScenarioExists
from planner.scenarios.names import MAX_KEY, MAX_NAME, name_key
from planner.scenarios.schema import MIGRATIONS
from planner.scenarios.store import ScenarioStore
from tests.scenarios.scenario_data import assert_same, make_scenario, save_as_written_by

FULL_WIDTH = "Ｑ３ ｐｌａｎ"  # U+FF31 U+FF13 U+3000 ...: what a Japanese keyboard types for "Q3 plan"


def test_width_case_and_compatibility_forms_share_a_key():
    same = ["Q3 plan", "q3 PLAN", FULL_WIDTH, "Ｑ３\u3000ｐｌａｎ", "Q3\u00a0plan", " Q3 plan\u3000"]
    assert {name_key(n) for n in same} == {"q3 plan"}
    assert name_key("Straße") == name_key("STRASSE") == name_key("ＳＴＲＡＳＳＥ")
    assert name_key("ﬁnal") == name_key("final")  # the ligature fi
    assert len({name_key(n) for n in ["Q3 plan", "Q4 plan", "Q3 plans", "Q3  plan"]}) == 4


def test_a_key_never_outgrows_its_column():
    name = "\ufdfa" * MAX_NAME  # each expands to 18 characters under NFKC
    key = name_key(name)
    assert len(key) == MAX_KEY and key == name_key(name)
    assert key != name_key("\ufdfa" * (MAX_NAME - 1) + "x")


def test_the_store_says_a_full_width_name_is_taken_and_replaces_it_when_asked(store):
    store.save(make_scenario("Q3 plan"))
    with pytest.raises(ScenarioExists, match="A scenario named 'Q3 plan' is already saved"):
        store.save(make_scenario(FULL_WIDTH))
    assert store.exists(FULL_WIDTH) and store.load("ｑ３ PLAN").name == "Q3 plan"
    store.save(make_scenario(FULL_WIDTH, budget=50_000.0), overwrite=True)
    assert store.names() == [FULL_WIDTH] and store.load("Q3 plan").budget == 50_000.0
    store.save(make_scenario("Other"))
    with pytest.raises(ScenarioExists):
        store.rename("Other", "q3 plan")
    assert store.rename(FULL_WIDTH, "Q3 plan") == "Q3 plan"  # its own name in another width
    assert set(store.names()) == {"Q3 plan", "Other"}


def _save_keyed_by_case(store: ScenarioStore, name: str, **kw) -> None:
    """A scenario as the planner of schema 2 keyed it: its name case-folded, width kept."""
    save_as_written_by(store.engine, make_scenario(name, **kw), version=2, key=name.casefold())


def test_migration_3_keys_names_by_width_and_keeps_both_of_a_clashing_pair(url):
    with ScenarioStore(url, migrations=MIGRATIONS[:2]) as old:
        assert old.schema_version() == 2
        first = make_scenario("Q3 plan")
        save_as_written_by(old.engine, first, version=2)
        _save_keyed_by_case(old, FULL_WIDTH, budget=50_000.0)  # saved later: the two were two scenarios
        _save_keyed_by_case(old, "ＡＢＣ")
        _save_keyed_by_case(old, "Ｑ３ ｐｌａｎ (2)", budget=40_000.0)  # the name the clash would take first
    with ScenarioStore(url) as store:
        assert store.schema_version() == MIGRATIONS[-1].version >= 3
        names = set(store.names())
        assert names == {"Q3 plan", "Ｑ３ ｐｌａｎ (3)", "ＡＢＣ", "Ｑ３ ｐｌａｎ (2)"}
        assert_same(store.load("q3 plan"), first)  # the oldest keeps its name; checksums still hold
        assert store.load(FULL_WIDTH + " (3)").budget == 50_000.0
        assert store.load("Q3 plan (2)").budget == 40_000.0
        assert store.load("abc").name == "ＡＢＣ"
        with sa.create_engine(store.url).connect() as conn:
            keys = set(conn.execute(sa.text("SELECT name_key FROM planner_scenarios")).scalars())
        assert keys == {name_key(n) for n in names}
