"""Column headers as the ad platforms and people write them, and the fields they name.

- :func:`normalize_header` / :func:`match_field`: a header -> one canonical field
  (``date, network, entity, spend, outcome, followers, posts, reach, engagements,
  clicks, orders, campaign``, plus the helpers ``outcome_per_order`` and ``geo``).
  Synonyms come from the platforms' exports (shared/peer_data/export_headers) and
  from how people type them; matching is on whole headers, so ``Cost per result``
  or ``Avg. cost`` never count as spend.

Fields also include a creator's cost beyond the fee: ``product_cost`` and
``usage_rights`` (added to spend) and ``commission`` (taken off the outcome).
LinkedIn Campaign Manager exports (``Start Date (in UTC)``, ``Total Spent``,
``Total Conversion Value``) are recognised beside Meta, Google, TikTok and Pinterest.

Related modules: :mod:`planner.data.networks` (network names), :mod:`planner.data.channels`
(a wide table's per-channel columns), :mod:`planner.data.mapping` (a user's ``--map``)
and :mod:`planner.data.column_plan` (which column of a table is which field).
"""

from __future__ import annotations

import re
import unicodedata

from planner.base.currency import KNOWN
from planner.data.numbers import CURRENCY_CODES

__all__ = [
    "FIELDS",
    "HELPER_FIELDS",
    "NUMERIC_FIELDS",
    "COST_FIELDS",
    "SYNONYMS",
    "CURRENCY_IN_PARENS",
    "ascii_text",
    "header_scale",
    "unit_scale",
    "scale_words",
    "year_position",
    "normalize_header",
    "match_field",
    "header_rank",
]

FIELDS = ("date", "network", "entity", "spend", "outcome", "followers", "posts", "reach",
          "engagements", "clicks", "orders", "campaign", "product_cost", "usage_rights", "commission")
HELPER_FIELDS = ("outcome_per_order", "geo", "status", "code")
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
        "turnover", "income", "total purchase value", "purchases value", "gross revenue", "net revenue",
        "total complete payment value", "complete payment value", "value of complete payment",
        "shopify revenue", "shop revenue", "store revenue", "sales amount", "revenue amount", "nettoumsatz",
        "netto umsatz", "bruttoumsatz", "chiffre d affaires net", "ventes nettes", "ventas netas", "vendite nette",
        "umsatz netto", "umsatz brutto", "erlose", "erlos", "umsatzerlose", "nettoerlos", "nettoerlose",
        "revenue net", "sales net", "net revenue total", "total net sales", "omzet", "netto omzet",
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
    "status": ("status", "campaign status", "post status", "deal status", "stage", "statut", "estado"),
    "code": (  # a creator's promo code: joins a promo-code report's sales to the tracker (planner.data.code_sales)
        "promo code", "discount code", "code", "coupon", "coupon code", "voucher", "voucher code", "promocode",
        "referral code", "affiliate code", "creator code", "influencer code", "discount name",
        "code name", "rabattcode", "gutscheincode", "code promo", "code de reduction", "codigo", "codigo promocional",
        "codigo de descuento", "cupon", "codice sconto",
    ),
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
CURRENCY_IN_PARENS = re.compile(
    rf"[\(\[]\s*(?:{_CODES}|\$|€|£|¥|₹|us\$|in (?:{_CODES})|in account currency)\s*[\)\]]", re.I
)

_CODE_AT_END = re.compile(rf"(?<=\w)\s+(?:{'|'.join(sorted(KNOWN))})\s*$")


def ascii_text(text: str) -> str:
    """Return ``text`` without accents (``"Dépenses"`` -> ``"Depenses"``).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        The text in Unicode NFKD form with its combining marks dropped.
    """
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


# A header that says its figures are in thousands or millions: "Spend ($000)", "Revenue (k)", "Cost (in thousands)",
# "Sales (USD m)", "Followers ('000)"
_SCALE = re.compile(r"[\(\[]\s*(?:in\s+)?(?:us\$|\$|€|£|¥|₹|[a-z]{3}\s+)?\s*(?P<u>'?000s?|k|thousands?|m|mn|mm|mio|"
                    r"millions?)\s*[\)\]]\s*$", re.I)
_SCALES = {"000": 1e3, "'000": 1e3, "000s": 1e3, "'000s": 1e3, "k": 1e3, "thousand": 1e3, "thousands": 1e3,
           "m": 1e6, "mn": 1e6, "mm": 1e6, "mio": 1e6, "million": 1e6, "millions": 1e6}


