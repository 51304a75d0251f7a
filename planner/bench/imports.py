"""Benchmark of the importer on a big ad-platform export: ``python -m planner.bench.imports``.

    python -m planner.bench.imports                      # 100,000 and 1,000,000 rows
    python -m planner.bench.imports --rows 250000 --keep /tmp/exports

Each size is a CSV written to a temporary folder the way an ad platform exports it:
a report title, the date range, then one row per day x network x creator (paid media
of a network has no creator) with ``Day, Platform, Campaign name, Creator, Amount
spent (USD), Impressions, Link clicks, Purchases, Purchases conversion value``, money
with thousands separators (``"1,234.50"``), and a ``Total`` row at the end.

Every file is imported by :func:`planner.data.ingest.load` in a fresh Python process,
which reports the wall time of the import and the peak memory of the process (the
most it ever held, ``ru_maxrss``: the interpreter, the libraries and the import),
and checks that every row arrived with the spend and revenue totals written.
Goal: a 1,000,000-row export in under 10 s and under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["write_export", "measure", "BenchResult", "main"]

GOAL_SECONDS = 10.0
GOAL_MB = 2048.0
NETWORKS = ("Instagram", "TikTok", "YouTube", "Facebook", "Pinterest", "X")


@dataclass(frozen=True)
class BenchResult:
    """One import measured: its size, time, peak memory and whether the totals came through."""

    rows: int
    file_mb: float
    seconds: float
    cpu_seconds: float
    peak_mb: float
    imported: int
    skipped: int
    spend_ok: bool
    revenue_ok: bool

    @property
    def ok(self) -> bool:
        """Whether every row was imported and the spend and revenue totals match the truth.

        Returns
        -------
        bool
            True when ``imported == rows`` and both totals match.
        """
        return self.imported == self.rows and self.spend_ok and self.revenue_ok


def write_export(path: Path, rows: int, seed: int = 0, days: int = 730) -> dict:
    """Write an ad-platform-style CSV export of ``rows`` data rows; return its true totals.

    Rows are day x entity, entity = each network's paid media, then creators spread
    over the networks; spend and revenue in cents.

    Parameters
    ----------
    path : Path
        The CSV file to write (replaced if it exists).
    rows : int
        Data rows, besides the two title rows, the header and the ``Total`` row.
    seed : int, default 0
        Seed of the amounts and counts.
    days : int, default 730
        Consecutive days from 2023-01-01 each entity has (clipped to 1..``rows``); there
        are ``ceil(rows / days)`` entities.

    Returns
    -------
    dict
        ``"rows"`` (int) and ``"spend"``, ``"revenue"`` (float): the totals written, in
        dollars (each amount is drawn in whole cents).
    """
    rng = np.random.default_rng(seed)
    days = max(1, min(days, rows))
    n_ent = -(-rows // days)
    idx = np.arange(rows)
    ent = idx // days
    day = pd.Timestamp("2023-01-01") + pd.to_timedelta(idx % days, unit="D")
    network = np.array(NETWORKS, dtype=object)[np.arange(n_ent) % len(NETWORKS)]  # of each entity
    handles = np.array([""] * len(NETWORKS) + [f"@creator_{i:05d}" for i in range(max(n_ent - len(NETWORKS), 0))],
                       dtype=object)[:n_ent]
    cents = np.round(rng.gamma(2.0, 60.0, rows) * 100).astype(np.int64)
    rev_cents = np.round(cents * rng.lognormal(1.0, 0.5, rows)).astype(np.int64)
    frame = pd.DataFrame({
        "Day": day.strftime("%Y-%m-%d"),
        "Platform": network[ent],
        "Campaign name": np.char.add("Always on ", (ent % 40).astype(str)).astype(object),
        "Creator": handles[ent],
        "Amount spent (USD)": [f"{c / 100:,.2f}" for c in cents],
        "Impressions": rng.integers(100, 100_000, rows),
        "Link clicks": rng.integers(0, 500, rows),
        "Purchases": rng.integers(0, 20, rows),
        "Purchases conversion value": [f"{c / 100:,.2f}" for c in rev_cents],
    })
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("Ad performance report\n")
        fh.write(f'"{day[0]:%b %d, %Y} - {day[-1]:%b %d, %Y}"\n')
        frame.to_csv(fh, index=False, lineterminator="\n")
        fh.write(f'Total,,,,"{cents.sum() / 100:,.2f}",,,,"{rev_cents.sum() / 100:,.2f}"\n')
    return {"rows": rows, "spend": cents.sum() / 100, "revenue": rev_cents.sum() / 100}


_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from planner.data.ingest import load
before = resource.getrusage(resource.RUSAGE_SELF)
t = time.perf_counter()
ds = load({path!r})
seconds = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
peak = after.ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": peak, "imported": ds.source_rows, "skipped": len(ds.skipped),
                  "spend": float(ds.rows["spend"].sum()), "revenue": ds.outcome_total(),
                  "errors": len(ds.errors)}}))
"""


