"""Revenue a creator's campaign earns after the row its fee is on.

Promo-code revenue comes in for weeks after a post, and many trackers write a campaign's fee once, on its first
row, and the revenue of the weeks after on rows of their own with the fee left blank. Read as campaigns of their own
dates, those rows were campaigns that cost nothing, and their revenue was on no curve (a tracker whose revenue comes
in over three weeks lost two fifths of it). A row of a creator whose fee is blank (not 0: a gifted campaign writes
0), that books no posts and that follows a campaign of the same creator with a fee by a quarter at most
(:data:`WINDOW`), is read as more revenue of that campaign. A table with a campaign column says which rows are one
campaign itself and is left as it is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["WINDOW", "campaign_tails"]

WINDOW = np.timedelta64(91, "D")  # a row this long after the fee row is a campaign of its own (a gifted one, say)


def campaign_tails(frame: pd.DataFrame, fee_blank: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Return a campaign key for every row where some rows continue a campaign, and those rows.

    Parameters
    ----------
    frame : DataFrame
        The rows read: ``date``, ``entity`` (``""`` for paid media), ``spend`` (blank fees read as 0) and
        ``outcome``; optionally ``posts``.
    fee_blank : ndarray of bool
        Rows whose fee cell was blank, in the order of ``frame``.

    Returns
    -------
    tuple
        ``(campaign, tails)``: a key per row (the date of the campaign a row belongs to, ``YYYY-MM-DD``; ``""`` for
        paid media), or None when no row continues a campaign; and the positions of the rows read as the revenue of
        the campaign before them.
    """
    n = len(frame)
    if not n:
        return None, np.zeros(0, dtype=np.int64)
    entity = frame["entity"].astype(str).to_numpy()
    spend = frame["spend"].to_numpy(dtype=float)
    posts = frame["posts"].to_numpy(dtype=float) if "posts" in frame else np.full(n, np.nan)
    loose = (entity != "") & np.asarray(fee_blank, dtype=bool) & (spend == 0) & ~(posts > 0)
    if not loose.any():
        return None, np.zeros(0, dtype=np.int64)
    day = frame["date"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    key = np.where(entity != "", day, "").astype(object)
    when = frame["date"].to_numpy()
    order = np.lexsort((np.arange(n), when, entity))  # by creator, then date, then row
    tails = []
    last_entity, last_paid, paid_on = None, None, None
    for i in order:
        if entity[i] != last_entity:
            last_entity, last_paid = entity[i], None
        if loose[i] and last_paid is not None and when[i] - paid_on <= WINDOW:
            key[i] = last_paid
            tails.append(i)
        elif spend[i] > 0:
            last_paid, paid_on = key[i], when[i]
    if not tails:
        return None, np.zeros(0, dtype=np.int64)
    return key, np.sort(np.array(tails, dtype=np.int64))
