"""A creators' tracker that writes a campaign's fee on its first row and the revenue of the weeks after on rows of
their own: those rows are the campaign's, not campaigns that cost nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.data.campaign_tails import campaign_tails
from planner.data.ingest import load
from planner.fit.budget import NOTES
from planner.fit.creator_rows import campaigns_of
from planner.fit.pipeline import fit_curves

HEAD = "Date,Network,Creator,Posts,Fee paid,Promo-code revenue\n"


def test_rows_of_a_blank_fee_after_a_campaign_are_its_revenue():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-15", "2024-02-01", "2024-01-03", "2024-01-01",
                                "2024-06-01"]),
        "entity": ["@a", "@a", "@a", "@a", "@b", "", "@a"],
        "spend": [100.0, 0.0, 0.0, 0.0, 0.0, 50.0, 0.0],
        "outcome": [300.0, 150.0, 50.0, 80.0, 90.0, 70.0, 60.0],
        "posts": [2.0, np.nan, np.nan, 1.0, np.nan, np.nan, np.nan],
    })
    blank = np.array([False, True, True, True, True, False, True])
    key, tails = campaign_tails(frame, blank)
    # @a's two weeks after its campaign are its; a row with posts is a campaign of its own (gifted), and so is one five
    # months later; @b has no campaign with a fee before; paid media has no campaigns
    assert key.tolist() == ["2024-01-01", "2024-01-01", "2024-01-01", "2024-02-01", "2024-01-03", "", "2024-06-01"]
    assert tails.tolist() == [1, 2]
    written_zero = campaign_tails(frame, np.zeros(7, dtype=bool))  # a fee written as 0: gifted, as written
    assert written_zero[0] is None and len(written_zero[1]) == 0


def test_a_tracker_with_the_fee_on_a_campaigns_first_row_fits_all_its_revenue():
    text = HEAD + ("2024-01-01,IG,@a,2,100,300\n2024-01-08,IG,@a,,,150\n2024-01-15,IG,@a,,,50\n"
                   "2024-04-01,IG,@a,1,60,200\n2024-04-08,IG,@a,,,40\n2024-01-05,IG,@b,0,0,90\n")
    ds = load(text.encode(), name="t.csv")
    said = [w.message for w in ds.warnings if "read as more revenue of that campaign" in w.message]
    assert said == ["3 rows of creators with a blank fee and no posts, within a quarter after a campaign of the same "
                    "creator, were read as more revenue of that campaign (a fee written once, on a campaign's first "
                    "row; the first at row 3). Write 0 as the fee of a campaign that was gifted."]
    camp = campaigns_of(ds.rows).set_index(["entity", "date"])
    assert camp.loc[("@a", pd.Timestamp("2024-01-01")), "outcome"] == pytest.approx(500.0)
    assert camp.loc[("@a", pd.Timestamp("2024-04-01")), "outcome"] == pytest.approx(240.0)
    assert camp.loc[("@b", pd.Timestamp("2024-01-05")), "spend"] == 0.0  # written 0: gifted, said by the fit
    with_ids = load((HEAD.replace("\n", ",Campaign\n") + "2024-01-01,IG,@a,2,100,300,C1\n"
                     "2024-01-08,IG,@a,,,150,C2\n").encode(), name="ids.csv")
    assert with_ids.rows["campaign"].tolist() == ["C1", "C2"]  # the file says which rows are one campaign


def test_weekly_revenue_rows_give_the_curves_of_the_campaigns_summed():
    rng = np.random.default_rng(0)
    lines, summed = [], []
    for i in range(30):
        for q in range(4):
            posts = int(rng.integers(1, 5))
            fee = 100 * posts
            revenue = 900 * np.log1p(posts) * np.exp(rng.normal(0, 0.2))
            day = pd.Timestamp("2024-01-10") + pd.Timedelta(days=91 * q + i)
            parts = [round(share * revenue, 2) for share in (0.6, 0.3, 0.1)]
            lines.append(f"{day:%Y-%m-%d},IG,@c{i},{posts},{fee},{parts[0]:.2f}")
            lines += [f"{day + pd.Timedelta(days=7 * k):%Y-%m-%d},IG,@c{i},,,{parts[k]:.2f}" for k in (1, 2)]
            summed.append(f"{day:%Y-%m-%d},IG,@c{i},{posts},{fee},{sum(parts):.2f}")
    weekly = fit_curves(load((HEAD + "\n".join(lines) + "\n").encode(), name="weekly.csv"), n_boot=0)
    once = fit_curves(load((HEAD + "\n".join(summed) + "\n").encode(), name="once.csv"), n_boot=0)
    assert weekly["beta"].to_numpy() == pytest.approx(once["beta"].to_numpy(), rel=1e-6)
    assert not any("cost nothing" in n for n in weekly.attrs.get(NOTES, []))
