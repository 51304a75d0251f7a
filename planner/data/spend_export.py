"""An ad platform's spend export without revenue, read for its spend alone.

Meta Ads Manager, TikTok Ads Manager and Google Ads export spend by day and campaign; the revenue the spend
brought is the shop's (planner.data.sales_file). Such a file, or a team's table of spend per channel without
sales, cannot be fitted alone ("there is spend but no outcome column"); read with the shop's sales
(planner.data.spend_join) its spend per day and network is what the marketing-mix model needs.

planner.data.ingest reads it as every table is read (dates, amounts, totals rows, currency, the network its
headers name), with a stand-in outcome column of zeros (:func:`with_stand_in`) that :func:`without_stand_in` takes
out of the Dataset again, so that nothing said about the stand-in reaches the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from planner.data.dataset import DataError, Dataset
from planner.data.files import read_sheets
from planner.data.mapping import parse_mapping
from planner.data.table_finder import TableChoice, choose_table

__all__ = ["STAND_IN", "needs_sales", "platform_value", "with_stand_in", "stand_in_notes", "without_stand_in",
           "is_spend_export"]

_PEEK_ROWS = 40  # enough rows to find the header
STAND_IN = "(no revenue in this file)"  # the header of the stand-in outcome column
_OUTCOME_FIELDS = ("outcome", "outcome_per_order", "code", "entity")


def needs_sales(choice: TableChoice | None, own: bool = False) -> bool:
    """Whether a table is spend without revenue: spend by date (per network, or a column per channel), no outcome.

    A creators' tracker (a creator column) and one with promo codes are not: their revenue is per campaign
    (planner.data.code_join), not the shop's total. ``own``: an ad platform's export with its own conversion
    value (a long table of spend by date and network, no creator) counts too: the value is the platform's
    attribution, and the shop's sales are the outcome where the shop's sales are given (:func:`platform_value`).
    """
    if choice is None:
        return False
    plan = choice.plan
    if plan.layout not in ("long", "wide") or "date" not in plan.fields or "code" in plan.fields:
        return False
    if own and platform_value(choice) is not None:
        return True
    return not plan.outcome_channels and not any(k in plan.fields for k in _OUTCOME_FIELDS)


def platform_value(choice: TableChoice) -> str | None:
    """Return the header of an ad platform's own conversion value (a long table of spend by date, no creator)."""
    f = choice.plan.fields
    if choice.plan.layout != "long" or "entity" in f or "code" in f:
        return None
    j = f.get("outcome", f.get("outcome_per_order"))
    return None if j is None else choice.headers[j]


def with_stand_in(choice: TableChoice) -> TableChoice:
    """Return the table with an outcome column of zeros at its right, read as its outcome.

    The table's own conversion value, if any, is left unread (:func:`stand_in_notes` says so).
    """
    sheet = choice.sheet
    col = np.full(len(sheet), 0.0, dtype=object)
    col[: choice.pos] = None
    col[choice.pos] = STAND_IN
    headers = [*choice.headers, STAND_IN]
    kept = {k: j for k, j in choice.plan.fields.items() if k not in ("outcome", "outcome_per_order")}
    fields = {**kept, "outcome": len(choice.headers)}
    return replace(choice, sheet=replace(sheet, cols=[*sheet.cols, col], factors={}), headers=headers,
                   plan=replace(choice.plan, fields=fields))


def stand_in_notes(choice: TableChoice) -> list[tuple[int, str, str]]:
    """Say what reading a table for its spend alone leaves out: the platform's own conversion value, if any."""
    own = platform_value(choice)
    if own is None:
        return []
    row = int(choice.sheet.rownums[choice.pos])
    return [(row, own, f'"{own}" is the platform\'s own attribution of sales to its ads, so it was not used: the '
                       "shop's sales loaded with this file are the outcome, which the marketing-mix model splits "
                       "across the networks.")]


def without_stand_in(ds: Dataset) -> Dataset:
    """Return a Dataset read :func:`with_stand_in` without the stand-in: its issues, mapping and columns."""
    return replace(ds, issues=tuple(i for i in ds.issues if i.column != STAND_IN),
                   mapping=tuple(p for p in ds.mapping if p[0] != STAND_IN),
                   columns=tuple(c for c in ds.columns if c != STAND_IN))


def is_spend_export(source: Any, name: str | None = None, mapping: Mapping[str, str] | None = None) -> bool:
    """Tell from a file's first rows whether it is spend for the shop's sales (:func:`needs_sales` of its table).

    An ad platform's export with its own conversion value is one: where the shop's sales are given, they are the
    outcome.

    Raises
    ------
    DataError
        When the file cannot be read at all.
    """
    fname, sheets = read_sheets(source, name, max_rows=_PEEK_ROWS)
    try:
        choice = choose_table(sheets, None, parse_mapping(mapping), fname)
    except DataError:
        return False
    return needs_sales(choice, own=True)
