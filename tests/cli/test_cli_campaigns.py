"""The command line on a tracker with several campaigns a quarter: campaigns fitted, and booked in the plan."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.curves.files import read_curves


def _tracker(path) -> None:
    """Six creators, two campaigns a quarter over four quarters; each campaign's posts on two dates, one id."""
    rng = np.random.default_rng(11)
    rows = []
    for i in range(6):
        fee = 100.0 * (i + 1)
        for q in range(4):
            for j in range(2):
                posts = int(rng.integers(1, 4))
                revenue = 6 * fee * 4 * posts / (posts + 2) * float(np.exp(rng.normal(0, 0.1)))
                start = pd.Timestamp("2025-01-06") + pd.DateOffset(months=3 * q) + pd.Timedelta(days=40 * j)
                for d in range(2):  # a campaign's two rows, a week apart, share its id
                    rows.append({"Date": (start + pd.Timedelta(days=7 * d)).date().isoformat(), "Network": "TikTok",
                                 "Creator": f"@maker{i}", "Campaign": f"C{i}-{q}-{j}", "Posts": posts / 2,
                                 "Fee paid": posts * fee / 2, "Promo-code revenue": round(revenue / 2, 2)})
    pd.DataFrame(rows).to_csv(path, index=False)


def test_fit_reads_campaigns_and_optimize_books_them(cli, tmp_path):
    data, curves = tmp_path / "tracker.csv", tmp_path / "curves.csv"
    _tracker(data)
    assert cli("fit", data, "--out", curves).returncode == 0
    table = read_curves(curves).set_index("name")
    assert (table["campaigns"] == 2).all()
    assert (table["n_obs"] == 8).all()  # eight campaign ids each, not sixteen rows nor four quarters
    assert table["pooling_note"].str.contains("Planned as 2 campaigns a quarter of about").all()
    run = cli("optimize", "--curves", curves, "--budget", "3000")
    assert run.returncode == 0, run.stderr
    assert "Creators booked for the period (posts in campaigns" in run.stdout
    booked = run.stdout.split("Creators booked")[1]
    assert "Posts" in booked and "Campaigns" in booked and "TikTok/@maker" in booked
