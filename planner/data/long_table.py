"""Long tables: a row per date x network [x creator], with the spend and the outcome of each row.

A table of creator campaigns or an ad platform's export.  Rows become an ``"attributed"``
:class:`~planner.data.dataset.Dataset`, unless the outcome is the same on every row of a
date (a marketing-mix table written long), which is read as a total per date (kind
``"total"``).  A creator's cost beyond the fee, where the table has it (product sent,
usage rights, commission on sales), is counted: spend includes product and usage costs,
the outcome is net of commission.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from planner.data.campaign_status import not_run, status_note
from planner.data.campaign_tails import campaign_tails
from planner.data.checks import check_dates_in_order, outliers
from planner.data.column_plan import campaign_controls
from planner.data.columns import NumberCells, formula_cells, read_dates, read_numbers, table_decimal
from planner.data.controls import CAMPAIGNS, kept_controls, read_controls, settle_controls
from planner.data.dataset import OPTIONAL_COLUMNS, Dataset
from planner.data.issues import RowEvents, cell_text, format_amount, zeros_note
from planner.data.networks import creator_handle, link_network, normalize_network, one_spelling
from planner.data.numbers import looks_like_number
from planner.data.totals import is_close, is_total_label
from planner.data.values import is_missing
from planner.data.work import TableMeta, TableWork, make_dataset

__all__ = ["build_long"]


_RATE_WORDS = re.compile(r"%|\brate\b|\bpct\b|percent|\bin %", re.I)


def build_long(work: TableWork, meta: TableMeta) -> Dataset:
    """Read the rows of a long table into a Dataset, with an issue for every problem found.

    Parameters
    ----------
    work : TableWork
        The rows below the header (repeated header rows already dropped); its plan is
        long, with a date and a spend column and an outcome column (or orders and
        revenue per order).
    meta : TableMeta
        What the Dataset carries besides its rows; ``meta.decimal`` is the user's
        decimal mark, if any.

    Returns
    -------
    Dataset
        Kind ``"attributed"``: ``rows`` with ``date, network, entity, spend, outcome``,
        the optional columns the table has and ``row``.  Kind ``"total"`` when the
        outcome is the same on every row of a date (three or more dates with several
        networks, no creators): ``rows`` with ``date, network, spend, row`` and the
        outcome per date.
    """
    choice, log = work.choice, work.log
    plan, headers = choice.plan, choice.headers
    f = plan.fields
    header_row = meta.header_row
    numeric = [fld for fld in ("spend", "outcome", "orders", "outcome_per_order", "followers", "posts", "reach",
                               "engagements", "clicks", "product_cost", "usage_rights", "commission") if fld in f]
    hint = meta.decimal or table_decimal(work, [f[fld] for fld in numeric])
    dates = read_dates(work, hint)

    cols = {fld: read_numbers(work, f[fld], hint, meta.decimal) for fld in numeric}
    for fld, col in cols.items():
        for note in col.notes:
            log.add("warning", header_row, headers[f[fld]], None, note)

    n = work.n
    rownums = work.rownums
    spend = cols["spend"].values.copy()
    derived = "outcome" not in f
    if derived:
        outcome = cols["orders"].values * cols["outcome_per_order"].values
        log.add("warning", header_row, headers[f["orders"]], None,
                f'There is no revenue column; revenue was computed as "{headers[f["orders"]]}" x '
                f'"{headers[f["outcome_per_order"]]}" on every row.')
    else:
        outcome = cols["outcome"].values.copy()
    ocol_j = f.get("outcome", f.get("orders"))
    ocol = headers[ocol_j]

    # formulas without saved values look blank; say so instead of reading them as 0
    blank_pos = {f[fld]: np.flatnonzero(cols[fld].blank) for fld in ("spend", "outcome") if fld in cols}
    formulas = formula_cells(work, blank_pos)

    def has_formula(j: int) -> np.ndarray:
        if not formulas:
            return np.zeros(n, dtype=bool)
        return np.fromiter(((int(r), j) in formulas for r in rownums), dtype=bool, count=n)

    net_j, ent_j = f.get("network"), f.get("entity")
    linked = work.per_value(ent_j, link_network, "") if net_j is None and ent_j is not None else None
    if linked is not None and (linked != "").any():  # no network column: each creator's profile link names it
        networks, no_net = linked, linked == ""
    elif net_j is None:
        guess = plan.network_guess[0] if plan.network_guess else ""
        networks = np.full(n, normalize_network(guess), dtype=object)
        no_net = np.zeros(n, dtype=bool)
    else:
        networks = work.per_value(net_j, lambda u: "" if is_missing(u) else normalize_network(str(u)), "")
        no_net = work.per_value(net_j, is_missing, True, bool)
    is_total = lambda u: u if isinstance(u, str) and is_total_label(u) else None  # noqa: E731
    label = work.per_value(net_j, is_total) if net_j is not None else np.full(n, None, dtype=object)
    if ent_j is not None:
        ent_label = work.per_value(ent_j, is_total)
        label = np.where(np.equal(label, None), ent_label, label)

    ev = RowEvents()
    reason = np.full(n, None, dtype=object)
    ok = np.equal(label, None)
    lab_pos = np.flatnonzero(~ok)
    reason[lab_pos] = [f'skip:a totals row ("{lab}")' for lab in label[lab_pos]]
    if ent_j is not None and "status" in f:  # a creators' tracker: campaigns planned or cancelled have not run
        ok = _not_run(work, f["status"], ok, reason, log, headers[f["status"]], rownums)
    dateless = ok & np.isnat(dates.values)
    live = ok & ~dateless

    if net_j is not None or linked is not None:
        p = np.flatnonzero(live & no_net)
        said = ("This row has no network, so it was left out." if net_j is not None else
                "This creator has no profile link to read its network from (and the table no network column), so "
                "the row was left out.")
        ev.add(p, "error", headers[net_j if net_j is not None else ent_j], "no network",
               lambda q: (rownums[q], None, said))
        reason[p] = "no network"
        live[p] = False
    for fld in ("spend", "outcome") if not derived else ("spend", "orders", "outcome_per_order"):
        j, col = f[fld], cols[fld]
        p = np.flatnonzero(live & (col.bad >= 0))
        ev.add(p, "error", headers[j], "not a number",
               lambda q, col=col: (rownums[q], col.problems[col.bad[q]].value,
                                   f"{col.problems[col.bad[q]].message}, so this row was left out."))
        reason[p] = f'"{headers[j]}" is not a number'
        live[p] = False

    blank_first: dict[str, tuple[int, int]] = {}  # field -> (first row, count)
    s_blank = live & np.isnan(spend)
    s_formula = s_blank & has_formula(f["spend"])
    p = np.flatnonzero(s_formula)
    ev.add(p, "error", headers[f["spend"]], "formula without value",
           lambda q: (rownums[q], formulas.get((int(rownums[q]), f["spend"])),
                      "This cell holds a formula whose result was never saved in the file (it was written by a "
                      "program that does not calculate); open the file in Excel and save it, then load it again."))
    reason[p] = "the spend is a formula without a saved value"
    live &= ~s_formula
    fee_blank = s_blank & ~s_formula  # a blank fee: 0, or a campaign's later revenue (planner.data.campaign_tails)
    s_zero = np.flatnonzero(fee_blank)
    spend[s_zero] = 0.0
    if len(s_zero):
        blank_first["spend"] = (int(rownums[s_zero[0]]), len(s_zero))
    p = np.flatnonzero(live & (spend < 0))
    ev.add(p, "error", headers[f["spend"]], "negative spend",
           lambda q: (rownums[q], cell_text(work.cell(q, f["spend"])),
                      f"Spend cannot be negative ({format_amount(spend[q])}), so this row was left out."))
    reason[p] = "negative spend"
    live[p] = False

    o_blank = live & np.isnan(outcome)
    o_formula = o_blank & has_formula(ocol_j)
    p = np.flatnonzero(o_formula)
    ev.add(p, "error", ocol, "formula without value",
           lambda q: (rownums[q], formulas.get((int(rownums[q]), ocol_j)),
                      "This cell holds a formula whose result was never saved in the file; open the file in "
                      "Excel and save it, then load it again."))
    reason[p] = "the outcome is a formula without a saved value"
    live &= ~o_formula
    o_none = o_blank & ~o_formula
    if ent_j is not None:  # a creators' tracker's campaigns booked ahead: no revenue yet, not none
        pending = _pending(o_none, live & ~o_blank, dates.values)
        if pending.any():
            first, last = int(rownums[np.flatnonzero(pending)[0]]), dates.values[live & ~o_blank].max()
            n_p = int(pending.sum())
            log.add("warning", first, ocol, None,
                    f"{n_p:,} row{'s' if n_p > 1 else ''} dated after the last {ocol} the file gives "
                    f"({pd.Timestamp(last):%d %b %Y}) {'have' if n_p > 1 else 'has'} none yet, so "
                    f"{'they were' if n_p > 1 else 'it was'} left out as campaigns still to come (the first at row "
                    f"{first}). Write 0 where a campaign sold nothing.")
            reason[pending] = "skip:no revenue yet (dated after the file's last revenue)"
            live &= ~pending
            o_none &= ~pending
    o_zero = np.flatnonzero(o_none)
    outcome[o_zero] = 0.0
    if len(o_zero):
        blank_first["outcome"] = (int(rownums[o_zero[0]]), len(o_zero))
    p = np.flatnonzero(live & (outcome < 0))
    ev.add(p, "warning", ocol, "negative outcome",
           lambda q: (rownums[q], cell_text(work.cell(q, ocol_j)),
                      f"The outcome is negative ({format_amount(outcome[q])}); it was kept (refunds?)."))

    # rows without a date: a sum of the usable rows above (a totals row without a label), or an error
    good = live
    prefix = np.concatenate([[0.0], np.cumsum(np.where(good, spend, 0.0))])
    since = 0
    sums, errs = [], []
    for q in np.flatnonzero(dateless):
        v = spend[q]
        if v == v and v != 0 and (is_close(v, prefix[q] - prefix[since]) or is_close(v, prefix[q])):
            sums.append(q)
            since = q
        else:
            errs.append(q)
    reason[np.array(sums, dtype=np.int64)] = "skip:the sum of the rows above (a totals row without a label)"
    dcol = headers[f["date"]]
    errs = np.array(errs, dtype=np.int64)
    no_date = errs[dates.bad[errs] < 0]
    unreadable = errs[dates.bad[errs] >= 0]
    ev.add(no_date, "error", dcol, "no date", lambda q: (rownums[q], None, "This row has no date, so it was left out."))
    ev.add(unreadable, "error", dcol, "unreadable date",
           lambda q: (rownums[q], dates.problems[dates.bad[q]].value,
                      f"{dates.problems[dates.bad[q]].message}, so this row was left out."))
    reason[no_date] = "no date"
    reason[unreadable] = "the date could not be read or is far from the others"
    ev.flush(log)

    for fld, (first, cnt) in sorted(blank_first.items(), key=lambda kv: kv[1][0]):
        col = headers[f[fld]] if fld in f else headers[f["orders"]]
        log.add("warning", first, col, None, zeros_note(cnt, first))
    # optional numeric columns: unreadable cells are warnings only
    for fld in ("followers", "posts", "reach", "engagements", "clicks", "orders",
                "product_cost", "usage_rights", "commission"):
        if fld in cols and not (derived and fld == "orders"):
            col = cols[fld]
            what = "it was counted as 0" if fld in ("product_cost", "usage_rights", "commission") else "it was left empty"
            ev.add(np.flatnonzero(good & (col.bad >= 0)), "warning", headers[f[fld]], "not a number (optional)",
                   lambda q, col=col, what=what: (rownums[q], col.problems[col.bad[q]].value,
                                                  f"{col.problems[col.bad[q]].message}; {what}."))
            ev.flush(log)

    spend, outcome, costs = _creator_costs(work, cols, spend, outcome, header_row)

    bad_rows = np.flatnonzero(~good)
    why = reason[bad_rows]
    why = np.array(["an error in this row" if w is None else w for w in why], dtype=object)
    skip_prefix = np.char.startswith(why.astype(str), "skip:") if len(why) else np.zeros(0, dtype=bool)
    work.skip_rows(bad_rows, np.where(skip_prefix, [w[5:] for w in why], [f"left out: {w}" for w in why]))

    keep = np.flatnonzero(good)
    entity = work.per_value(ent_j, creator_handle, "") if ent_j is not None else np.full(n, "", dtype=object)
    if ent_j is not None and len(keep):
        entity = _one_spelling(entity, keep, log, header_row, headers[ent_j])
    frame = pd.DataFrame({
        "date": pd.Series(dates.values[keep], dtype="datetime64[ns]"),
        "network": pd.Series(networks[keep], dtype=object),
        "entity": pd.Series(entity[keep], dtype=object),
        "spend": spend[keep],
        "outcome": outcome[keep],
    })
    for fld in OPTIONAL_COLUMNS:
        if fld == "campaign" and "campaign" in f:
            text = work.per_value(f["campaign"], lambda u: "" if is_missing(u) else str(u), "")
            frame["campaign"] = pd.Series(text[keep], dtype=object)
        elif fld in costs:
            frame[fld] = costs[fld][keep]
        elif fld in cols:
            frame[fld] = cols[fld].values[keep]
    frame["row"] = rownums[keep].astype(int)
    if ent_j is not None and "campaign" not in f:  # revenue rows after a campaign's fee row: that campaign's
        _tails(frame, fee_blank[keep], log, headers[f["spend"]])
    controls = None
    if plan.controls and campaign_controls(plan):  # a discount or launch per campaign row: the creators' fit reads it
        kept = kept_controls(read_controls(work, plan.controls, hint, meta.decimal), keep, work, log, header_row,
                             CAMPAIGNS, "campaign row")
        settle_controls(kept, meta, log, plan.mapped, CAMPAIGNS)
        if kept.values:
            controls = pd.DataFrame({"date": frame["date"], **kept.values})
            _control_outliers(log, controls, frame["row"].to_numpy())

    _check_duplicates_long(work, frame, keep)
    # a creator against their own campaigns, a network's paid media against its own rows
    who = pd.MultiIndex.from_arrays([frame["network"].to_numpy(), frame["entity"].to_numpy()]).codes
    who = who[0].astype(np.int64) * (int(who[1].max(initial=0)) + 1) + who[1]
    for pos, med in outliers(frame["spend"].to_numpy(), who):
        r = frame.iloc[pos]
        log.add("warning", int(r["row"]), headers[f["spend"]], format_amount(r["spend"]),
                f"Spend of {format_amount(r['spend'])} is far above the usual spend of {_whose(r)} "
                f"(median {format_amount(med)}); check it for a typing error.", kind="outlier")
    for pos, med in outliers(frame["outcome"].to_numpy(), who):
        r = frame.iloc[pos]
        log.add("warning", int(r["row"]), ocol, format_amount(r["outcome"]),
                f"An outcome of {format_amount(r['outcome'])} is far above the usual of {_whose(r)} "
                f"(median {format_amount(med)}); check it for a typing error.", kind="outlier")

    # An outcome repeated on every row of a date is a total per date, not per row.
    if _outcome_is_total(frame):
        log.add("warning", header_row, ocol, None,
                f'"{ocol}" has the same value on every row of a date, so it was read as the total of that date '
                "(a marketing-mix table), not as the outcome of each row.")
        rows = frame[["date", "network", "spend", "row"]].copy()
        out = frame.groupby("date", sort=True).agg(outcome=("outcome", "first"), row=("row", "min")).reset_index()
        check_dates_in_order(log, out["date"].to_numpy(), out["row"].to_numpy(), headers[f["date"]])
        if controls is not None:  # a total per date: its controls averaged over the date's rows
            controls = controls.groupby("date", sort=True).mean().reindex(out["date"]).reset_index()
        return make_dataset("total", rows, out, log, work, meta, controls)
    return make_dataset("attributed", frame, None, log, work, meta, controls)


def _creator_costs(work: TableWork, cols: dict[str, NumberCells], spend: np.ndarray, outcome: np.ndarray,
                   header_row: int) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Count a creator's cost beyond the fee.

    Product sent and usage rights add to spend; commission on sales (a rate, or an amount
    of money) comes off the outcome.
    """
    headers, f = work.choice.headers, work.choice.plan.fields
    costs: dict[str, np.ndarray] = {}
    added = []
    for fld in ("product_cost", "usage_rights"):
        if fld in cols:
            v = np.nan_to_num(cols[fld].values, nan=0.0)
            costs[fld] = v
            spend = spend + v
            added.append(f'"{headers[f[fld]]}"')
    text = []
    if added:
        text.append(f'spend is "{headers[f["spend"]]}" plus {" and ".join(added)}')
    if "commission" in cols:
        col = cols["commission"]
        head = headers[f["commission"]]
        v = np.nan_to_num(col.values, nan=0.0)
        if col.percent or _RATE_WORDS.search(head) or (len(v) and np.all(np.abs(v) <= 1.0) and np.any(v != 0)):
            rate = np.where(np.abs(v) > 1.0, v / 100.0, v)  # "12" in a percent column is 12 %
            amount = rate * outcome
            text.append(f'the outcome is net of "{head}" (a share of sales)')
        else:
            amount = v
            text.append(f'the outcome is net of "{head}" (money paid)')
        costs["commission"] = amount
        outcome = outcome - amount
    if text:
        work.log.add("warning", header_row, None, None,
                     "A creator's cost is more than the fee: " + "; ".join(text)
                     + ", so every return computed from this table is net of these costs.")
    return spend, outcome, costs


