"""Reading the controls of a marketing-mix table, and naming the columns nothing reads.

A control column (:mod:`planner.data.control_headers` finds them; a user names one with
``--map "COLUMN=control"``) is read as numbers the way every number column is
(:func:`planner.data.columns.read_numbers`), or, when most of its cells are text (Robyn's
``events``: ``na``, ``event2``), as one 0/1 column per kind of text (``"events: event2"``).

- :func:`read_controls`: the control columns of a table, one entry per row.
- :func:`kept_controls`: their values on the rows imported, with the issues a person should
  see (cells that are not numbers, blank cells, a control that never changes).
- :func:`unused_columns`: the headers that nothing reads.
- :func:`controls_note`: the sentence that names the controls used and the columns not used.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from planner.data.columns import read_numbers
from planner.data.control_headers import names_occasion
from planner.data.headers import normalize_header
from planner.data.issues import IssueLog, cell_text
from planner.data.numbers import looks_like_number
from planner.data.values import Problem, is_missing
from planner.data.work import TableMeta, TableWork

__all__ = ["MAX_KINDS", "MMM", "CAMPAIGNS", "ControlColumn", "KeptControls", "read_controls", "kept_controls",
           "unused_columns", "controls_note", "settle_controls"]

MAX_KINDS = 20  # a text column with more kinds than this is not read as events
MMM = "the marketing-mix model"  # what uses a total table's controls, as the sentences say
CAMPAIGNS = "the creators' fit"  # what uses a creators' table's controls (a discount or promotion per campaign)
_NO_EVENT = frozenset({"na", "n/a", "none", "-", "0", "no", "false"})
_NONE_WORDS = frozenset({"none", "no", "false", "-", "--", "---", "\u2013", "\u2014"})  # a number column's 0
_SHOWN = 10  # names listed in a sentence before "and N more"
_SPEND_WORDS = re.compile(r"\b(spend|spent|cost|costs|budget|investment|media cost)\b")


@dataclass(frozen=True)
class ControlColumn:
    """One control column of a table as read, one entry per row of the work.

    ``names`` are the controls it gives (its header, or ``"<header>: <kind>"`` per kind of
    text); ``values`` holds one column per name (NaN where a number cell is blank or
    unreadable); ``blank`` and ``bad`` (index into ``problems``, -1 where readable) are for
    number columns; ``kinds`` counts the kinds of text (0 for a number column).
    """

    header: str
    position: int
    names: tuple[str, ...]
    values: np.ndarray
    blank: np.ndarray
    bad: np.ndarray
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]
    kinds: int = 0


@dataclass(frozen=True)
class KeptControls:
    """The controls on the rows imported.

    ``values``: control name -> one float per kept row; ``used``: ``(header, kinds)`` per
    column used (kinds 0 for a number column); ``dropped``: the headers of the control columns
    that could not be used.
    """

    values: dict[str, np.ndarray]
    used: tuple[tuple[str, int], ...]
    dropped: tuple[str, ...]


def _is_text(cell: object) -> bool:
    return isinstance(cell, str) and not is_missing(cell) and not looks_like_number(cell)


def _no_event(cell: object) -> bool:
    return is_missing(cell) or str(cell_text(cell)).strip().lower() in _NO_EVENT


def _text_column(work: TableWork, j: int, header: str) -> ControlColumn:
    codes, uniq = work.factor(j)
    present, first = np.unique(codes[codes >= 0], return_index=True)
    kind_of: dict[int, int] = {}
    labels: list[str] = []
    keys: dict[str, int] = {}
    for k in present[np.argsort(first)]:  # kinds in the order they first appear
        cell = uniq[k]
        if _no_event(cell):
            continue
        label = str(cell_text(cell)).strip()
        key = " ".join(label.casefold().split())
        if key not in keys:
            keys[key] = len(labels)
            labels.append(label)
        kind_of[int(k)] = keys[key]
    lookup = np.full(len(uniq) + 1, -1, dtype=np.int64)  # code -1 (blank) reads the last
    for k, kind in kind_of.items():
        lookup[k] = kind
    row_kind = lookup[codes]
    values = np.zeros((work.n, len(labels)))
    hit = np.flatnonzero(row_kind >= 0)
    values[hit, row_kind[hit]] = 1.0
    none = np.zeros(work.n, dtype=bool)
    return ControlColumn(header, j, tuple(f"{header}: {lab}" for lab in labels), values, none,
                         np.full(work.n, -1, dtype=np.int64), (), (), len(labels))


def read_controls(work: TableWork, positions: Sequence[int], hint: str | None,
                  decimal: str | None = None) -> list[ControlColumn]:
    """Read the control columns of a table.

    A column whose non-blank cells are mostly text (not numbers, not placeholders such as
    ``na``) gives a 0/1 column per kind of text other than ``na``, ``none``, ``-`` or ``0``;
    any other column is read as numbers.

    Parameters
    ----------
    work : TableWork
        The rows of the table (after the date column was read, so that totals and note
        rows are gone).
    positions : sequence of int
        The control columns' positions.
    hint : str or None
        The decimal mark to assume when a column cannot tell.
    decimal : str or None, default None
        The decimal mark the user gave.

    Returns
    -------
    list of ControlColumn
        One per position, in order.
    """
    headers = work.choice.headers
    out = []
    for j in positions:
        codes, uniq = work.factor(j)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniq))
        text = sum(int(counts[k]) for k in np.flatnonzero(counts) if _is_text(uniq[k]))
        numbers = sum(int(counts[k]) for k in np.flatnonzero(counts) if not is_missing(uniq[k])) - text
        if text > numbers:
            out.append(_text_column(work, j, headers[j]))
            continue
        out.append(_number_column(work, j, headers[j], codes, uniq, hint, decimal))
    return out


def _number_column(work: TableWork, j: int, header: str, codes: np.ndarray, uniq: np.ndarray, hint: str | None,
                   decimal: str | None) -> ControlColumn:
    """Read a control column of numbers, where a person wrote "none" (or "no", "-") for 0, and "20%" for 20.

    - A cell written "none", "no", "false" or a dash is 0: the discount or event was not there.
    - Percents are kept in percent points ("20%" is 20, as the header ``Discount %`` means it).
    - A column that names an occasion (a discount, an event: :func:`planner.data.control_headers.names_occasion`)
      and never says 0 reads its blank cells as 0: a tracker that writes the discount where there was one leaves
      the others blank. Any other blank stays unknown (kept_controls says how many).
    Each reading that changes a cell is said in a note.
    """
    col = read_numbers(work, j, hint, decimal)
    values, blank, notes = col.values.astype(float), col.blank.copy(), list(col.notes)
    if col.percent:
        values = values * 100.0
        notes.append("Its cells are written as percents, so they are read in percent points (20% as 20).")
    said_none = np.r_[[isinstance(u, str) and " ".join(u.split()).lower() in _NONE_WORDS for u in uniq], False][codes]
    if said_none.any():
        values[said_none], blank[said_none] = 0.0, False
        n = int(said_none.sum())
        notes.append(f"{n:,} cell{'s' if n > 1 else ''} written as none (\"none\", \"no\" or a dash) "
                     f"{'were' if n > 1 else 'was'} read as 0.")
    if names_occasion(header) and blank.any() and not (values[np.isfinite(values)] == 0).any():
        n = int(blank.sum())
        values[blank], blank = 0.0, np.zeros_like(blank)
        notes.append(f"{n:,} blank cell{'s' if n > 1 else ''} {'were' if n > 1 else 'was'} read as 0 (none): the "
                     "column never says 0, so a blank is taken as no such occasion. Write the values where that "
                     "is wrong.")
    return ControlColumn(header, j, (header,), values.reshape(-1, 1), blank, col.bad, tuple(col.problems),
                         tuple(notes))


def _usable(column: ControlColumn, values: np.ndarray, log: IssueLog, header_row: int, model: str,
            unit: str) -> bool:
    """Whether a control column can be used on the kept rows; says why not."""
    if column.kinds > MAX_KINDS:
        log.add("warning", header_row, column.header, None,
                f"This column has {column.kinds:,} different texts, too many to read as kinds of event, "
                f"so {model} does not use it.")
        return False
    if not len(values):
        return True
    if column.kinds == 0 and column.values.shape[1] and np.isnan(values).all():
        log.add("warning", header_row, column.header, None,
                f"This control has no number in any {unit}, so {model} does not use it.")
        return False
    if not values.shape[1]:
        log.add("warning", header_row, column.header, None,
                f"This control column says nothing happened in any {unit}, so {model} does not use it.")
        return False
    spread = np.nanmax(values, axis=0) - np.nanmin(values, axis=0)
    if not (spread > 0).any():
        log.add("warning", header_row, column.header, None,
                f"This control has the same value in every {unit}, so {model} cannot tell its effect; "
                "it was not used.")
        return False
    return True


def kept_controls(columns: Sequence[ControlColumn], keep: np.ndarray, work: TableWork, log: IssueLog,
                  header_row: int, model: str = MMM, unit: str = "period") -> KeptControls:
    """Return the controls on the rows imported, logging what a person should look at.

    A number cell that cannot be read is a warning on its row, and the control is left empty
    (NaN) in that period; blank cells are counted in one warning per column.  A column with
    no number, nothing but "no event", too many kinds of text, or the same value in every
    period is not used (a warning says why).

    Parameters
    ----------
    columns : sequence of ControlColumn
        As :func:`read_controls` gives them.
    keep : ndarray of int
        Positions (in ``work``) of the rows imported.
    work : TableWork
        The rows of the table.
    log : IssueLog
        Where the issues go.
    header_row : int
        The spreadsheet row of the header, for issues about a whole column.
    model : str, default :data:`MMM`
        What uses the controls, as the sentences name it (:data:`CAMPAIGNS` for a creators' table).
    unit : str, default "period"
        What a row of the table is, as the sentences name it ("campaign row" for a creators' table).

    Returns
    -------
    KeptControls
    """
    rownums = work.rownums[keep]
    values: dict[str, np.ndarray] = {}
    used: list[tuple[str, int]] = []
    dropped: list[str] = []
    for col in columns:
        for note in col.notes:
            log.add("warning", header_row, col.header, None, note)
        sub = col.values[keep]
        if not _usable(col, sub, log, header_row, model, unit):
            dropped.append(col.header)
            continue
        bad, blank = col.bad[keep], col.blank[keep]
        for i in np.flatnonzero(bad >= 0):
            p = col.problems[bad[i]]
            log.add("warning", int(rownums[i]), col.header, p.value,
                    f"{p.message}, so this control is left empty for this {unit}.", kind="control not a number")
        empty = np.flatnonzero(blank)
        if len(empty):
            n = len(empty)
            log.add("warning", int(rownums[empty[0]]), col.header, None,
                    f"{n:,} blank cell{'s' if n > 1 else ''} in this control column {'were' if n > 1 else 'was'} "
                    f"left empty: {model} has no value of it for "
                    f"{f'those {unit}s' if n > 1 else f'that {unit}'}.")
        for k, name in enumerate(col.names):
            values[name] = sub[:, k].astype(float)
        used.append((col.header, col.kinds))
    return KeptControls(values, tuple(used), tuple(dropped))


def unused_columns(work: TableWork, read: Collection[int]) -> tuple[str, ...]:
    """Return the headers of the columns that nothing reads, in file order.

    A column without a header and without any value is no column at all and is left out.

    Parameters
    ----------
    work : TableWork
        The rows of the table.
    read : collection of int
        Positions of the columns read (fields, channels, controls, a currency column).

    Returns
    -------
    tuple of str
        The headers as written in the file (a blank header as the name the import gave it,
        e.g. ``"Column A"``).
    """
    headers = work.choice.headers
    header_cells = work.sheet.row(work.choice.pos)
    out = []
    for j, h in enumerate(headers):
        if j in read:
            continue
        unnamed = j >= len(header_cells) or header_cells[j] is None
        if unnamed and not (work.factor(j)[0] >= 0).any():
            continue
        out.append(h)
    return tuple(out)


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown if len(names) <= _SHOWN else f"{shown} and {len(names) - _SHOWN:,} more"


def controls_note(used: Sequence[tuple[str, int]], unused: Sequence[str], model: str = MMM) -> str | None:
    """Return the sentences naming the controls used and the columns not used (None when there are neither).

    Parameters
    ----------
    used : sequence of tuple of (str, int)
        ``(header, kinds)`` per control column used; kinds 0 for a number column.
    unused : sequence of str
        The headers nothing reads.
    model : str, default :data:`MMM`
        What uses the controls (:data:`CAMPAIGNS` for a creators' table).

    Returns
    -------
    str or None
        E.g. ``'Controls used by the marketing-mix model: competitor_sales_B, events (2 kinds),
        newsletter. Not used: facebook_I, search_clicks_P (name one with --map "COLUMN=control"
        to use it).'``
    """
    parts = []
    if used:
        names = [h if kinds == 0 else f"{h} ({kinds} kind{'s' if kinds > 1 else ''})" for h, kinds in used]
        parts.append(f"Controls used by {model}: {_listed(names)}.")
    money = [h for h in unused if _SPEND_WORDS.search(normalize_header(h))]  # a total of the spend: no control
    rest = [h for h in unused if h not in money]
    lead = "Not used" if used else f"Not used by {model}"
    if rest:
        parts.append(f'{lead}: {_listed(rest)} (name one with --map "COLUMN=control" to use it as a control).')
    if money:
        parts.append(f"{'Also not used' if rest else lead}: {_listed(money)} (spend, which the spend columns "
                     f"already count; as a control it would take their effect).")
    return " ".join(parts) or None


def settle_controls(kept: KeptControls, meta: TableMeta, log: IssueLog, mapped: tuple[int, ...],
                    model: str = MMM) -> None:
    """Count the control columns that could not be used as unused, and name the controls used and the columns not used.

    Parameters
    ----------
    kept : KeptControls
        As :func:`kept_controls` gives them.
    meta : TableMeta
        The table's; its ``unused`` and ``mapping_pairs`` are updated.
    log : IssueLog
        Where the sentence goes.
    mapped : tuple of int
        The columns the user's mapping names (a control they named stays in the mapping even when not used).
    model : str, default :data:`MMM`
        What uses the controls.
    """
    headers = list(meta.columns)
    if kept.dropped:
        meta.unused = tuple(sorted({*meta.unused, *kept.dropped}, key=headers.index))
        user = {headers[j] for j in mapped}
        meta.mapping_pairs = [(h, f) for h, f in meta.mapping_pairs
                              if not (f == "control" and h in kept.dropped and h not in user)]
    note = controls_note(kept.used, meta.unused, model)
    if note:
        log.add("warning", meta.header_row, None, None, note)
