"""Generate the sample spreadsheets the planner opens with (seeded, reproducible).

Run from the repository root::

    python sample_data/generate.py            # seed 7, writes into sample_data/
    python sample_data/generate.py --seed 11 --out /tmp/other

or from Python (benchmarks, tests)::

    paths = generate(out_dir, seed)           # {"creator_campaigns": Path, ...}

What is made (columns and sources of every number: sample_data/README.md):

- ``creator_campaigns.xlsx``  sheets "Campaigns" (title row, blank row, header, one row per
  campaign = a creator's activity in one quarter, a "Total" row) and "Roster";
- ``weekly_paid_media.xlsx``  sheet "Weekly": 156 Mondays of spend per network and total sales;
- ``finance_plan.xlsx``       sheet "Plan": finance's proposal for the next quarter (Q1 2026);
- ``true_curves.csv``         the TRUE quarterly curve table (DESIGN.md contract 1) of every entity;
- ``true_weekly.csv``         the TRUE weekly marketing-mix parameters (adstock, hill, baseline).

Every number comes from one ``numpy.random.Generator(PCG64(seed))`` drawn in a fixed order, and
the xlsx files are written with fixed timestamps, so the same seed gives byte-identical files.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `planner` importable
    sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Font  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from planner.base.safe_text import set_text, write_csv  # noqa: E402
from planner.curves.files import write_curves  # noqa: E402
from planner.curves.forms import response  # noqa: E402
from planner.curves.table import validate_curves  # noqa: E402

__all__ = ["generate", "NETWORKS", "NETWORK_PROFILE", "DEFAULT_SEED", "TARGET_CREATOR_ROAS"]

DEFAULT_SEED = 7
NETWORKS = ("Instagram", "TikTok", "YouTube", "Pinterest", "Facebook", "X")
TIERS = ("nano", "micro", "mid", "macro")
WEEKS_PER_QUARTER = 13

# --------------------------------------------------------------------------------------------
# Per-network figures. Sources and which numbers are our assumptions: sample_data/README.md.
#   aov           average order value of a promo-code order (USD)
#   conv          orders per click (click-to-order conversion rate)
#   er            engagements per follower per post, by tier (nano, micro, mid, macro)
#   fee_per_1k    creator fee per post per 1,000 followers (USD), before the tier factor
#   reach_rate    share of followers a single post reaches (our assumption)
#   creators      how many creators of the roster are on this network
#   creator_roas  promo-code revenue per fee dollar of a typical creator (before calibration)
#   weekly_*      paid media: mean weekly spend, ROAS at that spend, adstock decay, hill s range
# --------------------------------------------------------------------------------------------
NETWORK_PROFILE: dict[str, dict] = {
    "Instagram": dict(aov=65.0, conv=0.0108, er=(0.045, 0.0386, 0.020, 0.0121), fee_per_1k=10.0,
                      reach_rate=0.30, creators=18, creator_roas=6.5,
                      weekly_spend=2800.0, weekly_roas=2.7, decay=0.25, s_range=(1.3, 1.9)),
    "TikTok": dict(aov=42.0, conv=0.0090, er=(0.18, 0.18, 0.09, 0.05), fee_per_1k=2.5,
                   reach_rate=0.45, creators=16, creator_roas=7.0,
                   weekly_spend=1800.0, weekly_roas=2.3, decay=0.10, s_range=(1.0, 1.4)),
    "YouTube": dict(aov=58.0, conv=0.0116, er=(0.020, 0.0164, 0.009, 0.0037), fee_per_1k=20.0,
                    reach_rate=0.35, creators=9, creator_roas=6.0,
                    weekly_spend=1000.0, weekly_roas=1.8, decay=0.60, s_range=(1.6, 2.2)),
    "Pinterest": dict(aov=92.0, conv=0.0120, er=(0.006, 0.005, 0.003, 0.002), fee_per_1k=6.0,
                      reach_rate=0.20, creators=5, creator_roas=7.5,
                      weekly_spend=800.0, weekly_roas=2.5, decay=0.50, s_range=(1.1, 1.6)),
    "Facebook": dict(aov=55.0, conv=0.0185, er=(0.008, 0.006, 0.004, 0.0025), fee_per_1k=8.0,
                     reach_rate=0.10, creators=7, creator_roas=6.5,
                     weekly_spend=3000.0, weekly_roas=3.0, decay=0.30, s_range=(1.0, 1.5)),
    "X": dict(aov=41.0, conv=0.0077, er=(0.005, 0.004, 0.0025, 0.0012), fee_per_1k=3.0,
              reach_rate=0.08, creators=5, creator_roas=3.5,
              weekly_spend=600.0, weekly_roas=1.2, decay=0.15, s_range=(0.8, 1.1)),
}

TIER_FOLLOWERS = {"nano": (2_000, 10_000), "micro": (10_000, 100_000),
                  "mid": (100_000, 500_000), "macro": (500_000, 2_500_000)}
TIER_PROB = (0.20, 0.45, 0.25, 0.10)
TIER_FEE_FACTOR = {"nano": 1.25, "micro": 1.0, "mid": 0.9, "macro": 0.8}   # per-follower discount
TIER_ROAS_FACTOR = {"nano": 1.15, "micro": 1.10, "mid": 0.95, "macro": 0.80}
TIER_MAX_POSTS = {"nano": (4, 8), "micro": (3, 8), "mid": (2, 6), "macro": (2, 4)}

# How a creator's true curve is drawn (_creator_curves): the form, its k in posts (k / fee),
# hill s, the creator's spread of return per dollar around its network and tier (log sd),
# and the sd of one campaign's log revenue around the curve.
CREATOR_FORMS = {"hill": 0.70, "logistic": 0.15, "log": 0.15}
# generate(..., creator_shapes="concave"): a world where no creator's response is S-shaped
CONCAVE_CREATOR_FORMS = {"hill": 0.0, "logistic": 0.5, "log": 0.5}
CREATOR_K_POSTS = {"hill": (1.5, 5.0), "logistic": (1.5, 4.0), "log": (0.5, 3.0)}
HILL_S = (0.8, 2.2)
CREATOR_ROAS_SD = 0.30
CREATOR_NOISE_SD = (0.15, 0.25)
# The several-campaigns tracker (generate(..., campaigns_per_quarter=(lo, hi))): each creator has a usual
# number of campaigns a quarter (lo..hi), and in a share SEVERAL_OFF of its active quarters runs another number
# in lo..hi; campaigns are on distinct dates, each of 1..SEVERAL_POSTS[1] posts (at most its tier's maximum).
# The true curve is then a campaign's response, and a quarter's is the sum over its campaigns.
SEVERAL_POSTS = (1, 4)
SEVERAL_OFF = 0.25

TARGET_CREATOR_ROAS = 6.5          # overall promo-code revenue / fee paid of the creator program
MEDIA_SHARE = 0.35                 # share of total weekly sales driven by paid media (on average)
FINANCE_TOTAL = 250_000.0          # finance's proposed total for the next quarter

QUARTERS = [(y, q) for y in (2024, 2025) for q in (1, 2, 3, 4)]   # campaign history
NEXT_QUARTER = (2026, 1)
FIRST_WEEK = date(2023, 1, 2)      # a Monday
N_WEEKS = 156
_FIXED_STAMP = datetime(2026, 1, 5, 9, 0, 0)   # written into xlsx metadata, for reproducible bytes

FIRST_NAMES = (
    "lena", "maya", "noah", "liam", "ava", "mia", "ella", "leo", "nina", "omar", "priya", "sofia",
    "jade", "kai", "ruby", "theo", "isla", "sam", "tara", "ben", "cleo", "dani", "eli", "fern",
    "gus", "hana", "ivy", "jonah", "kira", "luca", "mara", "nico", "olive", "paz", "quinn", "rosa",
    "sage", "tess", "uma", "vera", "wren", "yara", "zara", "amir", "bea", "cora", "dex", "emi",
    "finn", "gia", "hugo", "iris", "june", "kenji", "lou", "milo", "nell", "otto", "pia", "remy",
)
NON_ASCII_NAMES = ("zoë", "josé", "chloé", "björn", "renée", "søren")
NICHES = (
    "bakes", "cooks", "eats", "lifts", "runs", "styles", "travels", "plants", "reads", "crafts",
    "decor", "home", "glow", "fits", "thrifts", "paints", "hikes", "makes", "brews", "sews",
    "grows", "skates", "pours", "knits", "cycles", "camps", "moves", "tastes",
)
HANDLE_PATTERNS = ("{n}.{w}", "{n}_{w}", "{w}with{n}", "the{n}{w}", "{n}{w}", "{n}.{w}.daily",
                   "{n}_{w}_studio", "hey{n}{w}")


# ============================================================================ creators
def _round_fee(x: float) -> float:
    """Round a per-post fee the way rate cards are written."""
    step = 5 if x < 200 else 25 if x < 1_000 else 50 if x < 5_000 else 250
    return float(max(step, step * round(x / step)))


def _make_handles(rng: np.random.Generator, n: int) -> list[str]:
    handles: list[str] = []
    seen: set[str] = set()
    # one or two creators have letters outside ASCII
    for name in rng.choice(NON_ASCII_NAMES, size=2, replace=False):
        h = f"{name}.{rng.choice(NICHES)}"
        handles.append(h)
        seen.add(h)
    while len(handles) < n:
        pattern = HANDLE_PATTERNS[rng.integers(len(HANDLE_PATTERNS))]
        h = pattern.format(n=rng.choice(FIRST_NAMES), w=rng.choice(NICHES))
        if h not in seen:
            seen.add(h)
            handles.append(h)
    order = rng.permutation(n)
    return ["@" + handles[i] for i in order]


def _creator_roster(rng: np.random.Generator) -> pd.DataFrame:
    networks = [net for net in NETWORKS for _ in range(NETWORK_PROFILE[net]["creators"])]
    n = len(networks)
    handles = _make_handles(rng, n)
    rows = []
    for net, handle in zip(networks, handles, strict=False):
        p = NETWORK_PROFILE[net]
        tier = TIERS[rng.choice(4, p=TIER_PROB)]
        lo, hi = TIER_FOLLOWERS[tier]
        followers = int(round(np.exp(rng.uniform(np.log(lo), np.log(hi))), -2 if lo < 100_000 else -3))
        followers = int(np.clip(followers, lo, hi - 1))
        fee = _round_fee(followers / 1000 * p["fee_per_1k"] * TIER_FEE_FACTOR[tier]
                         * np.exp(rng.normal(0.0, 0.2)))
        mlo, mhi = TIER_MAX_POSTS[tier]
        rows.append(dict(handle=handle, network=net, tier=tier, followers=followers,
                         fee=fee, max_posts=int(rng.integers(mlo, mhi + 1))))
    return pd.DataFrame(rows)


def creator_forms(shapes: str = "mixed") -> dict[str, float]:
    """The mix of forms creators' true curves are drawn from: :data:`CREATOR_FORMS`, or, for ``"concave"``,
    :data:`CONCAVE_CREATOR_FORMS`."""
    if shapes not in ("mixed", "concave"):
        raise ValueError(f"creator_shapes must be 'mixed' or 'concave', not {shapes!r}")
    return CONCAVE_CREATOR_FORMS if shapes == "concave" else CREATOR_FORMS


def _creator_curves(rng: np.random.Generator, roster: pd.DataFrame, shapes: str = "mixed") -> pd.DataFrame:
    """The TRUE response (promo-code revenue) of one campaign of each creator to the fee paid.

    With one campaign a quarter (the default) it is the quarterly response.
    """
    forms = creator_forms(shapes)
    out = []
    for r in roster.itertuples(index=False):
        p = NETWORK_PROFILE[r.network]
        roas_ref = p["creator_roas"] * TIER_ROAS_FACTOR[r.tier] * np.exp(rng.normal(0.0, CREATOR_ROAS_SD))
        ref_posts = max(1, int(np.ceil(getattr(r, "campaign_max_posts", r.max_posts) / 2)))
        x_ref = ref_posts * r.fee
        y_ref = roas_ref * x_ref
        u = rng.random()
        if u < forms["hill"]:
            curve, s = "hill", float(rng.uniform(*HILL_S))
            k = r.fee * float(rng.uniform(*CREATOR_K_POSTS["hill"]))
            ratio = (x_ref / k) ** s
            beta = y_ref * (1.0 + ratio) / ratio
        elif u < forms["hill"] + forms["logistic"]:
            curve, s = "logistic", np.nan
            k = r.fee * float(rng.uniform(*CREATOR_K_POSTS["logistic"]))
            beta = y_ref / np.tanh(x_ref / (2.0 * k))
        else:
            curve, s = "log", np.nan
            k = r.fee * float(rng.uniform(*CREATOR_K_POSTS["log"]))
            beta = y_ref / np.log1p(x_ref / k)
        out.append(dict(curve=curve, beta=beta, k=k, s=s,
                        noise_sd=float(rng.uniform(*CREATOR_NOISE_SD))))
    return pd.concat([roster.reset_index(drop=True), pd.DataFrame(out)], axis=1)


def _quarter_start(year: int, q: int) -> date:
    return date(year, 3 * (q - 1) + 1, 1)


def _campaign_dates(rng: np.random.Generator, qi: int, c) -> list[date]:
    """Start dates of a quarter's campaigns of creator ``c``: one, or (several-campaigns tracker) its usual
    number or, in a share SEVERAL_OFF of quarters, its other one, in windows of the quarter (distinct dates)."""
    if not hasattr(c, "campaigns"):
        return [_quarter_start(*QUARTERS[qi]) + timedelta(days=int(rng.integers(0, 56)))]
    n = int(c.campaigns_other if rng.random() < SEVERAL_OFF else c.campaigns)
    width = 84 // n  # a window per campaign; a start moved to Monday stays inside its window
    return [_quarter_start(*QUARTERS[qi]) + timedelta(days=j * width + int(rng.integers(0, width - 3)))
            for j in range(n)]


def _campaigns(rng: np.random.Generator, creators: pd.DataFrame) -> pd.DataFrame:
    rows = []
    several = "campaigns" in creators.columns
    for i, c in enumerate(creators.itertuples(index=False)):
        thin = rng.random() < 0.22
        n = int(rng.integers(1, 4)) if thin else int(rng.integers(3, 9))
        quarters = np.sort(rng.choice(len(QUARTERS), size=n, replace=False))
        dated = ((q, d) for q in quarters for d in _campaign_dates(rng, q, c))
        for qi, start in dated:  # lazily: each quarter's dates are drawn just before its campaigns
            while start.weekday() >= 5:  # campaigns start on a weekday
                start += timedelta(days=1)
            posts = int(rng.integers(1, (c.campaign_max_posts if several else c.max_posts) + 1))
            noise = float(np.exp(rng.normal(-0.5 * c.noise_sd**2, c.noise_sd)))
            rows.append(dict(idx=i, date=start, quarter=qi, posts=posts,
                             fee_paid=posts * c.fee, noise=noise,
                             reach_noise=float(np.exp(rng.normal(0, 0.15))),
                             eng_noise=float(np.exp(rng.normal(0, 0.20))),
                             click_noise=float(np.exp(rng.normal(0, 0.20)))))
    camp = pd.DataFrame(rows)
    curves = creators.iloc[camp["idx"].to_numpy()].reset_index(drop=True)
    camp["revenue_raw"] = response(curves, camp["fee_paid"].to_numpy()) * camp["noise"].to_numpy()
    return camp


def _finish_campaigns(creators: pd.DataFrame, camp: pd.DataFrame) -> pd.DataFrame:
    """Outcome columns of each campaign from its (already calibrated) revenue."""
    c = creators.iloc[camp["idx"].to_numpy()].reset_index(drop=True)
    aov = c["network"].map(lambda n: NETWORK_PROFILE[n]["aov"]).to_numpy()
    conv = c["network"].map(lambda n: NETWORK_PROFILE[n]["conv"]).to_numpy()
    reach_rate = c["network"].map(lambda n: NETWORK_PROFILE[n]["reach_rate"]).to_numpy()
    er = np.array([NETWORK_PROFILE[n]["er"][TIERS.index(t)] for n, t in zip(c["network"], c["tier"], strict=False)])
    posts = camp["posts"].to_numpy()
    followers = c["followers"].to_numpy()
    revenue = np.round(camp["revenue_raw"].to_numpy(), 2)
    orders = np.round(revenue / aov).astype(int)
    orders = np.where((orders == 0) & (revenue > 0), 1, orders)
    clicks = np.round(orders / conv * camp["click_noise"].to_numpy()).astype(int)
    clicks = np.maximum(clicks, orders)
    reach = np.round(followers * reach_rate * posts**0.7 * camp["reach_noise"].to_numpy()).astype(int)
    engagements = np.round(followers * er * posts * camp["eng_noise"].to_numpy()).astype(int)
    table = pd.DataFrame({
        "Date": pd.to_datetime(camp["date"]),
        "Network": c["network"].to_numpy(),
        "Creator": c["handle"].to_numpy(),
        "Followers": followers,
        "Posts": posts,
        "Fee paid": camp["fee_paid"].to_numpy().astype(float),
        "Reach": reach,
        "Engagements": engagements,
        "Clicks": clicks,
        "Orders": orders,
        "Promo-code revenue": revenue,
    })
    table["_quarter"] = camp["quarter"].to_numpy()
    return table.sort_values(["Date", "Network", "Creator"], kind="stable").reset_index(drop=True)


# ============================================================================ weekly paid media
def _adstock(x: np.ndarray, decay: float) -> np.ndarray:
    """Normalised geometric adstock: a_t = (1 - decay) x_t + decay a_{t-1}, a_{-1} = x_0."""
    a = np.empty_like(x)
    prev = x[0]
    for t, v in enumerate(x):
        prev = (1.0 - decay) * v + decay * prev
        a[t] = prev
    return a


def _blocks(rng: np.random.Generator, n: int, on: tuple[int, int], off: tuple[int, int],
            start_on: bool = True) -> np.ndarray:
    """On/off flighting mask of ``n`` weeks with block lengths drawn from ``on``/``off``."""
    mask = np.zeros(n, dtype=bool)
    t, state = 0, start_on
    while t < n:
        lo, hi = on if state else off
        length = int(rng.integers(lo, hi + 1))
        mask[t:t + length] = state
        t += length
        state = not state
    return mask


def _weekly_spend(rng: np.random.Generator, weeks: pd.DatetimeIndex) -> pd.DataFrame:
    n = len(weeks)
    month = weeks.month.to_numpy()
    q4_push = np.where(np.isin(month, (11, 12)), 1.45, np.where(month == 10, 1.15, 1.0))
    spring = np.where(np.isin(month, (3, 4)), 1.20, 1.0)
    summer_dip = np.where(np.isin(month, (7, 8)), 0.80, 1.0)
    out = {}
    for net in NETWORKS:
        p = NETWORK_PROFILE[net]
        # slow drift of the budget level (AR(1) on the log scale)
        drift = np.zeros(n)
        for t in range(1, n):
            drift[t] = 0.85 * drift[t - 1] + rng.normal(0.0, 0.12)
        level = np.exp(drift)
        if net in ("Instagram", "Facebook"):      # always on, a few short pauses
            active = ~(rng.random(n) < 0.04)
            shape = q4_push * spring
        elif net == "TikTok":                     # tested in 2023, scaled up from 2024
            active = ~(rng.random(n) < 0.05)
            shape = np.clip(0.35 + 0.65 * np.arange(n) / 60.0, 0.35, 1.15) * q4_push
        elif net == "YouTube":                    # flights of video
            active = _blocks(rng, n, on=(4, 8), off=(2, 5))
            shape = 1.5 * q4_push * summer_dip
        elif net == "Pinterest":                  # seasonal planning pushes
            active = _blocks(rng, n, on=(5, 10), off=(2, 4))
            shape = 1.25 * spring * q4_push
        else:                                     # X: on and off, long pauses
            active = _blocks(rng, n, on=(6, 14), off=(4, 10), start_on=bool(rng.random() < 0.7))
            shape = 1.6 * np.ones(n)
        spend = p["weekly_spend"] * level * shape * np.exp(rng.normal(0.0, 0.15, n)) * active
        # re-centre so the mean weekly spend is the network's level
        spend *= p["weekly_spend"] / max(spend.mean(), 1e-9)
        out[net] = np.round(spend, 2)
    return pd.DataFrame(out, index=weeks)


def _weekly_truth(rng: np.random.Generator, spend: pd.DataFrame, shapes: str = "s") -> pd.DataFrame:
    rows = []
    for net in NETWORKS:
        p = NETWORK_PROFILE[net]
        m = float(spend[net].mean())
        s = float(rng.uniform(*(CONCAVE_S if shapes == "concave" else p["s_range"])))
        k = m * float(rng.uniform(0.7, 1.4))
        decay = float(np.clip(p["decay"] + rng.normal(0.0, 0.03), 0.1, 0.6))
        roas = p["weekly_roas"] * float(np.exp(rng.normal(0.0, 0.10)))
        ratio = (m / k) ** s
        beta = roas * m * (1.0 + ratio) / ratio
        rows.append(dict(network=net, decay=decay, beta=beta, k=k, s=s, mean_weekly_spend=m))
    return pd.DataFrame(rows)


def _season(weeks: pd.DatetimeIndex, p: dict) -> np.ndarray:
    doy = weeks.day_of_year.to_numpy().astype(float)
    t = np.arange(len(weeks)) / 52.0
    yearly = 1.0 + p["season_amplitude"] * np.cos(2 * np.pi * (doy - p["season_peak_day"]) / 365.25)
    holiday = p["holiday_amplitude"] * np.exp(-0.5 * ((doy - p["holiday_peak_day"]) / p["holiday_width_days"]) ** 2)
    return (1.0 + p["trend_per_year"] * t) * (yearly + holiday)


def _media(spend: pd.DataFrame, truth: pd.DataFrame, only: str | None = None) -> np.ndarray:
    """Weekly sales driven by paid media (one network's with ``only``)."""
    media = np.zeros(len(spend))
    for r in truth.itertuples(index=False):
        if only is None or r.network == only:
            a = _adstock(spend[r.network].to_numpy(), r.decay)
            media += r.beta * a**r.s / (a**r.s + r.k**r.s)
    return media


def _weekly_sales(rng: np.random.Generator, spend: pd.DataFrame, truth: pd.DataFrame,
                  lift: np.ndarray | None = None):
    """Weekly sales: baseline (trend, season, holiday) times ``1 + lift`` (the controls'), plus paid media."""
    media = _media(spend, truth)
    base = dict(trend_per_year=float(rng.uniform(0.04, 0.08)),
                season_amplitude=float(rng.uniform(0.05, 0.08)), season_peak_day=320.0,
                holiday_amplitude=float(rng.uniform(0.18, 0.26)), holiday_peak_day=335.0,
                holiday_width_days=12.0, noise_sd_fraction=0.05)
    shape = _season(spend.index, base)
    level = media.mean() * (1.0 - MEDIA_SHARE) / MEDIA_SHARE / shape.mean()
    base = {"level": float(level), **base}
    expected = level * shape * (1.0 if lift is None else 1.0 + lift) + media
    sales = expected + rng.normal(0.0, 1.0, len(spend)) * base["noise_sd_fraction"] * expected
    return np.round(sales, 2), base, media


# The weekly variant with concave curves (generate(..., weekly_shapes="concave")): every network's hill s
CONCAVE_S = (0.7, 1.0)

# The weekly variant with controls (generate(..., controls=True)): a few event weeks lift the baseline,
# and promotions, run mostly when Instagram pushes (so the control is correlated with its spend), lift
# it by PROMO_LIFT per unit of discount depth. Drawn from their own generator (seed, 2).
EVENT_LIFT = (0.12, 0.22)          # an event week's lift of the baseline (uniform range)
N_EVENTS = 8
PROMO_LIFT = 0.8                   # baseline lift per unit of discount depth (a 25 % discount: +20 %)
# One experiment per network (generate(..., experiments=True)): a lift test of EXPERIMENT_WEEKS weeks in
# the last year, where the network spends, measured with a standard error of EXPERIMENT_SE of its lift.
EXPERIMENT_WEEKS = 4
EXPERIMENT_SE = 0.15
# With heavy_ups=True, also one heavy-up per network: another 4-week window of the last year (not overlapping
# its holdout) in which the test doubled the spend, so half of what the data shows there is the test's
# (HEAVY_UP_SHARE); its lift is the window's sales minus those with that half held back, measured with the
# same standard error in money as the network's holdout (the same test design, a smaller lift).
HEAVY_UP_SHARE = 0.5


def _controls(seed: int, spend: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, dict]:
    """Event and promotion columns, the baseline lift they make each week, and their true effects."""
    rng = np.random.Generator(np.random.PCG64([seed, 2]))
    n = len(spend)
    weeks = rng.choice(np.arange(4, n - 2), size=N_EVENTS, replace=False)
    event = np.zeros(n)
    event[weeks] = rng.uniform(*EVENT_LIFT, size=N_EVENTS)
    labels = np.full(n, "na", dtype=object)
    labels[weeks] = [f"event{1 + i % 2}" for i in range(N_EVENTS)]
    # the two kinds of event share one lift in the truth's summary (their mean); each week keeps its own
    ig = spend["Instagram"].to_numpy(dtype=float)
    push = np.clip((ig / ig.mean() - 0.9) / 0.6, 0.0, 1.0)
    depth = np.round(np.where(rng.random(n) < 0.75, 0.30 * push, 0.0) + np.where(rng.random(n) < 0.08, 0.15, 0.0), 2)
    lift = event + PROMO_LIFT * depth
    table = pd.DataFrame({"Event": labels, "Promotion discount": depth}, index=spend.index)
    truth = {"event_lift_mean": float(event[weeks].mean()), "promo_lift_per_depth": PROMO_LIFT,
             "promo_corr_instagram": float(np.corrcoef(depth, ig)[0, 1])}
    return table, lift, truth


def _experiments(seed: int, spend: pd.DataFrame, truth: pd.DataFrame, heavy_ups: bool = False) -> pd.DataFrame:
    """One lift test per network: its window's sales minus those had it spent nothing there, with noise.

    With ``heavy_ups`` each network also has a heavy-up (after every holdout, so the holdouts are the same with
    or without them): the column ``spend_tested`` is the money the test added (blank for a holdout).
    """
    rng = np.random.Generator(np.random.PCG64([seed, 3]))
    n = len(spend)
    rows, windows = [], {}
    for net in NETWORKS:
        x = spend[net].to_numpy(dtype=float)
        starts = [t for t in range(n - 52, n - EXPERIMENT_WEEKS + 1) if (x[t:t + EXPERIMENT_WEEKS] > 0).all()]
        t0 = int(rng.choice(starts)) if starts else n - 52
        windows[net] = (starts, t0)
        true_lift = _window_lift(spend, truth, net, t0, 1.0)
        se = EXPERIMENT_SE * true_lift
        rows.append(_test_row(rng, spend, net, t0, true_lift, se))
    if heavy_ups:
        for net in NETWORKS:
            starts, held = windows[net]
            apart = [t for t in starts if abs(t - held) >= EXPERIMENT_WEEKS] or [held]
            t0 = int(rng.choice(apart))
            true_lift = _window_lift(spend, truth, net, t0, HEAVY_UP_SHARE)
            se = rows[NETWORKS.index(net)]["lift_se"]
            moved = HEAVY_UP_SHARE * float(spend[net].iloc[t0:t0 + EXPERIMENT_WEEKS].sum())
            rows.append({**_test_row(rng, spend, net, t0, true_lift, se), "spend_tested": round(moved, 2)})
    out = pd.DataFrame(rows)
    if heavy_ups:
        out = out[["name", "start", "end", "lift", "lift_se", "spend_tested", "true_lift"]]
    return out


def _window_lift(spend: pd.DataFrame, truth: pd.DataFrame, net: str, t0: int, share: float) -> float:
    """The true sales of ``net``'s test window less those with ``share`` of its spend there held back."""
    t1 = t0 + EXPERIMENT_WEEKS
    less = spend.copy()
    less.iloc[t0:t1, less.columns.get_loc(net)] *= 1.0 - share
    return float((_media(spend, truth, net) - _media(less, truth, net))[t0:t1].sum())


def _test_row(rng: np.random.Generator, spend: pd.DataFrame, net: str, t0: int, true_lift: float, se: float) -> dict:
    return {"name": net, "start": spend.index[t0].date(),
            "end": (spend.index[t0 + EXPERIMENT_WEEKS - 1] + pd.Timedelta(days=6)).date(),
            "lift": round(true_lift + float(rng.normal(0.0, se)), 2), "lift_se": round(se, 2),
            "true_lift": round(true_lift, 2)}


# ============================================================================ xlsx writing
_MONEY = '"$"#,##0.00'
_INT = "#,##0"


def _autowidth(ws, widths: dict[int, float]) -> None:
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = w


def _put(cell, value, fmt: str | None = None) -> None:
    if isinstance(value, str):
        set_text(cell, value)
    else:
        if isinstance(value, (np.integer, np.floating)):
            value = value.item()
        if isinstance(value, pd.Timestamp):
            value = value.to_pydatetime().date()
        cell.value = value
        if fmt:
            cell.number_format = fmt


def _save_reproducible(wb: Workbook, path: Path) -> Path:
    """Save ``wb`` with fixed metadata and zip timestamps, so a seed gives the same bytes."""
    wb.properties.creator = "sample_data/generate.py"
    wb.properties.created = _FIXED_STAMP
    buf = io.BytesIO()
    wb.save(buf)
    stamp = _FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 5, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())
    return path


