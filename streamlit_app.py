"""Data: what was loaded, its totals and its validation report; upload files to replace the sample."""

import streamlit as st

import ui
from planner.base.format import money, things
from planner.base.markdown import bold, literal
from planner.data.mapping import FIELD_LABELS, mapping_changes, mapping_choices
from planner.data.network_tabs import network_tabs
from planner.data.roster_match import check_roster
from planner.report.data_tables import dataset_facts, issues_table, network_totals, skipped_table, spend_line
from ui import joined_cache
from ui.funnel import funnel_section

state = ui.setup("Data")


def _on_upload(key: str) -> None:
    files = st.session_state.get(key) or []
    if files:
        state.set_sources([(f.name, f.getvalue()) for f in files])


left, right = st.columns([3, 2], gap="large")
with left:
    if state.is_sample:
        st.markdown("You are looking at the **sample data**: a creator-campaign tracker (one row per campaign) "
                    "and 156 weeks of paid-media spend per network with total sales. Upload your own files "
                    "to plan with them instead.")
    else:
        st.markdown(f"You are planning with **your files**: {literal(', '.join(n for n, _ in state.sources))}.")
        st.button("Back to the sample data", key="use_sample", icon=":material/restart_alt:",
                  on_click=state.use_sample)
    ui.widgets.currency_choice(state)
with right:
    upload_key = state.key("data_upload")
    st.file_uploader(
        "Upload spreadsheets (they replace the data on every page)",
        type=["xlsx", "xls", "csv"], accept_multiple_files=True, key=upload_key,
        on_change=_on_upload, args=(upload_key,),
        help="Exports from Meta Ads Manager or TikTok Ads, a promo-code report per creator, a team spreadsheet "
             "(a row per date and network or creator), weekly spend per channel with total sales, or the "
             "platforms' spend exports together with the shop's sales over time (joined into one table).",
    )

DECIMAL_MARKS = {None: "Decide from each column", ".": "Decimal point: 1,234.50", ",": "Decimal comma: 1.234,50"}


def _field_label(value: str) -> str:
    return FIELD_LABELS.get(value, value.replace("spend:", "spend on ", 1))


def _import_settings(name: str, result) -> None:
    """How a file was read (sheet, decimal mark, which column is which field), each one correctable."""
    opts = state.import_options(name)
    ds = result.value if result.ok else None
    chosen = bool(opts["mapping"] or opts["sheet"] is not None or opts["decimal"] is not None)
    version = state.key(f"mapping_{name}")
    with st.expander("How this file was read: sheet, numbers and columns (correct them here)",
                     expanded=chosen or not result.ok, icon=":material/tune:"):
        if ds is not None and len(ds.sheets) > 1:
            tabs = network_tabs(ds.sheets)  # a sheet per network: read together unless one is picked
            together = ", ".join(tabs) if len(tabs) >= 2 else None
            sheets = list(ds.sheets) + ([together] if together else [])
            sheet = st.selectbox("Sheet", sheets, index=sheets.index(ds.sheet) if ds.sheet in sheets else 0,
                                 key=f"{version}_sheet",
                                 format_func=lambda s: f"Every network's sheet ({s})" if s == together else s,
                                 help="The sheet whose headers fit best is read (a sheet per network: all of them "
                                      "together); pick another if that is not the data.")
            if sheet != ds.sheet:  # another sheet: its own columns, so no mapping carries over
                state.set_import(name, sheet=None if sheet == together else sheet, mapping={})
                st.rerun()
        decimal = st.radio("Numbers", list(DECIMAL_MARKS), format_func=DECIMAL_MARKS.get, horizontal=True,
                           index=list(DECIMAL_MARKS).index(opts["decimal"]), key=f"{version}_decimal",
                           help='"1,234" is one thousand two hundred and thirty-four with a decimal point, and '
                                "1.234 with a decimal comma. Each column is decided from its values; choose when "
                                "it cannot be.")
        if decimal != opts["decimal"]:
            state.set_import(name, decimal=decimal)
            st.rerun()
        if ds is not None and ds.columns:
            table = ds.mapping_table()
            options = list(dict.fromkeys(mapping_choices(ds.networks) + [f for f in table["field"] if f]))
            edited = st.data_editor(
                table, key=f"{version}_table", hide_index=True, disabled=["column"], width="stretch",
                column_config={
                    "column": st.column_config.TextColumn("Column in the file"),
                    "field": st.column_config.SelectboxColumn(
                        "Read as", options=options, format_func=_field_label, required=False,
                        help="What the planner takes this column for. Change it and the file is read again."),
                },
            )
            changes = mapping_changes(list(table.itertuples(index=False)), list(edited.itertuples(index=False)))
            if changes:  # read the file again with the corrected columns
                state.set_import(name, mapping={**opts["mapping"], **changes})
                st.rerun()
        if chosen:
            st.button("Read it as detected", key=f"{version}_reset", icon=":material/restart_alt:",
                      on_click=state.set_import, args=(name,), kwargs={"reset": True})


