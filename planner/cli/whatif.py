"""``python -m planner whatif``: move one network's or creator's spend in the best plan and read the effect."""

from __future__ import annotations

import math

from planner.base.currency import currency_in
from planner.base.format import format_table
from planner.cli.arguments import UsageError, curve_table, money_arg, show_currency, writing
from planner.cli.optimize_frontier import shaped_curves
from planner.report.whatif_text import held_text, move_text, replanned_text, what_if_table

__all__ = ["cmd_whatif", "parse_change"]


def parse_change(text: str) -> float:
    """Read ``--change`` in per cent (``"+20%"``, ``"-50"``, ``"12.5 %"``) as a fraction (``0.2``).

    Parameters
    ----------
    text : str
        The option's value.

    Returns
    -------
    float
        The change as a fraction of today's plan spend.

    Raises
    ------
    UsageError
        When it is not a number of per cent, or takes away more than 100 %.
    """
    raw = str(text).strip().replace(" ", "").rstrip("%")
    try:
        value = float(raw) / 100.0
    except ValueError:
        raise UsageError(f"--change {text!r} needs a change in per cent, e.g. +20% or -50%.") from None
    if not math.isfinite(value) or value < -1:
        raise UsageError(f"--change {text!r} must be a change in per cent of -100% or more.")
    return value


def cmd_whatif(args) -> int:
    """Run ``whatif``: the best plan at the budget, then one network or creator moved, read two ways.

    Parameters
    ----------
    args : argparse.Namespace
        ``curves``, ``budget``, ``target`` and one of ``change`` (per cent), ``spend`` (an amount) or ``lock``
        (today's spend), the plan options (network bounds, objective, margin, ...) and ``out``.

    Returns
    -------
    int
        0; the sentences and the table per network are printed; ``--out`` writes the spend per row.

    Raises
    ------
    UsageError
        When not exactly one of ``--change``, ``--spend`` and ``--lock`` is given.
    PlannerError
        When the target is not in the curve table, ``--lock`` is asked of a target without today's spend, or
        no plan meets the bounds.
    """
    from planner.analysis.whatif import what_if
    from planner.optimize import optimize

    given = [x for x in (args.change, args.spend, args.lock or None) if x is not None]
    if len(given) != 1:
        raise UsageError("Say how the target moves with exactly one of --change (per cent), --spend (an amount) "
                         "or --lock (today's spend).")
    curves = curve_table(args.curves)
    show_currency(args, currency_in(curves))
    budget = money_arg(args.budget, "The budget")
    curves, nb = shaped_curves(args, curves, budget)
    change = parse_change(args.change) if args.change is not None else None
    spend = money_arg(args.spend, "--spend") if args.spend is not None else None
    base = optimize(curves, budget, nb, objective=args.objective, margin=args.margin)
    w = what_if(curves, base, args.target, spend=spend, change=change, lock=args.lock, network_bounds=nb)
    print(move_text(w))
    print(held_text(w))
    print(replanned_text(w))
    print()
    table = what_if_table(w)
    shown = format_table(table, [c for c in ("Plan", "Rest held", "Rest re-planned") if c in table],
                         signed_money_cols=["Change, re-planned"])
    print(shown.to_string(index=False))
    if args.out:
        with writing(args.out) as out:
            w.table().to_csv(out, index=False)
        print(f"\nWrote the spend per row (plan, rest held, rest re-planned) to {args.out}.")
    return 0
