"""The load benchmark runs end to end: real Chromium sessions on the planner and on the floor (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


def test_the_load_benchmark_measures_the_planner_and_the_floor_with_two_sessions():
    out = subprocess.run([sys.executable, "benchmarks/load_sessions.py", "--sessions", "2", "--timeout", "180"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    text = out.stdout
    planner = re.search(r"2 sessions at once: plan on screen after median ([\d.]+) s", text)
    floor = re.search(r"floor, the least Streamlit app .*2 sessions at once: median ([\d.]+) s", text)
    assert planner and floor, text
    assert float(planner.group(1)) > 0 and float(floor.group(1)) > 0
    assert re.search(r"server memory: [\d,]+ MB at the peak", text) and "server CPU:" in text
    wire = re.search(r"the server alone, 2 sessions at once over Streamlit's protocol \(no browser\): plan's figures "
                     r"sent after median ([\d.]+) s", text)
    assert wire and float(wire.group(1)) > 0, text
    assert re.search(r"over the protocol: median [\d.]+ s", text), text