def _joined_settings(names) -> None:
    """What each file of a join holds and how it was read (spend exports and sales files), each correctable."""
    sales = dict(state.sales_files)
    for part in names:
        o = state.import_options(part)
        if part in sales:
            said = sales[part].value.describe() if sales[part].ok else sales[part].error
        else:
            read = joined_cache.spend_export(part, dict(state.sources)[part], o["sheet"],
                                             tuple(sorted(o["mapping"].items())), o["decimal"])
            said = spend_line(read.value) if read.ok else read.error
        st.markdown(f"**{literal(part)}**: {literal(said)}.")
        _file_settings(part)


def _settings(name: str, result) -> None:
    if state.joined is not None and name == state.joined[0]:  # several files: each one's reading
        _joined_settings([*state.spend_exports, *(n for n, _ in state.sales_files)])
    else:
        _import_settings(name, result)


def _file_settings(name: str) -> None:
    """How a file that is not a table of its own (a shop's sales) was read, correctable as every file's is."""
    o = state.import_options(name)
    _import_settings(name, ui.cache.load(name, dict(state.sources)[name], o["sheet"],
                                         tuple(sorted(o["mapping"].items())), o["decimal"]))


for name, result in state.loaded:
    st.divider()
    st.subheader(literal(name))
    if not result.ok:
        _settings(name, result)
        st.error(literal(result.error))
        continue
    ds = result.value
    facts = dataset_facts(ds)
    st.markdown(f"{bold(facts['description'])}, {literal(facts['first'])} to {literal(facts['last'])}.")
    if ds.joined:
        st.markdown(literal(f"Joined from {len(ds.joined)} files: the spend of {', '.join(ds.joined[:-1])} and the "
                            f"sales of {ds.joined[-1]}, period by period. Each file's problems are in the validation "
                            "report below, named by file."))
    _settings(name, result)
    c = st.columns(6)
    c[0].metric("Rows imported", f"{facts['rows']:,}")
    c[1].metric("Periods", f"{facts['periods']:,}", help="Distinct dates in the data.")
    c[2].metric("Networks", f"{facts['networks']:,}")
    c[3].metric("Rows skipped", f"{facts['skipped']:,}", help="Rows of the file that are not in the data: "
                "totals, notes, or rows with errors. Listed below.")
    c[4].metric("Errors", f"{facts['errors']:,}")
    c[5].metric("Warnings", f"{facts['warnings']:,}")

    if ds.has_errors:
        if ds.rows.empty:
            st.error(literal(f"Nothing in {name} could be used. The report below says what to fix."))
        else:
            st.error(literal(f"{things(facts['errors'], 'problem')} in {name}: the rows concerned were left out and the "
                             "rest is used. The report below says where."))
    cols = st.columns([1, 1], gap="large") if not ds.rows.empty else [None, st.container()]
    if cols[0] is not None:
        with cols[0]:
            st.markdown("**Totals per network**")
            ui.table(network_totals(ds))
            if ds.kind == "total":
                st.caption(literal(f"Total outcome over all periods: {money(ds.outcome_total())}. It is known only "
                                   "in total, so the Model page splits it across networks with a marketing-mix "
                                   "model."))
    with cols[1]:
        if not ds.issues:
            st.success("No problems found.", icon=":material/check_circle:")
        if len(ds.skipped):
            with st.expander(f"Skipped rows ({len(ds.skipped):,})", expanded=ds.has_errors):
                ui.table(skipped_table(ds))
    if ds.issues:  # across the page: each sentence says what was read or left out, and where
        st.markdown("**Validation report**")
        narrow = {c: st.column_config.Column(c, width=w) for c, w in
                  (("Severity", 70), ("Sheet", 90), ("Row", 50), ("Column", 110), ("Value", 80))}
        st.dataframe(issues_table(ds), hide_index=True, width="stretch", height=min(38 + 35 * len(ds.issues), 320),
                     column_config={"Message": st.column_config.TextColumn("Message", width=600,
                                                                           help="Hover a cell to read it whole."),
                                    **narrow})

