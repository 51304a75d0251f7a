"""Cached calls into planner/: every result keyed on its inputs (file bytes, fingerprints, settings).

Each wrapper returns a small frozen result object holding either the value or the
one-sentence error a user can act on, so an error is cached like a value and a
page never shows a traceback.  Arguments whose names start with ``_`` are not
hashed: they travel with a key that stands for them (a dataset's fingerprint).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from planner import evaluate as _evaluate
from planner import fit as _fit
from planner import ingest as _ingest
from planner import mmm as _mmm
from planner import optimize as _optimize
from planner import plans as _plans

# Bootstrap refits for the networks' intervals: enough for a stable 80 % band,
# few enough that the first load of the sample takes a few seconds.
N_BOOT = 30
SEED = 0


@dataclass(frozen=True)
class Result:
    """A value or the sentence saying why there is none."""

    value: Any = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _unexpected(what: str, exc: Exception) -> str:
    return f"Something went wrong while {what} ({type(exc).__name__}: {exc})."


@st.cache_data(show_spinner="Reading the file…", max_entries=64)
def load(name: str, data: bytes) -> Result:
    """planner.ingest.load on an uploaded file's bytes; a DataError becomes the error sentence."""
    try:
        return Result(_ingest.load(data, name=name))
    except ValueError as exc:  # DataError and any other sentence for the user
        return Result(error=str(exc))
    except Exception as exc:  # never a traceback for a file a user gave
        return Result(error=_unexpected(f"reading {name}", exc))


@st.cache_data(show_spinner="Fitting response curves to the data (a few seconds the first time)…", max_entries=16)
def fit_curves(key: tuple[str, ...], _datasets: tuple) -> Result:
    """planner.fit.fit_curves on the datasets whose fingerprints are ``key``."""
    try:
        return Result(_fit.fit_curves(list(_datasets), n_boot=N_BOOT, seed=SEED))
    except ValueError as exc:
        return Result(error=str(exc))
    except Exception as exc:
        return Result(error=_unexpected("fitting the response curves", exc))


@st.cache_data(show_spinner="Fitting the marketing-mix model…", max_entries=16)
def fit_mmm(key: str, _dataset) -> Result:
    """planner.mmm.fit_mmm (no bootstrap: the page shows the fit, not intervals)."""
    try:
        return Result(_mmm.fit_mmm(_dataset, n_boot=0))
    except ValueError as exc:
        return Result(error=str(exc))
    except Exception as exc:
        return Result(error=_unexpected("fitting the marketing-mix model", exc))


@st.cache_data(show_spinner="Finding the best split of the budget…", max_entries=64)
def optimize(curves: pd.DataFrame, budget: float, network_bounds: pd.DataFrame | None,
             objective: str, margin: float) -> Result:
    """planner.optimize.optimize; an InfeasibleError (or a bad curve table) becomes its sentence."""
    try:
        return Result(_optimize.optimize(curves, budget, network_bounds=network_bounds,
                                         objective=objective, margin=margin))
    except ValueError as exc:
        return Result(error=str(exc))
    except Exception as exc:
        return Result(error=_unexpected("optimising the budget", exc))


@st.cache_data(show_spinner="Computing the best plan for each budget (about ten seconds)…", max_entries=16)
def frontier(curves: pd.DataFrame, budgets: tuple[float, ...], network_bounds: pd.DataFrame | None,
             objective: str, margin: float) -> Result:
    """planner.optimize.frontier over ``budgets``."""
    try:
        return Result(_optimize.frontier(curves, list(budgets), network_bounds=network_bounds,
                                         objective=objective, margin=margin))
    except ValueError as exc:
        return Result(error=str(exc))
    except Exception as exc:
        return Result(error=_unexpected("computing the budget frontier", exc))


@st.cache_data(show_spinner=False, max_entries=16)
def breakeven(curves: pd.DataFrame, network_bounds: pd.DataFrame | None) -> Result:
    """planner.optimize.breakeven_budget."""
    try:
        return Result(_optimize.breakeven_budget(curves, network_bounds))
    except ValueError as exc:
        return Result(error=str(exc))
    except Exception as exc:
        return Result(error=_unexpected("computing the break-even budget", exc))


@st.cache_data(show_spinner="Reading the plan…", max_entries=16)
def read_plan(name: str, data: bytes) -> Result:
    """planner.plans.read_plan on an uploaded plan's bytes; a PlanError becomes its sentence."""
    try:
        return Result(_plans.read_plan(data, name=name))
    except ValueError as exc:
        return Result(error=str(exc))
    except Exception as exc:
        return Result(error=_unexpected(f"reading the plan {name}", exc))


@st.cache_data(show_spinner="Evaluating the plan…", max_entries=16)
def evaluate_plan(curves: pd.DataFrame, plan: pd.DataFrame) -> Result:
    """planner.evaluate.evaluate_plan."""
    try:
        return Result(_evaluate.evaluate_plan(curves, plan))
    except ValueError as exc:
        return Result(error=str(exc))
    except Exception as exc:
        return Result(error=_unexpected("evaluating the plan", exc))
