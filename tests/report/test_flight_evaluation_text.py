"""A plan over time next to the best plan (planner.report.flight_evaluation_text): the finance analyst's words."""

from __future__ import annotations

import re

from planner.analysis.flight_evaluate import evaluate_plan_over_time
from planner.analysis.flight_plan_file import read_plan_over_time
from planner.report.flight_evaluation_text import evaluation_figures, plan_sentence, reading
from tests.analysis.test_flight_plan_file import finance_workbook, small_curves

WHOLE = r"\$\d{1,3}(,\d{3})*"


def test_the_plans_own_spend_reads_to_the_cent_and_estimates_in_whole_units(tmp_path):
    plan = read_plan_over_time(finance_workbook(tmp_path / "budget.xlsx"))
    assert plan.total_spend == 15_751.5  # 250.50 a month for a creator: a total with cents
    ev = evaluate_plan_over_time(small_curves(), plan)
    said = plan_sentence(ev)
    assert said.startswith("Plan: spend $15,751.50, expected revenue $"), said  # not "$15,752"
    revenue = re.search(r"expected revenue (\S+) in the horizon", said).group(1)
    assert re.fullmatch(WHOLE, revenue), revenue  # an estimate: whole units
    figures = evaluation_figures(ev)
    assert figures["spend"] == "$15,751.50"
    assert re.fullmatch(WHOLE, figures["revenue"]) and re.fullmatch(WHOLE, figures["best"])
    assert not any("curve table" in s for s in [*reading(ev), *ev.warnings, *ev.notes])
