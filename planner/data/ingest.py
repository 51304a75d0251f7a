"""Import a spreadsheet (xlsx, xls, csv, tsv) into a :class:`~planner.data.dataset.Dataset`.

    from planner.data.ingest import load          # DataError is in planner.data.dataset
    ds = load("creator_campaigns.xlsx")                 # or load(bytes, name="x.csv")
    ds = load(path, sheet="Weekly", mapping={"Fee paid": "spend"}, decimal=",")

What it does
    - reads the file (xlsx/xlsm with openpyxl read-only, xls with xlrd, csv/tsv/txt with
      the delimiter sniffed and UTF-8 with or without BOM, UTF-16, or Windows-1252);
    - picks the data sheet (the one whose headers map best; sheets named like
      "Roster" or "Notes" only when nothing else fits) and the header row below any
      title rows; a header of two rows (a merged band such as "Spend" over
      "Instagram | TikTok") is read as one ("Spend Instagram"); which sheet was read is said
      when a workbook has hidden sheets, and which column was used when two share a header;
    - gives a merged cell's value (a network over four rows) to every row it covers, and
      says so (an amount stays on its first row: :mod:`planner.data.merged`);
    - maps headers to fields (:mod:`planner.data.headers`), reads numbers and dates as
      people type them (:mod:`planner.data.numbers`, :mod:`planner.data.dates`), deciding
      locale per column (or as the user says: ``decimal=","``);
    - long tables (a row per date x network [x creator]) with an outcome per row
      become kind ``"attributed"``; wide tables (a row per period, a spend column per
      channel, one outcome column) become kind ``"total"``;
    - a creator's cost beyond the fee, where the table has it (product sent, usage
      rights, commission on sales), is counted: spend includes product and usage
      costs, the outcome is net of commission;
    - lists every input row that is not imported in ``skipped`` with the reason
      (totals and subtotal rows, notes, repeated headers, rows with errors);
    - reads a total table's controls of the marketing-mix model (events, promotions,
      price, competitors, organic media: :mod:`planner.data.controls`) and names every
      column nothing reads (``Dataset.unused``).

Errors
    A file that cannot be read at all (empty, damaged, password-protected, over
    200 MB or 2,000,000 rows, a workbook that unpacks to too much: :mod:`~planner.data.zip_limits`,
    unknown sheet, a mapping naming a missing column)
    raises :class:`DataError` (a ``ValueError``) whose message is one sentence.
    Everything else is reported as :class:`~planner.data.dataset.Issue` objects in the
    returned Dataset: ``ds.has_errors`` tells whether it can be used.

Where each step is
    :mod:`~planner.data.files` reads a file into sheets (:mod:`~planner.data.workbooks`,
    :mod:`~planner.data.csv_files`, within :mod:`~planner.data.limits`);
    :mod:`~planner.data.table_finder` finds the sheet and the header row and
    :mod:`~planner.data.column_plan` which column is which field; this module checks
    what the table lacks and hands it to :mod:`~planner.data.long_table` or
    :mod:`~planner.data.wide_table`, which read its columns (:mod:`~planner.data.columns`),
    skip totals rows (:mod:`~planner.data.totals`), check the values
    (:mod:`~planner.data.checks`) and collect the issues (:mod:`~planner.data.issues`)
    into the Dataset (:mod:`~planner.data.work`).

Speed
    Tables are held by column (object arrays) and every column is read once per
    distinct value, so a 1,000,000-row CSV export imports in seconds (see
    ``python -m planner.bench.imports``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from planner.data.code_join import join_code_sales, needs_code_sales
from planner.data.code_report import CodeReport, reports_in_sheets
from planner.data.column_plan import ColumnPlan, campaign_controls, plan_columns
from planner.data.columns import total_labels
from planner.data.controls import unused_columns
from planner.data.currency_found import names_currency_column
from planner.data.dataset import DataError, Dataset
from planner.data.file_notes import Note, merge_notes, repeated_header_notes, repeats_value, sheet_notes
from planner.data.files import read_source, sheets_from_bytes
from planner.data.headers import normalize_header, year_position
from planner.data.issues import IssueLog
from planner.data.long_table import build_long
from planner.data.mapping import parse_mapping
from planner.data.merged import fill_merges
from planner.data.network_tabs import network_tabs, stack_tabs
from planner.data.networks import known_network, link_network
from planner.data.sheet import Cell
from planner.data.spend_export import needs_sales, stand_in_notes, with_stand_in, without_stand_in
from planner.data.table_finder import TableChoice, choose_table
from planner.data.wide_table import build_wide, build_wide_attributed
from planner.data.work import TableMeta, TableWork, empty_frames, make_dataset

__all__ = ["load"]


def load(source: Any, name: str | None = None, sheet: str | int | None = None,
         mapping: Mapping[str, str] | None = None, decimal: str | None = None,
         codes: Sequence[CodeReport] = (), spend_only: bool = False) -> Dataset:
    """Import a spreadsheet into a Dataset.

    Parameters
    ----------
    source : path (str or Path), bytes, or a file-like object (e.g. an upload)
    name : the file name when ``source`` is bytes (its extension helps: ``.tsv``)
    sheet : sheet name or 0-based index; None picks the sheet whose headers fit best
    mapping : ``{source column: field}`` overriding header detection, e.g.
        ``{"Fee paid": "spend", "Date": "date:dmy", "x1": "spend:TV", "Notes": "ignore"}``
    decimal : the decimal mark of every number column, ``"."`` or ``","``; None
        decides per column from its values (and says so when it had to assume)
    codes : promo-code reports (planner.data.code_report) loaded with it: a creators' tracker with a promo-code
        column and no revenue column takes each campaign's sales from them (planner.data.code_join)
    spend_only : bool, default False
        Read a table of spend without revenue (an ad platform's export: planner.data.spend_export) for its spend:
        its rows have an outcome of 0, to be joined with the shop's sales (planner.data.spend_join)

    Returns
    -------
    Dataset
        With every problem as an Issue; ``has_errors`` says whether it can be used.

    Raises
    ------
    DataError
        When the file cannot be read at all (one sentence for the user); also when
        ``decimal`` is not ``"."`` or ``","``, or ``mapping`` names a field the planner
        does not know or a column the table does not have.
    """
    if decimal is not None and str(decimal).strip() not in ("", ".", ","):
        raise DataError(f'The decimal mark must be "." or ",", not "{decimal}".')
    decimal = str(decimal).strip() or None if decimal is not None else None
    raw, fname = read_source(source, name)
    user_map = parse_mapping(mapping)
    sheets = sheets_from_bytes(raw, fname)
    tabs = network_tabs(sheets) if sheet is None or str(sheet) == "" else []
    if len(tabs) >= 2:  # a sheet per network: read together, each sheet's rows its network's
        stacked = stack_tabs([_load_sheet(raw, fname, sheets, tab, user_map, decimal, alone=True, codes=codes,
                                          spend_only=spend_only) for tab in tabs])
        if stacked is not None:
            return stacked
    return _load_sheet(raw, fname, sheets, sheet, user_map, decimal, codes=codes, spend_only=spend_only)


def _load_sheet(raw: bytes, fname: str, sheets, sheet, user_map, decimal: str | None, alone: bool = False,
                codes: Sequence[CodeReport] = (), spend_only: bool = False) -> Dataset:
    """Import one sheet (:func:`load`); ``alone``: one of several network sheets read together."""
    choice = choose_table(sheets, sheet, user_map, fname)
    plan = plan_columns(choice.headers, user_map, strict=True)  # raises for unknown mapped columns
    plan = _network_of_sheet(plan, choice.sheet.name, [choice.sheet] if alone else sheets)
    choice.plan = plan
    header_row = int(choice.sheet.rownums[choice.pos])
    fills = fill_merges(choice.sheet, header_row, repeats_value(plan))
    notes = (sheet_notes(sheets, choice.sheet) + repeated_header_notes(choice, header_row)
             + merge_notes(fills, choice.headers))
    digest = hashlib.sha256(raw)
    digest.update(f"\x00{choice.sheet.name}\x00{sorted((k, repr(v)) for k, v in user_map.items())}"
                  f"\x00{decimal}".encode())
    names = tuple(s.name for s in sheets)
    if spend_only and needs_sales(choice, own=True):  # spend for the shop's sales (planner.data.spend_join)
        digest.update(b"\x00spend only")
        return without_stand_in(_build(with_stand_in(choice), fname, digest.hexdigest(), decimal, names,
                                       notes + stand_in_notes(choice)))
    if not needs_code_sales(choice):
        return _build(choice, fname, digest.hexdigest(), decimal, names, notes)
    own = not codes  # without reports given, the shop's sales by code may be on another sheet of the workbook
    if own:
        codes = reports_in_sheets(raw, fname, [s for s in sheets if s is not choice.sheet], decimal, by_sheet=True)
    if not codes:  # said: load the report with it
        return _build(choice, fname, digest.hexdigest(), decimal, names, notes)
    joined = join_code_sales(choice, codes, decimal, own)  # a tracker whose revenue is in a promo-code report
    digest.update("".join(f"\x00{r.fingerprint}" for r in codes).encode())
    return joined.finish(_build(joined.choice, fname, digest.hexdigest(), decimal, names, notes + joined.notes,
                                joined.drop))


def _skip_repeated_headers(work: TableWork, header_cells: list[Cell]) -> None:
    filled = [(j, c) for j, c in enumerate(header_cells) if c is not None]
    j0, c0 = filled[0]
    first_raw = str(c0).lower()
    header_key = [normalize_header(c) for _, c in filled]
    same = work.per_value(j0, lambda u: isinstance(u, str) and u.lower() == first_raw
                          and normalize_header(u) == header_key[0], False, bool)
    drop = np.zeros(work.n, dtype=bool)
    for k in np.flatnonzero(same):
        cells = work.cells(int(k))
        first = next((c for c in cells if c is not None), None)
        if (isinstance(first, str) and first.lower() == first_raw and normalize_header(first) == header_key[0]
                and [normalize_header(c) for c in cells if c is not None] == header_key):
            drop[k] = True
    work.skip_rows(np.flatnonzero(drop), "repeats the header row")
    work.keep(~drop)


def _unused(work: TableWork, headers: list[str], plan, reads_controls: bool) -> tuple[str, ...]:
    """Return the headers nothing reads: not a field, a channel, a currency column or a control it reads."""
    read = ({*plan.fields.values()} | {j for j, _ in plan.channels} | {j for j, _ in plan.outcome_channels}
            | {j for j, h in enumerate(headers) if names_currency_column(h)})
    year = year_position(headers, plan.fields["date"]) if "date" in plan.fields else None
    if year is not None:  # Year | Week: the year is part of the date
        read.add(year[0])
    if reads_controls:
        read |= set(plan.controls)
    return unused_columns(work, read)


def _build(choice: TableChoice, fname: str, fingerprint: str, decimal: str | None, sheet_names: tuple[str, ...],
           notes: list[Note], drop: dict[int, str] | None = None) -> Dataset:
    sheet, plan, headers = choice.sheet, choice.plan, choice.headers
    log = IssueLog(sheet.name)
    for row, column, text in notes:  # hidden sheets, repeated headers, merged cells: what was decided
        log.add("warning", row, column, None, text)
    header_row = int(sheet.rownums[choice.pos])
    work = TableWork(choice, log, np.arange(choice.pos + 1, len(sheet), dtype=np.int64))
    _skip_repeated_headers(work, sheet.row(choice.pos))
    if drop:  # campaigns a promo-code report cannot give sales to (planner.data.code_join)
        at = np.flatnonzero(np.isin(work.idx, np.fromiter(drop, dtype=np.int64)))
        work.skip_rows(at, np.array([drop[int(work.idx[q])] for q in at], dtype=object))
        work.keep(~np.isin(np.arange(work.n), at))

    order = {True: "date:dmy", False: "date:mdy"}.get(plan.dayfirst, "date")  # a day/month order the user gave
    mapping_pairs = ([(headers[j], order if f == "date" else f) for f, j in plan.fields.items()]
                     + [(headers[j], f"spend:{n}") for j, n in plan.channels]
                     + [(headers[j], f"outcome:{n}") for j, n in plan.outcome_channels]
                     + [(headers[j], "control") for j in plan.controls])
    mapping_pairs.sort(key=lambda p: headers.index(p[0]))
    found = work.currency()
    total = plan.layout == "wide" and not plan.outcome_channels
    reads_controls = total or campaign_controls(plan)  # the marketing-mix model's, or the creators' fit's
    meta = TableMeta(fname, fingerprint, mapping_pairs, header_row, decimal, tuple(headers), sheet_names,
                     found.code, found.where, _unused(work, headers, plan, reads_controls))
    if choice.band_row is not None:
        log.add("warning", header_row, None, None,
                f"The header spans rows {choice.band_row} and {header_row}; their texts were joined, e.g. "
                f'"{next((h for h in headers if " " in h), headers[0])}".')
    for text, about in plan.notes:
        log.add("warning", header_row, about, None, text)

    layout = plan.layout
    problems = [("currency", found.conflict)] if found.conflict else []
    if not work.n:
        problems.append(("rows", "The table has a header but no data rows below it."))
    if layout == "unknown":
        problems.append(("spend", 'No spend column was found (such as "Spend", "Cost", "Amount spent", "Fee paid", '
                                  'or one column per channel such as "Instagram spend"); name one with --map "COLUMN=spend".'))
    if "date" not in plan.fields:
        problems.append(("date", 'No date column was found (such as "Date", "Week" or "Day"); '
                                 'name one with --map "COLUMN=date".'))
    linked = layout == "long" and "network" not in plan.fields and _links_name_networks(work, plan)
    if layout == "long" and "network" not in plan.fields and plan.network_guess is None and not linked:
        problems.append(("network", 'No network column was found (such as "Network", "Platform" or "Channel"); '
                                    'add one, or name it with --map "COLUMN=network".'))
    has_outcome = ("outcome" in plan.fields or ("orders" in plan.fields and "outcome_per_order" in plan.fields)
                   or bool(plan.outcome_channels))
    if layout != "unknown" and not has_outcome:
        if "orders" in plan.fields:
            col = headers[plan.fields["orders"]]
            problems.append(("outcome", f'There is no revenue or sales column, only "{col}" (a count), so returns in '
                                        f'money cannot be measured; add a revenue column, or plan for {col.lower()} '
                                        f'with --map "{col}=outcome".'))
        elif "code" in plan.fields:
            col = headers[plan.fields["code"]]
            problems.append(("outcome", f'There is spend but no revenue column; the campaigns\' codes ("{col}") can '
                                        "take their sales from the shop's promo-code report (a code column and its "
                                        "sales, by day or in total): load that report together with this file."))
        elif "entity" in plan.fields:  # a creators' tracker: its revenue is per campaign, not the shop's total
            problems.append(("outcome", 'There is spend but no outcome column (such as "Revenue", "Sales" or '
                                        '"Promo-code revenue"), so returns cannot be measured; add one, name it with '
                                        '--map "COLUMN=outcome", or add each campaign\'s promo code (a "Promo code" '
                                        "column) and load the shop's sales by discount code with this file."))
        else:
            problems.append(("outcome", 'There is spend but no outcome column (such as "Revenue", "Sales", '
                                        '"Promo-code revenue" or "Purchases conversion value"), so returns cannot '
                                        'be measured; add one, name it with --map "COLUMN=outcome", or load the '
                                        "shop's sales over time (a date and a sales column, by day, week or month) "
                                        "with this file: the marketing-mix model splits them across the networks."))
    if problems:
        for _, text in problems:
            log.add("error", header_row, None, None, text)
        short = problems[0][1].split(";")[0].split(" (")[0]
        labels = total_labels(work, np.arange(work.n))
        reasons = np.array([f'a totals row ("{lab}")' if lab is not None else f"not imported: {short[0].lower() + short[1:]}"
                            for lab in labels], dtype=object)
        work.skip_rows(np.arange(work.n), reasons)
        rows, outcome = empty_frames(layout)
        kind = "total" if layout == "wide" else "attributed"
        return make_dataset(kind, rows, outcome, log, work, meta)

    if plan.controls and not reads_controls:
        names = ", ".join(f'"{headers[j]}"' for j in plan.controls)
        log.add("warning", header_row, None, None,
                f"Controls ({names}) are used only by the marketing-mix model of a table with one total outcome per "
                "period, and by the creators' fit of a table with a creator column; this table has neither, so they "
                "were not used.")
    if linked:
        log.add("warning", header_row, headers[plan.fields["entity"]], None,
                "There is no network column; each creator's network was read from its profile link.")
    elif plan.network_guess is not None and "network" not in plan.fields and layout == "long":
        net, why = plan.network_guess
        log.add("warning", header_row, None, None,
                f'There is no network column; every row was taken as {net} because {why}. '
                'If that is wrong, add a network column or name one with --map "COLUMN=network".')
    if layout == "wide" and plan.outcome_channels:
        return build_wide_attributed(work, meta)
    if layout == "wide":
        return build_wide(work, meta)
    return build_long(work, meta)



def _links_name_networks(work: TableWork, plan) -> bool:
    """Whether a creator column without a network column holds profile links that name the network."""
    if "entity" not in plan.fields or not work.n:
        return False
    return bool((work.per_value(plan.fields["entity"], link_network, "") != "").any())


def _network_of_sheet(plan: ColumnPlan, name: str, sheets) -> ColumnPlan:
    """Give a long table without a network column on a sheet named for one (a tab per network) that network.

    The other sheets named for networks are said, since only the one sheet is read.
    """
    net = known_network(name)
    if plan.layout != "long" or "network" in plan.fields or plan.network_guess is not None or net is None:
        return plan
    others = [s.name for s in sheets if s.name != name and known_network(s.name)]
    why = f'the sheet is named "{name}"'
    if others:
        why += (f"; the workbook's other sheets named for networks ({', '.join(others)}) were not read: put every "
                "network's rows on one sheet with a network column, or load each sheet on its own")
    return replace(plan, network_guess=(net, why))
