"""Charts of the planner: pure functions that return Altair charts.

Every function takes DataFrames (the curve table, an allocation table, a frontier,
a decomposition), never modifies them, and returns an ``alt.Chart`` or
``alt.LayerChart`` that a Streamlit page only places.  Curves are evaluated with
:func:`planner.curves.forms.response` and :func:`planner.curves.forms.marginal`; nothing is refit.

The charts, by subject (this package re-exports each module's charts, so a page writes
``from planner.report import charts`` and ``charts.frontier(...)``):

- :mod:`~planner.report.charts.response`: response curves and the return on the next dollar
  against spend (built on :mod:`~planner.report.charts.spend_curves`);
- :mod:`~planner.report.charts.budget_frontier`: the best expected revenue per total budget;
- :mod:`~planner.report.charts.current_and_optimal`: current against optimal spend;
- :mod:`~planner.report.charts.creators`: creators' spend and revenue, alone or per network;
- :mod:`~planner.report.charts.engagement`: revenue against engagement, per creator and per plan;
- :mod:`~planner.report.charts.marketing_mix`: the marketing-mix decomposition of sales;
- :mod:`~planner.report.charts.saved_scenarios`: saved scenarios side by side;
- :mod:`~planner.report.charts.funnel`: the funnel per network, a panel per step;
- :mod:`~planner.report.charts.flighting`: a plan over time: spend and expected revenue per period, and a
  plan read from a file beside the best plan of its spend;
- :mod:`~planner.report.charts.style` (colours, sizes, formats, titles),
  :mod:`~planner.report.charts.layers` (data, layering, the empty chart) and
  :mod:`~planner.report.charts.placement` (where labels go): what they all share.

Conventions shared by every chart:

- money in the currency shown (:func:`planner.base.currency.current`): axes from zero (a chart
  that zooms says so), each tick written on its own (``$0``, ``$50k``, ``$1.5M``), titles with
  their unit (``Spend per quarter ($)``); tooltips of points, bars and rules formatted by
  :mod:`planner.base.format` (so they read as the tables do, with an em dash for a missing
  value), dense curves' tooltips written in the browser (``$12,345``; ``$1.25`` per dollar);
- labels placed where no mark crosses them (:mod:`~planner.report.charts.placement`), a legend
  wherever colour means something;
- every mark carries a tooltip;
- a network keeps its colour in every chart (:data:`NETWORK_COLORS`, Okabe-Ito,
  distinguishable under the common colour-vision deficiencies);
- ``width="container"`` (the page's column) and a plot 320 px high by default, the title,
  axes and legends around it (:data:`~planner.report.charts.style.FIT_X`);
- an empty selection gives a chart saying "No rows selected", never an error;
- no ``configure_*`` calls, so pages may still concatenate or layer the charts.
"""

from __future__ import annotations

from planner.report.charts.budget_frontier import frontier, frontier_data
from planner.report.charts.creators import NETWORK_PICK, creator_scatter, creators_by_network
from planner.report.charts.current_and_optimal import current_vs_optimal, current_vs_optimal_data
from planner.report.charts.engagement import engagement_front, revenue_engagement
from planner.report.charts.flighting import flight_response, flight_spend, flight_vs_best, flight_vs_even
from planner.report.charts.funnel import funnel_steps
from planner.report.charts.layers import empty_chart
from planner.report.charts.marketing_mix import decomposition
from planner.report.charts.response import marginal_roas, response_curves
from planner.report.charts.saved_scenarios import scenario_comparison
from planner.report.charts.style import EMPTY_TEXT, ENTITY_COLORS, FALLBACK_COLORS, NETWORK_COLORS, network_color

__all__ = [
    "NETWORK_COLORS",
    "FALLBACK_COLORS",
    "ENTITY_COLORS",
    "EMPTY_TEXT",
    "network_color",
    "empty_chart",
    "response_curves",
    "marginal_roas",
    "frontier",
    "frontier_data",
    "current_vs_optimal",
    "current_vs_optimal_data",
    "creator_scatter",
    "creators_by_network",
    "revenue_engagement",
    "engagement_front",
    "NETWORK_PICK",
    "decomposition",
    "scenario_comparison",
    "funnel_steps",
    "flight_spend",
    "flight_response",
    "flight_vs_even",
    "flight_vs_best",
]
