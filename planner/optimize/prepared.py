"""A prepared problem: a curve table and its constraints checked once, then solved at any number of budgets.

    from planner.optimize import prepare
    plans = prepare(curves, network_bounds, objective="revenue")
    plans.solve(250_000).total_response
    plans.frontier([100_000, 200_000, 300_000])

Checking the curve table, building its arrays and the facts a plan's table shows cost more than
solving a concave plan of a hundred rows; a frontier, a target search, the Pareto front, the
insights and the app ask for many budgets of one table, so they pay for it once.  Each budget
solved leaves its price of spend behind: the next budget's price search starts from the nearest.
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.base.errors import InfeasibleError
from planner.curves.intervals import multiplier_draws
from planner.optimize.frontier import concave_frontier, frontier_of
from planner.optimize.hire_price import price_hires
from planner.optimize.newton import lagrangian_bound, price_newton, smooth_problem
from planner.optimize.posts_milp import applies as posts_applies
from planner.optimize.posts_milp import solve_posts_milp
from planner.optimize.problem import (
    Problem,
    at_budget,
    base_problem,
    engagement_bonus,
    has_network_bounds,
    hire_limit,
    network_totals,
    objective_value,
    with_hire_limit,
)
from planner.optimize.relaxation import relax
from planner.optimize.result import Allocation, RowFacts, build_allocation
from planner.optimize.rounding import to_cents
from planner.optimize.search import (
    GAP_TOL,
    MAX_NODES,
    TIME_LIMIT,
    branch_and_bound,
    feasible_start,
    solve_with_hire_limit,
)
from planner.optimize.selection import DRAWS, own_data_bands, own_data_shares, selection_allowance

__all__ = ["Prepared", "prepare"]

_PRICES_KEPT = 512  # budgets whose price is kept for warm starts
_UNBOUNDED_SHARE = 1 / 3  # of the time and nodes given first to the problem without its network bounds
_POLISH_GAP = 1e-8  # a plan in cents this close to its bound: moving single cents gains less than a 100-millionth


@dataclass(frozen=True, eq=False)
class Prepared:
    """A curve table and its constraints, checked once: :meth:`solve` plans any budget, :meth:`frontier` many.

    Attributes
    ----------
    curves : DataFrame
        The validated curve table (``unit_cost`` rounded to cents).
    base : Problem
        The problem's arrays without a budget.
    facts : RowFacts
        What a plan's table shows of each row apart from its spend.
    max_creators : int or None
        The hire limit (None: none).
    """

    curves: pd.DataFrame
    base: Problem
    facts: RowFacts
    max_creators: int | None = None
    _budgets: list = field(default_factory=list, repr=False)  # budgets solved, in order (warm starts)
    _prices: dict = field(default_factory=dict, repr=False)  # budget -> its price of spend
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def objective(self) -> str:
        """``"revenue"`` or ``"profit"``."""
        return "revenue" if self.base.c0 == 0 else "profit"

    @property
    def margin(self) -> float:
        """The contribution margin of the profit objective (1.0 for revenue)."""
        return self.base.w if self.base.c0 else 1.0

    def problem(self, budget: float, engagement_weight: float | None = None) -> Problem:
        """Return the problem at ``budget`` (its checks included), with the hire limit when one is set.

        Parameters
        ----------
        budget : float
            Upper limit on total spend in dollars; rounded down to a cent.
        engagement_weight : float, optional
            Dollars one engagement is worth, in place of the one prepared (the Pareto front asks for many).

        Returns
        -------
        Problem

        Raises
        ------
        InputError
            When the budget is not a number of zero or more.
        InfeasibleError
            When the bounds cannot all hold within the budget.
        """
        prob = at_budget(self.base, float(budget), self.facts.name)
        if engagement_weight is not None and float(engagement_weight) != prob.engagement_weight:
            prob = replace(prob, bonus=engagement_bonus(self.curves, float(engagement_weight)),
                           engagement_weight=float(engagement_weight))
        if self.max_creators is not None:
            prob = with_hire_limit(prob, self.facts.creator, self.max_creators)
        return prob

    def solve(self, budget: float, time_limit: float = TIME_LIMIT, node_limit: int = MAX_NODES,
              start=None, engagement_weight: float | None = None, selection: bool = True) -> Allocation:
        """Return the optimum at ``budget``: as :func:`planner.optimize.optimize` (same arguments, same plan).

        Parameters
        ----------
        budget : float
            Upper limit on total spend (dollars; rounded down to a cent).
        time_limit : float
            Seconds of branch and bound before the best plan found is returned with its proven gap.
        node_limit : int
            Most branch-and-bound nodes searched.
        start : array of float, optional
            Spend per row of a plan to start the search from; ignored when it does not meet every bound.
        engagement_weight : float, optional
            Dollars one engagement is worth, in place of the one prepared.
        selection : bool, default True
            Measure the plan's selection allowance (:mod:`planner.optimize.selection`) and lower its band's
            mean by it, where the curve table has bands: a dozen more plans, on drawn curves.  False
            reports the band of the curves as they are (for callers that show no band).

        Returns
        -------
        Allocation

        Raises
        ------
        InputError
            When the budget or the engagement weight cannot be used.
        InfeasibleError
            When the bounds cannot all hold; the message names the conflict.
        """
        prob = self.problem(budget, engagement_weight)
        incumbent = feasible_start(prob, start)
        found = self._smooth(prob, incumbent) if smooth_problem(prob) else None
        if found is None:
            found = self._search(prob, incumbent, time_limit, node_limit)
        x, value, bound, lam, counts = found
        self._remember(prob.budget, lam)
        allowance = self.allowance(prob, x, self._hire_price(prob, counts)) if selection else 0.0
        return build_allocation(self.facts, prob, x, value, bound, lam, counts, self.max_creators, allowance)

    @staticmethod
    def _hire_price(prob: Problem, counts: dict) -> float:
        """Return the search's price of a hire, or where the search gave none (HiGHS), the relaxation's."""
        price = counts.get("hire_price", 0.0)
        if price is None:
            return price_hires(prob).price if prob.max_hires is not None else 0.0
        return float(price)

    def allowance(self, prob: Problem, x: np.ndarray, hire_price: float = 0.0) -> float:
        """Return the selection allowance of plan ``x`` of ``prob`` (0 where the curve table has no bands).

        Parameters
        ----------
        prob : Problem
            The problem the plan was made for (:meth:`problem`).
        x : ndarray of float
            The plan's spend per row.
        hire_price : float, default 0.0
            Under a hire limit, the price of a hire the plan's search settled on: each draw is planned at it,
            so a draw hires about as many creators as the limit allows (at no price it would hire every
            creator its curves favour, and overstate the allowance).

        Returns
        -------
        float
            :func:`planner.optimize.selection.selection_allowance` over :data:`~planner.optimize.selection.DRAWS`
            draws of the curves, in dollars of the curves' return.  Each draw is planned by the Lagrangian
            relaxation (:func:`~planner.optimize.relaxation.relax`: the plan the price of spend gives, whole posts
            and S-curves on their concave envelope), a plan close to the draw's optimum at a fraction of the
            search's cost; the allowance measures how plans chase high estimates, not the last dollar.
        """
        if self.facts.bands is None or not np.any(x > 0):
            return 0.0
        ent, hint = prob.ent, self._hint(prob.budget)
        beta, p10, p90, groups = self.facts.bands  # a pooled curve's curse is partly cured: its own data's part
        draws = multiplier_draws(beta, *own_data_bands(beta, p10, p90, own_data_shares(self.curves)), groups, DRAWS)

        def plan(m: np.ndarray) -> np.ndarray:
            drawn = replace(prob, ent=replace(ent, beta=ent.beta * m, cache={}), memo={},
                            mu=float(hire_price) if prob.max_hires is not None else prob.mu)
            return relax(drawn, drawn.lo, drawn.hi, hint).x

        return selection_allowance(ent.value, x, draws, plan)

    def frontier(self, budgets) -> pd.DataFrame:
        """Return the optimum's totals at each budget (:func:`planner.optimize.frontier`'s table).

        Parameters
        ----------
        budgets : array-like of float
            Budgets in dollars, in increasing order.

        Returns
        -------
        DataFrame
            ``budget, spend, response, marginal_return, response_p10, response_p90``; the band lowered by the
            plans' selection allowance (:mod:`planner.optimize.selection`).
        """
        budgets = np.asarray(budgets, dtype=float)
        if self.max_creators is None and self.base.engagement_weight == 0:
            fast = concave_frontier(self.base, budgets, self.facts.bands, self._hint)
            if fast is not None:
                self._remember_many(np.floor(budgets * 100 + 1e-6) / 100, fast["marginal_return"].to_numpy())
                return self._selected(fast)
        return self._selected(frontier_of((float(b), self.solve(float(b), selection=False)) for b in budgets))

    def _selected(self, table: pd.DataFrame) -> pd.DataFrame:
        """Lower a frontier's bands by the selection allowance, measured at three of its budgets.

        The allowance as a share of the expected return is measured at the smallest, the middle and the largest
        budget and read in between along the logarithm of the budget (it changes slowly with the budget), so a
        frontier of fifty budgets costs three allowances, not fifty; :meth:`solve` measures its own budget.
        """
        if self.facts.bands is None or table.empty:
            return table
        budgets = table["budget"].to_numpy(dtype=float)
        ok = np.flatnonzero((budgets > 0) & (table["response"].to_numpy(dtype=float) > 0))
        if not len(ok):
            return table
        at, shares = [], []
        for i in sorted({ok[0], ok[len(ok) // 2], ok[-1]}):
            try:
                a = self.solve(float(budgets[i]))
            except InfeasibleError:
                continue
            if a.total_response > 0:
                at.append(math.log(budgets[i]))
                shares.append(a.selection_allowance / a.total_response)
        if not at:
            return table
        with np.errstate(divide="ignore"):
            share = np.interp(np.log(budgets), at, shares)
        out = table.copy()
        for col in ("response_p10", "response_p90"):
            out[col] = out[col].to_numpy(dtype=float) * (1.0 - share)
        return out

    def _hint(self, budget: float) -> float | None:
        """Return a price near the budget's from the budgets solved (None when none is).

        With three budgets solved near it (the three nearest, on either side), the price is read off the
        parabola through them in logs (price against budget is close to a power law: a parabola in logs
        leaves a ten-millionth where a line leaves a hundred-thousandth, 1 % from the last budget); with
        two, off the line; with one, it is that budget's price.
        """
        with self._lock:
            keys = self._budgets
            if not keys or budget <= 0:
                return None
            i = bisect.bisect_left(keys, budget)
            if i < len(keys) and keys[i] == budget:
                return self._prices[budget]
            near = sorted(keys[max(0, i - 3):i + 3], key=lambda b: abs(b - budget))[:3]  # the three nearest
            if len(near) < 2 or min(near) <= 0 or abs(math.log(budget / near[0])) > 0.2:
                return self._prices[near[0]]
            if len(near) == 3 and abs(math.log(budget / near[2])) > 0.2:
                near = near[:2]
            # the line (two budgets) or parabola (three) through their prices, in logs: Lagrange's form
            xs = [math.log(b) for b in near]
            t = math.log(budget)
            out = 0.0
            for j, b in enumerate(near):
                term = math.log(self._prices[b])
                for m, xm in enumerate(xs):
                    if m != j:
                        term *= (t - xm) / (xs[j] - xm)
                out += term
            return math.exp(out)

    def _remember_many(self, budgets: np.ndarray, prices: np.ndarray) -> None:
        for b, lam in zip(budgets.tolist(), prices.tolist(), strict=True):
            self._remember(b, lam)

    def _remember(self, budget: float, lam: float) -> None:
        if not (math.isfinite(lam) and lam > 0):
            return
        with self._lock:
            keys = self._budgets
            if budget not in self._prices:
                if len(keys) >= _PRICES_KEPT:
                    del self._prices[keys.pop(len(keys) // 2)]
                bisect.insort(keys, budget)
            self._prices[budget] = lam

    def _smooth(self, prob: Problem, incumbent):
        """Search the price by Newton (:mod:`planner.optimize.newton`); None when its plan cannot be put in cents."""
        lam, x_at_lam, x = price_newton(prob, prob.lo, prob.hi, self._hint(prob.budget))
        bound = lagrangian_bound(prob, lam, x_at_lam)
        cand = to_cents(prob, x, prob.lo, prob.hi, polish=False)
        value = objective_value(prob, cand) if cand is not None else -np.inf
        if bound - value > _POLISH_GAP * max(1.0, abs(bound)):  # moving single cents may still pay
            cand = to_cents(prob, x, prob.lo, prob.hi)
            if cand is None:
                return None
            value = objective_value(prob, cand)
        if incumbent is not None and incumbent[1] > value:
            cand, value = incumbent
        # The bound is the Lagrangian one over plans in whole cents, so a plan in cents can meet it; what gap
        # is left is the search's, and the plan stands with it.
        bound = max(bound, value)
        return cand, value, bound, lam, {"nodes": 1, "core_nodes": 0}

    def _search(self, prob: Problem, incumbent, time_limit: float, node_limit: int):
        """Search the general way; with network bounds and no whole units, first without them (:meth:`_unbounded_first`)."""
        cap = np.inf
        # with whole units the core's program takes network bounds (planner.optimize.core_networks); without
        # them branch and bound splits on the bounds, after trying the problem without them
        if has_network_bounds(prob) and not np.isfinite(prob.ent.unit).any():
            start = time.perf_counter()
            found, cap, incumbent = self._unbounded_first(prob, incumbent, time_limit, node_limit)
            if found is not None:
                return found
            time_limit = max(0.0, time_limit - (time.perf_counter() - start))
        x, value, bound, lam, counts = self._general(prob, incumbent, time_limit, node_limit)
        return x, value, min(bound, max(cap, value)), lam, counts

    def _unbounded_first(self, prob: Problem, incumbent, time_limit: float, node_limit: int):
        """Solve ``prob`` without its network bounds, a relaxation of it that needs no split on a network's total.

        Its bound holds for ``prob`` too; where its plan meets every network bound, that plan is ``prob``'s
        optimum (within the same gap), found without branching on the bounds.  Returns ``(found, bound,
        incumbent)``: ``found`` the answer when the plan meets the bounds and is proven (else None), the bound
        (inf when the search found nothing) and the better incumbent.
        """
        free = replace(prob, net_lo=np.zeros_like(prob.net_lo), net_hi=np.full_like(prob.net_hi, np.inf), memo={})
        try:
            x, value, bound, lam, counts = self._general(free, incumbent, time_limit * _UNBOUNDED_SHARE,
                                                         max(1, int(node_limit * _UNBOUNDED_SHARE)))
        except InfeasibleError:
            return None, np.inf, incumbent
        meets = feasible_start(prob, x)
        if meets is not None:  # feasible_start allows half a cent; a network bound must hold as written
            net = network_totals(prob, meets[0])
            if np.any(net < prob.net_lo - 1e-9) or np.any(net > prob.net_hi + 1e-9):
                meets = None
        if meets is None:
            return None, bound, incumbent
        if incumbent is None or meets[1] > incumbent[1]:
            incumbent = meets
        if bound - meets[1] <= GAP_TOL * max(1.0, abs(meets[1])):
            return (meets[0], meets[1], max(bound, meets[1]), lam, counts), bound, incumbent
        return None, bound, incumbent

    def _posts(self, prob: Problem, incumbent, time_limit: float):
        """Whole units only, under a hire limit and network bounds: HiGHS's plan (planner.optimize.posts_milp).

        None where HiGHS found no plan in time (the planner's own search then tries); InfeasibleError where it
        proved there is none.
        """
        got = solve_posts_milp(prob, time_limit)
        if got.infeasible:
            raise InfeasibleError("No plan meets every bound within the budget.")
        if got.plan is None:
            return None
        x, value, bound = got.plan, got.value, got.bound
        if incumbent is not None and incumbent[1] > value:
            x, value = incumbent[0], incumbent[1]
        lam = relax(prob, prob.lo, prob.hi).lam  # the budget's price, as the other searches report it
        # HiGHS gives no price of a hire; the selection allowance finds one if it needs it (_hire_price)
        return x, value, max(bound, value), lam, {"nodes": 0, "core_nodes": 0, "highs": 1, "hire_price": None}

    def _general(self, prob: Problem, incumbent, time_limit: float, node_limit: int):
        """Search the general way: HiGHS (whole units, a hire limit and network bounds), hire prices or branch and bound."""
        if posts_applies(prob):
            found = self._posts(prob, incumbent, time_limit)
            if found is not None:
                return found
        if prob.max_hires is not None:
            x, value, bound, root, counts = solve_with_hire_limit(prob, time_limit, node_limit, incumbent)
        else:
            x, value, bound, root, counts = branch_and_bound(prob, time_limit, incumbent, node_limit)
        if x is None and counts.get("open"):  # the search stopped with parts of the domain still unexplored
            raise InfeasibleError(f"No plan that meets every bound was found in {counts['nodes']:,} steps of the "
                                  "search; the bounds and the budget leave very few plans, if any. Loosen a bound "
                                  "to see one.")
        if x is None:
            raise InfeasibleError("No plan meets every bound within the budget.")
        return x, value, bound, root.lam, {**counts, "hire_price": root.mu}


def prepare(curves: pd.DataFrame, network_bounds: pd.DataFrame | None = None, objective: str = "revenue",
            margin: float = 1.0, engagement_weight: float = 0.0, max_creators: int | None = None) -> Prepared:
    """Check a curve table and its constraints once; return the :class:`Prepared` problem that plans any budget.

    Parameters
    ----------
    curves : DataFrame
        The curve table (DESIGN.md contract 1).
    network_bounds : DataFrame, optional
        Columns ``network, min_spend, max_spend`` on each network's total spend.
    objective : {"revenue", "profit"}
        ``profit`` maximises ``margin * revenue - spend`` and may leave budget unspent.
    margin : float
        Contribution margin for the profit objective.
    engagement_weight : float
        Dollars one engagement is worth to the brand (:func:`planner.optimize.optimize`).
    max_creators : int, optional
        Hire at most this many creators with any spend.

    Returns
    -------
    Prepared

    Raises
    ------
    InputError
        When the curve table, the objective, the margin or a bound cannot be used.
    InfeasibleError
        When a network bound cannot hold whatever the budget.
    """
    curves, base = base_problem(curves, network_bounds, objective, float(margin), float(engagement_weight))
    if max_creators is not None:
        max_creators = hire_limit(max_creators)  # checked now, so a bad limit is reported before any budget
    return Prepared(curves, base, RowFacts.from_curves(curves, base), max_creators)
