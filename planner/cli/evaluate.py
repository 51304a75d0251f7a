"""The ``evaluate`` command: what a plan (e.g. finance's workbook) is expected to return, next to the optimum."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from planner.base.currency import currency_in
from planner.base.format import interval_text, money, roas
from planner.cli.arguments import UsageError, as_planned, curve_table, show_currency

__all__ = ["cmd_evaluate"]


UNMATCHED_SHOWN = 20  # plan rows matching nothing printed in the table; the rest are counted


def _interval(p10, p50, p90, mean=None) -> str:
    text = interval_text(p10, p50, p90, mean)
    return f" ({text})" if text else ""


def cmd_evaluate(args, plan=None) -> int:
    """Run ``evaluate``: print the plan's expected return and interval beside the optimum for the same spend.

    Parameters
    ----------
    args : argparse.Namespace
        ``curves`` (the curve table's path), ``plan`` (the plan's path) and ``json`` (print one JSON
        object, :meth:`~planner.analysis.evaluate.PlanEvaluation.to_json`, instead of text).
    plan : planner.data.plan_files.PlanFile, optional
        ``args.plan`` already read (:func:`~planner.data.plan_files.read_plan_file`); None reads it.

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageError
        When the plan file does not exist.
    CurveTableError
        When the curve table cannot be read or used.
    PlanError
        When the plan cannot be read.
    """
    from planner.analysis.evaluate import evaluate_plan
    from planner.data.plans import read_plan

    curves = curve_table(args.curves)
    show_currency(args, currency_in(curves))
    if not Path(args.plan).exists():
        raise UsageError(f"The plan file {args.plan} does not exist.")
    curves = as_planned(args, curves, say=not args.json)
    ev = evaluate_plan(curves, read_plan(args.plan if plan is None else plan))
    if args.json:
        ev.write_json(sys.stdout, indent=2)
        print()
        return 0
    print(f"Plan: spend {money(ev.total_spend)}, expected revenue {money(ev.total_response)}"
          f"{_interval(ev.response_p10, ev.response_p50, ev.response_p90)}, ROAS {roas(ev.roas)}.")
    print(f"Optimum for the same spend: {money(ev.optimum_response)}"
          f"{_interval(ev.optimum_p10, ev.optimum_p50, ev.optimum_p90, ev.optimum_mean)}.")
    print(ev.summary())
    for w in ev.warnings:
        print(f"WARNING: {w}")
    cols = ["name", "spend", "response"] + [c for c in ("response_p10", "response_p90") if c in ev.rows.columns]
    shown = ev.rows["in_curves"].to_numpy(dtype=bool) | (np.cumsum(~ev.rows["in_curves"].to_numpy(dtype=bool))
                                                         <= UNMATCHED_SHOWN)
    rows = ev.rows.loc[shown, cols + ["optimal_spend", "optimal_response"]].copy()
    rows["beyond data"] = np.where(ev.rows.loc[shown, "extrapolated"].fillna(False).astype(bool), "yes", "")
    print(rows.to_string(index=False, formatters={c: money for c in rows.columns[1:-1]}))
    left = int((~shown).sum())
    if left:
        print(f"... and {left:,} more plan rows that match no entity (spend "
              f"{money(float(ev.rows.loc[~shown, 'spend'].sum()))}, no expected revenue).")
    return 0
