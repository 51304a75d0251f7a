"""Amounts are written in the currency in force; a currency any code names can be shown."""

import threading

import pandas as pd

from planner.base.currency import EUR, USD, currency_in, current, for_code, show_in, using
from planner.base.format import money, one, roas, signed_money, unit_money


def test_every_formatter_writes_the_currency_in_force():
    with using(EUR):
        assert [money(1234.5), signed_money(1200), money(0), roas(6.5, per_dollar=True), unit_money(0.004),
                one(), one(1000)] == ["€1,235", "+€1,200", "€0", "€6.50 per €1", "€0.0040", "€1", "€1,000"]
    with using("CHF"):
        assert money(-1234.4) == "-CHF 1,234" and one() == "CHF 1"
    assert money(1234.5) == "$1,235" and one() == "$1"


def test_a_code_the_planner_does_not_know_is_written_as_the_code():
    assert for_code("qar").symbol == "QAR " and for_code("eur") is EUR


def test_a_table_states_its_currency_in_its_currency_column():
    assert currency_in(pd.DataFrame({"name": ["a"], "currency": ["EUR"]})) is EUR
    assert currency_in(pd.DataFrame({"name": ["a"], "currency": [None]})) is None
    assert currency_in(pd.DataFrame({"name": ["a"]})) is None


def test_show_in_holds_for_its_own_thread_only():
    seen = {}

    def other():
        seen["other"] = current().code

    with using(USD):
        show_in("GBP")
        t = threading.Thread(target=other)
        t.start()
        t.join()
        assert current().code == "GBP"
    assert seen["other"] == "USD"
    assert current().code == "USD"
