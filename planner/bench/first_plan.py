"""``python -m planner.bench.first_plan``: how long a new user waits for the first plan on a fresh server.

Each run starts the app as the README does (``streamlit run streamlit_app.py``) on a free port and
opens the Optimize page in Chromium (Playwright) as a user's first request; the time is from the
request to the plan's first figure on screen, and to the page's last change. Beside it, in the same
run, the baseline: fitting the sample in this process, the wait the shipped fit
(``sample_data/sample_fit.parquet``) saves every fresh server.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from planner.bench.optimizer import machine_line

__all__ = ["start_server", "fresh_server_times", "sample_fit_seconds", "main"]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium")
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(log: Path, app: Path | None = None) -> tuple[subprocess.Popen, str, float]:
    """Start the app on the sample data on a free local port; return it, its address and its seconds to answer.

    Parameters
    ----------
    log : Path
        Where the server's output goes.
    app : Path, optional
        Another Streamlit script to serve, from its own folder (a benchmark's floor); the planner's by default.

    Returns
    -------
    tuple of (Popen, str, float)
        The server's process, ``http://127.0.0.1:<port>`` and the seconds until its health check said "ok".

    Raises
    ------
    RuntimeError
        When it does not answer within 120 s.
    """
    port = _free_port()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(app.name if app else "streamlit_app.py"),
         "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"],
        cwd=app.parent if app else ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - start < 120:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url, time.perf_counter() - start
        except OSError:
            time.sleep(0.05)
    proc.terminate()
    raise RuntimeError(f"the app did not start within 120 s; see {log}")


def fresh_server_times(runs: int = 3) -> list[dict[str, float]]:
    """Start ``runs`` fresh servers one after another; time each one's first plan in Chromium.

    Parameters
    ----------
    runs : int, default 3
        How many fresh servers.

    Returns
    -------
    list of dict
        Per server: ``server_s`` (start until healthy), ``first_plan_s`` (the Optimize page asked until its
        first figure shows) and ``page_done_s`` (until the page stops changing).
    """
    from playwright.sync_api import sync_playwright

    out = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else None)
        for i in range(runs):
            proc, url, up = start_server(Path(tmp) / f"server{i}.log")
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                asked = time.perf_counter()
                page.goto(f"{url}/Optimize")
                page.get_by_test_id("stMetricValue").first.wait_for(timeout=180_000)
                shown = time.perf_counter() - asked
                page.wait_for_selector(IDLE, timeout=180_000)
                out.append({"server_s": up, "first_plan_s": shown, "page_done_s": time.perf_counter() - asked})
                page.close()
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    return out


def sample_fit_seconds() -> float:
    """Return the seconds this process takes to fit the sample as the app does (the baseline)."""
    from planner.fit.saved import SAMPLE_FILES, fit_files

    files = [(p.name, p.read_bytes()) for p in SAMPLE_FILES]
    start = time.perf_counter()
    fit_files(files)
    return time.perf_counter() - start


def main(argv=None) -> int:
    """Run the benchmark and print its table; return the exit status (0, or 1 without Playwright)."""
    args = argparse.ArgumentParser(prog="python -m planner.bench.first_plan", description=__doc__.split("\n\n")[0])
    args.add_argument("--runs", type=int, default=3, help="fresh servers to start (default 3)")
    opts = args.parse_args(argv)
    print(machine_line())
    try:
        times = fresh_server_times(opts.runs)
    except ImportError:
        print("Playwright is not installed (pip install -r requirements.txt); no browser to time the first plan.")
        return 1
    fit = sample_fit_seconds()

    def med(key: str) -> float:
        return statistics.median(t[key] for t in times)

    print(f"\n| measure (median of {len(times)} fresh servers) | seconds |\n|---|---|")
    print(f"| server start until healthy | {med('server_s'):.1f} |")
    print(f"| first plan: Optimize asked until its first figure shows | {med('first_plan_s'):.1f} |")
    print(f"| Optimize page finished | {med('page_done_s'):.1f} |")
    print(f"| baseline: fitting the sample (what the shipped fit saves) | {fit:.1f} |")
    print("\n" + machine_line(own=0.5))
    return 0


if __name__ == "__main__":
    sys.exit(main())
