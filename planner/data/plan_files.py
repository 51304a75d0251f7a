"""A plan's file as sheets: read by the importer's readers, and a plan's sentence when it cannot be.

:func:`plan_sheets` reads a path, the bytes or a file object with :func:`planner.data.files.read_source`
and :func:`planner.data.files.sheets_from_bytes`: xlsx, xlsm and xls workbooks; CSV text in UTF-8,
UTF-16 (with a byte-order mark, or without one when every other byte is NUL) or Windows-1252, split at
commas, semicolons, tabs or bars; within the importer's limits on bytes, rows, cells and what a
workbook unpacks to.  :func:`frame_sheet` holds a DataFrame the same way.  A file that cannot be read
raises :class:`PlanError` with the importer's sentence (it names the file) and what a plan is; a sheet
asked for that the workbook lacks names the sheets it has.  :func:`sheet_order` says in which order the
sheets are tried (ours, "Plan", the visible ones, then the hidden ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.base.errors import InputError
from planner.data.dataset import DataError
from planner.data.files import read_source, sheets_from_bytes
from planner.data.sheet import Sheet, sheet_from_rows, trim_cells

__all__ = ["EXPECTED", "PlanError", "PlanFile", "read_plan_file", "plan_sheets", "frame_sheet", "sheet_order", "where"]

EXPECTED = ("A plan is a sheet or CSV file with a header row that names a name column (or network and creator "
            "columns) and a spend, budget or amount column.")


class PlanError(InputError):
    """A plan that cannot be read; the message names the file, sheet, row and column."""


@dataclass(frozen=True)
class PlanFile:
    """A plan's file read once: its name and sheets, for readers that each look for their own table in it.

    Every reader of a plan (:func:`planner.data.plans.read_plan`, the plan over time's) takes one in place
    of the file, so a command that tries one reader and then another parses a big workbook once.
    """

    label: str  # the file's name, without folders
    sheets: tuple[Sheet, ...]  # in workbook order (one for a CSV file)


def read_plan_file(source, name: str | None = None) -> PlanFile:
    """Return a plan's file read once (:class:`PlanFile`), raising :class:`PlanError` as :func:`plan_sheets` does.

    Parameters
    ----------
    source : str, PathLike, bytes, file-like or PlanFile
        The plan, as :func:`planner.data.files.read_source` takes it (a PlanFile is returned as it is).
    name : str, optional
        The file's name (for bytes or an upload).

    Returns
    -------
    PlanFile
        The file's name and every sheet.
    """
    if isinstance(source, PlanFile):
        return source
    label, sheets = plan_sheets(source, name)
    return PlanFile(label, tuple(sheets))


def plan_sheets(source, name: str | None = None, sheet: str | None = None) -> tuple[str, list[Sheet]]:
    """Return a plan file's name and its sheets (``sheet`` alone when given).

    Parameters
    ----------
    source : str, PathLike, bytes, file-like or PlanFile
        The plan, as :func:`planner.data.files.read_source` takes it, or as :func:`read_plan_file` read it.
    name : str, optional
        The file's name (for bytes or an upload).
    sheet : str, optional
        Only this sheet (its name exactly, else ignoring case).

    Returns
    -------
    tuple of (str, list of Sheet)
        The file's name (without folders) and its sheets in workbook order (one for a CSV file).

    Raises
    ------
    PlanError
        When the file cannot be read (missing, empty, damaged, password-protected, not a spreadsheet or
        text, over a limit): the importer's sentence and :data:`EXPECTED`; or when ``sheet`` is not one
        of its sheets.
    """
    if isinstance(source, PlanFile):
        label, sheets = source.label, list(source.sheets)
    else:
        try:
            raw, fname = read_source(source, name)
            label = Path(fname).name
            sheets = sheets_from_bytes(raw, label)
        except DataError as exc:
            raise PlanError(f"{str(exc).rstrip()} {EXPECTED}") from None
    if sheet is not None:
        match = ([s for s in sheets if s.name == sheet]
                 or [s for s in sheets if s.name.casefold() == str(sheet).casefold()])
        if not match:
            raise PlanError(f"{label} has no sheet {sheet!r}; its sheets are "
                            f"{', '.join(repr(s.name) for s in sheets)}.")
        sheets = match[:1]
    return label, sheets


def frame_sheet(df: pd.DataFrame, label: str) -> Sheet:
    """Return a DataFrame as the one sheet of a plan: its column names as the header row (row 1).

    Parameters
    ----------
    df : DataFrame
        The plan's table.
    label : str
        The sheet's name, for messages.

    Returns
    -------
    Sheet
        Its non-blank rows with clean cells, the header on row 1 and the frame's rows from row 2; named
        ``label``.
    """
    rows = [(1, trim_cells(list(df.columns)))]
    rows += [(i, cells) for i, r in enumerate(df.itertuples(index=False, name=None), start=2)
             if (cells := trim_cells(r))]
    return sheet_from_rows(label, [(n, c) for n, c in rows if c])


def where(label: str, sheet: Sheet) -> str:
    """Return how messages name a sheet: ``plan.xlsx, sheet 'Plan'``, or the file's name for a CSV file.

    Parameters
    ----------
    label : str
        The file's name.
    sheet : Sheet
        One of its sheets.

    Returns
    -------
    str
    """
    return label if sheet.is_csv else f"{label}, sheet '{sheet.name}'"


def sheet_order(sheets: list[Sheet]) -> list[Sheet]:
    """Return the sheets in the order a plan is looked for in them.

    Parameters
    ----------
    sheets : list of Sheet
        A workbook's sheets, in its order.

    Returns
    -------
    list of Sheet
        A sheet named "Plan" first, then the other visible sheets in workbook order, then the hidden
        ones (a plan on a hidden sheet is read only when no visible sheet holds one).
    """
    def rank(s: Sheet) -> tuple[int, int]:
        return (1 if getattr(s, "hidden", False) else 0, 0 if s.name.casefold() == "plan" else 1)

    return sorted(sheets, key=rank)
