"""Spend exports and the shop's sales over time among a session's files, joined into one table.

A part of :class:`ui.state.AppState` (its ``sources``, ``is_sample``, ``code_reports``, ``import_options`` and
``_mapping`` are read here): the files that are a shop's sales by day, week or month (no spend), the files of spend
without revenue that their sales are the outcome of, and the one Dataset the two make (planner.data.spend_join).
"""

from __future__ import annotations

from functools import cached_property

from ui import joined_cache


class JoinedSources:
    """The sales files, the spend exports waiting for them, and their join."""

    @cached_property
    def sales_files(self) -> list[tuple[str, object]]:
        """The shop's sales over time among the source files (not the promo-code reports), with their reading."""
        if self.is_sample:  # the sample has none: not looked for on every fresh server's first page
            return []
        reports = {name for name, _ in self.code_reports}
        out = []
        for name, data in self.sources:
            if name in reports:
                continue
            found = joined_cache.sales_file(name, data, self._mapping(name), self.import_options(name)["decimal"])
            if not found.ok or found.value is not None:
                out.append((name, found))
        return out

    @cached_property
    def spend_exports(self) -> list[str]:
        """The files of spend without revenue that the sales files give the outcome of (none without sales)."""
        if not any(found.ok for _, found in self.sales_files):
            return []
        taken = {name for name, _ in self.code_reports} | {name for name, _ in self.sales_files}
        return [name for name, data in self.sources
                if name not in taken and joined_cache.is_spend_export(name, data, self._mapping(name))]

    @cached_property
    def joined(self) -> tuple[str, object] | None:
        """(name, the spend exports and the sales joined: a Result of a Dataset), or None without both."""
        sales = [(name, found) for name, found in self.sales_files if found.ok]
        if not sales or not self.spend_exports:
            return None
        data = dict(self.sources)
        spend = tuple((name, data[name], self.import_options(name)["sheet"], self._mapping(name),
                       self.import_options(name)["decimal"]) for name in self.spend_exports)
        given = tuple((name, data[name], self._mapping(name), self.import_options(name)["decimal"])
                      for name, _ in sales)
        result = joined_cache.joined(spend, given)
        name = result.value.source if result.ok else " + ".join([*self.spend_exports, *(n for n, _ in sales)])
        return name, result
