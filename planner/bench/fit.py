"""How close the fitted response curves come to the truth, and how fast: ``python -m planner.bench.fit``.

    python -m planner.bench.fit [--seeds 101 102 ...] [--quick] [--no-speed] [--peer-data DIR]
                                [--creators-only | --weekly-only] [--n-boot N]

On sample data made by ``sample_data/generate.py`` with seeds the tests do not use
(they use 7, 8 and 9; the default here is 101-130: one seed's regret swings by several
points, so ten seeds leave about half a point of doubt on the mean), for the creator
campaigns (six trackers: one campaign a quarter, as the shipped sample; 2-3 campaigns
a quarter of 1-4 posts each, on distinct dates; one campaign a quarter of creators whose true
curves are all concave; one campaign a quarter, some of which sell nothing, a promo code never used;
one campaign a quarter whose revenue rises in the holidays and falls in spring, +/-30 %; one campaign a
quarter, the bigger ones more often with a discount code that lifts their revenue, said in a column) and the weekly paid-media data separately (as generated, with controls,
with one experiment per network, and with concave true curves):

* **error**: median over entities of the median ``|fitted / true - 1|`` of the
  response at the spends the data has seen (a creator's campaigns; a network's
  rolling 13-week spend);
* **regret**: ``1 - true(plan on fitted curves) / true(plan on true curves)``, both
  plans by planner.optimize.optimize at the same budget (last quarter's spend; also
  half and twice that) and valued by the true curves.  Creator plans keep the true
  fee per post and max posts (the roster's, a business constraint the user sets);
* **coverage**: share of entities whose true response at last quarter's spend lies
  in the fitted P10-P90 band (80 % intended);
* **Bayes planner** (creators): error and regret of an oracle that knows how the
  generator draws creators and plans on its posterior means (:func:`planner.bench.fit_bayes.creator_bayes`):
  the least regret any method can expect from this data;
* **weekly variants**: the weekly data with controls (an event column and a promotion
  correlated with Instagram's spend, which the importer reads as controls), fitted without and
  with one 4-week lift test per network (standard error 15 % of its lift), and with a heavy-up test per
  network beside it (the test doubled the spend of another 4 weeks; the same standard error in money: it
  measures the last dollars' return, what a holdout cannot); goals: the error within 1.3 times the floor's,
  and with the experiments under 10 % with a regret under 1 %;
* **floor**: the same figures for curves fitted knowing what the data cannot show
  (creators: their true shapes, only the scale fitted and pooled; weekly: the true
  adstock, shapes and baseline, only the scales fitted by least squares, with the controls'
  and the experiments' evidence where the data has them).

Then the public marketing-mix data whose authors state the true effects
(PyMC-Marketing's ``mmm_example.csv`` and ``media_tvp_data.csv``), and speed: 1,000
creators with intervals, and the weekly model (6 networks x 156 weeks) with its
block bootstrap.  Everything is seeded; timings are wall-clock on this machine.
Nothing here is a test.

The parts: planner.bench.fit_sample (the samples and their truth),
planner.bench.fit_measures (error, regret, coverage), planner.bench.fit_floors and
planner.bench.fit_bayes (what the fit is compared against), planner.bench.fit_runs (the
runs); this module prints the report.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from planner.bench.fit_runs import (
    EXPERIMENT_GOALS,
    FLOOR_RATIO,
    GOALS,
    WEEKLY_VARIANTS,
    accuracy,
    cores,
    pymc_comparison,
    speed,
    weekly_variants,
)
from planner.bench.fit_sample import BUDGETS, N_BOOT, PEER_DATA, SEEDS, SEVERAL

__all__ = ["summary", "main"]


def summary(acc: pd.DataFrame, spd: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the headline figures beside their goals (medians over seeds; regret also its worst).

    The error is the median over seeds; regret, coverage and the plans' band figures are
    the means over seeds (the printed label says "mean / worst seed"), ``worst`` the
    largest regret of any seed.

    Parameters
    ----------
    acc : DataFrame
        The first table of :func:`planner.bench.fit_runs.accuracy`: one row per seed x
        ``data`` x ``model`` with ``error``, ``regret_<m>x`` and (fitted rows)
        ``coverage``, ``plan_in_band_<m>x``, ``plan_below_<m>x``, ``plan_band_width_<m>x``.
    spd : DataFrame or None, default None
        The table of :func:`planner.bench.fit_runs.speed` (``what, seconds, goal_s``);
        None leaves the timings out.

    Returns
    -------
    DataFrame
        One row per figure: ``figure`` (its label), ``value`` (a share, 0.05 = 5 %, or
        seconds for the ``"seconds: ..."`` rows), ``worst`` (regret rows only, else NaN),
        ``goal`` (NaN where there is none) and ``met`` (``"yes"`` when ``value < goal``,
        ``"no"``, or ``""`` without a goal).
    """
    out = []
    for data in acc["data"].unique():  # creators (each tracker), weekly and its variants
        goals = _goals(acc, data)
        for model in ("fitted", "floor", "bayes"):
            a = acc.loc[(acc["data"] == data) & (acc["model"] == model)]
            if a.empty:
                continue
            tag = f"{data}, " + {"fitted": "fitted", "floor": "floor (truth shapes known)",
                                 "bayes": "Bayes planner knowing the generator's priors"}[model]
            out.append({"figure": f"{tag}: median error at observed spend" + goals["error_label"],
                        "value": float(np.median(a["error"])), "goal": goals["error"] if model == "fitted" else np.nan})
            for m in BUDGETS:
                col = f"regret_{m:g}x"
                out.append({"figure": f"{tag}: regret at {m:g}x last quarter's budget (mean / worst seed)",
                            "value": float(a[col].mean()), "worst": float(a[col].max()),
                            "goal": goals["regret"] if (model == "fitted" and m == 1.0) else np.nan})
            if model == "fitted":
                out.append({"figure": f"{tag}: entities' true response inside their P10-P90 (80% intended)",
                            "value": float(a["coverage"].mean()), "goal": np.nan})
                # a band that is right holds the truth 80 % of the time: over n seeds the share seen swings by
                # sqrt(0.8 * 0.2 / n) (7 points at 30 seeds), and each tail's by sqrt(0.1 * 0.9 / n) (5 points)
                chance = 100 * np.sqrt(0.16 / max(len(a), 1))
                for m in BUDGETS:
                    out.append({"figure": f"{tag}: plan's true return inside its P10-P90 at {m:g}x budget, 80% "
                                          f"intended, +/-{chance:.0f} points by chance over {len(a)} seeds "
                                          f"(below P10 {100 * a[f'plan_below_{m:g}x'].mean():.0f}%, above P90 "
                                          f"{100 * a[f'plan_above_{m:g}x'].mean():.0f}%; width "
                                          f"{100 * a[f'plan_band_width_{m:g}x'].median():.0f}% of expected; selection "
                                          f"allowance {100 * a[f'plan_allowance_{m:g}x'].mean():.1f}%)",
                                "value": float(a[f"plan_in_band_{m:g}x"].mean()), "goal": np.nan})
    if spd is not None:
        for r in spd.itertuples(index=False):
            out.append({"figure": f"seconds: {r.what}", "value": r.seconds, "goal": r.goal_s})
    df = pd.DataFrame(out)
    df["met"] = np.where(df["goal"].isna(), "", np.where(df["value"] < df["goal"], "yes", "no"))
    return df


