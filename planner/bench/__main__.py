"""``python -m planner.bench``: the optimizer beside SciPy SLSQP and HiGHS on the same problems."""

import sys

from planner.bench.optimizer import main

sys.exit(main())
