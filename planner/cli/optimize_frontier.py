"""The commands that plan on a curve table: ``optimize`` (one budget) and ``frontier`` (many budgets).

Both take the options that shape the plan (``--network-bounds``, ``--spend-range``,
``--max-share``, ``--row-share``, ``--risk``); ``optimize --out FILE.xlsx`` writes the
finance workbook with a Frontier sheet.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.currency import currency_in
from planner.base.format import band_text, count, money, one, roas
from planner.bounds.bounds import Bounds
from planner.cli.arguments import (
    UsageError,
    as_planned,
    curve_table,
    money_arg,
    network_bounds,
    show_currency,
    writing,
)
from planner.curves.support import support
from planner.report.sentences import beyond_data_text, first_test_text, next_money_text, plan_status_text

__all__ = ["cmd_optimize", "cmd_frontier", "shaped_curves"]


def _write_allocation(alloc, curves, out: str, frontier=None, meta=None):
    from planner.report.workbook import allocation_csv, allocation_workbook

    with writing(out) as p:
        if p.suffix.lower() == ".xlsx":
            if meta is None:
                meta = {"source": "curve table", "model": "curves as given", "date": date.today().isoformat()}
            p.write_bytes(allocation_workbook(alloc, curves, frontier=frontier, meta=meta))
        else:
            p.write_bytes(allocation_csv(alloc))


def _workbook_frontier(args, curves, budget, nb):
    """Return the optimum at --frontier N budgets around the budget (0.2x to 2x) for the workbook's Frontier sheet.

    None when N = 0, or when the bounds rule out the budgets.
    """
    from planner.optimize import InfeasibleError, frontier
    from planner.report.budget_choices import budget_grid

    n = int(getattr(args, "frontier", 0) or 0)
    if n <= 0:
        return None
    budgets = list(budget_grid(budget, curves, n=n))
    floor = Bounds.from_network_frame(nb).network_floor
    budgets = [b for b in budgets if b >= floor] or [budget]
    objective = args.objective if args.objective in ("revenue", "profit") else "revenue"
    try:
        return frontier(curves, budgets, network_bounds=nb, objective=objective, margin=args.margin)
    except InfeasibleError:
        return None


def _workbook_meta(args, curves) -> dict:
    """Return where the plan came from, for the workbook's Summary."""
    from datetime import datetime

    from planner.report.export_files import period_text
    from planner.report.model_tables import model_text

    meta = {"data_source": f"curve table {Path(args.curves).name}", "model": model_text(curves),
            "period": period_text(curves)}
    if args.network_bounds:
        meta["network_bounds"] = Path(args.network_bounds).name
    shaping = [f"{flag} {value}" for flag, value in (
        ("--spend-range", getattr(args, "spend_range", None)), ("--max-share", getattr(args, "max_share", None)),
        ("--row-share", getattr(args, "row_share", None)),
        ("--risk", getattr(args, "risk", "expected") if getattr(args, "risk", "expected") != "expected" else None),
        ("--quarter", getattr(args, "quarter", None)),
        *(("--campaign-control", c) for c in getattr(args, "campaign_control", None) or []),
    ) if value is not None]
    if shaping:
        meta["constraints"] = ", ".join(shaping)
    meta["generated"] = datetime.now().replace(microsecond=0)
    return meta


def shaped_curves(args, curves, budget):
    """Apply --network-bounds, --spend-range, --max-share, --row-share and --risk to a curve table.

    Parameters
    ----------
    args : argparse.Namespace
        The plan options of :func:`planner.cli.parser.build_parser`.
    curves : DataFrame
        The curve table.
    budget : float
        The budget the shares are of.

    Returns
    -------
    (DataFrame, DataFrame or None)
        The curve table with the row bounds, and the network bounds.
    """
    from planner.bounds.presets import pessimistic

    curves = as_planned(args, curves)
    span = None
    if args.spend_range:
        try:
            low, high = (float(v) for v in args.spend_range.split(":"))
        except ValueError as exc:
            raise UsageError(f"--spend-range {args.spend_range!r} needs the form LOW:HIGH, e.g. 0.7:1.5.") from exc
        span = (low, high)
    bounds = Bounds(networks=Bounds.from_network_frame(network_bounds(args.network_bounds)).networks,
                    spend_range=span, network_share=args.max_share, row_share=args.row_share)
    curves, nb = bounds.resolve(curves, budget)
    if args.risk == "p10":
        curves = pessimistic(curves)
    return curves, nb


