"""The runs of the fit benchmark: accuracy over seeds, PyMC-Marketing's data, and speed.

:func:`accuracy` fits every seed's sample and scores the fitted curves, the floors
(planner.bench.fit_floors) and the Bayes planner (planner.bench.fit_bayes);
:func:`pymc_comparison` fits the public marketing-mix data whose authors state the true
effects; :func:`speed` times 1,000 creators with intervals and the weekly model with its
block bootstrap.  Everything is seeded; timings are wall-clock on this machine.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from planner.bench.fit_bayes import bayes_score
from planner.bench.fit_floors import creator_floor, weekly_floor
from planner.bench.fit_measures import coverage, creator_errors, network_errors, plan_band, plan_regret
from planner.bench.fit_sample import (
    BUDGETS,
    N_BOOT,
    PEER_DATA,
    SEEDS,
    SPEED_SEEDS,
    current_spend,
    lift_tests,
    make_sample,
)
from planner.data.ingest import load
from planner.fit.mmm import fit_mmm
from planner.fit.pipeline import fit_curves

__all__ = ["GOALS", "FLOOR_RATIO", "EXPERIMENT_GOALS", "PYMC_TRUTH", "WEEKLY_VARIANTS", "accuracy", "weekly_variants", "pymc_comparison", "speed",
           "cores"]

GOALS = {"error": 0.10, "regret": 0.02, "creators_s": 10.0, "weekly_s": 30.0}
FLOOR_RATIO = 1.3  # weekly data with controls: the fitted error within this many times the floor's
EXPERIMENT_GOALS = {"error": 0.10, "regret": 0.01}  # weekly data with one experiment per network

# PyMC-Marketing's mmm_example.csv: the true contributions its authors state (MANIFEST.md)
PYMC_TRUTH = {"X1": 274_848.0, "X2": 65_906.0}


def _score(table, truth, errors, current) -> dict:
    out = {"error": float(np.median(errors)), "coverage": coverage(table, truth, current)}
    for m in BUDGETS:
        band = plan_band(table, truth, m * float(truth["current_spend"].sum()))
        out[f"regret_{m:g}x"] = band["regret"]
        out[f"plan_in_band_{m:g}x"] = float(band["in_band"])
        out[f"plan_below_{m:g}x"] = float(band["below"])
        out[f"plan_above_{m:g}x"] = float(band["true"] > band["p90"])
        out[f"plan_allowance_{m:g}x"] = band["allowance"] / band["expected"] if band["expected"] > 0 else 0.0
        out[f"plan_band_width_{m:g}x"] = band["width"]
    return out


def accuracy(seeds=SEEDS, n_boot: int = N_BOOT, floors: bool = True, campaigns_per_quarter=None,
             weekly: bool = True, creators: bool = True, weekly_shapes: str = "s",
             creator_shapes: str = "mixed", unsold: bool = False,
             creator_season: bool = False, creator_promos: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit every seed's sample; one row per seed x data (creators, weekly) x model (fitted, floor).

    With ``floors`` the creators also get a row for the Bayes planner (model ``"bayes"``).

    Parameters
    ----------
    seeds : iterable of int, default SEEDS
        The generator seeds; each sample is written to a temporary folder.
    n_boot : int, default N_BOOT
        Bootstrap refits of :func:`planner.fit.pipeline.fit_curves`.
    floors : bool, default True
        Also score the floors (:mod:`planner.bench.fit_floors`) and the Bayes planner.
    campaigns_per_quarter : (int, int) or None, default None
        The creator tracker: None, one campaign a quarter (``data`` ``"creators"``); ``(lo, hi)``,
        lo to hi campaigns a quarter (:func:`~planner.bench.fit_sample.make_sample`; ``data``
        ``"creators, lo-hi campaigns a quarter"``).
    weekly : bool, default True
        Also fit and score the weekly paid-media data.
    creators : bool, default True
        Fit and score the creators (False: the weekly data alone).
    weekly_shapes : {"s", "concave"}, default "s"
        The weekly networks' true shapes (:func:`~planner.bench.fit_sample.make_sample`); ``data`` is
        ``"weekly"`` or ``"weekly, concave curves"``.
    creator_shapes : {"mixed", "concave"}, default "mixed"
        The creators' true forms (:func:`~planner.bench.fit_sample.make_sample`); the tracker's ``data`` gains
        ``", concave curves"`` for the second.
    unsold : bool, default False
        Some campaigns sell nothing (:func:`~planner.bench.fit_sample.make_sample`); the tracker's ``data`` gains
        ``", some campaigns sell nothing"``. Its floor and Bayes planner are not run: they do not know the chance.
    creator_season : bool, default False
        Campaigns' revenue moved by a yearly wave (:func:`~planner.bench.fit_sample.make_sample`); the tracker's
        ``data`` gains ``", campaigns' revenue seasonal"``. No floor or Bayes planner (they do not know the wave).
    creator_promos : bool, default False
        Some campaigns run with a discount code, more often the bigger ones (a column ``Discount %``); the
        tracker's ``data`` gains ``", discount codes"``. No floor or Bayes planner (they do not know the discounts).

    Returns
    -------
    tuple of DataFrame
        (summary rows, per-network rows of the weekly model).
        The summary rows have ``seed, data, model, entities``, ``error``,
        ``regret_<m>x`` for every multiple of
        :data:`~planner.bench.fit_sample.BUDGETS`, and for the fitted models ``seconds``,
        ``coverage``, ``plan_in_band_<m>x``, ``plan_below_<m>x`` and
        ``plan_band_width_<m>x``.  The per-network rows have ``seed, network, error``,
        ``band`` (log of P90 / P10), ``covered`` (bool: the truth at last quarter's
        spend inside the band) and ``data_share`` (the share of the return the network's
        own data determine, read from its ``pooling_note``; NaN when it does not say).
    """
    rows, nets = [], []
    tracker = "creators" if campaigns_per_quarter is None else \
        f"creators, {campaigns_per_quarter[0]}-{campaigns_per_quarter[1]} campaigns a quarter"
    if creator_shapes != "mixed":
        tracker += f", {creator_shapes} curves"
    if unsold:
        tracker += ", some campaigns sell nothing"
    if creator_season:
        tracker += ", campaigns' revenue seasonal"
    if creator_promos:
        tracker += ", discount codes"
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            smp = make_sample(seed, Path(tmp) / str(seed), campaigns_per_quarter, weekly_shapes=weekly_shapes,
                              creator_shapes=creator_shapes, unsold=unsold, creator_season=creator_season,
                              creator_promos=creator_promos)
            if creators:
                rows += _creator_scores(smp, tracker, n_boot,
                                        floors and not (unsold or creator_season or creator_promos))
            if not weekly:
                continue
            r, n = _weekly_scores(smp, "weekly" if weekly_shapes == "s" else f"weekly, {weekly_shapes} curves",
                                  n_boot, floors)
            rows += r
            nets += n
    return pd.DataFrame(rows), pd.DataFrame(nets)


