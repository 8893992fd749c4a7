"""Closure figures as a table and as Altair charts, rates shown as percentages and '—' when they have
no denominator (never 100%). The numbers come straight from the StatsReport, the CLI's own. The table
lists its groups in the order of the bars beside it (closure rate, highest first; groups without a rate
last) and its rates first, so that at 1280 px the rates are never the columns cut off."""
from __future__ import annotations

import altair as alt
import streamlit as st

from inspections.domain.closure import COUNT_NAMES, RATE_NAMES, format_rate
from inspections.ui.i18n import t
from inspections.ui.widgets import tables


def by_closure_rate(report) -> list:
    """The report's rows as the bars show them: closure rate, highest first, then those without one."""
    return sorted(report.rows, key=lambda r: (r.figures.closure_rate is None, -(r.figures.closure_rate or 0)))


def table(report, label, *, ordered: bool = True) -> None:
    """`ordered`: in the bars' order (by_closure_rate); months stay in calendar order."""
    rows = by_closure_rate(report) if ordered else report.rows
    shown = [(label(r.group), r.figures) for r in rows] + [(t("fig_total"), report.total)]
    tables.table([_row(group, figures.figures()) for group, figures in shown])


def _row(group: str, values: dict) -> dict:
    return {t("fig_group"): group, **{t(f"fig_{name}"): format_rate(values[name]) for name in RATE_NAMES},
            **{t(f"fig_{name}"): values[name] for name in COUNT_NAMES}}


def closure_bars(report, label) -> None:
    data = [{"group": label(r.group), "rate": r.figures.closure_rate, "found": r.figures.found}
            for r in by_closure_rate(report) if r.figures.closure_rate is not None]
    if not data:
        return
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("rate:Q", title=t("fig_closure_rate"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("group:N", title=None, sort=[row["group"] for row in data]),
        tooltip=[alt.Tooltip("group:N"), alt.Tooltip("rate:Q", format=".1%"), alt.Tooltip("found:Q")])
    st.altair_chart(chart, width="stretch")


def monthly(report) -> None:
    """Found and closed per month (left axis) and the closure rate (right axis, 0 to 100% with headroom so a
    full month's line is drawn, not clipped), all three in one legend."""
    found, closed, rate_name = t("chart_month_found"), t("chart_month_closed"), t("fig_closure_rate")
    counts = [{"month": r.group, "series": found, "count": r.figures.found} for r in report.rows] + \
             [{"month": r.group, "series": closed, "count": r.figures.closed} for r in report.rows]
    rates = [{"month": r.group, "series": rate_name, "rate": r.figures.closure_rate}
             for r in report.rows if r.figures.closure_rate is not None]
    if not counts:
        return
    colour = alt.Color("series:N", title=None, scale=alt.Scale(domain=[found, closed, rate_name],
                                                               range=["#1f77b4", "#2ca02c", "#888888"]),
                       legend=alt.Legend(orient="top"))
    lines = alt.Chart(alt.Data(values=counts)).mark_line(point=True).encode(
        x=alt.X("month:O", title=None), y=alt.Y("count:Q", title=t("fig_found")), color=colour)
    rate = alt.Chart(alt.Data(values=rates)).mark_line(strokeDash=[4, 3], point=True, clip=False).encode(
        x="month:O", y=alt.Y("rate:Q", title=rate_name, axis=alt.Axis(format="%", values=[0, .25, .5, .75, 1]),
                             scale=alt.Scale(domain=[0, 1.08], nice=False)), color=colour,
        tooltip=[alt.Tooltip("month:O"), alt.Tooltip("rate:Q", format=".1%")])
    st.altair_chart(alt.layer(lines, rate).resolve_scale(y="independent"), width="stretch")
