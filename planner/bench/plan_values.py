"""Benchmark of valuing a very long plan: ``python -m planner.bench.plan_values``.

    python -m planner.bench.plan_values                  # 100,000 and 1,000,000 rows
    python -m planner.bench.plan_values --rows 250000 --no-baseline

A finance plan of one line per item (``Network, Creator, Proposed spend (USD)``; a network's
paid media has no creator) is written for the sample's curves, as an .xlsx workbook and as a
CSV file, the names drawn from the curve table so that each entity's lines add up; then
``python -m planner evaluate --json`` values each in a fresh process, and the wall time, the
process's peak memory and the total spend it read are printed.  Beside them, in the same run,
the baseline: the same workbook's cells only read by openpyxl in read-only mode (the reader
the importer used before calamine), which is the floor of any plan read through openpyxl.
Goal (issue 16): a 1,000,000-row plan valued in under 10 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from planner.curves.files import write_curves
from planner.fit.saved import SAMPLE_FIT

__all__ = ["PlanBench", "write_plan", "measure", "main"]

GOAL_SECONDS = 10.0
HEADER = ("Network", "Creator", "Proposed spend (USD)")


@dataclass(frozen=True)
class PlanBench:
    """One plan valued (or, for the baseline, only read): its size, wall time, peak memory, spend read."""

    what: str
    rows: int
    file_mb: float
    seconds: float
    peak_mb: float
    spend: float  # the total spend the command read (NaN for the baseline)
    spend_written: float


def write_plan(folder: Path, rows: int, curves: pd.DataFrame, seed: int = 0) -> dict:
    """Write a plan of ``rows`` lines as ``plan.xlsx`` and ``plan.csv`` in ``folder``; return what was written.

    Parameters
    ----------
    folder : Path
        Where the two files go.
    rows : int
        Lines of the plan (besides the header).
    curves : DataFrame
        A curve table (``name, network``; a creator's name is ``network/handle``): each line is one of its
        entities.
    seed : int, default 0
        Seed of the entities and amounts.

    Returns
    -------
    dict
        ``xlsx`` and ``csv`` (the paths) and ``spend`` (the total written, in dollars: whole cents).
    """
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(curves), rows)
    net = curves["network"].to_numpy(dtype=object)[pick]
    own = curves["name"].astype(str).to_numpy(dtype=object)
    creator = np.array([n.split("/", 1)[1] if n != m else "" for n, m in zip(own, curves["network"], strict=True)],
                       dtype=object)[pick]
    cents = rng.integers(1, 5_000, rows)
    frame = pd.DataFrame({HEADER[0]: net, HEADER[1]: creator, HEADER[2]: cents / 100})
    csv = folder / "plan.csv"
    frame.to_csv(csv, index=False)
    xlsx = folder / "plan.xlsx"
    _write_xlsx(xlsx, frame)
    return {"xlsx": xlsx, "csv": csv, "spend": float(cents.sum()) / 100}


def _write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` as the one sheet "Plan" of a minimal workbook (text inline, numbers as numbers)."""
    def text(ref: str, v: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' if v else ""

    lines = ['<row r="1">' + "".join(text(f"{c}1", h) for c, h in zip("ABC", HEADER, strict=True)) + "</row>"]
    for i, (a, b, x) in enumerate(frame.itertuples(index=False, name=None), start=2):
        lines.append(f'<row r="{i}">{text(f"A{i}", a)}{text(f"B{i}", b)}<c r="C{i}"><v>{x!r}</v></c></row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                            '<sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
                                       f'<Relationship Id="rId1" Type="{rel}/worksheet" '
                                       'Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
                                     + "".join(lines) + "</sheetData></worksheet>"),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)


_BASELINE = """
import sys, time
t = time.perf_counter()
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
print(time.perf_counter() - t, peak_mb(), n)
"""


# the peak is the process's own high-water mark (VmHWM): ru_maxrss is inherited across fork from the parent
_PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return float(line.split()[1]) / 1024.0
    return float("nan")
"""
_EVALUATE = _PEAK + """
import runpy, sys
sys.argv = ["planner", "evaluate", "--json", "--curves", sys.argv[1], "--plan", sys.argv[2]]
try:
    runpy.run_module("planner", run_name="__main__")
finally:
    print("PEAK_MB", peak_mb(), file=sys.stderr)
"""


def measure(rows: int, baseline: bool = True, keep: Path | None = None) -> list[PlanBench]:
    """Write a plan of ``rows`` lines and value it as .xlsx and .csv (and read it with openpyxl, the baseline).

    Parameters
    ----------
    rows : int
        Lines of the plan.
    baseline : bool, default True
        Also time openpyxl reading the workbook's cells (read-only), in a fresh process.
    keep : Path or None, default None
        Write the files there (kept) instead of a temporary folder.

    Returns
    -------
    list of PlanBench
        ``evaluate .xlsx``, ``evaluate .csv`` and, with ``baseline``, ``openpyxl read .xlsx``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        curves = pd.read_parquet(SAMPLE_FIT)
        table = write_curves(curves, folder / "curves.csv")
        plan = write_plan(folder, rows, curves)
        out = []
        for kind in ("xlsx", "csv"):
            path = plan[kind]
            t = time.perf_counter()
            got = subprocess.run([sys.executable, "-c", _EVALUATE, str(table), str(path)], capture_output=True,
                                 text=True, check=False, cwd=Path(__file__).resolve().parents[2])
            secs = time.perf_counter() - t
            spend = float(json.loads(got.stdout)["total_spend"]) if got.returncode == 0 else float("nan")
            peak = [float(line.split()[1]) for line in got.stderr.splitlines() if line.startswith("PEAK_MB")]
            out.append(PlanBench(f"evaluate .{kind}", rows, path.stat().st_size / 2**20, secs,
                                 peak[0] if peak else float("nan"), spend, plan["spend"]))
        if baseline:
            got = subprocess.run([sys.executable, "-c", _PEAK + _BASELINE, str(plan["xlsx"])], capture_output=True,
                                 text=True, check=True)
            secs, peak, _n = got.stdout.split()
            out.append(PlanBench("openpyxl read .xlsx (baseline)", rows, plan["xlsx"].stat().st_size / 2**20,
                                 float(secs), float(peak), float("nan"), plan["spend"]))
        return out


def main(argv=None) -> int:
    """Run the benchmark and print its table; return 0 when every plan was valued with its spend, else 1.

    Parameters
    ----------
    argv : list of str or None, default None
        ``--rows N [N ...]``, ``--no-baseline``, ``--keep DIR``; None reads ``sys.argv[1:]``.

    Returns
    -------
    int
        0 when every plan was read with the spend written, else 1.
    """
    ap = argparse.ArgumentParser(prog="python -m planner.bench.plan_values",
                                 description="Value a very long plan (.xlsx and .csv) with the CLI.")
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--no-baseline", action="store_true", help="leave out openpyxl's read of the workbook")
    ap.add_argument("--keep", type=Path, default=None, help="write the files here and keep them")
    args = ap.parse_args(argv)
    results = []
    for n in args.rows:
        results += measure(n, baseline=not args.no_baseline, keep=args.keep)
    table = pd.DataFrame([{
        "what": r.what, "rows": f"{r.rows:,}", "file MB": f"{r.file_mb:.1f}", "seconds": f"{r.seconds:.1f}",
        "peak MB": "" if np.isnan(r.peak_mb) else f"{r.peak_mb:,.0f}",
        "spend read": "" if np.isnan(r.spend) else ("as written" if abs(r.spend - r.spend_written) < 0.01
                                                    else f"{r.spend:,.2f} of {r.spend_written:,.2f}"),
    } for r in results])
    print(table.to_string(index=False))
    print(f"\nGoal: a 1,000,000-row plan valued in under {GOAL_SECONDS:.0f} s (wall time of the whole command in a "
          "fresh process: start, curve table, plan, valuation and the optimum beside it).")
    ok = all(r.what.endswith("(baseline)") or abs(r.spend - r.spend_written) < 0.01 for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
