"""The app's state: data sources and settings, kept in session keys that no widget owns.

Streamlit deletes the state of a widget that the current page does not render,
so every setting lives in a plain session key (``planner_*``) and widgets are
seeded from it (see :mod:`ui.widgets`).  Results are never stored here: they
come from :mod:`ui.cache`, keyed on the inputs, so a page switch recomputes
nothing.
"""

from __future__ import annotations

import hashlib
import time
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from planner.base.currency import show_in
from planner.base.markdown import literal
from planner.curves.support import Support
from planner.curves.support import support as judge_support
from planner.fit import saved as saved_fits
from planner.fit.engagement import COLUMN as ENGAGEMENT
from planner.report import budget_choices
from planner.report.model_tables import curve_counts
from ui import cache
from ui.state_currency import CurrencyOfData
from ui.state_joined import JoinedSources
from ui.state_planning import PlanningInputs

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = (ROOT / "sample_data" / "creator_campaigns.xlsx", ROOT / "sample_data" / "weekly_paid_media.xlsx")
SAMPLE_PLAN = ROOT / "sample_data" / "finance_plan.xlsx"

K_SOURCES = "planner_sources"  # list of (file name, bytes)
K_SAMPLE = "planner_is_sample"
K_SETTINGS = "planner_settings"
K_PLAN = "planner_plan_source"  # (file name, bytes)
K_PLAN_SAMPLE = "planner_plan_is_sample"
K_VERSIONS = "planner_versions"  # widget generations: a new one starts a widget afresh
K_IMPORT = "planner_import"  # file name -> {"sheet", "mapping", "decimal"}: how the user said to read it

K_EXPERIMENTS = "planner_experiments"  # (file name, bytes) of the measured lifts that calibrate the fit, or absent
K_CURRENCY = "planner_currency_shown"  # the Currency this session's amounts are written in (ui.setup sets it)

OBJECTIVES = {"revenue": "Revenue", "profit": "Profit"}
DEFAULT_MARGIN = 0.4


def show_session_currency() -> None:
    """Write amounts in this session's currency from here on in this thread (a callback's, a fragment's).

    Streamlit runs callbacks and fragment reruns in a thread of their own, where the currency in force
    (planner.base.currency, a context variable) is back to US dollars until :func:`ui.setup` runs.
    """
    shown = st.session_state.get(K_CURRENCY)
    if shown is not None:
        show_in(shown)


def _read(paths) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


def _fresh_settings() -> dict:
    return {
        "budget": None,  # None: today's total spend from the curve table
        "objective": "revenue",
        "margin": DEFAULT_MARGIN,
        "engagement_weight": 0.0,  # dollars one engagement is worth (planner.optimize.optimize engagement_weight)
        "max_creators": None,  # most creators hired (planner.optimize.optimize max_creators); None = no limit
        "bounds": None,  # the bounds editor's table (planner.bounds.bounds.Bounds.editor_tables), edited
        "network_bounds": None,  # the network bounds editor's table (Bounds.editor_tables), edited
        "currency": None,  # ISO code amounts are shown in; None = as the data says (US dollars when it does not)
        "quarter": None,  # the calendar quarter a one-quarter plan is for ("Q1".."Q4"); None = an average quarter
        "controls": {},  # creators' campaign controls set for the plan (planner.curves.campaign_controls); {} = usual
    }


