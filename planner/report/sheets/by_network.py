"""The workbook's By network sheet: the Allocation sheet summed per network with live formulas.

``SUMIF`` formulas over the Allocation sheet (an exact ``SUMPRODUCT(EXACT(...))`` for a
network name SUMIF would misread), so the sheet follows the analyst's edits; the return
of the next dollar in each network (the highest Marginal ROAS of its Allocation rows that can
still take more, an array formula with the exact name: live too); and a check an auditor can
see that the per-network totals equal the Allocation totals.
"""

from __future__ import annotations

import re

from planner.base.format import INFINITY
from planner.report.sheets.allocation import ALLOCATION_SHEET, HELD_BACK, AllocationRows, ratio
from planner.report.sheets.book import Sheet
from planner.report.sheets.cells import (
    MONEY,
    MONEY_SIGNED,
    PERCENT,
    RATIO,
    add_table,
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


def _next_dollar(alloc: AllocationRows, r: int) -> str:
    """Return the array formula of the next dollar's return in the network named in ``$A{r}``.

    The highest Marginal ROAS (column H) of the network's Allocation rows whose Binding (column I) is not
    one of :data:`~planner.report.sheets.allocation.HELD_BACK`; ``∞`` when one of them shows it, ``""``
    when none has a number.  The name matches exactly (EXACT), whatever wildcards or case it has.
    """
    A, first, last = ALLOCATION_SHEET, alloc.first, alloc.last
    h, binding = f"{A}!$H${first}:$H${last}", f"{A}!$I${first}:$I${last}"
    cond = f"EXACT({A}!$B${first}:$B${last},$A{r})" + "".join(f'*({binding}<>"{t}")' for t in HELD_BACK)
    return (f'=IF(SUM({cond}*({h}="{INFINITY}")),"{INFINITY}",'
            f'IF(SUM({cond}*ISNUMBER({h})),MAX(IF({cond}*ISNUMBER({h}),{h})),""))')


def _next_dollar_value(alloc: AllocationRows, net: str):
    """Return what :func:`_next_dollar` computes for ``net`` from the Allocation sheet's values."""
    seen = [alloc.value("H", alloc.first + i) for i, n in enumerate(alloc.networks)
            if n == net and alloc.value("I", alloc.first + i) not in HELD_BACK]
    if INFINITY in seen:
        return INFINITY
    numbers = [v for v in seen if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return max(numbers) if numbers else ""


def _sum(values) -> float:
    return float(sum(v for v in values if isinstance(v, (int, float))))


def network_sheet(ws: Sheet, alloc: AllocationRows, current_given: bool) -> None:
    """Write the By network sheet on ``ws``, its formulas over the Allocation rows ``alloc``.

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
    """
    headers = ["Network", "Current spend", "Optimal spend", "Change", "Expected revenue", "ROAS", "Share of spend",
               "Marginal ROAS"]
    notes = [None, "Sum over the Allocation sheet (SUMIF).", "Sum over the Allocation sheet (SUMIF).",
             "Optimal minus current spend.", "Sum over the Allocation sheet (SUMIF).",
             "Expected revenue per dollar.", "This network's share of the total optimal spend.",
             "Revenue expected from one more dollar in this network's best row that can still take more: the "
             "highest Marginal ROAS of its rows on the Allocation sheet that are not at their maximum or fixed "
             "(column Binding, the planner's). A formula: it follows edited spends and curves."]
    write_header(ws, 1, headers, notes)
    first, last, atotal = alloc.first, alloc.last, alloc.total
    nets = list(dict.fromkeys(alloc.networks))
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
        ws.array_formula((r, 8), _next_dollar(alloc, r), _next_dollar_value(alloc, net), **num(RATIO))
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
