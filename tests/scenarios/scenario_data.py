"""Scenarios the scenario tests save and load: small ones from the optimizer, large synthetic ones."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import sqlalchemy as sa

from planner.optimize import optimize
from planner.scenarios.names import name_key
from planner.scenarios.scenario import TOTALS, Scenario, checksum, encode_frames
from planner.scenarios.schema import scenario_tables


def small_curves() -> pd.DataFrame:
    return pd.DataFrame({
        "name": ["Instagram", "Instagram/@maya.bakes", "TikTok", "TikTok/@lena.bakes", '=HYPERLINK("x")'],
        "network": ["Instagram", "Instagram", "TikTok", "TikTok", "Pinterest"],
        "curve": ["hill", "log", "logistic", "hill", "log"],
        "beta": [60000.0, 9000.0, 40000.0, 15000.0, 12000.0],
        "k": [20000.0, 1500.0, 9000.0, 2500.0, 4000.0],
        "s": [1.6, np.nan, np.nan, 1.2, np.nan],
        "min_spend": [0.0, 0.0, 1000.0, 0.0, 0.0],
        "max_spend": [np.inf, 12000.0, np.inf, 9000.0, np.inf],
        "unit_cost": [np.nan, np.nan, np.nan, 500.0, np.nan],
        "current_spend": [25000.0, 2000.0, 8000.0, 1500.0, 4000.0],
        "observed_max": [30000.0, 4000.0, 12000.0, 1000.0, 3000.0],
        "beta_p10": [48000.0, 7200.0, 32000.0, 12000.0, 9600.0],
        "beta_p90": [75000.0, 11250.0, 50000.0, 18750.0, 15000.0],
    })


def make_scenario(name: str, budget: float = 60000.0, **kw) -> Scenario:
    curves = small_curves()
    alloc = optimize(curves, budget, network_bounds=kw.pop("network_bounds", None))
    bounds = pd.DataFrame({"name": ["TikTok"], "network": ["TikTok"], "min_spend": [1000.0],
                           "max_spend": [np.nan], "lock": [False]})
    nb = pd.DataFrame({"network": ["Instagram"], "min_spend": [0.0], "max_spend": [80000.0]})
    return Scenario.from_allocation(name, alloc, curves, fingerprint=kw.pop("fingerprint", "f" * 64),
                                    bounds=kw.pop("bounds", bounds), network_bounds=kw.pop("nb", nb), **kw)


def big_scenario(name: str, rows: int = 2000, seed: int = 0) -> Scenario:
    """A large synthetic scenario whose content follows from (name, rows, seed) alone."""
    rng = np.random.default_rng(seed)
    names = [f"Net{i % 7}/@creator_{i:06d}" for i in range(rows)]
    nets = [f"Net{i % 7}" for i in range(rows)]
    curves = pd.DataFrame({"name": names, "network": nets, "curve": "log", "beta": rng.uniform(1e3, 1e5, rows),
                           "k": rng.uniform(1e2, 1e4, rows), "s": np.nan, "min_spend": 0.0, "max_spend": np.inf,
                           "unit_cost": np.nan, "current_spend": rng.uniform(0, 5e3, rows)})
    spend = np.round(rng.uniform(0, 5e3, rows), 2)
    table = pd.DataFrame({"name": names, "network": nets, "spend": spend, "response": spend * rng.uniform(1, 3, rows),
                          "marginal_return": rng.uniform(0.5, 2, rows), "binding": "",
                          "extrapolated": rng.uniform(size=rows) > 0.9})
    totals = {"total_spend": float(spend.sum()), "total_response": float(table["response"].sum())}
    return Scenario(name=name, created=dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=seed),
                    fingerprint=f"seed-{seed}", curves=curves, budget=float(spend.sum()) + 1, objective="revenue",
                    margin=1.0, allocation=table, totals=totals)


def save_as_written_by(engine: sa.Engine, s: Scenario, version: int, key: str | None = None) -> None:
    """What the planner of schema ``version`` (1 or 2) wrote for ``s``: its row with that schema's columns and
    its tables, keyed by ``key`` (default today's key of its name)."""
    scenarios, frames = scenario_tables(sa.MetaData(), version=version)
    bodies = encode_frames(s)
    extra = {"engagement_weight": s.engagement_weight, "max_creators": s.max_creators} if version >= 2 else {}
    with engine.begin() as conn:
        new_id = conn.execute(sa.insert(scenarios).values(
            name=s.name, name_key=name_key(s.name) if key is None else key, created=s.created,
            fingerprint=s.fingerprint, budget=s.budget, objective=s.objective, margin=s.margin,
            n_rows=len(s.allocation), note=s.note, checksum=checksum(s, bodies), **extra,
            **{k: (v if np.isfinite(v) else None) for k, v in s.totals.items()})).inserted_primary_key[0]
        conn.execute(sa.insert(frames), [{"scenario_id": new_id, "kind": k, "body": b}
                                         for k, b in bodies.items() if b is not None])


def assert_same(a: Scenario, b: Scenario) -> None:
    assert a.name == b.name
    assert a.created == b.created
    assert (a.fingerprint, a.budget, a.objective, a.margin, a.note) == (b.fingerprint, b.budget, b.objective,
                                                                         b.margin, b.note)
    assert (a.engagement_weight, a.max_creators) == (b.engagement_weight, b.max_creators)
    for k in TOTALS:
        assert a.totals[k] == b.totals[k] or (np.isnan(a.totals[k]) and np.isnan(b.totals[k])), k
    pd.testing.assert_frame_equal(a.curves, b.curves, check_exact=True)
    pd.testing.assert_frame_equal(a.allocation, b.allocation, check_exact=True)
    for what in ("bounds", "network_bounds"):
        x, y = getattr(a, what), getattr(b, what)
        assert (x is None) == (y is None), what
        if x is not None:
            pd.testing.assert_frame_equal(x, y, check_exact=True)
    assert a.same_as(b)
