"""Errors a user can cause, under one base class.

Every error a user's input or choices can cause derives from :class:`PlannerError`, so the app
and the command line catch that one class and show its message (one sentence naming the sheet,
row and column where there is one). Anything else is a bug in the planner and is not dressed
up as a polite sentence.

- :class:`InputError`: what the user gave cannot be used (a damaged file, a curve table
  missing a column, a negative budget). Also a ``ValueError`` for callers that catch that.
- :class:`InfeasibleError`: the input is valid but no plan meets every bound.
"""

from __future__ import annotations

__all__ = ["PlannerError", "InputError", "InfeasibleError"]


class PlannerError(Exception):
    """Base class of every error a user can cause; its message is meant for the user."""


class InputError(PlannerError, ValueError):
    """Input that cannot be used: the message says what, and where (sheet, row, column)."""


class InfeasibleError(PlannerError):
    """Valid input, but no plan meets every bound (budget, per-row and per-network limits)."""
