"""Simulated data the fit tests fit: creator campaigns and weekly paid media from known curves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.curves.forms import response

NOISE = 0.15  # sd of the log noise of a campaign


@dataclass(frozen=True)
class FakeDataset:
    """Stand-in for planner.data.dataset.Dataset: what the fit reads."""

    kind: str
    rows: pd.DataFrame
    outcome: pd.DataFrame | None = None
    source: str = "simulated"
    controls: pd.DataFrame | None = None


def _quarter_dates(n_quarters: int) -> list[pd.Timestamp]:
    return [pd.Timestamp("2023-01-01") + pd.DateOffset(months=3 * q) + pd.Timedelta(days=10) for q in range(n_quarters)]


def simulate_creators(seed: int = 0, networks=("Instagram", "TikTok"), per_network: int = 12,
                      thin_every: int = 4, noise: float = NOISE):
    """Creator campaigns from known curves: hill with k = 3 posts' fee, s = 1.4.

    Returns (rows, truth): one row per campaign, and the true quarterly curve table.
    Every ``thin_every``-th creator has one or two campaigns, the others eight.
    """
    rng = np.random.default_rng(seed)
    quarters = _quarter_dates(8)
    rows, truth = [], []
    for net in networks:
        roas = {"Instagram": 6.0, "TikTok": 4.0}.get(net, 5.0)
        for i in range(per_network):
            handle = f"@{net.lower()}_{i:02d}"
            followers = float(np.exp(rng.uniform(np.log(5e3), np.log(1e6))))
            fee = round(followers / 1000 * 10 * np.exp(rng.normal(0, 0.2)), -1) + 10
            k, s = 3.0 * fee, 1.4
            ref = 3 * fee  # a typical campaign: three posts
            beta = roas * np.exp(rng.normal(0, 0.25)) * ref * (1 + (k / ref) ** s)
            truth.append(dict(name=f"{net}/{handle}", network=net, curve="hill", beta=beta, k=k, s=s,
                              unit_cost=fee, followers=followers))
            n = int(rng.integers(1, 3)) if i % thin_every == 0 else 8
            for q in rng.choice(8, size=n, replace=False):
                posts = int(rng.integers(1, 7))
                x = posts * fee
                y = beta * x**s / (x**s + k**s) * np.exp(rng.normal(-0.5 * noise**2, noise))
                rows.append(dict(date=quarters[q], network=net, entity=handle, spend=x, outcome=round(y, 2),
                                 posts=posts, followers=followers))
    return pd.DataFrame(rows), pd.DataFrame(truth)


def rel_error_at_observed(table: pd.DataFrame, truth: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Median |fitted / true - 1| of each creator's response over its observed spends."""
    fit = table.set_index("name")
    tru = truth.set_index("name")
    rows = rows.assign(name=rows["network"] + "/" + rows["entity"])
    out = {}
    for name, g in rows.groupby("name"):
        x = g["spend"].to_numpy()
        f = response(fit.loc[[name] * len(x)].reset_index(), x)
        t = response(tru.loc[[name] * len(x)].reset_index(), x)
        out[name] = float(np.median(np.abs(f / t - 1)))
    return pd.Series(out)


PAID = {  # weekly truth: form, beta, k, s
    "Instagram": ("hill", 9000.0, 2500.0, 1.6),
    "TikTok": ("logistic", 6000.0, 1500.0, np.nan),
    "Pinterest": ("log", 1500.0, 400.0, np.nan),
}


def simulate_paid(seed: int = 0, weeks: int = 104, noise: float = 0.1) -> pd.DataFrame:
    """Daily platform-attributed rows (entity "") of three networks."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-01-01", periods=7 * weeks, freq="D")
    rows = []
    for net, (form, beta, k, s) in PAID.items():
        weekly = 2000.0 * np.exp(rng.uniform(np.log(0.1), np.log(2.5), weeks))
        curve = pd.DataFrame([dict(curve=form, beta=beta, k=k, s=s)] * weeks)
        outcome = response(curve, weekly) * np.exp(rng.normal(0, noise, weeks))
        for w in range(weeks):  # spread each week over its days
            share = rng.dirichlet(np.ones(7))
            for d in range(7):
                rows.append(dict(date=days[7 * w + d], network=net, entity="", spend=weekly[w] * share[d],
                                 outcome=outcome[w] * share[d]))
    return pd.DataFrame(rows)


def log_creators(seed: int):
    """The creators of simulate_creators with concave log curves (k = 2 posts' fee) instead of hill."""
    rows, truth = simulate_creators(seed=seed)
    rng = np.random.default_rng(seed + 100)
    t = truth.set_index("name")
    name = rows["network"] + "/" + rows["entity"]
    fee = t.loc[name, "unit_cost"].to_numpy()
    scale = t.loc[name, "beta"].to_numpy() / 4
    y = scale * np.log1p(rows["spend"].to_numpy() / (2 * fee)) * np.exp(rng.normal(-0.5 * NOISE**2, NOISE, len(rows)))
    return rows.assign(outcome=np.round(y, 2))
