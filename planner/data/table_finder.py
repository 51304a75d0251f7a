"""Finding the table in a file: the sheet, the header row below any title rows, and the header names.

The data sheet is the one whose headers map best to the planner's fields; sheets named
like "Roster" or "Notes" are taken only when nothing else fits.  A header of two rows (a
merged band such as "Spend" over "Instagram | TikTok") is read as one ("Spend Instagram").
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner.data.column_plan import ColumnPlan, plan_columns
from planner.data.dataset import DataError
from planner.data.dates import looks_like_date
from planner.data.headers import match_field
from planner.data.mapping import MappedField
from planner.data.numbers import looks_like_number
from planner.data.sheet import Cell, Sheet

__all__ = ["TableChoice", "header_texts", "find_header", "choose_table", "column_letter"]

_HEADER_SEARCH_ROWS = 30
_SIDE_SHEETS = re.compile(
    r"roster|notes?|read\s*me|info|about|instructions?|settings|lookup|lists?|config|help|legend|"
    r"sources?|glossary|dictionary|summary|overview|dashboard|chart|pivot|plan", re.I)


def column_letter(j: int) -> str:
    """Return the spreadsheet letter of a column: 0 is ``A``, 26 ``AA``.

    Parameters
    ----------
    j : int
        The column's position, from 0.

    Returns
    -------
    str
        The letters Excel shows above the column.
    """
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _header_names(cells: Sequence[Cell], width: int) -> list[str]:
    return _names_and_repeats(cells, width)[0]


def _names_and_repeats(cells: Sequence[Cell], width: int) -> tuple[list[str], tuple[tuple[int, ...], ...]]:
    """Return the header names (a repeated text gets `` (2)``, `` (3)``) and the positions of each repeated text."""
    names: list[str] = []
    seen: Counter = Counter()
    where: dict[str, list[int]] = {}
    for j in range(width):
        v = cells[j] if j < len(cells) else None
        if isinstance(v, (_dt.datetime, _dt.date)):
            text = v.strftime("%Y-%m-%d")
        elif isinstance(v, float) and v.is_integer():
            text = str(int(v))
        else:
            text = "" if v is None else " ".join(str(v).split())
        if not text:
            text = f"Column {column_letter(j)}"
        seen[text] += 1
        where.setdefault(text, []).append(j)
        if seen[text] > 1:
            text = f"{text} ({seen[text]})"
        names.append(text)
    return names, tuple(tuple(js) for js in where.values() if len(js) > 1)


@dataclass
class TableChoice:
    """A candidate table: its sheet, header row, header names, column plan and how well it fits."""

    sheet: Sheet
    pos: int  # index of the header row (the lower one of a two-row header) in the sheet
    headers: list[str]
    plan: ColumnPlan
    score: float
    band_row: int | None = None  # spreadsheet row of the upper row of a two-row header
    repeated: tuple[tuple[int, ...], ...] = ()  # positions of each header text written more than once


def header_texts(cells: Sequence[Cell]) -> tuple[list[Cell], list[Cell]]:
    """Return a row's filled cells, and those of them that are text (not numbers or dates), as a header has.

    Parameters
    ----------
    cells : sequence of Cell
        A row's cells.

    Returns
    -------
    tuple of (list of Cell, list of Cell)
        The non-blank cells, and those that are text which reads as neither a number
        nor a date.
    """
    filled = [c for c in cells if c is not None]
    texts = [c for c in filled if isinstance(c, str) and not looks_like_number(c) and not looks_like_date(c)]
    return filled, texts


def _two_row_names(upper: Sequence[Cell], lower: Sequence[Cell], width: int) -> list[str] | None:
    """Join a band row over a row of sub-headers ("Spend" over "Instagram | TikTok") into one header.

    A band cell with a sub-header below it carries over the blank cells to its right
    (a merged cell reads as its first cell and blanks); a cell with nothing below it
    stands alone (merged downwards).  A sub-header that names a field on its own
    ("Fee" under "Paid") keeps its own name when the joined one names nothing and
    no other sub-header has the same text.  None when the upper row is not such a band.
    """
    lows = Counter(" ".join(str(x).split()).lower() for x in lower if x is not None)
    names: list[str] = []
    band = None
    carried = False
    for j in range(width):
        u = upper[j] if j < len(upper) else None
        lo = lower[j] if j < len(lower) else None
        if u is not None:
            band = u if lo is not None else None
            top = u
        elif lo is not None and band is not None:
            top, carried = band, True
        else:
            top = None
            band = None if lo is None else band
        parts = [" ".join(str(x).split()) for x in (top, lo) if x is not None]
        name = " ".join(parts)
        if (top is not None and lo is not None and match_field(name) is None and match_field(lo) is not None
                and lows[" ".join(str(lo).split()).lower()] == 1):
            name = parts[1]
        names.append(name)
    return names if carried else None


def find_header(sheet: Sheet, mapping: Mapping[str, MappedField]) -> TableChoice | None:
    """Return the header row of a sheet whose headers map best (one row, or two joined), or None.

    Looks at the first rows for a row of texts; without one that names a field, the
    first such row is taken.

    Parameters
    ----------
    sheet : Sheet
        The sheet to look in (its first 30 rows).
    mapping : mapping of str to MappedField
        The user's mapping, as parsed by
        :func:`~planner.data.mapping.parse_mapping_field`.

    Returns
    -------
    TableChoice or None
        The best-scoring candidate, else the first row that looks like a header; None
        when none of the first 30 rows has two or more text cells making at least 60 %
        of its filled cells.
    """
    best: TableChoice | None = None
    fallback: TableChoice | None = None
    head = sheet.head(max(200, _HEADER_SEARCH_ROWS + 1))
    width = max((len(c) for _, c in head), default=0)
    for pos, (_, cells) in enumerate(head[:_HEADER_SEARCH_ROWS]):
        filled, texts = header_texts(cells)
        if len(filled) < 2:
            continue
        if len(texts) < max(2, 0.6 * len(filled)):
            continue
        headers, repeated = _names_and_repeats(cells, max(width, len(cells)))
        plan = plan_columns(headers, mapping, strict=False)
        score = plan.score + len(texts) / 100
        cand = TableChoice(sheet, pos, headers, plan, score, repeated=repeated)
        if fallback is None:
            fallback = cand
        if plan.score > 0 and (best is None or score > best.score):
            best = cand
        if pos + 1 < len(head) and len(texts) == len(filled):  # a band of merged cells over sub-headers
            below = head[pos + 1][1]
            b_filled, b_texts = header_texts(below)
            if len(b_filled) >= 2 and len(b_texts) == len(b_filled):
                names = _two_row_names(cells, below, max(width, len(cells), len(below)))
                if names is not None:
                    headers2, repeated2 = _names_and_repeats(names, len(names))
                    plan2 = plan_columns(headers2, mapping, strict=False)
                    score2 = plan2.score + (len(texts) + len(b_texts)) / 100
                    alone = plan_columns(_header_names(below, len(names)), mapping, strict=False).score
                    if plan2.score > max(plan.score, alone, best.plan.score if best else 0):
                        best = TableChoice(sheet, pos + 1, headers2, plan2, score2, band_row=head[pos][0],
                                           repeated=repeated2)
    return best or fallback


def choose_table(sheets: list[Sheet], sheet: Any, mapping: Mapping[str, MappedField], fname: str) -> TableChoice:
    """Return the table to import: in the sheet the user named (by name or 0-based index), else the best fit.

    Parameters
    ----------
    sheets : list of Sheet
        The file's sheets (at least one), as :func:`planner.data.files.read_sheets`
        reads them.
    sheet : str, int or None
        A sheet name (exact, else case-insensitive) or 0-based index; None or ``""``
        takes the best fit (hidden sheets and sheets named like ``Notes`` or ``Roster``
        count less).  A CSV file accepts only None, ``""``, 0 or its file name.
    mapping : mapping of str to MappedField
        The user's mapping, as parsed by
        :func:`~planner.data.mapping.parse_mapping_field`.
    fname : str
        The file name, for messages.

    Returns
    -------
    TableChoice
        The sheet, header row, header names and column plan (found with
        ``strict=False``).

    Raises
    ------
    DataError
        When the named sheet does not exist, or no sheet has a table (or a sheet is
        named for a CSV file).
    """
    if sheets[0].is_csv and sheet not in (None, "", 0, fname):
        raise DataError(f'"{fname}" is a CSV file: it has one table and no sheets, so leave the sheet out.')
    if sheet is not None and str(sheet) != "" and not sheets[0].is_csv:
        pick = None
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if 0 <= sheet < len(sheets):
                pick = sheets[sheet]
        else:
            for sh in sheets:
                if sh.name == str(sheet):
                    pick = sh
            if pick is None:
                for sh in sheets:
                    if sh.name.strip().lower() == str(sheet).strip().lower():
                        pick = sh
        if pick is None:
            names = ", ".join(f'"{s.name}"' for s in sheets)
            raise DataError(f'There is no sheet "{sheet}" in "{fname}"; its sheets are {names}.')
        choice = find_header(pick, mapping)
        if choice is None:
            raise DataError(f'The sheet "{pick.name}" has no table: no row has a header with two or more columns.')
        return choice
    choices = []
    for order, sh in enumerate(sheets):
        c = find_header(sh, mapping)
        if c is None:
            continue
        data_rows = len(sh) - c.pos - 1
        bonus = min(data_rows, 1000) / 1000 - order / 1000
        if data_rows <= 0:
            bonus -= 50
        if _SIDE_SHEETS.search(sh.name) and len(sheets) > 1:
            bonus -= 40
        if sh.hidden:
            bonus -= 30
        c.score = c.plan.score + bonus
        choices.append(c)
    if not choices:
        if not any(len(sh) for sh in sheets):
            raise DataError(f'The file "{fname}" has no data: every sheet is empty.')
        raise DataError(f'No table was found in "{fname}": no row looks like a header with two or more columns.')
    return max(choices, key=lambda c: c.score)


