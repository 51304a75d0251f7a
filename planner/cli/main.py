"""Command line of the planner (DESIGN.md, contract 2).

    python -m planner inspect DATA [--sheet S] [--map "SOURCE=FIELD" ...] [--json]
    python -m planner fit DATA [DATA ...] [--sheet S] [--map ...] --out curves.csv
    python -m planner optimize --curves CURVES --budget B [--network-bounds FILE]
                               [--objective revenue|profit --margin M] [--out FILE.csv|FILE.xlsx]
                               [--engagement-weight W] [--max-creators N]
    python -m planner frontier --curves CURVES --budgets LO:HI:N [--out FILE]
    python -m planner evaluate --curves CURVES --plan PLAN.xlsx [--json]

A user's mistake ends with one sentence on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from planner.base.format import count, interval_text, money, roas

EPILOG = "Money is in the data's currency; every curve is the response to spend in one quarter."


class UsageError(ValueError):
    """A command-line argument that cannot be used."""


def _parse_map(items: list[str] | None) -> dict[str, str]:
    mapping = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f'--map "{item}" needs the form "SOURCE COLUMN=FIELD", e.g. --map "Fee paid=spend".')
        src, field = item.rsplit("=", 1)
        mapping[src.strip()] = field.strip()
    return mapping


def _load(path: str, sheet: str | None, mapping: dict, decimal: str | None = None):
    from planner.data.ingest import load

    p = Path(path)
    if not p.exists():
        raise UsageError(f"The file {path} does not exist.")
    return load(p, sheet=sheet, mapping=mapping or None, decimal=decimal)


def _find_roster(args):
    """The roster: --roster FILE, else the first roster sheet in a DATA workbook, else None."""
    from planner.data.roster import find_roster, load_roster

    if getattr(args, "roster", None):
        if not Path(args.roster).exists():
            raise UsageError(f"The roster file {args.roster} does not exist.")
        return load_roster(args.roster)
    paths = args.data if isinstance(args.data, list) else [args.data]
    for path in paths:
        if Path(path).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            roster = find_roster(path)
            if roster is not None:
                return roster
    return None


def _read_table(path: str, what: str) -> pd.DataFrame:
    p = Path(path)
    if not p.exists():
        raise UsageError(f"The {what} file {path} does not exist.")
    try:
        if p.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(p, engine="openpyxl")
        return pd.read_csv(p, encoding="utf-8-sig")
    except Exception as exc:  # a damaged file is the user's mistake
        raise UsageError(f"The {what} file {p.name} could not be read ({exc}).") from exc


def _curves(path: str) -> pd.DataFrame:
    from planner.curves.table import read_curves

    return read_curves(path)


def _money_arg(text: str, what: str) -> float:
    from planner.data.values import parse_number

    try:
        value = parse_number(str(text))
    except ValueError:
        value = None
    if value is None or not np.isfinite(value):
        raise UsageError(f"{what} {text!r} is not an amount of money.")
    return float(value)


# ----------------------------------------------------------------------------- commands


def _plan_summary(path: str) -> dict | None:
    """A spend plan (entity + spend, no dates or outcomes) summarised, or None if the file is not one."""
    from planner.data.plans import read_plan

    try:
        plan = read_plan(path)
    except ValueError:
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


def cmd_inspect(args) -> int:
    ds = _load(args.data, args.sheet, _parse_map(args.map), args.decimal)
    if len(ds.rows) == 0 and not args.map:
        plan = _plan_summary(args.data)
        if plan is not None:
            if args.json:
                print(json.dumps(plan, indent=2))
            else:
                print(f"{plan['source']}: {plan['description']}.")
                for net, amount in plan["spend_by_network"].items():
                    print(f"  {net:<20} {money(amount):>14}")
            return 0
    summary = ds.summary()
    roster = _find_roster(args)  # a roster sheet beside the data is reported too
    if roster is not None and roster.sheet != ds.sheet:
        summary["roster"] = {"sheet": roster.sheet, "creators": len(roster.table), "description": roster.describe(),
                             "warnings": [i.as_dict() for i in roster.issues]}
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        print(f"{ds.source} (sheet {ds.sheet}): {ds.describe().rstrip('.')}.")
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
            print(f"{len(ds.skipped)} row(s) left out:")
            for r in ds.skipped.itertuples():
                print(f"  sheet {r.sheet}, row {r.row}: {r.reason}")
        for issue in ds.errors + ds.warnings:
            print(f"{issue.severity.upper()}: {issue}")
    return 1 if ds.has_errors else 0


def cmd_fit(args) -> int:
    from planner.curves.table import write_curves
    from planner.fit.pipeline import fit_curves

    mapping = _parse_map(args.map)
    datasets = []
    for path in args.data:
        ds = _load(path, args.sheet, mapping, args.decimal)
        if ds.has_errors:
            for issue in ds.errors:
                print(f"ERROR: {issue}", file=sys.stderr)
            raise UsageError(f"{Path(path).name} has {len(ds.errors)} error(s); fix them before fitting.")
        datasets.append(ds)
    curves = fit_curves(datasets, n_boot=args.bootstrap, seed=args.seed)
    roster = _find_roster(args)
    if roster is not None:  # each creator's cost per post, posts allowed and commission
        from planner.data.roster import apply_roster, roster_issues

        print(f"Roster ({roster.source}, sheet {roster.sheet}): {roster.describe()}.")
        for issue in roster.issues + roster_issues(curves, roster):
            print(f"{issue.severity.upper()}: {issue}")
        curves = apply_roster(curves, roster, datasets)
    write_curves(curves, args.out)
    print(f"Wrote {len(curves)} response curves ({', '.join(sorted(curves['network'].unique()))}) to {args.out}.")
    return 0


def _network_bounds(path: str | None):
    return None if path is None else _read_table(path, "network bounds")


def _write_allocation(alloc, curves, out: str, frontier=None, meta=None):
    from planner.report.workbook import allocation_csv, allocation_workbook

    p = Path(out)
    if p.suffix.lower() == ".xlsx":
        if meta is None:
            meta = {"source": "curve table", "model": "curves as given", "date": date.today().isoformat()}
        p.write_bytes(allocation_workbook(alloc, curves, frontier=frontier, meta=meta))
    else:
        p.write_bytes(allocation_csv(alloc))


def _workbook_frontier(args, curves, budget, nb):
    """The optimum at --frontier N budgets around the budget (0.2x to 2x) for the workbook's
    Frontier sheet, or None (N = 0, or the bounds rule out the budgets)."""
    from planner.optimize.solver import InfeasibleError, frontier
    from planner.report.views import budget_grid

    n = int(getattr(args, "frontier", 0) or 0)
    if n <= 0:
        return None
    budgets = list(budget_grid(budget, curves, n=n))
    if nb is not None and "min_spend" in nb.columns:
        floor = float(np.nansum(pd.to_numeric(nb["min_spend"], errors="coerce")))
        budgets = [b for b in budgets if b >= floor] or [budget]
    objective = args.objective if args.objective in ("revenue", "profit") else "revenue"
    try:
        return frontier(curves, budgets, network_bounds=nb, objective=objective, margin=args.margin)
    except InfeasibleError:
        return None


def _workbook_meta(args, curves) -> dict:
    """Where the plan came from, for the workbook's Summary."""
    from datetime import datetime

    from planner.report.views import model_text

    meta = {"data_source": f"curve table {Path(args.curves).name}", "model": model_text(curves)}
    if args.network_bounds:
        meta["network_bounds"] = Path(args.network_bounds).name
    shaping = [f"{flag} {value}" for flag, value in (
        ("--spend-range", getattr(args, "spend_range", None)), ("--max-share", getattr(args, "max_share", None)),
        ("--row-share", getattr(args, "row_share", None)),
        ("--risk", getattr(args, "risk", "expected") if getattr(args, "risk", "expected") != "expected" else None),
    ) if value is not None]
    if shaping:
        meta["constraints"] = ", ".join(shaping)
    meta["generated"] = datetime.now().replace(microsecond=0)
    return meta


