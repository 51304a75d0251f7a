"""Model: the fitted response curves, how well they fit, and the marketing-mix decomposition."""

import streamlit as st

import ui
from planner.base.format import pct
from planner.base.markdown import bold, literal
from planner.base.names import is_creator
from planner.fit.budget import NOTES as FIT_NOTES
from planner.fit.pipeline import EXPERIMENTS
from planner.report import charts
from planner.report.model_tables import (
    controls_view,
    curve_counts,
    curve_view,
    experiments_text,
    experiments_view,
    fit_caption,
    fit_warning,
    fit_words,
    mmm_view,
    pulled_caption,
    season_caption,
)
from planner.report.plan_tables import top_creators

state = ui.setup("Model")
curves = ui.require_curves(state)
creators = curves["name"].astype(str)[is_creator(curves["name"])].tolist()
has_paid = len(creators) < len(curves)

st.markdown(f"{bold(curve_counts(curves))}, each the expected revenue from a quarter's spend."
            + (" Creators with few campaigns are pulled toward their network's average curve." if creators else ""))

view = curve_view(curves)
if creators and has_paid:
    show = st.segmented_control("Show", ["All", "Paid media", "Creators"],
                                **ui.widgets.remembered("model_show", "All"))
    if show == "Paid media":
        view = view[view["Type"] == "Paid media"]
    elif show == "Creators":
        view = view[view["Type"] == "Creator"]
ui.table(view.drop(columns="Type") if not (creators and has_paid) else view)
st.caption(literal(fit_caption(curves)))
warning = fit_warning(curves)
if warning:
    st.warning(literal(warning), icon=":material/warning:")
for note in curves.attrs.get(FIT_NOTES, []):  # what the fit allowed for (a wave, discounts) or left out in its time
    st.info(literal(note), icon=":material/info:")

st.subheader("Response curves")
st.caption("Solid where the data has seen that spend, dashed beyond it (extrapolation); the band is the "
           "10th to 90th percentile; the hollow point is today's spend. Hover a line for its name and values.")
tabs = st.tabs(["Paid media per network", "Creators"]) if creators and has_paid else [st.container()]
if has_paid:
    with tabs[0]:
        ui.chart(charts.response_curves(curves, title="Paid media per network"))
if creators:
    with tabs[-1]:
        picked = st.multiselect(
            "Creators", creators, placeholder="Choose creators to draw",
            **ui.widgets.remembered("model_creators", top_creators(curves, n=5, by="current_spend"),
                                    valid=lambda names: [n for n in names if n in creators]),
        )
        ui.chart(charts.response_curves(curves, names=picked, title="Selected creators"))

mmms = state.mmm_results()
if mmms:
    st.subheader("Marketing-mix model")
for ds, result in mmms:
    st.markdown(f"{bold(ds.source)} ({literal(ds.describe())})")
    if not result.ok:
        st.error(literal(result.error))
        continue
    m = result.value
    c = st.columns(4)
    c[0].metric("R², held-out weeks", f"{m.r2_holdout:.2f}" if m.r2_holdout == m.r2_holdout else "\u2014",
                help="The model is fitted on the first 80% of weeks and scored on the last 20%.")
    c[1].metric("Error, held-out weeks", pct(m.mape_holdout),
                help="Mean absolute percentage error (MAPE) of the weekly sales the model did not see.")
    c[2].metric("R², weeks fitted", f"{m.r2_train:.2f}", help="On the first 80% of weeks, which it was fitted to.")
    c[3].metric("R², final model", f"{m.r2_all:.2f}", help="The model refitted on all weeks, scored on them.")
    held_out = fit_words(m.r2_holdout)
    if held_out.startswith("poor"):
        st.warning("On the weeks it did not see, this model predicts sales worse than a flat average would: its "
                   "curves, and plans made on them, rest on little evidence. More weeks, or spend that varies "
                   "more between weeks, would firm them up.", icon=":material/warning:")
    else:
        st.caption(literal(f"On the weeks it did not see, the model's fit is {held_out}."))
    ui.chart(charts.decomposition(m.decomposition, controls=tuple(m.controls["control"])))
    left, _ = st.columns([3, 2])
    with left:
        st.markdown("**Each network's share of sales**")
        ui.table(mmm_view(m.params))
        st.caption("Carry-over: the share of a week's advertising effect that lasts into the next week. Read from "
                   "its data: the share of the network's return per dollar its own weeks decide; the rest is the pull "
                   "toward the other networks' level.")
        pulled = pulled_caption(m.params)
        if pulled:
            st.warning(literal(pulled), icon=":material/warning:")
        if len(m.controls):
            st.markdown("**Controls in the model** (events, promotions, prices, competitors: sales the media did not "
                        "make)")
            ui.table(controls_view(m.controls))
            st.caption("Effect per unit: sales a week moved per unit of the control as the file writes it (for an "
                       "event, in a week it happens). They lie in the baseline's band of the chart.")
        elif ds.joined:  # spend exports and the shop's sales: a team's sheet of spend per channel carries controls
            st.caption("The files have no control columns (events, promotions, prices, competitors), so the "
                       "baseline carries them. A team's sheet of spend per channel and week with such a column "
                       "(\"Promotion\", \"Event\"), loaded with the exports, gives them to the model.")
        else:
            st.caption("The data has no control columns (events, promotions, prices, competitors), so the "
                       "baseline carries them. Map a column as a control on this file's import settings to use it.")
        if m.unused_controls:
            st.caption(literal(f"Left out, never varying: {', '.join(m.unused_controls)}."))
        if season_caption(m.season):
            st.caption(literal(season_caption(m.season)))


def _on_experiments(key: str) -> None:
    file = st.session_state.get(key)
    if file is not None:
        state.set_experiments(file.name, file.getvalue())


if mmms:
    st.subheader("Experiments")
    st.markdown("Lift tests, geo holdouts and go-dark weeks measured on these networks calibrate the model: each is "
                "evidence on its network's modelled lift over its window, weighted by its standard error. A holdout "
                "tells how much a network earns; a heavy-up (more spend in the test cells) tells how fast its "
                "returns fall, which a holdout cannot.")
    upload = state.key("experiments_upload")
    st.file_uploader("A table of experiments (CSV or Excel): network, start, end, lift, lift SE", type=["csv", "xlsx"],
                     key=upload, on_change=_on_experiments, args=(upload,),
                     help="One row per experiment: the network, its first and last day, the outcome it measured "
                          "over them against spending nothing (the lift) and that figure's standard error. For a "
                          "heavy-up, a column spend_tested gives the money the test added over the window; the lift "
                          "is then against spending that much less (blank: a holdout).")
    if state.experiments is not None:
        name, read = state.experiments
        if not read.ok:
            st.error(literal(read.error))
        st.button(f"Fit without {name}", key="experiments_off", icon=":material/close:",
                  on_click=state.set_experiments)
    tested = curves.attrs.get(EXPERIMENTS)
    if tested is not None and len(tested):
        ui.table(experiments_view(tested))
        st.caption(literal(experiments_text(tested)))