def cmd_optimize(args) -> int:
    """Run ``optimize``: print the best allocation of the budget and what binds it; write it with ``--out``.

    Parameters
    ----------
    args : argparse.Namespace
        The ``optimize`` options of :func:`planner.cli.parser.build_parser`: ``curves``, ``budget``,
        ``network_bounds``, ``objective`` (``revenue``, ``profit``, ``target`` or ``roas``), ``target``,
        ``margin``, ``spend_range``, ``max_share``, ``row_share``, ``risk``, ``engagement_weight``,
        ``max_creators``, ``frontier`` and ``out``.

    Returns
    -------
    int
        0; with ``--out`` the allocation is written as CSV, or as the finance workbook for ``.xlsx``.

    Raises
    ------
    UsageError
        When an option cannot be used (a budget or target that is not money, a malformed
        ``--spend-range``, ``--engagement-weight`` or ``--max-creators`` with a target objective, a
        negative ``--max-creators``, a target objective without ``--target``, a file that cannot be read
        or written).
    PlannerError
        When the curve table or a bound cannot be used (:class:`~planner.base.errors.InputError`) or no
        plan meets every bound (:class:`~planner.base.errors.InfeasibleError`).
    """
    from planner.optimize import prepare

    curves = curve_table(args.curves)
    show_currency(args, currency_in(curves))
    judged = support(curves)
    if judged.verdict == "none" and not args.anyway:
        raise UsageError(judged.headline() + " (--anyway plans all the same.)")
    budget = money_arg(args.budget, "The budget")
    plans = None  # the prepared problem, when the plan is the optimum at the budget
    weight = 0.0 if args.engagement_weight is None else money_arg(args.engagement_weight, "--engagement-weight")
    cautious = args.risk == "p10" and args.objective not in ("target", "roas")
    curves, nb = shaped_curves(argparse.Namespace(**{**vars(args), "risk": "expected"}) if cautious else args,
                               curves, budget)
    if weight and args.objective in ("target", "roas"):
        raise UsageError(f"--engagement-weight works with --objective revenue or profit, not {args.objective}.")
    if args.max_creators is not None and args.objective in ("target", "roas"):
        raise UsageError(f"--max-creators works with --objective revenue or profit, not {args.objective}.")
    if args.max_creators is not None and args.max_creators < 0:
        raise UsageError(f"--max-creators must be zero or more, not {args.max_creators}.")
    if args.objective in ("target", "roas"):
        from planner.analysis.targets import least_spend_for_revenue, most_revenue_at_roas

        if args.target is None:
            raise UsageError(f"--objective {args.objective} needs --target (a revenue for 'target', a ROAS for 'roas').")
        target = money_arg(args.target, "The target")
        solve = least_spend_for_revenue if args.objective == "target" else most_revenue_at_roas
        alloc = solve(curves, target, budget, nb)
    elif cautious:  # the plan with the highest P10; what binds and the next dollar are of the curves it was solved on
        from planner.analysis.cautious import highest_p10
        from planner.report.cautious_text import cautious_text

        cp = highest_p10(curves, budget, nb, args.objective, args.margin, weight, args.max_creators)
        print(f"Cautious plan (--risk p10). {cautious_text(cp)}")
        fitted, shown, alloc, curves = curves, cp.plan, cp.solved, cp.curves
        plans = prepare(curves, network_bounds=nb, objective=args.objective, margin=args.margin,
                        engagement_weight=weight, max_creators=args.max_creators)
    else:
        plans = prepare(curves, network_bounds=nb, objective=args.objective, margin=args.margin,
                        engagement_weight=weight, max_creators=args.max_creators)
        alloc = plans.solve(budget)
    t = alloc.table
    if not cautious:
        shown, fitted = alloc, curves  # the plan shown and the curves it is valued on
    print(f"Budget {money(budget)}: spend {money(shown.total_spend)}, expected revenue "
          f"{money(shown.total_response)} (ROAS {roas(shown.total_response / max(shown.total_spend, 1e-9))}).")
    if np.isfinite(shown.response_p10):
        print("Expected revenue, " + band_text(shown.response_p10, shown.response_p50, shown.response_p90,
                                               shown.response_mean, shown.selection_allowance))
    if np.isfinite(shown.total_current_response):
        print(f"Current plan: spend {money(shown.total_current_spend)}, revenue {money(shown.total_current_response)}.")
    print(plan_status_text(alloc, judged))
    if judged.verdict != "sound":
        print(" ".join(filter(None, (*judged.sentences, judged.advice(), first_test_text(shown, fitted, judged)))))
    beyond = beyond_data_text(shown)
    if beyond:
        print(beyond)
    if args.max_creators is not None:
        print(f"Creators hired: {alloc.creators_hired:,} (at most {args.max_creators:,}).")
    if weight:  # what valuing engagement costs: against the same plan for revenue (or profit) alone
        from planner.report.sentences import engagement_trade

        print(engagement_trade(alloc, plans.solve(budget, engagement_weight=0.0, selection=False)))
    elif np.isfinite(alloc.engagements):
        print(f"Expected engagements: {count(alloc.engagements)}.")
    print(f"The next {one()} of budget would return {roas(alloc.budget_value)}"
          + (" of revenue and engagement value." if weight else "."))
    from planner.analysis.insights import binding_constraints, next_money

    print(next_money_text(next_money(curves, alloc, network_bounds=nb, plans=plans)))
    for sentence in binding_constraints(curves, alloc, network_bounds=nb)["sentence"]:
        print(sentence)
    print()
    print(alloc.network_table[["network", "spend", "response"]].to_string(
        index=False, formatters={"spend": money, "response": money}))
    _print_bookings(alloc, curves)
    if args.out:
        front = _workbook_frontier(args, curves, budget, nb) if Path(args.out).suffix.lower() == ".xlsx" else None
        _write_allocation(shown, fitted, args.out, frontier=front, meta=_workbook_meta(args, curves))
        extra = f" with the best revenue at {len(front)} budgets (sheet Frontier)" if front is not None else ""
        print(f"\nWrote the allocation of {len(t)} rows to {args.out}{extra}.")
    return 0


