"""The linear curve: ``beta * x``; it never flattens, so a row needs a ``max_spend``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from planner.curves.forms.base import CurveForm

__all__ = ["Linear"]


@dataclass(frozen=True)
class Linear(CurveForm):
    """``beta * x`` (the curve table must give it a ``max_spend``)."""

    name: ClassVar[str] = "linear"
    n_params: ClassVar[int] = 1
    needs_k: ClassVar[bool] = False
    needs_cap: ClassVar[bool] = True

    def value(self, x, beta, k=None, s=None):
        """Return the response at spend ``x``.

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars; below zero counts as zero.
        beta : ndarray of float
            The rows' slopes, outcome units per dollar.
        k, s : optional
            Not read.

        Returns
        -------
        ndarray of float
            ``beta * x`` per row.
        """
        return beta * np.maximum(np.asarray(x, dtype=float), 0.0)

    def derivative(self, x, beta, k=None, s=None):
        """Return the marginal response (``beta`` everywhere).

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars (only its shape is read).
        beta : ndarray of float
            The rows' slopes.
        k, s : optional
            Not read.

        Returns
        -------
        ndarray of float
            ``beta`` broadcast to the shape of ``x``.
        """
        return beta * np.ones_like(np.asarray(x, dtype=float))

    def root(self, p, beta, k, s, infl, state: dict):
        """Return ``inf`` where ``beta > p`` (spend all the domain allows), else 0: ``f - p x`` is linear.

        Parameters
        ----------
        p : ndarray of float
            The price of a dollar of spend per row, in outcome units per dollar.
        beta : ndarray of float
            The rows' slopes.
        k, s, infl, state
            Not read.

        Returns
        -------
        ndarray of float
            ``inf`` or 0 per row.
        """
        return np.where(beta > p, np.inf, 0.0)

    def rescale_cost(self, beta, k, s, ratio):
        """Return the parameters when a post costs ``ratio`` times as much: the slope ``beta`` falls by ``ratio``.

        Parameters
        ----------
        beta, k, s : ndarray of float
            The rows' curve parameters (``k`` and ``s`` are returned unchanged).
        ratio : float or ndarray of float
            New cost per post divided by the old one (positive).

        Returns
        -------
        tuple of (beta, k, s)
            ``beta / ratio`` (as floats), ``k`` and ``s``.
        """
        return np.asarray(beta, dtype=float) / ratio, k, s
