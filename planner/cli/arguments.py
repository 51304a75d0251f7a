"""What the commands read from their arguments: files, money, column mappings; and the files they write.

Every mistake in an argument raises :class:`UsageError` with one sentence; the command
line prints it and exits with status 1 (planner.cli.main).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.errors import InputError

__all__ = [
    "UsageError", "parse_map", "load_data", "find_roster", "read_table", "curve_table", "money_arg",
    "network_bounds", "writing",
]


class UsageError(InputError):
    """A command-line argument that cannot be used."""


def parse_map(items: list[str] | None) -> dict[str, str]:
    """Return the ``--map "SOURCE=FIELD"`` options as ``{source column: field}``."""
    mapping = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f'--map "{item}" needs the form "SOURCE COLUMN=FIELD", e.g. --map "Fee paid=spend".')
        src, field = item.rsplit("=", 1)
        mapping[src.strip()] = field.strip()
    return mapping


def load_data(path: str, sheet: str | None, mapping: dict, decimal: str | None = None):
    """Import the spreadsheet at ``path`` (planner.data.ingest.load); return its Dataset."""
    from planner.data.ingest import load

    p = Path(path)
    if not p.exists():
        raise UsageError(f"The file {path} does not exist.")
    return load(p, sheet=sheet, mapping=mapping or None, decimal=decimal)


def find_roster(args):
    """Return the roster: ``--roster FILE``, else the first roster sheet in a DATA workbook, else None."""
    from planner.data.roster import find_roster as find_roster_sheet
    from planner.data.roster import load_roster

    if getattr(args, "roster", None):
        if not Path(args.roster).exists():
            raise UsageError(f"The roster file {args.roster} does not exist.")
        return load_roster(args.roster)
    paths = args.data if isinstance(args.data, list) else [args.data]
    for path in paths:
        if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            roster = find_roster_sheet(path)
            if roster is not None:
                return roster
    return None


def read_table(path: str, what: str) -> pd.DataFrame:
    """Read a CSV or XLSX table the user named as ``what`` (e.g. "network bounds")."""
    p = Path(path)
    if not p.exists():
        raise UsageError(f"The {what} file {path} does not exist.")
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(p, engine="openpyxl")
        return pd.read_csv(p, encoding="utf-8-sig")
    except Exception as exc:  # a damaged file is the user's mistake
        raise UsageError(f"The {what} file {p.name} could not be read ({exc}).") from exc


def curve_table(path: str) -> pd.DataFrame:
    """Read and validate the curve table of ``--curves``."""
    from planner.curves.files import read_curves

    return read_curves(path)


def network_bounds(path: str | None) -> pd.DataFrame | None:
    """Read the table of ``--network-bounds`` (None without the option)."""
    return None if path is None else read_table(path, "network bounds")


def money_arg(text: str, what: str) -> float:
    """Read an amount of money given as ``what`` (e.g. "The budget"): ``250000``, ``$250,000``."""
    from planner.data.numbers import parse_number

    try:
        value = parse_number(str(text))
    except ValueError:
        value = None
    if value is None or not np.isfinite(value):
        raise UsageError(f"{what} {text!r} is not an amount of money.")
    return float(value)


@contextmanager
def writing(path: str | Path) -> Iterator[Path]:
    """Write the file ``path`` inside this block; a file that cannot be written is a :class:`UsageError`."""
    p = Path(path)
    try:
        yield p
    except OSError as exc:
        raise UsageError(f"The file {path} could not be written ({exc.strerror or exc}).") from exc
