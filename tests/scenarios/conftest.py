"""The databases of the scenario tests: a fresh SQLite file, and a fresh schema of a real PostgreSQL.

PostgreSQL: set PLANNER_TEST_POSTGRES_URL (``.ci/run`` starts a server and sets it).
Without it the PostgreSQL cases skip, except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from planner.scenarios.database import resolve_url
from planner.scenarios.store import ScenarioStore

PG_URL = os.environ.get("PLANNER_TEST_POSTGRES_URL", "").strip()
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


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
