"""Command line of the planner (DESIGN.md, contract 2).

    python -m planner inspect DATA [--sheet S] [--map "SOURCE=FIELD" ...] [--json]
    python -m planner fit DATA [DATA ...] [--sheet S] [--map ...] --out curves.csv
    python -m planner optimize --curves CURVES --budget B [--network-bounds FILE]
                               [--objective revenue|profit --margin M] [--out FILE.csv|FILE.xlsx]
                               [--engagement-weight W] [--max-creators N]
    python -m planner frontier --curves CURVES --budgets LO:HI:N [--out FILE]
    python -m planner evaluate --curves CURVES --plan PLAN.xlsx [--json]

Every command takes ``--currency CODE``: amounts are written in it (default: the currency the data or the
curve table states, else US dollars). The options are in planner.cli.parser, the commands in planner.cli.inspect_fit,
planner.cli.optimize_frontier and planner.cli.evaluate.  A user's mistake (a
:class:`planner.base.errors.PlannerError`) ends with one sentence on stderr and exit
status 1; anything else is a bug and shows its traceback.
"""

from __future__ import annotations

import sys

from planner.base.currency import USD, using
from planner.base.errors import PlannerError
from planner.cli.parser import build_parser

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process's arguments); return the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``python -m planner``, e.g. ``["optimize", "--curves", "c.csv", "--budget", "1e5"]``.

    Returns
    -------
    int
        0 on success; 1 when the input has errors (``inspect``) or the user made a mistake.
        ``--help`` and arguments argparse refuses exit through :class:`SystemExit` as usual.
    """
    args = build_parser().parse_args(argv)
    try:
        with using(USD):  # a command shows its input's currency (planner.cli.arguments.show_currency), then no more
            return args.func(args)
    except BrokenPipeError:  # output piped into `head`
        return 0
    except PlannerError as exc:  # every mistake a user can make, with its sentence
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
