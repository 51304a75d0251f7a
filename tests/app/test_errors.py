"""ui.cache.attempt: the one place the app turns errors into sentences, and tells a bug from a user's mistake."""

from __future__ import annotations

import logging

from planner.base.errors import InfeasibleError, InputError
from ui.cache import attempt


def test_an_error_the_user_can_cause_is_its_own_sentence():
    def bad():
        raise InputError("Sheet 'Plan', row 4, column 'Spend': 'lots' is not an amount of money.")

    r = attempt("reading the plan", bad)
    assert not r.ok and not r.bug and r.error == "Sheet 'Plan', row 4, column 'Spend': 'lots' is not an amount of money."
    r = attempt("optimising the budget", lambda: (_ for _ in ()).throw(InfeasibleError("No plan meets every bound.")))
    assert r.error == "No plan meets every bound." and not r.bug
    assert attempt("adding", lambda a, b: a + b, 2, b=3).value == 5


def test_a_bug_is_logged_and_said_to_be_one_not_dressed_as_the_users_mistake(caplog):
    def broken():
        raise ValueError("an internal invariant failed")

    with caplog.at_level(logging.ERROR, logger="ui.cache"):
        r = attempt("fitting the response curves", broken)
    assert not r.ok and r.bug
    assert r.error.startswith("Something went wrong while fitting the response curves: this is a bug in the planner")
    assert "ValueError: an internal invariant failed" in r.error
    assert any("Traceback" in (rec.exc_text or "") or rec.exc_info for rec in caplog.records)
