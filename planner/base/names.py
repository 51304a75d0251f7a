"""Entity names: a network's paid media is named after the network, a creator ``Network/@handle``.

The one place that knows how a curve-table name is built from a network and a handle and
taken apart again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SEPARATOR", "creator_name", "creator_names", "network_of", "networks_of", "handle_of", "is_creator"]

SEPARATOR = "/"


def creator_name(network: str, handle: str) -> str:
    """Return the curve-table name of a row.

    Parameters
    ----------
    network : str
        The network, e.g. ``"TikTok"``.
    handle : str
        The creator's handle (``"@lena.bakes"``), or ``""`` for the network's paid media.

    Returns
    -------
    str
        ``"TikTok/@lena.bakes"`` for a creator, the handle alone when there is no network,
        and the network alone for paid media.
    """
    if not handle:
        return network
    return f"{network}{SEPARATOR}{handle}" if network else handle


def creator_names(networks: pd.Series, handles: pd.Series) -> pd.Series:
    """Vectorised :func:`creator_name` over aligned Series of networks and handles (handles non-empty).

    Parameters
    ----------
    networks : Series
        The networks, e.g. ``"TikTok"``; converted to ``str``.
    handles : Series
        The creators' handles, aligned with ``networks`` (same index); none may be empty, since an empty
        handle would give ``"TikTok/"`` rather than the network's name.

    Returns
    -------
    Series of str
        ``"Network/@handle"`` for each row, with the index of ``networks``.
    """
    return networks.astype(str) + SEPARATOR + handles.astype(str)


def network_of(name: str) -> str:
    """Return the network part of a name: ``"TikTok/@lena"`` gives ``"TikTok"``, ``"Instagram"`` itself.

    Parameters
    ----------
    name : str
        A curve-table name, a creator's ``"Network/@handle"`` or a network's own name.

    Returns
    -------
    str
        The text before the first ``/``, or the whole name when there is none.
    """
    return name.split(SEPARATOR, 1)[0]


def networks_of(names) -> pd.Series:
    """Vectorised :func:`network_of` over a Series or sequence of names.

    Parameters
    ----------
    names : Series or sequence of str
        Curve-table names; values are converted to ``str``.

    Returns
    -------
    Series of str
        The network of each name, with the index of ``names`` when it is a Series, else a
        default ``RangeIndex``.
    """
    s = names if isinstance(names, pd.Series) else pd.Series(list(names), dtype=object)
    return s.astype(str).str.split(SEPARATOR, n=1).str[0]


def handle_of(name: str) -> str:
    """Return the handle part of a creator's name (``"@lena"``), ``""`` for a network's paid media.

    Parameters
    ----------
    name : str
        A curve-table name.

    Returns
    -------
    str
        The text after the first ``/`` (the handle, e.g. ``"@lena"``), or ``""`` when the name has
        no ``/``.
    """
    return name.split(SEPARATOR, 1)[1] if SEPARATOR in name else ""


def is_creator(names) -> np.ndarray:
    """Return True for creator rows (named ``Network/@handle``), False for a network's paid media.

    Parameters
    ----------
    names : Series or sequence of str
        Curve-table names.

    Returns
    -------
    ndarray of bool
    """
    values = names.to_numpy(dtype=object) if isinstance(names, pd.Series) else list(names)
    return np.fromiter((SEPARATOR in str(v) for v in values), dtype=bool, count=len(values))

