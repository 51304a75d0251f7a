"""What every curve form knows: its response, marginal, inflection, subproblem root and rescaling."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

__all__ = ["CurveForm"]


class CurveForm:
    """Base class: a response to spend ``x >= 0`` with parameters ``beta, k, s``.

    A new form is one module with a subclass registered in :mod:`planner.curves.forms`.
    Every method is vectorised over NumPy arrays (one element per curve-table row).

    Attributes
    ----------
    name : str
        The name in the curve table's ``curve`` column.
    n_params : int
        How many parameters a fit estimates (for model comparison).
    needs_k, needs_s : bool
        Whether the form reads ``k`` / ``s`` (the curve table then requires them positive).
    needs_cap : bool
        Whether a row of this form needs a ``max_spend`` (its response never flattens).
    smooth_root : bool
        Whether the best spend at a price moves continuously with the price where the curve is concave
        (False for a straight line, whose best spend jumps from nothing to everything).
    """

    name: ClassVar[str]
    n_params: ClassVar[int] = 2
    needs_k: ClassVar[bool] = True
    needs_s: ClassVar[bool] = False
    needs_cap: ClassVar[bool] = False
    smooth_root: ClassVar[bool] = True

    def value(self, x, beta, k, s):  # pragma: no cover - abstract
        """Return the response at spend ``x``.

        Parameters
        ----------
        x : ndarray of float
            Spend per row, in dollars per planning period.
        beta, k, s : ndarray of float
            The rows' curve parameters (``k`` in dollars; ``s`` only read by hill curves).

        Returns
        -------
        ndarray of float
            The response per row, in outcome units (e.g. dollars of revenue) per period.
        """
        raise NotImplementedError

    def derivative(self, x, beta, k, s):  # pragma: no cover - abstract
        """Return the marginal response d value / d spend at ``x``.

        Parameters
        ----------
        x : ndarray of float
            Spend per row, in dollars per planning period.
        beta, k, s : ndarray of float
            The rows' curve parameters (``k`` in dollars; ``s`` only read by hill curves).

        Returns
        -------
        ndarray of float
            Outcome units per dollar of spend, per row.
        """
        raise NotImplementedError

    def curvature(self, x, beta, k, s):  # pragma: no cover - abstract
        """Return the second derivative of the response at ``x`` (negative where the curve is concave).

        The optimizer's price search reads it: where the best spend is the root of ``f'(x) = p``,
        the spend moves with the price by ``1 / f''(x)``.

        Parameters
        ----------
        x : ndarray of float
            Spend per row in dollars.
        beta, k, s : ndarray of float
            The rows' curve parameters.

        Returns
        -------
        ndarray of float
            Outcome units per dollar per dollar, per row.
        """
        raise NotImplementedError

    def inflection(self, beta, k, s):
        """Return the spend below which the curve is convex (0 for concave forms).

        Parameters
        ----------
        beta, k, s : ndarray of float
            The rows' curve parameters.

        Returns
        -------
        ndarray of float
            Spend in dollars per row; this base implementation returns zeros of the broadcast shape.
        """
        return np.zeros(np.broadcast(beta, k, s).shape)

    def root_curvature(self, p, x, beta, k, s, state: dict):
        """Return the second derivative at the roots :meth:`root` just found (``x`` at prices ``p``).

        The price search asks for it after every root; a form whose root leaves what makes it cheaper
        in ``state`` answers from there.  This one computes :meth:`curvature` at ``x``.

        Parameters
        ----------
        p : ndarray of float
            The prices of the last call of :meth:`root`.
        x : ndarray of float
            Its roots.
        beta, k, s : ndarray of float
            The rows' curve parameters.
        state : dict
            The dict :meth:`root` was given.

        Returns
        -------
        ndarray of float
            As :meth:`curvature` at ``x``.
        """
        return self.curvature(x, beta, k, s)

    def root(self, p, beta, k, s, infl, state: dict):  # pragma: no cover - abstract
        """Return the spend on the concave part where the marginal response equals the price ``p``.

        This is the per-row subproblem ``max f(x) - p x`` of the optimizer's relaxation: the
        answer is this root clipped to the row's domain (S-curves and whole units also compare
        the domain's ends).  Where ``p`` is above the peak slope the root is the inflection.
        A price ``p <= 0`` is answered by the caller (:meth:`planner.optimize.subproblem.Entities.root`
        spends all a row may); the forms need not agree there (log and logistic give 0 below zero).
        ``state`` is a dict the form may keep between calls on the same rows (constants, a warm start);
        the answer must not depend on it.

        Parameters
        ----------
        p : ndarray of float
            The price of a dollar of spend per row, in outcome units per dollar.
        beta, k, s : ndarray of float
            The rows' curve parameters.
        infl : ndarray of float
            The rows' inflection spends, as :meth:`inflection` returns them.
        state : dict
            A cache private to the form and these rows; updated in place.

        Returns
        -------
        ndarray of float
            Spend per row in dollars, ``inf`` where spending without limit pays.
        """
        raise NotImplementedError

    def rescale_cost(self, beta, k, s, ratio):
        """Return ``(beta, k, s)`` of the same response to posts when a post costs ``ratio`` times as much.

        The curve is read as a response to posts: spend ``x`` at the new cost buys what
        ``x / ratio`` bought, so the spend scale ``k`` grows by ``ratio``.

        Parameters
        ----------
        beta, k, s : ndarray of float
            The rows' curve parameters.
        ratio : float or ndarray of float
            New cost per post divided by the old one (positive).

        Returns
        -------
        tuple of (beta, k, s)
            The rescaled parameters; this base implementation keeps ``beta`` and ``s`` and multiplies ``k`` by
            ``ratio``.
        """
        return beta, np.asarray(k, dtype=float) * ratio, s

    def repeat(self, beta, k, s, times):
        """Return ``(beta, k, s)`` of ``times * f(x / times)``: ``times`` equal runs sharing spend ``x`` evenly.

        A creator doing ``c`` campaigns in a period, its spend split evenly, returns ``c`` times what one
        campaign of a ``c``-th of the spend does (planner.fit.creator_rows).

        Parameters
        ----------
        beta, k, s : ndarray of float
            The parameters of one run's response.
        times : float or ndarray of float
            How many runs (positive; need not be whole: 1 / c undoes ``c`` runs).

        Returns
        -------
        tuple of (beta, k, s)
            The period's parameters; this base implementation, right for every response
            ``beta * h(x / k)``, multiplies ``beta`` and ``k`` by ``times`` and keeps ``s``.
        """
        return np.asarray(beta, dtype=float) * times, np.asarray(k, dtype=float) * times, s
