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
    smooth_root: ClassVar[bool] = False  # the best spend jumps from nothing to all the row may take

    def value(self, x, beta, k=None, s=None):
        """Return ``beta * x`` at spend ``x`` (arguments as :meth:`CurveForm.value`)."""
        return beta * np.maximum(np.asarray(x, dtype=float), 0.0)

    def derivative(self, x, beta, k=None, s=None):
        """Return ``beta`` at every spend (arguments as :meth:`CurveForm.derivative`)."""
        return beta * np.ones_like(np.asarray(x, dtype=float))

    def curvature(self, x, beta, k=None, s=None):
        """Return 0 at every spend (arguments as :meth:`CurveForm.curvature`)."""
        return np.zeros(np.broadcast(np.asarray(x, dtype=float), beta).shape)

    def root(self, p, beta, k, s, infl, state: dict):
        """Return ``inf`` where ``beta > p`` (spend all the domain allows), else 0 (as :meth:`CurveForm.root`)."""
        return np.where(beta > p, np.inf, 0.0)

    def rescale_cost(self, beta, k, s, ratio):
        """Return the parameters when a post costs ``ratio`` times as much: the slope ``beta`` falls by ``ratio``."""
        return np.asarray(beta, dtype=float) / ratio, k, s

    def repeat(self, beta, k, s, times):
        """Return the parameters of ``times * f(x / times)``: a straight line is its own repeat (as :meth:`CurveForm.repeat`)."""
        return np.asarray(beta, dtype=float), k, s