def _shaped(args, curves, budget):
    """Apply --spend-range, --max-share, --row-share and --risk to the curve table and network bounds."""
    from planner.bounds.presets import max_share, pessimistic, spend_range

    nb = _network_bounds(args.network_bounds)
    if args.spend_range:
        try:
            low, high = (float(v) for v in args.spend_range.split(":"))
        except ValueError as exc:
            raise UsageError(f"--spend-range {args.spend_range!r} needs the form LOW:HIGH, e.g. 0.7:1.5.") from exc
        curves = spend_range(curves, low, high)
    if args.max_share is not None or args.row_share is not None:
        curves, nb = max_share(curves, budget, args.max_share, args.row_share, nb)
    if args.risk == "p10":
        curves = pessimistic(curves)
    return curves, nb


def cmd_optimize(args) -> int:
    from planner.optimize.solver import optimize

    curves = _curves(args.curves)
    budget = _money_arg(args.budget, "The budget")
    weight = 0.0 if args.engagement_weight is None else _money_arg(args.engagement_weight, "--engagement-weight")
    curves, nb = _shaped(args, curves, budget)
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
        target = _money_arg(args.target, "The target")
        solve = least_spend_for_revenue if args.objective == "target" else most_revenue_at_roas
        alloc = solve(curves, target, budget, nb)
    else:
        alloc = optimize(curves, budget, network_bounds=nb, objective=args.objective, margin=args.margin,
                         engagement_weight=weight, max_creators=args.max_creators)
    t = alloc.table
    print(f"Budget {money(budget)}: spend {money(alloc.total_spend)}, expected revenue "
          f"{money(alloc.total_response)} (ROAS {roas(alloc.total_response / max(alloc.total_spend, 1e-9))}).")
    if np.isfinite(alloc.response_p10):
        print(f"Expected revenue, {interval_text(alloc.response_p10, alloc.response_p50, alloc.response_p90)}.")
    if np.isfinite(alloc.total_current_response):
        print(f"Current plan: spend {money(alloc.total_current_spend)}, revenue {money(alloc.total_current_response)}.")
    print(alloc.message)
    if args.max_creators is not None:
        from planner.curves.table import is_creator

        hired = int(((t["spend"] > 0).to_numpy() & is_creator(t["name"])).sum())
        print(f"Creators hired: {hired:,} (at most {args.max_creators:,}).")
    if weight:  # what valuing engagement costs: against the same plan for revenue (or profit) alone
        from planner.report.views import engagement_trade

        print(engagement_trade(alloc, optimize(curves, budget, network_bounds=nb, objective=args.objective,
                                               margin=args.margin, max_creators=args.max_creators)))
    elif np.isfinite(alloc.extra.get("engagements", np.nan)):
        print(f"Expected engagements: {count(alloc.extra['engagements'])}.")
    print(f"The next dollar of budget would return {roas(alloc.budget_value)}"
          + (" of revenue and engagement value." if weight else "."))
    from planner.analysis.insights import binding_constraints, next_money

    print(next_money(curves, alloc, network_bounds=nb).attrs["sentence"])
    for sentence in binding_constraints(curves, alloc, network_bounds=nb)["sentence"]:
        print(sentence)
    print()
    print(alloc.network_table[["network", "spend", "response"]].to_string(
        index=False, formatters={"spend": money, "response": money}))
    if args.out:
        front = _workbook_frontier(args, curves, budget, nb) if Path(args.out).suffix.lower() == ".xlsx" else None
        _write_allocation(alloc, curves, args.out, frontier=front, meta=_workbook_meta(args, curves))
        extra = f" with the best revenue at {len(front)} budgets (sheet Frontier)" if front is not None else ""
        print(f"\nWrote the allocation of {len(t)} rows to {args.out}{extra}.")
    return 0


