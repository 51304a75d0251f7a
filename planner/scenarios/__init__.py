"""Saved scenarios: plans kept under a name in SQLite or PostgreSQL, listed, loaded and compared.

- :mod:`planner.scenarios.scenario`: the :class:`Scenario` (a named plan and what it was made from);
- :mod:`planner.scenarios.store`: the :class:`ScenarioStore` (save, list, load, rename, delete, compare, history);
- :mod:`planner.scenarios.access`: who acts (:class:`Person`) and who may change a scenario (its owner, an admin);
- :mod:`planner.scenarios.audit`: the record of who changed which scenario, when;
- :mod:`planner.scenarios.connection`: the database, its transactions and migrations;
- :mod:`planner.scenarios.schema`: the database's tables and migrations;
- :mod:`planner.scenarios.frames`: tables as exact JSON text;
- :mod:`planner.scenarios.names`: names, their unique keys and the data's fingerprint;
- :mod:`planner.scenarios.comparison`: scenarios side by side, as numbers and as text;
- :mod:`planner.scenarios.errors`: what can go wrong, one sentence each.

The app and the README use the names below::

    from planner.scenarios import Scenario, ScenarioStore
"""

from planner.scenarios.access import LOCAL, SINGLE_USER, Person, admins_from, person
from planner.scenarios.comparison import (
    SECTION_NET_REVENUE,
    SECTION_NET_SPEND,
    SECTION_ROW_SPEND,
    SECTION_TOTALS,
    compare,
    comparison_text,
)
from planner.scenarios.database import resolve_url
from planner.scenarios.errors import NotYours, ScenarioError, ScenarioExists, ScenarioNotFound, StoreError
from planner.scenarios.names import MAX_NAME, data_fingerprint
from planner.scenarios.scenario import Scenario
from planner.scenarios.store import ScenarioStore

__all__ = [
    "Scenario", "ScenarioStore", "ScenarioError", "ScenarioExists", "ScenarioNotFound", "StoreError", "NotYours",
    "Person", "SINGLE_USER", "LOCAL", "person", "admins_from",
    "MAX_NAME", "data_fingerprint", "resolve_url", "compare", "comparison_text",
    "SECTION_TOTALS", "SECTION_NET_SPEND", "SECTION_NET_REVENUE", "SECTION_ROW_SPEND",
]
