"""The fit's time budget: how long the app's and the command line's fit may take, and what it left out.

A fit does what every curve needs whatever the time (each creator's and network's curve, the
marketing-mix model fitted on all weeks from one start) and the rest only while its budget lasts:
the marketing-mix model's test on held-out weeks, its further starts and its bootstrap refits
(planner.fit.mmm.fit_mmm). :func:`unfinished_note` says in a sentence what was left out, which the
curve table carries in the rows it concerns (``pooling_note``, the Model page's "Why") and in
``attrs["fit_notes"]`` (printed by ``python -m planner fit``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

__all__ = ["TIME_BUDGET", "NOTES", "Budget", "unfinished_note"]

TIME_BUDGET = 120.0  # seconds: the app's and the CLI's fit (`fit --time-budget`)
NOTES = "fit_notes"  # the curve table's attrs key of the fit's sentences about what it left out


def _seconds(budget: float) -> str:
    return f"{budget:g} s"


@dataclass(frozen=True)
class Budget:
    """A fit's time budget: its seconds and the moment (``time.monotonic()``) they run out.

    Attributes
    ----------
    seconds : float
        The whole budget, as the user set it (what the sentences say).
    deadline : float
        When it runs out.
    """

    seconds: float
    deadline: float

    @classmethod
    def of(cls, budget: float | Budget | None) -> Budget | None:
        """Return ``budget`` as a Budget starting now (a Budget as it is; None for no limit)."""
        if budget is None or isinstance(budget, Budget):
            return budget
        seconds = max(float(budget), 0.0)
        return cls(seconds, time.monotonic() + seconds)

    def over(self) -> bool:
        """Return whether the budget has run out."""
        return time.monotonic() >= self.deadline


def unfinished_note(budget: float | None, untested: bool, starts: tuple[int, int], refits: tuple[int, int]) -> str:
    """Say what a marketing-mix fit left out to keep within its time budget; ``""`` when it left out nothing.

    Parameters
    ----------
    budget : float or None
        The fit's time budget in seconds (None: it had no limit, so it left out nothing).
    untested : bool
        Whether the test on held-out weeks was left out.
    starts : (int, int)
        Starting points fitted, and offered.
    refits : (int, int)
        Bootstrap refits made, and asked for.

    Returns
    -------
    str
        One sentence, e.g. "Within its time budget of 120 s the marketing-mix model made only 12 of 30 bootstrap
        refits: the bands are from those 12, widened to at least the model's own uncertainty."
    """
    if budget is None:
        return ""
    said = []
    if untested:
        said.append("was not tested on held-out weeks (its R² is on the weeks it was fitted to)")
    done, offered = starts
    if done < offered:
        said.append(f"was fitted from {done} of {offered} starting points (a better fit may have been missed)")
    made, asked = refits
    if made < asked:
        said.append(f"made none of its {asked} bootstrap refits: the bands are the model's own uncertainty (the "
                    "curvature of its fit) alone" if made == 0 else
                    f"made only {made} of {asked} bootstrap refits: the bands are from those {made}, widened to at "
                    "least the model's own uncertainty")
    if not said:
        return ""
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return f"Within its time budget of {_seconds(budget)} the marketing-mix model {listed}."
