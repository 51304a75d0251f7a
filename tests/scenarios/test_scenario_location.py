"""Where scenarios are kept is said as a kind ("Team database (PostgreSQL)"), never as a host, user,
password, database name or file; a driver's message loses them too."""

from __future__ import annotations

from planner.scenarios.database import resolve_url, store_kind, without_location
from planner.scenarios.store import ScenarioStore

PG = "postgresql+psycopg://alice:hunter2@db.internal.example:5432/plans_prod"


def test_the_kind_of_store_is_all_a_visitor_reads(tmp_path):
    assert store_kind(PG) == "Team database (PostgreSQL)"
    assert store_kind(resolve_url("postgres://a@h/d")) == "Team database (PostgreSQL)"
    assert store_kind(resolve_url(path=tmp_path / "s.db")) == "This computer (SQLite)"
    assert store_kind("mysql://u@h/d") == "A mysql database"
    assert store_kind("no url at all") == "The scenario database"
    with ScenarioStore(path=tmp_path / "private" / "s.db") as store:
        assert store.kind == "This computer (SQLite)"
        assert "private" in store.location  # the server's log may say where; a visitor reads store.kind


def test_driver_messages_lose_host_user_password_database_and_addresses():
    said = ('connection to server at "db.internal.example" (10.1.2.3), port 5432 failed: FATAL:  password '
            'authentication failed for user "alice"; database plans_prod; tried [fe80::1] and ::1; '
            f"url {PG}; hunter2")
    out = without_location(said, PG)
    for secret in ("db.internal.example", "10.1.2.3", "alice", "plans_prod", "fe80::1", "::1", "hunter2"):
        assert secret not in out, (secret, out)
    assert out.startswith('connection to server at "…" (…), port 5432 failed: FATAL:  password authentication')
    sqlite = resolve_url(path="/home/ann/.planner/scenarios.db")
    assert "/home/ann" not in without_location("unable to open /home/ann/.planner/scenarios.db", sqlite)
    assert without_location("database is locked at 12:30", sqlite) == "database is locked at 12:30"
