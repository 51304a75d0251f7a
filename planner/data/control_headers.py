"""Headers that name a control of the marketing-mix model, and those that never do.

A control is something besides paid media that moves the outcome: events and holidays,
promotions, discounts and markdowns, price, competitors, sentiment, organic media
(newsletters, e-mail), weather, covid lockdowns, consumer confidence.

- :func:`names_control`: a header whose words say it is a control (``event_1``,
  ``hldy_Black Friday``, ``competitor_sales_B``, ``sentiment_score_control``).
- :func:`names_exposure`: an impressions or clicks column (Robyn's ``facebook_I``,
  ``search_clicks_P``; Meridian's ``Channel0_impression``), which is never a control.
- :func:`control_positions`: the columns of a wide table read as controls without being
  told.

Only wide tables with a total outcome (kind ``"total"``) look for controls on their own;
any table takes one a user names (``--map "COLUMN=control"``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from planner.data.headers import normalize_header

__all__ = ["CONTROL_WORDS", "OCCASION_WORDS", "header_words", "names_control", "names_occasion", "names_exposure",
           "control_positions"]

CONTROL_WORDS = frozenset(
    "event events holiday holidays hldy promo promos promotion promotions promotional discount discounts "
    "markdown markdowns mrkdn price prices pricing competitor competitors competition competitive "
    "sentiment newsletter newsletters email emails mailing organic weather temperature rainfall "
    "covid covid19 lockdown lockdowns confidence ics".split()
)
# Controls that are occasions, on or off (an event, a discount, a send): a blank cell of such a column is as likely
# "none" as "unknown"; a price, a competitor or the weather is never none.
OCCASION_WORDS = frozenset(
    "event events holiday holidays hldy promo promos promotion promotions promotional discount discounts "
    "markdown markdowns mrkdn newsletter newsletters email emails mailing covid covid19 lockdown lockdowns "
    "launch launches code codes".split()
)
_EXPOSURE_WORDS = frozenset(
    "impression impressions impr imps click clicks view views grp grps trp trps reach mdip".split()
)
_ROBYN_EXPOSURE = re.compile(r"_[IP]$")  # Robyn: facebook_I (impressions), search_clicks_P (clicks)
_ROBYN_BASELINE = re.compile(r"_B$")  # Robyn: competitor_sales_B (a baseline variable)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def header_words(header: object) -> list[str]:
    """Return the words of a header, lower case (``"CompetitorSales_B"`` -> ``competitor, sales, b``).

    Parameters
    ----------
    header : object
        A column header (``str()`` of it).

    Returns
    -------
    list of str
        Its words, split at punctuation, spaces and lower-to-upper case changes.
    """
    return normalize_header(_CAMEL.sub(" ", str(header))).split()


def names_exposure(header: object) -> bool:
    """Tell whether a header is an impressions or clicks column (never a control).

    Parameters
    ----------
    header : object
        A column header.

    Returns
    -------
    bool
        True for Robyn's ``_I`` and ``_P`` columns and for headers with a word such as
        impressions, clicks, views, reach or GRPs.
    """
    raw = str(header).strip()
    return bool(_ROBYN_EXPOSURE.search(raw)) or bool(set(header_words(raw)) & _EXPOSURE_WORDS)


def names_control(header: object) -> bool:
    """Tell whether a header names a control of the marketing-mix model.

    Parameters
    ----------
    header : object
        A column header.

    Returns
    -------
    bool
        True when a word of it is one of :data:`CONTROL_WORDS`, or it ends in ``_control``
        (Meridian) or ``_B`` (Robyn's baseline variables); False for impressions and clicks
        columns (:func:`names_exposure`).
    """
    raw = str(header).strip()
    if not raw or names_exposure(raw):
        return False
    words = header_words(raw)
    if not words:
        return False
    return words[-1] == "control" or bool(_ROBYN_BASELINE.search(raw)) or bool(set(words) & CONTROL_WORDS)


def names_occasion(header: object) -> bool:
    """Tell whether a header names an occasion that a period or campaign has or has not (a discount, an event).

    True when a word of it is one of :data:`OCCASION_WORDS` (``Discount %``, ``event_1``, ``Promo``); a price or
    the weather is never none.
    """
    return bool(set(header_words(str(header))) & OCCASION_WORDS)


def control_positions(headers: Sequence[str], used: Collection[int]) -> tuple[int, ...]:
    """Return the positions of the columns whose header names a control, leaving out those already used.

    Parameters
    ----------
    headers : sequence of str
        The table's headers.
    used : collection of int
        Positions already read as another field, a channel, or named by the user.

    Returns
    -------
    tuple of int
        In file order.
    """
    return tuple(j for j, h in enumerate(headers) if j not in used and names_control(h))
