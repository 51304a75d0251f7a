"""The network a column or a table is about, read from its headers.

- :func:`wide_channel`: a per-channel spend column of a wide marketing-mix table
  (``Instagram spend``, ``tv_S``, ``mdsp_so``, ``Channel0_spend``) -> network name.
- :func:`wide_outcome_channel`: a per-channel outcome column (``Instagram revenue``).
- :func:`infer_network`: the network of a long table without a network column, from the
  headers of the ad platform's export.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planner.data.headers import CURRENCY_IN_PARENS, header_scale, match_field, normalize_header
from planner.data.networks import normalize_network

__all__ = ["wide_channel", "wide_outcome_channel", "infer_network"]

_NOT_A_CHANNEL = frozenset(
    "avg average total ad ads media paid unit daily weekly monthly est estimated planned plan budget "
    "actual net gross other all sum cumulative per cost spend the a marketing channel channels".split()
)
_METRIC_WORDS = frozenset(
    "conv conversion conversions click clicks impression impressions impr cpm cpc cpa ctr result results "
    "view views lead leads purchase purchases action actions order orders install installs acquisition "
    "engagement engagements follower followers reach value revenue sales roas per avg average".split()
)
_COMPETITOR_WORDS = frozenset({"competitor", "competitors", "competition"})  # a control, not our channel
_TOTAL_WORDS = frozenset({"total", "all", "overall", "grand", "combined", "sum"})  # "Total media cost": every channel
_SPEND_WORDS = r"(?:spend|spent|spending|cost|costs|investment|ad spend|media spend)"
_WIDE_SUFFIX = re.compile(rf"^(?P<n>.+?)[\s_\-:]*(?:\(\s*)?{_SPEND_WORDS}(?:\s*\))?$", re.I)
_WIDE_PREFIX = re.compile(rf"^{_SPEND_WORDS}[\s_\-:]+(?:on\s+)?(?P<n>[A-Za-z].*)$", re.I)
_ROBYN = re.compile(r"^(?P<n>.+?)_S$")          # Robyn: tv_S, facebook_S (case-sensitive)
_MDSP = re.compile(r"^mdsp_(?P<n>.+)$", re.I)   # PyMC case study: mdsp_so, mdsp_sem

def _channel(header: object, patterns: Sequence[re.Pattern]) -> tuple[re.Pattern, str] | None:
    """Return the first pattern a header matches and the channel it names, or None when it names none.

    A header that is a field on its own, or whose channel part is a metric or a word
    such as "Total", names no channel.
    """
    raw = CURRENCY_IN_PARENS.sub(" ", header_scale(header)[0]).strip()  # "Instagram spend ($000)"
    if not raw or match_field(raw) is not None:
        return None
    for pattern in patterns:
        m = pattern.match(raw)
        if not m:
            continue
        name = re.sub(r"[_\s]+", " ", m.group("n")).strip(" -:/.")
        key = normalize_header(name)
        words = key.split(" ")
        if words[0] in _TOTAL_WORDS and len(words) > 1:  # "Total Instagram spend" is Instagram's
            name = name.split(None, 1)[1] if " " in name.strip() else name
            words = words[1:]
        if (not key or set(words) <= _NOT_A_CHANNEL | _TOTAL_WORDS or "/" in name
                or set(words) & (_METRIC_WORDS | _COMPETITOR_WORDS)):
            return None
        return pattern, name
    return None


def wide_channel(header: object) -> str | None:
    """Return the network of a per-channel spend column, or None.

    ``"Instagram spend"`` -> ``Instagram``; ``"tv_S"`` -> ``TV``; ``"mdsp_so"`` -> ``So``;
    ``"Channel0_spend"`` -> ``Channel0``; ``"Spend - FB"`` -> ``Facebook``.  Headers that
    are a field on their own (``Total spend``, ``Cost``) and ``x1``-style names are not.

    Parameters
    ----------
    header : object
        A column header (a currency in brackets is ignored).

    Returns
    -------
    str or None
        The network's canonical name (:func:`planner.data.networks.normalize_network`),
        or None when the header names no channel's spend.
    """
    hit = _channel(header, (_ROBYN, _MDSP, _WIDE_SUFFIX, _WIDE_PREFIX))
    if hit is None:
        return None
    pattern, name = hit
    if pattern is _ROBYN and not re.search(r"[a-z]", name, re.I):
        return None
    return normalize_network(name)


_OUTCOME_WORDS = (r"(?:revenue|sales|conversion value|conversions value|conv\.? value|purchase value|"
                  r"purchases value|order value|gmv|umsatz|ventes)")
_WIDE_OUT_SUFFIX = re.compile(rf"^(?P<n>.+?)[\s_\-:]*(?:\(\s*)?{_OUTCOME_WORDS}(?:\s*\))?$", re.I)
_WIDE_OUT_PREFIX = re.compile(rf"^{_OUTCOME_WORDS}[\s_\-:]+(?:on\s+|from\s+)?(?P<n>[A-Za-z].*)$", re.I)


def wide_outcome_channel(header: object) -> str | None:
    """Return the network of a per-channel outcome column, or None.

    ``"Instagram revenue"`` -> ``Instagram``; ``"Sales - TikTok"`` -> ``TikTok``.
    Headers that are a field on their own (``Total sales``, ``Revenue``) are not.

    Parameters
    ----------
    header : object
        A column header (a currency in brackets is ignored).

    Returns
    -------
    str or None
        The network's canonical name, or None when the header names no channel's outcome.
    """
    hit = _channel(header, (_WIDE_OUT_SUFFIX, _WIDE_OUT_PREFIX))
    return None if hit is None else normalize_network(hit[1])


def infer_network(headers: Sequence[object]) -> tuple[str, str] | None:
    """``(network, reason)`` for a long table without a network column, from its headers.

    Parameters
    ----------
    headers : sequence of object
        The table's headers.

    Returns
    -------
    tuple of (str, str) or None
        The network (``"Facebook"``, ``"Pinterest"``, ``"TikTok"``, ``"Google Ads"`` or
        ``"LinkedIn"``) and why, e.g. ``"its headers are those of a Meta Ads Manager
        export"``; None when the headers are no ad platform's that is known.
    """
    keys = {normalize_header(h) for h in headers}
    raws = " | ".join(str(h).lower() for h in headers)
    if {"amount spent", "purchases conversion value", "reporting starts", "ad set name",
        "website purchases conversion value", "montant depense"} & keys or "amount spent" in raws:
        return "Facebook", "its headers are those of a Meta Ads Manager export"
    if {"spend in account currency", "pin clicks", "saves", "pin id"} & keys:
        return "Pinterest", "its headers are those of a Pinterest Ads export"
    if {"stat time day", "clicks destination", "cost per 1 000 people reached", "paid likes", "by day",
        "cpc destination", "ctr destination"} & keys:
        return "TikTok", "its headers are those of a TikTok Ads Manager export"
    if {"currency code", "wahrungscode", "impr", "conv value", "all conv value", "cost conv",
        "interaction rate", "conv value cost"} & keys:
        return "Google Ads", "its headers are those of a Google Ads export"
    if {"start date in utc", "end date in utc", "campaign group name", "total spent"} & keys:
        return "LinkedIn", "its headers are those of a LinkedIn Campaign Manager export"
    return None

