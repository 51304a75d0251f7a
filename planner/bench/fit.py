"""How close the fitted response curves come to the truth, and how fast: ``python -m planner.bench.fit``.

    python -m planner.bench.fit [--seeds 101 102 ...] [--quick] [--no-speed] [--peer-data DIR]

On sample data made by ``sample_data/generate.py`` with seeds the tests do not use
(they use 7, 8 and 9; the default here is 101-130: one seed's regret swings by several
points, so ten seeds leave about half a point of doubt on the mean), for the creator
campaigns and the weekly paid-media data separately:

* **error**: median over entities of the median ``|fitted / true - 1|`` of the
  response at the spends the data has seen (a creator's campaigns; a network's
  rolling 13-week spend);
* **regret**: ``1 - true(plan on fitted curves) / true(plan on true curves)``, both
  plans by planner.optimize.solver.optimize at the same budget (last quarter's spend; also
  half and twice that) and valued by the true curves.  Creator plans keep the true
  fee per post and max posts (the roster's, a business constraint the user sets);
* **coverage**: share of entities whose true response at last quarter's spend lies
  in the fitted P10-P90 band (80 % intended);
* **Bayes planner** (creators): error and regret of an oracle that knows how the
  generator draws creators and plans on its posterior means (:func:`creator_bayes`):
  the least regret any method can expect from this data;
* **floor**: the same figures for curves fitted knowing what the data cannot show
  (creators: their true shapes, only the scale fitted and pooled; weekly: the true
  adstock, shapes and baseline, only the scales fitted by least squares).

Then the public marketing-mix data whose authors state the true effects
(PyMC-Marketing's ``mmm_example.csv`` and ``media_tvp_data.csv``), and speed: 1,000
creators with intervals, and the weekly model (6 networks x 156 weeks) with its
block bootstrap.  Everything is seeded; timings are wall-clock on this machine.
Nothing here is a test.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from planner.curves.forms import response
from planner.curves.intervals import plan_interval
from planner.data.ingest import load
from planner.fit.mmm import adstock, fit_mmm
from planner.fit.pipeline import fit_curves
from planner.fit.pooling import shrink
from planner.optimize.solver import optimize

__all__ = [
    "Sample", "make_sample", "creator_errors", "network_errors", "plan_regret", "coverage",
    "plan_band", "creator_floor", "weekly_floor", "creator_bayes", "best_posts", "bayes_score", "accuracy", "pymc_comparison", "speed", "summary", "main",
    "SEEDS", "GOALS",
]

ROOT = Path(__file__).resolve().parents[1]
PEER_DATA = ROOT.parent / "shared" / "peer_data"
SEEDS = tuple(range(101, 131))
SPEED_SEEDS = tuple(range(201, 230))
BUDGETS = (0.5, 1.0, 2.0)  # multiples of last quarter's spend
GOALS = {"error": 0.10, "regret": 0.02, "creators_s": 10.0, "weekly_s": 30.0}
N_BOOT = 100  # fit_curves' default
PERIOD = 13

# PyMC-Marketing's mmm_example.csv: the true contributions its authors state (MANIFEST.md)
PYMC_TRUTH = {"X1": 274_848.0, "X2": 65_906.0}


def _generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate", ROOT / "sample_data" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, mod)
    spec.loader.exec_module(mod)
    return mod


@dataclass(frozen=True)
class Sample:
    """One generated data set: the two spreadsheets as imported, and the truth."""

    seed: int
    creators: object  # planner.data.dataset.Dataset (attributed)
    weekly: object  # planner.data.dataset.Dataset (total)
    truth: pd.DataFrame  # true_curves.csv
    true_weekly: pd.DataFrame  # true_weekly.csv, one row per component


def make_sample(seed: int, out_dir: str | Path) -> Sample:
    """Generate the sample files for ``seed`` into ``out_dir`` and import them."""
    paths = _generator().generate(out_dir, seed)
    tw = pd.read_csv(paths["true_weekly"]).pivot(index="component", columns="parameter", values="value")
    return Sample(seed, load(paths["creator_campaigns"]), load(paths["weekly_paid_media"]),
                  pd.read_csv(paths["true_curves"]), tw)


# ----------------------------------------------------------------------------- measures


def _rows_of(table: pd.DataFrame, names) -> pd.DataFrame:
    return table.set_index("name").loc[list(names)].reset_index()


def _campaigns(rows: pd.DataFrame) -> pd.DataFrame:
    """Spend and outcome of every creator campaign (a creator's quarter) with spend, indexed by curve name."""
    r = rows.loc[rows["entity"].fillna("").astype(str) != ""]
    q = pd.to_datetime(r["date"]).dt.to_period("Q")
    camp = r.groupby([r["network"] + "/" + r["entity"], q])[["spend", "outcome"]].sum()
    return camp.loc[camp["spend"] > 0].droplevel(1)


def _campaign_spend(rows: pd.DataFrame) -> pd.Series:
    """Spend of every creator campaign (a creator's quarter), indexed by curve name."""
    return _campaigns(rows)["spend"]


def creator_errors(table: pd.DataFrame, truth: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Per creator: median ``|fitted / true - 1|`` over its campaigns' spend."""
    spend = _campaign_spend(rows)
    names = spend.index.to_numpy()
    x = spend.to_numpy(dtype=float)
    rel = np.abs(response(_rows_of(table, names), x) / response(_rows_of(truth, names), x) - 1.0)
    return pd.Series(rel, index=names).groupby(level=0).median()


def _rolling_spend(rows: pd.DataFrame) -> dict[str, np.ndarray]:
    out = {}
    for net, g in rows.groupby("network"):
        w = g.groupby("date")["spend"].sum().sort_index()
        out[net] = w.rolling(PERIOD).sum().dropna().to_numpy()
    return out


def network_errors(table: pd.DataFrame, truth: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Per network: median ``|fitted / true - 1|`` over its rolling 13-week spends."""
    out = {}
    for net, x in _rolling_spend(rows).items():
        names = [net] * len(x)
        out[net] = float(np.median(np.abs(response(_rows_of(table, names), x) / response(_rows_of(truth, names), x) - 1)))
    return pd.Series(out)


def _plans(fitted: pd.DataFrame, truth: pd.DataFrame, budget: float):
    """The plan on fitted curves (with the truth's bounds) and the plan on the true curves."""
    f = _rows_of(fitted, truth["name"])
    for col in ("min_spend", "max_spend", "unit_cost"):
        f[col] = truth[col].to_numpy()
    alloc = optimize(f, budget)
    xf = _rows_of(alloc.table, truth["name"])["spend"].to_numpy(dtype=float)
    xt = _rows_of(optimize(truth, budget).table, truth["name"])["spend"].to_numpy(dtype=float)
    return f, alloc, xf, xt


def plan_regret(fitted: pd.DataFrame, truth: pd.DataFrame, budget: float) -> float:
    """``1 - true value of the plan on fitted curves / true value of the plan on true curves``.

    Both plans keep the truth's ``min_spend, max_spend, unit_cost`` (the roster's
    bounds); the fitted plan sees only the fitted curves.
    """
    _, _, xf, xt = _plans(fitted, truth, budget)
    best = float(response(truth, xt).sum())
    return 1.0 - float(response(truth, xf).sum()) / best if best > 0 else 0.0


def plan_band(fitted: pd.DataFrame, truth: pd.DataFrame, budget: float) -> dict:
    """The fitted plan's P10-P90 (planner.curves.intervals, as the optimizer reports it) beside its true return."""
    f, alloc, xf, xt = _plans(fitted, truth, budget)
    band = plan_interval(f, xf)
    true = float(response(truth, xf).sum())
    best = float(response(truth, xt).sum())
    return {"true": true, "regret": 1.0 - true / best if best > 0 else 0.0, **band,
            "in_band": band["p10"] <= true <= band["p90"], "below": true < band["p10"],
            "width": (band["p90"] - band["p10"]) / band["expected"]}


def coverage(table: pd.DataFrame, truth: pd.DataFrame, spend: pd.Series) -> float:
    """Share of entities whose true response at ``spend`` (by name) is in the P10-P90 band."""
    names = spend.index.to_numpy()
    x = spend.to_numpy(dtype=float)
    f = _rows_of(table, names)
    r = response(f, x)
    lo = r * f["beta_p10"].to_numpy(dtype=float) / f["beta"].to_numpy(dtype=float)
    hi = r * f["beta_p90"].to_numpy(dtype=float) / f["beta"].to_numpy(dtype=float)
    t = response(_rows_of(truth, names), x)
    return float(np.mean((t >= lo) & (t <= hi)))


def _current(truth: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Last quarter's spend by name (the truth's), or the fitted table's where it is zero."""
    cur = truth.set_index("name")["current_spend"].astype(float)
    fit = table.set_index("name")["current_spend"].astype(float).reindex(cur.index)
    return cur.where(cur > 0, fit).dropna()


# ----------------------------------------------------------------------------- floors


def creator_floor(sample: Sample) -> pd.DataFrame:
    """Creator curves knowing each one's true shape: only the scale is fitted, then pooled.

    The scale is the mean log residual of the creator's campaigns under its true shape,
    pooled toward its network by planner.fit.pooling.shrink (log followers / log fee as
    covariates), the noise variance estimated from the residuals.
    """
    truth = sample.truth.loc[sample.truth["kind"] == "creator"].reset_index(drop=True)
    camp = _campaigns(sample.creators.rows)
    y = camp["outcome"].to_numpy(dtype=float)
    y = np.where(y > 0, y, 0.5 * y[y > 0].min())
    unit = _rows_of(truth.assign(beta=1.0), camp.index)
    res = pd.Series(np.log(y) - np.log(response(unit, camp["spend"].to_numpy(dtype=float))), index=camp.index)
    g = res.groupby(level=0)
    est, n = g.mean(), g.size().astype(float)
    dof = float((n - 1).sum())
    sigma2 = float(((res - est.reindex(res.index).to_numpy()) ** 2).sum() / dof) if dof > 0 else 0.35**2
    t = truth.set_index("name")
    beta = t["beta"].copy()  # creators without campaigns keep the truth (none in the samples)
    for _, idx in t.loc[est.index].groupby("network").groups.items():
        names = list(idx)
        sh = shrink(est[names].to_numpy(), n[names].to_numpy(), sigma2,
                    {"followers": np.log(t.loc[names, "followers"].to_numpy(dtype=float)),
                     "fee": np.log(t.loc[names, "unit_cost"].to_numpy(dtype=float))})
        beta[names] = np.exp(sh.post_mean + 0.5 * sigma2)
    return truth.assign(beta=beta.reindex(truth["name"]).to_numpy())


def weekly_floor(sample: Sample) -> pd.DataFrame:
    """Network curves knowing the true adstock, hill shapes and baseline: scales by least squares."""
    tw = sample.true_weekly
    b = tw.loc["baseline"]
    rows = sample.weekly.rows
    spend = rows.pivot_table(index="date", columns="network", values="spend", aggfunc="sum").sort_index()
    oc = sample.weekly.outcome.groupby("date")["outcome"].sum().reindex(spend.index).to_numpy(dtype=float)
    idx = pd.DatetimeIndex(spend.index)
    doy = idx.day_of_year.to_numpy().astype(float)
    t = np.arange(len(idx)) / 52.0
    season = 1 + b["season_amplitude"] * np.cos(2 * np.pi * (doy - b["season_peak_day"]) / 365.25) \
        + b["holiday_amplitude"] * np.exp(-0.5 * ((doy - b["holiday_peak_day"]) / b["holiday_width_days"]) ** 2)
    y = oc - b["level"] * (1 + b["trend_per_year"] * t) * season
    cols = []
    nets = list(spend.columns)
    for net in nets:
        x = spend[net].to_numpy(dtype=float)
        a = adstock(x, tw.loc[net, "decay"], x0=x[0])
        s, k = tw.loc[net, "s"], tw.loc[net, "k"]
        cols.append(a**s / (a**s + k**s))
    coef = np.linalg.lstsq(np.column_stack(cols), y, rcond=None)[0]
    out = sample.truth.loc[sample.truth["kind"] != "creator"].reset_index(drop=True).copy()
    ratio = pd.Series(coef / tw.loc[nets, "beta"].to_numpy(dtype=float), index=nets)
    out["beta"] = out["beta"] * np.maximum(ratio.reindex(out["name"]).to_numpy(), 1e-6)
    return out


def _tier(followers: float, tiers: dict) -> str:
    for name, (lo, hi) in tiers.items():
        if lo <= followers < hi:
            return name
    return list(tiers)[-1]


def creator_bayes(sample: Sample, draws: int = 6000, seed: int = 0) -> dict[str, np.ndarray]:
    """What a Bayes planner that knows how the generator draws creators expects from 0..max posts.

    An oracle, not a model: every creator's prior is the generator's own (its network and
    tier's return per dollar with its spread, the mix of forms, k in posts, hill s and the
    noise sd; ``sample_data/generate.py``), only the program's overall calibration is
    estimated (by marginal likelihood).  The posterior mean revenue of every number of
    posts follows from the creator's campaigns by importance weighting ``draws`` draws of
    the prior.  A plan made on these values maximises the expected true return given the
    data, so its regret is the least any method can expect on this data.

    Returns ``{name: revenue at 0, 1, ..., max posts}``.
    """
    gen = _generator()
    truth = sample.truth.loc[sample.truth["kind"] == "creator"].set_index("name")
    camp = _campaigns(sample.creators.rows)
    rng = np.random.default_rng(seed)
    names, quad, values = [], [], []
    for name, c in camp.groupby(level=0):
        t = truth.loc[name]
        fee = float(t["unit_cost"])
        posts = int(round(float(t["max_spend"]) / fee))
        p = gen.NETWORK_PROFILE[t["network"]]
        tier = _tier(float(t["followers"]), gen.TIER_FOLLOWERS)
        roas = p["creator_roas"] * gen.TIER_ROAS_FACTOR[tier] * np.exp(rng.normal(0.0, gen.CREATOR_ROAS_SD, draws))
        x_ref = max(1, int(np.ceil(posts / 2))) * fee
        u = rng.random(draws)
        forms = gen.CREATOR_FORMS
        form = np.where(u < forms["hill"], "hill", np.where(u < forms["hill"] + forms["logistic"], "logistic", "log"))
        k = np.empty(draws)
        for f, (lo, hi) in gen.CREATOR_K_POSTS.items():
            k[form == f] = fee * rng.uniform(lo, hi, int((form == f).sum()))
        s = rng.uniform(*gen.HILL_S, draws)
        sd = rng.uniform(*gen.CREATOR_NOISE_SD, draws)
        shapes = pd.DataFrame({"name": "x", "curve": form, "beta": 1.0, "k": k, "s": np.where(form == "hill", s, np.nan)})

        def shape(x: np.ndarray) -> np.ndarray:  # (draws, len(x)), unit beta
            return np.stack([response(shapes, np.full(draws, v)) for v in x], axis=1)

        beta = roas * x_ref / shape(np.array([x_ref]))[:, 0]
        spend = c["spend"].to_numpy(dtype=float)
        y = np.maximum(c["outcome"].to_numpy(dtype=float), 1e-9)
        # log y = log scale + log(beta g(x)) - sd²/2 + e: quadratic in log scale, per draw
        r0 = np.log(y)[None, :] - np.log(beta[:, None] * shape(spend)) + 0.5 * sd[:, None] ** 2
        w = 1.0 / sd**2
        quad.append((-0.5 * w * (r0**2).sum(axis=1) - len(y) * np.log(sd), w * r0.sum(axis=1), 0.5 * w * len(y)))
        values.append(beta[:, None] * shape(np.arange(1, posts + 1) * fee))
        names.append(name)

    def loglik(ls: float, weights: bool = False):
        total, out = 0.0, []
        for a, b, cc in quad:
            ll = a + b * ls - cc * ls**2
            top = ll.max()
            e = np.exp(ll - top)
            total += top + np.log(e.mean())
            out.append(e / e.sum())
        return out if weights else total

    grid = np.linspace(-3.0, 5.0, 161)
    best = grid[int(np.argmax([loglik(g) for g in grid]))]
    fine = np.linspace(best - 0.05, best + 0.05, 41)
    ls = float(fine[int(np.argmax([loglik(g) for g in fine]))])
    return {n: np.r_[0.0, np.exp(ls) * (wt[:, None] * v).sum(axis=0)]
            for n, wt, v in zip(names, loglik(ls, weights=True), values)}


def best_posts(values: list[np.ndarray], fees: np.ndarray, budget: float) -> np.ndarray:
    """Posts per creator (0..len(v)-1) that maximise the summed ``values`` within ``budget``.

    Exact: a knapsack over the budget in steps of the fees' greatest common divisor
    (whole-dollar fees).
    """
    dollars = np.round(np.asarray(fees, dtype=float)).astype(int)
    step = int(np.gcd.reduce(dollars))
    w = dollars // step
    cap = int(budget // step)
    best = np.zeros(cap + 1)
    choice = []
    for v, wi in zip(values, w):
        new, ch = best + v[0], np.zeros(cap + 1, dtype=np.int16)
        for n in range(1, len(v)):
            shift = n * wi
            if shift > cap:
                break
            cand = np.full(cap + 1, -np.inf)
            cand[shift:] = best[:-shift] + v[n]
            better = cand > new + 1e-9
            new = np.where(better, cand, new)
            ch[better] = n
        best = new
        choice.append(ch)
    c = int(np.argmax(best))
    out = np.zeros(len(values), dtype=int)
    for i in range(len(values) - 1, -1, -1):
        out[i] = choice[i][c]
        c -= out[i] * w[i]
    return out


def bayes_score(sample: Sample, draws: int = 6000) -> dict:
    """Error at the campaigns' posts and regret at BUDGETS of the Bayes planner (creator_bayes)."""
    truth = sample.truth.loc[sample.truth["kind"] == "creator"].reset_index(drop=True)
    vb = creator_bayes(sample, draws, seed=sample.seed)
    t = truth.set_index("name").loc[list(vb)]
    fees = t["unit_cost"].to_numpy(dtype=float)
    vt = [response(_rows_of(truth, [n] * len(v)), np.arange(len(v)) * fee) for (n, v), fee in zip(vb.items(), fees)]
    spend = _campaign_spend(sample.creators.rows)
    err = []
    for (n, v), tv, fee in zip(vb.items(), vt, fees):
        idx = np.round(spend.loc[[n]].to_numpy(dtype=float) / fee).astype(int)
        err.append(float(np.median(np.abs(v[idx] / tv[idx] - 1))))
    out = {"error": float(np.median(err))}
    for m in BUDGETS:
        budget = m * float(truth["current_spend"].sum())
        pb, pt = best_posts(list(vb.values()), fees, budget), best_posts(vt, fees, budget)
        got = sum(v[i] for v, i in zip(vt, pb))
        top = sum(v[i] for v, i in zip(vt, pt))
        out[f"regret_{m:g}x"] = float(1.0 - got / top) if top > 0 else 0.0
    return out


# ----------------------------------------------------------------------------- the benchmark


def _score(table, truth, errors, current) -> dict:
    out = {"error": float(np.median(errors)), "coverage": coverage(table, truth, current)}
    for m in BUDGETS:
        band = plan_band(table, truth, m * float(truth["current_spend"].sum()))
        out[f"regret_{m:g}x"] = band["regret"]
        out[f"plan_in_band_{m:g}x"] = float(band["in_band"])
        out[f"plan_below_{m:g}x"] = float(band["below"])
        out[f"plan_band_width_{m:g}x"] = band["width"]
    return out


def accuracy(seeds=SEEDS, n_boot: int = N_BOOT, floors: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit every seed's sample; one row per seed x data (creators, weekly) x model (fitted, floor).

    Returns (summary rows, per-network rows of the weekly model).
    """
    rows, nets = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in seeds:
            smp = make_sample(seed, Path(tmp) / str(seed))
            truth_c = smp.truth.loc[smp.truth["kind"] == "creator"].reset_index(drop=True)
            truth_w = smp.truth.loc[smp.truth["kind"] != "creator"].reset_index(drop=True)
            t0 = time.perf_counter()
            tc = fit_curves(smp.creators, n_boot=n_boot, seed=0)
            t1 = time.perf_counter()
            tw = fit_curves(smp.weekly, n_boot=n_boot, seed=0)
            t2 = time.perf_counter()
            ec = creator_errors(tc, truth_c, smp.creators.rows)
            ew = network_errors(tw, truth_w, smp.weekly.rows)
            rows.append({"seed": seed, "data": "creators", "model": "fitted", "entities": len(tc), "seconds": t1 - t0,
                         **_score(tc, truth_c, ec, _current(truth_c, tc))})
            rows.append({"seed": seed, "data": "weekly", "model": "fitted", "entities": len(tw), "seconds": t2 - t1,
                         **_score(tw, truth_w, ew, _current(truth_w, tw))})
            pw = tw.set_index("name")
            for net, e in ew.items():
                cur = float(truth_w.set_index("name").loc[net, "current_spend"])
                nets.append({"seed": seed, "network": net, "error": e,
                             "band": float(np.log(pw.loc[net, "beta_p90"] / pw.loc[net, "beta_p10"])),
                             "covered": coverage(tw, truth_w, pd.Series({net: cur})) == 1.0,
                             "data_share": _data_share(pw.loc[net, "pooling_note"])})
            if floors:
                fc = creator_floor(smp)
                fw = weekly_floor(smp)
                fc_score = {"error": float(np.median(creator_errors(fc, truth_c, smp.creators.rows)))}
                fw_score = {"error": float(np.median(network_errors(fw, truth_w, smp.weekly.rows)))}
                for m in BUDGETS:
                    fc_score[f"regret_{m:g}x"] = plan_regret(fc, truth_c, m * float(truth_c["current_spend"].sum()))
                    fw_score[f"regret_{m:g}x"] = plan_regret(fw, truth_w, m * float(truth_w["current_spend"].sum()))
                rows.append({"seed": seed, "data": "creators", "model": "floor", "entities": len(fc), **fc_score})
                rows.append({"seed": seed, "data": "creators", "model": "bayes", "entities": len(fc), **bayes_score(smp)})
                rows.append({"seed": seed, "data": "weekly", "model": "floor", "entities": len(fw), **fw_score})
    return pd.DataFrame(rows), pd.DataFrame(nets)


def _data_share(note: str) -> float:
    """The share of a network's return its own data determine, read back from the note (NaN if absent)."""
    import re

    m = re.search(r"and only (\d+)% its own", str(note))
    if m:
        return int(m.group(1)) / 100
    m = re.search(r"[Pp]ulled (\d+)% toward the other networks", str(note))
    return 1 - int(m.group(1)) / 100 if m else float("nan")


def pymc_comparison(peer: Path = PEER_DATA, n_boot: int = N_BOOT) -> pd.DataFrame:
    """Fitted contributions beside the true ones on PyMC-Marketing's simulated data sets."""
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
    """About ``n`` creators: the creator files of several seeds, handles made unique per seed."""
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
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def speed(n_creators: int = 1000, seeds=SPEED_SEEDS, n_boot: int = N_BOOT, regret: bool = True) -> pd.DataFrame:
    """Wall-clock seconds: ~``n_creators`` creators with intervals; the weekly model with bootstrap."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        ds, truth = _many_creators(n_creators, seeds, Path(tmp))
        t0 = time.perf_counter()
        table = fit_curves(ds, n_boot=n_boot, seed=0)
        sec = time.perf_counter() - t0
        row = {"what": f"{len(table):,} creators fitted, with intervals", "seconds": sec, "goal_s": GOALS["creators_s"],
               "error": float(np.median(creator_errors(table, truth, ds.rows))),
               "coverage": coverage(table, truth, _current(truth, table))}
        if regret:
            row["regret_1x"] = plan_regret(table, truth.reset_index(drop=True), float(truth["current_spend"].sum()))
        rows.append(row)
        smp = make_sample(seeds[0], Path(tmp) / "w")
        n_weeks = smp.weekly.outcome["date"].nunique()
        n_nets = smp.weekly.rows["network"].nunique()
        t0 = time.perf_counter()
        fit_curves(smp.weekly, n_boot=n_boot, seed=0)
        sec = time.perf_counter() - t0
        rows.append({"what": f"weekly model, {n_nets} networks x {n_weeks} weeks, {n_boot} bootstrap refits",
                     "seconds": sec, "goal_s": GOALS["weekly_s"]})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- report


def summary(acc: pd.DataFrame, spd: pd.DataFrame | None = None) -> pd.DataFrame:
    """The headline figures beside their goals (medians over seeds; regret also its worst)."""
    out = []
    for data in ("creators", "weekly"):
        for model in ("fitted", "floor", "bayes"):
            a = acc.loc[(acc["data"] == data) & (acc["model"] == model)]
            if a.empty:
                continue
            tag = f"{data}, " + {"fitted": "fitted", "floor": "floor (truth shapes known)",
                                 "bayes": "Bayes planner knowing the generator's priors"}[model]
            out.append({"figure": f"{tag}: median error at observed spend", "value": float(np.median(a["error"])),
                        "goal": GOALS["error"] if model == "fitted" else np.nan})
            for m in BUDGETS:
                col = f"regret_{m:g}x"
                out.append({"figure": f"{tag}: regret at {m:g}x last quarter's budget (mean / worst seed)",
                            "value": float(a[col].mean()), "worst": float(a[col].max()),
                            "goal": GOALS["regret"] if (model == "fitted" and m == 1.0) else np.nan})
            if model == "fitted":
                out.append({"figure": f"{tag}: entities' true response inside their P10-P90 (80% intended)",
                            "value": float(a["coverage"].mean()), "goal": np.nan})
                for m in BUDGETS:
                    out.append({"figure": f"{tag}: plan's true return inside its P10-P90 at {m:g}x budget, 80% "
                                          f"intended (below P10 {100 * a[f'plan_below_{m:g}x'].mean():.0f}%; width "
                                          f"{100 * a[f'plan_band_width_{m:g}x'].median():.0f}% of expected)",
                                "value": float(a[f"plan_in_band_{m:g}x"].mean()), "goal": np.nan})
    if spd is not None:
        for r in spd.itertuples(index=False):
            out.append({"figure": f"seconds: {r.what}", "value": r.seconds, "goal": r.goal_s})
    df = pd.DataFrame(out)
    df["met"] = np.where(df["goal"].isna(), "", np.where(df["value"] < df["goal"], "yes", "no"))
    return df


def _fmt(df: pd.DataFrame, pct_cols=(), num_cols=()) -> str:
    d = df.copy()
    for c in pct_cols:
        if c in d:
            d[c] = [("" if pd.isna(v) else f"{100 * v:.1f}%") for v in d[c]]
    for c in num_cols:
        if c in d:
            d[c] = [("" if pd.isna(v) else f"{v:,.2f}") for v in d[c]]
    return d.to_string(index=False)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Accuracy and speed of the fitted response curves against the truth.")
    ap.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="generator seeds (default 101-130)")
    ap.add_argument("--quick", action="store_true", help="three seeds, 300 creators for speed")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed runs")
    ap.add_argument("--peer-data", default=str(PEER_DATA), help="folder with pymc_marketing/ (../shared/peer_data)")
    args = ap.parse_args(argv)
    seeds = args.seeds[:3] if args.quick else args.seeds
    print(f"planner.bench.fit: seeds {', '.join(map(str, seeds))}; {cores()} core(s) available\n")
    acc, nets = accuracy(seeds)
    spd = None if args.no_speed else speed(300 if args.quick else 1000)
    summ = summary(acc, spd)
    print("Summary (medians over seeds unless said)")
    rows = summ.copy()
    is_sec = rows["figure"].str.startswith("seconds")
    rows["value"] = [f"{v:.1f} s" if s else f"{100 * v:.1f}%" for v, s in zip(rows["value"], is_sec)]
    rows["worst"] = ["" if pd.isna(v) else f"{100 * v:.1f}%" for v in rows.get("worst", pd.Series(np.nan, index=rows.index))]
    rows["goal"] = ["" if pd.isna(g) else (f"< {g:.0f} s" if s else f"< {100 * g:.0f}%") for g, s in zip(rows["goal"], is_sec)]
    print(rows[["figure", "value", "worst", "goal", "met"]].to_string(index=False))
    print("\nPer seed")
    cols = ["seed", "data", "model", "entities", "error"] + [f"regret_{m:g}x" for m in BUDGETS] + ["coverage", "seconds"]
    print(_fmt(acc[[c for c in cols if c in acc]], pct_cols=["error", "coverage"] + [f"regret_{m:g}x" for m in BUDGETS],
               num_cols=["seconds"]))
    print("\nWeekly model per network (over seeds): error at observed spend; width of the P10-P90 band (log); "
          "share of the return its own data determine; truth inside the band")
    g = nets.groupby("network").agg(error=("error", "median"), band=("band", "median"),
                                    data_share=("data_share", "median"), covered=("covered", "mean")).reset_index()
    print(_fmt(g, pct_cols=["error", "data_share", "covered"], num_cols=["band"]))
    try:
        pm = pymc_comparison(Path(args.peer_data))
    except (OSError, ValueError) as exc:  # the peer data is optional
        pm = pd.DataFrame()
        print(f"\nPyMC-Marketing data not compared: {exc}")
    if len(pm):
        print("\nPyMC-Marketing simulated data: channel contribution over all weeks, true (stated by its authors) "
              "vs fitted")
        print(_fmt(pm, pct_cols=["error", "true share", "fitted share"],
                   num_cols=["true contribution", "fitted", "P10", "P90", "decay", "R² held-out"]))
    if spd is not None:
        print("\nSpeed")
        print(_fmt(spd, pct_cols=["error", "coverage", "regret_1x"], num_cols=["seconds", "goal_s"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
