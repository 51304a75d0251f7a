"""What a session plans on: the bounds set on the Optimize page, the quarter a one-quarter plan is for, and the
creators' campaign controls set there.

A part of :class:`ui.state.AppState` (its ``curves`` and ``settings`` are read here).
"""

from __future__ import annotations

import pandas as pd

from planner.bounds.bounds import Bounds
from planner.curves.campaign_controls import control_names, for_controls
from planner.curves.season import for_quarter, has_wave
from planner.report.controls_text import controls_label
from planner.report.quarter_text import quarter_label


class PlanningInputs:
    """The curve table as the plans use it: bounds applied, and a calendar quarter's waves counted when chosen."""

    def bounds(self) -> pd.DataFrame | None:
        """The per-row bounds editor's table: as edited, or the curve table's own bounds."""
        if self.curves is None:
            return None
        b = self.settings.get("bounds")
        return b if b is not None else Bounds().editor_tables(self.curves)[0]

    def network_bounds_table(self) -> pd.DataFrame | None:
        """The network bounds editor's table: as edited, or no bound on any network."""
        if self.curves is None:
            return None
        b = self.settings.get("network_bounds")
        return b if b is not None else Bounds().editor_tables(self.curves)[1]

    @property
    def spend_bounds(self) -> Bounds:
        """The bounds set on the Optimize page, as typed (planner.bounds.bounds.Bounds)."""
        return Bounds.from_editor(self.settings.get("bounds"), self.settings.get("network_bounds"))

    def bound_problems(self) -> list[str]:
        if self.curves is None:
            return []
        return self.spend_bounds.problems(self.curves)

    def has_custom_bounds(self) -> bool:
        return (self.settings.get("bounds") is not None or self.settings.get("network_bounds") is not None
                or self.max_creators is not None)

    @property
    def quarter(self) -> str | None:
        """The calendar quarter the one-quarter plan is for; None (an average quarter) when the curves have no wave."""
        q = self.settings.get("quarter")
        return q if q is not None and has_wave(self.curves) else None

    @property
    def control_values(self) -> dict:
        """The campaign controls set on the Optimize page (a discount on every campaign) that the curves have."""
        known = set(control_names(self.curves))
        return {k: v for k, v in (self.settings.get("controls") or {}).items() if k in known and v is not None}

    def planned_for(self) -> dict[str, str]:
        """What the plans assume beyond budget and bounds, to say beside them: ``{"Quarter": "Q4 (October to
        December)", "Campaigns": "discount % at 20"}``, each only where chosen on the Optimize page."""
        said = {}
        if self.quarter:
            said["Quarter"] = quarter_label(self.quarter)
        campaigns = controls_label(self.curves, self.control_values)
        if campaigns:
            said["Campaigns"] = campaigns
        return said

    @property
    def timed_curves(self) -> pd.DataFrame | None:
        """The curve table with the bounds set on the Optimize page (as typed, when usable) and the campaign controls
        set there, its yearly waves kept: what a plan over time is made on (it counts each period at its waves' mean)."""
        if self.curves is None:
            return None
        rows = Bounds(rows=self.spend_bounds.rows)
        curves = self.curves
        if self.settings.get("bounds") is not None and not rows.problems(curves):
            curves = rows.apply(curves)
        return for_controls(curves, self.control_values)

    @property
    def planning_curves(self) -> pd.DataFrame | None:
        """What a one-quarter plan is made on: :attr:`timed_curves` for the quarter chosen (an average quarter, or
        a calendar quarter's waves counted: planner.curves.season.for_quarter)."""
        timed = self.timed_curves
        return None if timed is None else for_quarter(timed, self.quarter)

    @property
    def network_bounds(self) -> pd.DataFrame | None:
        if self.curves is None:
            return None
        nets = Bounds(networks=self.spend_bounds.networks)
        return None if nets.problems() else nets.network_frame()
