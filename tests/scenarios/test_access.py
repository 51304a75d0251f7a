"""Who acts on the store: a person from what the identity provider vouched for, the admins of a setting,
and who may change whose scenario."""

from __future__ import annotations

import pytest

from planner.scenarios.access import LOCAL, MAX_ID, SINGLE_USER, Person, admins_from, check_may_change, person
from planner.scenarios.errors import NotYours, ScenarioError


def test_a_person_is_their_email_else_their_subject():
    assert person("Ana@Example.com", "sub-1") == Person("ana@example.com")
    assert person(None, "google-oauth2|1234") == Person("google-oauth2|1234")
    assert person("  ", " 42 ").id == "42"
    # an address the provider says it has not verified is not who signed in: anyone could type an admin's
    assert person("it@example.com", "sub-9", admins={"it@example.com"}, email_verified=False) == Person("sub-9")
    assert person("it@example.com", "sub-9", admins={"it@example.com"}, email_verified=True).admin
    with pytest.raises(ScenarioError, match="does not know who is signed in"):
        person(None, None)
    with pytest.raises(ScenarioError, match=f"longer than {MAX_ID} characters"):
        Person("x" * (MAX_ID + 1))


def test_admins_come_from_a_setting_in_any_case_and_separator():
    admins = admins_from(" IT@Example.com, boss@example.com;ops@example.com\nlead@example.com ")
    assert admins == {"it@example.com", "boss@example.com", "ops@example.com", "lead@example.com"}
    assert admins_from(["A@x.org", " "]) == {"a@x.org"}
    assert admins_from(None) == admins_from("") == frozenset()
    assert person("it@EXAMPLE.com", admins=admins).admin
    assert not person("ana@example.com", admins=admins).admin
    assert not person(None, "it@example.co", admins=admins).admin


def test_owner_or_admin_may_change_and_a_refusal_names_the_owner():
    ana = Person("ana@example.com")
    assert ana.may_change("ANA@example.com") and not ana.may_change("bo@example.com")
    assert Person("it@example.com", admin=True).may_change("bo@example.com")
    assert SINGLE_USER.id == LOCAL and SINGLE_USER.may_change(LOCAL) and not SINGLE_USER.may_change("ana@example.com")
    check_may_change(ana, "ana@example.com", "Q3", "rename")
    with pytest.raises(NotYours, match=r"^'Q3' is bo@example.com's scenario: only they or an admin can delete it\."):
        check_may_change(ana, "bo@example.com", "Q3", "delete")
    with pytest.raises(NotYours, match=r"^'Q3' was saved before sign-in was set up: only an admin can replace it\."):
        check_may_change(ana, LOCAL, "Q3", "replace")
