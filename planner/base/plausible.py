"""The largest amount the planner reads: no spend, outcome or count of a spreadsheet comes near 10^15.

A cell of ``1e308`` or ``1e20`` is a typing error or a hostile file, never a week's spend:
beyond :data:`MAX_AMOUNT` an importer refuses the cell (the row is not used) and the curve
table refuses the row, so no such number reaches a fit, a plan or a money format.

    from planner.base.plausible import beyond_plausible, implausible_text
    beyond_plausible([1.0, 1e308, float("nan")])   # array([False,  True, False])
    implausible_text("1e308")                      # '"1e308" is beyond any plausible amount (the limit is 10^15)'
"""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_AMOUNT", "LIMIT_TEXT", "beyond_plausible", "implausible_text"]

MAX_AMOUNT = 1e15  # a thousand trillion: over any budget or revenue in any currency's units
LIMIT_TEXT = "10^15"


def beyond_plausible(values) -> np.ndarray:
    """Tell which values are larger (either sign) than :data:`MAX_AMOUNT`; infinity is, NaN is not.

    Parameters
    ----------
    values : array-like of float
        Amounts or counts.

    Returns
    -------
    ndarray of bool
        True where ``abs(value) > MAX_AMOUNT``.
    """
    with np.errstate(invalid="ignore"):
        return np.abs(np.asarray(values, dtype=float)) > MAX_AMOUNT


def implausible_text(shown: str) -> str:
    """Return the clause saying that a value is beyond any plausible amount (no full stop).

    Parameters
    ----------
    shown : str
        The value as the user wrote it (cut to 30 characters).

    Returns
    -------
    str
        E.g. ``'"1e308" is beyond any plausible amount (the limit is 10^15)'``.
    """
    if len(shown) > 30:
        shown = shown[:29] + "\u2026"
    return f'"{shown}" is beyond any plausible amount (the limit is {LIMIT_TEXT})'