def _write_campaigns(table: pd.DataFrame, roster: pd.DataFrame, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Campaigns"
    cols = ["Date", "Network", "Creator", "Followers", "Posts", "Fee paid", "Reach",
            "Engagements", "Clicks", "Orders", "Promo-code revenue"]
    cols += [c for c in ("Discount %",) if c in table.columns]  # generate(..., creator_promos=True)
    fmts = {"Date": "yyyy-mm-dd", "Followers": _INT, "Posts": "0", "Fee paid": _MONEY,
            "Reach": _INT, "Engagements": _INT, "Clicks": _INT, "Orders": _INT,
            "Promo-code revenue": _MONEY, "Discount %": "0"}
    set_text(ws.cell(row=1, column=1), "Creator campaigns, Q1 2024 - Q4 2025 (team tracker export)")
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    header_row = 3
    for j, col in enumerate(cols, start=1):
        set_text(ws.cell(row=header_row, column=j), col)
        ws.cell(row=header_row, column=j).font = Font(bold=True)
    for i, rec in enumerate(table[cols].itertuples(index=False), start=header_row + 1):
        for j, (col, v) in enumerate(zip(cols, rec, strict=False), start=1):
            _put(ws.cell(row=i, column=j), v, fmts.get(col))
    total_row = header_row + len(table) + 1
    set_text(ws.cell(row=total_row, column=1), "Total")
    ws.cell(row=total_row, column=1).font = Font(bold=True)
    # a tracker's total row: sums of the additive columns (followers are not additive)
    for col in ("Posts", "Fee paid", "Reach", "Engagements", "Clicks", "Orders", "Promo-code revenue"):
        j = cols.index(col) + 1
        v = table[col].sum()
        v = round(float(v), 2) if col in ("Fee paid", "Promo-code revenue") else int(v)
        _put(ws.cell(row=total_row, column=j), v, fmts[col])
        ws.cell(row=total_row, column=j).font = Font(bold=True)
    _autowidth(ws, {1: 12, 2: 11, 3: 24, 4: 12, 5: 7, 6: 13, 7: 12, 8: 13, 9: 9, 10: 9, 11: 19})
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)

    rs = wb.create_sheet("Roster")
    rcols = ["Creator", "Network", "Followers", "Fee per post", "Max posts per quarter"]
    rfmts = {"Followers": _INT, "Fee per post": _MONEY, "Max posts per quarter": "0"}
    for j, col in enumerate(rcols, start=1):
        set_text(rs.cell(row=1, column=j), col)
        rs.cell(row=1, column=j).font = Font(bold=True)
    rtable = pd.DataFrame({"Creator": roster["handle"], "Network": roster["network"],
                           "Followers": roster["followers"], "Fee per post": roster["fee"],
                           "Max posts per quarter": roster["max_posts"]})
    for i, rec in enumerate(rtable.itertuples(index=False), start=2):
        for j, (col, v) in enumerate(zip(rcols, rec, strict=False), start=1):
            _put(rs.cell(row=i, column=j), v, rfmts.get(col))
    _autowidth(rs, {1: 24, 2: 11, 3: 12, 4: 13, 5: 22})
    rs.freeze_panes = "A2"
    return _save_reproducible(wb, path)


