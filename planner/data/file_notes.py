"""What the import decided about the file itself, said in sentences: nothing is changed silently.

- two columns with the same header: which one was used, and how to use the other;
- hidden and very hidden sheets: which sheet was read, and which hidden ones were not;
- merged cells below the header: their value given to every row they cover (a date, a
  network) or kept on the first row (an amount), naming the ranges.

Each function returns ``(row, column, sentence)`` warnings for
:class:`~planner.data.issues.IssueLog` (row and column None for the whole sheet).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from planner.data.column_plan import ColumnPlan
from planner.data.merged import MergeFill
from planner.data.sheet import Sheet
from planner.data.table_finder import TableChoice, column_letter

__all__ = ["Note", "REPEATED_FIELDS", "repeats_value", "repeated_header_notes", "sheet_notes", "merge_notes"]

Note = tuple[int | None, str | None, str]
REPEATED_FIELDS = frozenset({"date", "network", "entity", "campaign", "geo"})  # a merged value belongs to every row
_NUMBERS = {2: "Two", 3: "Three", 4: "Four"}
_SHOWN = 3  # ranges named in a sentence; the rest are counted


def _fields_by_column(plan: ColumnPlan) -> dict[int, str]:
    """Return what each column read is, written as a mapping names it (``spend``, ``spend:TikTok``, ``control``)."""
    out = {j: f for f, j in plan.fields.items()}
    out.update({j: f"spend:{n}" for j, n in plan.channels})
    out.update({j: f"outcome:{n}" for j, n in plan.outcome_channels})
    out.update({j: "control" for j in plan.controls})
    return out


def repeats_value(plan: ColumnPlan) -> Callable[[int], bool]:
    """Return whether a merged cell's value belongs to every row it covers, by column.

    Parameters
    ----------
    plan : ColumnPlan
        The table's column plan.

    Returns
    -------
    callable
        ``f(column)``: True for a date, network, creator, campaign or region column and
        for columns nothing reads; False for an amount or count (spend, outcome, orders,
        a channel, a control), which repeated would be counted once per row.
    """
    read = _fields_by_column(plan)
    return lambda j: j not in read or read[j] in REPEATED_FIELDS


def _and_more(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_SHOWN])
    return shown if len(items) <= _SHOWN else f"{shown} and {len(items) - _SHOWN:,} more"


def repeated_header_notes(choice: TableChoice, header_row: int) -> list[Note]:
    """Say, for each header written over more than one column, which of the columns was used.

    Parameters
    ----------
    choice : TableChoice
        The table, with its ``repeated`` header positions and its plan.
    header_row : int
        The spreadsheet row of the header.

    Returns
    -------
    list of Note
        One warning per repeated header of which exactly one column is read and none is
        named by the user's mapping, e.g. ``'Two
        columns are named "Spend": C and E; column C was used. To use column E instead,
        map "Spend (2)" to spend (--map "Spend (2)=spend").'``
    """
    read = _fields_by_column(choice.plan)
    out: list[Note] = []
    for group in choice.repeated:
        used = [j for j in group if j in read]
        if len(used) != 1 or set(group) & set(choice.plan.mapped):  # the user's mapping chose already
            continue
        j = used[0]
        other = next(k for k in group if k != j)
        letters = [column_letter(k) for k in group]
        count = _NUMBERS.get(len(group), f"{len(group):,}")
        text = (f'{count} columns are named "{choice.headers[group[0]]}": {", ".join(letters[:-1])} and {letters[-1]}; '
                f"column {column_letter(j)} was used. To use column {column_letter(other)} instead, map "
                f'"{choice.headers[other]}" to {read[j]} (--map "{choice.headers[other]}={read[j]}").')
        out.append((header_row, choice.headers[j], text))
    return out


def _named(sheets: Sequence[Sheet]) -> str:
    return _and_more([f'"{s.name}"' for s in sheets])


def sheet_notes(sheets: Sequence[Sheet], chosen: Sheet) -> list[Note]:
    """Say which sheet of a workbook was read when hidden sheets are involved.

    Parameters
    ----------
    sheets : sequence of Sheet
        Every sheet of the file.
    chosen : Sheet
        The sheet the table was read from.

    Returns
    -------
    list of Note
        Nothing for a CSV file or a workbook without hidden sheets; else one warning:
        the table was read from a hidden sheet (and the visible ones were not read), or
        from a visible sheet and the hidden ones were not read.
    """
    if chosen.is_csv:
        return []
    others = [s for s in sheets if s is not chosen]
    hidden = [s for s in others if s.hidden and not s.very_hidden]
    very = [s for s in others if s.very_hidden]
    if chosen.hidden:
        kind = "very hidden" if chosen.very_hidden else "hidden"
        text = f'The table was read from the {kind} sheet "{chosen.name}"'
        text += " (Excel shows it only from its VBA editor)" if chosen.very_hidden else " (Excel does not show it)"
        visible = [s for s in others if not s.hidden]
        if visible:
            text += f"; the visible sheet{'s' if len(visible) > 1 else ''} {_named(visible)} " \
                    f"{'were' if len(visible) > 1 else 'was'} not read"
        return [(None, None, text + ". Check that this is the data you meant.")]
    if not hidden and not very:
        return []
    parts = [f"the hidden sheet{'s' if len(hidden) > 1 else ''} {_named(hidden)}"] if hidden else []
    parts += [f"the very hidden sheet{'s' if len(very) > 1 else ''} {_named(very)}"] if very else []
    n = len(hidden) + len(very)
    return [(None, None, f'The table was read from the sheet "{chosen.name}"; {" and ".join(parts)} '
                         f"{'were' if n > 1 else 'was'} not read (name {'one' if n > 1 else 'it'} with --sheet to "
                         "read it instead).")]


def merge_notes(fills: Sequence[MergeFill], headers: Sequence[str]) -> list[Note]:
    """Say, per column, which merged cells were given to every row they cover, and which were read once.

    Parameters
    ----------
    fills : sequence of MergeFill
        What :func:`planner.data.merged.fill_merges` did.
    headers : sequence of str
        The table's header names.

    Returns
    -------
    list of Note
        One warning per column, on the row of its first merged range.
    """
    out: list[Note] = []
    for f in fills:
        column = headers[f.column] if f.column < len(headers) else f"Column {column_letter(f.column)}"
        n = len(f.ranges)
        what = (f"{n:,} merged cells in this column ({_and_more(f.ranges)}) were" if n > 1
                else f"A merged cell in this column ({f.ranges[0]}) was")
        if f.repeated:
            text = (f"{what} read as {'their' if n > 1 else 'its'} value on every row {'they cover' if n > 1 else 'it covers'} "
                    f"({f.rows:,} row{'s' if f.rows != 1 else ''} filled).")
        else:
            text = (f"{what} read once, on {'the first row of each' if n > 1 else 'its first row'}; the other rows "
                    f"{'they cover' if n > 1 else 'it covers'} were read as blank. If the amount is meant for every "
                    "row, unmerge the cells and fill them in.")
        out.append((f.first_row, column, text))
    return out
