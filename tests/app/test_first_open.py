"""A fresh server opens on the sample's shipped fit: the first plan needs no fitting (issue 15: open in seconds)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.cache

MAIN = Path(__file__).resolve().parents[2] / "streamlit_app.py"


def test_the_sample_plans_without_fitting(monkeypatch):
    st.cache_data.clear()  # as on a fresh server: nothing fitted in this process counts

    def no_fitting(*args, **kwargs):
        raise AssertionError("the sample was fitted although its fit ships with the app")

    monkeypatch.setattr(ui.cache._fit, "fit_curves", no_fitting)
    at = AppTest.from_file(str(MAIN), default_timeout=120)
    at.run()
    at.switch_page("pages/3_Optimize.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.metric and at.metric[0].value.startswith("$")
    labels = [getattr(e, "label", "") for e in at.get("expandable")]
    assert not any("Fitting" in str(label) for label in labels)


def test_the_server_uses_one_blas_thread_unless_told_otherwise():
    import os
    import subprocess
    import sys

    code = "import sys, os, ui; print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])"
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    run = subprocess.run([sys.executable, "-c", code], cwd=MAIN.parent, env=env, capture_output=True, text=True)
    assert run.stdout.split() == ["1", "1"], run.stderr
    run = subprocess.run([sys.executable, "-c", code], cwd=MAIN.parent, env={**env, "OPENBLAS_NUM_THREADS": "2"},
                         capture_output=True, text=True)
    assert run.stdout.split() == ["2", "1"], run.stderr


def test_an_unknown_address_is_named():
    from ui.widgets import unknown_address

    assert unknown_address("http://host:8501/") is None
    assert unknown_address("http://host:8501/Optimize") is None
    assert unknown_address("http://host:8501/finance_plan?x=1") is None
    assert unknown_address("http://host:8501/Optimise") == "/Optimise"
    assert unknown_address("http://host:8501/a%20b/") == "/a b"
    assert unknown_address(None) is None
