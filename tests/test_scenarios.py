"""The scenario store on SQLite and on a real PostgreSQL: exact round trips, unique names,
rename/delete/compare, versioned schema, concurrent saves from several processes, and
saves killed half-way that lose nothing saved before.

PostgreSQL: set PLANNER_TEST_POSTGRES_URL (``.ci/run`` starts a server and sets it).
Without it the PostgreSQL cases skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from planner.optimize.solver import optimize
from planner.scenarios import store as scenarios_module
from planner.scenarios.store import (
    ENV_PATH,
    ENV_URL,
    MIGRATIONS,
    TOTALS,
    Migration,
    Scenario,
    ScenarioError,
    ScenarioExists,
    ScenarioNotFound,
    ScenarioStore,
    StoreError,
    clean_name,
    compare,
    comparison_text,
    data_fingerprint,
    decode_frame,
    encode_frame,
    resolve_url,
)

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
PG_URL = os.environ.get("PLANNER_TEST_POSTGRES_URL", "").strip()
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# ----------------------------------------------------------------------------- data


def small_curves() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["Instagram", "Instagram/@maya.bakes", "TikTok", "TikTok/@lena.bakes", '=HYPERLINK("x")'],
        "network": ["Instagram", "Instagram", "TikTok", "TikTok", "Pinterest"],
        "curve": ["hill", "log", "logistic", "hill", "log"],
        "beta": [60000.0, 9000.0, 40000.0, 15000.0, 12000.0],
        "k": [20000.0, 1500.0, 9000.0, 2500.0, 4000.0],
        "s": [1.6, np.nan, np.nan, 1.2, np.nan],
        "min_spend": [0.0, 0.0, 1000.0, 0.0, 0.0],
        "max_spend": [np.inf, 12000.0, np.inf, 9000.0, np.inf],
        "unit_cost": [np.nan, np.nan, np.nan, 500.0, np.nan],
        "current_spend": [25000.0, 2000.0, 8000.0, 1500.0, 4000.0],
        "observed_max": [30000.0, 4000.0, 12000.0, 1000.0, 3000.0],
        "beta_p10": [48000.0, 7200.0, 32000.0, 12000.0, 9600.0],
        "beta_p90": [75000.0, 11250.0, 50000.0, 18750.0, 15000.0],
    })


def make_scenario(name: str, budget: float = 60000.0, **kw) -> Scenario:
    curves = small_curves()
    alloc = optimize(curves, budget, network_bounds=kw.pop("network_bounds", None))
    bounds = pd.DataFrame({"name": ["TikTok"], "network": ["TikTok"], "min_spend": [1000.0],
                           "max_spend": [np.nan], "lock": [False]})
    nb = pd.DataFrame({"network": ["Instagram"], "min_spend": [0.0], "max_spend": [80000.0]})
    return Scenario.from_allocation(name, alloc, curves, fingerprint=kw.pop("fingerprint", "f" * 64),
                                    bounds=kw.pop("bounds", bounds), network_bounds=kw.pop("nb", nb), **kw)


def big_scenario(name: str, rows: int = 2000, seed: int = 0) -> Scenario:
    """A large synthetic scenario whose content follows from (name, rows, seed) alone."""
    rng = np.random.default_rng(seed)
    names = [f"Net{i % 7}/@creator_{i:06d}" for i in range(rows)]
    nets = [f"Net{i % 7}" for i in range(rows)]
    curves = pd.DataFrame({"name": names, "network": nets, "curve": "log", "beta": rng.uniform(1e3, 1e5, rows),
                           "k": rng.uniform(1e2, 1e4, rows), "s": np.nan, "min_spend": 0.0, "max_spend": np.inf,
                           "unit_cost": np.nan, "current_spend": rng.uniform(0, 5e3, rows)})
    spend = np.round(rng.uniform(0, 5e3, rows), 2)
    table = pd.DataFrame({"name": names, "network": nets, "spend": spend, "response": spend * rng.uniform(1, 3, rows),
                          "marginal_return": rng.uniform(0.5, 2, rows), "binding": "",
                          "extrapolated": rng.uniform(size=rows) > 0.9})
    totals = {"total_spend": float(spend.sum()), "total_response": float(table["response"].sum())}
    return Scenario(name=name, created=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=seed),
                    fingerprint=f"seed-{seed}", curves=curves, budget=float(spend.sum()) + 1, objective="revenue",
                    margin=1.0, allocation=table, totals=totals)


def assert_same(a: Scenario, b: Scenario) -> None:
    assert a.name == b.name
    assert a.created == b.created
    assert (a.fingerprint, a.budget, a.objective, a.margin, a.note) == (b.fingerprint, b.budget, b.objective,
                                                                         b.margin, b.note)
    assert (a.engagement_weight, a.max_creators) == (b.engagement_weight, b.max_creators)
    for k in TOTALS:
        assert a.totals[k] == b.totals[k] or (np.isnan(a.totals[k]) and np.isnan(b.totals[k])), k
    pd.testing.assert_frame_equal(a.curves, b.curves, check_exact=True)
    pd.testing.assert_frame_equal(a.allocation, b.allocation, check_exact=True)
    for what in ("bounds", "network_bounds"):
        x, y = getattr(a, what), getattr(b, what)
        assert (x is None) == (y is None), what
        if x is not None:
            pd.testing.assert_frame_equal(x, y, check_exact=True)
    assert a.same_as(b)


# ----------------------------------------------------------------------------- stores


def _pg_url() -> str:
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI must test the scenario store on PostgreSQL, but PLANNER_TEST_POSTGRES_URL is not set "
                        "(.ci/run starts a server and sets it).")
        pytest.skip("PostgreSQL tests need PLANNER_TEST_POSTGRES_URL, e.g. postgresql://user@127.0.0.1:5432/db "
                    "(.ci/run sets it).")
    return PG_URL


@pytest.fixture
def pg_schema_url():
    """A URL whose connections use a fresh PostgreSQL schema of their own; dropped afterwards."""
    url = _pg_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(resolve_url(url))
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {url} is not reachable: {exc.orig}")
    u = sa.engine.make_url(resolve_url(url))
    scoped = u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    yield scoped
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return resolve_url(path=tmp_path / "store" / "scenarios.db")
    return request.getfixturevalue("pg_schema_url")


@pytest.fixture
def store(url):
    s = ScenarioStore(url)
    yield s
    s.close()


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


def test_compare_side_by_side(store):
    a = make_scenario("Base", 60000)
    b = make_scenario("More", 90000, nb=None, bounds=None)
    store.save(a)
    store.save(b)
    df = store.compare(["More", "base"])
    assert list(df.columns) == ["More", "Base"]
    assert df.loc[("Totals", "Budget")].tolist() == [90000, 60000]
    assert df.loc[("Totals", "Expected revenue"), "Base"] == a.totals["total_response"]
    assert df.loc[("Totals", "ROAS"), "More"] == pytest.approx(b.total_response / b.total_spend)
    assert df.loc[("Totals", "Expected revenue, P10"), "Base"] == a.totals["response_p10"]
    by_net = a.allocation.groupby("network")["spend"].sum()
    for net, spend in by_net.items():
        assert df.loc[("Spend by network", net), "Base"] == pytest.approx(spend)
    rows = df.xs("Spend by row", level="section")
    assert rows["Base"].tolist() == a.allocation["spend"].tolist()
    text = comparison_text(df, "Totals")
    assert text.columns[-1] == "Difference (Base \u2212 More)"
    assert text.loc["Budget"].tolist() == ["$90,000", "$60,000", "-$30,000"]
    with pytest.raises(ScenarioNotFound):
        store.compare(["Base", "Missing"])


def test_compare_keeps_rows_only_some_scenarios_have(store):
    a = make_scenario("A")
    c = small_curves().iloc[:3]
    b = Scenario.from_allocation("B", optimize(c, 30000), c)
    store.save(a)
    store.save(b)
    df = store.compare(["A", "B"])
    assert np.isnan(df.loc[("Spend by row", "TikTok/@lena.bakes"), "B"])
    assert np.isnan(df.loc[("Spend by network", "Pinterest"), "B"])
    text = comparison_text(df, "Spend by network")
    assert text.loc["Pinterest", "B"] == "\u2014"
    assert text.loc["Pinterest"].iloc[-1] == "-" + text.loc["Pinterest", "A"]  # all of it gone


# ----------------------------------------------------------------------------- user mistakes


@pytest.mark.parametrize("name,needle", [
    ("", "A scenario needs a name."),
    ("   ", "A scenario needs a name."),
    ("a\tb", "control characters"),
    ("x" * 121, "at most 120 characters; this one has 121"),
    (12, "must be text"),
])
def test_bad_names_are_one_sentence(name, needle):
    with pytest.raises(ScenarioError) as info:
        clean_name(name)
    msg = str(info.value)
    assert needle in msg and msg.endswith(".") and "\n" not in msg


def test_names_keep_any_printable_text(store):
    for name in ['=HYPERLINK("evil")', "+1", "Q3 🎯 plan", "Ünïcödé / 计划"]:
        store.save(make_scenario(name))
        assert store.load(name).name == name


def test_an_unreachable_database_is_one_sentence(tmp_path):
    with pytest.raises(StoreError) as info:
        ScenarioStore("postgresql://nobody@127.0.0.1:1/none")
    msg = str(info.value)
    assert msg.startswith("The scenario database postgresql+psycopg://nobody@127.0.0.1:1/none could not be used")
    assert "\n" not in msg
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot be created"):
        ScenarioStore(path=blocker / "sub" / "s.db")
    with pytest.raises(StoreError, match="is not a database URL"):
        ScenarioStore("not a url")


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


def test_fingerprint_of_several_files_ignores_their_order():
    assert data_fingerprint(["b", "a"]) == data_fingerprint(["a", "b"]) != data_fingerprint(["a"])
    assert data_fingerprint(["abc"]) == "abc" and data_fingerprint([]) == ""


@pytest.mark.parametrize("df", [
    pd.DataFrame({"x": [1.0, np.nan, np.inf, -np.inf, 0.1 + 0.2, 1e-300, -0.0]}),
    pd.DataFrame({"i": [1, 2, 3], "b": [True, False, True], "s": ["a", None, "=1+1"]}),
    pd.DataFrame({"d": pd.to_datetime(["2025-01-06", None, "2025-03-31"])}),
    pd.DataFrame({"Min spend": [1.0, 2.0]}, index=pd.Index(["Instagram", "TikTok"], name="Name")),
    pd.DataFrame({"o": ["a", 1, 2.5, None, True]}, dtype=object),
    pd.DataFrame(),
])
def test_frame_codec_is_exact(df):
    back = decode_frame(encode_frame(df))
    pd.testing.assert_frame_equal(back, df, check_exact=True, check_index_type=False,
                                  check_column_type=False)
    assert decode_frame(None) is None and encode_frame(None) is None


# ----------------------------------------------------------------------------- the schema


LATEST = MIGRATIONS[-1].version


def test_schema_is_versioned_and_migrations_run_once(tmp_path):
    path = tmp_path / "s.db"
    with ScenarioStore(path=path) as store:
        assert store.schema_version() == LATEST == 2
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
    assert [r[0] for r in con.execute("SELECT version FROM planner_schema ORDER BY version")] == [1, 2, 3]
    assert "tag" in [r[1] for r in con.execute("PRAGMA table_info(planner_scenarios)")]
    con.close()
    # the planner of before refuses a database a newer planner wrote
    with pytest.raises(StoreError, match=r"written by a newer version of the planner \(schema 3; this one "
                                         r"knows up to 2\); update the planner\.$"):
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


def _save_as_schema_1(store: ScenarioStore, s: Scenario) -> None:
    """What the planner of schema 1 wrote for ``s``: its row without the columns schema 2 added."""
    scenarios, frames = scenarios_module._tables(sa.MetaData(), version=1)
    bodies = scenarios_module._frames(s)
    with store.engine.begin() as conn:
        new_id = conn.execute(sa.insert(scenarios).values(
            name=s.name, name_key=scenarios_module._key(s.name), created=s.created, fingerprint=s.fingerprint,
            budget=s.budget, objective=s.objective, margin=s.margin, n_rows=len(s.allocation), note=s.note,
            checksum=scenarios_module._checksum(s, bodies),
            **{k: (v if np.isfinite(v) else None) for k, v in s.totals.items()})).inserted_primary_key[0]
        conn.execute(sa.insert(frames), [{"scenario_id": new_id, "kind": k, "body": b}
                                         for k, b in bodies.items() if b is not None])


def test_schema_2_keeps_the_scenarios_saved_before_it(url):
    old = make_scenario("Saved in 2025")
    with ScenarioStore(url, migrations=MIGRATIONS[:1]) as store:
        assert store.schema_version() == 1
        _save_as_schema_1(store, old)
    with ScenarioStore(url) as store:
        assert store.schema_version() == 2
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


# ----------------------------------------------------------------------------- a save that fails half-way


def test_a_fault_between_statements_of_a_save_loses_nothing(store):
    first = make_scenario("Plan", 60000)
    store.save(first)
    store.save(make_scenario("Other", 50000))

    def fail(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO PLANNER_SCENARIO_FRAMES"):
            raise RuntimeError("the machine lost power")

    sa.event.listen(store.engine, "before_cursor_execute", fail)
    try:
        with pytest.raises(RuntimeError):
            store.save(make_scenario("Plan", 99000), overwrite=True)  # its old version was deleted first
        with pytest.raises(RuntimeError):
            store.save(make_scenario("New", 70000))
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", fail)
    assert sorted(store.names()) == ["Other", "Plan"]
    assert_same(store.load("Plan"), first)
    with store.engine.connect() as conn:
        orphans = conn.execute(sa.text(
            "SELECT count(*) FROM planner_scenario_frames f WHERE NOT EXISTS "
            "(SELECT 1 FROM planner_scenarios s WHERE s.id = f.scenario_id)")).scalar()
    assert orphans == 0
    store.save(make_scenario("New", 70000))  # nothing is left locked
    assert store.load("New").budget == 70000


_KILL_CHILD = """
import os, signal, sys
sys.path.insert(0, {tests!r}); sys.path.insert(0, {root!r})
import sqlalchemy as sa
from planner.scenarios.store import ScenarioStore
from test_scenarios import big_scenario
store = ScenarioStore({url!r})
def die(conn, cursor, statement, *args):
    if statement.lstrip().upper().startswith("INSERT INTO PLANNER_SCENARIO_FRAMES"):
        print("inserting tables", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
sa.event.listen(store.engine, "before_cursor_execute", die)
store.save(big_scenario("Half-saved", rows=5000, seed=99), overwrite=True)
print("saved", flush=True)
"""


def test_a_process_killed_inside_the_save_transaction_loses_nothing(url):
    with ScenarioStore(url) as store:
        earlier = [big_scenario(f"Earlier {i}", rows=300, seed=i) for i in range(3)]
        for s in earlier:
            store.save(s)
        store.save(big_scenario("Half-saved", rows=300, seed=50))  # to be overwritten by the killed save
    code = _KILL_CHILD.format(tests=str(TESTS), root=str(ROOT), url=url)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert "inserting tables" in r.stdout and "saved" not in r.stdout.replace("inserting tables", "")
    with ScenarioStore(url) as store:
        assert sorted(store.names()) == ["Earlier 0", "Earlier 1", "Earlier 2", "Half-saved"]
        for s in earlier:
            assert_same(store.load(s.name), s)
        assert_same(store.load("Half-saved"), big_scenario("Half-saved", rows=300, seed=50))
        store.save(big_scenario("After", rows=10, seed=7))
        assert store.exists("After")
    if url.startswith("sqlite"):
        con = sqlite3.connect(sa.engine.make_url(url).database)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()


_LOOP_CHILD = """
import sys, time
sys.path.insert(0, {tests!r}); sys.path.insert(0, {root!r})
import sqlalchemy as sa
from planner.scenarios.store import ScenarioStore
from test_scenarios import big_scenario
store = ScenarioStore({url!r})
def slow_disk(conn, cursor, statement, *args):  # every statement of a save takes a while
    if "planner_scenario" in statement:
        time.sleep(0.04)
sa.event.listen(store.engine, "before_cursor_execute", slow_disk)
i = 0
while True:
    store.save(big_scenario(f"{prefix} {{i}}", rows={rows}, seed=i))
    print(i, flush=True)
    i += 1
"""


def test_a_save_killed_at_a_random_moment_loses_nothing(url):
    """Processes saving large scenarios one after another are SIGKILLed at random moments."""
    rows = 20000
    rng = np.random.default_rng()
    with ScenarioStore(url) as store:
        for round_ in range(4):
            prefix = f"Round{round_}"
            code = _LOOP_CHILD.format(tests=str(TESTS), root=str(ROOT), url=url, rows=rows, prefix=prefix)
            proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
            try:
                deadline = time.monotonic() + 120
                while (sum(n.startswith(prefix) for n in store.names()) < 1 and time.monotonic() < deadline
                       and proc.poll() is None):
                    time.sleep(0.02)
                time.sleep(float(rng.uniform(0.0, 0.6)))  # most of a save's time is inside its transaction
            finally:
                proc.send_signal(signal.SIGKILL)
                _out, err = proc.communicate(timeout=60)
            assert proc.returncode == -signal.SIGKILL, err
            names = [n for n in store.names() if n.startswith(prefix)]
            assert names, err
            for name in names:  # every scenario listed is whole and exactly what was saved
                i = int(name.split()[1])
                assert_same(store.load(name), big_scenario(name, rows=rows, seed=i))
            assert sorted(int(n.split()[1]) for n in names) == list(range(len(names)))
        store.save(big_scenario("After", rows=10, seed=1))  # no lock is left behind
        assert store.exists("After")


# ----------------------------------------------------------------------------- two sessions at once


def _save_many(url: str, prefix: str, n: int, barrier, open_first: bool = True) -> list[str]:
    if open_first:  # the race is between the saves, not the opening
        store = ScenarioStore(url)
        barrier.wait(timeout=120)
    else:  # the race starts with opening (and so creating) the database
        barrier.wait(timeout=120)
        store = ScenarioStore(url)
    done = []
    for i in range(n):
        store.save(big_scenario(f"{prefix} {i}", rows=200, seed=i))
        done.append(f"{prefix} {i}")
    store.close()
    return done


def _save_same(url: str, barrier) -> str:
    store = ScenarioStore(url)
    barrier.wait(timeout=120)
    try:
        store.save(big_scenario("Contested", rows=200, seed=os.getpid() % 1000))
        return "saved"
    except ScenarioExists as exc:
        return str(exc)
    finally:
        store.close()


def test_two_processes_saving_at_once_both_land(url):
    ScenarioStore(url).close()  # the schema exists; the race is between saves
    ctx = mp.get_context("spawn")
    n = 12
    with ctx.Manager() as manager:
        barrier = manager.Barrier(2)
        with ctx.Pool(2) as pool:
            jobs = [pool.apply_async(_save_many, (url, who, n, barrier)) for who in ("Alice", "Bob")]
            results = [j.get(timeout=300) for j in jobs]
    assert [len(r) for r in results] == [n, n]
    with ScenarioStore(url) as store:
        names = store.names()
        assert sorted(names) == sorted(results[0] + results[1])
        for name in names:
            assert_same(store.load(name), big_scenario(name, rows=200, seed=int(name.split()[1])))


def test_two_processes_saving_one_name_at_once_one_wins(url):
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(4)
        with ctx.Pool(4) as pool:
            jobs = [pool.apply_async(_save_same, (url, barrier)) for _ in range(4)]
            results = [j.get(timeout=300) for j in jobs]
    assert results.count("saved") == 1, results
    assert all(r.startswith("A scenario named 'Contested' is already saved") for r in results if r != "saved")
    with ScenarioStore(url) as store:
        assert store.names() == ["Contested"]


def _overwrite_same(url: str, seed: int, barrier) -> str:
    store = ScenarioStore(url)
    barrier.wait(timeout=120)
    for _ in range(5):
        store.save(big_scenario("Shared", rows=300, seed=seed), overwrite=True)
    store.close()
    return "saved"


def test_processes_replacing_one_name_at_once_leave_one_whole_version(url):
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(3)
        with ctx.Pool(3) as pool:
            jobs = [pool.apply_async(_overwrite_same, (url, seed, barrier)) for seed in (1, 2, 3)]
            assert [j.get(timeout=300) for j in jobs] == ["saved"] * 3
    with ScenarioStore(url) as store:
        assert store.names() == ["Shared"]
        got = store.load("Shared")
        assert any(got.same_as(big_scenario("Shared", rows=300, seed=seed)) for seed in (1, 2, 3))
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM planner_scenario_frames")).scalar() == 2


def test_opening_a_new_database_from_several_processes_at_once(url):
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(3)
        with ctx.Pool(3) as pool:
            jobs = [pool.apply_async(_save_many, (url, f"P{i}", 2, barrier, False)) for i in range(3)]
            results = [j.get(timeout=300) for j in jobs]
    with ScenarioStore(url) as store:
        assert store.schema_version() == LATEST
        assert sorted(store.names()) == sorted(sum(results, []))


# ----------------------------------------------------------------------------- the comparison chart


def test_comparison_chart_draws_every_scenario_per_network():
    from planner.report.charts import scenario_comparison
    from planner.scenarios.store import compare

    a, b = make_scenario("Lean", 30000), make_scenario("Bold", 90000)
    table = compare([a, b])
    spec = scenario_comparison(table).to_dict()
    assert spec["title"]["text"] == "Spend per network in each scenario"
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Lean: $30k spent" in subtitle and "Bold: $90k spent" in subtitle and "P10-P90" in subtitle
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["yOffset"]["sort"] == ["Lean", "Bold"]
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Lean", "Bold"]
    values = spec["data"]["values"] if "values" in spec.get("data", {}) else next(iter(spec["datasets"].values()))
    got = {(v["scenario"], v["network"]): v["value"] for v in values}
    for s in (a, b):
        for net, spend in s.network_table.set_index("network")["spend"].items():
            assert got[(s.name, net)] == pytest.approx(spend)
    order = spec["encoding"]["y"]["sort"]
    biggest = max(got, key=got.get)[1]
    assert order[0] == biggest
    tips = {t["title"] for t in spec["encoding"]["tooltip"]}
    assert {"Scenario", "Network", "Spend", "Expected revenue", "Return per $1"} <= tips
    revenue = scenario_comparison(table, "response").to_dict()
    values = revenue["data"]["values"] if "values" in revenue.get("data", {}) else next(
        iter(revenue["datasets"].values()))
    assert {(v["scenario"], v["network"]): v["value"] for v in values}[("Bold", "Instagram")] == pytest.approx(
        b.network_table.set_index("network").loc["Instagram", "response"])


def test_comparison_chart_of_nothing_says_so():
    from planner.report.charts import scenario_comparison

    spec = scenario_comparison(pd.DataFrame()).to_dict()
    assert spec["mark"]["type"] == "text"
    assert "No scenarios to compare" in json.dumps(spec)
    with pytest.raises(ValueError, match="measure must be"):
        scenario_comparison(pd.DataFrame(), "profit")


def test_an_in_memory_store_keeps_what_it_saved():
    with ScenarioStore("sqlite://") as store:
        store.save(make_scenario("A"))
        assert store.names() == ["A"] and store.schema_version() == LATEST
