"""Response-curve forms of the curve table (DESIGN.md, contract 1), as a registry.

Each form is one module with a :class:`~planner.curves.forms.base.CurveForm` subclass that
carries its response, marginal, inflection, the root of the optimizer's per-row subproblem,
its parameter count and how its parameters rescale with a new cost per post; it is registered
here by the name used in the curve table's ``curve`` column.  A new form is one new module and
one line below.  The functions here evaluate a whole curve table at once.
"""

from __future__ import annotations

import numpy as np

from planner.curves.forms.base import CurveForm
from planner.curves.forms.hill import Hill
from planner.curves.forms.linear import Linear
from planner.curves.forms.log import Log
from planner.curves.forms.logistic import Logistic

__all__ = ["CurveForm", "FORMS", "get_form", "form_flags", "response", "marginal", "inflection"]

FORMS: dict[str, CurveForm] = {f.name: f for f in (Hill(), Logistic(), Log(), Linear())}


def get_form(name: str) -> CurveForm:
    """Return the curve form registered under ``name`` (case-insensitive).

    Parameters
    ----------
    name : str
        A curve-table ``curve`` value: ``hill``, ``logistic``, ``log`` or ``linear``; surrounding spaces
        are ignored.

    Returns
    -------
    CurveForm
        The registered instance from :data:`FORMS`.

    Raises
    ------
    ValueError
        When no form has that name.
    """
    key = str(name).strip().lower()
    if key not in FORMS:
        raise ValueError(f"Unknown curve form {name!r}; use one of {', '.join(FORMS)}.")
    return FORMS[key]


def form_flags(forms, attr: str) -> np.ndarray:
    """Return a property of each row's form (``needs_k``, ``needs_s``, ``needs_cap``) as booleans.

    Parameters
    ----------
    forms : sequence of str
        Curve form names, one per row (case-insensitive); an unknown name gives False.
    attr : str
        The :class:`~planner.curves.forms.base.CurveForm` attribute to read.

    Returns
    -------
    ndarray of bool
    """
    known = {name: bool(getattr(form, attr, False)) for name, form in FORMS.items()}  # names as the table writes them
    return np.array([known[f] if f in known else bool(getattr(FORMS.get(str(f).strip().lower()), attr, False))
                     for f in forms], dtype=bool)


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
    """Return the response of every row of the curve table ``curves`` to its ``spend``.

    Parameters
    ----------
    curves : DataFrame
        Columns ``curve`` and ``beta``, and ``k`` and ``s`` where the forms read them
        (a missing column or an empty cell counts as 1).
    spend : float or array-like
        Spend per row, in the order of ``curves``; a single number applies to every row.
        Spend below zero counts as zero.

    Returns
    -------
    ndarray
        One response per row.

    Raises
    ------
    ValueError
        When a row's ``curve`` names no registered form.
    """
    return _apply("value", curves, spend)


def marginal(curves, spend) -> np.ndarray:
    """Return the marginal response (d response / d spend) of every row of ``curves`` at its ``spend``.

    Parameters
    ----------
    curves : DataFrame
        Columns ``curve`` and ``beta``, and ``k`` and ``s`` where the forms read them
        (a missing column or an empty cell counts as 1).
    spend : float or array-like
        Spend per row, in the order of ``curves``; a single number applies to every row.

    Returns
    -------
    ndarray
        One marginal response per row (infinite at zero spend for a hill curve with ``s < 1``).

    Raises
    ------
    ValueError
        When a row's ``curve`` names no registered form.
    """
    return _apply("derivative", curves, spend)


def inflection(curves) -> np.ndarray:
    """Return the spend below which each row's curve is convex.

    Parameters
    ----------
    curves : DataFrame
        Columns ``curve`` and ``beta``, and ``k`` and ``s`` where the forms read them
        (a missing column or an empty cell counts as 1).

    Returns
    -------
    ndarray
        One spend per row: 0 where the curve is concave from zero (every form but a hill
        curve with ``s > 1``).

    Raises
    ------
    ValueError
        When a row's ``curve`` names no registered form.
    """
    beta, k, s = _params(curves)
    forms = curves["curve"].astype(str).str.lower().to_numpy()
    out = np.zeros(len(curves))
    for name in np.unique(forms):
        m = forms == name
        out[m] = get_form(name).inflection(beta[m], k[m], s[m])
    return out
