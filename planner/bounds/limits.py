"""The bound on one row's spend and on one network's total, each with the sentences for what cannot be used."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.format import money

__all__ = ["RowBound", "NetworkBound", "cell_number", "column_numbers"]


def cell_number(v) -> float:
    """Return a cell as a float; blanks and text that is not a number are NaN."""
    x = pd.to_numeric(pd.Series([v]), errors="coerce").iloc[0]
    return float(x) if pd.notna(x) else math.nan


def column_numbers(s: pd.Series) -> np.ndarray:
    """Return a column as floats (a copy); blanks and text that is not a number are NaN."""
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, copy=True)


@dataclass(frozen=True)
class RowBound:
    """Bounds on one curve-table row's spend.

    Parameters
    ----------
    name : str
        The row's curve-table name.
    min_spend, max_spend : float
        Bounds in dollars; NaN means "as typed: empty" ($0 and no limit).
    lock : bool
        Hold the row at its current spend (both bounds), ignoring ``min_spend`` / ``max_spend``.
    network : str
        The row's network, kept for the saved form.
    """

    name: str
    min_spend: float = math.nan
    max_spend: float = math.nan
    lock: bool = False
    network: str = ""

    def problems(self, current: float = math.nan) -> list[str]:
        """Return sentences for what cannot be used as typed (negative, minimum above maximum, lock without spend).

        Parameters
        ----------
        current : float, default NaN
            The row's current spend in dollars; a lock needs it finite and zero or more.

        Returns
        -------
        list of str
            One sentence per problem, each starting with the row's name; empty when the bound can be used.
            A minimum above the maximum is not reported for a locked row (the lock replaces both).
        """
        out, lo, hi = [], self.min_spend, self.max_spend
        if math.isfinite(lo) and lo < 0:
            out.append(f"{self.name}: the minimum spend {money(lo)} is negative; use $0 or more.")
        if math.isfinite(hi) and hi < 0:
            out.append(f"{self.name}: the maximum spend {money(hi)} is negative; use $0 or more, or leave it empty.")
        if self.lock and not (math.isfinite(current) and current >= 0):
            out.append(f"{self.name}: there is no current spend to lock it at.")
        elif not self.lock and math.isfinite(lo) and math.isfinite(hi) and lo > hi:
            out.append(f"{self.name}: the minimum spend {money(lo)} is above the maximum {money(hi)}.")
        return out


@dataclass(frozen=True)
class NetworkBound:
    """Bounds on the total spend of one network's rows (paid media and creators); NaN = none."""

    network: str
    min_spend: float = math.nan
    max_spend: float = math.nan

    def problems(self) -> list[str]:
        """Return sentences for what cannot be used as typed (negative, minimum above maximum).

        Returns
        -------
        list of str
            One sentence per problem, each starting with the network; empty when the bound can be used.
        """
        out, lo, hi = [], self.min_spend, self.max_spend
        if math.isfinite(lo) and lo < 0:
            out.append(f"{self.network}: the network minimum {money(lo)} is negative.")
        if math.isfinite(hi) and hi < 0:
            out.append(f"{self.network}: the network maximum {money(hi)} is negative.")
        if math.isfinite(lo) and math.isfinite(hi) and lo > hi:
            out.append(f"{self.network}: the network minimum {money(lo)} is above its maximum {money(hi)}.")
        return out

    @property
    def is_set(self) -> bool:
        """Whether the bound limits anything (a minimum above $0 or any maximum).

        Returns
        -------
        bool
            True when ``min_spend`` is finite and above 0 or ``max_spend`` is finite.
        """
        return (math.isfinite(self.min_spend) and self.min_spend > 0) or math.isfinite(self.max_spend)
