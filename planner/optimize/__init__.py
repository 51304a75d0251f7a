"""The optimizer: the proven best split of a budget over a curve table's rows.

``from planner.optimize import optimize`` (DESIGN.md, contract 3).  Lagrangian relaxation with one
price of spend per network (:mod:`.relaxation`), each row's subproblem solved exactly
(:mod:`.subproblem`), whole units and S-curves by a core dynamic program (:mod:`.core`) inside
branch and bound (:mod:`.search`), plans rounded to cents (:mod:`.rounding`); many budgets at once
in :mod:`.frontier`.  It takes a curve table and returns typed facts (:mod:`.result`), never sentences.
"""

from planner.base.errors import InfeasibleError
from planner.optimize.frontier import breakeven_budget, frontier, frontier_of
from planner.optimize.problem import OBJECTIVES
from planner.optimize.result import Allocation
from planner.optimize.solver import optimize

__all__ = ["Allocation", "InfeasibleError", "optimize", "frontier", "frontier_of", "breakeven_budget", "OBJECTIVES"]
