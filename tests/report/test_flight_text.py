"""A plan over time in words and tables (planner.report.flight_text): the figures, the model's note, the table, the CSV."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from planner.fit import saved
from planner.flighting import Horizon, plan_flighting
from planner.report.flight_text import (
    TOTAL,
    flight_headline,
    flight_summary,
    flight_table,
    has_carry_over,
    model_note,
    proof_text,
)

DECAYS = {"Facebook": 0.6, "Instagram": 0.5, "YouTube": 0.4}
QUARTER = Horizon(date(2026, 6, 1), date(2026, 8, 31), "month")


def _curves(decay: bool) -> pd.DataFrame:
    curves = pd.read_parquet(saved.SAMPLE_FIT).drop(columns="decay", errors="ignore")  # the fit's own carry-over
    if decay:
        curves = curves.assign(decay=curves["name"].map(DECAYS))  # creators and other networks: empty, none
    return curves


@pytest.fixture(scope="module")
def flat():
    return plan_flighting(_curves(False), 340_000.0, QUARTER)


@pytest.fixture(scope="module")
def carry():
    return plan_flighting(_curves(True), 340_000.0, replace(QUARTER, period="week"))


def test_the_headline_in_money(flat, carry):
    for plan in (flat, carry):
        h = flight_headline(plan)
        assert h["revenue"] == f"${plan.total_response:,.0f}"
        assert h["spend"] == f"${plan.total_spend:,.0f}" and h["budget"] == "$340,000"
        assert re.fullmatch(r"80% interval: \$[\d,]+ to \$[\d,]+, median \$[\d,]+, mean \$[\d,]+", h["interval"])
        assert "optimizer's curse" in h["selection"] and h["selection"] in flight_summary(plan)[0]
        assert h["bound"] == f"${plan.bound:,.0f}"
        assert re.fullmatch(r"\d+\.\d+%", h["gap"])
        assert h["after"] == ""
    assert flight_headline(flat)["over_even"] == "$0"
    assert flight_headline(carry)["over_even"] == f"+${carry.over_even:,.0f}"


def test_the_summary_says_what_it_earns_against_the_even_plan_and_the_bound(flat, carry):
    earns, even, proof = flight_summary(carry)
    assert earns.startswith("Spending $") and "from 2026-06-01 to 2026-08-31 (14 weeks)" in earns
    assert "80% interval: $" in earns
    assert even == (f"That is +${carry.over_even:,.0f} over an even plan (same budget, same model), which earns "
                    f"${carry.even_response:,.0f}.")
    assert proof.startswith(f"No plan of this budget can earn more than ${carry.bound:,.0f}: this one is proven within ")
    _, even, _ = flight_summary(flat)
    assert even == ("An even plan (same budget, same model) earns as much: without carry-over, when money is spent "
                    "changes nothing.")


def test_counting_after_the_horizon_is_said():
    plan = plan_flighting(_curves(True), 340_000.0, QUARTER, after=True)
    h = flight_headline(plan)
    assert plan.after_response > 0 and h["after"] == f"${plan.after_response:,.0f}"
    earns, even, proof = flight_summary(plan)
    assert f"and {h['after']} more after it from the carry-over the plan leaves." in earns
    assert "(after the horizon included)" in even and "(after the horizon included)" in proof


@pytest.mark.parametrize(("gap", "want"), [(0.0, "proven the best plan"),
                                           (0.0002, "proven within less than 0.1% of the best plan"),
                                           (0.0071, "proven within 0.7% of the best plan")])
def test_the_proof_in_words(flat, gap, want):
    assert proof_text(replace(flat, gap=gap)) == want


def test_the_model_note_names_what_is_flighted_and_what_is_spread(flat, carry):
    assert not has_carry_over(flat) and has_carry_over(carry)
    note = model_note(flat)
    assert note.startswith("The fit has no carry-over: ") and "each network's paid media gets the same spend every week" in note
    assert "60 creators' bookings are spread over the periods in whole posts" in note
    note = model_note(carry)
    assert note.startswith("Facebook (60%), Instagram (50%) and YouTube (40%) carry part of a week's effect")
    assert "flighted" in note
    assert "Pinterest, TikTok and X have no carry-over: spread evenly over the weeks." in note
    assert "60 creators' bookings are spread over the periods" in note


def test_the_table_has_a_column_per_period_and_totals(flat, carry):
    t = flight_table(flat)
    assert list(t.columns) == ["Name", "Network", "Jun 2026", "Jul 2026", "Aug 2026", TOTAL]
    assert len(t) == 66 + 1 and t["Name"].iloc[-1] == TOTAL
    body = t.iloc[:-1]
    assert body[TOTAL].sum() == pytest.approx(flat.total_spend, abs=0.01)
    assert t[TOTAL].iloc[-1] == pytest.approx(flat.total_spend, abs=0.01)
    assert np.allclose(body[["Jun 2026", "Jul 2026", "Aug 2026"]].sum(axis=1), body[TOTAL])
    # each network's paid media first, then its creators, largest first
    first = body.groupby("Network", sort=False).head(1)
    assert (first["Name"] == first["Network"]).all()
    weeks = flight_table(carry)
    assert weeks.shape[1] == 2 + 14 + 1


def test_the_season_sentence_names_the_rows_the_top_and_the_low():
    from planner.report.flight_text import season_sentence

    c = pd.DataFrame({"name": ["Facebook", "Instagram", "Instagram/@x"], "decay": [0.3, 0.2, 0.0],
                      "season_sin": [0.3, 0.3, np.nan], "season_cos": [0.1, 0.1, np.nan]})
    assert season_sentence(c) == ("The weekly data show Facebook and Instagram earning more per dollar in some "
                                  "seasons: up to 32% above an average week around 15 March, and as much below "
                                  "around 13 September. The plan times spend by it.")
    assert season_sentence(c.drop(columns=["season_sin", "season_cos"])) == ""
    creators = c.assign(season_sin=[0.0, 0.0, -0.15], season_cos=[0.0, 0.0, 0.25])  # the campaigns' wave only
    assert season_sentence(creators) == ("Creators' campaigns return more in some seasons: up to 29% above an "
                                         "average quarter around 1 December, and as much below around 1 June; "
                                         "each creator is valued at its mean over the days of the horizon it can post.")


def test_a_horizon_that_started_or_ended_before_today_is_said():
    from planner.report.flight_text import past_sentence

    h = Horizon(date(2026, 6, 1), date(2026, 8, 31), "month")
    assert past_sentence(h, date(2026, 5, 31)) == ""
    assert past_sentence(h, date(2026, 7, 1)).startswith("This horizon started on 2026-06-01, before today: the plan "
                                                          "is from its first day")
    assert "use the Pacing page" in past_sentence(h, date(2026, 7, 1))
    assert past_sentence(h, date(2026, 9, 1)).startswith("This horizon ended on 2026-08-31: the plan is what the best "
                                                         "plan would have been")