class AppState(CurrencyOfData, PlanningInputs, JoinedSources):
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
        if K_IMPORT not in ss:
            ss[K_IMPORT] = {}
        self.ss = ss
        self.after_fit = None  # called once a fit made in this run is done (the sidebar sets it)

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
        keep = {k: self.settings[k] for k in ("objective", "margin", "engagement_weight", "max_creators")
                if k in self.settings}
        self.ss[K_SETTINGS] = {**_fresh_settings(), **keep}
        self.ss[K_IMPORT] = {}
        self.ss.pop(K_EXPERIMENTS, None)  # experiments belong to the data they were measured on
        self.bump("bounds_editor", "network_bounds_editor", "experiments_upload")
        self._forget()

    def _forget(self) -> None:
        for name in ("loaded", "datasets", "fitted", "roster", "currency_found", "support", "experiments",
                     "sales_files", "spend_exports", "joined"):  # this run's cached properties
            self.__dict__.pop(name, None)

    def set_experiments(self, name: str | None = None, data: bytes | None = None) -> None:
        """Calibrate the fit with the experiments file ``name`` (None: with none)."""
        if name is None:
            self.ss.pop(K_EXPERIMENTS, None)
            self.bump("experiments_upload")
        else:
            self.ss[K_EXPERIMENTS] = (name, data)
        self._forget()

    @cached_property
    def experiments(self) -> tuple[str, cache.Result] | None:
        """(file name, its experiments read: planner.data.experiments.read_experiments) or None without a file."""
        found = self.ss.get(K_EXPERIMENTS)
        if found is None:
            return None
        return found[0], cache.experiments(*found)

    def _tested(self):
        """The experiments that calibrate the fit (None: none, or a file that could not be read)."""
        return self.experiments[1].value if self.experiments is not None and self.experiments[1].ok else None

    def import_options(self, name: str) -> dict:
        """How to read a source file: ``sheet`` (None: the best one), ``mapping`` ({column: field}, the
        user's corrections) and ``decimal`` (None: decided per column)."""
        return {"sheet": None, "mapping": {}, "decimal": None, **self.ss[K_IMPORT].get(name, {})}

    def set_import(self, name: str, **changes) -> None:
        """Read a source file again with a new sheet, mapping or decimal mark (``reset=True``: as detected)."""
        opts = {} if changes.pop("reset", False) else self.import_options(name)
        opts.update(changes)
        self.ss[K_IMPORT][name] = opts
        self.bump(f"mapping_{name}")
        self._forget()

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
    def code_reports(self) -> list[tuple[str, cache.Result]]:
        """The promo-code reports among the source files (each code's sales), with their reading."""
        if self.is_sample:  # the sample has none: not looked for on every fresh server's first page
            return []
        out = []
        for name, data in self.sources:
            found = cache.code_report(name, data, self._mapping(name))
            if not found.ok or found.value is not None:
                out.append((name, found))
        return out

    def _mapping(self, name: str) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(self.import_options(name)["mapping"].items()))

    @cached_property
    def loaded(self) -> list[tuple[str, cache.Result]]:
        """Each source file but the promo-code reports and the sales files with its import result (a Dataset or
        why it could not be read); a creators' tracker without revenue takes its campaigns' sales from the reports,
        and the spend exports without revenue are one entry with the sales files (:attr:`joined`)."""
        reports = {name for name, _ in self.code_reports}
        codes = tuple((name, data, self._mapping(name)) for name, data in self.sources if name in reports)
        apart = reports | {name for name, _ in self.sales_files}
        out = [self.joined] if self.joined is not None else []
        if self.joined is not None:
            apart |= set(self.spend_exports)
        for name, data in self.sources:
            if name in apart:
                continue
            o = self.import_options(name)
            out.append((name, cache.load(name, data, o["sheet"], self._mapping(name), o["decimal"], codes)))
        return out

    @cached_property
    def roster(self) -> tuple[str, object] | None:
        """(file name, planner.data.roster.Roster) of the first workbook with a creator roster sheet, or None."""
        for name, data in self.sources:
            if Path(name).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
                found = cache.roster(name, data)
                if found.ok and found.value is not None:
                    return name, found.value
        return None

    @cached_property
    def datasets(self) -> list:
        """The imported datasets that hold rows (rows with errors are left out and listed on the Data page)."""
        return [r.value for _, r in self.loaded if r.ok and not r.value.rows.empty]

    @cached_property
    def _fit_key(self) -> tuple:
        """The key of this data's fit: the datasets' fingerprints, the roster's, the bootstrap and its seed."""
        prints = [ds.fingerprint for ds in self.datasets]
        rid = None
        if self.roster is not None:
            name, roster = self.roster
            rid = saved_fits.roster_id(name, roster.sheet, dict(self.sources)[name])
        parts = saved_fits.fit_parts(prints, rid, cache.N_BOOT, cache.SEED)
        tested = self._tested()
        if tested is not None:  # calibrated by experiments: another fit
            parts = (*parts, "experiments:" + hashlib.sha256(tested.to_csv(index=False).encode()).hexdigest())
        return parts

    @property
    def fit_at_hand(self) -> bool:
        """Whether the curves are known without fitting (this run has them, or the server or the sample does)."""
        return "fitted" in self.__dict__ or (bool(self.datasets) and cache.fit_ready(self._fit_key))

    @cached_property
    def fitted(self) -> cache.Result:
        if not self.datasets:
            return cache.Result(error="No data could be imported; see the Data page.")
        roster = self.roster[1] if self.roster is not None else None
        if cache.fit_ready(self._fit_key):
            return cache.fit_curves(self._fit_key, tuple(self.datasets), roster, experiments=self._tested())
        result = self._with_progress(self._fit_key, roster)
        self.__dict__["fitted"] = result
        if result.ok and self.after_fit is not None:  # the sidebar's budget line, now with its figure
            self.after_fit()
        return result

    def _with_progress(self, key: tuple, roster) -> cache.Result:
        """Fit inside a status box that says what is being fitted, with a bar and the step the fit is at."""
        files = [ds.source for ds in self.datasets]
        with st.status(f"Fitting response curves to {len(files)} file{'s' if len(files) != 1 else ''}…",
                       expanded=True) as status:
            for ds in self.datasets:
                st.markdown(literal(f"{ds.source}: {ds.describe()}"))
            bar = st.progress(0.0, text="Starting")
            start = time.perf_counter()

            def progress(fraction: float, text: str) -> None:
                took = time.perf_counter() - start
                bar.progress(min(max(float(fraction), 0.0), 1.0), text=literal(f"{text} ({took:.0f} s)"))

            result = cache.fit_curves(key, tuple(self.datasets), roster, progress=progress,
                                      experiments=self._tested())
            took = time.perf_counter() - start
            if result.ok:
                status.update(label=literal(f"Fitted {curve_counts(result.value)} in {took:.1f} s."),
                              state="complete", expanded=False)
            else:
                status.update(label="The response curves could not be fitted.", state="error", expanded=True)
        return result

    @property
    def curves(self) -> pd.DataFrame | None:
        return self.fitted.value

    @cached_property
    def support(self) -> Support:
        """What the data say about the curves (planner.curves.support): sound, thin, or no plan at all."""
        return Support("sound", {}, ()) if self.curves is None else judge_support(self.curves)

    def no_plan(self) -> cache.Result | None:
        """The reason no plan is made, when the data cannot carry one; None when they can."""
        judged = self.support
        return cache.Result(error=judged.headline()) if judged.verdict == "none" else None

    def mmm_results(self) -> list[tuple[object, cache.Result]]:
        """(dataset, fitted marketing-mix model) for every dataset with the outcome only in total."""
        return [(ds, cache.fit_mmm(ds.fingerprint, ds)) for ds in self.datasets if ds.kind == "total"]

    @cached_property
    def funnel(self) -> cache.Result | None:
        """The funnel of the data with revenue per row (cache.funnel: the Funnel, its network and creator tables);
        None when no dataset has it (a marketing-mix table has no funnel)."""
        attributed = tuple(ds for ds in self.datasets if ds.kind == "attributed")
        if not attributed:
            return None
        return cache.funnel(tuple(ds.fingerprint for ds in attributed), attributed)

    def data_label(self) -> str:
        if self.is_sample:
            return "Sample data"
        names = [n for n, _ in self.sources]
        return names[0] if len(names) == 1 else f"{len(names)} files: {', '.join(names)}"

    # ------------------------------------------------------------------ settings

    @property
    def default_budget(self) -> float:
        return budget_choices.default_budget(self.curves)

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

    @property
    def has_engagement(self) -> bool:
        """Whether the curve table says how many engagements a dollar buys (column engagement_per_dollar)."""
        c = self.curves
        return c is not None and ENGAGEMENT in c.columns and bool(pd.to_numeric(c[ENGAGEMENT], errors="coerce").gt(0).any())

    @property
    def max_creators(self) -> int | None:
        """Most creators the plan may hire; None for no limit (or a value that is not a whole number >= 0)."""
        v = pd.to_numeric(pd.Series([self.settings.get("max_creators")]), errors="coerce").iloc[0]
        return int(v) if pd.notna(v) and 0 <= v < float("inf") and float(v).is_integer() else None

    @property
    def engagement_weight(self) -> float:
        """Dollars one engagement is worth in the plan; 0 when not set or the data has no engagements."""
        w = pd.to_numeric(pd.Series([self.settings.get("engagement_weight")]), errors="coerce").iloc[0]
        return float(w) if pd.notna(w) and 0 < w < float("inf") and self.has_engagement else 0.0

    # ------------------------------------------------------------------ results

    def _plan_inputs(self) -> tuple[pd.DataFrame, pd.DataFrame | None, str]:
        """(planning curves, network bounds, their digest) for the current settings, computed once per change."""
        s = self.settings
        # the stamp holds the tables themselves (compared by identity), so a new table can never be
        # mistaken for an old one whose memory it reuses; the editors store a new table on each edit
        tables = (self.curves, s.get("bounds"), s.get("network_bounds"))
        stamp = getattr(self, "_inputs_stamp", None)
        how = (self.objective, self.margin, self.engagement_weight, self.max_creators)
        quarter = (self.quarter, tuple(sorted(self.control_values.items())))  # the key hashes the curves they scale
        if stamp is None or any(a is not b for a, b in zip(stamp[0], tables, strict=False)) \
                or stamp[1] != (how, quarter):
            curves, nb = self.planning_curves, self.network_bounds
            self._inputs = (curves, nb, cache.plan_inputs_key(curves, nb, *how))
            self._inputs_stamp = (tables, (how, quarter))
        return self._inputs

    def plan_key(self) -> str:
        """The digest of the planning inputs (curves, bounds, objective): a cache key for what is read off them."""
        return self._plan_inputs()[2]

    def allocation(self, budget: float | None = None, *, revenue_only: bool = False) -> cache.Result:
        """The optimum for the current settings at ``budget`` (default: the budget set), or why there is none.

        ``revenue_only=True``: the same plan without valuing engagement (what the value of an engagement costs).
        """
        if self.curves is None:
            return cache.Result(error=self.fitted.error or "There are no response curves yet.")
        if (refused := self.no_plan()) is not None:
            return refused
        problems = self.bound_problems()
        if problems:
            return cache.Result(error="Fix the bounds on the Optimize page first: " + problems[0])
        curves, nb, key = self._plan_inputs()
        weight = 0.0 if revenue_only else self.engagement_weight
        if weight != self.engagement_weight:
            key = cache.plan_inputs_key(curves, nb, self.objective, self.margin, weight, self.max_creators)
        return cache.optimize(curves, self.budget if budget is None else float(budget), nb, self.objective,
                              self.margin, key=key, engagement_weight=weight, max_creators=self.max_creators)

    def cautious(self) -> cache.Result:
        """The plan whose total has the highest P10 at the budget set (planner.analysis.cautious), or why none."""
        curves, nb, key = self._plan_inputs()
        return cache.cautious(key, curves, self.budget, nb, self.objective, self.margin, self.engagement_weight,
                              self.max_creators)

    def what_if(self, alloc, target: str, how: str, value: float | None) -> cache.Result:
        """The plan ``alloc`` (the optimum at the budget set) with ``target`` moved: ``how`` is ``"change"``
        (``value`` a fraction), ``"spend"`` (an amount) or ``"lock"`` (today's spend)."""
        curves, nb, key = self._plan_inputs()
        return cache.what_if(key, curves, nb, alloc, target, how, value)

    def pareto(self) -> cache.Result:
        """Revenue against engagement at the budget set (planner.analysis.pareto.pareto_front), or why there is none."""
        if not self.has_engagement:
            return cache.Result(error="The data has no engagements per dollar, so revenue cannot be weighed "
                                      "against engagement.")
        problems = self.bound_problems()
        if problems:
            return cache.Result(error="Fix the bounds on the Optimize page first: " + problems[0])
        curves, nb, _ = self._plan_inputs()
        key = cache.plan_inputs_key(curves, nb, self.objective, self.margin, 0.0, self.max_creators)
        return cache.pareto(key, self.budget, curves, nb, self.objective, self.margin, self.max_creators)

    @property
    def budget_step(self) -> float:
        """The slider's step and the "next $X" of the frontier: a round amount, about 1/30 of today's spend."""
        return budget_choices.budget_step(self.default_budget)

    def frontier_budgets(self) -> tuple[float, ...]:
        """The budgets planned ahead (the slider's positions): round steps around today's total spend."""
        return budget_choices.budget_options(self.default_budget, self.planning_curves, self.budget_step)

    def budget_choices(self) -> tuple[float, ...]:
        """The slider's options: the frontier's budgets and the budget set (when typed off the grid)."""
        return tuple(sorted(set(self.frontier_budgets()) | {round(self.budget, 2)}))

    def frontier_ready(self) -> bool:
        """Whether every budget of the frontier is already planned (the slider then redraws without waiting)."""
        if self.curves is None or self.bound_problems():
            return False
        _, _, key = self._plan_inputs()
        return all(cache.is_planned(key, b) for b in self.frontier_budgets())

    def frontier(self) -> cache.Result:
        """The best plan for each of :meth:`frontier_budgets` (computed with a progress bar the first time)."""
        if self.curves is None:
            return cache.Result(error=self.fitted.error)
        if (refused := self.no_plan()) is not None:
            return refused
        problems = self.bound_problems()
        if problems:
            return cache.Result(error="Fix the bounds on the Optimize page first: " + problems[0])
        curves, nb, key = self._plan_inputs()
        return cache.frontier(curves, self.frontier_budgets(), nb, self.objective, self.margin, key=key,
                              engagement_weight=self.engagement_weight, max_creators=self.max_creators)

    def breakeven(self) -> cache.Result:
        if self.curves is None:
            return cache.Result(error=self.fitted.error)
        return cache.breakeven(self.planning_curves, self.network_bounds)

    def plan(self) -> cache.Result:
        return cache.read_plan(*self.plan_source)
