"""Many users at once: N browser sessions open the Optimize page of one warm server together.

    python benchmarks/load_sessions.py --sessions 20

Starts the app on the bundled sample data (``streamlit run streamlit_app.py``), opens one session
to warm it (the fit and the prepared problem are then in the caches the sessions share), closes it,
then opens ``--sessions`` Chromium sessions at once, each on the Optimize page, and times how long
each takes until its plan's figures are on screen ("Return on ad spend").  The server's resident memory is
read from /proc before the sessions, at their peak and after.  The machine's load average is printed
beside the figures: on a busy machine they say little.  Issue 16's goal: 20 sessions on 2 cores all
see their plan within 10 s of a warm server, and the server stays under 1 GB.

The browsers run on the same cores as the server.  The floor (``--floor``, on by default) is the same
sessions on the least Streamlit app there is: two pages, the second only the line the sessions wait for.
Its time is what Streamlit's front end costs 20 Chromium tabs on this machine before any planner code runs;
the planner's figures are read beside it.

The server's own part is then measured without browsers: the same number of sessions speak Streamlit's
protocol over its websocket (``/_stcore/stream``, the BackMsg that asks for the Optimize page, the
ForwardMsgs back), and each is timed until the server has sent its plan's figures and finished the page's
run.  That is what the server does for a team whose browsers run on their own machines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from the repository: planner is importable

from planner.bench.first_plan import CHROMIUM, start_server  # noqa: E402

READY = "Return on ad spend"  # a figure of the plan: shown once the plan is solved
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def rss_mb(pid: int) -> tuple[float, float]:
    """Return the process's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def cpu_s(pid: int) -> float:
    """Return the CPU seconds the process has used (user and system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """The server's resident memory, sampled every 50 ms: its highest while the sessions run."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        """Sample until told to stop."""
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid)[0])
            time.sleep(0.05)


async def open_sessions(url: str, n: int, timeout_s: float) -> list[float]:
    """Open ``n`` sessions at once on the Optimize page; return each one's seconds until its plan shows."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        async def one(start: float) -> float:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            page = await context.new_page()
            await page.goto(f"{url}/Optimize", timeout=timeout_s * 1000)
            await page.get_by_text(READY).first.wait_for(state="visible", timeout=timeout_s * 1000)
            done = time.perf_counter() - start
            await context.close()
            return done

        try:
            start = time.perf_counter()
            return list(await asyncio.gather(*(one(start) for _ in range(n))))
        finally:
            await browser.close()


async def protocol_sessions(url: str, n: int, timeout_s: float) -> list[float]:
    """Open ``n`` sessions at once over Streamlit's websocket protocol, no browser; return each one's seconds.

    Each session asks for the Optimize page as a browser's first message does (a ``rerun_script`` BackMsg with
    the page's name) and is timed until the server has sent the plan's figures (a delta holding
    :data:`READY`) and said the page's run finished.
    """
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    ask = BackMsg()
    ask.rerun_script.page_name = "Optimize"
    ask.rerun_script.context_info.timezone = "UTC"
    ready = READY.encode()

    async def one(start: float) -> float:
        async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None) as ws:
            await ws.send(ask.SerializeToString())
            shown = False
            while True:
                data = await asyncio.wait_for(ws.recv(), timeout_s)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                kind = msg.WhichOneof("type")
                shown = shown or (kind == "delta" and ready in data)
                if kind == "script_finished":
                    if not shown:
                        raise RuntimeError(f"the Optimize page finished without {READY!r}")
                    return time.perf_counter() - start

    start = time.perf_counter()
    return list(await asyncio.gather(*(one(start) for _ in range(n))))


def run_sessions(proc, opener, n: int, timeout_s: float) -> tuple[list[float], float, float]:
    """Run ``n`` sessions at once with ``opener``; return their sorted seconds, the server's CPU and memory peak."""
    cpu0 = cpu_s(proc.pid)
    sampler = Sampler(proc.pid)
    sampler.start()
    try:
        times = sorted(asyncio.run(opener(n, timeout_s)))
    finally:
        sampler.stop.set()
        sampler.join()
    return times, cpu_s(proc.pid) - cpu0, sampler.peak


