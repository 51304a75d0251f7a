"""The optimizer: the proven best split of a budget over a curve table's rows.

Lagrangian relaxation with one price of spend per network, each row's subproblem solved
exactly, whole units and S-curves by a core dynamic program inside branch and bound.
"""

from planner.optimize.solver import OBJECTIVES, Allocation, InfeasibleError, breakeven_budget, frontier, optimize

__all__ = ["Allocation", "InfeasibleError", "optimize", "frontier", "breakeven_budget", "OBJECTIVES"]
