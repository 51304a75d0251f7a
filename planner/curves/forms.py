"""Response-curve forms of the curve table (DESIGN.md, contract 1).

Each form is a small class over :class:`CurveForm`, registered by the name used in
the curve table's ``curve`` column.  Every method is vectorised over NumPy arrays so
one call evaluates thousands of entities at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

__all__ = ["CurveForm", "FORMS", "get_form", "response", "marginal", "inflection"]


class CurveForm:
    """Base class: a response to spend ``x >= 0`` with parameters ``beta, k, s``."""

    name: ClassVar[str]
    needs_s: ClassVar[bool] = False

    def value(self, x, beta, k, s):  # pragma: no cover - abstract
        raise NotImplementedError

    def derivative(self, x, beta, k, s):  # pragma: no cover - abstract
        raise NotImplementedError

    def inflection(self, beta, k, s):
        """Spend below which the curve is convex (0 for concave forms)."""
        return np.zeros(np.broadcast(beta, k, s).shape)


@dataclass(frozen=True)
class Hill(CurveForm):
    """``beta * x^s / (x^s + k^s)``; S-shaped (not concave) when ``s > 1``."""

    name: ClassVar[str] = "hill"
    needs_s: ClassVar[bool] = True

    def value(self, x, beta, k, s):
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            r = np.power(x / k, s)
            out = beta * r / (1.0 + r)
        return np.where(np.isinf(r), beta, np.nan_to_num(out))

    def derivative(self, x, beta, k, s):
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            r = np.power(x / k, s)
            d = beta * s * r / (x * (1.0 + r) ** 2)
        # limits at x = 0: 0 for s > 1, beta/k for s == 1, +inf for s < 1
        at0 = np.where(s > 1, 0.0, np.where(s == 1, beta / k, np.inf))
        d = np.where(x == 0, at0, d)
        return np.where(np.isfinite(r), np.nan_to_num(d, nan=0.0, posinf=np.inf), 0.0)

    def inflection(self, beta, k, s):
        s = np.asarray(s, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            x = k * np.power(np.maximum(s - 1.0, 0.0) / (s + 1.0), 1.0 / s)
        return np.where(s > 1, x, 0.0)


@dataclass(frozen=True)
class Logistic(CurveForm):
    """``beta * (1 - exp(-x/k)) / (1 + exp(-x/k))`` = ``beta * tanh(x / 2k)``."""

    name: ClassVar[str] = "logistic"

    def value(self, x, beta, k, s=None):
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta * np.tanh(x / (2.0 * k))

    def derivative(self, x, beta, k, s=None):
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta / (2.0 * k) / np.cosh(np.minimum(x / (2.0 * k), 350.0)) ** 2


@dataclass(frozen=True)
class Log(CurveForm):
    """``beta * ln(1 + x/k)``."""

    name: ClassVar[str] = "log"

    def value(self, x, beta, k, s=None):
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta * np.log1p(x / k)

    def derivative(self, x, beta, k, s=None):
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        return beta / (k + x)


@dataclass(frozen=True)
class Linear(CurveForm):
    """``beta * x`` (the curve table must give it a ``max_spend``)."""

    name: ClassVar[str] = "linear"

    def value(self, x, beta, k=None, s=None):
        return beta * np.maximum(np.asarray(x, dtype=float), 0.0)

    def derivative(self, x, beta, k=None, s=None):
        return beta * np.ones_like(np.asarray(x, dtype=float))


FORMS: dict[str, CurveForm] = {f.name: f for f in (Hill(), Logistic(), Log(), Linear())}


def get_form(name: str) -> CurveForm:
    """Return the curve form registered under ``name`` (case-insensitive)."""
    key = str(name).strip().lower()
    if key not in FORMS:
        raise ValueError(f"Unknown curve form {name!r}; use one of {', '.join(FORMS)}.")
    return FORMS[key]


def _params(curves):
    beta = curves["beta"].to_numpy(dtype=float)
    k = curves["k"].to_numpy(dtype=float) if "k" in curves else np.ones(len(curves))
    s = curves["s"].to_numpy(dtype=float) if "s" in curves else np.ones(len(curves))
    k = np.where(np.isfinite(k), k, 1.0)
    s = np.where(np.isfinite(s), s, 1.0)
    return beta, k, s


def _apply(method: str, curves, x) -> np.ndarray:
    x = np.broadcast_to(np.asarray(x, dtype=float), (len(curves),)).copy()
    beta, k, s = _params(curves)
    forms = curves["curve"].astype(str).str.lower().to_numpy()
    out = np.zeros(len(curves))
    for name in np.unique(forms):
        m = forms == name
        out[m] = getattr(get_form(name), method)(x[m], beta[m], k[m], s[m])
    return out


def response(curves, spend) -> np.ndarray:
    """Response of every row of the curve table ``curves`` to its ``spend``."""
    return _apply("value", curves, spend)


def marginal(curves, spend) -> np.ndarray:
    """Marginal response (d response / d spend) of every row at ``spend``."""
    return _apply("derivative", curves, spend)


def inflection(curves) -> np.ndarray:
    """Spend below which each row's curve is convex (0 where concave)."""
    beta, k, s = _params(curves)
    forms = curves["curve"].astype(str).str.lower().to_numpy()
    out = np.zeros(len(curves))
    for name in np.unique(forms):
        m = forms == name
        out[m] = get_form(name).inflection(beta[m], k[m], s[m])
    return out
