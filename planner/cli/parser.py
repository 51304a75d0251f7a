"""The command line's parser: every command, its options and their help (DESIGN.md, contract 2)."""

from __future__ import annotations

import argparse

from planner.cli.flighting import cmd_evaluate_or_flight, cmd_optimize_or_flight
from planner.cli.funnel import cmd_funnel
from planner.cli.inspect_fit import cmd_fit, cmd_inspect
from planner.cli.optimize_frontier import cmd_frontier
from planner.cli.pacing import cmd_pace
from planner.cli.report import cmd_report
from planner.cli.whatif import cmd_whatif
from planner.fit.budget import TIME_BUDGET
from planner.fit.saved import APP_BOOTSTRAP, APP_SEED

__all__ = ["EPILOG", "build_parser"]

EPILOG = ("Money is in the data's currency (read from the file, or --currency); every curve is the response "
          "to spend in one quarter.")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of ``python -m planner``: one sub-command per command, each with its ``func``.

    Returns
    -------
    argparse.ArgumentParser
        Sub-commands ``inspect``, ``funnel``, ``fit``, ``optimize``, ``frontier``, ``whatif``, ``evaluate``, ``pace``
        and ``report``; a parsed
        namespace's ``func`` is the command to call with it (``cmd_inspect``, ...), returning the exit
        status.
    """
    p = argparse.ArgumentParser(
        prog="python -m planner",
        description="Plan influencer and social-network budgets: import spend and results, fit response "
                    "curves, and find the allocation with the highest expected return.",
        epilog=EPILOG,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def currency_opt(sp):
        sp.add_argument("--currency", metavar="CODE",
                        help="the currency amounts are written in, e.g. EUR or GBP (default: the one the data or "
                             "the curve table states, else USD); nothing is converted")

    def data_opts(sp, many=False):
        sp.add_argument("data", nargs="+" if many else None, metavar="DATA",
                        help="spreadsheet to read: .xlsx, .xls, .csv or .tsv" + (" (one or more)" if many else ""))
        sp.add_argument("--sheet", help="sheet to read (default: the sheet whose headers fit best)")
        sp.add_argument("--map", action="append", metavar="SOURCE=FIELD",
                        help='tell which column holds which field, e.g. --map "Fee paid=spend" '
                             "(fields: date, network, entity, spend, outcome, followers, posts, reach, "
                             "engagements, clicks, orders, campaign, product_cost, usage_rights, commission, "
                             "status, code, control, ignore); repeat for more columns")
        sp.add_argument("--decimal", choices=[".", ","],
                        help='the decimal mark of the numbers: "." (1,234.50) or "," (1.234,50); '
                             "default: decided from each column, with a warning when it cannot be")

    sp = sub.add_parser("inspect", help="import and validate a spreadsheet; list what was found and every problem",
                        description="Import and validate a spreadsheet. Exit status 1 when errors stop the import. "
                                    "Several files are read together when they make one table: the ad platforms' "
                                    "spend exports with the shop's sales over time, or a creators' tracker with "
                                    "its promo-code reports.")
    data_opts(sp, many=True)
    sp.add_argument("--codes", action="append", metavar="FILE",
                    help="a promo-code report (each code's sales, by day or in total) whose sales are the revenue of "
                         "DATA, a creators' tracker with a promo-code column and no revenue column; repeat for more "
                         "(the commands that take several DATA files find such reports among them)")
    sp.add_argument("--json", action="store_true", help="print one JSON object (kind, rows, periods, networks, "
                    "spend_by_network, outcome_totals, errors, warnings)")
    currency_opt(sp)
    sp.set_defaults(func=cmd_inspect)

    sp = sub.add_parser("funnel", help="why each network returns what it does: clicks per dollar, conversion and "
                                       "order value, by network and creator",
                        description="Sum the data per network (and creator) into reach, engagements, clicks and "
                                    "orders per 1,000 of spend, click-through, conversion, order value and return "
                                    "per 1; name the steps the data lacks; say which step makes two returns differ.")
    data_opts(sp, many=True)
    sp.add_argument("--compare", nargs=2, metavar=("A", "B"),
                    help="two networks or creators (e.g. Pinterest X, or a creator and its network): which step of "
                         "the funnel makes their returns per dollar differ (default: the networks with the highest "
                         "and the lowest return)")
    sp.add_argument("--creators", action="store_true",
                    help="add the funnel by creator (conversion and order value pooled toward the network where "
                         "orders are few)")
    sp.add_argument("--json", action="store_true", help="print one JSON object (networks, creators with --creators, "
                                                         "missing, comparison)")
    sp.add_argument("--out", metavar="FILE.xlsx", help="write the Funnel sheet (rates as formulas of the counts)")
    currency_opt(sp)
    sp.set_defaults(func=cmd_funnel)

    sp = sub.add_parser("fit", help="fit a response curve per network and creator; write the curve table",
                        description="Fit response curves (one per network's paid media and per creator) and write "
                                    "the curve table (CSV or XLSX).")
    data_opts(sp, many=True)
    sp.add_argument("--out", required=True, help="curve table to write (.csv or .xlsx)")
    sp.add_argument("--bootstrap", type=int, default=APP_BOOTSTRAP, metavar="N",
                    help=f"bootstrap refits for the intervals of network curves (default {APP_BOOTSTRAP}, as the "
                         "app: the same files give the same curves and bands here and there)")
    sp.add_argument("--seed", type=int, default=APP_SEED, help=f"seed of the bootstrap (default {APP_SEED})")
    sp.add_argument("--time-budget", type=float, default=TIME_BUDGET, metavar="SECONDS",
                    help=f"seconds the fit may take (default {TIME_BUDGET:g}, as the app; inf: no limit): past them "
                         "every curve is still fitted, but the marketing-mix model leaves out its test on held-out "
                         "weeks, further starts and bootstrap refits, and says what it left out")
    sp.add_argument("--experiments", metavar="FILE",
                    help="measured lifts that calibrate the marketing-mix model: CSV/XLSX with columns name (a "
                         "network), start, end (dates, inclusive), lift (the outcome in the window minus the outcome "
                         "with no spend on it in the window) and lift_se (its standard error); for a heavy-up, "
                         "spend_tested: the money the test added over the window (the lift is then against spending "
                         "that much less; blank: a holdout)")
    sp.add_argument("--roster", metavar="FILE",
                    help="creator roster or rate card (creator, network, fee per post, max posts, commission, "
                         "product cost, usage rights); default: a roster sheet in a DATA workbook, if any")
    currency_opt(sp)
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
                        help="expected (default); p10: optimize plans the total with the highest 10th percentile "
                             "among plans that discount uncertain curves, frontier plans every curve at its 10th "
                             "percentile")
        if targets:
            sp.add_argument("--target", help="for --objective target: a revenue, e.g. 1500000; "
                                             "for --objective roas: revenue per $1, e.g. 4")
        sp.add_argument("--margin", type=float, default=1.0,
                        help="contribution margin for --objective profit, e.g. 0.4 (default 1.0)")
        quarter_opt(sp)

    def quarter_opt(sp):
        sp.add_argument("--quarter", metavar="Q1|Q2|Q3|Q4",
                        help="plan a calendar quarter: each curve counted at its yearly wave's mean over the "
                             "quarter's days (the curve table's season_sin and season_cos, which fit writes where the "
                             "data show a wave); default an average quarter")
        sp.add_argument("--campaign-control", action="append", metavar='"NAME=VALUE"', dest="campaign_control",
                        help='plan every creator\'s campaigns with a control the fit read from the tracker set to '
                             'VALUE, e.g. "Discount %%=20" (a discount code of 20 %%) or "Discount %%=0" (none); '
                             "repeat for several; default: the team's usual level")

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
    sp.add_argument("--anyway", action="store_true",
                    help="plan even when the data cannot carry a plan (every network with under 4 weeks of data "
                         "and no creator); the plan is then said to be optimal for these curves only")
    sp.add_argument("--horizon", metavar="START:END",
                    help="plan week by week or month by month from START to END (ISO dates, both included), e.g. "
                         "2027-01-01:2027-12-31; --budget is then the total over the horizon, and each row's "
                         "carry-over (the curve table's decay column) decides when its money is spent")
    sp.add_argument("--period", metavar="week|month", help="with --horizon: plan per week or per month (default month)")
    sp.add_argument("--after", action="store_true",
                    help="with --horizon: also count, and plan for, what spend earns after the horizon through "
                         "carry-over")
    sp.add_argument("--limits", metavar="FILE",
                    help="with --horizon: CSV/XLSX with columns network, period, min_spend, max_spend: the least "
                         "and most the networks' paid media may spend in a period (network blank: all networks), "
                         "or a network over the horizon (period blank)")
    sp.add_argument("--min-flight", type=int, default=1, metavar="N",
                    help="with --horizon: each network's paid media with carry-over spends for at least N periods "
                         "in a row once it starts, and pauses at least N periods between flights (no on-off "
                         "every other week); default 1, no such rule")
    currency_opt(sp)
    sp.set_defaults(func=cmd_optimize_or_flight)

    sp = sub.add_parser("frontier", help="the optimum's expected return at many budgets",
                        description="Optimise at each budget of LO:HI:N and print budget, expected return and "
                                    "the return of the next dollar.")
    plan_opts(sp)
    sp.add_argument("--budgets", required=True, metavar="LO:HI:N", help="N budgets from LO to HI, e.g. 50000:500000:20")
    sp.add_argument("--out", help="write the frontier (.csv or .xlsx)")
    currency_opt(sp)
    sp.set_defaults(func=cmd_frontier)

    sp = sub.add_parser("whatif", help="move one network's or creator's spend in the best plan: the effect with the "
                                       "rest held and with the rest re-planned",
                        description="Plan the budget, then move one network (all its rows) or one creator: by a "
                                    "change in per cent, to an amount, or locked at today's spend. Prints what the "
                                    "plan returns with every other row held, and the best plan of the same budget "
                                    "around the move, with the networks that give way.")
    plan_opts(sp)
    sp.add_argument("--budget", required=True, help="total budget for the quarter, e.g. 250000")
    sp.add_argument("--target", required=True, help='a network ("Instagram": its paid media and creators) or a '
                                                    'row ("Instagram/@lena.bakes", or the handle alone)')
    sp.add_argument("--change", metavar="PCT", help="change the target's spend in the plan by PCT per cent, "
                                                   "e.g. +20%% or -50%%")
    sp.add_argument("--spend", metavar="AMOUNT", help="set the target's spend to AMOUNT, e.g. 40000")
    sp.add_argument("--lock", action="store_true", help="hold the target at today's spend (the curve table's "
                                                        "current_spend)")
    sp.add_argument("--out", help="write the spend per row (plan, rest held, rest re-planned) as CSV")
    currency_opt(sp)
    sp.set_defaults(func=cmd_whatif)

    sp = sub.add_parser("evaluate", help="what a plan (e.g. finance's workbook) is expected to return, "
                                         "next to the optimum",
                        description="Read a plan (our allocation workbook, finance's workbook with an entity and a "
                                    "spend column, or an allocation CSV) and value it with the curve table.")
    sp.add_argument("--curves", required=True, help="curve table (.csv or .xlsx)")
    sp.add_argument("--plan", required=True, help="the plan: .xlsx or .csv")
    sp.add_argument("--json", action="store_true", help="print one JSON object (total_spend, total_response, "
                                                         "optimum_response, rows, warnings; for a plan over time "
                                                         "best_response, rows and periods)")
    sp.add_argument("--after", action="store_true",
                    help="a plan over time: also count what it earns after its horizon through carry-over")
    quarter_opt(sp)
    currency_opt(sp)
    sp.set_defaults(func=cmd_evaluate_or_flight)

    sp = sub.add_parser("pace", help="a plan over time against the spend to date; the rest of it re-planned",
                        description="Read a plan over time (as optimize --horizon writes it, or finance's layout "
                                    "with the months or weeks across the columns) and the spend to date (an "
                                    "ad-platform export, the team's sheet of dates and spend, or actuals by "
                                    "month); say per period and network whether spending is ahead, on pace or "
                                    "behind, and re-plan the money left over the rest of the horizon.")
    sp.add_argument("--curves", required=True, help="curve table (.csv or .xlsx)")
    sp.add_argument("--plan", required=True, help="the plan over time: .xlsx or .csv")
    sp.add_argument("--actuals", required=True, help="the spend to date: .xlsx or .csv with a date (or week or "
                                                     "month) column, a network or creator column and a spend column")
    sp.add_argument("--as-of", dest="as_of", metavar="DATE",
                    help="the last day the spend to date counts (default: the last day in the actuals)")
    sp.add_argument("--budget", help="the total over the horizon (default: the plan's total)")
    sp.add_argument("--after", action="store_true",
                    help="also count, and plan for, what spend earns after the horizon through carry-over")
    sp.add_argument("--min-flight", type=int, default=1, metavar="N",
                    help="re-plan the rest with every network's paid media on for at least N periods once it starts "
                         "and off for at least N between flights (default 1, no such rule)")
    sp.add_argument("--out", help="write the spend per row and period (plan, spent, re-planned rest) as CSV")
    currency_opt(sp)
    sp.set_defaults(func=cmd_pace)

    sp = sub.add_parser("report", help="a one-page report of a plan (HTML or PDF) for a director",
                        description="Value a plan with the curve table and write a one-page report: the headline "
                                    "with its band, the split by network, the top creators, the budget frontier, "
                                    "what moved from today's spend, the assumptions and the inputs' fingerprint.")
    sp.add_argument("--curves", required=True, help="curve table (.csv or .xlsx)")
    sp.add_argument("--plan", required=True, help="the plan: .xlsx or .csv (as for evaluate)")
    sp.add_argument("--out", required=True, help="the report to write: .html or .pdf")
    sp.add_argument("--title", help="the report's title (default: Budget plan: PLAN's file name)")
    currency_opt(sp)
    sp.set_defaults(func=cmd_report)
    return p
