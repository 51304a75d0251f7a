"""The ``report`` command: a one-page report of a plan, as HTML or PDF."""

from __future__ import annotations

from pathlib import Path

from planner.base.currency import currency_in
from planner.base.format import money
from planner.cli.arguments import UsageError, curve_table, show_currency, writing

__all__ = ["cmd_report", "REPORT_SUFFIXES"]

REPORT_SUFFIXES = (".html", ".htm", ".pdf")


def cmd_report(args) -> int:
    """Run ``report``: value the plan with the curve table and write its one-page report.

    Parameters
    ----------
    args : argparse.Namespace
        ``curves`` (the curve table's path), ``plan`` (the plan's path: finance's workbook, an allocation
        workbook or CSV), ``out`` (``.html`` or ``.pdf``) and ``title``.

    Returns
    -------
    int
        0.

    Raises
    ------
    UsageError
        When the plan does not exist, or ``out`` is neither HTML nor PDF or cannot be written.
    CurveTableError
        When the curve table cannot be read or used.
    PlanError
        When the plan cannot be read.
    """
    from planner.data.plans import read_plan
    from planner.report.one_page.facts import one_page
    from planner.report.one_page.html import report_html
    from planner.report.one_page.pdf import report_pdf

    suffix = Path(args.out).suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise UsageError(f"The report is written as .html or .pdf, not {suffix or 'a file without a suffix'} "
                         f"({args.out}).")
    curves = curve_table(args.curves)
    show_currency(args, currency_in(curves))
    if not Path(args.plan).exists():
        raise UsageError(f"The plan file {args.plan} does not exist.")
    plan = read_plan(args.plan)
    page = one_page(curves, plan, meta={"title": args.title or f"Budget plan: {Path(args.plan).name}",
                                        "data_files": [(Path(args.plan).name, Path(args.plan).read_bytes())]})
    with writing(args.out) as out:
        if suffix == ".pdf":
            out.write_bytes(report_pdf(page))
        else:
            out.write_text(report_html(page), encoding="utf-8")
    ev = page.evaluation
    print(f"Wrote the one-page report of {Path(args.plan).name} to {args.out}: spend {money(ev.total_spend)}, "
          f"expected revenue {money(ev.total_response)}.")
    return 0
