"""Why each network returns what it does: the funnel from spend to reach, clicks, orders and order value.

Return per dollar splits exactly into three steps a social-commerce team knows::

    revenue / spend  =  clicks / spend  x  orders / clicks  x  revenue / orders
                        (clicks per $)     (conversion)        (order value)

and clicks per dollar further into reach per dollar x click-through (clicks / reach). :func:`funnel`
sums the attributed rows of the data per network and per creator, where the data has the columns:
``reach``, ``engagements``, ``clicks``, ``orders`` (any of them may be missing; the missing steps are
named). :func:`compare` splits the ratio of two returns into the three steps, in logs, so they add up.

Creators with few orders say little about their conversion and order value: both are pulled toward
their network's by empirical Bayes (planner.fit.pooling.shrink on the log scale, with each creator's
orders as its weight and the chance spread of one order estimated from the creators' campaigns), as their
curves are. A creator's pooled return per dollar is its own clicks per dollar x the pooled conversion x
the pooled order value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.errors import InputError
from planner.base.names import creator_names
from planner.fit.pooling import shrink

__all__ = ["STEPS", "DECOMPOSED", "Funnel", "Difference", "funnel", "compare"]

#: the funnel's counts, in order, as the import names them (planner.data.dataset)
STEPS = ("reach", "engagements", "clicks", "orders")
#: the three factors of return per dollar
DECOMPOSED = ("clicks_per_dollar", "conversion", "order_value")
_FALLBACK_SIGMA2 = 1.0  # var(log rate) x orders when the campaigns cannot say: a Poisson count's


def _rows(datasets: Iterable) -> pd.DataFrame:
    """Return the attributed rows with spend, with every funnel count (NaN where the file has no such column)."""
    parts = []
    for ds in datasets if isinstance(datasets, (list, tuple)) else [datasets]:
        rows = getattr(ds, "rows", None)
        if getattr(ds, "kind", None) != "attributed" or rows is None or rows.empty:
            continue
        keep = rows[rows["spend"] > 0]
        frame = pd.DataFrame({"network": keep["network"].astype(str),
                              "entity": keep["entity"].astype(str) if "entity" in keep else "",
                              "spend": keep["spend"].astype(float), "revenue": keep["outcome"].astype(float),
                              "date": keep["date"] if "date" in keep else pd.NaT})
        for step in STEPS:
            frame[step] = keep[step].astype(float) if step in keep else np.nan
        parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=["network", "entity", "spend", "revenue", "date", *STEPS])
    return pd.concat(parts, ignore_index=True)


def _ratio(rows: pd.DataFrame, keys: list[str], num: str, den: str) -> pd.Series:
    """Return ``sum(num) / sum(den)`` per group over the rows where both are known (NaN where none is, den 0)."""
    both = rows[num].notna() & rows[den].notna()
    g = rows.assign(_n=rows[num].where(both), _d=rows[den].where(both)).groupby(keys, sort=False)
    sums = g[["_n", "_d"]].sum(min_count=1)
    return sums["_n"] / sums["_d"].where(sums["_d"] > 0)


def _level(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Totals and rates per group of ``keys``."""
    g = rows.groupby(keys, sort=False)
    out = g[["spend", "revenue"]].sum()
    out["rows"] = g.size()
    for step in STEPS:
        out[step] = g[step].sum(min_count=1)
        out[f"{step}_per_1000"] = 1000 * _ratio(rows, keys, step, "spend")
    out["roas"] = out["revenue"] / out["spend"]
    out["click_through"] = _ratio(rows, keys, "clicks", "reach")
    out["conversion"] = _ratio(rows, keys, "orders", "clicks")
    out["order_value"] = _ratio(rows, keys, "revenue", "orders")
    out["revenue_per_click"] = _ratio(rows, keys, "revenue", "clicks")
    out["clicks_per_dollar"] = _ratio(rows, keys, "clicks", "spend")
    return out.reset_index()