def _budgets(spec: str) -> np.ndarray:
    parts = spec.split(":")
    if len(parts) != 3:
        raise UsageError(f"--budgets {spec!r} needs the form LO:HI:N, e.g. 50000:500000:20.")
    lo, hi = _money_arg(parts[0], "The lowest budget"), _money_arg(parts[1], "The highest budget")
    try:
        n = int(parts[2])
    except ValueError as exc:
        raise UsageError(f"--budgets: N must be a whole number, not {parts[2]!r}.") from exc
    if n < 1 or hi < lo or lo < 0:
        raise UsageError("--budgets needs 0 <= LO <= HI and N >= 1.")
    return np.linspace(lo, hi, n)


def cmd_frontier(args) -> int:
    from planner.base.safe_text import write_csv, write_xlsx_table
    from planner.optimize.solver import breakeven_budget, frontier

    curves = _curves(args.curves)
    budgets = _budgets(args.budgets)
    curves, nb = _shaped(args, curves, float(budgets.max()))
    f = frontier(curves, budgets, network_bounds=nb, objective=args.objective, margin=args.margin)
    print(f.to_string(index=False, formatters={
        "budget": money, "spend": money, "response": money, "marginal_return": roas,
        "response_p10": money, "response_p90": money}))
    print(f"\nBeyond a total spend of {money(breakeven_budget(curves))} the next dollar returns less than a dollar.")
    if args.out:
        if Path(args.out).suffix.lower() == ".xlsx":
            write_xlsx_table({"Frontier": f}, args.out)
        else:
            write_csv(f, args.out)
        print(f"Wrote {len(f)} budgets to {args.out}.")
    return 0


