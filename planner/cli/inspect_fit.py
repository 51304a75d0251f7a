"""The commands that read data: ``inspect`` (import and validate) and ``fit`` (write the curve table)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from planner.base.currency import COLUMN as CURRENCY_COLUMN
from planner.base.format import money, things
from planner.cli.arguments import (
    UsageError,
    find_roster,
    load_all,
    load_data,
    parse_map,
    read_all,
    read_table,
    show_currency,
    writing,
)
from planner.report.data_tables import skipped_runs

if TYPE_CHECKING:
    from planner.data.dataset import Dataset

__all__ = ["cmd_inspect", "cmd_fit"]


def _plan_summary(path: str) -> dict | None:
    """Summarise a spend plan (entity + spend, no dates or outcomes), or return None if the file is not one."""
    from planner.data.plans import PlanError, read_plan

    try:
        plan = read_plan(path)
    except PlanError:
        return None
    if plan.empty:
        return None
    by_net = plan.groupby("network", sort=False)["spend"].sum()
    return {
        "kind": "plan", "rows": int(len(plan)), "periods": 0, "networks": list(by_net.index),
        "spend_by_network": {k: round(float(v), 2) for k, v in by_net.items()}, "outcome_totals": {},
        "errors": [], "warnings": [], "source": Path(path).name,
        "description": f"a spend plan of {money(plan['spend'].sum())} over {len(plan)} rows and "
                       f"{len(by_net)} networks (no dates or results: value it with `evaluate`)",
    }


def _code_files(paths, decimal):
    """Read the ``--codes`` files: promo-code reports, each; a file that is none is refused."""
    from planner.data.code_report import read_code_report

    out = []
    for path in paths or []:
        if not Path(path).exists():
            raise UsageError(f"The file {path} does not exist.")
        report = read_code_report(Path(path), decimal=decimal)
        if report is None:
            raise UsageError(f"{Path(path).name} is not a promo-code report: it needs a code column (such as "
                             '"Discount code") and a sales column (such as "Net sales"), and no spend column.')
        out.append(report)
    return out


def _alone(args, found, summary: dict, advice: str) -> int:
    """Print a file that is half of a pair (a report, sales) and what to give with it; 1 when it has errors."""
    summary = {**summary, "source": found.source, "sheet": found.sheet, "rows": int(len(found.table)),
               "outcome_total": round(float(found.table["outcome"].sum()), 2), "description": found.describe(),
               "errors": [i.as_dict() for i in found.issues if i.severity == "error"],
               "warnings": [i.as_dict() for i in found.issues if i.severity == "warning"]}
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"{found.source}: {found.describe()}.")
        print(advice)
        for issue in found.issues:
            print(f"{issue.severity.upper()}: {issue}")
    return 1 if found.has_errors else 0


def _report_alone(args, path: str) -> int | None:
    """Describe a promo-code report given as DATA (and say to load it with the tracker); None if it is not one."""
    from planner.data.code_report import is_code_report, read_code_report

    if not is_code_report(Path(path)):
        return None
    report = read_code_report(Path(path), decimal=args.decimal)
    return _alone(args, report, {
        "kind": "promo-code report", "codes": int(report.table["key"].nunique()),
        "first": None if report.first is None else str(report.first.date()),
        "last": None if report.last is None else str(report.last.date())},
        "It has no fees: give it with the creators' tracker, whose promo-code column says which campaign each "
        f"sale is (`inspect TRACKER --codes {report.source}`, or both files to `fit`).")


def _sales_alone(args, path: str) -> int | None:
    """Describe a shop's sales over time given as DATA (and say to load the spend exports with it); None if not."""
    from planner.data.sales_file import is_sales_file, read_sales

    if not is_sales_file(Path(path)):
        return None
    sales = read_sales(Path(path), decimal=args.decimal)
    return _alone(args, sales, {
        "kind": "sales over time", "step": sales.step, "outcome": sales.outcome_header,
        "first": str(sales.first.date()), "last": str(sales.last.date())},
        "It has no spend: give it with the ad platforms' spend exports (spend by day, without revenue), "
        f"`inspect EXPORT ... {sales.source}` or all of them to `fit`, and the marketing-mix model splits its "
        "sales across the networks.")


def _together(args) -> Dataset:
    """Read several DATA files that make one table: spend exports with the shop's sales, a tracker with its reports.

    Raises
    ------
    UsageError
        When they read as more than one table (inspect describes one).
    """
    found, _ = read_all(args, _code_files(getattr(args, "codes", None), args.decimal))
    if len(found) != 1:
        raise UsageError(f"These files read as {len(found)} tables ({', '.join(ds.source for ds in found)}); `inspect` "
                         "describes one at a time (or spend exports with the shop's sales over time, which read as "
                         "one): inspect each on its own, or give them all to `fit`.")
    return found[0]


