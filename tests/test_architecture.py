"""The house keeps its shape: layers without cycles, no private names across modules, small modules, ruff clean."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500  # "no module over about 500 lines" (docs/architecture.md)
SOURCES = ("planner", "ui", "pages", "tests", "streamlit_app.py", "sample_data")


def _python_files(*tops: str) -> list[Path]:
    out = []
    for top in tops:
        p = ROOT / top
        out.extend([p] if p.is_file() else sorted(p.rglob("*.py")))
    return [f for f in out if ".venv" not in f.parts]


def test_the_import_contracts_hold():
    """pyproject.toml's import-linter contracts: layers, the optimizer's independence, no cycles, no app."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True))"
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if "No module named 'importlinter'" in r.stderr:
        pytest.fail("import-linter is not installed: pip install -r requirements.txt")
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "BROKEN" not in r.stdout


def test_no_private_name_is_imported_from_another_module():
    found = []
    for f in _python_files(*SOURCES):
        tree = ast.parse(f.read_text(), filename=str(f))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("planner", "ui"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{f.relative_to(ROOT)}:{node.lineno} imports {alias.name} from {node.module}")
    assert not found, "\n".join(found)


def test_every_library_module_is_small_enough_to_read_in_one_sitting():
    big = [f"{f.relative_to(ROOT)}: {n} lines" for f in _python_files("planner", "ui")
           if (n := len(f.read_text().splitlines())) > MAX_LINES]
    assert not big, "\n".join(big)


def test_importing_the_optimizer_loads_no_spreadsheet_database_or_chart_library():
    code = ("import sys, planner.optimize; "
            "print(sorted(m for m in ('openpyxl', 'xlrd', 'sqlalchemy', 'altair', 'streamlit') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_ruff_is_clean_with_the_projects_configuration():
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True,
                       text=True)
    if "No module named ruff" in r.stderr:
        pytest.fail("ruff is not installed: pip install -r requirements.txt")
    assert r.returncode == 0, r.stdout[-6000:]
