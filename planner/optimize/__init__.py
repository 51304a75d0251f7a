"""The optimizer: the proven best split of a budget over a curve table's rows.

``from planner.optimize import optimize`` (DESIGN.md, contract 3).  Lagrangian relaxation with one
price of spend per network (:mod:`.relaxation`), each row's subproblem solved exactly
(:mod:`.subproblem`), whole units and S-curves by a core dynamic program (:mod:`.core`) inside
branch and bound (:mod:`.search`), plans rounded to cents (:mod:`.rounding`); many budgets at once
in :mod:`.frontier`.  :func:`prepare` checks a curve table and its constraints once into a
:class:`Prepared` problem that plans any number of budgets (:mod:`.prepared`); ``optimize`` is one
call of it.  It takes a curve table and returns typed facts (:mod:`.result`), never sentences.
"""

from planner.base.errors import InfeasibleError
from planner.optimize.frontier import frontier_of
from planner.optimize.prepared import Prepared, prepare
from planner.optimize.problem import OBJECTIVES
from planner.optimize.result import Allocation
from planner.optimize.solver import breakeven_budget, frontier, optimize

__all__ = ["Allocation", "InfeasibleError", "optimize", "prepare", "Prepared", "frontier", "frontier_of",
           "breakeven_budget", "OBJECTIVES"]
