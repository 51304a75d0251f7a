"""The weekly sample as a brand has it: the platforms' spend exports by day and the shop's sales by day.

``weekly_paid_media.xlsx`` is one table of spend per network and total sales. Most brands have it in pieces: Meta
Ads Manager exports Facebook's and Instagram's spend by day (a Platform breakdown), TikTok Ads Manager TikTok's,
the team keeps the other networks' spend in a sheet, and the shop's "Sales over time" gives the sales by day. This
script writes those four files from the weekly table, each week's amounts spread evenly over its seven days (in
cents, the last day taking the rounding), days without spend left out as the platforms leave them out:

    python sample_data/spend_exports.py            # from sample_data/weekly_paid_media.xlsx, into sample_data/

Joined again (``python -m planner fit sample_data/meta_ads_spend.csv sample_data/tiktok_ads_spend.csv
sample_data/team_spend_by_day.csv sample_data/shop_sales_over_time.csv --out curves.csv``) they give the
weekly table back, week for week.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
FILES = ("meta_ads_spend.csv", "tiktok_ads_spend.csv", "team_spend_by_day.csv", "shop_sales_over_time.csv")


def by_day(weekly: pd.Series, days: pd.DatetimeIndex) -> np.ndarray:
    """Each week's amount over its seven days in cents, the last day taking the rounding."""
    out = np.zeros(len(days))
    for w, amount in enumerate(weekly.to_numpy(dtype=float)):
        cents = round(amount * 100)
        share = cents // 7
        out[7 * w: 7 * w + 7] = share / 100
        out[7 * w + 6] = (cents - 6 * share) / 100
    return out


def write(weekly: pd.DataFrame, out_dir: str | Path) -> dict[str, Path]:
    """Write the four files for a weekly table (``Week``, ``<network> spend``, ``Total sales``); return their paths.

    Keys: ``meta``, ``tiktok``, ``team`` (YouTube, Pinterest and X) and ``sales``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    days = pd.date_range(weekly["Week"].iloc[0], periods=7 * len(weekly), freq="D")
    spend = {c[: -len(" spend")]: by_day(weekly[c], days) for c in weekly.columns if c.endswith(" spend")}
    day = days.strftime("%Y-%m-%d")
    meta = pd.concat([pd.DataFrame({"Day": day, "Campaign name": "Always on, prospecting", "Platform": net.lower(),
                                    "Amount spent (USD)": spend[net], "Impressions": (spend[net] * 90).astype(int)})
                      for net in ("Facebook", "Instagram")]).sort_values("Day", kind="stable")
    tiktok = pd.DataFrame({"By Day": day, "Campaign name": "TT spark ads", "Cost": spend["TikTok"]})
    team = pd.concat([pd.DataFrame({"Date": days.strftime("%d/%m/%Y"), "Network": net, "Spend": spend[net]})
                      for net in ("YouTube", "Pinterest", "X")])
    paths = {}
    for key, name, frame, col in (("meta", FILES[0], meta, "Amount spent (USD)"), ("tiktok", FILES[1], tiktok, "Cost"),
                                  ("team", FILES[2], team, "Spend")):
        frame[frame[col] > 0].to_csv(out / name, index=False)
        paths[key] = out / name
    net = by_day(weekly["Total sales"], days)
    sales = pd.DataFrame({"Day": day, "Orders": np.round(net / 55).astype(int), "Gross sales": np.round(net * 1.12, 2),
                          "Discounts": -np.round(net * 0.08, 2), "Returns": -np.round(net * 0.04, 2),
                          "Net sales": net, "Shipping": np.round(net * 0.03, 2), "Taxes": np.round(net * 0.07, 2),
                          "Total sales": np.round(net * 1.10, 2)})
    sales.to_csv(out / FILES[3], index=False)
    paths["sales"] = out / FILES[3]
    return paths


def main() -> int:
    weekly = pd.read_excel(HERE / "weekly_paid_media.xlsx", sheet_name="Weekly", engine="openpyxl")
    for path in write(weekly, HERE).values():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
