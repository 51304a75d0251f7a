"""Campaigns that sold nothing: each creator's chance of one, pulled toward its network's.

A promo-code report has campaigns with no revenue: the code was never used. The creators' model
(planner.fit.creators) is on log revenue, where a zero has no place; counted as a tiny sale (half the
smallest revenue of any campaign) it is a residual of -5 or so on the log scale, which inflated the
noise every curve's expected value allows for (``exp(sigma2 / 2)``): on the sample tracker with one
campaign in nine set to zero, the creators' expected revenue at today's spend went from $1.2M to $11.0M.

So a campaign's revenue is read as two parts: whether it sells (a chance ``q``), and what it returns
when it does (the curve fitted to the campaigns that sold). The curve the plan uses is their product,
``q x f``. A creator's ``q`` is its own share of campaigns that sold, pulled toward its network's
share as a beta-binomial posterior mean with the network's share worth :data:`PRIOR_CAMPAIGNS`
campaigns. A creator none of whose campaigns sold keeps them at the floor (what it returns is the
least any campaign returned) with ``q = 1``: there is no selling campaign to fit a curve to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PRIOR_CAMPAIGNS", "SoldShares", "sold_shares"]

PRIOR_CAMPAIGNS = 4.0  # the network's share of campaigns that sold counts as this many campaigns of a creator


@dataclass(frozen=True)
class SoldShares:
    """Per creator (arrays in creator order): campaigns, those that sold nothing, and the chance the curve uses.

    ``keep`` marks the campaigns the log model fits (all of a creator with a sale but its unsold ones;
    all of a creator without any); ``share`` is the chance a campaign sells that the curve multiplies by
    (1 where no campaign of the network went unsold); ``network_share`` its network's share.
    """

    keep: np.ndarray
    campaigns: np.ndarray
    unsold: np.ndarray
    share: np.ndarray
    network_share: np.ndarray

    @property
    def log_variance(self) -> np.ndarray:
        """Return the posterior variance of each creator's log chance of selling (0 where it is 1).

        The chance's posterior is Beta(sold + A r, unsold + A (1 - r)) (A :data:`PRIOR_CAMPAIGNS`, r the
        network's share), of variance ``q (1 - q) / (n + A + 1)``; divided by ``q²`` for its log.
        """
        q = self.share
        return np.where(q < 1.0, (1.0 - q) / (q * (self.campaigns + PRIOR_CAMPAIGNS + 1.0)), 0.0)

    @property
    def any_unsold(self) -> bool:
        """Return whether any campaign sold nothing."""
        return bool(self.unsold.sum() > 0)


def sold_shares(cid: np.ndarray, sold: np.ndarray, networks: np.ndarray) -> SoldShares:
    """Return which campaigns the log model fits and each creator's chance that a campaign sells.

    Parameters
    ----------
    cid : ndarray of int
        Each campaign's creator, 0..m-1.
    sold : ndarray of bool
        Whether the campaign returned revenue (above 0).
    networks : ndarray
        Each creator's network (length m).

    Returns
    -------
    SoldShares
    """
    m = len(networks)
    n = np.bincount(cid, minlength=m).astype(float)
    pos = np.bincount(cid, weights=sold.astype(float), minlength=m)
    some = pos > 0
    keep = sold | ~some[cid]
    unsold = np.where(some, n - pos, 0.0)
    share = np.ones(m)
    network_share = np.ones(m)
    for net in np.unique(networks):
        idx = np.flatnonzero((networks == net) & some)
        if not len(idx):
            continue
        r = float(pos[idx].sum() / n[idx].sum())
        network_share[networks == net] = r
        share[idx] = (pos[idx] + PRIOR_CAMPAIGNS * r) / (n[idx] + PRIOR_CAMPAIGNS)
    return SoldShares(keep, n, unsold, share, network_share)
