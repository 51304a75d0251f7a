"""How long a wide weekly file takes to fit: ``python -m planner.bench.fit_wide``.

    python -m planner.bench.fit_wide                         # 100 x 156 and 99 x 60, 30 bootstrap refits
    python -m planner.bench.fit_wide --sizes 40x156 --n-boot 100 --keep /tmp/wide

Each size is a CSV of that many spend channels over that many weeks with total sales
(planner.bench.wide_weekly), imported by planner.data.ingest.load and fitted by
planner.fit.pipeline.fit_curves as the app and ``python -m planner fit`` do (30 bootstrap
refits), with no time budget, so the wall time is the whole fit's. Goal (issue 16): 100
channels over 156 weeks in under 60 s on 2 cores. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from planner.bench.wide_weekly import write_wide_weekly
from planner.data.ingest import load
from planner.fit.budget import NOTES
from planner.fit.pipeline import fit_curves
from planner.fit.saved import APP_BOOTSTRAP

__all__ = ["GOAL_SECONDS", "measure", "main"]

GOAL_SECONDS = 60.0
SIZES = ("100x156", "99x60")


def measure(channels: int, weeks: int, folder: Path, n_boot: int = APP_BOOTSTRAP, seed: int = 0) -> dict:
    """Write, import and fit one wide file; return its size, the seconds of each step and what the fit said.

    Parameters
    ----------
    channels, weeks : int
        The file's spend channels and weeks.
    folder : Path
        Where the CSV is written.
    n_boot : int, default APP_BOOTSTRAP
        Bootstrap refits of the fit.
    seed : int, default 0
        Seed of the file (planner.bench.wide_weekly.wide_weekly).

    Returns
    -------
    dict
        ``size, import_s, fit_s, curves, r2_holdout, notes``.
    """
    path = write_wide_weekly(folder / f"wide_{channels}x{weeks}.csv", channels, weeks, seed)
    start = time.perf_counter()
    ds = load(path)
    loaded = time.perf_counter()
    curves = fit_curves(ds, n_boot=n_boot, time_budget=None)
    fitted = time.perf_counter()
    return {"size": f"{channels} x {weeks}", "import_s": round(loaded - start, 2), "fit_s": round(fitted - loaded, 2),
            "curves": len(curves), "r2_holdout": round(float(curves["r2"].iloc[0]), 3),
            "notes": " ".join(curves.attrs.get(NOTES, [])) or "-"}


def main(argv: list[str] | None = None) -> int:
    """Fit each size asked for and print the table of timings."""
    ap = argparse.ArgumentParser(prog="python -m planner.bench.fit_wide", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=list(SIZES), metavar="CxW", help="channels x weeks (default "
                    + " ".join(SIZES) + ")")
    ap.add_argument("--n-boot", type=int, default=APP_BOOTSTRAP, help=f"bootstrap refits (default {APP_BOOTSTRAP})")
    ap.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in args.sizes:
            channels, weeks = (int(v) for v in size.lower().split("x"))
            rows.append(measure(channels, weeks, folder, args.n_boot))
            print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    print(f"\nplanner.bench.fit_wide: {args.n_boot} bootstrap refits; goal: under {GOAL_SECONDS:g} s a fit")
    print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
