"""``python -m planner.bench``: the optimizer beside SciPy SLSQP, HiGHS and its own limit, one BLAS thread."""

import os
import sys

_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

if any(os.environ.get(v) != "1" for v in _ONE_THREAD):  # pin one BLAS thread before NumPy loads
    os.execvpe(sys.executable, [sys.executable, "-m", "planner.bench", *sys.argv[1:]],
               os.environ | dict.fromkeys(_ONE_THREAD, "1"))

from planner.bench.optimizer import main  # noqa: E402 - after the threads are pinned

sys.exit(main())