def _goals(acc: pd.DataFrame, data: str) -> dict:
    """Return the goals of one kind of data: its fitted error's and its regret's at 1x (issue 12, point 7).

    Weekly data with controls: the error within 1.3 times the floor's (the median over seeds); with one
    experiment per network (and with a heavy-up beside it): an error under 10 % and a regret under 1 %;
    otherwise :data:`GOALS`.
    """
    if data == WEEKLY_VARIANTS[0]:
        floor = acc.loc[(acc["data"] == data) & (acc["model"] == "floor"), "error"]
        if len(floor):
            return {"error": FLOOR_RATIO * float(np.median(floor)), "regret": GOALS["regret"],
                    "error_label": f" (goal: {FLOOR_RATIO:g}x the floor's)"}
    if data in WEEKLY_VARIANTS[1:]:
        return {"error": EXPERIMENT_GOALS["error"], "regret": EXPERIMENT_GOALS["regret"], "error_label": ""}
    return {"error": GOALS["error"], "regret": GOALS["regret"], "error_label": ""}


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
    """Run the fit benchmark (``python -m planner.bench.fit``) and print its report; return 0.

    Parameters
    ----------
    argv : list of str or None, default None
        The command-line arguments without the program name (``--seeds``, ``--quick``,
        ``--no-speed``, ``--peer-data``); None reads ``sys.argv[1:]``.

    Returns
    -------
    int
        Always 0 (nothing here is a test).

    Raises
    ------
    SystemExit
        From argparse, for ``--help`` or arguments it does not know.
    """
    ap = argparse.ArgumentParser(prog="python -m planner.bench.fit", description="Accuracy and speed of the fitted response curves against the truth.")
    ap.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS), help="generator seeds (default 101-130)")
    ap.add_argument("--quick", action="store_true", help="three seeds, 300 creators for speed")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed runs")
    ap.add_argument("--peer-data", default=str(PEER_DATA), help="folder with pymc_marketing/ (../shared/peer_data)")
    ap.add_argument("--creators-only", action="store_true", help="only the creator trackers (no weekly data, "
                                                                  "PyMC-Marketing or speed)")
    ap.add_argument("--weekly-only", action="store_true", help="only the weekly data and its variants with controls "
                                                                "and experiments (no creators or speed)")
    ap.add_argument("--n-boot", type=int, default=N_BOOT, help=f"bootstrap refits per fit (default {N_BOOT})")
    args = ap.parse_args(argv)
    seeds = args.seeds[:3] if args.quick else args.seeds
    print(f"planner.bench.fit: seeds {', '.join(map(str, seeds))}; {cores()} core(s) available\n")
    if args.weekly_only:
        acc, nets = accuracy(seeds, n_boot=args.n_boot, creators=False)
        parts = [acc]
    else:
        acc, nets = accuracy(seeds, n_boot=args.n_boot, weekly=not args.creators_only)
        parts = [acc, accuracy(seeds, n_boot=args.n_boot, campaigns_per_quarter=SEVERAL, weekly=False)[0],
                 accuracy(seeds, n_boot=args.n_boot, weekly=False, creator_shapes="concave")[0],
                 accuracy(seeds, n_boot=args.n_boot, weekly=False, unsold=True)[0],
                 accuracy(seeds, n_boot=args.n_boot, weekly=False, creator_season=True)[0],
                 accuracy(seeds, n_boot=args.n_boot, weekly=False, creator_promos=True)[0]]
    if not args.creators_only:
        variants, vnets = weekly_variants(seeds, n_boot=args.n_boot)
        concave, cnets = accuracy(seeds, n_boot=args.n_boot, creators=False, weekly_shapes="concave")
        parts += [variants, concave]
        nets = pd.concat([nets.assign(data="weekly"), vnets, cnets.assign(data="weekly, concave curves")],
                         ignore_index=True)
    acc = pd.concat(parts, ignore_index=True)
    spd = None if args.no_speed or args.creators_only or args.weekly_only else speed(300 if args.quick else 1000)
    summ = summary(acc, spd)
    print("Summary (medians over seeds unless said)")
    rows = summ.copy()
    is_sec = rows["figure"].str.startswith("seconds")
    rows["value"] = [f"{v:.1f} s" if s else f"{100 * v:.1f}%" for v, s in zip(rows["value"], is_sec, strict=True)]
    rows["worst"] = ["" if pd.isna(v) else f"{100 * v:.1f}%" for v in rows.get("worst", pd.Series(np.nan, index=rows.index))]
    rows["goal"] = ["" if pd.isna(g) else (f"< {g:.0f} s" if s else f"< {100 * g:.0f}%") for g, s in zip(rows["goal"], is_sec, strict=True)]
    print(rows[["figure", "value", "worst", "goal", "met"]].to_string(index=False))
    print("\nPer seed")
    cols = ["seed", "data", "model", "entities", "error"] + [f"regret_{m:g}x" for m in BUDGETS] + ["coverage", "seconds"]
    print(_fmt(acc[[c for c in cols if c in acc]], pct_cols=["error", "coverage"] + [f"regret_{m:g}x" for m in BUDGETS],
               num_cols=["seconds"]))
    if args.creators_only:
        return 0
    print("\nWeekly model per network (over seeds): error at observed spend; width of the P10-P90 band (log); "
          "share of the return its own data determine; truth inside the band")
    g = nets.groupby(["data", "network"]).agg(error=("error", "median"), band=("band", "median"),
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
