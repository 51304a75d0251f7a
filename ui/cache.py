"""Cached calls into planner/: every result keyed on its inputs (file bytes, fingerprints, settings).

Each wrapper returns a small frozen result object holding either the value or the
one-sentence error a user can act on, so an error is cached like a value and a
page never shows a traceback.  Arguments whose names start with ``_`` are not
hashed: they travel with a key that stands for them (a dataset's fingerprint).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from planner import flighting as _flighting
from planner import optimize as _optimize
from planner.analysis import actuals_file as _actuals_file
from planner.analysis import cautious as _cautious
from planner.analysis import evaluate as _evaluate
from planner.analysis import flight_evaluate as _flight_evaluate
from planner.analysis import flight_plan_file as _flight_plan_file
from planner.analysis import funnel as _funnel
from planner.analysis import pacing as _pacing
from planner.analysis import pareto as _pareto
from planner.analysis import whatif as _whatif
from planner.base import format as _fmt
from planner.base.errors import PlannerError
from planner.base.markdown import literal
from planner.data import code_report as _code_report
from planner.data import experiments as _experiments
from planner.data import ingest as _ingest
from planner.data import plans as _plan_files
from planner.data import roster as _rosters
from planner.fit import budget as _fit_budget
from planner.fit import mmm as _mmm
from planner.fit import pipeline as _fit
from planner.fit import roster as _fit_roster
from planner.fit import saved as _saved
from planner.flighting import limits as _flight_limits
from planner.report import funnel_text as _funnel_text
from planner.scenarios import refresh as _refresh

_log = logging.getLogger(__name__)

N_BOOT = _saved.APP_BOOTSTRAP  # bootstrap refits for the networks' intervals
SEED = _saved.APP_SEED
PARETO_TIME_LIMIT = 1.0  # seconds of branch and bound per point of the revenue-engagement front


@dataclass(frozen=True)
class Result:
    """A value or the sentence saying why there is none."""

    value: Any = None
    error: str | None = None
    bug: bool = False  # the error is the planner's fault, not the user's

    @property
    def ok(self) -> bool:
        return self.error is None


def attempt(what: str, fn, *args, **kwargs) -> Result:
    """``fn(*args, **kwargs)`` as a Result: the one place the app turns errors into sentences.

    An error the user can cause (:class:`planner.base.errors.PlannerError`: a file that cannot be
    read, bounds no plan meets) becomes its own sentence.  Anything else is a bug in the planner:
    its traceback goes to the server's log and the page says plainly that it is one.
    """
    try:
        return Result(fn(*args, **kwargs))
    except PlannerError as exc:
        return Result(error=str(exc))
    except Exception as exc:  # a bug: never a traceback on the page, never dressed up as the user's mistake
        _log.exception("Unexpected error while %s", what)
        return Result(error=f"Something went wrong while {what}: this is a bug in the planner, not a problem with "
                            f"your data ({type(exc).__name__}: {exc}). The details are in the server's log.",
                      bug=True)


@st.cache_data(show_spinner="Reading the file…", max_entries=64)
def load(name: str, data: bytes, sheet: str | None = None, mapping: tuple[tuple[str, str], ...] = (),
         decimal: str | None = None, codes: tuple[tuple[str, bytes, tuple], ...] = ()) -> Result:
    """planner.data.ingest.load on an uploaded file's bytes (with the sheet, column mapping and decimal mark the
    user chose, and the promo-code reports uploaded with it as ``(name, bytes, mapping)``); a DataError becomes
    the error sentence."""
    reports = [code_report(n, d, m).value for n, d, m in codes]
    return attempt(f"reading {name}", _ingest.load, data, name=name, sheet=sheet, mapping=dict(mapping) or None,
                   decimal=decimal, codes=[r for r in reports if r is not None])


@st.cache_data(show_spinner=False, max_entries=64)
def code_report(name: str, data: bytes, mapping: tuple[tuple[str, str], ...] = ()) -> Result:
    """planner.data.code_report.report_if_any on a file's bytes (with the column mapping the user chose): the
    CodeReport, None when the file is not a promo-code report, or why it could not be read."""
    return attempt(f"reading {name}", _code_report.report_if_any, data, name, dict(mapping) or None)


@st.cache_data(show_spinner=False, max_entries=64)
def roster(name: str, data: bytes) -> Result:
    """planner.data.roster.find_roster on a workbook's bytes: the Roster, None when there is none, or why it
    could not be read."""
    return attempt(f"reading the roster in {name}", _rosters.find_roster, data, name=name)


FITS_MAX = 16


class _Fits:
    """Fitted curve tables shared by the sessions, with one lock per key: a session that asks for a fit
    another session is making waits for it instead of fitting the same files again."""

    def __init__(self) -> None:
        self.store, self.lock, self.locks = LRU(FITS_MAX), threading.Lock(), {}

    def key_lock(self, key) -> threading.Lock:
        with self.lock:
            return self.locks.setdefault(key, threading.Lock())


@st.cache_resource(show_spinner=False)
def _fits() -> _Fits:
    return _Fits()


def fit_ready(key: tuple[str, ...]) -> bool:
    """Whether the curves of ``key`` are at hand without fitting: fitted on this server, or shipped (the sample)."""
    return _fits().store.get(key) is not None or _saved.has_saved_fit(_saved.SAMPLE_FIT, _saved.fit_key(key))


def fit_curves(key: tuple[str, ...], datasets: tuple, roster=None, progress=None, experiments=None) -> Result:
    """planner.fit.pipeline.fit_curves on the datasets whose fingerprints are ``key``, then the creator roster
    (planner.fit.roster.apply_roster; ``key`` names it too); the sample's fit is read from the file it ships in.

    ``experiments`` (planner.data.experiments) calibrate the marketing-mix model; ``key`` names them too.
    ``progress(fraction, text)`` hears how the fit goes. A fit is kept for every session, its error too
    (unless it is a bug, which the next attempt may not meet).
    """
    fits = _fits()
    found = fits.store.get(key)
    if found is not None:
        return found
    with fits.key_lock(key):
        found = fits.store.get(key)
        if found is not None:  # another session fitted it while this one waited
            return found

        def fit():
            shipped = _saved.read_saved_fit(_saved.SAMPLE_FIT, _saved.fit_key(key))  # the sample, fitted once
            if shipped is not None:
                return shipped
            fitted = _fit.fit_curves(list(datasets), n_boot=N_BOOT, seed=SEED, progress=progress,
                                     experiments=experiments)
            curves = fitted
            if roster is not None:  # each creator's cost per post, posts allowed and commission
                curves = _fit_roster.apply_roster(fitted, roster, list(datasets))
                curves.attrs = {**fitted.attrs, **curves.attrs}  # what the fit said (planner.fit.budget.NOTES)
            return curves

        found = attempt("fitting the response curves", fit)
        if not found.bug:
            fits.store.put(key, found)
        return found


@st.cache_data(show_spinner=False, max_entries=16)
def experiments(name: str, data: bytes) -> Result:
    """planner.data.experiments.read_experiments of an uploaded file."""
    return attempt("reading the experiments", _experiments.read_experiments, data, name)


@st.cache_data(show_spinner=False, max_entries=16)
def funnel(key: tuple[str, ...], _datasets: tuple) -> Result:
    """planner.analysis.funnel.funnel of the datasets whose fingerprints are ``key``, with its tables per network
    and per creator (planner.report.funnel_text.funnel_table): ``(Funnel, networks, creators)``."""
    def parts():
        f = _funnel.funnel(list(_datasets))
        return f, _funnel_text.funnel_table(f), _funnel_text.funnel_table(f, "creator")

    return attempt("reading the funnel from reach to order value", parts)


@st.cache_data(show_spinner="Fitting the marketing-mix model…", max_entries=16)
def fit_mmm(key: str, _dataset) -> Result:
    """planner.fit.mmm.fit_mmm (no bootstrap: the page shows the fit, not intervals), within the fit's time budget."""
    return attempt("fitting the marketing-mix model", _mmm.fit_mmm, _dataset, n_boot=0,
                   time_budget=_fit_budget.TIME_BUDGET)