def _whose(r) -> str:
    return f"{r['entity']} on {r['network']}" if r["entity"] else f"{r['network']} paid media"


def _outcome_is_total(frame: pd.DataFrame) -> bool:
    if frame.empty or (frame["entity"] != "").any():
        return False
    g = frame.groupby("date")
    multi = g["network"].nunique()
    multi = multi[multi > 1]
    if len(multi) < 3:
        return False
    sub = frame[frame["date"].isin(multi.index)]
    same = sub.groupby("date")["outcome"].nunique() == 1
    return bool(same.all()) and float(sub["outcome"].abs().sum()) > 0


def _text_columns(work: TableWork, keep: np.ndarray, positions: Sequence[int]) -> list[int]:
    out = []
    first = keep[:50]
    for j in positions:
        vals = [v for v in (work.cell(int(k), j) for k in first) if v is not None]
        if vals and sum(isinstance(v, str) and not looks_like_number(v) for v in vals) > len(vals) / 2:
            out.append(j)
    return out


def _check_duplicates_long(work: TableWork, frame: pd.DataFrame, keep: np.ndarray) -> None:
    if frame.empty:
        return
    choice = work.choice
    used = set(choice.plan.fields.values())
    others = _text_columns(work, keep, [j for j in range(len(choice.headers)) if j not in used])
    extra_cols = others + ([choice.plan.fields["campaign"]] if "campaign" in choice.plan.fields else [])
    f = choice.plan.fields
    keys = pd.DataFrame({"date": frame["date"].to_numpy().astype(np.int64)})
    if "network" in f:
        keys["network"] = work.value_codes(f["network"], lambda u: "" if is_missing(u) else normalize_network(str(u)),
                                           "")[keep]
    if "entity" in f:
        keys["entity"] = work.value_codes(f["entity"], lambda u: creator_handle(u).casefold(), "")[keep]
    for j in extra_cols:
        keys[f"c{j}"] = work.value_codes(j, str, "None")[keep]
    involved = keys.duplicated(keep=False).to_numpy()
    if not involved.any():
        return
    later = keys.duplicated(keep="first").to_numpy()
    rownums = frame["row"].to_numpy()
    entities = frame["entity"].to_numpy()
    first_row: dict = {}
    ev = RowEvents()
    dup_pos = []
    for pos, key in zip(np.flatnonzero(involved), map(tuple, keys[involved].itertuples(index=False)), strict=True):
        if later[pos]:
            dup_pos.append((pos, first_row[key]))
        else:
            first_row[key] = int(rownums[pos])
    ev.add(np.array([p for p, _ in dup_pos], dtype=np.int64), "warning", None, "duplicate row",
           lambda q, firsts=dict(dup_pos): (
               int(rownums[q]), None,
               f"Same date, {'creator' if entities[q] else 'network'} and details as row {firsts[q]}; "
               "both rows were kept and count twice."))
    ev.flush(work.log)



