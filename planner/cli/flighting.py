"""A plan over time on the command line: ``optimize --horizon START:END --period week|month`` and ``evaluate``.

``optimize`` with ``--horizon`` plans the budget (the total over the horizon) week by week or month by
month with each row's carry-over (:func:`planner.flighting.plan_flighting`), prints what it earns, what
it earns over the even plan and its proven bound, and a table per period; ``--out`` writes the long
table (CSV, DESIGN.md contract 2) or finance's workbook (:func:`planner.report.sheets.flight_plan.flight_workbook`).
Without ``--horizon`` the command is the one-period ``optimize`` (:func:`planner.cli.optimize_frontier.cmd_optimize`).

``evaluate`` reads a plan over time when the file holds one (:mod:`planner.analysis.flight_plan_file`:
a ``period`` column, or periods across the columns) and compares it with the best plan of the same
spend over the same horizon; any other plan goes to the one-period ``evaluate``
(:func:`planner.cli.evaluate.cmd_evaluate`), as before.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.currency import currency_in
from planner.base.format import money, roas, things
from planner.cli.arguments import UsageError, curve_table, money_arg, read_table, show_currency, writing
from planner.cli.evaluate import cmd_evaluate
from planner.cli.optimize_frontier import cmd_optimize, shaped_curves

__all__ = ["cmd_optimize_or_flight", "cmd_evaluate_or_flight", "cmd_flight", "period_table", "money_table"]

# options of the one-period optimize that a plan over time cannot honour (yet): refused, never ignored
NOT_OVER_TIME = (("network_bounds", "--network-bounds"), ("max_share", "--max-share"), ("row_share", "--row-share"),
                 ("engagement_weight", "--engagement-weight"), ("max_creators", "--max-creators"),
                 ("target", "--target"))


def _refuse_one_period_options(args) -> None:
    for attr, flag in NOT_OVER_TIME:
        if getattr(args, attr, None) is not None:
            raise UsageError(f"{flag} does not work with --horizon: a plan over time maximises revenue within each "
                             "row's own bounds (the curve table's min_spend and max_spend per quarter) and the "
                             "limits of --limits (per period, per network per period, per network over the "
                             "horizon).")
    if getattr(args, "quarter", None) is not None:
        raise UsageError("--quarter does not work with --horizon: a plan over time already counts each period at "
                         "its curves' yearly waves (the curve table's season_sin and season_cos).")
    if getattr(args, "objective", "revenue") != "revenue":
        raise UsageError(f"--objective {args.objective} does not work with --horizon: a plan over time maximises "
                         "revenue.")


def cmd_optimize_or_flight(args) -> int:
    """Run ``optimize``: over a horizon with ``--horizon``, else the one-period command as before.

    Parameters
    ----------
    args : argparse.Namespace
        The ``optimize`` options, with ``horizon``, ``period`` and ``after``.

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageError
        ``--period``, ``--after``, ``--limits`` or ``--min-flight`` without ``--horizon``, and every mistake of :func:`cmd_flight` or
        :func:`~planner.cli.optimize_frontier.cmd_optimize`.
    """
    if getattr(args, "horizon", None) is None:
        if getattr(args, "period", None) is not None:
            raise UsageError(f"--period {args.period} needs --horizon START:END (the dates the plan covers, e.g. "
                             "--horizon 2027-01-01:2027-12-31 --period month).")
        if getattr(args, "after", False):
            raise UsageError("--after needs --horizon START:END: it counts what a plan over time earns after "
                             "the horizon.")
        if getattr(args, "min_flight", 1) != 1:
            raise UsageError("--min-flight needs --horizon START:END: it is the shortest flight of a plan over time, "
                             "in its periods.")
        if getattr(args, "limits", None):
            raise UsageError("--limits needs --horizon START:END: its limits are per period of a plan over time "
                             "(for one quarter, --network-bounds limits each network's total).")
        return cmd_optimize(args)
    return cmd_flight(args)


def period_table(table: pd.DataFrame, after: float | None = None) -> str:
    """Return a plan's spend, expected revenue and carry-over per period as text, in money, with a total row.

    Parameters
    ----------
    table : DataFrame
        ``label, spend, response, carried`` per period (:meth:`FlightPlan.by_period`), and optionally
        ``best_spend``, ``best_response``.
    after : float, optional
        Revenue after the horizon: a last row when given.
    """
    cols = {"label": "Period", "spend": "Spend", "response": "Expected revenue", "carried": "of which carried over",
            "best_spend": "Best plan's spend", "best_response": "Best plan's revenue"}
    t = table[[c for c in cols if c in table.columns]].copy()
    total = {c: ("Total" if c == "label" else float(t[c].sum())) for c in t.columns}
    rows = [total]
    if after is not None:
        rows.append({c: ("After the horizon" if c == "label" else (after if c == "response" else np.nan))
                     for c in t.columns})
    return money_table(pd.concat([t, pd.DataFrame(rows)], ignore_index=True).rename(columns=cols))


def money_table(t: pd.DataFrame) -> str:
    """Return a table as text, its number columns in money (blank where empty), its text columns as they are."""
    blank = lambda v: "" if pd.isna(v) else money(v)  # noqa: E731
    nums = [c for c in t.columns if pd.api.types.is_numeric_dtype(t[c])]
    return t.to_string(index=False, na_rep="", formatters={c: blank for c in nums})


def cmd_flight(args) -> int:
    """Run ``optimize --horizon START:END --period week|month``: print the plan over time; write it with ``--out``.

    Parameters
    ----------
    args : argparse.Namespace
        ``curves``, ``budget`` (the total over the horizon), ``horizon``, ``period`` (default month), ``after``,
        ``spend_range``, ``risk``, ``anyway``, ``currency`` and ``out`` (``.xlsx``: finance's workbook; else
        the long CSV).

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageError
        An option a plan over time cannot honour, a budget that is not money, a file that cannot be read or
        written.
    PlannerError
        A horizon that is not two dates in order (within three years), a curve table that cannot be used,
        bounds the budget cannot meet.
    """
    from planner.curves.support import support
    from planner.flighting import parse_horizon, plan_flighting
    from planner.report.flight_limits_text import limits_sentence
    from planner.report.flight_text import availability_sentence, flight_summary, model_note, season_sentence

    _refuse_one_period_options(args)
    horizon = parse_horizon(args.horizon, args.period or "month")
    curves = curve_table(args.curves)
    show_currency(args, currency_in(curves))
    judged = support(curves)
    if judged.verdict == "none" and not args.anyway:
        raise UsageError(judged.headline() + " (--anyway plans all the same.)")
    budget = money_arg(args.budget, "The budget")
    curves, _ = shaped_curves(args, curves, budget)
    limits = read_table(args.limits, "limits") if getattr(args, "limits", None) else None
    if limits is not None:
        limits.attrs["source"] = Path(args.limits).name
    plan = plan_flighting(curves, budget, horizon, after=bool(args.after), limits=limits,
                          min_flight=getattr(args, "min_flight", 1))
    print(f"Plan over time: {horizon.label()}; the budget of {money(budget)} is the total over the horizon.")
    if limits is not None:
        print(limits_sentence(plan, curves, limits))
    for sentence in flight_summary(plan):
        print(sentence)
    if plan.total_spend > 0:
        print(f"Revenue per {money(1)} of spend in the horizon: {roas(plan.total_response / plan.total_spend)}.")
    if plan.total_spend < budget - 0.5:
        print(f"{money(budget - plan.total_spend)} of the budget is left unspent: the rows' maximum spends bind.")
    print(model_note(plan))
    for sentence in (season_sentence(curves), availability_sentence(curves, horizon)):
        if sentence:
            print(sentence)
    if judged.verdict != "sound":
        print(" ".join((*judged.sentences, "The plan is the best for these curves only.", judged.advice())))
    print()
    print(period_table(plan.by_period(), plan.after_response if plan.after else None))
    nets = plan.table.groupby("network", sort=False)[["spend", "response"]].sum().sort_values("spend", ascending=False)
    print()
    print(nets.reset_index().rename(columns={"network": "Network", "spend": "Spend", "response": "Expected revenue"})
          .to_string(index=False, formatters={"Spend": money, "Expected revenue": money}))
    if args.out:
        _write(plan, args.out)
    return 0


def _write(plan, out: str) -> None:
    from planner.report.sheets.flight_plan import flight_plan_csv, flight_workbook, wide_sheet_name

    n_rows, n_periods = plan.table["name"].nunique(), len(plan.horizon.starts())
    with writing(out) as p:
        if p.suffix.lower() == ".xlsx":
            p.write_bytes(flight_workbook(plan))
            sheets = f" (sheets Plan, {wide_sheet_name(plan)} and Summary)"
        else:
            p.write_bytes(flight_plan_csv(plan))
            sheets = ""
    print(f"\nWrote the plan over time, {things(n_rows, 'row')} x {things(n_periods, plan.horizon.period)}, to "
          f"{out}{sheets}.")


def cmd_evaluate_or_flight(args) -> int:
    """Run ``evaluate``: a plan over time against the best plan of its spend and horizon, else as before.

    Parameters
    ----------
    args : argparse.Namespace
        ``curves``, ``plan``, ``json``, ``after`` and ``currency``.

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageError
        ``--after`` with a plan that has no periods, and the mistakes of
        :func:`~planner.cli.evaluate.cmd_evaluate`.
    PlannerError
        A plan over time that cannot be read (its sentence names the sheet, row and column), a curve table
        that cannot be used.
    """
    from planner.analysis.flight_plan_file import read_plan_over_time
    from planner.data.plan_files import read_plan_file

    timed = plan = None
    if Path(args.plan).exists():
        curve_table(args.curves)  # the curve table's mistakes first, as the one-period evaluate says them
        plan = read_plan_file(args.plan)  # read once, for both readers
        timed = read_plan_over_time(plan)
    if timed is None:
        if getattr(args, "after", False):
            raise UsageError(f"--after needs a plan over time (a period column, or periods across the columns); "
                             f"{Path(args.plan).name} has no periods.")
        return cmd_evaluate(args, plan)
    if getattr(args, "quarter", None) is not None:
        raise UsageError(f"--quarter works with a one-quarter plan; {Path(args.plan).name} is a plan over time, "
                         "valued at its curves' yearly waves in each period.")
    return _evaluate_flight(args, timed)


def _evaluate_flight(args, timed) -> int:
    from planner.analysis.flight_evaluate import evaluate_plan_over_time
    from planner.report.flight_evaluation_text import comparison_sentence

    curves = curve_table(args.curves)
    show_currency(args, currency_in(curves))
    ev = evaluate_plan_over_time(curves, timed, after=bool(getattr(args, "after", False)))
    if args.json:
        ev.write_json(sys.stdout, indent=2)
        print()
        return 0
    where = f"{timed.source}, sheet '{timed.sheet}'" if timed.sheet else timed.source
    print(f"Plan over time: {ev.horizon.label()} (read from {where}).")
    later = f", and {money(ev.value.after_response)} after it from carry-over" if ev.after else ""
    ratio = f" (ROAS {roas(ev.total_response / ev.total_spend)})" if ev.total_spend > 0 else ""
    print(f"Plan: spend {money(ev.total_spend)}, expected revenue {money(ev.total_response)} in the horizon"
          f"{ratio}{later}.")
    print(comparison_sentence(ev))
    if ev.best is not None:
        print(f"No plan of this spend over this horizon can earn more than {money(ev.best.bound)}.")
    for n in ev.notes:
        print(f"NOTE: {n}")
    for w in ev.warnings:
        print(f"WARNING: {w}")
    print()
    print(period_table(ev.periods(), ev.value.after_response if ev.after else None))
    return 0
