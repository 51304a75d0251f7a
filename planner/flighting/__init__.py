"""Plans over time: the best spend of every row in every week or month of a horizon.

``plan_flighting(curves, budget, horizon)`` plans a total budget over a :class:`Horizon` split into
weeks or months, with each row's carry-over (the curve table's optional ``decay`` column: weekly
geometric adstock, written by the marketing-mix model), and returns a :class:`FlightPlan`: spend and
response per row and period, what the plan earns against the even plan (the same budget spread
evenly), and a proven bound on the best plan. The model is in :mod:`.problem`, the exact solver in
:mod:`.pava` and :mod:`.search` (why it is exact: there).
"""

from planner.flighting.horizon import PERIODS, Horizon, next_months, parse_horizon
from planner.flighting.plan import FlightPlan, plan_flighting
from planner.flighting.value import PlanValue, infer_horizon, value_plan

__all__ = ["Horizon", "PERIODS", "parse_horizon", "next_months", "FlightPlan", "plan_flighting", "value_plan",
           "PlanValue", "infer_horizon"]
