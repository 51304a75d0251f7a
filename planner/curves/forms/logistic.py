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
        """Return ``beta * tanh(x / 2k)`` at spend ``x`` (arguments as :meth:`CurveForm.value`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta * np.tanh(x / (2.0 * k))

    def derivative(self, x, beta, k, s=None):
        """Return ``beta / (2k cosh^2(x / 2k))`` at spend ``x`` (as :meth:`CurveForm.derivative`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta / (2.0 * k) / np.cosh(np.minimum(x / (2.0 * k), 350.0)) ** 2

    def curvature(self, x, beta, k, s=None):
        """Return ``-beta tanh(x / 2k) / (2k^2 cosh^2(x / 2k))`` at spend ``x`` (as :meth:`CurveForm.curvature`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        h = np.minimum(x / (2.0 * k), 350.0)
        return -beta * np.tanh(h) / (2.0 * k * k) / np.cosh(h) ** 2

    def root(self, p, beta, k, s, infl, state: dict):
        """Return the spend where the slope equals ``p``, 0 where the curve starts flatter (as :meth:`CurveForm.root`)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.sqrt(beta / (2.0 * k * p))
            return np.where(c > 1.0, 2.0 * k * np.arccosh(np.maximum(c, 1.0)), 0.0)
