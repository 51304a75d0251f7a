"""The scenario store on SQLite and on a real PostgreSQL: exact round trips, unique names,
rename/delete, user mistakes in one sentence, and where the store lives.

PostgreSQL: set PLANNER_TEST_POSTGRES_URL (``.ci/run`` starts a server and sets it).
Without it the PostgreSQL cases skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from planner.optimize import optimize
from planner.scenarios.comparison import compare, comparison_text
from planner.scenarios.database import ENV_PATH, ENV_URL, resolve_url
from planner.scenarios.errors import ScenarioError, ScenarioExists, ScenarioNotFound, StoreError
from planner.scenarios.scenario import Scenario
from planner.scenarios.schema import MIGRATIONS
from planner.scenarios.store import ScenarioStore
from tests.scenarios.scenario_data import assert_same, make_scenario, small_curves

LATEST = MIGRATIONS[-1].version


# ----------------------------------------------------------------------------- round trips


def test_save_and_load_round_trip_exactly(store):
    s = make_scenario("Q3 plan", note="Finance asked for more TikTok")
    assert store.save(s) is s
    back = store.load("Q3 plan")
    assert_same(back, s)
    # every number exactly, the user's formula-like name as text, inf as inf
    assert back.curves["name"].iloc[4] == '=HYPERLINK("x")'
    assert np.isinf(back.curves["max_spend"].iloc[0])
    assert back.totals["total_response"] == s.totals["total_response"]
    assert back.allocation["extrapolated"].dtype == bool
    assert back.totals["response_p10"] < back.totals["total_response"] < back.totals["response_p90"]


def test_the_engagement_value_and_hire_limit_are_kept(store):
    curves = small_curves()
    alloc = optimize(curves, 60000.0, max_creators=1)
    s = Scenario.from_allocation("One creator", alloc, curves)
    assert s.max_creators == 1 and s.engagement_weight == 0.0
    store.save(s.replace(engagement_weight=0.04))
    back = store.load("One creator")
    assert (back.engagement_weight, back.max_creators) == (0.04, 1)
    assert_same(back, s.replace(engagement_weight=0.04))
    # they are part of what the checksum covers, and show in a comparison only where set
    assert not back.same_as(back.replace(max_creators=2))
    table = compare([back, make_scenario("Plain")])
    assert table.loc[("Totals", "Most creators to hire"), "One creator"] == 1
    assert np.isnan(table.loc[("Totals", "Most creators to hire"), "Plain"])
    assert table.loc[("Totals", "Value of one engagement"), "One creator"] == 0.04
    text = comparison_text(table, difference=False)
    assert "$0.04" in text.to_string()
    assert "Most creators to hire" not in compare([make_scenario("Plain")]).index.get_level_values("item")
    for bad, needle in ((-1.0, "engagement"), (float("nan"), "engagement")):
        with pytest.raises(ScenarioError, match=needle):
            s.replace(engagement_weight=bad)
    with pytest.raises(ScenarioError, match="whole number"):
        s.replace(max_creators=2.5)


def test_names_are_unique_ignoring_case_and_overwrite_is_explicit(store):
    store.save(make_scenario("Q3 plan", 60000))
    with pytest.raises(ScenarioExists, match=r"^A scenario named 'Q3 plan' is already saved; choose another"):
        store.save(make_scenario("q3 PLAN", 40000))
    assert store.load("q3 plan").budget == 60000  # untouched, found ignoring case
    replaced = make_scenario("q3 PLAN", 40000)
    store.save(replaced, overwrite=True)
    assert store.names() == ["q3 PLAN"]
    assert_same(store.load("Q3 plan"), replaced)


def test_list_newest_first_with_totals(store):
    t0 = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.timezone.utc)
    a = make_scenario("Base", 60000, created=t0)
    b = make_scenario("Stretch", 90000, created=t0 + dt.timedelta(hours=1))
    store.save(a)
    store.save(b)
    df = store.list()
    assert df["name"].tolist() == ["Stretch", "Base"]
    row = df.set_index("name").loc["Base"]
    assert row["created"] == pd.Timestamp(t0)
    assert row["budget"] == 60000 and row["objective"] == "revenue" and row["rows"] == len(a.allocation)
    assert row["total_spend"] == a.totals["total_spend"]
    assert row["total_response"] == a.totals["total_response"]
    assert row["roas"] == pytest.approx(a.roas)
    assert store.exists("stretch") and not store.exists("Nope")


def test_rename_and_delete(store):
    store.save(make_scenario("Draft", 50000))
    store.save(make_scenario("Other", 70000))
    assert store.rename("draft", "  Final plan ") == "Final plan"
    assert store.names() and set(store.names()) == {"Final plan", "Other"}
    assert store.load("final plan").budget == 50000
    with pytest.raises(ScenarioNotFound, match=r"^There is no saved scenario named 'Draft'\.$"):
        store.load("Draft")
    with pytest.raises(ScenarioExists):
        store.rename("Final plan", "OTHER")
    assert store.rename("Final plan", "FINAL PLAN") == "FINAL PLAN"  # a change of case only
    store.delete("final plan")
    assert store.names() == ["Other"]
    with pytest.raises(ScenarioNotFound):
        store.delete("Final plan")
    with store.engine.connect() as conn:  # its tables went with it
        kinds = conn.execute(sa.text("SELECT count(*) FROM planner_scenario_frames")).scalar()
    assert kinds == 4  # Other's curves, allocation, bounds and network bounds only


# ----------------------------------------------------------------------------- user mistakes


def test_names_keep_any_printable_text(store):
    for name in ['=HYPERLINK("evil")', "+1", "Q3 🎯 plan", "Ünïcödé / 计划"]:
        store.save(make_scenario(name))
        assert store.load(name).name == name


def test_an_unreachable_database_is_one_sentence_that_names_no_host_user_or_database(tmp_path):
    with pytest.raises(StoreError) as info:
        ScenarioStore("postgresql://nobody:hunter2@127.0.0.1:1/nonesuch")
    msg = str(info.value)
    assert msg.startswith("The scenario database (Team database (PostgreSQL)) could not be used (")
    assert "\n" not in msg
    for secret in ("nobody", "hunter2", "127.0.0.1", "nonesuch"):
        assert secret not in msg
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot be created") as info:
        ScenarioStore(path=blocker / "sub" / "s.db")
    assert str(tmp_path) not in str(info.value)
    with pytest.raises(StoreError, match="is not a database URL") as info:
        ScenarioStore("not a url with secret words")
    assert "secret" not in str(info.value)


def test_a_damaged_scenario_is_refused_not_returned(tmp_path):
    store = ScenarioStore(path=tmp_path / "s.db")
    store.save(make_scenario("A"))
    with store.engine.begin() as conn:
        body = conn.execute(sa.text("SELECT body FROM planner_scenario_frames WHERE kind='allocation'")).scalar()
        conn.execute(sa.text("UPDATE planner_scenario_frames SET body=:b WHERE kind='allocation'"),
                     {"b": body.replace("TikTok", "TikTak", 1)})
    with pytest.raises(StoreError, match=r"^The scenario 'A' is damaged in the database"):
        store.load("A")


# ----------------------------------------------------------------------------- where the store lives


def test_the_url_comes_from_arguments_then_the_environment(tmp_path):
    env = {}
    assert resolve_url(environ=env) == "sqlite:///" + str((Path.home() / ".planner" / "scenarios.db").resolve())
    env[ENV_PATH] = str(tmp_path / "team.db")
    assert resolve_url(environ=env) == f"sqlite:///{tmp_path / 'team.db'}"
    env[ENV_URL] = "postgresql://alice:secret@db.example/plans"
    assert resolve_url(environ=env) == "postgresql+psycopg://alice:secret@db.example/plans"
    assert resolve_url("postgres://a@h/d", environ=env) == "postgresql+psycopg://a@h/d"
    assert resolve_url(path=tmp_path / "x.db", environ=env) == f"sqlite:///{tmp_path / 'x.db'}"


def test_the_default_store_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "deep" / "folder" / "s.db"))
    with ScenarioStore() as store:
        store.save(make_scenario("A"))
    assert (tmp_path / "deep" / "folder" / "s.db").exists()
    with ScenarioStore(path=tmp_path / "deep" / "folder" / "s.db") as again:
        assert again.names() == ["A"]
    # the password never shows
    with pytest.raises(StoreError) as info:
        ScenarioStore("postgresql://bob:hunter2@127.0.0.1:1/x")
    assert "hunter2" not in str(info.value)


def test_an_in_memory_store_keeps_what_it_saved():
    with ScenarioStore("sqlite://") as store:
        store.save(make_scenario("A"))
        assert store.names() == ["A"] and store.schema_version() == LATEST
