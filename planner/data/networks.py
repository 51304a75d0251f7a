"""Network and creator names as people type them: ``FB`` is Facebook, ``lena.bakes`` is ``@lena.bakes``."""

from __future__ import annotations

import re

import pandas as pd

from planner.data.headers import ascii_text
from planner.data.values import is_missing

__all__ = ["normalize_network", "known_network", "creator_handle", "one_spelling", "link_network"]

_NETWORKS = {
    "facebook": "Facebook", "fb": "Facebook", "meta": "Facebook", "facebook ads": "Facebook",
    "fb ads": "Facebook", "meta ads": "Facebook", "facebook and instagram": "Facebook",
    "instagram": "Instagram", "ig": "Instagram", "insta": "Instagram", "instagram ads": "Instagram",
    "tiktok": "TikTok", "tik tok": "TikTok", "tiktok ads": "TikTok", "tt": "TikTok",
    "youtube": "YouTube", "yt": "YouTube", "you tube": "YouTube", "youtube ads": "YouTube",
    "pinterest": "Pinterest", "pinterest ads": "Pinterest",
    "x": "X", "twitter": "X", "x twitter": "X", "twitter x": "X", "twitter ads": "X", "x ads": "X",
    "google ads": "Google Ads", "adwords": "Google Ads", "google adwords": "Google Ads",
    "linkedin": "LinkedIn", "linked in": "LinkedIn", "linkedin ads": "LinkedIn",
    "snapchat": "Snapchat", "snapchat ads": "Snapchat", "snap": "Snapchat",
    "reddit": "Reddit", "twitch": "Twitch", "threads": "Threads",
    "audience network": "Audience Network", "meta audience network": "Audience Network",
    "messenger": "Messenger", "facebook messenger": "Messenger",
    "tv": "TV", "ooh": "OOH",
}


def normalize_network(name: object) -> str:
    """Return the canonical name of a network.

    ``facebook``, ``FB``, ``Facebook Ads``, ``Meta`` -> ``Facebook``; ``IG`` ->
    ``Instagram``; ``TikTok Ads`` -> ``TikTok``; ``YT`` -> ``YouTube``; ``Twitter`` ->
    ``X``; ``Google Ads`` stays; unknown names are kept as typed (trimmed), title-cased
    only when typed all in lower case (``search`` -> ``Search``).

    Parameters
    ----------
    name : object
        The network as typed (``str()`` of it, runs of spaces made one).

    Returns
    -------
    str
        The canonical name; ``""`` for blank text.
    """
    text = " ".join(str(name).split())
    if not text:
        return ""
    key = re.sub(r"[^a-z0-9]+", " ", ascii_text(text).lower()).strip()
    if key in _NETWORKS:
        return _NETWORKS[key]
    if text == text.lower():
        return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    return text


def known_network(name: object) -> str | None:
    """Return the canonical name of a network the planner knows by name (``"IG"`` -> ``Instagram``), else None."""
    key = re.sub(r"[^a-z0-9]+", " ", ascii_text(" ".join(str(name).split())).lower()).strip()
    return _NETWORKS.get(key)


_PROFILE_LINK = re.compile(r"^(?:https?://)?(?:www\.|m\.)?(instagram|tiktok|youtube|twitter|x|pinterest|facebook)\.com/",
                           re.I)


def link_network(value: object) -> str:
    """Return the network of a creator's profile link (``https://www.tiktok.com/@bo`` -> ``TikTok``), else ``""``."""
    if is_missing(value):
        return ""
    m = _PROFILE_LINK.match(" ".join(str(value).split()))
    return normalize_network(m.group(1)) if m else ""


def creator_handle(value: object) -> str:
    """Return a creator's handle as the planner writes it: ``"@name"``.

    From ``name``, ``@name`` or a profile link; ``""`` for a blank cell or a paid-media
    marker such as ``"Paid media"``.

    Parameters
    ----------
    value : object
        A cell of a creator column: a name, ``@name``, or a link to an Instagram, TikTok,
        YouTube, X (Twitter), Pinterest or Facebook profile.

    Returns
    -------
    str
        ``"@name"`` (case kept), or ``""``.
    """
    if is_missing(value):
        return ""
    s = " ".join(str(value).split())
    m = re.match(r"^(?:https?://)?(?:www\.|m\.)?(?:instagram|tiktok|youtube|twitter|x|pinterest|facebook)\.com/"
                 r"(?:c/|channel/|user/)?@?([^/?#\s]+)", s, re.I)
    if m:
        s = m.group(1)
    if s.lower() in ("paid", "paid media", "(paid media)", "ads", "paid ads", "none"):
        return ""
    return s if s.startswith("@") else "@" + s


def one_spelling(handles) -> tuple[list[str], list[tuple[str, str]]]:
    """Write each creator's handle one way: handles do not depend on case (``@Nina.Pours`` is ``@nina.pours``).

    Parameters
    ----------
    handles : sequence of str
        Handles as :func:`creator_handle` writes them, one per row (``""`` for none).

    Returns
    -------
    tuple
        The handles with every spelling of one handle replaced by its most common one (of two as common, the first
        written), and the ``(spelling, as written now)`` pairs replaced, in the order first seen.
    """
    seen = pd.Series(list(handles), dtype=object)
    if seen.empty:
        return [], []
    key = seen.str.casefold()
    counts = seen.groupby([key, seen], sort=False).size()  # in the order first seen
    best: dict[str, str] = {}
    top: dict[str, int] = {}
    for (k, spelling), n in counts.items():  # in the order first seen: a later spelling wins only by more rows
        if n > top.get(k, 0):
            best[k], top[k] = spelling, n
    out = [best[k] for k in key]
    replaced = [(spelling, best[k]) for (k, spelling) in counts.index if spelling != best[k]]
    return out, replaced
