"""A creators' tracker's status column: campaigns that have not run are left out.

Campaigns planned, booked or cancelled say nothing of how revenue answers a fee; they are left out and said by
status (planner.data.long_table).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from planner.data.values import is_missing

__all__ = ["NOT_RUN", "not_run", "status_note"]

NOT_RUN = frozenset({
    "cancelled", "canceled", "cancelled by creator", "planned", "booked", "scheduled", "draft", "upcoming",
    "not started", "to do", "todo", "on hold", "proposed", "pitched", "negotiating", "in negotiation",
    "declined", "rejected", "idea", "tbc", "tbd", "not posted", "abgesagt", "geplant", "annule", "annulee", "prevu",
})


def not_run(cell: object) -> bool:
    """Whether a status cell says the campaign has not run (``Cancelled``, ``Planned``, ``Booked``...)."""
    if is_missing(cell):
        return False
    return " ".join(str(cell).replace("-", " ").split()).lower().rstrip(".!") in NOT_RUN


def status_note(cells: np.ndarray, first_row: int) -> str:
    """Say the rows left out by their status: how many, by the status written, and the first row."""
    written = [" ".join(str(c).split()) for c in cells]
    first = {}
    for w in written:  # "Cancelled" and "cancelled" counted as one, as first written
        first.setdefault(w.lower(), w)
    counts = Counter(first[w.lower()] for w in written)
    n = int(sum(counts.values()))
    said = ", ".join(f'"{k}" ({v:,})' for k, v in counts.most_common())
    return (f"{n:,} row{'s' if n > 1 else ''} whose status says the campaign has not run ({said}) "
            f"{'were' if n > 1 else 'was'} left out (the first at row {first_row}): a campaign that did not run "
            "says nothing of what a fee returns.")