WEEKLY_VARIANTS = ("weekly, with controls", "weekly, with controls and one experiment per network",
                   "weekly, with controls, a holdout and a heavy-up per network")


def weekly_variants(seeds=SEEDS, n_boot: int = N_BOOT, floors: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit the weekly data with controls (an event column, a promotion correlated with Instagram's spend).

    Each seed's sample (``make_sample(..., controls=True, experiments=True, heavy_ups=True)``) is fitted three
    times: without its experiments (``data`` ``"weekly, with controls"``), with one holdout per network
    (``"weekly, with controls and one experiment per network"``) and with a heavy-up per network beside it
    (``"weekly, with controls, a holdout and a heavy-up per network"``: what tells how fast returns fall);
    the floor knows the true shapes and fits the controls' and networks' scales
    (:func:`planner.bench.fit_floors.weekly_floor`).

    Parameters
    ----------
    seeds : iterable of int, default SEEDS
        The generator seeds.
    n_boot : int, default N_BOOT
        Bootstrap refits of :func:`planner.fit.pipeline.fit_curves`.
    floors : bool, default True
        Also score the floor, which knows the true shapes; in the second variant it also uses the experiments.

    Returns
    -------
    tuple of DataFrame
        As :func:`accuracy`; the per-network rows have a ``data`` column too.
    """
    rows, nets = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            smp = make_sample(seed, Path(tmp) / str(seed), controls=True, experiments=True, heavy_ups=True)
            holdouts = smp.experiments[smp.experiments["spend_tested"].isna()].drop(columns="spend_tested")
            for data, exp in zip(WEEKLY_VARIANTS, (None, holdouts, smp.experiments), strict=True):
                r, n = _weekly_scores(smp, data, n_boot, floors, exp)
                rows += r
                nets += [{"data": data, **x} for x in n]
    return pd.DataFrame(rows), pd.DataFrame(nets)


def _weekly_scores(smp, data: str, n_boot: int, floors: bool, experiments: pd.DataFrame | None = None):
    """Return the summary rows (fitted, and with ``floors`` floor) and the per-network rows of a weekly fit."""
    truth_w = smp.truth.loc[smp.truth["kind"] != "creator"].reset_index(drop=True)
    exp = None if experiments is None else lift_tests(experiments)
    t1 = time.perf_counter()
    tw = fit_curves(smp.weekly, n_boot=n_boot, seed=0, experiments=exp)
    t2 = time.perf_counter()
    ew = network_errors(tw, truth_w, smp.weekly.rows)
    rows = [{"seed": smp.seed, "data": data, "model": "fitted", "entities": len(tw), "seconds": t2 - t1,
             **_score(tw, truth_w, ew, current_spend(truth_w, tw))}]
    pw = tw.set_index("name")
    nets = []
    for net, e in ew.items():
        cur = float(truth_w.set_index("name").loc[net, "current_spend"])
        nets.append({"seed": smp.seed, "network": net, "error": e,
                     "band": float(np.log(pw.loc[net, "beta_p90"] / pw.loc[net, "beta_p10"])),
                     "covered": coverage(tw, truth_w, pd.Series({net: cur})) == 1.0,
                     "data_share": 1.0 - float(pw.loc[net, "prior_weight"])})
    if floors:
        fw = weekly_floor(smp, exp)
        fw_score = {"error": float(np.median(network_errors(fw, truth_w, smp.weekly.rows)))}
        for m in BUDGETS:
            fw_score[f"regret_{m:g}x"] = plan_regret(fw, truth_w, m * float(truth_w["current_spend"].sum()))
        rows.append({"seed": smp.seed, "data": data, "model": "floor", "entities": len(fw), **fw_score})
    return rows, nets


def _creator_scores(smp, tracker: str, n_boot: int, floors: bool) -> list[dict]:
    """Return the rows of :func:`accuracy` for one sample's creators: fitted, and with ``floors`` floor and Bayes."""
    truth_c = smp.truth.loc[smp.truth["kind"] == "creator"].reset_index(drop=True)
    t0 = time.perf_counter()
    tc = fit_curves(smp.creators, n_boot=n_boot, seed=0)
    t1 = time.perf_counter()
    ec = creator_errors(tc, truth_c, smp.creators.rows)
    out = [{"seed": smp.seed, "data": tracker, "model": "fitted", "entities": len(tc), "seconds": t1 - t0,
            **_score(tc, truth_c, ec, current_spend(truth_c, tc))}]
    if floors:
        fc = creator_floor(smp)
        fc_score = {"error": float(np.median(creator_errors(fc, truth_c, smp.creators.rows)))}
        for m in BUDGETS:
            fc_score[f"regret_{m:g}x"] = plan_regret(fc, truth_c, m * float(truth_c["current_spend"].sum()))
        out.append({"seed": smp.seed, "data": tracker, "model": "floor", "entities": len(fc), **fc_score})
        out.append({"seed": smp.seed, "data": tracker, "model": "bayes", "entities": len(fc), **bayes_score(smp)})
    return out


def pymc_comparison(peer: Path = PEER_DATA, n_boot: int = N_BOOT) -> pd.DataFrame:
    """Return the fitted contributions beside the true ones on PyMC-Marketing's simulated data sets.

    Parameters
    ----------
    peer : Path, default PEER_DATA
        The folder holding ``pymc_marketing/``; of ``mmm_example.csv`` and
        ``media_tvp_data.csv`` in it, the files missing are left out.
    n_boot : int, default N_BOOT
        Bootstrap refits of :func:`planner.fit.mmm.fit_mmm`.

    Returns
    -------
    DataFrame
        One row per data set and channel: ``data, channel, true contribution, fitted``
        (outcome over all weeks), ``error`` (``fitted / true - 1``), ``P10, P90``,
        ``true share, fitted share`` (of the total outcome), ``decay`` and
        ``R² held-out``.  Empty when neither file is there.

    Raises
    ------
    ValueError
        :class:`~planner.data.dataset.DataError` or :class:`~planner.fit.mmm.MMMError`
        when a file cannot be imported or fitted.
    """
    base = Path(peer) / "pymc_marketing"
    out = []
    cases = []
    if (base / "mmm_example.csv").exists():
        cases.append(("mmm_example.csv", {}, PYMC_TRUTH))
    if (base / "media_tvp_data.csv").exists():
        tvp = pd.read_csv(base / "media_tvp_data.csv")
        cases.append(("media_tvp_data.csv",
                      {"date_week": "date", "y": "outcome", "x1": "spend:X1", "x2": "spend:X2"},
                      {"X1": float(tvp["x1_contribution"].sum()), "X2": float(tvp["x2_contribution"].sum())}))
    for name, mapping, truth in cases:
        ds = load(base / name, mapping=mapping or None)
        res = fit_mmm(ds, n_boot=n_boot, seed=0)
        p = res.params.set_index("network")
        total = float(ds.outcome["outcome"].sum())
        for ch, true in truth.items():
            fitted = float(p.loc[ch, "contribution"])
            out.append({
                "data": name, "channel": ch, "true contribution": true, "fitted": fitted,
                "error": fitted / true - 1.0,
                "P10": fitted * float(p.loc[ch, "beta_p10"] / p.loc[ch, "beta"]),
                "P90": fitted * float(p.loc[ch, "beta_p90"] / p.loc[ch, "beta"]),
                "true share": true / total, "fitted share": fitted / total,
                "decay": float(p.loc[ch, "decay"]), "R² held-out": res.r2_holdout,
            })
    return pd.DataFrame(out)


def _many_creators(n: int, seeds, tmp: Path):
    """Return about ``n`` creators: the creator files of several seeds, handles made unique per seed."""
    parts, truths, total = [], [], 0
    first = None
    for i, seed in enumerate(seeds):
        smp = make_sample(seed, tmp / f"c{i}")
        first = first or smp.creators
        rows = smp.creators.rows.copy()
        rows["entity"] = rows["entity"].astype(str) + f".{i}"
        tr = smp.truth.loc[smp.truth["kind"] == "creator"].copy()
        tr["name"] = tr["name"] + f".{i}"
        parts.append(rows)
        truths.append(tr)
        total += len(tr)
        if total >= n:
            break
    return replace(first, rows=pd.concat(parts, ignore_index=True)), pd.concat(truths, ignore_index=True)


def cores() -> int:
    """Return the number of cores this process may run on.

    Returns
    -------
    int
        The cores in the process's CPU affinity (where the system has none: all cores, at
        least 1).
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def speed(n_creators: int = 1000, seeds=SPEED_SEEDS, n_boot: int = N_BOOT, regret: bool = True) -> pd.DataFrame:
    """Time ~``n_creators`` creators with intervals and the weekly model with bootstrap (wall-clock seconds).

    Parameters
    ----------
    n_creators : int, default 1000
        About how many creators to fit: the creator files of the seeds are stacked until
        they hold at least this many (fewer when the seeds run out).
    seeds : sequence of int, default SPEED_SEEDS
        The generator seeds; the first also gives the weekly data.
    n_boot : int, default N_BOOT
        Bootstrap refits of :func:`planner.fit.pipeline.fit_curves`.
    regret : bool, default True
        Also plan the fitted creators at their total true ``current_spend`` and report
        the regret.

    Returns
    -------
    DataFrame
        Two rows (creators, weekly model): ``what``, ``seconds``, ``goal_s`` (from
        :data:`GOALS`), and for the creators ``error``, ``coverage`` and, with ``regret``,
        ``regret_1x``.
    """
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        ds, truth = _many_creators(n_creators, seeds, Path(tmp))
        t0 = time.perf_counter()
        table = fit_curves(ds, n_boot=n_boot, seed=0)
        sec = time.perf_counter() - t0
        row = {"what": f"{len(table):,} creators fitted, with intervals", "seconds": sec, "goal_s": GOALS["creators_s"],
               "error": float(np.median(creator_errors(table, truth, ds.rows))),
               "coverage": coverage(table, truth, current_spend(truth, table))}
        if regret:
            row["regret_1x"] = plan_regret(table, truth.reset_index(drop=True), float(truth["current_spend"].sum()))
        rows.append(row)
        weekly, exp = _weekly_with_controls(seeds[0], Path(tmp) / "w")
        n_weeks = weekly.outcome["date"].nunique()
        n_nets = weekly.rows["network"].nunique()
        t0 = time.perf_counter()
        fit_curves(weekly, n_boot=n_boot, seed=0, experiments=exp)
        sec = time.perf_counter() - t0
        rows.append({"what": f"weekly model, {n_nets} networks x {n_weeks} weeks, {len(weekly.control_names)} "
                             f"controls, {len(exp)} experiments, {n_boot} bootstrap refits",
                     "seconds": sec, "goal_s": GOALS["weekly_s"]})
    return pd.DataFrame(rows)


SPEED_EXPERIMENTS = 3  # the weekly case: 6 networks, 5 controls and 3 experiments over 156 weeks


def _weekly_with_controls(seed: int, folder: Path):
    """Return the weekly data with five controls and three lift tests: the speed run's weekly case.

    The generator's controls (two kinds of event and a promotion) and two more a team's file would
    hold, newsletter sends and a competitor's price index, that move nothing; the first three of its
    lift tests.
    """
    smp = make_sample(seed, folder, controls=True, experiments=True)
    sheet = pd.read_excel(folder / "weekly_paid_media.xlsx", sheet_name="Weekly", engine="calamine")
    rng = np.random.default_rng(seed)
    sheet["Newsletter sends"] = rng.poisson(3.0, len(sheet))
    sheet["Competitor price index"] = np.round(100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(sheet)))), 2)
    path = folder / "weekly_with_controls.csv"
    sheet.to_csv(path, index=False)
    exp = lift_tests(smp.experiments.head(SPEED_EXPERIMENTS))
    return load(path), exp