FLOOR_APP = """import streamlit as st

st.navigation([st.Page(lambda: st.write("A page"), title="Home", url_path="home", default=True),
               st.Page(lambda: st.metric({ready!r}, "1.00"), title="Optimize", url_path="Optimize")]).run()
"""


def floor_times(n: int, timeout_s: float) -> tuple[list[float], list[float]]:
    """Return ``n`` sessions' seconds on the least Streamlit app (warm, as ours): in browsers, and over the protocol."""
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "floor_app.py"
        app.write_text(FLOOR_APP.format(ready=READY))
        proc, url, _ = start_server(Path(tmp) / "floor.log", app)
        try:
            asyncio.run(open_sessions(url, 1, timeout_s))
            browsers = sorted(asyncio.run(open_sessions(url, n, timeout_s)))
            return browsers, sorted(asyncio.run(protocol_sessions(url, n, timeout_s)))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main(argv=None) -> int:
    """Run the load benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="sessions opened at once (default 20)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a session may wait for its plan")
    parser.add_argument("--no-floor", dest="floor", action="store_false",
                        help="skip the floor (the same sessions on the least Streamlit app)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Chromium is not installed at {CHROMIUM} (.ci/run installs it).")
        return 2
    load_before = os.getloadavg()
    log = ROOT / "test-artifacts" / "load_sessions_server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    proc, url, _ = start_server(log)
    try:
        t = time.perf_counter()
        asyncio.run(open_sessions(url, 1, args.timeout))
        warm = time.perf_counter() - t
        rss_warm, _ = rss_mb(proc.pid)
        times, cpu_sessions, peak = run_sessions(proc, lambda n, t: open_sessions(url, n, t), args.sessions,
                                                 args.timeout)
        rss_after, hwm = rss_mb(proc.pid)
        wire, cpu_wire, peak_wire = run_sessions(proc, lambda n, t: protocol_sessions(url, n, t), args.sessions,
                                                 args.timeout)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    floor, floor_wire = floor_times(args.sessions, args.timeout) if args.floor else ([], [])
    load_after = os.getloadavg()
    n = len(times)
    print(f"machine: {os.cpu_count()} cores; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after "
          f"({'quiet' if load_before[0] < 0.5 else 'BUSY: do not quote these figures'})")
    print(f"first session on a fresh server (fit read from disk, plan solved): {warm:.1f} s; server {rss_warm:,.0f} MB")
    print(f"{n} sessions at once: plan on screen after median {times[n // 2]:.1f} s, slowest {times[-1]:.1f} s")
    print(f"server memory: {peak:,.0f} MB at the peak of the sessions (highest ever {hwm:,.0f} MB), "
          f"{rss_after:,.0f} MB after; {(peak - rss_warm) / n:,.1f} MB per session")
    print(f"server CPU: {cpu_sessions:.1f} s for the {n} sessions, {cpu_sessions / n:.2f} s each (the browsers' "
          "own work runs on the same cores)")
    print(f"the server alone, {n} sessions at once over Streamlit's protocol (no browser): plan's figures sent after "
          f"median {wire[n // 2]:.1f} s, slowest {wire[-1]:.1f} s; server CPU {cpu_wire:.1f} s, memory at the peak "
          f"{peak_wire:,.0f} MB")
    if floor:
        print(f"floor, the least Streamlit app (one line on its second page), {n} sessions at once: median "
              f"{floor[n // 2]:.1f} s, slowest {floor[-1]:.1f} s; the planner's median is {times[n // 2] / floor[n // 2]:.1f}x it; "
              f"over the protocol: median {floor_wire[n // 2]:.1f} s, slowest {floor_wire[-1]:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
