"""Who acts on the scenario store, and what they may change.

Every scenario belongs to the person who saved it first.  Everyone who uses the planner may list,
load and compare every scenario; only its owner, or an admin, may replace, rename or delete it.

A :class:`Person` is who the app says is signed in: their e-mail (compared without case), else the
identity provider's subject; :data:`LOCAL` (``"local"``) when the planner runs without sign-in.
Admins are listed by the app's settings (``PLANNER_ADMINS``: e-mails separated by commas or spaces,
read by :func:`admins_from`).  The library never asks who is signed in: the app passes the person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from planner.scenarios.errors import NotYours, ScenarioError

__all__ = ["LOCAL", "MAX_ID", "ACTIONS", "Person", "SINGLE_USER", "person", "admins_from", "same_person",
           "require_person", "check_may_change"]

LOCAL = "local"  # the owner of whatever is saved without sign-in (and of every scenario saved before owners)
MAX_ID = 320  # the longest e-mail address (RFC 3696) and more than any provider's subject
ACTIONS = ("save", "replace", "rename", "delete")  # what the audit records; all but "save" need the owner or an admin
_SPLIT = re.compile(r"[\s,;]+")


def _key(identity: str) -> str:
    return unicodedata.normalize("NFKC", identity).strip().casefold()


def same_person(a: str, b: str) -> bool:
    """Return True when two identities name one person (e-mails compared ignoring case and width).

    Parameters
    ----------
    a, b : str
        Identities as :class:`Person` keeps them (an e-mail, a subject or ``"local"``).

    Returns
    -------
    bool
    """
    return _key(str(a)) == _key(str(b))


@dataclass(frozen=True)
class Person:
    """Who acts on the store: an identity (e-mail or the provider's subject, or ``"local"``) and whether they are an admin.

    Parameters
    ----------
    id : str
        The identity, stripped; e-mails are kept in lower case.  At most :data:`MAX_ID` characters.
    admin : bool, default False
        An admin may replace, rename and delete every scenario, not only their own.

    Raises
    ------
    ScenarioError
        When ``id`` is empty, too long or not text.
    """

    id: str
    admin: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise ScenarioError("The planner does not know who is signed in, so nothing can be saved or changed.")
        ident = unicodedata.normalize("NFKC", self.id).strip()
        if "@" in ident:
            ident = ident.lower()
        if len(ident) > MAX_ID:
            raise ScenarioError(f"The signed-in identity is longer than {MAX_ID} characters; the planner cannot "
                                "record it as a scenario's owner.")
        object.__setattr__(self, "id", ident)
        object.__setattr__(self, "admin", bool(self.admin))

    def may_change(self, owner: str) -> bool:
        """Return True when this person may replace, rename or delete a scenario of ``owner``.

        Parameters
        ----------
        owner : str
            The scenario's owner.

        Returns
        -------
        bool
        """
        return self.admin or same_person(self.id, owner)


SINGLE_USER = Person(LOCAL)  # the planner without sign-in


def admins_from(value: str | Iterable[str] | None) -> frozenset[str]:
    """Return the admins of a setting, each as :class:`Person` keeps an identity.

    Parameters
    ----------
    value : str or iterable of str, optional
        ``"ana@example.com, bo@example.com"`` (commas, semicolons or spaces between them) or a list.

    Returns
    -------
    frozenset of str
        The identities, e-mails in lower case; empty for None or blank.
    """
    if value is None:
        return frozenset()
    items = _SPLIT.split(value) if isinstance(value, str) else [str(v) for v in value]
    return frozenset(Person(v).id for v in items if v and v.strip())


def person(email: str | None, subject: str | None = None, admins: Iterable[str] = (),
           email_verified: bool | None = None) -> Person:
    """Return the person an identity provider signed in: by e-mail, else by subject.

    Parameters
    ----------
    email : str, optional
        The e-mail the provider vouched for.
    subject : str, optional
        The provider's ``sub`` claim, used when there is no e-mail (or it is not verified).
    admins : iterable of str, default ()
        The admins' identities (:func:`admins_from`).
    email_verified : bool, optional
        The provider's ``email_verified`` claim: an e-mail it says it has not verified is not used (anyone
        could claim an admin's address); None (not said) trusts it, as providers that omit the claim do.

    Returns
    -------
    Person
        An admin when the identity is one of ``admins`` (ignoring case).

    Raises
    ------
    ScenarioError
        When neither an e-mail nor a subject is given.
    """
    if email_verified is False:
        email = None
    ident = next((str(v) for v in (email, subject) if v is not None and str(v).strip()), "")
    who = Person(ident)
    return Person(who.id, admin=any(same_person(who.id, a) for a in admins))


def require_person(by) -> Person:
    """Return ``by`` when it is a :class:`Person`.

    Parameters
    ----------
    by : Person
        Who acts on the store.

    Returns
    -------
    Person

    Raises
    ------
    ScenarioError
        When ``by`` is anything else (the store never guesses who acts).
    """
    if not isinstance(by, Person):
        raise ScenarioError(f"A change to a scenario needs the person who makes it, not {type(by).__name__}.")
    return by


def check_may_change(by: Person, owner: str, name: str, action: str) -> None:
    """Raise :class:`NotYours` unless ``by`` may ``action`` the scenario ``name`` of ``owner``.

    Parameters
    ----------
    by : Person
        Who asks.
    owner : str
        The scenario's owner.
    name : str
        The scenario's name, for the sentence.
    action : str
        ``"replace"``, ``"rename"`` or ``"delete"``.

    Raises
    ------
    NotYours
        With a sentence that names the owner.
    ScenarioError
        When ``by`` is not a :class:`Person`.
    """
    if require_person(by).may_change(owner):
        return
    if same_person(owner, LOCAL):
        raise NotYours(f"'{name}' was saved before sign-in was set up: only an admin can {action} it. "
                       "Save your own copy under another name instead.")
    raise NotYours(f"'{name}' is {owner}'s scenario: only they or an admin can {action} it. "
                   "Save your own copy under another name instead.")
