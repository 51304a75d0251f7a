"""``python -m planner``: the command line (DESIGN.md, contract 2)."""

import sys

from planner.cli.main import main

sys.exit(main())
