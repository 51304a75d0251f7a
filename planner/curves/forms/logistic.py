"""The logistic curve: ``beta * (1 - exp(-x/k)) / (1 + exp(-x/k))`` = ``beta * tanh(x / 2k)``, concave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from planner.curves.forms.base import CurveForm

__all__ = ["Logistic"]


@dataclass(frozen=True)
class Logistic(CurveForm):
    """``beta * (1 - exp(-x/k)) / (1 + exp(-x/k))`` = ``beta * tanh(x / 2k)``."""

    name: ClassVar[str] = "logistic"

    def value(self, x, beta, k, s=None):
        """Return the response at spend ``x``.

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars; below zero counts as zero.
        beta, k : ndarray of float
            The rows' saturation level (outcome units) and spend scale (dollars).
        s : optional
            Not read.

        Returns
        -------
        ndarray of float
            ``beta * tanh(x / 2k)`` per row, between 0 and ``beta``.
        """
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta * np.tanh(x / (2.0 * k))

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
            Outcome units per dollar per row (``beta / 2k`` at zero spend).
        """
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta / (2.0 * k) / np.cosh(np.minimum(x / (2.0 * k), 350.0)) ** 2

    def root(self, p, beta, k, s, infl, state: dict):
        """Return the spend where ``beta / (2k cosh^2(x / 2k)) = p`` (0 when the curve starts flatter).

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
            ``2k arccosh(sqrt(beta / (2 k p)))`` per row where that is defined and positive, else 0
            (``inf`` at ``p = 0`` with ``beta > 0``).
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.sqrt(beta / (2.0 * k * p))
            return np.where(c > 1.0, 2.0 * k * np.arccosh(np.maximum(c, 1.0)), 0.0)
