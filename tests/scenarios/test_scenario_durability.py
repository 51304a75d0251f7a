"""Saves that fail half-way or are killed lose nothing saved before, and several processes saving at
once (on SQLite and on a real PostgreSQL) all land.

PostgreSQL: set PLANNER_TEST_POSTGRES_URL (``.ci/run`` starts a server and sets it).
Without it the PostgreSQL cases skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa

from planner.scenarios.errors import ScenarioExists
from planner.scenarios.schema import MIGRATIONS
from planner.scenarios.store import ScenarioStore
from tests.scenarios.scenario_data import assert_same, big_scenario, make_scenario

ROOT = Path(__file__).resolve().parents[2]
LATEST = MIGRATIONS[-1].version


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
sys.path.insert(0, {root!r})
import sqlalchemy as sa
from planner.scenarios.store import ScenarioStore
from tests.scenarios.scenario_data import big_scenario
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
    code = _KILL_CHILD.format(root=str(ROOT), url=url)
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
sys.path.insert(0, {root!r})
import sqlalchemy as sa
from planner.scenarios.store import ScenarioStore
from tests.scenarios.scenario_data import big_scenario
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
            code = _LOOP_CHILD.format(root=str(ROOT), url=url, rows=rows, prefix=prefix)
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