# ----------------------------------------------------------------------------- plans
#
# Optimal plans live in one store shared by every session, keyed on their inputs'
# content (the planning curve table, network bounds, objective, margin) and the
# budget.  The budget slider offers the budgets of the frontier, so once the frontier
# is computed every position of the slider is a plan already made: moving it
# re-optimises nothing and only redraws.  Unlike st.cache_data, the store can say
# which budgets are missing, so the frontier shows real progress (n of N) while it
# fills them.  Allocations are frozen and never modified by the pages.

PLANS_MAX = 2048


class LRU:
    """A small least-recently-used store shared by the sessions (thread-safe)."""

    def __init__(self, size: int) -> None:
        self.size, self.lock, self.items = size, threading.Lock(), OrderedDict()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _plans() -> LRU:
    return LRU(PLANS_MAX)


def _hash_frame(h, df: pd.DataFrame | None) -> None:
    if df is None:
        h.update(b"none")
        return
    h.update(repr([(str(c), str(t)) for c, t in df.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())


def plan_inputs_key(curves: pd.DataFrame, network_bounds: pd.DataFrame | None, objective: str, margin: float,
                    engagement_weight: float = 0.0, max_creators: int | None = None) -> str:
    """A digest of everything but the budget that an optimal plan depends on."""
    h = hashlib.sha256()
    _hash_frame(h, curves)
    _hash_frame(h, network_bounds)
    h.update(f"{objective}|{float(margin)!r}".encode())
    if engagement_weight:
        h.update(f"|engagement {float(engagement_weight)!r}".encode())
    if max_creators is not None:
        h.update(f"|creators {int(max_creators)}".encode())
    return h.hexdigest()


def _budget_key(budget: float) -> float:
    return round(float(budget), 2)


PROBLEMS_MAX = 16


@st.cache_resource(show_spinner=False)
def _problems() -> LRU:
    return LRU(PROBLEMS_MAX)


def _prepared(key: str, curves, network_bounds, objective, margin, engagement_weight: float = 0.0,
              max_creators: int | None = None) -> Result:
    """The curve table and its bounds checked once (planner.optimize.prepare), shared by every session.

    Each budget of the slider, the frontier and the next-dollar question is then one solve of it,
    warm-started from the budgets solved before.
    """
    store = _problems()
    found = store.get(key)
    if found is None:
        found = attempt("checking the curve table and the bounds", _optimize.prepare, curves, network_bounds,
                        objective=objective, margin=margin, engagement_weight=engagement_weight,
                        max_creators=max_creators)
        store.put(key, found)
    return found


def _solve(key: str, curves, budget, network_bounds, objective, margin, engagement_weight: float = 0.0,
           max_creators: int | None = None) -> Result:
    plans = _prepared(key, curves, network_bounds, objective, margin, engagement_weight, max_creators)
    if not plans.ok:
        return plans
    return attempt("optimising the budget", plans.value.solve, budget)


def optimize(curves: pd.DataFrame, budget: float, network_bounds: pd.DataFrame | None,
             objective: str, margin: float, *, key: str | None = None, engagement_weight: float = 0.0,
             max_creators: int | None = None) -> Result:
    """planner.optimize.optimize from the shared store; an error the user can cause becomes its sentence.

    ``key`` is :func:`plan_inputs_key` of the other arguments when the caller has it.
    """
    key = key or plan_inputs_key(curves, network_bounds, objective, margin, engagement_weight, max_creators)
    store = _plans()
    slot = (key, _budget_key(budget))
    found = store.get(slot)
    if found is None:
        with st.spinner("Finding the best split of the budget…"):
            found = _solve(key, curves, budget, network_bounds, objective, margin, engagement_weight, max_creators)
        store.put(slot, found)
    return found


@st.cache_resource(show_spinner=False)
def _what_ifs() -> LRU:
    return LRU(256)


def what_if(key: str, curves: pd.DataFrame, network_bounds: pd.DataFrame | None, base, target: str, how: str,
            value: float | None) -> Result:
    """planner.analysis.whatif.what_if of the plan ``base`` (made from the inputs ``key``), shared by the sessions.

    ``how`` is ``"change"`` (``value`` a fraction), ``"spend"`` (``value`` an amount) or ``"lock"``.
    """
    store = _what_ifs()
    slot = (key, _budget_key(base.budget), target, how, None if value is None else round(float(value), 6))
    found = store.get(slot)
    if found is None:
        kwargs = {"lock": True} if how == "lock" else {how: value}
        with st.spinner(literal(f"Re-planning the rest around {target}…")):
            found = attempt("reading the what-if", _whatif.what_if, curves, base, target,
                            network_bounds=network_bounds, **kwargs)
        store.put(slot, found)
    return found


@st.cache_resource(show_spinner=False)
def _cautious_plans() -> LRU:
    return LRU(64)


def cautious(key: str, curves: pd.DataFrame, budget: float, network_bounds: pd.DataFrame | None, objective: str,
             margin: float, engagement_weight: float, max_creators: int | None) -> Result:
    """planner.analysis.cautious.highest_p10 at ``budget`` (``key``: :func:`plan_inputs_key`), shared by the sessions."""
    store = _cautious_plans()
    slot = (key, _budget_key(budget))
    found = store.get(slot)
    if found is None:
        with st.spinner("Planning with each curve discounted by its uncertainty…"):
            found = attempt("finding the cautious plan", _cautious.highest_p10, curves, budget, network_bounds,
                            objective, margin, engagement_weight, max_creators)
        store.put(slot, found)
    return found


@st.cache_resource(show_spinner=False)
def _refreshes() -> LRU:
    return LRU(64)


def refresh(key: str, scenario, curves: pd.DataFrame) -> Result:
    """planner.scenarios.refresh.refresh of ``scenario`` on ``curves`` (the planning inputs ``key``), shared."""
    store = _refreshes()
    slot = (key, scenario.name, str(scenario.created), scenario.fingerprint)
    found = store.get(slot)
    if found is None:
        with st.spinner(literal(f"Reading '{scenario.name}' on today's curves…")):
            found = attempt("reading the scenario on today's curves", _refresh.refresh, scenario, curves)
        store.put(slot, found)
    return found


def is_planned(key: str, budget: float) -> bool:
    """Whether the optimum at ``budget`` for the inputs ``key`` is already in the store."""
    return _plans().get((key, _budget_key(budget))) is not None


def frontier(curves: pd.DataFrame, budgets: tuple[float, ...], network_bounds: pd.DataFrame | None,
             objective: str, margin: float, *, key: str | None = None, engagement_weight: float = 0.0,
             max_creators: int | None = None) -> Result:
    """The budget frontier over ``budgets`` (planner.optimize.frontier_of the optimum at each).

    Budgets not yet in the store are optimised with a progress bar (n of N).  Budgets
    that cannot be met are left out and listed in ``value.attrs["unmet"]`` with why;
    when none can be met the result is the first reason.
    """
    key = key or plan_inputs_key(curves, network_bounds, objective, margin, engagement_weight, max_creators)
    store = _plans()
    results = {b: store.get((key, _budget_key(b))) for b in budgets}
    todo = [b for b, r in results.items() if r is None]
    if todo:
        bar = st.progress(0.0, text=f"Computing the best plan for {len(todo)} budgets…")
        start = time.perf_counter()
        for i, b in enumerate(todo):
            bar.progress(i / len(todo), text=literal(f"Best plan for a budget of {_fmt.money(b)}: "
                                                     f"{i + 1} of {len(todo)} budgets"))
            results[b] = _solve(key, curves, b, network_bounds, objective, margin, engagement_weight, max_creators)
            store.put((key, _budget_key(b)), results[b])
        bar.progress(1.0, text=f"Computed the best plan for {len(todo)} budgets in "
                               f"{time.perf_counter() - start:.1f} s.")
        bar.empty()
    ok = [(b, r.value) for b, r in results.items() if r.ok]
    if not ok:
        first = next(iter(results.values()), None)
        return Result(error=first.error if first is not None else "There are no budgets to plan for.")
    table = _optimize.frontier_of(ok)
    table.attrs["unmet"] = [(b, r.error) for b, r in results.items() if not r.ok]
    return Result(table)


@st.cache_data(show_spinner="Weighing revenue against engagement: the best plan at a dozen values of an "
                             "engagement…", max_entries=32)
def pareto(key: str, budget: float, _curves: pd.DataFrame, _network_bounds: pd.DataFrame | None, objective: str,
           margin: float, max_creators: int | None = None) -> Result:
    """planner.analysis.pareto.pareto_front at ``budget``; ``key`` is :func:`plan_inputs_key` of the curves and bounds.

    Each point may search whole posts for :data:`PARETO_TIME_LIMIT` seconds (the plan in use, 3 s): a
    dozen plans of creators only, all in whole posts, then take seconds rather than half a minute.
    """
    return attempt("weighing revenue against engagement", _pareto.pareto_front, _curves, budget,
                   network_bounds=_network_bounds, objective=objective, margin=margin, time_limit=PARETO_TIME_LIMIT,
                   max_creators=max_creators)


@st.cache_data(show_spinner="Planning the budget over time…", max_entries=64)
def flight_plan(key: str, budget: float, start, end, period: str, after: bool, _curves: pd.DataFrame,
                limits: tuple = (), min_flight: int = 1) -> Result:
    """planner.flighting.plan_flighting of ``budget`` over the days ``start`` to ``end`` split by ``period``, within
    ``limits`` (``(network, period, min_spend, max_spend)`` rows), flights of ``min_flight`` periods; ``key`` is the digest of the planning inputs
    (AppState.plan_key) of which ``_curves`` is the curve table. A horizon or limit that cannot be used is its sentence."""
    def plan():
        return _flighting.plan_flighting(_curves, float(budget), _flighting.Horizon(start, end, period),
                                         after=bool(after), limits=_flight_limits.limits_frame(limits),
                                         min_flight=int(min_flight))

    return attempt("planning the budget over time", plan)


@st.cache_data(show_spinner="Reading the plan…", max_entries=16)
def plan_over_time(name: str, data: bytes) -> Result:
    """planner.analysis.flight_plan_file.read_plan_over_time on a file's bytes (None: a plan without periods)."""
    return attempt(f"reading the plan {name}", _flight_plan_file.read_plan_over_time, data, name=name)


@st.cache_data(show_spinner="Valuing the plan over time and planning the same spend…", max_entries=16)
def evaluate_plan_over_time(key: str, plan_name: str, plan_data: bytes, _curves: pd.DataFrame) -> Result:
    """planner.analysis.flight_evaluate.evaluate_plan_over_time of the plan over time in ``plan_data``; ``key`` is
    the digest of the planning inputs (AppState.plan_key) of which ``_curves`` is the curve table."""
    def run():
        plan = _flight_plan_file.read_plan_over_time(plan_data, name=plan_name)
        return _flight_evaluate.evaluate_plan_over_time(_curves, plan)

    return attempt("evaluating the plan over time", run)


@st.cache_data(show_spinner="Reading the spend to date…", max_entries=16)
def actuals(name: str, data: bytes) -> Result:
    """planner.analysis.actuals_file.read_actuals on a file's bytes."""
    return attempt(f"reading the spend to date in {name}", _actuals_file.read_actuals, data, name=name)


@st.cache_data(show_spinner="Pacing the plan and re-planning the rest…", max_entries=32)
def pacing(key: str, plan_name: str, plan_data: bytes, actuals_name: str, actuals_data: bytes, as_of, budget: float,
           after: bool, _curves: pd.DataFrame, min_flight: int = 1) -> Result:
    """planner.analysis.pacing.pace of the plan in ``plan_data`` against the spend in ``actuals_data`` to ``as_of``
    (the rest in flights of ``min_flight`` periods);
    ``key`` is the digest of the planning inputs (AppState.plan_key) of which ``_curves`` is the curve table."""
    def run():
        plan = _flight_plan_file.read_plan_over_time(plan_data, name=plan_name)
        spent = _actuals_file.read_actuals(actuals_data, name=actuals_name)
        return _pacing.pace(_curves, plan.table, plan.horizon, spent, as_of=as_of, budget=float(budget),
                            after=bool(after), min_flight=int(min_flight))

    return attempt("pacing the plan", run)


@st.cache_data(show_spinner=False, max_entries=16)
def breakeven(curves: pd.DataFrame, network_bounds: pd.DataFrame | None) -> Result:
    """planner.optimize.breakeven_budget, honouring the network bounds."""
    return attempt("computing the break-even budget", _optimize.breakeven_budget, curves, network_bounds)


@st.cache_data(show_spinner="Reading the plan…", max_entries=16)
def read_plan(name: str, data: bytes) -> Result:
    """planner.data.plans.read_plan on an uploaded plan's bytes; a PlanError becomes its sentence."""
    return attempt(f"reading the plan {name}", _plan_files.read_plan, data, name=name)


@st.cache_data(show_spinner="Evaluating the plan…", max_entries=16)
def evaluate_plan(curves: pd.DataFrame, plan: pd.DataFrame) -> Result:
    """planner.analysis.evaluate.evaluate_plan."""
    return attempt("evaluating the plan", _evaluate.evaluate_plan, curves, plan)