for name, found in state.code_reports:  # promo-code reports: the sales of each code, given to the trackers' campaigns
    st.divider()
    st.subheader(literal(name))
    if not found.ok:
        st.error(literal(found.error))
        continue
    report = found.value
    takers = [ds.source for ds in state.datasets if report.source in ds.code_reports]
    st.markdown(bold(report.describe() + "."))
    if takers:
        st.markdown(literal(f"Its sales are the revenue of the campaigns in {', '.join(takers)}: each sale goes to its "
                            "code's campaign before it (within a quarter), shared between two whose sales overlap. "
                            "That file's validation report says what was given, and the campaigns left out are among "
                            "its skipped rows."))
    else:
        st.warning(literal("Not used: no file loaded with it is a creators' tracker with a promo-code column and no "
                           "revenue column. Upload the tracker whose codes these are, with a column such as "
                           '"Promo code" beside each campaign\'s fee.'), icon=":material/link_off:")
    if report.issues:
        ui.table(issues_table(report), height=min(38 + 35 * len(report.issues), 320))
    if state.import_options(name)["mapping"]:  # read as a report by the columns the user named: undo it here
        st.button("Read it as detected", key=state.key(f"report_{name}_reset"), icon=":material/restart_alt:",
                  on_click=state.set_import, args=(name,), kwargs={"reset": True},
                  help="Forget the columns you named for this file and read it again as it was first read.")

for name, found in state.sales_files:  # a shop's sales over time: the outcome of the spend exports
    if found.ok and state.joined is not None:
        continue  # shown with the spend it was joined to, above
    st.divider()
    st.subheader(literal(name))
    if not found.ok:
        _file_settings(name)
        st.error(literal(found.error))
        continue
    st.markdown(bold(found.value.describe() + "."))
    _file_settings(name)
    st.warning(literal("Not used: no file loaded with it is spend without revenue. Upload the ad platforms' spend "
                       "exports (Meta Ads Manager, TikTok Ads Manager, Google Ads: spend by day, without a revenue "
                       "column) with it, and the marketing-mix model splits these sales across the networks."),
               icon=":material/link_off:")
    if found.value.issues:
        ui.table(issues_table(found.value), height=min(38 + 35 * len(found.value.issues), 320))

if state.roster is not None:
    roster_file, roster = state.roster
    roster = check_roster(roster, state.datasets)
    st.divider()
    st.subheader(literal(f"Creator roster: {roster_file}, sheet {roster.sheet}"))
    st.markdown(f"{bold(roster.describe() + '.')} Each creator's cost per post (fee, product and usage rights) and the "
                "posts they can do in a quarter set their unit cost and maximum spend in the plan; commission on "
                "sales comes off their revenue, so every return shown is net.")
    if roster.issues:
        ui.table(issues_table(roster), height=min(38 + 35 * len(roster.issues), 320))

funnel_section(state)  # why each network returns what it does: reach, clicks, orders and order value
