"""Every command the README gives a user runs as written: the command line's examples in order (each one's
files feed the next) and the Python example, from a fresh directory with the sample data beside it."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(section: str, language: str) -> str:
    """The first fenced block of ``language`` under the heading ``## section``."""
    body = README.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(rf"```{language}\n(.*?)```", body, re.S).group(1)


def _commands(block: str) -> list[str]:
    """The ``python -m planner ...`` lines of a bash block, comments dropped (a comment may fill a line)."""
    out = []
    for line in block.splitlines():
        line = line.split("  #", 1)[0].strip()
        if line.startswith("python -m planner "):
            out.append(line)
    return out


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("readme")
    (d / "sample_data").symlink_to(ROOT / "sample_data")
    return d


def test_command_line_examples_run_in_order(workdir):
    commands = _commands(_block("Command line", "bash"))
    assert len(commands) >= 7 and any(" report " in c for c in commands)
    for command in commands:
        args = shlex.split(command)
        run = subprocess.run([sys.executable, *args[1:]], cwd=workdir, env=_env(), capture_output=True, text=True,
                             timeout=600)
        assert run.returncode == 0, f"{command}\n{run.stderr}"
        assert "Traceback" not in run.stderr, command
    assert (workdir / "plan.xlsx").exists() and (workdir / "plan.pdf").read_bytes().startswith(b"%PDF-")


def test_python_example_runs(workdir):
    if not (workdir / "curves.csv").exists():  # the command line's fit made it, unless run alone
        subprocess.run([sys.executable, "-m", "planner", "fit", str(ROOT / "sample_data" / "creator_campaigns.xlsx"),
                        str(ROOT / "sample_data" / "weekly_paid_media.xlsx"), "--out", "curves.csv"],
                       cwd=workdir, env=_env(), check=True, capture_output=True)
    code = _block("Python", "python")
    run = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=_env(), capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stderr


def test_benchmark_commands_name_real_modules():
    lines = [line.split("#", 1)[0] for line in _block("Benchmarks", "bash").splitlines()]
    modules = {shlex.split(line)[2] for line in lines if line.strip()}
    assert modules == {"planner.bench", "planner.bench.fit", "planner.bench.imports", "planner.bench.plan_values",
                       "planner.bench.first_plan"}
    for module in modules:
        run = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, env=_env(), capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 0 and "usage" in run.stdout.lower(), f"{module}\n{run.stderr}"