def _print_bookings(alloc, curves) -> None:
    """Print the creators the plan books: spend, posts and campaigns in the period (nothing without creators)."""
    from planner.report.plan_tables import bookings

    booked = bookings(alloc, curves)
    if booked.empty:
        return
    blank = lambda fmt: (lambda v: "" if v is None or v is pd.NA or not np.isfinite(float(v)) else fmt(v))  # noqa: E731
    print("\nCreators booked for the period (posts in campaigns, as each creator usually runs them):")
    print(booked.to_string(index=False, formatters={
        "Spend": money, "Posts": blank(lambda v: f"{int(v):,}"), "Campaigns": blank(lambda v: f"{int(v):,}"),
        "Posts per campaign": blank(lambda v: f"{float(v):.1f}")}))


def _budgets(spec: str) -> np.ndarray:
    parts = spec.split(":")
    if len(parts) != 3:
        raise UsageError(f"--budgets {spec!r} needs the form LO:HI:N, e.g. 50000:500000:20.")
    lo, hi = money_arg(parts[0], "The lowest budget"), money_arg(parts[1], "The highest budget")
    try:
        n = int(parts[2])
    except ValueError as exc:
        raise UsageError(f"--budgets: N must be a whole number, not {parts[2]!r}.") from exc
    if n < 1 or hi < lo or lo < 0:
        raise UsageError("--budgets needs 0 <= LO <= HI and N >= 1.")
    return np.linspace(lo, hi, n)


def cmd_frontier(args) -> int:
    """Run ``frontier``: print the optimum's expected return at each budget of LO:HI:N; write it with ``--out``.

    Parameters
    ----------
    args : argparse.Namespace
        The ``frontier`` options: ``curves``, ``budgets`` (``LO:HI:N``), ``network_bounds``, ``objective``,
        ``margin``, ``spend_range``, ``max_share``, ``row_share``, ``risk`` and ``out``. Share caps are
        taken of the highest budget.

    Returns
    -------
    int
        0; the table is printed with the spend beyond which the next dollar returns less than a dollar,
        and written with ``--out`` (``.xlsx``: a sheet Frontier; else CSV).

    Raises
    ------
    UsageError
        When ``--budgets`` is not ``LO:HI:N`` with ``0 <= LO <= HI`` and ``N >= 1``, another option cannot
        be used, or a file cannot be read or written.
    PlannerError
        When the curve table or a bound cannot be used, or the bounds cannot hold at a budget.
    """
    from planner.base.safe_text import write_csv, write_xlsx_table
    from planner.optimize import breakeven_budget, frontier

    curves = curve_table(args.curves)
    show_currency(args, currency_in(curves))
    budgets = _budgets(args.budgets)
    curves, nb = shaped_curves(args, curves, float(budgets.max()))
    f = frontier(curves, budgets, network_bounds=nb, objective=args.objective, margin=args.margin)
    print(f.to_string(index=False, formatters={
        "budget": money, "spend": money, "response": money, "marginal_return": roas,
        "response_p10": money, "response_p90": money}))
    print(f"\nBeyond a total spend of {money(breakeven_budget(curves, nb))} the next {one()} returns less than {one()}.")
    if args.out:
        with writing(args.out) as out:
            if out.suffix.lower() == ".xlsx":
                write_xlsx_table({"Frontier": f}, out)
            else:
                write_csv(f, out)
        print(f"Wrote {len(f)} budgets to {args.out}.")
    return 0
