"""planner.report.sentences: plain sentences on a plan."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from planner.base.format import interval_text
from planner.optimize import optimize
from planner.report.sentences import beyond_data_text, engagement_trade, first_test_text, reading, unmet_text
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


def _mmm_curves() -> pd.DataFrame:
    return pd.DataFrame({"name": ["TV", "Print", "Search"], "network": ["TV", "Print", "Search"],
                         "curve": ["log"] * 3, "beta": [4e6, 1e6, 1e6], "k": [3e5, 5e4, 8e4],
                         "observed_max": [531_747.0, 108_146.0, 5e6]})


def test_rows_beyond_the_data_are_named_the_furthest_first():
    a = optimize(_mmm_curves(), 3_000_000)
    beyond = a.table.loc[a.table["extrapolated"]]
    assert set(beyond["name"]) == {"TV", "Print"}  # Search stays within the $5,000,000 the data saw
    text = beyond_data_text(a)
    tv, pr = (a.table.set_index("name").loc[n, "spend"] for n in ("TV", "Print"))
    first, second = sorted(("TV", "Print"), key=lambda n: -a.table.set_index("name").loc[n, "spend"]
                           / a.table.set_index("name").loc[n, "observed_max"])
    assert text.startswith(f"2 rows get more than the data has ever seen them spend: {first} (")
    assert "the most seen" in text.split(" and ")[0] and f"{second} (" in text
    assert f"${tv:,.0f}" in text and f"${pr:,.0f}" in text and "$531,747" in text and "$108,146" in text
    assert text.endswith("Their expected revenue is an extrapolation of the curve; set a maximum spend to stay "
                         "within the data.")
    one = beyond_data_text(a, shown=1, ticked=' (ticked under "Beyond data")')
    assert one.startswith('2 rows (ticked under "Beyond data") get more') and "and 1 more row." in one
    assert beyond_data_text(optimize(_mmm_curves(), 100_000)) == ""  # within what the data saw
    assert beyond_data_text(optimize(_mmm_curves().drop(columns="observed_max"), 3_000_000)) == ""


def test_the_first_lift_test_is_the_weak_network_carrying_most_of_the_plans_uncertainty():
    from planner.curves.support import support

    curves = _mmm_curves().assign(source="marketing-mix", prior_weight=[0.9, 0.6, 0.1], n_obs=104,
                                  beta_p10=lambda d: d["beta"] * np.array([0.4, 0.7, 0.9]),
                                  beta_p90=lambda d: d["beta"] * np.array([2.0, 1.4, 1.1]))
    judged = support(curves)
    assert judged.pulled == ("TV", "Print")
    a = optimize(curves, 400_000)
    text = first_test_text(a, curves, judged)
    m = re.fullmatch(r"Test TV first: it carries (\d+)% of the uncertainty in this plan's revenue\.", text)
    assert m and 50 <= int(m.group(1)) <= 100, text
    # where the weak networks hardly weigh in the plan, a test would narrow its band little
    small = curves.assign(beta_p10=curves["beta"] * np.array([0.95, 0.95, 0.3]),
                          beta_p90=curves["beta"] * np.array([1.05, 1.05, 3.0]))
    assert first_test_text(optimize(small, 400_000), small, support(small)).startswith(
        "Those networks carry ") and "so a lift test would narrow its band little" in first_test_text(
        optimize(small, 400_000), small, support(small))
    assert first_test_text(a, curves.assign(prior_weight=0.1), support(curves.assign(prior_weight=0.1))) == ""
    assert first_test_text(a, curves.drop(columns=["beta_p10", "beta_p90"]), judged) == ""
