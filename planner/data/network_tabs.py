"""A workbook with a sheet per network (a tab "Instagram", a tab "TikTok"), read as one table.

Team trackers often keep each network's creators on a tab of its own, without a network column. Each tab named for
a network the planner knows is read as its own table (its rows that network's: planner.data.ingest) and the tables
are put together: their rows, issues (each naming its own sheet and row) and skipped rows. Tabs that state
different currencies cannot be added up and are an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd

from planner.data.dataset import Dataset, Issue
from planner.data.networks import known_network
from planner.data.sheet import Sheet

__all__ = ["network_tabs", "stack_tabs"]


def network_tabs(sheets: Sequence[Sheet | str]) -> list[str]:
    """Return the names of the sheets named for a network the planner knows (``Instagram``, ``TT``), in order.

    A workbook's sheets, or their names; a CSV file has none. Fewer than two: there is nothing to read together.
    """
    names = [s if isinstance(s, str) else s.name for s in sheets if isinstance(s, str) or not s.is_csv]
    return [n for n in names if known_network(n) is not None]


def stack_tabs(parts: Sequence[Dataset]) -> Dataset | None:
    """Return the network sheets' tables as one Dataset, or None when they are not all creators' or ad rows.

    Parameters
    ----------
    parts : sequence of Dataset
        One per network sheet, as each was imported alone.

    Returns
    -------
    Dataset or None
        Rows, controls, issues and skipped rows of every sheet in sheet order; ``sheet`` names them all; a table
        of one outcome per period among them (a marketing-mix sheet) gives None (each is then read on its own).
    """
    if not parts or any(p.kind != "attributed" for p in parts):
        return None
    names = [p.sheet for p in parts]
    issues = [Issue("warning", names[0], None, None, None,
                    f"The workbook has a sheet per network ({', '.join(names)}); they were read together, each "
                    "sheet's rows its network's.")]
    for p in parts:
        issues.extend(p.issues)
    currencies = {p.currency for p in parts if p.currency}
    if len(currencies) > 1:
        said = ", ".join(f"{p.currency} on {p.sheet}" for p in parts if p.currency)
        issues.append(Issue("error", names[0], None, None, None,
                            f"The network sheets state different currencies ({said}), so their amounts cannot be "
                            "added up; convert them to one currency, or load each sheet on its own."))
    controls = None
    have = [p.controls for p in parts if p.controls is not None]
    if have and len(have) == len(parts) and all(list(c.columns) == list(have[0].columns) for c in have):
        controls = pd.concat(have, ignore_index=True)
    elif have:
        issues.append(Issue("warning", names[0], None, None, None,
                            "The network sheets do not all have the same control columns, so the creators' fit "
                            "does not use them; give every sheet the same ones."))
    unused = tuple(dict.fromkeys(h for p in parts for h in p.unused))
    digest = hashlib.sha256("\x00".join(p.fingerprint for p in parts).encode()).hexdigest()
    first = parts[0]
    rows = pd.concat([p.rows.assign(sheet=p.sheet) for p in parts], ignore_index=True)  # row numbers are per sheet
    return Dataset("attributed", rows, None, tuple(issues),
                   pd.concat([p.skipped for p in parts], ignore_index=True), first.source, ", ".join(names), digest,
                   first.mapping, first.columns, first.sheets, next(iter(currencies), None) if len(currencies) == 1
                   else None, first.currency_from if len(currencies) == 1 else "", controls, unused)
