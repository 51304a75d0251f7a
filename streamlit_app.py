"""Data: what was loaded, its totals and its validation report; upload files to replace the sample."""

import streamlit as st

import ui
from planner import views
from planner.format import money

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
        st.markdown(f"You are planning with **your files**: {', '.join(n for n, _ in state.sources)}.")
        st.button("Back to the sample data", key="use_sample", icon=":material/restart_alt:",
                  on_click=state.use_sample)
with right:
    upload_key = state.key("data_upload")
    st.file_uploader(
        "Upload spreadsheets (they replace the data on every page)",
        type=["xlsx", "xls", "csv"], accept_multiple_files=True, key=upload_key,
        on_change=_on_upload, args=(upload_key,),
        help="Exports from Meta Ads Manager or TikTok Ads, a promo-code report per creator, a team spreadsheet "
             "(a row per date and network or creator), or weekly spend per channel with total sales.",
    )

for name, result in state.loaded:
    st.divider()
    st.subheader(name)
    if not result.ok:
        st.error(result.error)
        continue
    ds = result.value
    facts = views.dataset_facts(ds)
    st.markdown(f"**{facts['description']}**, {facts['first']} to {facts['last']}.")
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
            st.error(f"Nothing in {name} could be used. The report below says what to fix.")
        else:
            st.error(f"{facts['errors']:,} problem(s) in {name}: the rows concerned were left out and the rest "
                     "is used. The report below says where.")
    cols = st.columns([3, 2], gap="large") if not ds.rows.empty else [None, st.container()]
    if cols[0] is not None:
        with cols[0]:
            st.markdown("**Totals per network**")
            ui.table(views.network_totals(ds))
            if ds.kind == "total":
                st.caption(f"Total outcome over all periods: {money(ds.outcome_total())}. It is known only in "
                           "total, so the Model page splits it across networks with a marketing-mix model.")
    with cols[1]:
        if ds.issues:
            st.markdown("**Validation report**")
            ui.table(views.issues_table(ds), height=min(38 + 35 * len(ds.issues), 320))
        else:
            st.success("No problems found.", icon=":material/check_circle:")
        if len(ds.skipped):
            with st.expander(f"Skipped rows ({len(ds.skipped):,})", expanded=ds.has_errors):
                ui.table(views.skipped_table(ds))
