"""Column headers and network names as the ad platforms and people write them.

- :func:`normalize_header` / :func:`match_field`: a header -> one canonical field
  (``date, network, entity, spend, outcome, followers, posts, reach, engagements,
  clicks, orders, campaign``, plus the helpers ``outcome_per_order`` and ``geo``).
  Synonyms come from the platforms' exports (shared/peer_data/export_headers) and
  from how people type them; matching is on whole headers, so ``Cost per result``
  or ``Avg. cost`` never count as spend.
- :func:`wide_channel`: a per-channel spend column of a wide marketing-mix table
  (``Instagram spend``, ``tv_S``, ``mdsp_so``, ``Channel0_spend``) -> network name.
- :func:`normalize_network`: ``FB``, ``Meta`` -> ``Facebook`` and so on.
- :func:`plan_columns`: all of a table's headers (and a user's mapping) -> a
  :class:`ColumnPlan` saying which column is which field and whether the table is
  long (a row per date x network [x creator]) or wide (a spend column per channel,
  with one total outcome column or an outcome column per channel).
- :func:`mapping_choices` / :func:`mapping_changes`: the values a mapping editor
  offers, and the ``--map`` entries an edited mapping table stands for.

Fields also include a creator's cost beyond the fee: ``product_cost`` and
``usage_rights`` (added to spend) and ``commission`` (taken off the outcome).
LinkedIn Campaign Manager exports (``Start Date (in UTC)``, ``Total Spent``,
``Total Conversion Value``) are recognised beside Meta, Google, TikTok and Pinterest.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.data.dataset import DataError
from planner.data.values import CURRENCY_CODES

__all__ = [
    "FIELDS",
    "SYNONYMS",
    "ColumnPlan",
    "normalize_header",
    "match_field",
    "wide_channel",
    "wide_outcome_channel",
    "normalize_network",
    "infer_network",
    "parse_mapping_field",
    "plan_columns",
    "FIELD_LABELS",
    "mapping_choices",
    "mapping_changes",
]

FIELDS = ("date", "network", "entity", "spend", "outcome", "followers", "posts", "reach",
          "engagements", "clicks", "orders", "campaign", "product_cost", "usage_rights", "commission")
HELPER_FIELDS = ("outcome_per_order", "geo")
NUMERIC_FIELDS = ("spend", "outcome", "followers", "posts", "reach", "engagements", "clicks", "orders",
                  "outcome_per_order", "product_cost", "usage_rights", "commission")
COST_FIELDS = ("product_cost", "usage_rights", "commission")  # a creator's cost beyond the fee

# Normalised header -> field; earlier synonyms win when two columns match one field.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "day", "date day", "stat time day", "week", "week start", "week starting",
        "week start date", "week beginning", "week of", "week commencing", "date week", "week date",
        "wk strt dt", "campaign date", "post date", "posting date", "publish date", "published",
        "reporting date", "reporting starts", "reporting start", "start date", "date start", "time",
        "start date in utc", "by day",
        "ds", "period", "period start", "month", "quarter", "tag", "datum", "jour", "fecha", "semaine",
        "woche", "date de debut",
    ),
    "network": (
        "network", "social network", "platform", "ad platform", "social platform", "publisher platform",
        "platform name", "network name", "channel", "media channel", "marketing channel", "source",
        "netzwerk", "plattform", "kanal", "plateforme", "reseau", "reseau social", "canal", "plataforma",
        "red social",
    ),
    "entity": (
        "creator", "handle", "creator handle", "influencer", "influencer handle", "instagram handle",
        "tiktok handle", "youtube channel", "username", "user name", "creator name", "influencer name",
        "account handle", "talent", "kol", "ambassador", "profile", "creator id", "influencer id",
        "createur", "createur", "influenceur", "influencer in", "ersteller",
    ),
    "spend": (
        "spend", "amount spent", "cost", "fee paid", "fee", "fees", "creator fee", "influencer fee",
        "spend in account currency", "ad spend", "media spend", "total spend", "spent", "amount paid",
        "paid", "investment", "media cost", "total cost", "costs", "kosten", "ausgaben",
        "montant depense", "depenses", "cout", "gasto", "importe gastado", "coste", "costo", "spesa",
        "budget spent", "spend usd", "total spent", "amount spent in account currency",
    ),
    "outcome": (
        "revenue", "sales", "total sales", "total revenue", "promo code revenue", "promocode revenue",
        "promo revenue", "code revenue", "purchases conversion value", "website purchases conversion value",
        "purchase conversion value", "conv value", "conversion value", "conversions value",
        "total conversion value", "total conversions value", "all conv value", "purchase value",
        "attributed revenue", "attributed sales", "gmv", "gross sales", "net sales", "sales revenue",
        "order value", "total order value", "checkout value", "umsatz", "chiffre d affaires",
        "valeur de conversion", "valeur de conversion des achats", "ventes", "ingresos", "ricavi",
        "turnover", "income", "total purchase value", "purchases value",
    ),
    "followers": (
        "followers", "follower count", "followers count", "number of followers", "follower",
        "subscribers", "audience", "audience size", "fans", "abonnenten", "abonnes", "seguidores",
    ),
    "posts": (
        "posts", "number of posts", "no of posts", "post count", "posts published", "posts count",
        "videos", "deliverables", "content pieces", "pieces of content", "beitrage", "publications",
    ),
    "reach": ("reach", "unique reach", "people reached", "accounts reached", "reichweite", "portee", "alcance"),
    "engagements": (
        "engagements", "engagement", "total engagements", "post engagements", "post engagement",
        "interactions", "interaktionen",
    ),
    "clicks": (
        "clicks", "link clicks", "clicks all", "clicks destination", "outbound clicks", "pin clicks",
        "klicks", "clics", "swipe ups", "total clicks",
    ),
    "orders": (
        "orders", "purchases", "conversions", "total conversions", "website purchases", "conversion",
        "promo code uses", "code uses", "redemptions", "bestellungen", "commandes", "pedidos",
        "number of orders",
    ),
    "campaign": (
        "campaign", "campaign name", "kampagne", "kampagnenname", "nom de la campagne", "campana",
        "campaign title",
    ),
    "outcome_per_order": (
        "revenue per conversion", "value per conversion", "revenue per order", "average order value",
        "aov", "conv value per conv", "revenue per purchase",
    ),
    "geo": ("geo", "region", "market", "country", "dma", "state", "territory", "area"),
    "product_cost": (
        "product cost", "product costs", "product value", "product sent", "products sent", "gifted product",
        "gifted product value", "gifting", "gifting cost", "cost of product", "cost of products",
        "product cost per post", "sample cost", "seeding cost", "produktkosten", "cout produit",
    ),
    "usage_rights": (
        "usage rights", "usage rights fee", "usage fee", "licensing fee",
        "content rights", "content licensing", "whitelisting", "whitelisting fee", "nutzungsrechte",
        "droits d utilisation",
    ),
    "commission": (
        "commission", "commission rate", "commission pct", "commission percent", "commission on sales",
        "sales commission", "affiliate commission", "commission paid", "commission amount",
    ),
}

_LOOKUP: dict[str, tuple[str, int]] = {}
for _field, _names in SYNONYMS.items():
    for _rank, _name in enumerate(_names):
        _LOOKUP.setdefault(_name, (_field, _rank))

_CODES = "|".join(sorted(CURRENCY_CODES))
_CURRENCY_IN_PARENS = re.compile(
    rf"[\(\[]\s*(?:{_CODES}|\$|€|£|¥|₹|us\$|in (?:{_CODES})|in account currency)\s*[\)\]]", re.I
)


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def normalize_header(text: object) -> str:
    """Lower-case a header, drop accents, a currency in brackets and punctuation.

    ``"Amount spent (USD)"`` -> ``"amount spent"``; ``"Promo-code revenue"`` ->
    ``"promo code revenue"``; ``"Conv. value"`` -> ``"conv value"``.
    """
    s = _ascii(str(text)).strip()
    s = re.sub(r"\(\s*[A-Z]{3}\s*\)\s*$", " ", s).lower()  # any currency code: "(QAR)"
    s = _CURRENCY_IN_PARENS.sub(" ", s)
    s = s.replace("&", " and ").replace("'", " ").replace("’", " ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def match_field(header: object) -> str | None:
    """The canonical field a header names, or None (``"Cost per result"`` -> None)."""
    hit = _LOOKUP.get(normalize_header(header))
    return hit[0] if hit else None


def _rank(header: object) -> int:
    hit = _LOOKUP.get(normalize_header(header))
    return hit[1] if hit else 999


# ------------------------------------------------------------------ networks

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
    "tv": "TV", "ooh": "OOH",
}


def normalize_network(name: object) -> str:
    """The canonical name of a network.

    ``facebook``, ``FB``, ``Facebook Ads``, ``Meta`` -> ``Facebook``; ``IG`` ->
    ``Instagram``; ``TikTok Ads`` -> ``TikTok``; ``YT`` -> ``YouTube``; ``Twitter`` ->
    ``X``; ``Google Ads`` stays; unknown names are kept as typed (trimmed), title-cased
    only when typed all in lower case (``search`` -> ``Search``).
    """
    text = " ".join(str(name).split())
    if not text:
        return ""
    key = re.sub(r"[^a-z0-9]+", " ", _ascii(text).lower()).strip()
    if key in _NETWORKS:
        return _NETWORKS[key]
    if text == text.lower():
        return " ".join(w[:1].upper() + w[1:] for w in text.split(" "))
    return text


# ------------------------------------------------------------------ wide tables

_NOT_A_CHANNEL = frozenset(
    "avg average total ad ads media paid unit daily weekly monthly est estimated planned plan budget "
    "actual net gross other all sum cumulative per cost spend the a marketing".split()
)
_METRIC_WORDS = frozenset(
    "conv conversion conversions click clicks impression impressions impr cpm cpc cpa ctr result results "
    "view views lead leads purchase purchases action actions order orders install installs acquisition "
    "engagement engagements follower followers reach value revenue sales roas per avg average".split()
)
_SPEND_WORDS = r"(?:spend|spent|spending|cost|costs|investment|ad spend|media spend)"
_WIDE_SUFFIX = re.compile(rf"^(?P<n>.+?)[\s_\-:]*(?:\(\s*)?{_SPEND_WORDS}(?:\s*\))?$", re.I)
_WIDE_PREFIX = re.compile(rf"^{_SPEND_WORDS}[\s_\-:]+(?:on\s+)?(?P<n>[A-Za-z].*)$", re.I)
_ROBYN = re.compile(r"^(?P<n>.+?)_S$")          # Robyn: tv_S, facebook_S (case-sensitive)
_MDSP = re.compile(r"^mdsp_(?P<n>.+)$", re.I)   # PyMC case study: mdsp_so, mdsp_sem
_X_COLUMN = re.compile(r"^x\d+$", re.I)         # PyMC example: x1, x2 (guess only)


def wide_channel(header: object) -> str | None:
    """The network of a per-channel spend column, or None.

    ``"Instagram spend"`` -> ``Instagram``; ``"tv_S"`` -> ``TV``; ``"mdsp_so"`` -> ``So``;
    ``"Channel0_spend"`` -> ``Channel0``; ``"Spend - FB"`` -> ``Facebook``.  Headers that
    are a field on their own (``Total spend``, ``Cost``) and ``x1``-style names are not.
    """
    raw = _CURRENCY_IN_PARENS.sub(" ", str(header)).strip()
    if not raw or match_field(raw) is not None:
        return None
    for pattern in (_ROBYN, _MDSP, _WIDE_SUFFIX, _WIDE_PREFIX):
        m = pattern.match(raw)
        if not m:
            continue
        name = re.sub(r"[_\s]+", " ", m.group("n")).strip(" -:/.")
        key = normalize_header(name)
        if not key or key in _NOT_A_CHANNEL or "/" in name or set(key.split(" ")) & _METRIC_WORDS:
            return None
        if pattern is _ROBYN and not re.search(r"[a-z]", name, re.I):
            return None
        return normalize_network(name)
    return None


_OUTCOME_WORDS = (r"(?:revenue|sales|conversion value|conversions value|conv\.? value|purchase value|"
                  r"purchases value|order value|gmv|umsatz|ventes)")
_WIDE_OUT_SUFFIX = re.compile(rf"^(?P<n>.+?)[\s_\-:]*(?:\(\s*)?{_OUTCOME_WORDS}(?:\s*\))?$", re.I)
_WIDE_OUT_PREFIX = re.compile(rf"^{_OUTCOME_WORDS}[\s_\-:]+(?:on\s+|from\s+)?(?P<n>[A-Za-z].*)$", re.I)


def wide_outcome_channel(header: object) -> str | None:
    """The network of a per-channel outcome column, or None.

    ``"Instagram revenue"`` -> ``Instagram``; ``"Sales - TikTok"`` -> ``TikTok``.
    Headers that are a field on their own (``Total sales``, ``Revenue``) are not.
    """
    raw = _CURRENCY_IN_PARENS.sub(" ", str(header)).strip()
    if not raw or match_field(raw) is not None:
        return None
    for pattern in (_WIDE_OUT_SUFFIX, _WIDE_OUT_PREFIX):
        m = pattern.match(raw)
        if not m:
            continue
        name = re.sub(r"[_\s]+", " ", m.group("n")).strip(" -:/.")
        key = normalize_header(name)
        if not key or key in _NOT_A_CHANNEL or "/" in name or set(key.split(" ")) & _METRIC_WORDS:
            return None
        return normalize_network(name)
    return None


def infer_network(headers: Sequence[object]) -> tuple[str, str] | None:
    """``(network, reason)`` for a long table without a network column, from its headers."""
    keys = {normalize_header(h) for h in headers}
    raws = " | ".join(str(h).lower() for h in headers)
    if {"amount spent", "purchases conversion value", "reporting starts", "ad set name",
        "website purchases conversion value", "montant depense"} & keys or "amount spent" in raws:
        return "Facebook", "its headers are those of a Meta Ads Manager export"
    if {"spend in account currency", "pin clicks", "saves", "pin id"} & keys:
        return "Pinterest", "its headers are those of a Pinterest Ads export"
    if {"stat time day", "clicks destination", "cost per 1 000 people reached", "paid likes"} & keys:
        return "TikTok", "its headers are those of a TikTok Ads Manager export"
    if {"currency code", "wahrungscode", "impr", "conv value", "all conv value", "cost conv",
        "interaction rate", "conv value cost"} & keys:
        return "Google Ads", "its headers are those of a Google Ads export"
    if {"start date in utc", "end date in utc", "campaign group name", "total spent"} & keys:
        return "LinkedIn", "its headers are those of a LinkedIn Campaign Manager export"
    return None


# ------------------------------------------------------------------ mapping

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


@dataclass(frozen=True)
class MappedField:
    """A user's mapping target: a field, and for dates the day/month order,
    for wide spend columns the network name."""

    field: str
    dayfirst: bool | None = None
    network: str | None = None


def parse_mapping_field(text: object) -> MappedField:
    """Read the right side of ``--map "SOURCE=FIELD"``.

    Accepts the canonical fields, common words (``revenue``, ``creator``, ``cost``),
    ``ignore``, ``date:dmy`` / ``date:mdy`` (day/month order) and ``spend:TV`` (a
    wide spend column and the network it is for).
    """
    raw = str(text).strip()
    base, _, arg = raw.partition(":")
    key = normalize_header(base)
    key = key.replace(" ", "_") if key.replace(" ", "_") in FIELDS + HELPER_FIELDS else key
    if key in ("ignore", "skip", "none", "drop", "unused", ""):
        return MappedField(IGNORE)
    fld = key if key in FIELDS + HELPER_FIELDS else _FIELD_ALIASES.get(key)
    if fld is None:
        fld = match_field(base)
    if fld is None:
        allowed = ", ".join(FIELDS + ("ignore",))
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


# ------------------------------------------------------------------ column plan

@dataclass(frozen=True)
class ColumnPlan:
    """Which column (by position) is which field, and the table's layout.

    ``layout`` is ``"long"``, ``"wide"`` or ``"unknown"`` (no spend column found);
    ``channels`` the wide spend columns as ``(position, network)``; ``outcome_channels``
    the outcome column of each channel of a wide table without a total outcome
    (``Instagram revenue``: the outcome is then attributed per channel); ``guessed`` the
    headers taken only from a weak guess (``x1``, ``y``); ``notes`` warnings about
    what was decided (the sentence, and the header it is about).
    """

    fields: dict[str, int]
    channels: tuple[tuple[int, str], ...]
    layout: str
    dayfirst: bool | None = None
    guessed: tuple[str, ...] = ()
    network_guess: tuple[str, str] | None = None
    notes: tuple[tuple[str, str | None], ...] = ()
    mapped: tuple[int, ...] = ()  # positions the user's mapping named
    outcome_channels: tuple[tuple[int, str], ...] = ()

    @property
    def score(self) -> int:
        """How well the headers were understood (for choosing the header row and sheet)."""
        s = 10 * len(self.fields) + 10 * min(len(self.channels), 6) + 20 * len(self.mapped)
        if "date" in self.fields:
            s += 20
        if "spend" in self.fields or self.channels:
            s += 20
        if "outcome" in self.fields or self.layout == "wide":
            s += 10
        return s - 15 * len(self.guessed)

    def column_of(self, fld: str) -> int | None:
        return self.fields.get(fld)


def _find_column(headers: Sequence[str], key: str) -> int | None:
    for exact in (True, False):
        for i, h in enumerate(headers):
            if (h == key) if exact else (h.strip().lower() == key.strip().lower()):
                return i
    nk = normalize_header(key)
    for i, h in enumerate(headers):
        if normalize_header(h) == nk and nk:
            return i
    return None


def plan_columns(headers: Sequence[object], mapping: Mapping[str, object] | None = None,
                 strict: bool = True) -> ColumnPlan:
    """Decide which column is which field.

    Parameters
    ----------
    headers : the header row, as text
    mapping : ``{source column: field}`` from the user; overrides detection (see
        :func:`parse_mapping_field` for the field names)
    strict : raise :class:`DataError` when a mapped column is not in ``headers``
        (False while trying candidate header rows)
    """
    headers = [str(h) for h in headers]
    notes: list[tuple[str, str | None]] = []
    fields: dict[str, int] = {}
    ranks: dict[str, int] = {}
    channels: list[tuple[int, str]] = []
    taken: set[int] = set()
    mapped: list[int] = []
    dayfirst = None
    forced_spend: list[tuple[int, str | None]] = []
    forced_outcome: list[tuple[int, str]] = []

    for key, target in (mapping or {}).items():
        mf = target if isinstance(target, MappedField) else parse_mapping_field(target)
        pos = _find_column(headers, str(key))
        if pos is None:
            if strict:
                shown = ", ".join(f'"{h}"' for h in headers if h)[:400]
                raise DataError(f'The mapping names a column "{key}" that is not in the table; its columns are {shown}.')
            continue
        taken.add(pos)
        mapped.append(pos)
        if mf.field == IGNORE:
            continue
        if mf.field == "spend":
            forced_spend.append((pos, mf.network))
            continue
        if mf.field == "outcome" and mf.network:
            forced_outcome.append((pos, mf.network))
            continue
        if mf.field == "date" and mf.dayfirst is not None:
            dayfirst = mf.dayfirst
        fields[mf.field] = pos
        ranks[mf.field] = -1

    user_fields = set(fields)
    for pos, h in enumerate(headers):
        if pos in taken:
            continue
        fld = match_field(h)
        if fld is None or fld in user_fields:
            continue
        if forced_spend and fld == "spend":
            continue
        r = _rank(h)
        if fld not in fields or r < ranks[fld]:
            fields[fld] = pos
            ranks[fld] = r

    # Per-channel spend columns of a wide table.
    if "network" not in fields:
        seen: dict[str, int] = {}
        for pos, h in enumerate(headers):
            if pos in taken or pos in fields.values():
                continue
            net = wide_channel(h)
            if net is None:
                continue
            if net in seen:
                notes.append((f'Column "{h}" is a second spend column for {net}; only "{headers[seen[net]]}" was used.', h))
                continue
            seen[net] = pos
            channels.append((pos, net))

    guessed: list[str] = []
    layout = "unknown"
    if forced_spend:
        if "network" in fields or len(forced_spend) == 1 and not channels:
            pos0 = forced_spend[0][0]
            fields["spend"] = pos0
            for pos, _ in forced_spend[1:]:
                notes.append((f'Only one spend column can be used in a table with a network column; "{headers[pos]}" was not used.', headers[pos]))
            channels = []
        else:
            for pos, net in forced_spend:
                name = net or wide_channel(headers[pos]) or normalize_network(headers[pos])
                channels = [c for c in channels if c[1] != name]
                channels.append((pos, name))
            fields.pop("spend", None)
    if "network" in fields:
        layout = "long" if "spend" in fields else "unknown"
        channels = []
    elif channels and (len(channels) >= 2 or "spend" not in fields):
        layout = "wide"
        if "spend" in fields:
            notes.append((f'Column "{headers[fields["spend"]]}" was not used: the spend columns per channel were used instead.',
                          headers[fields["spend"]]))
            fields.pop("spend")
    elif "spend" in fields:
        layout = "long"
        channels = []
    else:
        xs = [(pos, h) for pos, h in enumerate(headers) if pos not in taken and _X_COLUMN.match(h.strip())]
        if xs and "date" in fields:
            layout = "wide"
            channels = [(pos, normalize_network(h.strip())) for pos, h in xs]
            guessed = [h for _, h in xs]
            if "outcome" not in fields:
                ys = [pos for pos, h in enumerate(headers) if pos not in taken and h.strip().lower() in ("y", "target", "kpi", "dependent")]
                if ys:
                    fields["outcome"] = ys[0]
                    guessed.append(headers[ys[0]])
            named = ", ".join(guessed)
            notes.append((
                f"The columns {named} were read as "
                + ("spend per channel and the outcome" if "outcome" in fields and headers[fields['outcome']] in guessed else "spend per channel")
                + " only from their names; if that is wrong, say what each column is, e.g. "
                f'--map "{xs[0][1]}=spend:TV" or --map "{xs[0][1]}=ignore".',
                None,
            ))
    outcome_channels: list[tuple[int, str]] = []
    if layout == "wide" and "outcome" not in fields and not guessed:
        # a spend and an outcome column per channel ("Instagram spend", "Instagram revenue")
        nets = {net for _, net in channels}
        used = taken | set(fields.values()) | {pos for pos, _ in channels}
        found = {net: pos for pos, net in forced_outcome}
        for pos, h in enumerate(headers):
            net = wide_outcome_channel(h) if pos not in used else None
            if net is not None and net in nets and net not in found:
                found[net] = pos
        if found and set(found) <= nets:
            outcome_channels = [(found[net], net) for _, net in channels if net in found]
            for f in ("orders", "outcome_per_order"):
                fields.pop(f, None)
            missing = [net for _, net in channels if net not in found]
            if missing:
                notes.append((f"There is no outcome column for {', '.join(missing)}, so "
                              f"{'its' if len(missing) == 1 else 'their'} spend was left out.", None))
                channels = [(pos, net) for pos, net in channels if net in found]
    if layout == "wide":
        for f in ("network", "entity"):
            fields.pop(f, None)
    network_guess = None
    if layout == "long" and "network" not in fields:
        network_guess = infer_network(headers)
    return ColumnPlan(fields, tuple(channels), layout, dayfirst, tuple(guessed), network_guess, tuple(notes),
                      tuple(mapped), tuple(outcome_channels))


# ------------------------------------------------------------------ a mapping a user corrects

FIELD_LABELS = {
    "": "(not used)", "date": "date", "date:dmy": "date, day/month/year", "date:mdy": "date, month/day/year",
    "network": "network", "entity": "creator (handle)", "spend": "spend", "outcome": "outcome (revenue, sales)",
    "followers": "followers", "posts": "posts", "reach": "reach", "engagements": "engagements", "clicks": "clicks",
    "orders": "orders (a count)", "campaign": "campaign", "product_cost": "product cost (adds to spend)",
    "usage_rights": "usage rights (adds to spend)", "commission": "commission (comes off the outcome)",
    "outcome_per_order": "revenue per order", "geo": "region (summed over)", "ignore": "ignore",
}
_STANDARD_NETWORKS = ("Instagram", "TikTok", "YouTube", "Facebook", "Pinterest", "X", "LinkedIn", "Google Ads",
                      "Snapchat", "TV", "OOH", "Search")


def mapping_choices(networks: Sequence[str] = ()) -> list[str]:
    """Every value a mapping table's field can take: the fields, ``date:dmy``/``date:mdy``,
    ``ignore``, ``""`` (not used) and ``spend:<Network>`` for the given and the usual networks."""
    nets = list(dict.fromkeys([*(str(n) for n in networks if n), *_STANDARD_NETWORKS]))
    return list(FIELD_LABELS) + [f"spend:{n}" for n in nets] + [f"outcome:{n}" for n in nets]


def mapping_changes(before: Sequence[tuple[object, object]], after: Sequence[tuple[object, object]]) -> dict[str, str]:
    """The ``--map`` entries that turn one mapping table into another.

    ``before`` and ``after`` are ``(source column, field)`` pairs (``field`` ``""`` or
    None: not used), e.g. ``Dataset.mapping_table()`` before and after a user edited
    it.  A column whose field changed maps to the new field; one cleared maps to
    ``"ignore"``.  Raises :class:`DataError` for a field the planner does not know.
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
