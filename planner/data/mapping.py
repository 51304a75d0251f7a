"""A user's mapping of columns to fields (``--map "Fee paid=spend"``), and the mapping editor's choices.

- :func:`parse_mapping_field`: the right side of ``--map "SOURCE=FIELD"`` -> :class:`MappedField`.
- :func:`mapping_choices` / :func:`mapping_changes`: the values a mapping editor
  offers, and the ``--map`` entries an edited mapping table stands for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.data.dataset import DataError
from planner.data.headers import FIELDS, HELPER_FIELDS, match_field, normalize_header
from planner.data.networks import normalize_network

__all__ = ["IGNORE", "CONTROL", "MappedField", "parse_mapping_field", "parse_mapping", "FIELD_LABELS", "mapping_choices", "mapping_changes"]

_FIELD_ALIASES = {
    "revenue": "outcome", "sales": "outcome", "value": "outcome", "conversion value": "outcome",
    "creator": "entity", "influencer": "entity", "handle": "entity",
    "cost": "spend", "fee": "spend",
    "platform": "network", "channel": "network",
    "conversions": "orders", "purchases": "orders",
    "revenue per conversion": "outcome_per_order", "value per order": "outcome_per_order",
    "day": "date", "week": "date",
    "region": "geo",
}
IGNORE = "ignore"
CONTROL = "control"  # a control of the marketing-mix model (events, promotions, price, ...)
_CONTROL_WORDS = ("control", "controls", "control variable", "covariate", "covariates")


@dataclass(frozen=True)
class MappedField:
    """A user's mapping target.

    The field, and for dates the day/month order, for wide spend columns the network name.
    """

    field: str
    dayfirst: bool | None = None
    network: str | None = None


def parse_mapping_field(text: object) -> MappedField:
    """Read the right side of ``--map "SOURCE=FIELD"``.

    Accepts the canonical fields, common words (``revenue``, ``creator``, ``cost``),
    ``ignore``, ``control`` (a control of the marketing-mix model), ``date:dmy`` /
    ``date:mdy`` (day/month order) and ``spend:TV`` (a wide spend column and the network
    it is for).

    Parameters
    ----------
    text : object
        The field as typed (``str()`` of it).

    Returns
    -------
    MappedField
        The field (:data:`IGNORE` for ``ignore``, ``skip``, ``none``, ``drop``,
        ``unused`` or a blank), with ``dayfirst`` for ``date:dmy``/``date:mdy`` and the
        normalised ``network`` for ``spend:<Network>`` or ``outcome:<Network>``;
        :data:`CONTROL` for ``control``.

    Raises
    ------
    DataError
        When the field is not one the planner knows, or a date order is not ``dmy`` or
        ``mdy``.
    """
    raw = str(text).strip()
    base, _, arg = raw.partition(":")
    key = normalize_header(base)
    key = key.replace(" ", "_") if key.replace(" ", "_") in FIELDS + HELPER_FIELDS else key
    if key in ("ignore", "skip", "none", "drop", "unused", ""):
        return MappedField(IGNORE)
    if key in _CONTROL_WORDS:
        return MappedField(CONTROL)
    fld = key if key in FIELDS + HELPER_FIELDS else _FIELD_ALIASES.get(key)
    if fld is None:
        fld = match_field(base)
    if fld is None:
        allowed = ", ".join(FIELDS + (CONTROL, IGNORE))
        raise DataError(f'"{raw}" is not a field the planner knows; use one of: {allowed}.')
    arg = arg.strip()
    if fld == "date" and arg:
        order = normalize_header(arg).replace(" ", "")
        if order in ("dmy", "dayfirst", "dm", "ddmmyyyy"):
            return MappedField("date", dayfirst=True)
        if order in ("mdy", "monthfirst", "md", "mmddyyyy"):
            return MappedField("date", dayfirst=False)
        raise DataError(f'"{raw}": write date:dmy for day/month/year or date:mdy for month/day/year.')
    if fld in ("spend", "outcome") and arg:
        return MappedField(fld, network=normalize_network(arg))
    return MappedField(fld)


FIELD_LABELS = {
    "": "(not used)", "date": "date", "date:dmy": "date, day/month/year", "date:mdy": "date, month/day/year",
    "network": "network", "entity": "creator (handle)", "spend": "spend", "outcome": "outcome (revenue, sales)",
    "followers": "followers", "posts": "posts", "reach": "reach", "engagements": "engagements", "clicks": "clicks",
    "orders": "orders (a count)", "campaign": "campaign", "product_cost": "product cost (adds to spend)",
    "usage_rights": "usage rights (adds to spend)", "commission": "commission (comes off the outcome)",
    "outcome_per_order": "revenue per order", "geo": "region (summed over)",
    "status": "status (a campaign not run is left out)",
    "code": "promo code (its sales come from a promo-code report)",
    "control": "control (events, promotions, price, competitors…)", "ignore": "ignore",
}
_STANDARD_NETWORKS = ("Instagram", "TikTok", "YouTube", "Facebook", "Pinterest", "X", "LinkedIn", "Google Ads",
                      "Snapchat", "TV", "OOH", "Search")


def mapping_choices(networks: Sequence[str] = ()) -> list[str]:
    """Return every value a mapping table's field can take.

    The fields, ``date:dmy``/``date:mdy``, ``ignore``, ``""`` (not used) and
    ``spend:<Network>`` for the given and the usual networks.

    Parameters
    ----------
    networks : sequence of str, default ()
        Networks to offer before the usual ones (e.g. those of the data).

    Returns
    -------
    list of str
        The keys of :data:`FIELD_LABELS`, then ``spend:<Network>`` and then
        ``outcome:<Network>`` for each network, given ones first, without repeats.
    """
    nets = list(dict.fromkeys([*(str(n) for n in networks if n), *_STANDARD_NETWORKS]))
    return list(FIELD_LABELS) + [f"spend:{n}" for n in nets] + [f"outcome:{n}" for n in nets]


def mapping_changes(before: Sequence[tuple[object, object]], after: Sequence[tuple[object, object]]) -> dict[str, str]:
    """Return the ``--map`` entries that turn one mapping table into another.

    ``before`` and ``after`` are ``(source column, field)`` pairs (``field`` ``""`` or
    None: not used), e.g. ``Dataset.mapping_table()`` before and after a user edited
    it.  A column whose field changed maps to the new field; one cleared maps to
    ``"ignore"``.  Raises :class:`DataError` for a field the planner does not know.

    Parameters
    ----------
    before : sequence of tuple
        ``(source column, field)`` pairs of the table as imported.
    after : sequence of tuple
        The same pairs after editing.

    Returns
    -------
    dict of str to str
        ``{source column: field}`` for every column whose field changed (``"ignore"``
        when it was cleared); pass it as the ``mapping`` of
        :func:`planner.data.ingest.load`.

    Raises
    ------
    DataError
        When a new field is not one the planner knows.
    """
    old = {str(c): ("" if f is None or f != f else str(f).strip()) for c, f in before}
    out: dict[str, str] = {}
    for col, fld in after:
        col = str(col)
        new = "" if fld is None or fld != fld else str(fld).strip()
        if new == old.get(col, ""):
            continue
        target = new or IGNORE
        parse_mapping_field(target)  # a sentence for an unknown field
        out[col] = target
    return out


def parse_mapping(mapping: Mapping[str, str] | None) -> dict[str, MappedField]:
    """Return the user's ``{source column: field}`` with each field parsed (:func:`parse_mapping_field`); {} for None."""
    return {str(k): parse_mapping_field(v) for k, v in (mapping or {}).items()}