def _control_outliers(log, controls: pd.DataFrame, rows: np.ndarray) -> None:
    """Leave a campaign control far above the rest empty, and say so (a 200,000 among discounts of 10 to 30 %).

    One such value decides the control's effect alone (planner.fit.campaign_controls): it reads as a typing error.
    """
    for name in controls.columns[1:]:
        values = controls[name].to_numpy(dtype=float)
        for pos, med in outliers(values, ["all"] * len(values)):
            log.add("warning", int(rows[pos]), str(name).split(": ")[0], format_amount(values[pos]),
                    f"{name} of {format_amount(values[pos])} is far above the rest (median {format_amount(med)}): "
                    "a typing error, it seems, so it was left empty for this campaign row (counted as the control's "
                    "average); correct it in the file if it is right.", kind="outlier")
            controls.loc[pos, name] = np.nan


def _one_spelling(entity: np.ndarray, keep: np.ndarray, log, header_row: int, header: str) -> np.ndarray:
    """Each creator's handle written one way on the rows kept (``@Nina`` and ``@nina`` are one creator), said once."""
    out = np.array(entity, dtype=object)
    written, replaced = one_spelling(out[keep])
    if replaced:
        out[keep] = written
        shown = ", ".join(f"{a} as {b}" for a, b in replaced[:5])
        more = f" and {len(replaced) - 5:,} more" if len(replaced) > 5 else ""
        log.add("warning", header_row, header, None,
                f"Handles do not depend on case, so handles written in several ways are one creator each: read "
                f"{shown}{more}.")
    return out


