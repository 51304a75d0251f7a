"""What the one-page report of a plan says, as display text: the figures, tables and sentences.

:func:`one_page` values a plan under a curve table (:func:`planner.analysis.evaluate.evaluate_plan`:
the same figures as ``python -m planner evaluate`` and the Finance plan page), plans the
frontier around it, and returns a :class:`OnePage` whose every amount is already written by
:mod:`planner.base.format`, so the HTML and the PDF (:mod:`.html`, :mod:`.pdf`) only lay it out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.analysis.evaluate import PlanEvaluation, evaluate_plan
from planner.base.currency import current
from planner.base.errors import PlannerError
from planner.base.format import MISSING, count, interval_text, money, one, pct, roas, selection_text, signed_money
from planner.base.names import is_creator
from planner.curves.support import support
from planner.curves.table import validate_curves
from planner.optimize import frontier as plan_frontier
from planner.report.budget_choices import budget_grid
from planner.report.export_files import curves_csv
from planner.report.model_tables import model_text

__all__ = ["OnePage", "one_page", "fingerprint"]

TOP_CREATORS = 8
MOVES = 3


@dataclass(frozen=True)
class OnePage:
    """A plan's one-page report, every figure as text.

    Attributes
    ----------
    title, subtitle : str
        The page's title and the line under it (when, currency, period).
    headline : str
        What the plan spends and is expected to return, with its 80 % interval.
    against_best : str
        How the plan compares with the best split of the same money.
    figures : tuple of (str, str, str)
        The key figures: label, value, a note under the value.
    networks : DataFrame
        The split by network (display strings): today, the plan, the change, expected revenue,
        ROAS and the best split of the same money.
    creators : DataFrame
        The top creators by planned spend (display strings); empty without creators.
    creators_note : str
        How many creators the plan funds, and how many the table shows.
    moves : tuple of str
        What moved from today's spend, largest first; or why nothing can be said.
    assumptions : tuple of str
        What the figures rest on: the model, the period, bounds, intervals, extrapolation, warnings.
    fingerprint : tuple of (str, str)
        What identifies the inputs: hashes of the curve table and the plan, the data's files.
    frontier : DataFrame or None
        The optimum per budget (``planner.optimize.frontier``), for the chart; None when it cannot be planned.
    frontier_note : str
        Why there is no frontier, when there is none.
    marks : dict
        ``today`` (today's total spend or None), ``plan`` (the plan's total spend) and ``plan_response``.
    split : DataFrame
        Spend per network and kind (``network, kind, spend``; kinds "Today", "This plan", "Best split"),
        for the chart.
    evaluation : PlanEvaluation
        The plan's valuation the figures come from.
    """

    title: str
    subtitle: str
    headline: str
    against_best: str
    figures: tuple[tuple[str, str, str], ...]
    networks: pd.DataFrame
    creators: pd.DataFrame
    creators_note: str
    moves: tuple[str, ...]
    assumptions: tuple[str, ...]
    fingerprint: tuple[tuple[str, str], ...]
    frontier: pd.DataFrame | None
    frontier_note: str
    marks: dict
    split: pd.DataFrame
    evaluation: PlanEvaluation = field(repr=False, compare=False)


def fingerprint(data: bytes) -> str:
    """Return the first 12 hex digits of the SHA-256 of ``data``: enough to tell two inputs apart at a glance."""
    return hashlib.sha256(data).hexdigest()[:12]


def _plan_bytes(plan: pd.DataFrame) -> bytes:
    """Write the plan as canonical text (name, spend to the cent): a CSV and a workbook of it hash the same."""
    spend = pd.to_numeric(plan["spend"], errors="coerce").round(2)
    return "\n".join(f"{n}\t{s:.2f}" for n, s in zip(plan["name"].astype(str), spend, strict=True)).encode()


def _period(meta: Mapping) -> str:
    """Return the planning period in words, without an article: ``quarter (13 weeks)``."""
    return str(meta.get("period") or "quarter (13 weeks)").removeprefix("one ")


def _today(curves: pd.DataFrame) -> np.ndarray | None:
    if "current_spend" not in curves.columns:
        return None
    cur = pd.to_numeric(curves["current_spend"], errors="coerce").to_numpy(dtype=float)
    return np.nan_to_num(cur) if np.isfinite(cur).any() else None


def _frontier(curves: pd.DataFrame, spend: float, today: float | None) -> tuple[pd.DataFrame | None, str]:
    anchor = max(spend, today or 0.0)
    if anchor <= 0:
        return None, "The plan spends nothing, so there is no budget to draw the frontier around."
    try:
        budgets = budget_grid(anchor, curves, n=25, lo=0.1, hi=1.6)
        return plan_frontier(curves, budgets), ""
    except PlannerError as exc:
        return None, f"The frontier could not be planned: {exc}"


def _network_rows(ev: PlanEvaluation, today: np.ndarray | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    r = ev.rows[ev.rows["in_curves"].astype(bool)].copy()
    r["today"] = today if today is not None else np.nan
    g = r.groupby("network", sort=False)
    t = pd.DataFrame({
        "network": list(g.groups.keys()),
        "today": g["today"].sum(min_count=1).to_numpy(dtype=float),
        "plan": g["spend"].sum().to_numpy(dtype=float),
        "response": g["response"].sum().to_numpy(dtype=float),
        "best": g["optimal_spend"].sum(min_count=1).to_numpy(dtype=float),
    }).sort_values("plan", ascending=False, ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(t["plan"] > 0, t["response"] / t["plan"], np.nan)
    total = t["plan"].sum()
    shown = pd.DataFrame({
        "Network": t["network"].astype(str),
        "Today": [money(x) for x in t["today"]],
        "This plan": [money(x) for x in t["plan"]],
        "Share": [pct(x / total) if total > 0 else MISSING for x in t["plan"]],
        "Change": [signed_money(p - c) if np.isfinite(c) else MISSING for p, c in zip(t["plan"], t["today"],
                                                                                      strict=True)],
        "Expected revenue": [money(x) for x in t["response"]],
        "ROAS": [roas(x) for x in rate],
        "Best split": [money(x) for x in t["best"]],
    })
    if today is None:
        shown = shown.drop(columns=["Today", "Change"])
    split = t.melt(id_vars="network", value_vars=["today", "plan", "best"], var_name="kind", value_name="spend")
    split["kind"] = split["kind"].map({"today": "Today", "plan": "This plan", "best": "Best split"})
    return shown, split[np.isfinite(split["spend"].to_numpy(dtype=float))].reset_index(drop=True)


def _creator_rows(ev: PlanEvaluation, top: int) -> tuple[pd.DataFrame, str]:
    r = ev.rows[ev.rows["in_curves"].astype(bool)]
    c = r[is_creator(r["name"])]
    if c.empty:
        return pd.DataFrame(), "The plan has no creators (the curve table has networks only)."
    funded = c[c["spend"] > 0.005].sort_values("spend", ascending=False)
    head = funded.head(top)
    table = pd.DataFrame({
        "Creator": head["name"].astype(str),
        "Spend": [money(x) for x in head["spend"]],
        "Expected revenue": [money(x) for x in head["response"]],
        "ROAS": [roas(x) for x in head["roas"]],
        f"Next {one()} returns": [roas(x) for x in head["marginal_return"]],
    }).reset_index(drop=True)
    note = (f"The plan funds {count(len(funded))} of {count(len(c))} creators"
            + (f"; the {count(len(head))} with the largest spend are shown." if len(funded) > len(head) else "."))
    return table, note


def _moves(ev: PlanEvaluation, today: np.ndarray | None) -> tuple[str, ...]:
    if today is None:
        return ("The curve table has no current spend, so there is nothing to compare the plan with.",)
    r = ev.rows[ev.rows["in_curves"].astype(bool)]
    change = r["spend"].to_numpy(dtype=float) - today
    names = r["name"].astype(str).to_numpy()
    out = [f"Today's spend is {money(today.sum())}; the plan spends {money(ev.total_spend)} "
           f"({signed_money(ev.total_spend - today.sum())})."]
    for sign, verb in ((1, "Most added"), (-1, "Most cut")):
        order = np.argsort(-sign * change, kind="stable")
        picked = [i for i in order[:MOVES] if sign * change[i] > 0.005]
        if picked:
            out.append(f"{verb}: " + "; ".join(f"{names[i]} {signed_money(change[i])}" for i in picked) + ".")
    if len(out) == 1:
        out.append("No row's spend moves.")
    return tuple(out)


def _assumptions(curves: pd.DataFrame, ev: PlanEvaluation, meta: Mapping) -> tuple[str, ...]:
    out = [f"Model: {model_text(curves)}",
           f"Every figure is the expected response in one {_period(meta)}, "
           f"in {current().name}."]
    if np.isfinite(ev.response_p10):
        out.append("The 80% interval comes from the uncertainty of each curve's level (beta_p10 to beta_p90).")
    else:
        out.append("The curve table gives no intervals, so the figures have no band.")
    if meta.get("bounds"):
        out.append(f"Bounds: {meta['bounds']}.")
    judged = support(curves)
    if judged.verdict != "sound":  # the plan is the best for these curves only: the page says so, as the app does
        out.append(judged.brief())
    for w in ev.warnings[:3]:
        out.append("Warning: " + (w.split(": ")[0] + "." if len(w) > 160 else w))
    if len(ev.warnings) > 3:
        out.append(f"And {count(len(ev.warnings) - 3)} more warnings (python -m planner evaluate lists them).")
    return tuple(out)


def _figures(ev: PlanEvaluation, today: np.ndarray | None) -> tuple[tuple[str, str, str], ...]:
    band = interval_text(ev.response_p10, ev.response_p50, ev.response_p90)
    figs = [
        ("Spend", money(ev.total_spend), f"today {money(today.sum())}" if today is not None else ""),
        ("Expected revenue", money(ev.total_response),
         f"80%: {money(ev.response_p10)} to {money(ev.response_p90)}" if band else "no interval"),
        (f"Return per {one()}", roas(ev.roas), "expected revenue / spend"),
    ]
    if np.isfinite(ev.optimum_response) and ev.optimum_response > 0:
        share = min(ev.total_response / ev.optimum_response, 1.0)
        figs.append(("Of the best split", pct(share), f"{signed_money(max(ev.gap, 0.0))} possible"))
    return tuple(figs)


def _against_best(ev: PlanEvaluation) -> str:
    if not np.isfinite(ev.optimum_response):
        return "No best split exists at this total under the curve table's bounds: " + "; ".join(ev.warnings[:1])
    if ev.gap > 0.5:
        band = interval_text(ev.optimum_p10, ev.optimum_p50, ev.optimum_p90, ev.optimum_mean)
        curse = selection_text(ev.optimum_allowance) if band else ""
        return (f"The best split of the same {money(ev.total_spend)} is expected to return "
                f"{money(ev.optimum_response)}" + (f" ({band})" if band else "")
                + f": {money(ev.gap)} more ({pct(ev.gap_pct, signed=True)})." + (f" {curse}" if curse else ""))
    return "This plan is the best split of its total spend: no other split is expected to return more."


def one_page(curves: pd.DataFrame, plan: pd.DataFrame, *, frontier: pd.DataFrame | None = None,
             meta: Mapping | None = None, top: int = TOP_CREATORS) -> OnePage:
    """Value ``plan`` under ``curves`` and write everything its one-page report shows.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1).
    plan : DataFrame
        ``name, spend`` and optionally ``network`` (e.g. :func:`planner.data.plans.read_plan`).
    frontier : DataFrame, optional
        The optimum per budget (``planner.optimize.frontier``); planned around the plan's spend when not given.
    meta : mapping, optional
        ``title``, ``generated`` (a datetime or text), ``period``, ``bounds``, ``data_source`` and
        ``data_files`` (a sequence of (file name, bytes) whose fingerprints are shown).
    top : int, default 8
        How many creators the creators table shows.

    Returns
    -------
    OnePage

    Raises
    ------
    CurveTableError
        When ``curves`` is not a valid curve table.
    InputError
        When the plan has no ``name`` or ``spend`` column, or a spend is unreadable or negative.
    """
    meta = dict(meta or {})
    curves = validate_curves(curves)
    ev = evaluate_plan(curves, plan)
    today = _today(curves)
    today_total = float(today.sum()) if today is not None else None
    if frontier is None:
        frontier, frontier_note = _frontier(curves, ev.total_spend, today_total)
    else:
        frontier_note = ""
    networks, split = _network_rows(ev, today)
    creators, creators_note = _creator_rows(ev, top)
    generated = meta.get("generated") or dt.datetime.now().replace(microsecond=0)
    when = generated.strftime("%Y-%m-%d %H:%M") if isinstance(generated, dt.datetime) else str(generated)
    band = interval_text(ev.response_p10, ev.response_p50, ev.response_p90)
    headline = (f"The plan spends {money(ev.total_spend)} and is expected to return {money(ev.total_response)}"
                + (f" ({band})" if band else "") + f", {roas(ev.roas, per_dollar=True)}.")
    prints = [("Curve table", f"{count(len(curves))} rows, sha256 {fingerprint(curves_csv(curves))}"),
              ("Plan", f"{count(len(plan))} rows, sha256 {fingerprint(_plan_bytes(ev.rows[ev.rows['in_plan']]))}")]
    prints += [(f"Data: {name}", f"sha256 {fingerprint(data)}") for name, data in meta.get("data_files", ())]
    if meta.get("data_source"):
        prints.append(("Data source", str(meta["data_source"])))
    return OnePage(
        title=str(meta.get("title") or "Budget plan"),
        subtitle=f"Made {when} \u00b7 amounts in {current().name} \u00b7 "
                 f"spend and revenue per {_period(meta)}",
        headline=headline,
        against_best=_against_best(ev),
        figures=_figures(ev, today),
        networks=networks,
        creators=creators,
        creators_note=creators_note,
        moves=_moves(ev, today),
        assumptions=_assumptions(curves, ev, meta),
        fingerprint=tuple(prints),
        frontier=frontier,
        frontier_note=frontier_note,
        marks={"today": today_total, "plan": ev.total_spend, "plan_response": ev.total_response},
        split=split,
        evaluation=ev,
    )
