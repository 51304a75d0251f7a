"""The app's state: data sources and settings, kept in session keys that no widget owns.

Streamlit deletes the state of a widget that the current page does not render,
so every setting lives in a plain session key (``planner_*``) and widgets are
seeded from it (see :mod:`ui.widgets`).  Results are never stored here: they
come from :mod:`ui.cache`, keyed on the inputs, so a page switch recomputes
nothing.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from planner import views
from ui import cache

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = (ROOT / "sample_data" / "creator_campaigns.xlsx", ROOT / "sample_data" / "weekly_paid_media.xlsx")
SAMPLE_PLAN = ROOT / "sample_data" / "finance_plan.xlsx"

K_SOURCES = "planner_sources"  # list of (file name, bytes)
K_SAMPLE = "planner_is_sample"
K_SETTINGS = "planner_settings"
K_PLAN = "planner_plan_source"  # (file name, bytes)
K_PLAN_SAMPLE = "planner_plan_is_sample"
K_VERSIONS = "planner_versions"  # widget generations: a new one starts a widget afresh

OBJECTIVES = {"revenue": "Revenue", "profit": "Profit"}
DEFAULT_MARGIN = 0.4


def _read(paths) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


def _fresh_settings() -> dict:
    return {
        "budget": None,  # None: today's total spend from the curve table
        "objective": "revenue",
        "margin": DEFAULT_MARGIN,
        "bounds": None,  # the bounds editor's table (planner.views.bounds_table), edited
        "network_bounds": None,  # planner.views.network_bounds_table, edited
    }


class AppState:
    """One run's view of the session: sources, settings, and the cached results built on them."""

    def __init__(self) -> None:
        ss = st.session_state
        if K_SOURCES not in ss:
            ss[K_SOURCES] = _read(SAMPLE_DATA)
            ss[K_SAMPLE] = True
        if K_SETTINGS not in ss:
            ss[K_SETTINGS] = _fresh_settings()
        if K_PLAN not in ss:
            ss[K_PLAN] = _read([SAMPLE_PLAN])[0]
            ss[K_PLAN_SAMPLE] = True
        if K_VERSIONS not in ss:
            ss[K_VERSIONS] = {}
        self.ss = ss

    # ------------------------------------------------------------------ sources

    @property
    def sources(self) -> list[tuple[str, bytes]]:
        return self.ss[K_SOURCES]

    @property
    def is_sample(self) -> bool:
        return bool(self.ss.get(K_SAMPLE))

    @property
    def settings(self) -> dict:
        return self.ss[K_SETTINGS]

    def version(self, name: str) -> int:
        return int(self.ss[K_VERSIONS].get(name, 0))

    def key(self, name: str) -> str:
        """A widget key that changes when the widget must start afresh (new data, reset)."""
        v = self.version(name)
        return name if v == 0 else f"{name}_{v}"

    def bump(self, *names: str) -> None:
        for name in names:
            self.ss[K_VERSIONS][name] = self.version(name) + 1

    def set_sources(self, files: list[tuple[str, bytes]], sample: bool = False) -> None:
        """Replace the data everywhere; settings that belong to the old data start afresh."""
        if files == self.sources and sample == self.is_sample:
            return
        self.ss[K_SOURCES] = list(files)
        self.ss[K_SAMPLE] = sample
        keep = {k: self.settings[k] for k in ("objective", "margin")}
        self.ss[K_SETTINGS] = {**_fresh_settings(), **keep}
        self.bump("bounds_editor", "network_bounds_editor")
        for name in ("loaded", "datasets", "fitted"):  # this run's cached properties
            self.__dict__.pop(name, None)

    def use_sample(self) -> None:
        self.set_sources(_read(SAMPLE_DATA), sample=True)
        self.bump("data_upload")

    @property
    def plan_source(self) -> tuple[str, bytes]:
        return self.ss[K_PLAN]

    @property
    def plan_is_sample(self) -> bool:
        return bool(self.ss.get(K_PLAN_SAMPLE))

    def set_plan(self, name: str, data: bytes, sample: bool = False) -> None:
        self.ss[K_PLAN] = (name, data)
        self.ss[K_PLAN_SAMPLE] = sample

    def use_sample_plan(self) -> None:
        self.set_plan(*_read([SAMPLE_PLAN])[0], sample=True)
        self.bump("plan_upload")

    # ------------------------------------------------------------------ data and curves

    @cached_property
    def loaded(self) -> list[tuple[str, cache.Result]]:
        """Each source file with its import result (a Dataset or the reason it could not be read)."""
        return [(name, cache.load(name, data)) for name, data in self.sources]

    @cached_property
    def datasets(self) -> list:
        """The imported datasets that hold rows (rows with errors are left out and listed on the Data page)."""
        return [r.value for _, r in self.loaded if r.ok and not r.value.rows.empty]

    @cached_property
    def fitted(self) -> cache.Result:
        if not self.datasets:
            return cache.Result(error="No data could be imported; see the Data page.")
        key = tuple(ds.fingerprint for ds in self.datasets)
        return cache.fit_curves(key, tuple(self.datasets))

    @property
    def curves(self) -> pd.DataFrame | None:
        return self.fitted.value

    def mmm_results(self) -> list[tuple[object, cache.Result]]:
        """(dataset, fitted marketing-mix model) for every dataset with the outcome only in total."""
        return [(ds, cache.fit_mmm(ds.fingerprint, ds)) for ds in self.datasets if ds.kind == "total"]

    def data_label(self) -> str:
        if self.is_sample:
            return "Sample data"
        names = [n for n, _ in self.sources]
        return names[0] if len(names) == 1 else f"{len(names)} files: {', '.join(names)}"

    # ------------------------------------------------------------------ settings

    @property
    def default_budget(self) -> float:
        return views.default_budget(self.curves)

    @property
    def budget(self) -> float:
        b = self.settings.get("budget")
        return float(b) if b is not None else self.default_budget

    @property
    def objective(self) -> str:
        return self.settings.get("objective", "revenue")

    @property
    def margin(self) -> float:
        return float(self.settings.get("margin", DEFAULT_MARGIN))

    def bounds(self) -> pd.DataFrame | None:
        if self.curves is None:
            return None
        b = self.settings.get("bounds")
        return b if b is not None else views.bounds_table(self.curves)

    def network_bounds_table(self) -> pd.DataFrame | None:
        if self.curves is None:
            return None
        b = self.settings.get("network_bounds")
        return b if b is not None else views.network_bounds_table(self.curves)

    def bound_problems(self) -> list[str]:
        if self.curves is None:
            return []
        return views.bounds_problems(self.bounds()) + views.network_bounds_problems(self.network_bounds_table())

    def has_custom_bounds(self) -> bool:
        return self.settings.get("bounds") is not None or self.settings.get("network_bounds") is not None

    @property
    def planning_curves(self) -> pd.DataFrame | None:
        """The curve table with the bounds set on the Optimize page (as typed, when they are usable)."""
        if self.curves is None:
            return None
        if self.settings.get("bounds") is None or views.bounds_problems(self.bounds()):
            return self.curves
        return views.apply_bounds(self.curves, self.bounds())

    @property
    def network_bounds(self) -> pd.DataFrame | None:
        table = self.network_bounds_table()
        if table is None or views.network_bounds_problems(table):
            return None
        return views.network_bounds_frame(table)

    # ------------------------------------------------------------------ results

    def allocation(self) -> cache.Result:
        """The optimum for the current settings (or why there is none)."""
        if self.curves is None:
            return cache.Result(error=self.fitted.error or "There are no response curves yet.")
        problems = self.bound_problems()
        if problems:
            return cache.Result(error="Fix the bounds on the Optimize page first: " + problems[0])
        return cache.optimize(self.planning_curves, self.budget, self.network_bounds, self.objective, self.margin)

    def frontier_budgets(self) -> tuple[float, ...]:
        return views.budget_grid(self.budget, self.planning_curves)

    def frontier(self) -> cache.Result:
        if self.curves is None:
            return cache.Result(error=self.fitted.error)
        return cache.frontier(self.planning_curves, self.frontier_budgets(), self.network_bounds,
                              self.objective, self.margin)

    def breakeven(self) -> cache.Result:
        if self.curves is None:
            return cache.Result(error=self.fitted.error)
        return cache.breakeven(self.planning_curves, self.network_bounds)

    def plan(self) -> cache.Result:
        return cache.read_plan(*self.plan_source)
