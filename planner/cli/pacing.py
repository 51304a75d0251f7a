"""``python -m planner pace``: a plan over time against the spend to date, and the rest re-planned.

Reads the plan (the file ``optimize --horizon`` writes, or finance's layout with the months or weeks
across the columns) and the actual spend to date (an ad-platform export, the team's sheet, or a sheet of
actuals by month), prints the spend to date against the plan per period and per network (ahead, on pace,
behind), what the money left is re-planned to and what the horizon is then expected to bring; ``--out``
writes the rows (plan, spent, re-planned rest per row and period) as CSV.
"""

from __future__ import annotations

from datetime import date

from planner.base.currency import currency_in
from planner.cli.arguments import UsageError, curve_table, money_arg, show_currency, writing

__all__ = ["cmd_pace"]

STATUS_WORDS = {"ahead": "ahead", "behind": "behind", "on pace": "on pace", "to come": ""}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--as-of {text!r} is not a date; write it as YYYY-MM-DD, for example 2027-02-14.") from None


def cmd_pace(args) -> int:
    """Run ``pace``: print the spend to date against the plan and the re-planned rest; write the rows with ``--out``.

    Parameters
    ----------
    args : argparse.Namespace
        ``curves``, ``plan``, ``actuals``, ``as_of`` (optional), ``budget`` (optional: default the plan's
        total), ``after``, ``currency`` and ``out``.

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageError
        A plan without periods, a date or budget that cannot be read, a file that cannot be written.
    PlannerError
        A plan or actuals file that cannot be read (the sentence names the sheet, row and column), a curve
        table that cannot be used, a pacing day before the plan starts.
    """
    from planner.analysis.actuals_file import read_actuals
    from planner.analysis.flight_plan_file import read_plan_over_time
    from planner.analysis.pacing import pace
    from planner.cli.flighting import money_table
    from planner.report.pacing_text import (
                network_status,
        pacing_csv,
        pacing_headline,
        period_view,
        rest_sentence,
        status_sentence,
    )

    curves = curve_table(args.curves)
    show_currency(args, currency_in(curves))
    plan = read_plan_over_time(args.plan)
    if plan is None:
        raise UsageError(f"{args.plan} has no periods: pacing needs a plan over time (a period column, or the months "
                         "or weeks across the columns), such as optimize --horizon writes.")
    actuals = read_actuals(args.actuals)
    budget = money_arg(args.budget, "The budget") if args.budget is not None else None
    p = pace(curves, plan.table, plan.horizon, actuals, as_of=_day(args.as_of) if args.as_of else None,
             budget=budget, after=bool(args.after), min_flight=getattr(args, "min_flight", 1))
    print(f"Pacing {plan.source}: {plan.horizon.label()}, with the spend to date from {actuals.source}.")
    print(pacing_headline(p))
    print(status_sentence(p))
    print(rest_sentence(p))
    for n in p.notes:
        print(f"NOTE: {n}")
    for w in p.warnings:
        print(f"WARNING: {w}")
    print()
    view = period_view(p)
    view["Status"] = view["Status"].map(lambda s: STATUS_WORDS.get(s, s))
    print(money_table(view))
    print()
    nets = network_status(p)[["network", "planned_to_date", "actual", "difference", "status", "rest"]].rename(
        columns={"network": "Network", "planned_to_date": "Plan to date", "actual": "Spent",
                 "difference": "Difference", "status": "Status", "rest": "Re-planned rest"})
    print(money_table(nets))
    if args.out:
        with writing(args.out) as path:
            path.write_bytes(pacing_csv(p))
        print(f"\nWrote the spend per row and {plan.horizon.period} (plan, spent, re-planned rest) to {args.out}.")
    return 0
