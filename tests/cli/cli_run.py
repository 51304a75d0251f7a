"""The command line run in this process: ``planner.cli.main.main([...])`` with its output captured."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from planner.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"


@dataclass(frozen=True)
class Run:
    """What a run of the command line gave: its exit status and what it printed (as a process would)."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(capsys, *args) -> Run:
    """``python -m planner ARGS`` in this process; ``--help`` and argparse's refusals exit as they would."""
    capsys.readouterr()  # what was printed before is not this run's
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return Run(code, out, err)


def fit_once(*args) -> None:
    """Run ``fit`` for a module's fixture (no capsys there); it must succeed."""
    code = main(["fit", *map(str, args)])
    assert code == 0
