"""Closure figures as a table and as Altair charts, rates shown as percentages and '—' when they have
no denominator (never 100%). The numbers come straight from the StatsReport, the CLI's own."""
from __future__ import annotations

import altair as alt
import streamlit as st

from inspections.domain.closure import FIGURE_NAMES, format_rate
from inspections.ui.i18n import t
from inspections.ui.widgets import tables


def table(report, label) -> None:
    rows = [(label(r.group), r.figures) for r in report.rows] + [(t("fig_total"), report.total)]
    tables.table([{t("fig_group"): group, **{t(f"fig_{n}"): (format_rate(v) if n.endswith("_rate") else v)
                                             for n, v in figures.figures().items() if n in FIGURE_NAMES}}
                  for group, figures in rows])


def closure_bars(report, label) -> None:
    data = [{"group": label(r.group), "rate": r.figures.closure_rate, "found": r.figures.found}
            for r in report.rows if r.figures.closure_rate is not None]
    if not data:
        return
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("rate:Q", title=t("fig_closure_rate"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("group:N", title=None, sort="-x"),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("rate:Q", format=".1%"), alt.Tooltip("found:Q")])
    st.altair_chart(chart, width="stretch")


def monthly(report) -> None:
    counts = [{"month": r.group, "series": t("chart_month_found"), "count": r.figures.found} for r in report.rows] + \
             [{"month": r.group, "series": t("chart_month_closed"), "count": r.figures.closed} for r in report.rows]
    rates = [{"month": r.group, "rate": r.figures.closure_rate} for r in report.rows if r.figures.closure_rate is not None]
    if not counts:
        return
    lines = alt.Chart(alt.Data(values=counts)).mark_line(point=True).encode(
        x=alt.X("month:O", title=None), y=alt.Y("count:Q", title=t("fig_found")), color=alt.Color("series:N", title=None))
    rate = alt.Chart(alt.Data(values=rates)).mark_line(strokeDash=[4, 3], color="#888").encode(
        x="month:O", y=alt.Y("rate:Q", title=t("fig_closure_rate"), axis=alt.Axis(format="%")))
    st.altair_chart(alt.layer(lines, rate).resolve_scale(y="independent"), width="stretch")