def unit_scale(unit: str) -> float:
    """Return what a unit of thousands or millions multiplies by.

    ``"$000"``, ``"k"``, ``"thousands"``: 1,000; ``"m"``, ``"millions"``: 1,000,000.
    """
    return _SCALES[unit.lower().lstrip("$€£¥₹").strip()]


def scale_words(scale: float) -> str:
    """Return a scale in words, as the sentences say it: ``"thousands"`` or ``"millions"``."""
    return "thousands" if scale == 1e3 else "millions"


def header_scale(header: object) -> tuple[str, float]:
    """Return a header without a unit of thousands or millions at its end, and that unit.

    ``"Instagram spend ($000)"`` -> ``("Instagram spend", 1000.0)``; ``"Sales (USD m)"`` -> ``("Sales", 1e6)``;
    ``"Amount spent (USD)"`` -> itself and 1.

    Parameters
    ----------
    header : object
        A header cell (``str()`` of it).

    Returns
    -------
    tuple of (str, float)
        The header as the rest of the importer matches it, and what its figures are to be multiplied by.
    """
    text = str(header)
    m = _SCALE.search(text)
    if not m:
        return text, 1.0
    return text[:m.start()].rstrip(), unit_scale(m.group("u"))


_WEEK_HEADERS = frozenset({"week", "wk", "week number", "week no", "week num", "kw", "woche", "semaine", "semana",
                           "iso week"})
_MONTH_HEADERS = frozenset({"month", "monat", "mois", "mes", "month number", "month no"})
_YEAR_HEADERS = frozenset({"year", "yr", "jahr", "annee", "ano", "anno", "fiscal year", "fy", "iso year"})


def year_position(headers, date: int) -> tuple[int, str] | None:
    """Return the year column that completes a date column of week or month numbers, and which of the two it is.

    ``Year | Week`` (2024 | 5) is the ISO week's Monday; ``Year | Month`` (2024 | 5, or May) the month's first day.

    Parameters
    ----------
    headers : sequence of str
        The table's headers.
    date : int
        The date column's position.

    Returns
    -------
    tuple of (int, str) or None
        The year column's position and ``"week"`` or ``"month"``; None when the date column is not headed as a
        week or a month, or no column is headed as a year.
    """
    head = normalize_header(headers[date])
    unit = "week" if head in _WEEK_HEADERS else "month" if head in _MONTH_HEADERS else None
    if unit is None:
        return None
    year = next((j for j, h in enumerate(headers) if j != date and normalize_header(h) in _YEAR_HEADERS), None)
    return None if year is None else (year, unit)


def normalize_header(text: object) -> str:
    """Lower-case a header, drop accents, a currency in brackets and punctuation.

    ``"Amount spent (USD)"`` -> ``"amount spent"``; ``"Promo-code revenue"`` ->
    ``"promo code revenue"``; ``"Conv. value"`` -> ``"conv value"``.

    Parameters
    ----------
    text : object
        A header cell (``str()`` of it is used).

    Returns
    -------
    str
        Lower-case ASCII letters and digits, words separated by single spaces (``&`` is
        ``and``); ``""`` when nothing is left.
    """
    s = ascii_text(header_scale(text)[0]).strip()  # "Spend ($000)": the unit is read with its figures
    s = re.sub(r"\(\s*[A-Z]{3}\s*\)\s*$", " ", s)  # any currency code: "(QAR)"
    s = _CODE_AT_END.sub(" ", s).lower()  # "Spend EUR"
    s = CURRENCY_IN_PARENS.sub(" ", s)
    s = s.replace("&", " and ").replace("'", " ").replace("’", " ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def match_field(header: object) -> str | None:
    """Return the canonical field a header names, or None (``"Cost per result"`` -> None).

    Parameters
    ----------
    header : object
        A header cell, matched whole after :func:`normalize_header`.

    Returns
    -------
    str or None
        One of :data:`FIELDS` or :data:`HELPER_FIELDS`, or None.
    """
    hit = _LOOKUP.get(normalize_header(header))
    return hit[0] if hit else None


def header_rank(header: object) -> int:
    """Return the rank of a header among its field's synonyms (0 is the first); 999 when it names no field.

    Parameters
    ----------
    header : object
        A header cell, matched whole after :func:`normalize_header`.

    Returns
    -------
    int
        Its position in :data:`SYNONYMS` of its field (lower ranks win when two columns
        name one field), or 999.
    """
    hit = _LOOKUP.get(normalize_header(header))
    return hit[1] if hit else 999

