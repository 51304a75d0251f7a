"""Plan names matched to curve-table names: exactly, else by looser rules, each only when unambiguous.

The rules, in order (:func:`match_names`):

1. exactly;
2. ignoring case (``tiktok/@Lena.Bakes`` -> ``TikTok/@lena.bakes``);
3. a creator handle alone (``@lena.bakes`` or ``lena.bakes`` -> ``TikTok/@lena.bakes``) when only one
   network has that handle; a handle on several networks is never guessed;
4. ignoring ``@`` and spaces (``TikTok/lena.bakes`` -> ``TikTok/@lena.bakes``).

Every rule is a lookup of all the names at once (a million distinct names take about a second).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["match_names"]


def _tables(keys: pd.Series) -> tuple[dict, dict]:
    """Key -> the one curve row that has it, and key -> every row when several have it (empty keys left out)."""
    rows = pd.Series(np.arange(len(keys)), index=keys.to_numpy())
    rows = rows[rows.index != ""]
    groups = rows.groupby(level=0, sort=False).agg(list)
    single = {k: v[0] for k, v in groups.items() if len(v) == 1}
    several = {k: v for k, v in groups.items() if len(v) > 1}
    return single, several


def _loose(names: pd.Series) -> pd.Series:
    return names.str.replace(r"[\s@]+", "", regex=True).str.casefold()


def match_names(plan_names: Sequence[str], curve_names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Match each plan name to a curve-table name.

    Parameters
    ----------
    plan_names : sequence of str
        The plan's names (distinct ones are enough; each is matched on its own).
    curve_names : sequence of str
        The curve table's names, in its order.

    Returns
    -------
    tuple of (ndarray, ndarray)
        For each plan name, the position of its curve-table name (-1 for none) and how it matched:
        ``"exact"``, ``"ignoring case"``, ``"creator handle"``, ``"ignoring @ and spaces"``, ``""`` for
        no match, or ``"ambiguous handle: A, B"`` when a handle is on several networks (no match).
    """
    names = pd.Series(list(plan_names), dtype=object).astype(str)
    curves = pd.Series(list(curve_names), dtype=object).astype(str)
    idx = np.full(len(names), -1, dtype=np.int64)
    how = np.full(len(names), "", dtype=object)

    def settle(todo: np.ndarray, found: pd.Series, kind: str) -> np.ndarray:
        hit = found.notna().to_numpy()
        idx[todo[hit]] = found.to_numpy()[hit].astype(np.int64)
        how[todo[hit]] = kind
        return todo[~hit]

    todo = np.arange(len(names))
    exact = {n: i for i, n in enumerate(curves)}
    todo = settle(todo, names.iloc[todo].map(exact), "exact")
    by_case, _ = _tables(curves.str.casefold())
    todo = settle(todo, names.iloc[todo].str.casefold().map(by_case), "ignoring case")

    handles = curves.str.partition("/")[2].str.casefold()
    one, several = _tables(handles)
    bare = todo[~names.iloc[todo].str.contains("/", regex=False).to_numpy(dtype=bool)]
    key = names.iloc[bare].str.casefold()
    known = key.map(lambda k: k in one or k in several).to_numpy(dtype=bool)
    at = ~known & ~names.iloc[bare].str.startswith("@").to_numpy(dtype=bool)  # "lena.bakes": no @
    key.iloc[np.flatnonzero(at)] = ("@" + names.iloc[bare[at]]).str.casefold().to_numpy()
    settle(bare, key.map(one), "creator handle")
    many = key.map(several)
    for k in np.flatnonzero(many.notna().to_numpy()):
        how[bare[k]] = "ambiguous handle: " + ", ".join(curves.iloc[i] for i in many.iloc[k])
    todo = todo[(idx[todo] < 0) & (how[todo] == "")]

    by_loose, _ = _tables(_loose(curves))
    settle(todo, _loose(names.iloc[todo]).map(by_loose), "ignoring @ and spaces")
    return idx, how
