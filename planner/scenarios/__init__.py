"""Saved scenarios: plans kept under a name in SQLite or PostgreSQL, listed, loaded and compared."""

from planner.scenarios.store import (
    Scenario,
    ScenarioError,
    ScenarioExists,
    ScenarioNotFound,
    ScenarioStore,
    StoreError,
)

__all__ = ["Scenario", "ScenarioStore", "ScenarioError", "ScenarioExists", "ScenarioNotFound", "StoreError"]
