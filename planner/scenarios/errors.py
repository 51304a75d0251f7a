"""What can go wrong with a saved scenario: each error's message is one sentence for the user."""

from __future__ import annotations

from planner.base.errors import InputError

__all__ = ["ScenarioError", "ScenarioExists", "ScenarioNotFound", "StoreError", "NotYours"]


class ScenarioError(InputError):
    """A scenario operation a user asked for cannot be done; the message says why."""


class ScenarioExists(ScenarioError):
    """A scenario of that name (ignoring case) is already saved."""


class ScenarioNotFound(ScenarioError):
    """No scenario of that name is saved."""


class StoreError(ScenarioError):
    """The scenario database cannot be opened or used."""


class NotYours(ScenarioError):
    """The scenario belongs to someone else: only its owner or an admin may replace, rename or delete it."""
