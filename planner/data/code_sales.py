"""Each creator campaign's sales, from a promo-code report: the tracker's fees joined to the shop's sales by code.

A tracker with a promo-code column and no revenue column is read with a report of the codes' sales
(planner.data.code_report). :func:`attribute` gives each of the report's sales to a campaign:

- a report by day, week or month: a row's sales go to its code's campaigns dated on or before its last day and
  within a quarter before its first (:data:`~planner.data.campaign_tails.WINDOW`); where two campaigns of one
  code overlap, they are shared by how a campaign's sales fall off after it, learnt from the report itself
  (:func:`_split_overlaps`). Sales before a code's first campaign, or longer after its campaigns, and sales of
  codes no campaign has are counted and said, not given to anyone. A campaign dated before
  the report's first day or after its last is left out (its sales are not all in the report), and so is one too
  close to the report's end to have sold what campaigns sell (the days in which the report's earlier campaigns
  made 90 % of their sales). A campaign whose code sold nothing in the report's days earned 0.
- a report of totals over its period (no dates): a code's sales go to its campaign; a code of several campaigns
  has its sales split between them by fee, which is said, as the report cannot tell them apart.

Rows of one campaign (one code, one date) share its sales by fee. Nothing is dropped without a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.base.format import money, things
from planner.data.campaign_tails import WINDOW
from planner.data.code_report import CodeReport, day_text
from planner.data.dataset import DataError

__all__ = ["CodeSales", "attribute", "EXTRA", "SETTLED_SHARE"]

EXTRA = ("orders", "commission")  # the report's other columns, shared between campaigns as its sales are
_COLUMNS = ("outcome", *EXTRA)
SETTLED_SHARE = 0.9  # a campaign has sold what campaigns sell once its days hold this share of their sales
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class CodeSales:
    """The report's sales given to the tracker's rows.

    Attributes
    ----------
    outcome, orders, commission : ndarray
        Per tracker row: its revenue, orders and commission from the report (NaN where left out, or where the report
        has no such column).
    reasons : ndarray of object
        Per tracker row: why it was left out, or None.
    groups : ndarray of object
        Per tracker row: its code where the report gives the code's sales only in total over several campaigns
        (their split by fee is a stand-in, which the creators' fit allows for: planner.fit.creators), else ``""``.
    notes : tuple of str
        What was decided, in sentences (sales of codes no campaign has, splits, campaigns that sold nothing).
    given : float
        The report's sales given to campaigns kept.
    """

    outcome: np.ndarray
    orders: np.ndarray
    commission: np.ndarray
    reasons: np.ndarray
    notes: tuple[str, ...]
    given: float
    groups: np.ndarray


def _share_by_fee(slot: np.ndarray, fees: np.ndarray, n_slots: int) -> np.ndarray:
    """Each row's share of its slot (rows of one campaign), by fee; equal where the slot's fees are all 0 or blank."""
    fee = np.where(np.isfinite(fees) & (fees > 0), fees, 0.0)
    tot = np.bincount(slot, weights=fee, minlength=n_slots)
    cnt = np.bincount(slot, minlength=n_slots).astype(float)
    return np.where(tot[slot] > 0, fee / np.where(tot[slot] > 0, tot[slot], 1.0), 1.0 / cnt[slot])


def _unmatched_note(report: CodeReport, keys: set[str]) -> str | None:
    t = report.table
    out = t.loc[~t["key"].isin(keys)]
    if out.empty:
        return None
    by = out.groupby("key").agg(code=("code", "first"), outcome=("outcome", "sum")).sort_values("outcome",
                                                                                                 ascending=False)
    named = ", ".join(f"{r.code} ({money(float(r.outcome))})" for r in by.head(3).itertuples())
    more = f" and {len(by) - 3:,} more" if len(by) > 3 else ""
    return (f"{things(len(by), 'code')} of {report.source} belong{'s' if len(by) == 1 else ''} to no campaign of the "
            f"tracker ({named}{more}; {money(float(out['outcome'].sum()))} in all): not a creator's, so not counted.")


def attribute(keys: np.ndarray, dates: np.ndarray, fees: np.ndarray, report: CodeReport) -> CodeSales:
    """Give a promo-code report's sales to a tracker's rows.

    Parameters
    ----------
    keys : ndarray of str
        Each tracker row's code (planner.data.code_report.code_key; ``""`` without one).
    dates : ndarray of datetime64
        Each tracker row's date (NaT where it has none: left to the tracker's own checks).
    fees : ndarray of float
        Each tracker row's fee (NaN where blank), to share a campaign's sales between its rows.
    report : CodeReport
        The report.

    Returns
    -------
    CodeSales
    """
    n = len(keys)
    keys = np.asarray(keys, dtype=object)
    dates = np.asarray(dates, dtype="datetime64[ns]")
    fees = np.asarray(fees, dtype=float)
    reasons = np.full(n, None, dtype=object)
    no_code = keys == ""
    reasons[no_code & ~np.isnat(dates)] = "no promo code, so no sales of the report are its"
    live = ~no_code & ~np.isnat(dates)
    tracker_keys = set(keys[~no_code].tolist())
    found = tracker_keys & set(report.table["key"])
    if tracker_keys and not found:
        raise DataError(f"None of the tracker's {len(tracker_keys):,} promo codes (such as "
                        f"{', '.join(sorted(tracker_keys)[:3])}) is in {report.source} (its codes are such as "
                        f"{', '.join(report.table['code'].drop_duplicates().head(3))}): check that the code column "
                        "holds the codes the shop reports.")
    notes = [x for x in (_unmatched_note(report, tracker_keys),) if x]
    if len(found) < 0.5 * len(tracker_keys):
        missing = sorted(tracker_keys - found)
        notes.append(f"Only {len(found):,} of the tracker's {len(tracker_keys):,} promo codes are in {report.source} "
                     f"(not found: {', '.join(missing[:5])}{' and more' if len(missing) > 5 else ''}): their campaigns "
                     "earned 0 where the report covers them; check that the codes are written alike.")
    groups = np.full(n, "", dtype=object)
    if report.dated:
        got, given = _dated(keys, dates, fees, report, live, reasons, notes)
    else:
        got, given = _totals(keys, fees, report, live, reasons, notes, groups)
    gone = reasons != None  # noqa: E711  (an object array)
    groups[gone] = ""
    for col, header in (("outcome", report.outcome_header), ("orders", report.orders_header),
                        ("commission", report.commission_header)):
        got[col][gone | (header is None)] = np.nan
    return CodeSales(got["outcome"], got["orders"], got["commission"], reasons, tuple(notes), given, groups)


def _slots(keys: np.ndarray, dates: np.ndarray, live: np.ndarray):
    """Campaigns (a code on a date) of the live rows: each row's slot, and the slots' keys and dates sorted."""
    frame = pd.DataFrame({"key": keys[live], "date": dates[live]})
    slots = frame.drop_duplicates().sort_values(["key", "date"]).reset_index(drop=True)
    index = pd.MultiIndex.from_frame(slots)
    slot = np.full(len(keys), -1, dtype=np.int64)
    slot[live] = index.get_indexer(pd.MultiIndex.from_frame(frame))
    return slot, slots["key"].to_numpy(dtype=object), slots["date"].to_numpy(dtype="datetime64[ns]")


def _pairs(r_key, r_start, r_end, s_key, s_date):
    """Return each sale row's candidate campaigns, and the rows with none.

    A row's candidates are its code's campaigns dated on or before its last day and at most :data:`WINDOW` before
    its first. Returned: the pairs (row, campaign, the row's first and last day after the campaign), and the rows
    with no campaign yet (early) or only older ones (late).
    """
    rows, slots = [], []
    early = np.zeros(len(r_key), dtype=bool)
    late = np.zeros(len(r_key), dtype=bool)
    starts = {k: i for i, k in reversed(list(enumerate(s_key)))}
    counts = pd.Series(s_key).value_counts().to_dict() if len(s_key) else {}
    for k, at in pd.Series(np.arange(len(r_key))).groupby(r_key):
        if k not in starts:
            continue
        lo, pos = starts[k], at.to_numpy()
        cd = s_date[lo: lo + counts[k]]
        top = np.searchsorted(cd, r_end[pos], side="right")  # campaigns up to here are on or before the row's end
        bottom = np.searchsorted(cd, r_start[pos] - WINDOW, side="left")
        early[pos[top == 0]] = True
        late[pos[(top > 0) & (bottom >= top)]] = True
        n_each = np.maximum(top - bottom, 0)
        rows.append(np.repeat(pos, n_each))
        slots.append(lo + np.concatenate([np.arange(b, t) for b, t in zip(bottom, top, strict=True)] or [[]])
                     .astype(np.int64))
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    slot = np.concatenate(slots) if slots else np.zeros(0, dtype=np.int64)
    first = np.maximum((r_start[row] - s_date[slot]) / _DAY, 0).astype(np.int64)
    last = np.minimum((r_end[row] - s_date[slot]) / _DAY, WINDOW // _DAY).astype(np.int64)
    return row, slot, first, np.maximum(last, first), early, late


def _split_overlaps(row, slot, first, last, y, n_slots: int, iterations: int = 50):
    """Share each row's sales between its candidate campaigns by how a campaign's sales fall off after it.

    The fall-off ``g`` (share of a campaign's sales on each day after it) and each campaign's sales are found
    together (expectation-maximisation of a mixture: a row's sales are its candidates' in proportion to their sales
    times ``g`` over the row's days), from a start that sells a seventh of what is left each day; a row with one
    candidate is all that campaign's. Return each pair's share and ``g``.
    """
    span = int(WINDOW // _DAY) + 1
    prior = 0.85 ** np.arange(span)
    g = prior / prior.sum()
    size = np.ones(n_slots)
    share = np.ones(len(row))
    if not len(row):
        return share, g
    for _ in range(iterations):
        cg = np.concatenate([[0.0], np.cumsum(g)])
        mass = np.maximum(cg[last + 1] - cg[first], 1e-300)
        w = size[slot] * mass
        tot = np.bincount(row, weights=w, minlength=int(row.max()) + 1)
        share = w / np.where(tot[row] > 0, tot[row], 1.0)
        alloc = y[row] * share
        size = np.bincount(slot, weights=alloc, minlength=n_slots) + 1e-9
        dens = np.zeros(span + 1)  # each pair's sales over its days, in proportion to g: a difference array
        np.add.at(dens, first, alloc / mass)
        np.add.at(dens, last + 1, -alloc / mass)
        hist = g * np.cumsum(dens)[:span]
        g = hist + 0.01 * hist.sum() * prior / prior.sum()
        g = g / g.sum()
    return share, g


def _dated(keys, dates, fees, report: CodeReport, live, reasons, notes):
    n = len(keys)
    slot, s_key, s_date = _slots(keys, dates, live)
    m = len(s_key)
    t = report.table
    r_key, r_date, r_end = t["key"].to_numpy(dtype=object), t["date"].to_numpy(dtype="datetime64[ns]"), report.ends()
    r_val = {c: np.nan_to_num(t[c].to_numpy(dtype=float)) for c in _COLUMNS}
    r_out = r_val["outcome"]
    p_row, p_slot, p_first, p_last, early, late = _pairs(r_key, r_date, r_end, s_key, s_date)
    p_share, g = _split_overlaps(p_row, p_slot, p_first, p_last, r_out, m)
    s_val = {c: np.bincount(p_slot, weights=v[p_row] * p_share, minlength=m) for c, v in r_val.items()}
    s_out = s_val["outcome"]
    first, last = report.first, report.last
    # how long campaigns take to sell: the days in which they make SETTLED_SHARE of their sales
    settle = float(np.searchsorted(np.cumsum(g), SETTLED_SHARE)) if len(p_row) else 0.0
    before = s_date < np.datetime64(first)
    after = s_date > np.datetime64(last)
    selling = ~after & (s_date > np.datetime64(last) - np.timedelta64(int(np.ceil(settle)), "D"))
    rs, at = slot >= 0, np.maximum(slot, 0)
    got = {c: np.full(n, np.nan) for c in _COLUMNS}
    if m:
        share = _share_by_fee(slot[rs], fees[rs], m)
        for c in _COLUMNS:
            got[c][rs] = s_val[c][slot[rs]] * share
    reasons[rs & before[at]] = (f"dated before the promo-code report's first day ({day_text(first)}), so its sales "
                                "are not all in it")
    reasons[rs & after[at]] = (f"dated after the promo-code report's last day ({day_text(last)}), so its sales are "
                               "not in it yet")
    reasons[rs & selling[at]] = (
        f"too close to the promo-code report's last day ({day_text(last)}): campaigns made "
        f"{SETTLED_SHARE:.0%} of their sales within {settle:.0f} days, so its sales may still be coming in")
    kept = ~(before | after | selling)
    top = np.zeros(len(t))  # each row's largest share: a row shared in earnest gives none 95 % of it
    np.maximum.at(top, p_row, p_share)
    shared = (top > 0) & (top < 0.95)
    if shared.any():
        half = int(np.searchsorted(np.cumsum(g), 0.5))
        notes.append(f"{things(int(shared.sum()), 'row')} of {report.source} fell in the sales of two or more "
                     f"campaigns of one code ({money(float(r_out[shared].sum()))}): each {report.step}'s sales were shared "
                     f"between them by how a campaign's sales fall off after it, as the report shows (half within "
                     f"{half} day{'s' if half != 1 else ''}, {SETTLED_SHARE:.0%} within {settle:.0f}).")
    zero = int((kept & (s_out == 0)).sum())
    if zero:
        notes.append(f"{things(zero, 'campaign')} whose code sold nothing in the report's days "
                     f"({day_text(first)} to {day_text(last)}) earned 0.")
    if early.any() or late.any():
        said = []
        if early.any():
            said.append(f"{money(float(r_out[early].sum()))} before their code's first campaign")
        if late.any():
            said.append(f"{money(float(r_out[late].sum()))} more than {WINDOW // _DAY} days after their code's "
                        "campaign")
        notes.append(f"Sales of the report not given to a campaign: {' and '.join(said)}.")
    return got, float(s_out[kept].sum())


def _totals(keys, fees, report: CodeReport, live, reasons, notes, groups):
    """Give each code's total to its rows by fee; mark in ``groups`` the rows of a code of several."""
    n = len(keys)
    t = report.table
    sums = t.groupby("key")[list(_COLUMNS)].sum()
    k_live = keys[live]
    codes, slot = np.unique(k_live, return_inverse=True)
    share = _share_by_fee(slot, fees[live], len(codes))
    got = {c: np.full(n, np.nan) for c in _COLUMNS}
    for c in _COLUMNS:
        got[c][live] = sums[c].reindex(k_live).fillna(0.0).to_numpy(dtype=float) * share
    many = pd.Series(k_live).value_counts()
    shared = many[many > 1]
    split = live & np.isin(keys, shared.index.to_numpy())
    groups[split] = keys[split]  # sales known only in total over the code's campaigns
    if len(shared):
        notes.append(f"{report.source} gives each code's sales over its whole period, not by day: "
                     f"{things(len(shared), 'code')} with several campaigns ({int(shared.sum()):,} rows) had "
                     "its sales split between them by fee, so those campaigns all return the same per dollar and "
                     "the curves cannot tell from them how returns fall as a fee grows (their bands are widened to "
                     "say so). A report by day (or one per quarter, a campaign each) gives each campaign its own.")
    absent = sorted(set(k_live) - set(sums.index))
    if absent:
        notes.append(f"{things(len(absent), 'code')} of the tracker {'is' if len(absent) == 1 else 'are'} not in "
                     f"{report.source}: {'its campaigns' if len(absent) == 1 else 'their campaigns'} sold nothing "
                     "in its period (read as 0).")
    return got, float(np.nansum(got["outcome"][live]))
