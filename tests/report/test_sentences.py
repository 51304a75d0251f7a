"""planner.report.sentences: plain sentences on a plan."""

from __future__ import annotations

from planner.base.format import interval_text
from planner.optimize import optimize
from planner.report.sentences import engagement_trade, reading, unmet_text
from tests.report.view_cases import engaging_curves


def test_unmet_budgets_are_one_sentence():
    why = "The minimum spends add up to $150,000, more than the budget of $100,000."
    text = unmet_text([(100_000.0, why), (90_000.0, why)])
    assert text == f"No plan meets the bounds at 2 budgets from $90,000 to $100,000, so the frontier leaves them out: {why}"
    assert unmet_text([]) == ""


def test_engagement_trade_reads_what_valuing_an_engagement_costs():
    base = optimize(engaging_curves(), 40_000)
    a = optimize(engaging_curves(), 40_000, engagement_weight=0.05)
    lost = base.total_response - a.total_response
    gained = a.engagements - base.engagements
    assert lost > 0 and gained > 0
    text = engagement_trade(a, base)
    share = f"{100 * lost / base.total_response:.2f}%" if lost / base.total_response < 0.01 else \
        f"{100 * lost / base.total_response:.1f}%"
    assert text == (f"Valuing an engagement at $0.05 trades ${lost:,.0f} of revenue ({share}) for "
                    f"{gained:,.0f} more engagements (${lost / gained:.2f} of revenue each): "
                    f"{a.engagements:,.0f} in all instead of {base.engagements:,.0f}.")


def test_engagement_trade_when_nothing_changes_or_nothing_is_valued():
    base = optimize(engaging_curves(), 40_000)
    assert engagement_trade(base, base) == ""  # weight 0: nothing to say
    tiny = optimize(engaging_curves(), 40_000, engagement_weight=1e-9)
    assert engagement_trade(tiny, base).startswith("Valuing an engagement at $0.0000000010 does not change "
                                                         "the plan")
    assert engagement_trade(tiny, None) == ""


def test_reading_says_revenue_is_no_longer_even_when_engagement_is_valued():
    a = optimize(engaging_curves(), 40_000, engagement_weight=0.05)
    text = reading(a, engaging_curves())
    assert "Engagement is valued at $0.05 each" in text
    assert "on every funded row" not in text


def test_interval_text_reads_p10_to_p90_and_the_median():
    assert interval_text(1_517_127.4, 1_631_000.0, 1_752_581.0) == \
        "80% interval: $1,517,127 to $1,752,581, median $1,631,000"
    assert interval_text(1_500_000.0, float("nan"), 2_400_000.0) == "80% interval: $1,500,000 to $2,400,000"
    assert interval_text(float("nan"), 1.0, 2.0) == ""