def cmd_evaluate(args) -> int:
    from planner.analysis.evaluate import evaluate_plan
    from planner.data.plans import read_plan

    curves = _curves(args.curves)
    if not Path(args.plan).exists():
        raise UsageError(f"The plan file {args.plan} does not exist.")
    ev = evaluate_plan(curves, read_plan(args.plan))
    if args.json:
        print(json.dumps(ev.to_json(), indent=2))
        return 0
    def interval(p10, p50, p90) -> str:
        text = interval_text(p10, p50, p90)
        return f" ({text})" if text else ""

    print(f"Plan: spend {money(ev.total_spend)}, expected revenue {money(ev.total_response)}"
          f"{interval(ev.response_p10, ev.response_p50, ev.response_p90)}, ROAS {roas(ev.roas)}.")
    print(f"Optimum for the same spend: {money(ev.optimum_response)}"
          f"{interval(ev.optimum_p10, ev.optimum_p50, ev.optimum_p90)}.")
    print(ev.summary())
    for w in ev.warnings:
        print(f"WARNING: {w}")
    cols = ["name", "spend", "response"] + [c for c in ("response_p10", "response_p90") if c in ev.rows.columns]
    rows = ev.rows[cols + ["optimal_spend", "optimal_response"]].copy()
    rows["beyond data"] = np.where(ev.rows["extrapolated"].fillna(False).astype(bool), "yes", "")
    print(rows.to_string(index=False, formatters={c: money for c in rows.columns[1:-1]}))
    return 0


