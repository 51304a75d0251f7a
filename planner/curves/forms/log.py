"""The log curve: ``beta * ln(1 + x/k)``, concave, never flat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from planner.curves.forms.base import CurveForm

__all__ = ["Log"]


@dataclass(frozen=True)
class Log(CurveForm):
    """``beta * ln(1 + x/k)``."""

    name: ClassVar[str] = "log"

    def value(self, x, beta, k, s=None):
        """Return the response at spend ``x``.

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars; below zero counts as zero.
        beta, k : ndarray of float
            The rows' scale (outcome units) and spend scale (dollars).
        s : optional
            Not read.

        Returns
        -------
        ndarray of float
            ``beta * ln(1 + x / k)`` per row.
        """
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta * np.log1p(x / k)

    def derivative(self, x, beta, k, s=None):
        """Return the marginal response at spend ``x``.

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars; below zero counts as zero.
        beta, k : ndarray of float
            The rows' curve parameters.
        s : optional
            Not read.

        Returns
        -------
        ndarray of float
            ``beta / (k + x)`` per row, outcome units per dollar.
        """
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta / (k + x)

    def root(self, p, beta, k, s, infl, state: dict):
        """Return the spend where ``beta / (k + x) = p`` (0 when the curve starts flatter than ``p``).

        Parameters
        ----------
        p : ndarray of float
            The price of a dollar of spend per row, in outcome units per dollar.
        beta, k : ndarray of float
            The rows' curve parameters.
        s, infl, state
            Not read.

        Returns
        -------
        ndarray of float
            ``max(beta / p - k, 0)`` per row: ``inf`` at ``p = 0`` (with ``beta > 0``), 0 for ``p < 0``.
        """
        with np.errstate(divide="ignore"):
            return np.maximum(beta / p - k, 0.0)