def cmd_inspect(args) -> int:
    """Run ``inspect``: print what a spreadsheet holds and every problem; return 1 when errors stop the import.

    A file with no data rows that reads as a spend plan (no ``--map``) is described as a plan instead.

    Parameters
    ----------
    args : argparse.Namespace
        ``data`` (one path), ``sheet``, ``map``, ``decimal``, ``json`` and, when present, ``roster``.

    Returns
    -------
    int
        1 when the import has errors, else 0.

    Raises
    ------
    UsageError
        When the file (or the ``--roster`` file) does not exist or a ``--map`` has no ``=``.
    DataError
        When the file cannot be read at all.
    """
    paths = list(args.data) if isinstance(args.data, list) else [args.data]
    if len(paths) > 1:
        return _show(args, _together(args))
    path = paths[0]
    reports = _code_files(getattr(args, "codes", None), args.decimal)
    if not reports and not args.map and Path(path).exists():
        for alone in (_report_alone, _sales_alone):
            said = alone(args, path)
            if said is not None:
                return said
    ds = load_data(path, args.sheet, parse_map(args.map), args.decimal, reports)
    waits_for_codes = any(f == "code" for _, f in ds.mapping)  # a tracker whose revenue is a promo-code report's
    if len(ds.rows) == 0 and not args.map and not waits_for_codes:
        plan = _plan_summary(path)
        if plan is not None:
            if args.json:
                print(json.dumps(plan, indent=2))
            else:
                print(f"{plan['source']}: {plan['description']}.")
                for net, amount in plan["spend_by_network"].items():
                    print(f"  {net:<20} {money(amount):>14}")
            return 0
    return _show(args, ds)


def _show(args, ds: Dataset) -> int:
    """Print what a Dataset holds and every problem (JSON with ``--json``); 1 when it has errors."""
    shown = show_currency(args, ds.currency)
    summary = ds.summary()
    roster = find_roster(args)  # a roster sheet beside the data is reported too
    if roster is not None and roster.sheet != ds.sheet:
        summary["roster"] = {"sheet": roster.sheet, "creators": len(roster.table), "description": roster.describe(),
                             "warnings": [i.as_dict() for i in roster.issues]}
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        where = "" if ds.joined else f" (sheet {ds.sheet})"
        print(f"{ds.source}{where}: {ds.describe().rstrip('.')}.")
        if ds.currency:
            print(f"Amounts in {shown.name} ({shown.code}), as {ds.currency_from} says.")
        else:
            print(f"The file does not say its currency; amounts are written in {shown.name} ({shown.code}).")
        if "roster" in summary:
            print(f"Roster (sheet {roster.sheet}): {roster.describe()}; `fit` uses it for each creator's cost per "
                  "post and maximum posts.")
            for issue in roster.issues:
                print(f"{issue.severity.upper()}: {issue}")
        print("Spend by network:")
        for net, amount in summary["spend_by_network"].items():
            print(f"  {net:<20} {money(amount):>14}")
        for name, total in summary["outcome_totals"].items():
            print(f"Total {name}: {money(total)}")
        if len(ds.skipped):
            print(f"{things(len(ds.skipped), 'row')} left out:")
            for sheet, rows, reason in skipped_runs(ds.skipped):
                print(f"  sheet {sheet}, {rows}: {reason}")
        for issue in ds.errors + ds.warnings:
            print(f"{issue.severity.upper()}: {issue}")
    return 1 if ds.has_errors else 0


def cmd_fit(args) -> int:
    """Run ``fit``: fit a curve per network and creator (with the roster, if any) and write the curve table.

    Parameters
    ----------
    args : argparse.Namespace
        ``data`` (a list of paths), ``sheet``, ``map``, ``decimal``, ``bootstrap``, ``seed``, ``time_budget``
        (seconds; what the fit left out to keep within it is printed), ``roster`` and ``out`` (the curve table
        to write: ``.xlsx`` or CSV).

    Returns
    -------
    int
        0; the curve table is written to ``args.out``.

    Raises
    ------
    UsageError
        When a file does not exist, a file's import has errors (they are printed to stderr first), a
        ``--map`` has no ``=``, ``--time-budget`` is below 0, or ``--out`` cannot be written.
    DataError
        When a file cannot be read at all.
    """
    from planner.curves.files import write_curves
    from planner.fit.budget import NOTES as FIT_NOTES
    from planner.fit.pipeline import fit_curves

    datasets = load_all(args, "fitting")
    tested = None
    if args.experiments:  # measured lifts calibrate the marketing-mix model (DESIGN.md, contract 2)
        from planner.data.experiments import check_experiments

        tested = check_experiments(read_table(args.experiments, "experiments"), Path(args.experiments).name)
    if not args.time_budget >= 0:  # NaN too
        raise UsageError(f"--time-budget must be 0 or more seconds; {args.time_budget:g} is not.")
    curves = fit_curves(datasets, n_boot=args.bootstrap, seed=args.seed, experiments=tested,
                        time_budget=args.time_budget)
    for note in curves.attrs.get(FIT_NOTES, []):  # what the fit left out to keep within its time budget
        print(note)
    if tested is not None:
        heavy = int(tested["spend_tested"].notna().sum()) if "spend_tested" in tested.columns else 0
        kinds = f" ({things(len(tested) - heavy, 'holdout')}, {things(heavy, 'heavy-up')})" if heavy else ""
        print(f"Calibrated the marketing-mix model with {things(len(tested), 'experiment')}{kinds} from "
              f"{Path(args.experiments).name}.")
    shown = show_currency(args, next((ds.currency for ds in datasets if ds.currency), None))
    if args.currency:  # the curve table says what its amounts are in, for every command that reads it
        curves[CURRENCY_COLUMN] = shown.code
    roster = find_roster(args)
    if roster is not None:  # each creator's cost per post, posts allowed and commission
        from planner.data.roster_match import roster_issues
        from planner.fit.roster import apply_roster

        print(f"Roster ({roster.source}, sheet {roster.sheet}): {roster.describe()}.")
        for issue in roster.issues + roster_issues(curves, roster):
            print(f"{issue.severity.upper()}: {issue}")
        curves = apply_roster(curves, roster, datasets)
    with writing(args.out) as out:
        write_curves(curves, out)
    print(f"Wrote {len(curves)} response curves ({', '.join(sorted(curves['network'].unique()))}) to {args.out}.")
    return 0