# ----------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m planner",
        description="Plan influencer and social-network budgets: import spend and results, fit response "
                    "curves, and find the allocation with the highest expected return.",
        epilog=EPILOG,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def data_opts(sp, many=False):
        sp.add_argument("data", nargs="+" if many else None, metavar="DATA",
                        help="spreadsheet to read: .xlsx, .xls, .csv or .tsv" + (" (one or more)" if many else ""))
        sp.add_argument("--sheet", help="sheet to read (default: the sheet whose headers fit best)")
        sp.add_argument("--map", action="append", metavar="SOURCE=FIELD",
                        help='tell which column holds which field, e.g. --map "Fee paid=spend" '
                             "(fields: date, network, entity, spend, outcome, followers, posts, reach, "
                             "engagements, clicks, orders, campaign, product_cost, usage_rights, commission, "
                             "ignore); repeat for more columns")
        sp.add_argument("--decimal", choices=[".", ","],
                        help='the decimal mark of the numbers: "." (1,234.50) or "," (1.234,50); '
                             "default: decided from each column, with a warning when it cannot be")

    sp = sub.add_parser("inspect", help="import and validate a spreadsheet; list what was found and every problem",
                        description="Import and validate a spreadsheet. Exit status 1 when errors stop the import.")
    data_opts(sp)
    sp.add_argument("--json", action="store_true", help="print one JSON object (kind, rows, periods, networks, "
                    "spend_by_network, outcome_totals, errors, warnings)")
    sp.set_defaults(func=cmd_inspect)

    sp = sub.add_parser("fit", help="fit a response curve per network and creator; write the curve table",
                        description="Fit response curves (one per network's paid media and per creator) and write "
                                    "the curve table (CSV or XLSX).")
    data_opts(sp, many=True)
    sp.add_argument("--out", required=True, help="curve table to write (.csv or .xlsx)")
    sp.add_argument("--bootstrap", type=int, default=100, metavar="N",
                    help="bootstrap refits for the intervals of network curves (default 100)")
    sp.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    sp.add_argument("--roster", metavar="FILE",
                    help="creator roster or rate card (creator, network, fee per post, max posts, commission, "
                         "product cost, usage rights); default: a roster sheet in a DATA workbook, if any")
    sp.set_defaults(func=cmd_fit)

    def plan_opts(sp, targets=False):
        sp.add_argument("--curves", required=True, help="curve table (.csv or .xlsx), e.g. from `fit`")
        sp.add_argument("--network-bounds", metavar="FILE",
                        help="CSV/XLSX with columns network, min_spend, max_spend: limits on each network's total")
        sp.add_argument("--objective", choices=["revenue", "profit"] + (["target", "roas"] if targets else []),
                        default="revenue",
                        help="maximise revenue (default); profit = margin x revenue - spend, which may leave "
                             "budget unspent" + ("; target: the least spend whose revenue reaches --target; "
                             "roas: the most revenue while revenue / spend stays at or above --target "
                             "(Robyn's target efficiency)" if targets else ""))
        sp.add_argument("--spend-range", metavar="LOW:HIGH",
                        help="keep every row with a current spend between LOW and HIGH times it, e.g. 0.7:1.5 "
                             "(as Robyn users bound channels)")
        sp.add_argument("--max-share", type=float, metavar="SHARE",
                        help="no network gets more than this share of the budget, e.g. 0.4")
        sp.add_argument("--row-share", type=float, metavar="SHARE",
                        help="no single row (network's paid media or creator) gets more than this share, e.g. 0.1")
        sp.add_argument("--risk", choices=["expected", "p10"], default="expected",
                        help="plan on the expected curves (default) or on their pessimistic 10th percentile")
        if targets:
            sp.add_argument("--target", help="for --objective target: a revenue, e.g. 1500000; "
                                             "for --objective roas: revenue per $1, e.g. 4")
        sp.add_argument("--margin", type=float, default=1.0,
                        help="contribution margin for --objective profit, e.g. 0.4 (default 1.0)")

    sp = sub.add_parser("optimize", help="the allocation of a budget with the highest expected return",
                        description="Allocate a budget (an upper limit) across the rows of a curve table. The "
                                    "result obeys every bound, whole unit and the budget to the cent, and is the "
                                    "global optimum, S-shaped curves and whole posts included.")
    plan_opts(sp, targets=True)
    sp.add_argument("--budget", required=True, help="total budget for the quarter, e.g. 250000 or $250,000 "
                                                    "(an upper limit; for target objectives, the most that may be spent)")
    sp.add_argument("--out", help="write the allocation: .csv (name, network, spend, response, ...) or .xlsx "
                                  "(a workbook for finance)")
    sp.add_argument("--engagement-weight", metavar="W",
                    help="dollars one engagement is worth, e.g. 0.05: maximise revenue (or profit) plus W per "
                         "expected engagement (needs the curve table's engagement_per_dollar column, which `fit` "
                         "writes when the data has engagements); default 0, revenue alone")
    sp.add_argument("--max-creators", type=int, metavar="N",
                    help="hire at most N creators (rows named Network/@handle with any spend); paid media does "
                         "not count. The plan is the best with at most N, found exactly")
    sp.add_argument("--frontier", type=int, default=20, metavar="N",
                    help="with --out FILE.xlsx: add a Frontier sheet with the best revenue at N budgets from 0.2 "
                         "to 2 times the budget (default 20; 0 = none)")
    sp.set_defaults(func=cmd_optimize)

    sp = sub.add_parser("frontier", help="the optimum's expected return at many budgets",
                        description="Optimise at each budget of LO:HI:N and print budget, expected return and "
                                    "the return of the next dollar.")
    plan_opts(sp)
    sp.add_argument("--budgets", required=True, metavar="LO:HI:N", help="N budgets from LO to HI, e.g. 50000:500000:20")
    sp.add_argument("--out", help="write the frontier (.csv or .xlsx)")
    sp.set_defaults(func=cmd_frontier)

    sp = sub.add_parser("evaluate", help="what a plan (e.g. finance's workbook) is expected to return, "
                                         "next to the optimum",
                        description="Read a plan (our allocation workbook, finance's workbook with an entity and a "
                                    "spend column, or an allocation CSV) and value it with the curve table.")
    sp.add_argument("--curves", required=True, help="curve table (.csv or .xlsx)")
    sp.add_argument("--plan", required=True, help="the plan: .xlsx or .csv")
    sp.add_argument("--json", action="store_true", help="print one JSON object (total_spend, total_response, "
                                                         "optimum_response, rows, warnings)")
    sp.set_defaults(func=cmd_evaluate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head`
        return 0
    except (ValueError, OSError) as exc:  # every user mistake is a ValueError subclass with a sentence
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
