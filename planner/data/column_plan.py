"""Which column of a table is which field, and whether the table is long or wide.

:func:`plan_columns` takes all of a table's headers (and a user's mapping) and returns a
:class:`ColumnPlan`: the column of each field, and the layout: long (a row per date x
network [x creator]) or wide (a spend column per channel, with one total outcome column
or an outcome column per channel), and its controls (:mod:`planner.data.control_headers`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.data.channels import infer_network, wide_channel, wide_outcome_channel
from planner.data.control_headers import control_positions
from planner.data.dataset import DataError
from planner.data.headers import header_rank, match_field, normalize_header
from planner.data.mapping import CONTROL, IGNORE, MappedField, parse_mapping_field
from planner.data.networks import normalize_network

__all__ = ["ColumnPlan", "plan_columns", "campaign_controls"]

_X_COLUMN = re.compile(r"^x\d+$", re.I)         # PyMC example: x1, x2 (guess only)

@dataclass(frozen=True)
class ColumnPlan:
    """Which column (by position) is which field, and the table's layout.

    ``layout`` is ``"long"``, ``"wide"`` or ``"unknown"`` (no spend column found);
    ``channels`` the wide spend columns as ``(position, network)``; ``outcome_channels``
    the outcome column of each channel of a wide table without a total outcome
    (``Instagram revenue``: the outcome is then attributed per channel); ``guessed`` the
    headers taken only from a weak guess (``x1``, ``y``); ``notes`` warnings about
    what was decided (the sentence, and the header it is about); ``controls`` the columns
    read as controls (of the marketing-mix model, or of each campaign in a creators' table): those the user's
    mapping names, and in a wide table with one outcome column or a long table with a creator column those whose
    header names one.
    """

    fields: dict[str, int]
    channels: tuple[tuple[int, str], ...]
    layout: str
    dayfirst: bool | None = None
    guessed: tuple[str, ...] = ()
    network_guess: tuple[str, str] | None = None
    notes: tuple[tuple[str, str | None], ...] = ()
    mapped: tuple[int, ...] = ()  # positions the user's mapping named
    outcome_channels: tuple[tuple[int, str], ...] = ()
    controls: tuple[int, ...] = ()

    @property
    def score(self) -> int:
        """How well the headers were understood (for choosing the header row and sheet).

        Returns
        -------
        int
            10 per field, 10 per wide spend column (at most 6 counted), 20 per column the user's
            mapping named, 20 for a date, 20 for spend, 10 for an outcome (or a wide
            layout), less 15 per guessed header.
        """
        s = 10 * len(self.fields) + 10 * min(len(self.channels), 6) + 20 * len(self.mapped)
        if "date" in self.fields:
            s += 20
        if "spend" in self.fields or self.channels:
            s += 20
        if "outcome" in self.fields or self.layout == "wide":
            s += 10
        return s - 15 * len(self.guessed)


def _find_column(headers: Sequence[str], key: str) -> int | None:
    for exact in (True, False):
        for i, h in enumerate(headers):
            if (h == key) if exact else (h.strip().lower() == key.strip().lower()):
                return i
    nk = normalize_header(key)
    for i, h in enumerate(headers):
        if normalize_header(h) == nk and nk:
            return i
    return None


def plan_columns(headers: Sequence[object], mapping: Mapping[str, object] | None = None,
                 strict: bool = True) -> ColumnPlan:
    """Decide which column is which field.

    Parameters
    ----------
    headers : the header row, as text
    mapping : ``{source column: field}`` from the user; overrides detection (see
        :func:`parse_mapping_field` for the field names)
    strict : raise :class:`DataError` when a mapped column is not in ``headers``
        (False while trying candidate header rows)

    Returns
    -------
    ColumnPlan
        Columns by position in ``headers``; ``layout`` ``"unknown"`` when no spend column
        was found.

    Raises
    ------
    DataError
        When ``strict`` and a mapped column is not in ``headers``, or a mapping value (a
        string) names no field the planner knows.
    """
    headers = [str(h) for h in headers]
    notes: list[tuple[str, str | None]] = []
    fields: dict[str, int] = {}
    ranks: dict[str, int] = {}
    channels: list[tuple[int, str]] = []
    taken: set[int] = set()
    mapped: list[int] = []
    dayfirst = None
    forced_spend: list[tuple[int, str | None]] = []
    forced_outcome: list[tuple[int, str]] = []
    controls: list[int] = []

    for key, target in (mapping or {}).items():
        mf = target if isinstance(target, MappedField) else parse_mapping_field(target)
        pos = _find_column(headers, str(key))
        if pos is None:
            if strict:
                shown = ", ".join(f'"{h}"' for h in headers if h)[:400]
                raise DataError(f'The mapping names a column "{key}" that is not in the table; its columns are {shown}.')
            continue
        taken.add(pos)
        mapped.append(pos)
        if mf.field == IGNORE:
            continue
        if mf.field == CONTROL:
            controls.append(pos)
            continue
        if mf.field == "spend":
            forced_spend.append((pos, mf.network))
            continue
        if mf.field == "outcome" and mf.network:
            forced_outcome.append((pos, mf.network))
            continue
        if mf.field == "date" and mf.dayfirst is not None:
            dayfirst = mf.dayfirst
        fields[mf.field] = pos
        ranks[mf.field] = -1

    user_fields = set(fields)
    for pos, h in enumerate(headers):
        if pos in taken:
            continue
        fld = match_field(h)
        if fld is None or fld in user_fields:
            continue
        if forced_spend and fld == "spend":
            continue
        r = header_rank(h)
        if fld not in fields or r < ranks[fld]:
            fields[fld] = pos
            ranks[fld] = r

    # Per-channel spend columns of a wide table.
    if "network" not in fields:
        seen: dict[str, int] = {}
        for pos, h in enumerate(headers):
            if pos in taken or pos in fields.values():
                continue
            net = wide_channel(h)
            if net is None:
                continue
            if net in seen:
                notes.append((f'Column "{h}" is a second spend column for {net}; only "{headers[seen[net]]}" was used.', h))
                continue
            seen[net] = pos
            channels.append((pos, net))

    guessed: list[str] = []
    layout = "unknown"
    if forced_spend:
        if "network" in fields or len(forced_spend) == 1 and not channels:
            pos0 = forced_spend[0][0]
            fields["spend"] = pos0
            for pos, _ in forced_spend[1:]:
                notes.append((f'Only one spend column can be used in a table with a network column; "{headers[pos]}" was not used.', headers[pos]))
            channels = []
        else:
            for pos, net in forced_spend:
                name = net or wide_channel(headers[pos]) or normalize_network(headers[pos])
                channels = [c for c in channels if c[1] != name]
                channels.append((pos, name))
            fields.pop("spend", None)
    if "network" in fields:
        layout = "long" if "spend" in fields else "unknown"
        channels = []
    elif channels and (len(channels) >= 2 or "spend" not in fields):
        layout = "wide"
        if "spend" in fields:
            notes.append((f'Column "{headers[fields["spend"]]}" was not used: the spend columns per channel were used instead.',
                          headers[fields["spend"]]))
            fields.pop("spend")
    elif "spend" in fields:
        layout = "long"
        channels = []
    else:
        xs = [(pos, h) for pos, h in enumerate(headers) if pos not in taken and _X_COLUMN.match(h.strip())]
        if xs and "date" in fields:
            layout = "wide"
            channels = [(pos, normalize_network(h.strip())) for pos, h in xs]
            guessed = [h for _, h in xs]
            if "outcome" not in fields:
                ys = [pos for pos, h in enumerate(headers) if pos not in taken and h.strip().lower() in ("y", "target", "kpi", "dependent")]
                if ys:
                    fields["outcome"] = ys[0]
                    guessed.append(headers[ys[0]])
            named = ", ".join(guessed)
            notes.append((
                f"The columns {named} were read as "
                + ("spend per channel and the outcome" if "outcome" in fields and headers[fields['outcome']] in guessed else "spend per channel")
                + " only from their names; if that is wrong, say what each column is, e.g. "
                f'--map "{xs[0][1]}=spend:TV" or --map "{xs[0][1]}=ignore".',
                None,
            ))
    outcome_channels: list[tuple[int, str]] = []
    if layout == "wide" and "outcome" not in fields and not guessed:
        # a spend and an outcome column per channel ("Instagram spend", "Instagram revenue")
        nets = {net for _, net in channels}
        used = taken | set(fields.values()) | {pos for pos, _ in channels}
        found = {net: pos for pos, net in forced_outcome}
        for pos, h in enumerate(headers):
            net = wide_outcome_channel(h) if pos not in used else None
            if net is not None and net in nets and net not in found:
                found[net] = pos
        if found and set(found) <= nets:
            outcome_channels = [(found[net], net) for _, net in channels if net in found]
            for f in ("orders", "outcome_per_order"):
                fields.pop(f, None)
            missing = [net for _, net in channels if net not in found]
            if missing:
                notes.append((f"There is no outcome column for {', '.join(missing)}, so "
                              f"{'its' if len(missing) == 1 else 'their'} spend was left out.", None))
                channels = [(pos, net) for pos, net in channels if net in found]
    if layout == "wide":
        for f in ("network", "entity"):
            fields.pop(f, None)
    if (layout == "wide" and not outcome_channels) or (layout == "long" and "entity" in fields):
        used = taken | set(fields.values()) | {pos for pos, _ in channels}
        controls.extend(control_positions(headers, used))
    network_guess = None
    if layout == "long" and "network" not in fields:
        network_guess = infer_network(headers)
    return ColumnPlan(fields, tuple(channels), layout, dayfirst, tuple(guessed), network_guess, tuple(notes),
                      tuple(mapped), tuple(outcome_channels), tuple(sorted(controls)))



def campaign_controls(plan: ColumnPlan) -> bool:
    """Return True for a long table with a creator column: its controls are each campaign's (a discount, a launch)."""
    return plan.layout == "long" and "entity" in plan.fields