def _campaign_sigma2(rows: pd.DataFrame, creators: pd.DataFrame, num: str, den: str, weight: str) -> float:
    """Chance variance of one unit of ``weight`` (an order) in the log of num/den, from the creators' campaigns.

    A campaign's log rate varies around its creator's by about ``sigma2 / its orders``; the creators with two
    or more campaigns with orders give ``sigma2`` by the method of moments. A Poisson count's 1 when they
    cannot.
    """
    c = rows[(rows["entity"] != "") & (rows[num] > 0) & (rows[den] > 0) & (rows[weight] > 0)]
    if c.empty:
        return _FALLBACK_SIGMA2
    y = np.log(c[num] / c[den])
    own = creators.set_index(["network", "entity"])
    rate = (own[num] / own[den]).reindex(pd.MultiIndex.from_frame(c[["network", "entity"]])).to_numpy(dtype=float)
    mean = np.log(rate)  # each campaign's creator has orders (the campaign has), so its rate is above 0
    dev2 = c[weight].to_numpy(dtype=float) * (y.to_numpy() - mean) ** 2
    counts = c.groupby(["network", "entity"]).size()
    dof = float((counts - 1).clip(lower=0).sum())
    if dof < 5 or not np.isfinite(dev2).all():
        return _FALLBACK_SIGMA2
    return max(float(dev2.sum() / dof), 1e-6)


def _pool(creators: pd.DataFrame, networks: pd.DataFrame, num: str, den: str, sigma2: float,
          column: str) -> None:
    """Pull each creator's ``num/den`` toward its network's on the log scale, weighted by its orders."""
    creators[f"{column}_own"] = creators[column]
    creators[f"{column}_pooled_weight"] = np.nan
    net = networks.set_index("network")[column]
    pooled = creators[column].copy()
    for network, idx in creators.groupby("network", sort=False).groups.items():
        sub = creators.loc[idx]
        ok = (sub[num] > 0) & (sub[den] > 0) & (sub["orders"] > 0)
        if ok.sum() >= 3:
            y = np.log(sub.loc[ok, num] / sub.loc[ok, den]).to_numpy()
            s = shrink(y, sub.loc[ok, "orders"].to_numpy(dtype=float), sigma2)
            pooled.loc[sub.index[ok]] = np.exp(s.post_mean)
            creators.loc[sub.index[ok], f"{column}_pooled_weight"] = s.pooled_weight
        thin = sub.index[~ok.to_numpy()]  # no order (or no click): the network's own figure
        if len(thin) and np.isfinite(net.get(network, np.nan)):
            pooled.loc[thin] = net[network]
            creators.loc[thin, f"{column}_pooled_weight"] = 1.0
    creators[column] = pooled


@dataclass(frozen=True)
class Funnel:
    """The funnel of every network and creator in the data.

    Attributes
    ----------
    networks : DataFrame
        One row per network (all its rows: paid media and creators): ``network, rows, spend, revenue``, the
        counts of :data:`STEPS` (NaN where unknown), ``<step>_per_1000`` (per $1,000 of spend),
        ``click_through`` (clicks / reach), ``conversion`` (orders / clicks), ``order_value`` (revenue /
        orders), ``revenue_per_click``, ``clicks_per_dollar`` and ``roas``; each rate over the rows that know
        both of its counts.
    creators : DataFrame
        One row per creator, the same columns plus ``name``; ``conversion`` and ``order_value`` are pooled
        toward the network's (their own figures in ``conversion_own`` and ``order_value_own``, how far they
        were pulled in ``conversion_pooled_weight`` and ``order_value_pooled_weight``, 1 for a creator with no
        order), and ``roas_pooled`` is clicks per dollar x the pooled conversion x the pooled order value.
    present, missing : tuple of str
        The steps of :data:`STEPS` the data has, and those it lacks.
    """

    networks: pd.DataFrame
    creators: pd.DataFrame
    present: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def decomposable(self) -> bool:
        """Return True when the data has clicks and orders: return per dollar then splits into its three steps."""
        return "clicks" in self.present and "orders" in self.present

    def row(self, name: str) -> pd.Series:
        """Return the funnel of a network or a creator (``Instagram``, ``Instagram/@lena``, ``@lena``).

        Raises
        ------
        InputError
            When no network or creator has that name, or a handle is on two networks.
        """
        text = str(name).strip()
        nets = self.networks[self.networks["network"].str.casefold() == text.casefold()]
        if len(nets):
            row = nets.iloc[0].copy()
            row["name"], row["kind"] = row["network"], "network"
            return row
        names = self.creators["name"].str.casefold()
        hit = self.creators[(names == text.casefold()) | names.str.endswith("/" + text.casefold().lstrip("@"))
                            | names.str.endswith("/@" + text.casefold().lstrip("@"))]
        if len(hit) == 1:
            row = hit.iloc[0].copy()
            row["kind"] = "creator"
            return row
        if len(hit) > 1:
            raise InputError(f"{text!r} is a creator on more than one network ({', '.join(hit['name'][:3])}); "
                             "name it with its network.")
        raise InputError(f"{text!r} is neither a network nor a creator of the data; the networks are "
                         f"{', '.join(self.networks['network'])}.")


