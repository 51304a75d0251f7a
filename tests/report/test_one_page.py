"""The one-page report of a plan: its figures agree with the plan's valuation, and HTML and PDF lay them out."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from planner.analysis.evaluate import evaluate_plan
from planner.base.currency import EUR, using
from planner.base.format import money
from planner.report.one_page.facts import one_page
from planner.report.one_page.html import report_html
from planner.report.one_page.pdf import report_pdf, unicode_font

PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


@pytest.fixture
def plan(curves) -> pd.DataFrame:
    """A plan that moves money between rows of ``curves`` (the chart tests' curve table)."""
    spend = [60_000.0, 25_000.0, 25_000.0, 5_000.0, 30_000.0, 10_000.0, 4_500.0, 2_000.0, 1_000.0]
    return pd.DataFrame({"name": curves["name"], "network": curves["network"], "spend": spend})


def test_figures_are_the_plans_valuation(curves, plan):
    page = one_page(curves, plan)
    ev = evaluate_plan(curves, plan)
    assert page.evaluation.total_response == pytest.approx(ev.total_response)
    assert dict((k, v) for k, v, _ in page.figures)["Expected revenue"] == money(ev.total_response)
    assert money(ev.total_spend) in page.headline and money(ev.total_response) in page.headline
    assert "80% interval" in page.headline  # the curve table has beta_p10 / beta_p90
    assert money(ev.optimum_response) in page.against_best
    # the split by network adds up to the plan
    spend = page.split[page.split["kind"] == "This plan"].groupby("network")["spend"].sum()
    assert spend.sum() == pytest.approx(plan["spend"].sum())
    assert list(page.networks["Network"]) == list(spend.sort_values(ascending=False).index)


def test_moves_name_the_largest_changes_from_today(curves, plan):
    page = one_page(curves, plan)
    change = plan["spend"].to_numpy() - curves["current_spend"].to_numpy()
    most_added = curves["name"].iloc[int(np.argmax(change))]
    most_cut = curves["name"].iloc[int(np.argmin(change))]
    added = next(m for m in page.moves if m.startswith("Most added"))
    cut = next(m for m in page.moves if m.startswith("Most cut"))
    assert added.split(": ")[1].startswith(most_added) and cut.split(": ")[1].startswith(most_cut)
    assert "Today" in page.networks.columns


def test_creators_largest_first_and_counted(curves, plan):
    page = one_page(curves, plan, top=2)
    assert list(page.creators["Creator"]) == ["TikTok/@lena.bakes", "TikTok/@max.fit"]
    assert page.creators_note == "The plan funds 3 of 3 creators; the 2 with the largest spend are shown."


def test_without_today_or_creators_it_says_so(curves, plan):
    nets = ~curves["name"].str.contains("/")
    page = one_page(curves[nets].drop(columns="current_spend"), plan[nets.to_numpy()])
    assert page.creators.empty and "no creators" in page.creators_note
    assert page.moves == ("The curve table has no current spend, so there is nothing to compare the plan with.",)
    assert "Today" not in page.networks.columns and page.marks["today"] is None
    assert page.frontier is not None and len(page.frontier) == 25


def test_fingerprint_follows_the_inputs_not_the_file(curves, plan):
    a = one_page(curves, plan).fingerprint
    b = one_page(curves, plan.assign(spend=plan["spend"] + 1e-4)).fingerprint  # the same plan to the cent
    c = one_page(curves, plan.assign(spend=plan["spend"] + 1.0)).fingerprint
    assert a == b and a[1] != c[1] and a[0] == c[0]


def test_html_is_one_escaped_document_with_both_charts(curves, plan):
    curves = curves.copy()
    curves.loc[6, "name"] = "TikTok/@<script>alert(1)</script>"
    plan = plan.assign(name=curves["name"])
    text = report_html(one_page(curves, plan, top=8))
    assert text.startswith("<!DOCTYPE html>") and text.count("<svg") == 2
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    for heading in ("Split by network", "Top creators", "What moved from today", "Assumptions", "Fingerprint"):
        assert f"<h2>{heading}</h2>" in text


def test_pdf_is_one_page(curves, plan):
    data = report_pdf(one_page(curves, plan))
    assert data.startswith(b"%PDF-") and len(PAGE.findall(data)) == 1


@pytest.mark.skipif(unicode_font() is None, reason="no DejaVu or Liberation font on this machine")
def test_pdf_with_a_unicode_font_embeds_it(curves, plan):
    with using(EUR):
        data = report_pdf(one_page(curves, plan))
    assert b"/FontFile2" in data and b"/Helvetica" not in data


def test_the_page_says_which_curves_the_data_barely_support(curves, plan):
    assert not any("barely support" in a for a in one_page(curves, plan).assumptions)  # the chart tests' table: sound
    weak = curves.assign(source=np.where(curves["name"].str.contains("/"), "creator campaigns", "marketing-mix"),
                         prior_weight=np.where(curves["name"].str.contains("/"), np.nan, 0.8), n_obs=104)
    said = [a for a in one_page(weak, plan).assumptions if "barely support" in a]
    nets = [n for n in weak["name"] if "/" not in n]
    assert len(nets) == 6 and said == [f"Optimal for these curves only: the data barely support {', '.join(nets[:4])} "
                                       "and 2 more. A lift test of them would tell their effect apart from baseline "
                                       "sales."]  # four named at most: the page has one page
    assert "barely support" in report_html(one_page(weak, plan))


def test_the_samples_report_with_its_caveat_stays_on_one_page():
    from planner.fit import saved
    from planner.optimize import optimize

    sample = pd.read_parquet(saved.SAMPLE_FIT)
    plan = optimize(sample, 339_453.0).table[["name", "network", "spend"]]
    page = one_page(sample, plan)
    assert any(a.startswith("Optimal for these curves only: the data barely support Pinterest, TikTok, X and "
                            "YouTube.") for a in page.assumptions)
    assert len(PAGE.findall(report_pdf(page))) == 1
