"""Scenarios belong to a person: everyone reads every scenario, only its owner or an admin replaces, renames
or deletes it, and every change is recorded with who and when; on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.scenarios.access import LOCAL, SINGLE_USER, Person
from planner.scenarios.errors import NotYours, ScenarioError, ScenarioExists
from planner.scenarios.schema import MIGRATIONS
from planner.scenarios.store import ScenarioStore
from tests.scenarios.scenario_data import make_scenario, save_as_written_by

ANA = Person("ana@example.com")
BO = Person("bo@example.com")
ADMIN = Person("it@example.com", admin=True)


def _actions(store: ScenarioStore, name: str | None = None) -> list[tuple]:
    h = store.history(name)
    return list(zip(h["actor"], h["action"], h["name"], h["new_name"], h["owner"], strict=True))


def test_a_scenario_is_its_savers_and_everyone_reads_it(store):
    store.save(make_scenario("Ana's Q3"), by=ANA)
    store.save(make_scenario("Shared draft"))  # without sign-in
    listed = store.list().set_index("name")
    assert listed.loc["Ana's Q3", "owner"] == "ana@example.com"
    assert listed.loc["Shared draft", "owner"] == LOCAL
    assert store.owner("ana's q3") == "ana@example.com"
    # Bo lists, loads and compares Ana's scenario
    assert store.load("Ana's Q3").name == "Ana's Q3"
    assert list(store.compare(["Ana's Q3", "Shared draft"]).columns[:2]) == ["Ana's Q3", "Shared draft"]


def test_someone_else_cannot_replace_rename_or_delete_and_is_told_whose_it_is(store):
    store.save(make_scenario("Ana's Q3", budget=60_000.0), by=ANA)
    before = store.history()
    with pytest.raises(NotYours, match=r"^'Ana's Q3' is ana@example.com's scenario: only they or an admin can "
                                       r"rename it\. Save your own copy under another name instead\.$"):
        store.rename("Ana's Q3", "Bo's Q3", by=BO)
    with pytest.raises(NotYours, match="only they or an admin can delete it"):
        store.delete("ana's q3", by=BO)
    with pytest.raises(NotYours, match="only they or an admin can replace it"):
        store.save(make_scenario("ANA'S Q3", budget=10_000.0), overwrite=True, by=BO)
    # nothing changed, and a refused change is no change to record
    assert store.names() == ["Ana's Q3"] and store.load("Ana's Q3").budget == 60_000.0
    assert store.owner("Ana's Q3") == "ana@example.com"
    assert len(store.history()) == len(before) == 1
    # the owner may, whatever the case of her e-mail at sign-in
    assert store.rename("Ana's Q3", "Ana's final", by=Person("Ana@Example.COM")) == "Ana's final"
    store.delete("Ana's final", by=ANA)
    assert store.names() == []


def test_an_admin_changes_anyones_scenario_and_it_stays_its_owners(store):
    store.save(make_scenario("Bo's plan", budget=60_000.0), by=BO)
    store.save(make_scenario("bo's PLAN", budget=45_000.0), overwrite=True, by=ADMIN)
    assert store.load("Bo's plan").budget == 45_000.0
    assert store.owner("Bo's plan") == "bo@example.com"  # an admin's fix does not take it over
    store.rename("bo's PLAN", "Bo's fixed plan", by=ADMIN)
    assert store.owner("Bo's fixed plan") == "bo@example.com"
    store.delete("Bo's fixed plan", by=ADMIN)
    assert store.names() == []
    assert _actions(store) == [
        ("it@example.com", "delete", "Bo's fixed plan", "", "bo@example.com"),
        ("it@example.com", "rename", "bo's PLAN", "Bo's fixed plan", "bo@example.com"),
        ("it@example.com", "replace", "bo's PLAN", "", "bo@example.com"),
        ("bo@example.com", "save", "Bo's plan", "", "bo@example.com"),
    ]


def test_every_change_is_recorded_with_who_and_when_and_a_failed_one_is_not(store):
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    store.save(make_scenario("Draft"), by=ANA)
    with pytest.raises(ScenarioExists):
        store.save(make_scenario("draft"), by=BO)  # the name is taken: nothing saved, nothing recorded
    store.save(make_scenario("Draft", budget=70_000.0), overwrite=True, by=ANA)
    store.rename("Draft", "Final", by=ANA)
    store.save(make_scenario("Other"), by=BO)
    store.delete("Final", by=ANA)
    h = store.history()
    assert list(h.columns) == ["at", "actor", "action", "name", "new_name", "owner"]
    assert h["action"].tolist() == ["delete", "save", "rename", "replace", "save"]
    assert h["actor"].tolist() == ["ana@example.com", "bo@example.com", "ana@example.com", "ana@example.com",
                                   "ana@example.com"]
    assert str(h["at"].dt.tz) == "UTC"
    assert h["at"].is_monotonic_decreasing and h["at"].min() >= start
    assert h["at"].max() <= dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)
    # one scenario's changes follow it through its rename; the newest few
    assert [a[1] for a in _actions(store, "final")] == ["delete", "rename", "replace", "save"]
    assert [a[1] for a in _actions(store, "Draft")] == ["rename", "replace", "save"]
    assert store.history(limit=2)["action"].tolist() == ["delete", "save"]
    store.save(make_scenario("Final"), by=BO)  # a new scenario of an old name: a history of its own
    assert _actions(store, "Final")[0][:3] == ("bo@example.com", "save", "Final") and len(store.history("Final")) == 1


def test_scenarios_saved_before_owners_are_locals_and_only_an_admin_changes_them_once_signed_in(url):
    old = make_scenario("Saved in 2025")
    with ScenarioStore(url, migrations=MIGRATIONS[:3]) as store:
        assert store.schema_version() == 3
        save_as_written_by(store.engine, old, version=2)
    with ScenarioStore(url) as store:
        assert store.schema_version() == MIGRATIONS[-1].version >= 4
        assert store.list()["owner"].tolist() == [LOCAL]
        assert store.history().empty  # nothing recorded before the record began
        with pytest.raises(NotYours, match=r"^'Saved in 2025' was saved before sign-in was set up: only an admin "
                                           r"can delete it\."):
            store.delete("Saved in 2025", by=ANA)
        store.rename("Saved in 2025", "Kept from 2025", by=SINGLE_USER)  # the planner without sign-in: its own
        store.delete("Kept from 2025", by=ADMIN)
        assert store.names() == []
        assert store.history()["owner"].tolist() == [LOCAL, LOCAL]


def test_the_store_never_guesses_who_acts(store):
    store.save(make_scenario("Plan"), by=ANA)
    for by in ("ana@example.com", None):
        with pytest.raises(ScenarioError, match="needs the person who makes it"):
            store.delete("Plan", by=by)
        with pytest.raises(ScenarioError, match="needs the person who makes it"):
            store.save(make_scenario("Another"), by=by)
    assert store.names() == ["Plan"]