def _write_weekly(weekly: pd.DataFrame, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Weekly"
    cols = list(weekly.columns)
    for j, col in enumerate(cols, start=1):
        set_text(ws.cell(row=1, column=j), col)
        ws.cell(row=1, column=j).font = Font(bold=True)
    for i, rec in enumerate(weekly.itertuples(index=False), start=2):
        for j, (col, v) in enumerate(zip(cols, rec, strict=False), start=1):
            _put(ws.cell(row=i, column=j), v, "yyyy-mm-dd" if col == "Week" else "0%" if col == "Promotion discount"
                 else _MONEY)
    _autowidth(ws, {j: (12 if j == 1 else 16) for j in range(1, len(cols) + 1)})
    ws.freeze_panes = "B2"
    return _save_reproducible(wb, path)


def _write_plan(plan: pd.DataFrame, path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan"
    cols = ["Network", "Creator", "Proposed spend (USD)"]
    for j, col in enumerate(cols, start=1):
        set_text(ws.cell(row=1, column=j), col)
        ws.cell(row=1, column=j).font = Font(bold=True)
    for i, rec in enumerate(plan[cols].itertuples(index=False), start=2):
        _put(ws.cell(row=i, column=1), rec[0])
        if rec[1]:
            _put(ws.cell(row=i, column=2), rec[1])
        _put(ws.cell(row=i, column=3), float(rec[2]), _MONEY)
    _autowidth(ws, {1: 12, 2: 24, 3: 22})
    ws.freeze_panes = "A2"
    return _save_reproducible(wb, path)


# ============================================================================ finance plan
def _round_to(x: float, step: float) -> float:
    return float(step * round(x / step))


def _finance_plan(creators: pd.DataFrame, camps: pd.DataFrame, spend: pd.DataFrame) -> pd.DataFrame:
    """Finance's plan for Q1 2026: last year's pattern, scaled to about $250k, round numbers."""
    last_year = spend[spend.index.year == 2025]
    q1 = last_year[last_year.index.quarter == 1]
    paid = {net: float(q1[net].sum()) for net in NETWORKS}          # last year's Q1 per network
    in_2025 = camps[camps["Date"].dt.year == 2025]
    per_creator = in_2025.groupby("Creator").agg(sum=("Fee paid", "sum"), count=("_quarter", "nunique"))
    planned = {}
    for c in creators.itertuples(index=False):
        if c.handle in per_creator.index:   # the average quarter they ran in last year
            planned[c.handle] = float(per_creator.loc[c.handle, "sum"] / per_creator.loc[c.handle, "count"])
        else:
            planned[c.handle] = 0.0           # not used last year: finance plans nothing
    scale = FINANCE_TOTAL / (sum(paid.values()) + sum(planned.values()))
    rows = []
    for net in NETWORKS:
        rows.append(dict(Network=net, Creator="", spend=_round_to(paid[net] * scale, 1_000)))
        for c in creators[creators["network"] == net].itertuples(index=False):
            v = planned[c.handle] * scale
            cap = c.fee * c.max_posts
            v = _round_to(v, 250) if v > 0 else 0.0
            if v == 0 and planned[c.handle] > 0:
                v = 250.0
            if v > cap:
                v = float(50 * np.floor(cap / 50))
            rows.append(dict(Network=net, Creator=c.handle, spend=v))
    plan = pd.DataFrame(rows)
    # finance's total is a round $250,000: the difference goes to the biggest paid-media line
    big = plan[plan["Creator"] == ""]["spend"].idxmax()
    plan.loc[big, "spend"] += FINANCE_TOTAL - plan["spend"].sum()
    return plan.rename(columns={"spend": "Proposed spend (USD)"})


# ============================================================================ main entry
# generate(..., unsold=True): promo codes that are never used. Each creator's chance that a campaign sells nothing
# is drawn from Beta(UNSOLD_BETA) (mean 14 %, some creators near half); such a campaign's revenue and orders are 0,
# and the creator's true curve is its expected revenue, (1 - chance) times the curve of a campaign that sells.
UNSOLD_BETA = (1.0, 6.0)


def _unsold(seed: int, creators: pd.DataFrame, campaigns: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Campaigns that sold nothing (their own generator, so every other draw is the same), and the true curves."""
    rng = np.random.Generator(np.random.PCG64([seed, 4]))
    chance = rng.beta(*UNSOLD_BETA, len(creators))
    which = pd.Series(np.arange(len(creators)), index=pd.MultiIndex.from_arrays([creators["network"], creators["handle"]]))
    idx = which.loc[list(zip(campaigns["Network"], campaigns["Creator"], strict=True))].to_numpy()
    none = rng.random(len(campaigns)) < chance[idx]
    campaigns = campaigns.copy()
    campaigns.loc[none, ["Orders", "Promo-code revenue"]] = 0
    creators = creators.assign(beta=creators["beta"] * (1.0 - chance))
    return creators, campaigns


# generate(..., creator_season=True): promo codes sell more in the holidays. Every campaign's revenue (and orders)
# is multiplied by 1 + CREATOR_SEASON[0] * cos(2 pi (day of year - CREATOR_SEASON[1]) / 365.25), a yearly wave of
# mean 1 peaking in mid-November; the true curves are the average quarter's.
CREATOR_SEASON = (0.3, 320.0)


def _creator_season(campaigns: pd.DataFrame) -> pd.DataFrame:
    """Campaigns' revenue and orders moved by the holiday wave (no draw: every other file is the same)."""
    day = pd.to_datetime(campaigns["Date"]).dt.day_of_year.to_numpy(dtype=float)
    m = 1.0 + CREATOR_SEASON[0] * np.cos(2 * np.pi * (day - CREATOR_SEASON[1]) / 365.25)
    out = campaigns.copy()
    out["Promo-code revenue"] = np.round(out["Promo-code revenue"].to_numpy(dtype=float) * m, 2)
    out["Orders"] = np.round(out["Orders"].to_numpy(dtype=float) * m).astype(int)
    return out


# generate(..., creator_promos=True): discount codes. A campaign of more posts is more often run with a discount
# (chance 0.1 + 0.12 per post, at most 0.8), 10-30 % deep in steps of 5; a discount of depth d multiplies the
# campaign's revenue and orders by exp(CREATOR_PROMO_LIFT * d) (20 %: +49 %). The tracker gains a column
# "Discount %"; the true curves are at the campaigns' mean multiplier (the team's usual discounts).
CREATOR_PROMO_LIFT = 2.0


def _creator_promos(seed: int, creators: pd.DataFrame, campaigns: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Campaigns with discount codes (their own generator, so every other draw is the same), and the true curves."""
    rng = np.random.Generator(np.random.PCG64([seed, 5]))
    posts = campaigns["Posts"].to_numpy(dtype=float)
    on = rng.random(len(campaigns)) < np.minimum(0.1 + 0.12 * posts, 0.8)
    depth = np.where(on, rng.choice([10, 15, 20, 25, 30], len(campaigns)), 0)
    m = np.exp(CREATOR_PROMO_LIFT * depth / 100.0)
    out = campaigns.copy()
    out["Discount %"] = depth
    out["Promo-code revenue"] = np.round(out["Promo-code revenue"].to_numpy(dtype=float) * m, 2)
    out["Orders"] = np.round(out["Orders"].to_numpy(dtype=float) * m).astype(int)
    return creators.assign(beta=creators["beta"] * float(m.mean())), out


def _several(roster: pd.DataFrame, seed: int, per_quarter: tuple[int, int]) -> pd.DataFrame:
    """The roster of the several-campaigns tracker: usual and other campaigns a quarter, posts per campaign and
    per quarter (the usual campaigns at most).

    Drawn from a generator of their own (seed, 2), so the creators and their curves are those of the seed.
    """
    rng = np.random.Generator(np.random.PCG64([seed, 2]))
    lo, hi = per_quarter
    out = roster.copy()
    out["campaigns"] = rng.integers(lo, hi + 1, len(out))
    out["campaigns_other"] = [int(rng.choice([v for v in range(lo, hi + 1) if v != u])) if hi > lo else u
                              for u in out["campaigns"]]
    out["campaign_max_posts"] = np.minimum(out["max_posts"], SEVERAL_POSTS[1])
    out["max_posts"] = out["campaigns"] * out["campaign_max_posts"]
    return out


def generate(out_dir: str | Path, seed: int = DEFAULT_SEED,
             campaigns_per_quarter: tuple[int, int] | None = None, controls: bool = False,
             experiments: bool = False, weekly_shapes: str = "s", creator_shapes: str = "mixed",
             heavy_ups: bool = False, unsold: bool = False, creator_season: bool = False,
             creator_promos: bool = False) -> dict[str, Path]:
    """Write every sample file into ``out_dir`` for ``seed``; return their paths by name.

    Keys: ``creator_campaigns``, ``weekly_paid_media``, ``finance_plan``, ``true_curves``,
    ``true_weekly``, ``meta_ads_export``, ``pacing_plan``, ``spend_to_date``.  The same seed always gives the same files (byte for byte).
    ``campaigns_per_quarter=(lo, hi)`` makes the several-campaigns tracker instead of one campaign a
    quarter: each creator has a usual number c in lo..hi of campaigns a quarter (a quarter in four
    it runs another number in lo..hi), on distinct dates, of 1 to 4 posts each; the true curve is then
    a campaign's, and ``true_curves.csv`` holds the quarter's, ``c * f(x / c)`` (beta and k times c)
    for c even campaigns, with a column ``campaigns`` (c); the roster's maximum posts per quarter is
    c times a campaign's.
    ``controls=True`` adds two control columns to the weekly sheet, ``Event`` ("na", "event1",
    "event2": eight weeks whose baseline is lifted 12-22 %) and ``Promotion discount`` (a depth of
    0-0.45, mostly in weeks Instagram pushes, lifting the baseline 0.8 per unit of depth); their true
    effects are rows of ``true_weekly.csv`` (component "controls"). ``experiments=True`` writes
    ``experiments.csv`` (key ``experiments``): one 4-week lift test per network in the last year, the
    window's sales minus those had it spent nothing there, measured with a standard error of 15 %
    (its columns as ``fit --experiments`` reads them, and ``true_lift``); with ``heavy_ups=True`` also one
    heavy-up per network (its ``spend_tested`` the money the test added: :data:`HEAVY_UP_SHARE` of the
    window's spend). Both draw from their own generators, so the other files are the same with or without them.
    ``weekly_shapes="concave"`` draws every network's weekly hill s from :data:`CONCAVE_S` instead of its
    profile's (mostly S-shaped) range: the same spend, a response that earns most on its first dollars
    (as PyMC-Marketing's and Meridian's default curves do).
    ``creator_shapes="concave"`` draws every creator's true curve logistic or log (:data:`CONCAVE_CREATOR_FORMS`)
    instead of mostly S-shaped hills; the draws after the creators' curves then differ too.
    ``unsold=True`` makes some campaigns sell nothing (revenue and orders 0; each creator's chance drawn from
    :data:`UNSOLD_BETA`), and each creator's true curve its expected revenue; every other draw is the same.
    ``creator_season=True`` moves every campaign's revenue by a yearly wave (:data:`CREATOR_SEASON`: +30 % in
    mid-November, -30 % in mid-May); the true curves are the average quarter's.
    ``creator_promos=True`` runs some campaigns with a discount code (more often those of more posts), says its
    depth in a column ``Discount %`` and lifts their revenue by it (:data:`CREATOR_PROMO_LIFT`); the true curves
    are at the campaigns' mean lift.
    """
    creator_forms(creator_shapes)  # a shape the generator does not know is refused before anything is written
    if weekly_shapes not in ("s", "concave"):
        raise ValueError(f"weekly_shapes must be 's' or 'concave', not {weekly_shapes!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(seed))

    # ---- creators: roster, true curves, campaigns; calibrated to the target ROAS
    roster = _creator_roster(rng)
    if campaigns_per_quarter is not None:
        roster = _several(roster, seed, campaigns_per_quarter)
    creators = _creator_curves(rng, roster, creator_shapes)
    camp = _campaigns(rng, creators)
    scale = TARGET_CREATOR_ROAS * camp["fee_paid"].sum() / camp["revenue_raw"].sum()
    creators["beta"] *= scale
    camp["revenue_raw"] *= scale
    campaigns = _finish_campaigns(creators, camp)
    if unsold:
        creators, campaigns = _unsold(seed, creators, campaigns)
    if creator_season:
        campaigns = _creator_season(campaigns)
    if creator_promos:
        creators, campaigns = _creator_promos(seed, creators, campaigns)

    # ---- weekly paid media (marketing-mix data)
    weeks = pd.DatetimeIndex([FIRST_WEEK + timedelta(weeks=i) for i in range(N_WEEKS)])
    spend = _weekly_spend(rng, weeks)
    wtruth = _weekly_truth(rng, spend, weekly_shapes)
    ctrl, lift, ctruth = _controls(seed, spend) if controls else (None, None, {})
    sales, base, media = _weekly_sales(rng, spend, wtruth, lift)
    weekly = pd.DataFrame({"Week": weeks})
    for net in NETWORKS:
        weekly[f"{net} spend"] = spend[net].to_numpy()
    if ctrl is not None:
        for col in ctrl.columns:
            weekly[col] = ctrl[col].to_numpy()
    weekly["Total sales"] = sales

    # ---- the true quarterly curve table (DESIGN.md contract 1)
    last_q = len(QUARTERS) - 1
    current = campaigns[campaigns["_quarter"] == last_q].groupby("Creator")["Fee paid"].sum()
    last13 = spend.iloc[-WEEKS_PER_QUARTER:].sum()
    rows = []
    for r in wtruth.itertuples(index=False):
        rows.append(dict(name=r.network, network=r.network, curve="hill",
                         beta=r.beta * WEEKS_PER_QUARTER, k=r.k * WEEKS_PER_QUARTER, s=r.s,
                         min_spend=0.0, max_spend=np.nan, unit_cost=np.nan,
                         current_spend=round(float(last13[r.network]), 2),
                         kind="paid media", tier="", followers=np.nan, noise_sd=np.nan))
    for c in creators.itertuples(index=False):
        per_q = int(getattr(c, "campaigns", 1))  # a quarter of c even campaigns: c * f(x / c)
        rows.append(dict(name=f"{c.network}/{c.handle}", network=c.network, curve=c.curve,
                         beta=c.beta * per_q, k=c.k * per_q, s=c.s, min_spend=0.0,
                         max_spend=float(c.fee * c.max_posts), unit_cost=float(c.fee),
                         current_spend=float(current.get(c.handle, 0.0)),
                         kind="creator", tier=c.tier, followers=float(c.followers),
                         noise_sd=c.noise_sd, **({"campaigns": per_q} if campaigns_per_quarter else {})))
    curves = pd.DataFrame(rows)
    for col in ("beta", "k", "s"):
        curves[col] = curves[col].astype(float).round(6)
    curves["noise_sd"] = curves["noise_sd"].round(4)
    validate_curves(curves, "true_curves.csv")

    # ---- the true weekly parameters (long format: component, parameter, value, meaning)
    meaning = {
        "decay": "geometric adstock carry-over per week, normalised: a_t = (1-decay)*x_t + decay*a_{t-1}",
        "beta": "weekly hill: saturation level of weekly sales from this network (USD)",
        "k": "weekly hill: adstocked weekly spend giving half of beta (USD)",
        "s": "weekly hill: shape (s > 1 is S-shaped)",
        "mean_weekly_spend": "mean weekly spend in the data (USD)",
    }
    wrows = []
    for r in wtruth.itertuples(index=False):
        for par in ("decay", "beta", "k", "s", "mean_weekly_spend"):
            wrows.append(dict(component=r.network, parameter=par, value=round(float(getattr(r, par)), 6),
                              meaning=meaning[par]))
    bmeaning = {
        "level": "baseline weekly sales at week 0 before season (USD)",
        "trend_per_year": "linear growth of the baseline per year (fraction of level)",
        "season_amplitude": "amplitude of the yearly cosine season (fraction)",
        "season_peak_day": "day of year where the yearly cosine peaks",
        "holiday_amplitude": "height of the Q4 holiday bump (fraction of level)",
        "holiday_peak_day": "day of year of the holiday bump's peak",
        "holiday_width_days": "standard deviation of the holiday bump (days)",
        "noise_sd_fraction": "sd of the normal noise, as a fraction of expected weekly sales",
    }
    for par, val in base.items():
        wrows.append(dict(component="baseline", parameter=par, value=round(float(val), 6),
                          meaning=bmeaning[par]))
    wrows.append(dict(component="summary", parameter="media_share_of_sales",
                      value=round(float(media.sum() / sales.sum()), 6),
                      meaning="share of total sales driven by paid media in the data"))
    cmeaning = {"event_lift_mean": "mean lift of the baseline in an event week (fraction)",
                "promo_lift_per_depth": "lift of the baseline per unit of promotion discount depth",
                "promo_corr_instagram": "correlation of the promotion depth with Instagram's weekly spend"}
    for par, val in ctruth.items():
        wrows.append(dict(component="controls", parameter=par, value=round(float(val), 6), meaning=cmeaning[par]))
    wrows.append(dict(component="summary", parameter="seed", value=float(seed),
                      meaning="seed the files were generated with"))
    true_weekly = pd.DataFrame(wrows)

    plan = _finance_plan(creators, campaigns, spend)

    paths = {
        "creator_campaigns": _write_campaigns(campaigns, roster, out / "creator_campaigns.xlsx"),
        "weekly_paid_media": _write_weekly(weekly, out / "weekly_paid_media.xlsx"),
        "finance_plan": _write_plan(plan, out / "finance_plan.xlsx"),
        "true_curves": write_curves(curves, out / "true_curves.csv"),
        "true_weekly": write_csv(true_weekly, out / "true_weekly.csv"),
        "meta_ads_export": _meta_export(seed, spend, out / "meta_ads_export_eur.csv"),
        **_pacing_files(seed, curves, out),
    }
    if experiments:
        paths["experiments"] = write_csv(_experiments(seed, spend, wtruth, heavy_ups), out / "experiments.csv")
    return paths


META_EXPORT_ROAS = {"Facebook": 3.6, "Instagram": 4.4}  # what the platform reports, not the truth


def _german(x: float) -> str:
    """An amount as a German Ads Manager writes it: ``1.234,56``."""
    return f"{x:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _meta_export(seed: int, spend: pd.DataFrame, path: Path) -> Path:
    """A Meta Ads Manager export in euros, daily and broken down by platform, of the last 13 weeks.

    Drawn from its own generator (seed, 1), so the other files do not change with it. The
    conversion value is what the platform reports (its own attribution), not a true response.
    """
    rng = np.random.Generator(np.random.PCG64([seed, 1]))
    rows = []
    for week, w in spend.iloc[-WEEKS_PER_QUARTER:].iterrows():
        for net, roas in META_EXPORT_ROAS.items():
            share = rng.dirichlet(np.full(7, 8.0))
            for day in range(7):
                x = float(w[net]) * share[day] * 0.92  # in euros
                value = roas * x * float(np.exp(rng.normal(-0.02, 0.2)))
                impressions = x / rng.uniform(6.0, 9.0) * 1000
                clicks = impressions * rng.uniform(0.008, 0.014)
                rows.append({
                    "Day": (week + pd.Timedelta(days=day)).strftime("%Y-%m-%d"),
                    "Campaign name": "FB - Prospecting - Broad" if net == "Facebook" else "IG - Reels - Summer drop",
                    "Platform": net, "Amount spent (EUR)": _german(x),
                    "Impressions": int(round(impressions)), "Reach": int(round(impressions / rng.uniform(1.2, 1.6))),
                    "Link clicks": int(round(clicks)), "Purchases": int(round(value / rng.uniform(38.0, 46.0))),
                    "Purchases conversion value": _german(value),
                })
    pd.DataFrame(rows).to_csv(path, sep=";", index=False, lineterminator="\n")
    return path


PACING_MONTHS = pd.date_range("2026-01-01", periods=6, freq="MS")  # the approved plan: H1 2026 by month
PACING_SEASON = (0.9, 0.95, 1.05, 1.0, 1.05, 1.05)  # the team's monthly weights of today's quarterly spend
PACING_AS_OF = date(2026, 3, 13)  # the spend to date runs to this day
PACING_DRIFT = {"Instagram": 1.25, "YouTube": 0.65}  # paid media from February on: ahead, behind


def _pacing_plan(rng: np.random.Generator, curves: pd.DataFrame) -> pd.DataFrame:
    """The team's approved plan for H1 2026, by month: paid media by a seasonal pattern, creators' campaigns."""
    rows = []
    for c in curves.itertuples(index=False):
        if c.kind == "paid media":
            spend = [round(c.current_spend / 3 * w, -2) for w in PACING_SEASON]
        else:
            posts = int(round(c.current_spend / c.unit_cost))
            spend = [0.0] * 6
            if posts:
                first = int(rng.integers(0, 3))  # one campaign a quarter, in the same month of each quarter
                spend[first] = spend[first + 3] = posts * c.unit_cost
        rows.append({"Network": c.network, "Creator": "" if c.kind == "paid media" else c.name.split("/", 1)[1],
                     **{m.strftime("%b %Y"): x for m, x in zip(PACING_MONTHS, spend, strict=True)}})
    plan = pd.DataFrame(rows)
    months = [m.strftime("%b %Y") for m in PACING_MONTHS]
    return plan[(plan[months] > 0).any(axis=1)].reset_index(drop=True)


def _write_pacing_plan(plan: pd.DataFrame, path: Path) -> Path:
    """Finance's layout: a title with the dates, Network and Creator, the months across, live totals."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Plan H1 2026"
    months = [c for c in plan.columns if c not in ("Network", "Creator")]
    set_text(ws.cell(1, 1), "Social plan H1 2026, 2026-01-01 to 2026-06-30 (approved)")
    ws.cell(1, 1).font = Font(bold=True)
    for j, h in enumerate(["Network", "Creator", *months, "Total"], start=1):
        set_text(ws.cell(3, j), h)
        ws.cell(3, j).font = Font(bold=True)
    last = 3 + len(plan)
    for i, r in enumerate(plan.itertuples(index=False), start=4):
        set_text(ws.cell(i, 1), r.Network)
        set_text(ws.cell(i, 2), r.Creator)
        for j, m in enumerate(months, start=3):
            ws.cell(i, j, float(plan.at[i - 4, m])).number_format = "#,##0"
        ws.cell(i, 3 + len(months), f"=SUM(C{i}:{get_column_letter(2 + len(months))}{i})").number_format = "#,##0"
    set_text(ws.cell(last + 1, 1), "Total")
    for j in range(3, 4 + len(months)):
        col = get_column_letter(j)
        ws.cell(last + 1, j, f"=SUM({col}4:{col}{last})").number_format = "#,##0"
        ws.cell(last + 1, j).font = Font(bold=True)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 22
    return _save_reproducible(wb, path)


def _spend_to_date(rng: np.random.Generator, plan: pd.DataFrame) -> pd.DataFrame:
    """The team's spend sheet to PACING_AS_OF: paid media by day (drifting from the plan), creators' fees on post days."""
    rows = []
    for _, r in plan.iterrows():
        for m in PACING_MONTHS:
            amount = float(r[m.strftime("%b %Y")])
            days = pd.date_range(m, m + pd.offsets.MonthEnd(0))
            days = days[days.date <= PACING_AS_OF]
            if not len(days) or amount <= 0:
                continue
            if not r.Creator:
                drift = PACING_DRIFT.get(r.Network, 1.0) if m.month >= 2 else 1.0
                daily = amount / len(pd.date_range(m, m + pd.offsets.MonthEnd(0))) * drift
                for d in days:
                    rows.append((d.date(), r.Network, "", round(daily * float(rng.uniform(0.85, 1.15)), 2)))
            elif not (r.Network == "TikTok" and m.month == 3):  # TikTok's March campaigns have not run
                day = days[min(int(rng.integers(3, 20)), len(days) - 1)]
                rows.append((day.date(), r.Network, r.Creator, amount))
    rows.append((date(2026, 2, 20), "TikTok", "@new.face.studio", 1_200.0))  # booked outside the plan
    out = pd.DataFrame(rows, columns=["Date", "Network", "Creator", "Spend"])
    return out.sort_values(["Date", "Network", "Creator"], kind="stable").reset_index(drop=True)


def _pacing_files(seed: int, curves: pd.DataFrame, out: Path) -> dict[str, Path]:
    """The approved H1 2026 plan and the spend to date, for the Pacing page (own generator: (seed, 2))."""
    rng = np.random.Generator(np.random.PCG64([seed, 2]))
    plan = _pacing_plan(rng, curves)
    actuals = _spend_to_date(rng, plan)
    return {"pacing_plan": _write_pacing_plan(plan, out / "plan_h1_2026.xlsx"),
            "spend_to_date": write_csv(actuals.assign(Date=actuals["Date"].astype(str)), out / "spend_to_date.csv")}


def _summary(paths: dict[str, Path]) -> str:
    camp = pd.read_excel(paths["creator_campaigns"], sheet_name="Campaigns", header=2, engine="openpyxl")
    camp = camp[camp["Date"].astype(str) != "Total"]
    weekly = pd.read_excel(paths["weekly_paid_media"], sheet_name="Weekly", engine="openpyxl")
    plan = pd.read_excel(paths["finance_plan"], sheet_name="Plan", engine="openpyxl")
    roas = camp["Promo-code revenue"].sum() / camp["Fee paid"].sum()
    spend = weekly.filter(like=" spend").sum(axis=1)
    lines = [
        f"creators: {camp['Creator'].nunique()} on {camp['Network'].nunique()} networks, "
        f"{len(camp)} campaigns, revenue / fee paid = {roas:.2f}",
        f"weekly: {len(weekly)} weeks, paid spend ${spend.mean():,.0f}/week, "
        f"sales ${weekly['Total sales'].mean():,.0f}/week",
        f"finance plan: {len(plan)} rows, total ${plan['Proposed spend (USD)'].sum():,.0f}",
    ]
    return "\n".join(lines + [f"wrote {p}" for p in paths.values()])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate the planner's sample spreadsheets.")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 7)")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent),
                    help="output folder (default: sample_data/)")
    ap.add_argument("--campaigns-per-quarter", metavar="LO:HI", default=None,
                    help="the several-campaigns tracker: LO to HI campaigns a quarter per creator (e.g. 2:3)")
    args = ap.parse_args(argv)
    per_q = tuple(int(v) for v in args.campaigns_per_quarter.split(":")) if args.campaigns_per_quarter else None
    paths = generate(args.out, args.seed, campaigns_per_quarter=per_q)
    print(_summary(paths))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
