"""The workbook's By network sheet: the Allocation sheet summed per network with live formulas.

``SUMIF`` formulas over the Allocation sheet (an exact ``SUMPRODUCT(EXACT(...))`` for a
network name SUMIF would misread), so the sheet follows the analyst's edits; the return
of the next dollar in each network; and a check an auditor can see that the per-network
totals equal the Allocation totals.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from planner.report.sheets.allocation import ALLOCATION_SHEET, AllocationRows, ratio
from planner.report.sheets.book import Sheet
from planner.report.sheets.cells import (
    MONEY,
    MONEY_SIGNED,
    PERCENT,
    RATIO,
    add_table,
    cell_number,
    clean_text,
    column_or_default,
    fit_width,
    num,
    set_widths,
    style_total_row,
    write_header,
    write_text,
)

__all__ = ["NETWORK_TABLE", "network_sheet"]

NETWORK_TABLE = "NetworkTable"


_SUMIF_SAFE = re.compile(r"^[^\W_][\w .&'/-]*$")


def _sumif_safe(network: str, networks) -> bool:
    """Tell whether SUMIF may sum ``network``: a plain name that no other network equals case-insensitively.

    SUMIF reads wildcards (* ? ~) and leading operators, and ignores case.
    """
    if not _SUMIF_SAFE.match(network):
        return False
    low = network.casefold()
    return sum(1 for n in networks if n.casefold() == low) == 1


def _network_marginal(table: pd.DataFrame, nets: list[str]) -> dict[str, float]:
    """Per network, the return of the next dollar in its best row that can still take more."""
    marginal = pd.to_numeric(column_or_default(table, "marginal_return", np.nan), errors="coerce")
    binding = column_or_default(table, "binding", "").astype(object).where(lambda b: b.notna(), "").astype(str)
    open_ = ~binding.isin(["max", "locked"])
    networks = table["network"].map(clean_text)
    out = {}
    for net in nets:
        m = marginal[(networks == net) & open_ & marginal.notna()]
        out[net] = float(m.max()) if len(m) else float("nan")
    return out


def _sum(values) -> float:
    return float(sum(v for v in values if isinstance(v, (int, float))))


def network_sheet(ws: Sheet, alloc: AllocationRows, current_given: bool, table: pd.DataFrame) -> None:
    """Write the By network sheet of ``table`` on ``ws``, its formulas over the Allocation rows ``alloc``.

    Parameters
    ----------
    ws : Sheet
        The sheet; changed in place.
    alloc : AllocationRows
        Where the Allocation sheet put the rows, each row's network as written, and the values its
        formulas compute (saved with this sheet's formulas).
    current_given : bool
        Whether the table has a current spend; without it a line under the table says Current spend and
        Change show zero.
    table : DataFrame
        The allocation table written on the Allocation sheet (same order), for each network's marginal
        return: the highest ``marginal_return`` of its rows not at their maximum or locked (blank when none).
    """
    headers = ["Network", "Current spend", "Optimal spend", "Change", "Expected revenue", "ROAS", "Share of spend",
               "Marginal ROAS"]
    notes = [None, "Sum over the Allocation sheet (SUMIF).", "Sum over the Allocation sheet (SUMIF).",
             "Optimal minus current spend.", "Sum over the Allocation sheet (SUMIF).",
             "Expected revenue per dollar.", "This network's share of the total optimal spend.",
             "Revenue expected from one more dollar in this network's best row that can still take more "
             "(at the planner's spends: a number that does not follow edits)."]
    write_header(ws, 1, headers, notes)
    first, last, atotal = alloc.first, alloc.last, alloc.total
    nets = list(dict.fromkeys(alloc.networks))
    next_dollar = _network_marginal(table, nets)
    net_col = f"{ALLOCATION_SHEET}!$B${first}:$B${last}"
    total = len(nets) + 2
    column = {src: alloc.values(src) for src in "CDF"}
    sums = {src: [_sum(v for v, n in zip(column[src], alloc.networks, strict=True) if n == net) for net in nets]
            for src in "CDF"}
    spend_total = _sum(sums["D"])
    for i, net in enumerate(nets):
        r = 2 + i
        write_text(ws, (r, 1), net)
        for c, src in ((2, "C"), (3, "D"), (5, "F")):
            rng = f"{ALLOCATION_SHEET}!${src}${first}:${src}${last}"
            if _sumif_safe(net, nets):
                formula = f"=SUMIF({net_col},$A{r},{rng})"
            else:  # exact, case-sensitive match: no wildcard or operator in the name counts
                formula = f"=SUMPRODUCT(EXACT({net_col},$A{r})*{rng})"
            ws.formula((r, c), formula, sums[src][i], **num(MONEY))
        cur, spend, rev = sums["C"][i], sums["D"][i], sums["F"][i]
        ws.formula((r, 4), f"=C{r}-B{r}", spend - cur, **num(MONEY_SIGNED))
        ws.formula((r, 6), f'=IF(C{r}>0,E{r}/C{r},"")', ratio(rev, spend), **num(RATIO))
        ws.formula((r, 7), f'=IF($C${total}>0,C{r}/$C${total},"")', ratio(spend, spend_total), **num(PERCENT))
        ws.number((r, 8), cell_number(next_dollar[net]), **num(RATIO))
    write_text(ws, (total, 1), "Total")
    lastn = total - 1
    totals = {"B": _sum(sums["C"]), "C": spend_total, "D": spend_total - _sum(sums["C"]), "E": _sum(sums["F"])}
    for c, fmt in zip("BCDE", (MONEY, MONEY, MONEY_SIGNED, MONEY), strict=True):
        if nets:
            ws.formula(f"{c}{total}", f"=SUM({c}2:{c}{lastn})", totals[c], **num(fmt))
        else:
            ws.style(f"{c}{total}", **num(fmt))
    ws.formula(f"F{total}", f'=IF(C{total}>0,E{total}/C{total},"")', ratio(totals["E"], spend_total), **num(RATIO))
    if nets:
        shares = _sum(ratio(s, spend_total) for s in sums["D"])
        ws.formula(f"G{total}", f'=IF(C{total}>0,SUM(G2:G{lastn}),"")', shares if spend_total > 0 else "",
                   **num(PERCENT))
    else:
        ws.style(f"G{total}", **num(PERCENT))
    style_total_row(ws, total, 8)
    add_table(ws, NETWORK_TABLE, f"A1:H{max(lastn, 2)}")
    # a check an auditor can see: the per-network totals equal the Allocation totals
    write_text(ws, (total + 2, 1), "Check: equals the Allocation total")
    same = abs(spend_total - _sum(column["D"])) < 0.005
    ws.formula((total + 2, 3), f'=IF(ABS(C{total}-{ALLOCATION_SHEET}!D{atotal})<0.005,"OK","DIFFERENT")',
               "OK" if same else "DIFFERENT")
    ws.freeze("B2")
    set_widths(ws, {"A": fit_width(nets + ["Check: equals the"], "Network", 14, 40),
                    "B": 16, "C": 16, "D": 16, "E": 18, "F": 10, "G": 12, "H": 14})
    ws.height(1, 32)
    if not current_given:
        write_text(ws, (total + 3, 1), "No current spend was given: Current spend and Change show zero.")