def _tails(frame: pd.DataFrame, fee_blank: np.ndarray, log, header: str) -> None:
    """Give ``frame`` a campaign column where rows of a blank fee continue a creator's campaign, and say so."""
    key, tails = campaign_tails(frame, fee_blank)
    if key is None:
        return
    frame["campaign"] = pd.Series(key, index=frame.index, dtype=object)
    first = int(frame["row"].iloc[tails[0]])
    n = len(tails)
    log.add("warning", first, header, None,
            f"{n:,} row{'s' if n > 1 else ''} of creators with a blank fee and no posts, within a quarter after a "
            f"campaign of the same creator, {'were' if n > 1 else 'was'} read as more revenue of that campaign (a fee "
            "written once, on a "
            f"campaign's first row; the first at row {first}). Write 0 as the fee of a campaign that was gifted.")


def _pending(blank: np.ndarray, written: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """Rows whose outcome is blank and dated after every row whose outcome is written: not reported yet."""
    if not blank.any() or not written.any():
        return np.zeros(len(blank), dtype=bool)
    last = dates[written].max()
    with np.errstate(invalid="ignore"):
        return blank & ~np.isnat(dates) & (dates > last)


def _not_run(work: TableWork, j: int, ok: np.ndarray, reason: np.ndarray, log, header: str, rownums) -> np.ndarray:
    """Leave out the rows whose status says the campaign has not run; return the rows still to read."""
    skip = ok & work.per_value(j, not_run, False, bool)
    if skip.any():
        at = np.flatnonzero(skip)
        log.add("warning", int(rownums[at[0]]), header, None,
                status_note(np.array([work.cell(q, j) for q in at], dtype=object), int(rownums[at[0]])))
        reason[at] = "skip:the campaign has not run (its status)"
    return ok & ~skip
