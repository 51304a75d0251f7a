"""The command-line tests run ``planner.cli.main.main`` in this process (tests/cli/cli_run.py)."""

from __future__ import annotations

import functools

import pytest

from tests.cli.cli_run import run_cli


@pytest.fixture
def cli(capsys):
    """``cli("optimize", "--curves", path, ...)`` runs the command line and returns its Run."""
    return functools.partial(run_cli, capsys)
