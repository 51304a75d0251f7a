"""Export: the plan as an Excel workbook finance can audit, and as CSV."""

import datetime as dt

import streamlit as st

import ui
from planner.analysis.funnel import funnel
from planner.base.currency import current, using
from planner.base.format import money
from planner.base.markdown import bold, literal
from planner.report import workbook as export
from planner.report.controls_text import controls_text
from planner.report.export_files import curves_csv, export_meta
from planner.report.one_page.facts import one_page
from planner.report.one_page.html import report_html
from planner.report.one_page.pdf import report_pdf
from planner.report.plan_tables import network_view
from planner.report.sentences import headline

state = ui.setup("Export")
alloc = ui.require_allocation(state)
curves = state.planning_curves
h = headline(alloc)

st.markdown(f"The best split of {bold(money(alloc.budget))}: "
            + literal(f"{h['spend']} spent, {h['revenue']} expected revenue ({h['roas']}). {h['optimality']}."))

front = state.frontier()
files = [(name, r.value.describe() if r.ok else r.error) for name, r in state.loaded]
meta = export_meta(files, curves, custom_bounds=state.has_custom_bounds(),
                   generated=dt.datetime.now().replace(microsecond=0),
                   controls=controls_text(state.curves, state.control_values))
currency = current()


def _workbook() -> bytes:
    """The workbook, built when its button is pressed (outside this run, so in this run's currency): thousands of
    creators' formulas take seconds to write, which the page's every run would otherwise wait for."""
    with using(currency):
        return export.allocation_workbook(alloc, curves, front.value if front.ok else None, meta=meta,
                                          funnel=funnel(state.datasets))


left, right = st.columns(2, gap="large")
with left:
    st.subheader("For finance")
    st.markdown("An Excel workbook that recalculates: change a spend and its row's expected revenue (from its "
                "response curve on the Curves sheet), its 80 % range, ROAS, the network split and the totals "
                "follow. It also holds the response curves, the best revenue for each budget and the data's funnel "
                "(clicks per dollar, conversion and order value by network and creator). Finance can "
                "edit the spends and send it back to the Finance plan page.")
    st.download_button("Download the plan (Excel)", data=_workbook, file_name="allocation_plan.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="download_xlsx", type="primary", icon=":material/download:", on_click="ignore")
    if not front.ok:
        st.caption(literal(f"Without the budget frontier: {front.error}"))
with right:
    st.subheader("For other tools")
    st.download_button("Allocation (CSV)", data=export.allocation_csv(alloc), file_name="allocation_plan.csv",
                       mime="text/csv", key="download_csv", icon=":material/table:", on_click="ignore")
    st.download_button("Response curve table (CSV)", data=curves_csv(curves), file_name="curve_table.csv",
                       mime="text/csv", key="download_curves", icon=":material/show_chart:", on_click="ignore")
    st.caption("The curve table can be edited and used with the command line: "
               "`python -m planner optimize --curves curve_table.csv --budget 250000`.")

st.subheader("For a director")
page = one_page(curves, alloc.table[["name", "network", "spend"]], frontier=front.value if front.ok else None,
                meta={**meta, "title": "Budget plan", "data_files": state.sources})


def _rendered(render):
    """The report rendered when the button is pressed (outside this run, so in this run's currency)."""
    def make():
        with using(currency):
            return render(page)
    return make


st.markdown(f"One page to hand over: {literal(page.headline)} The split by network, the top creators, the budget "
            "frontier, what moved from today's spend, the assumptions and the data's fingerprint.")
left, right = st.columns(2, gap="large")
with left:
    st.download_button("One-page report (PDF)", data=_rendered(report_pdf), file_name="plan_report.pdf",
                       mime="application/pdf", key="download_report_pdf", icon=":material/picture_as_pdf:",
                       on_click="ignore")
with right:
    st.download_button("One-page report (HTML)", data=_rendered(report_html), file_name="plan_report.html",
                       mime="text/html", key="download_report_html", icon=":material/description:",
                       on_click="ignore")
st.caption("The same report from the command line: `python -m planner report --curves curve_table.csv "
           "--plan allocation_plan.xlsx --out plan_report.pdf`.")

st.subheader("What the workbook holds")
ui.table(network_view(alloc))
