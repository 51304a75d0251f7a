"""Each row's response curve, its slope and its bend, as the flighting solver reads them.

The solver works on every row's *concave envelope*: the curve itself where it is concave
(log, logistic, linear, hill with ``s <= 1``), and for an S-shaped hill (``s > 1``) the straight
line from the origin to the point ``t = k (s - 1)^(1/s)`` where that line touches the curve, then
the curve. The envelope is never below the curve, so a plan's value on envelopes bounds the
best plan's value on the curves from above: that is what makes the solver's gap a proof.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.curves.forms import get_form

__all__ = ["Shapes"]


@dataclass(frozen=True)
class Shapes:
    """Curve parameters of n rows, with the tangent point of each S-shaped hill (0 elsewhere).

    Attributes
    ----------
    form : ndarray of str
        ``hill``, ``logistic``, ``log`` or ``linear`` per row.
    beta, k, s : ndarray
        The curve table's parameters (k and s 1 where a form has none).
    tangent : ndarray
        Spend where the envelope's straight part meets an S-shaped hill; 0 for concave rows.
    """

    form: np.ndarray
    beta: np.ndarray
    k: np.ndarray
    s: np.ndarray
    tangent: np.ndarray
    code: np.ndarray | None = None
    groups: tuple = ()

    def __post_init__(self) -> None:
        if self.code is None:
            names, code = np.unique(self.form, return_inverse=True)
            object.__setattr__(self, "code", code)
            object.__setattr__(self, "groups", tuple(
                (get_form(str(n)), np.flatnonzero(code == i)) for i, n in enumerate(names)))

    @classmethod
    def of(cls, curves: pd.DataFrame) -> Shapes:
        """Read the shapes of a validated curve table."""
        form = curves["curve"].astype(str).str.strip().str.lower().to_numpy()
        beta = curves["beta"].to_numpy(dtype=float)
        k = curves["k"].to_numpy(dtype=float) if "k" in curves else np.ones(len(curves))
        s = curves["s"].to_numpy(dtype=float) if "s" in curves else np.ones(len(curves))
        k = np.where(np.isfinite(k), k, 1.0)
        s = np.where(np.isfinite(s) & (form == "hill"), s, 1.0)
        with np.errstate(invalid="ignore"):
            tangent = np.where((form == "hill") & (s > 1), k * np.power(np.maximum(s - 1.0, 0.0), 1.0 / s), 0.0)
        return cls(form, beta, k, s, tangent)

    @property
    def s_shaped(self) -> np.ndarray:
        """Rows whose curve is not concave."""
        return self.tangent > 0

    def take(self, idx: np.ndarray) -> Shapes:
        """Return the shapes of rows ``idx`` (repeated as often as they appear)."""
        code = self.code[idx]
        if len(self.groups) == 1:  # one form: no need to sort the rows again
            groups = ((self.groups[0][0], np.arange(len(idx))),)
        else:
            groups = tuple((form, np.flatnonzero(code == c)) for c, (form, _) in enumerate(self.groups))
        return Shapes(self.form[idx], self.beta[idx], self.k[idx], self.s[idx], self.tangent[idx], code, groups)

    def _each(self, method: str, x: np.ndarray) -> np.ndarray:
        if len(self.groups) == 1:
            return getattr(self.groups[0][0], method)(x, self.beta, self.k, self.s)
        out = np.zeros(len(x))
        for form, m in self.groups:
            out[m] = getattr(form, method)(x[m], self.beta[m], self.k[m], self.s[m])
        return out

    def value(self, x: np.ndarray, envelope: bool = False) -> np.ndarray:
        """Return the response at spend ``x`` (per row), on the curve or on its concave envelope."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        out = self._each("value", x)
        if envelope and self.s_shaped.any():
            low = x < self.tangent
            if low.any():
                t = self.tangent[low]
                out[low] = x[low] * self._each_at("value", t, low) / t
        return out

    def _each_at(self, method: str, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return self.take(np.flatnonzero(rows))._each(method, x)

    def slope(self, x: np.ndarray) -> np.ndarray:
        """Return the envelope's slope at ``x`` (finite: a hill with s < 1 gets a large number at $0)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        out = self._each("derivative", x)
        if self.s_shaped.any():
            low = x < self.tangent
            if low.any():
                t = self.tangent[low]
                out[low] = self._each_at("value", t, low) / t
        return np.where(np.isfinite(out), out, 1e300)

    def bend(self, x: np.ndarray) -> np.ndarray:
        """Return the envelope's second derivative at ``x`` (0 on an S-curve's straight part; never positive)."""
        x = np.maximum(np.asarray(x, dtype=float), 0.0)
        with np.errstate(invalid="ignore"):
            out = self._each("curvature", x)
        if self.s_shaped.any():
            out[x < self.tangent] = 0.0
        return np.minimum(np.where(np.isfinite(out), out, -1e300), 0.0)
