"""Reading a table's columns: numbers, dates, totals labels and formulas without saved values.

Each column is read once per distinct cell (:meth:`TableWork.factor`), so a million rows
of a few thousand distinct values cost a few thousand parses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.data.dates import MONTHS, parse_dates
from planner.data.far_dates import far_dates
from planner.data.headers import header_scale, scale_words, year_position
from planner.data.numbers import decimal_votes, looks_like_number, parse_numbers
from planner.data.totals import total_cell
from planner.data.values import Problem, show_value
from planner.data.work import TableWork

__all__ = ["NumberCells", "DateCells", "read_numbers", "read_dates", "table_decimal", "total_labels",
           "formula_cells"]


@dataclass
class NumberCells:
    """A column read as numbers, one entry per row of the work."""

    values: np.ndarray  # float; NaN where blank or unreadable
    blank: np.ndarray  # bool
    bad: np.ndarray  # index into ``problems``, -1 where readable or blank
    problems: list[Problem]  # one per distinct unreadable cell
    notes: tuple[str, ...]
    percent: bool


_DECIMAL_ADVICE = (' If that is wrong, say which mark the file uses: --decimal "," (a decimal comma) or '
                   '--decimal "." (a decimal point).')


def read_numbers(work: TableWork, j: int, hint: str | None, decimal: str | None = None) -> NumberCells:
    """Read column j as numbers (``decimal`` forces the mark; ``hint`` is assumed when the column cannot tell).

    Parameters
    ----------
    work : TableWork
        The rows of the table.
    j : int
        The column's position.
    hint : str or None
        The mark to assume when the column cannot tell (``"."`` or ``","``).
    decimal : str or None, default None
        The mark the user gave; None decides from the column.

    Returns
    -------
    NumberCells
        One entry per row of ``work``; a note of an assumed decimal mark says how to
        give it (``--decimal``).
    """
    codes, uniq = work.factor(j)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
    present = np.flatnonzero(counts)
    col = parse_numbers(uniq[present].tolist(), decimal=decimal, hint=hint, weights=counts[present])
    k = len(uniq)
    values = np.full(k + 1, np.nan)
    values[present] = col.values
    blank = np.zeros(k + 1, dtype=bool)
    blank[-1] = True
    blank[present[np.asarray(col.missing, dtype=np.int64)]] = True
    bad = np.full(k + 1, -1, dtype=np.int64)
    for b, p in enumerate(col.problems):
        bad[present[p.index]] = b
    notes = tuple(note + _DECIMAL_ADVICE if not col.decided and note.startswith("Numbers such as") else note
                  for note in col.notes)
    scale = header_scale(work.choice.headers[j])[1]  # "Spend ($000)": figures in thousands
    if scale != 1.0:
        shown = next((float(v) for v in values if np.isfinite(v) and v != 0), 1.0)
        values = values * scale
        notes += (f"Its header says its figures are in {scale_words(scale)}, so they were "
                  f"read as such: {shown:,.10g} as {shown * scale:,.10g}.",)
    return NumberCells(values[codes], blank[codes], bad[codes], list(col.problems), notes, col.percent)


@dataclass
class DateCells:
    """The date column, one entry per row of the work."""

    values: np.ndarray  # datetime64[ns]; NaT where blank or unreadable
    bad: np.ndarray  # index into ``problems`` or -1
    problems: list[Problem]


def table_decimal(work: TableWork, positions: Sequence[int]) -> str | None:
    """Return the decimal mark most of the number columns at ``positions`` show, else the sheet's hint.

    Parameters
    ----------
    work : TableWork
        The rows of the table.
    positions : sequence of int
        The positions of the number columns.

    Returns
    -------
    str or None
        ``"."`` or ``","``, whichever more of the columns show at least once; on a tie
        the sheet's ``decimal_hint`` (``","`` for a semicolon-separated file, else None).
    """
    dots = commas = 0
    for j in positions:
        codes, uniq = work.factor(j)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
        present = np.flatnonzero(counts)
        d, c, _ = decimal_votes(uniq[present].tolist(), counts[present])
        dots += d > 0
        commas += c > 0
    if dots != commas:
        return "." if dots > commas else ","
    return work.choice.sheet.decimal_hint


def total_labels(work: TableWork, positions: np.ndarray) -> np.ndarray:
    """Return, for each row at ``positions``, the first cell that labels it a totals row, or None.

    Parameters
    ----------
    work : TableWork
        The rows of the table.
    positions : ndarray of int
        Positions of rows in ``work``.

    Returns
    -------
    ndarray of object
        Per position, the text of the leftmost cell that labels a totals row
        (:func:`~planner.data.totals.total_cell`), or None.
    """
    out = np.full(len(positions), None, dtype=object)
    for j in range(work.sheet.width):
        codes, uniq = work.factor(j)
        sub = codes[positions]
        lab = np.full(len(uniq) + 1, None, dtype=object)
        for k in np.unique(sub[sub >= 0]):
            lab[k] = total_cell(uniq[k])
        vals = lab[sub]
        fill = np.equal(out, None) & ~np.equal(vals, None)
        out[fill] = vals[fill]
    return out


def read_dates(work: TableWork, decimal: str | None) -> DateCells:
    """Parse the date column; skip totals and note rows that have no usable date.

    Returns the dates of the rows left in ``work`` (NaT where blank or unreadable,
    with the Problem in ``bad``; a date far from the rest of the column,
    :func:`~planner.data.far_dates.far_dates`, is such a problem too).  Ambiguous ``01/02/2024`` dates are assumed day
    first in a table whose numbers use a decimal comma (a European file), else
    month first.

    Rows without a usable date that are a labelled totals row, or a note (only one
    cell filled, with text, in a table of three or more columns), are skipped
    (``work.skip_rows``) and dropped from ``work``; assumptions are logged as warnings.

    Parameters
    ----------
    work : TableWork
        The rows of the table; its plan has a ``date`` field.
    decimal : str or None
        The table's decimal mark; ``","`` makes ambiguous dates day first.

    Returns
    -------
    DateCells
        One entry per row left in ``work``.
    """
    plan, headers, log = work.choice.plan, work.choice.headers, work.log
    header_row = int(work.sheet.rownums[work.choice.pos])
    j = plan.fields["date"]
    column = headers[j]
    codes, uniq = _with_year(work, j) or work.factor(j)  # Year | Week, Year | Month: one date
    counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
    present = np.flatnonzero(counts)
    parsed = parse_dates(uniq[present].tolist(), dayfirst=plan.dayfirst, hint=True if decimal == "," else None,
                         weights=counts[present])
    for note in parsed.notes:
        log.add("warning", header_row, column, None,
                note + (' If that is wrong, say so with --map "' + column + '=date:dmy" (day first) or "'
                        + column + '=date:mdy" (month first).' if not parsed.decided else ""))
    k = len(uniq)
    values = np.full(k + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
    values[present] = parsed.values
    problems = list(parsed.problems)
    for i, text in far_dates(parsed.values, counts[present]):  # a 1900 among weeks of 2024
        problems.append(Problem(i, show_value(uniq[present[i]]), text))
        values[present[i]] = np.datetime64("NaT")
    bad = np.full(k + 1, -1, dtype=np.int64)
    for b, p in enumerate(problems):
        bad[present[p.index]] = b
    values, bad = values[codes], bad[codes]

    notok = np.flatnonzero(np.isnat(values))
    drop = np.zeros(work.n, dtype=bool)
    if len(notok):
        labels = total_labels(work, notok)
        is_label = ~np.equal(labels, None)
        work.skip_rows(notok[is_label], np.array([f'a totals row ("{lab}")' for lab in labels[is_label]], dtype=object))
        drop[notok[is_label]] = True
        rest = notok[~is_label]
        if len(rest) and len(headers) >= 3:
            n_filled = np.zeros(len(rest), dtype=np.int64)
            for jj in range(work.sheet.width):
                n_filled += work.factor(jj)[0][rest] >= 0
            notes, why = [], []
            for p in rest[n_filled == 1]:
                text = next(c for c in work.cells(int(p)) if c is not None)
                if isinstance(text, str) and not looks_like_number(text):
                    notes.append(p)
                    why.append(f'a note, not data (only one cell is filled: "{text[:60]}")')
            work.skip_rows(np.array(notes, dtype=np.int64), np.array(why, dtype=object))
            drop[np.array(notes, dtype=np.int64)] = True
    work.keep(~drop)
    return DateCells(values[~drop], bad[~drop], problems)


def _with_year(work: TableWork, j: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the date column's codes and cells with its year column's year written in (``2024-W05``, ``2024-05``).

    None when the date column is not a week or month number beside a year column (headers.year_position), or
    when its cells are not such numbers (then they are read as they are).
    """
    found = year_position(work.choice.headers, j)
    if found is None:
        return None
    y, unit = found

    def number(cell) -> int | None:
        text = str(cell).strip()
        if unit == "month" and text[:3].lower() in MONTHS:
            return MONTHS.index(text[:3].lower()) + 1
        try:
            v = float(text)
        except ValueError:
            return None
        top = 53 if unit == "week" else 12
        return int(v) if v == int(v) and 1 <= v <= top else None

    nums = work.per_value(j, number, None)
    years = work.per_value(y, lambda c: str(c).strip()[:4] if str(c).strip()[:4].isdigit() else None, None)
    if not (~np.equal(nums, None) & ~np.equal(years, None)).any():  # no week or month beside a year: as it is
        return None
    text = np.array([None if n is None or yr is None else (f"{yr}-W{n:02d}" if unit == "week" else f"{yr}-{n:02d}")
                     for n, yr in zip(nums, years, strict=True)], dtype=object)
    codes, uniq = pd.factorize(pd.Series(text, dtype=object), use_na_sentinel=True)
    day = "the ISO week's Monday" if unit == "week" else "the month's first day"
    work.log.add("warning", int(work.sheet.rownums[work.choice.pos]), work.choice.headers[j], None,
                 f"Each row's date is its {unit} in the year of the column \"{work.choice.headers[y]}\" ({day}).")
    return codes.astype(np.int64), np.asarray(uniq, dtype=object)


def formula_cells(work: TableWork, blanks: dict[int, np.ndarray]) -> dict[tuple[int, int], str]:
    """Return the formulas (without saved values) of blank cells: {column: positions} -> {(row, column): formula}.

    Parameters
    ----------
    work : TableWork
        The rows of the table.
    blanks : dict of int to ndarray
        Column position -> positions (in ``work``) of its blank cells.

    Returns
    -------
    dict of tuple of (int, int) to str
        ``(spreadsheet row number, column position)`` -> the formula (``"=..."``) of
        each such cell that holds one; empty when the sheet has no formula reader
        (only xlsx sheets have one) or nothing is asked.
    """
    reader = work.sheet.formulas
    if reader is None:
        return {}
    rownums = work.rownums
    wanted = {(int(rownums[p]), j) for j, pos in blanks.items() for p in pos}
    return reader(wanted) if wanted else {}