def funnel(datasets) -> Funnel:
    """Return the funnel of every network and creator in the attributed data.

    Parameters
    ----------
    datasets : Dataset or list of Dataset
        Imported data (planner.data.dataset.Dataset); only kind "attributed" holds revenue per row (a
        marketing-mix table has no funnel).

    Returns
    -------
    Funnel
        Empty tables when no dataset is attributed.
    """
    rows = _rows(datasets)
    present = tuple(s for s in STEPS if rows[s].notna().any())
    missing = tuple(s for s in STEPS if s not in present)
    if rows.empty:
        empty = _level(rows.assign(spend=1.0), ["network"]).iloc[0:0]
        return Funnel(empty, empty.assign(entity="", name=""), present, missing)
    networks = _level(rows, ["network"])
    creators = _level(rows[rows["entity"] != ""], ["network", "entity"])
    creators.insert(2, "name", creator_names(creators["network"], creators["entity"]) if len(creators) else "")
    if len(creators):
        conv_sigma2 = _campaign_sigma2(rows, creators, "orders", "clicks", "orders")
        aov_sigma2 = _campaign_sigma2(rows, creators, "revenue", "orders", "orders")
        _pool(creators, networks, "orders", "clicks", conv_sigma2, "conversion")
        _pool(creators, networks, "revenue", "orders", aov_sigma2, "order_value")
    else:
        for column in ("conversion", "order_value"):
            creators[f"{column}_own"] = creators[column]
            creators[f"{column}_pooled_weight"] = np.nan
    creators["roas_pooled"] = creators["clicks_per_dollar"] * creators["conversion"] * creators["order_value"]
    return Funnel(networks, creators, present, missing)


@dataclass(frozen=True)
class Difference:
    """Why ``a`` returns more (or less) per dollar than ``b``: the ratio split into the funnel's three steps.

    Attributes
    ----------
    a, b : str
        The two networks or creators compared.
    roas_a, roas_b : float
        Their returns per dollar, as the product of the three steps (pooled, for a creator).
    steps : DataFrame
        One row per factor of :data:`DECOMPOSED`: ``step, a, b, ratio`` (a / b) and ``share``: the step's part
        of ``log(roas_a / roas_b)`` (the shares add up to 1; NaN when the returns are equal).
    """

    a: str
    b: str
    roas_a: float
    roas_b: float
    steps: pd.DataFrame

    @property
    def main(self) -> str:
        """Return the step that moves the ratio most (largest ``|log ratio|``)."""
        logs = np.log(self.steps["ratio"].to_numpy(dtype=float))
        return str(self.steps["step"].iloc[int(np.nanargmax(np.abs(logs)))])


def compare(f: Funnel, a: str, b: str) -> Difference:
    """Split the ratio of two returns per dollar into clicks per dollar, conversion and order value.

    Parameters
    ----------
    f : Funnel
        The data's funnel.
    a, b : str
        Two networks or creators (a creator against its network, say), as :meth:`Funnel.row` finds them.

    Returns
    -------
    Difference

    Raises
    ------
    InputError
        When a name is unknown, or the data has no clicks or no orders (then return per dollar has no steps;
        the sentence names the missing column).
    """
    if not f.decomposable:
        lacking = " and ".join(s for s in ("clicks", "orders") if s in f.missing)
        raise InputError(f"The data has no {lacking}, so return per dollar cannot be split into clicks, "
                         "conversion and order value; add the column to the file (ad exports call them \"Link "
                         "clicks\" and \"Purchases\").")
    ra, rb = f.row(a), f.row(b)
    va = np.array([float(ra[s]) for s in DECOMPOSED])
    vb = np.array([float(rb[s]) for s in DECOMPOSED])
    if not (np.isfinite(va).all() and np.isfinite(vb).all() and (va > 0).all() and (vb > 0).all()):
        gone = [str(x["name"]) for x, v in ((ra, va), (rb, vb)) if not (np.isfinite(v).all() and (v > 0).all())]
        raise InputError(f"{' and '.join(gone)} has no clicks or no orders in the data, so its return per dollar "
                         "cannot be split into steps.")
    ratio = va / vb
    logs = np.log(ratio)
    total = float(logs.sum())
    share = logs / total if abs(total) > 1e-12 else np.full(3, np.nan)
    steps = pd.DataFrame({"step": list(DECOMPOSED), "a": va, "b": vb, "ratio": ratio, "share": share})
    return Difference(str(ra["name"]), str(rb["name"]), float(va.prod()), float(vb.prod()), steps)
