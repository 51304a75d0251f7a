"""Scenario names and the data's fingerprint.

A name is stripped of surrounding spaces and unique ignoring case and Unicode width: its key
(:func:`name_key`, the name after NFKC normalisation and case folding) is what the database
holds unique, so "Q3 plan", "q3 PLAN" and the full-width "Ｑ３ ｐｌａｎ" are one name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from planner.scenarios.errors import ScenarioError

__all__ = ["MAX_NAME", "MAX_KEY", "clean_name", "name_key", "data_fingerprint"]

MAX_NAME = 120
MAX_KEY = MAX_NAME * 3  # the key column's width; NFKC and case folding can lengthen a name (U+FDFA: 18 characters)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_name(name) -> str:
    """Return a scenario name as stored: stripped of surrounding spaces; raises ScenarioError if unusable.

    Parameters
    ----------
    name : str
        The name as typed.

    Returns
    -------
    str
        The name without surrounding whitespace.

    Raises
    ------
    ScenarioError
        When ``name`` is not text, is empty once stripped, holds control characters (tabs, line
        breaks, U+2028/U+2029) or is longer than :data:`MAX_NAME` characters.
    """
    if not isinstance(name, str):
        raise ScenarioError(f"A scenario name must be text, not {type(name).__name__}.")
    text = name.strip()
    if not text:
        raise ScenarioError("A scenario needs a name.")
    if _CONTROL.search(text):
        raise ScenarioError("A scenario name cannot hold tabs, line breaks or other control characters.")
    if len(text) > MAX_NAME:
        raise ScenarioError(f"A scenario name can have at most {MAX_NAME} characters; this one has {len(text)}.")
    return text


def name_key(name: str) -> str:
    """Return the unique key of a name: Unicode width, compatibility forms and case ignored.

    Parameters
    ----------
    name : str
        A scenario name as typed.

    Returns
    -------
    str
        :func:`clean_name` of it, NFKC-normalised and case-folded, then normalised again (Unicode's
        NFKC_Casefold): ``"Straße"`` and ``"STRASSE"`` share a key, and so do ``"Q3 plan"`` and the
        full-width ``"Ｑ３ ｐｌａｎ"``.  A key longer than :data:`MAX_KEY` keeps its start and ends in
        ``#`` and the SHA-256 (hex) of the whole key.

    Raises
    ------
    ScenarioError
        When the name is not usable (:func:`clean_name`).
    """
    key = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", clean_name(name)).casefold()).strip()
    if len(key) > MAX_KEY:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        key = f"{key[:MAX_KEY - len(digest) - 1]}#{digest}"
    return key


def data_fingerprint(parts: Iterable[str]) -> str:
    """Return one fingerprint for the data of a plan made from several files (order does not matter).

    Parameters
    ----------
    parts : iterable of str
        One fingerprint per data file (converted with ``str``).

    Returns
    -------
    str
        ``""`` for no part, the part itself for one, else the SHA-256 (hex) of the sorted parts joined
        by newlines.
    """
    items = sorted(str(p) for p in parts)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return hashlib.sha256("\n".join(items).encode("utf-8")).hexdigest()
