"""The currency of the data a session plans with: the one its files state, or the one chosen on the Data page.

A part of :class:`ui.state.AppState` (its ``is_sample``, ``loaded`` and ``settings`` are read here).
"""

from __future__ import annotations

from functools import cached_property

from planner.base.currency import USD, Currency, for_code
from planner.data.currency_found import same_currency


class CurrencyOfData:
    """What a session's files say of their currency, and the currency its amounts are shown in."""

    @cached_property
    def currency_found(self) -> tuple[str | None, str]:
        """(ISO code, where it was read) of the first file that states its currency; (None, "") when none does.

        The sample states none (its amounts are US dollars), and is not read just to learn that.
        """
        if self.is_sample:
            return None, ""
        for name, result in self.loaded:
            if result.ok and result.value.currency:
                said = result.value.currency_from  # a join's names its file
                return result.value.currency, said if result.value.joined else f"{name}, {said}"
        return None, ""

    def currency_conflict(self) -> str:
        """The sentence refusing files in two currencies; "" when they agree (planner.data.currency_found)."""
        if self.is_sample:
            return ""
        return same_currency([(name, r.value.currency if r.ok else None) for name, r in self.loaded])

    def set_currency(self, code: str | None) -> None:
        """Show amounts in ``code`` (an ISO code), or as the data says (None)."""
        self.settings["currency"] = code or None

    @property
    def currency(self) -> Currency:
        """The currency amounts are shown in: the one chosen on the Data page, else the data's, else US dollars."""
        chosen = self.settings.get("currency")
        if chosen:
            return for_code(chosen)
        code, _ = self.currency_found
        return for_code(code) if code else USD