def measure(path: Path, truth: dict) -> BenchResult:
    """Import ``path`` in a fresh Python process and compare with ``truth`` (from :func:`write_export`).

    Parameters
    ----------
    path : Path
        The export to import.
    truth : dict
        What :func:`write_export` returned for it.

    Returns
    -------
    BenchResult
        Wall and CPU seconds and peak memory of the child process; the spend and revenue
        totals count as right within 0.005 x max(1, rows / 1000) dollars.

    Raises
    ------
    RuntimeError
        When the import fails in the child process (the last line of its error).
    """
    root = str(Path(__file__).resolve().parents[2])  # the repository: planner/bench/imports.py
    out = subprocess.run([sys.executable, "-c", _CHILD.format(root=root, path=str(path))],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"the import of {path.name} failed: {out.stderr.strip().splitlines()[-1:]}")
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return BenchResult(
        rows=truth["rows"], file_mb=path.stat().st_size / 1024 / 1024, seconds=got["seconds"],
        cpu_seconds=got["cpu"], peak_mb=got["peak_mb"], imported=got["imported"], skipped=got["skipped"],
        spend_ok=abs(got["spend"] - truth["spend"]) <= 0.005 * max(1.0, truth["rows"] / 1000),
        revenue_ok=abs(got["revenue"] - truth["revenue"]) <= 0.005 * max(1.0, truth["rows"] / 1000),
    )


def table(results: list[BenchResult]) -> str:
    """Return the results as a printed table.

    Parameters
    ----------
    results : list of BenchResult
        The imports measured.

    Returns
    -------
    str
        A header, a rule and one line per result; ``goal`` is ``met`` when it took under
        :data:`GOAL_SECONDS` and :data:`GOAL_MB`.
    """
    head = (f"{'rows':>10} {'file MB':>8} {'seconds':>8} {'CPU s':>7} {'rows/s':>10} {'peak MB':>8} "
            f"{'totals':>7} {'goal':>5}")
    lines = [head, "-" * len(head)]
    for r in results:
        goal = r.seconds < GOAL_SECONDS and r.peak_mb < GOAL_MB
        lines.append(f"{r.rows:>10,} {r.file_mb:>8.1f} {r.seconds:>8.2f} {r.cpu_seconds:>7.2f} "
                     f"{r.rows / r.seconds:>10,.0f} "
                     f"{r.peak_mb:>8.0f} {'ok' if r.ok else 'WRONG':>7} {'met' if goal else 'MISSED':>5}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the import benchmark from the command line and print its table; 0 when every import is right.

    Parameters
    ----------
    argv : list of str or None, default None
        The command-line arguments without the program name (``--rows``, ``--keep``,
        ``--seed``); None reads ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 when every import got all rows and both totals, else 1.

    Raises
    ------
    SystemExit
        From argparse, for ``--help`` or arguments it does not know.
    RuntimeError
        When an import fails (:func:`measure`).
    """
    p = argparse.ArgumentParser(prog="python -m planner.bench.imports", description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, action="append", metavar="N",
                   help="rows of an export to import (repeat for several; default 100000 and 1000000)")
    p.add_argument("--keep", metavar="DIR", help="write the exports here and keep them (default: a temporary folder)")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    sizes = args.rows or [100_000, 1_000_000]
    results = []
    with tempfile.TemporaryDirectory(prefix="import_bench_") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            path = folder / f"ad_export_{n}.csv"
            t = time.perf_counter()
            truth = write_export(path, n, seed=args.seed)
            made = time.perf_counter() - t
            print(f"wrote {path.name} ({path.stat().st_size / 1024 / 1024:,.1f} MB) in {made:.1f} s; importing...",
                  flush=True)
            results.append(measure(path, truth))
    print()
    print(table(results))
    print(f"\nGoal: under {GOAL_SECONDS:.0f} s and under {GOAL_MB / 1024:.0f} GB for 1,000,000 rows. Seconds is wall "
          "time, CPU s the processor time of the import (steadier on a busy machine); peak MB is the importing "
          "process's peak resident memory (interpreter and libraries included).")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
