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
        """Return ``beta * ln(1 + x/k)`` at spend ``x`` (arguments as :meth:`CurveForm.value`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta * np.log1p(x / k)

    def derivative(self, x, beta, k, s=None):
        """Return ``beta / (k + x)`` at spend ``x`` (arguments as :meth:`CurveForm.derivative`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta / (k + x)

    def curvature(self, x, beta, k, s=None):
        """Return ``-beta / (k + x)^2`` at spend ``x`` (arguments as :meth:`CurveForm.curvature`)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return -beta / (k + x) ** 2

    def root(self, p, beta, k, s, infl, state: dict):
        """Return the spend where ``beta / (k + x) = p``, 0 where the curve starts flatter (as :meth:`CurveForm.root`)."""
        with np.errstate(divide="ignore"):
            return np.maximum(beta / p - k, 0.0)
