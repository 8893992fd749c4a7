"""Exports (safety office): the hazard ledger in the import format for any filter (.xlsx, .csv), and the
statistics table as the dashboard shows it (.xlsx), the supervised hazards (挂牌督办, .xlsx), and backups of the running app's data. Text a
spreadsheet would run as a formula is written as text."""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from inspections.domain.closure import FIGURE_NAMES, GROUPINGS
from inspections.services.data import exports
from inspections.services.office import oversight
from inspections.ui.i18n import t
from inspections.ui.labels import department, hazard_status, level, sector
from inspections.ui.runtime import context, today
from inspections.ui.session import current_user
from inspections.ui.widgets.backup_panel import backup_panel


def render() -> None:
    user, ctx = current_user(), context()
    catalogue = ctx.catalogue
    st.title(t("exp_title"))
    st.subheader(t("exp_ledger"))
    cols = st.columns(4)
    filters = {
        "sector": cols[0].selectbox(t("reg_sector"), [None] + catalogue.sector_ids, key="exp_sector",
                                    format_func=lambda s: t("filter_all") if s is None else sector(s),
                                    placeholder=t("choose_one")),
        "department": cols[1].selectbox(t("col_departments"), [None] + catalogue.department_ids, key="exp_department",
                                        format_func=lambda d: t("filter_all") if d is None else department(d),
                                        placeholder=t("choose_one")),
        "level": cols[2].selectbox(t("col_level"), [None, "general", "major"], key="exp_level",
                                   format_func=lambda v: t("filter_all") if v is None else level(v),
                                   placeholder=t("choose_one")),
        "status": cols[3].selectbox(t("exp_status"), [None, "open", "rectifying", "submitted", "closed"], key="exp_status",
                                    format_func=lambda v: t("filter_all") if v is None else hazard_status(v),
                                    placeholder=t("choose_one")),
    }
    left, right = st.columns(2)
    filters["found_from"] = left.date_input(t("dash_from"), value=None, key="exp_from")
    filters["found_to"] = right.date_input(t("dash_to"), value=None, key="exp_to")
    oversight.stats(ctx, user, "level", today())  # office-only: refuses anyone else before any export
    stamp = today().isoformat()
    left, right = st.columns(2)
    left.download_button(t("exp_download_xlsx"), data=lambda: _ledger(ctx, ".xlsx", filters),
                         file_name=f"隐患台账-{stamp}.xlsx", on_click="ignore", key="exp_xlsx")
    right.download_button(t("exp_download_csv"), data=lambda: _ledger(ctx, ".csv", filters),
                          file_name=f"隐患台账-{stamp}.csv", mime="text/csv", on_click="ignore", key="exp_csv")
    st.subheader(t("exp_stats"))
    by = st.selectbox(t("exp_by"), GROUPINGS, key="exp_by", format_func=lambda g: t(f"exp_by_{g}"),
                      placeholder=t("choose_one"))
    report = oversight.stats(ctx, user, by, today(), filters["found_from"], filters["found_to"])
    labels = {r.group: (sector if by == "sector" else department if by == "department" else level if by == "level"
                        else str)(r.group) for r in report.rows}
    heading = t("exp_stats_heading", by=t(f"exp_by_{by}"), as_of=report.as_of, date_from=report.date_from or "…",
                date_to=report.date_to or "…")
    workbook = exports.stats_xlsx(report, labels, heading=heading, total=t("fig_total"),
                                  columns=[t("fig_group"), *(t(f"fig_{name}") for name in FIGURE_NAMES)])
    st.download_button(t("exp_download_xlsx"), data=workbook,
                       file_name=f"闭环统计-{by}-{stamp}.xlsx", on_click="ignore", key="exp_stats_xlsx")
    _supervised(ctx, user, stamp)
    st.divider()
    backup_panel()


def _supervised(ctx, user, stamp: str) -> None:
    """The supervised hazards (挂牌督办) with their unit, supervisor and deadline, all of them."""
    st.subheader(t("supervised_title"))
    rows, total = oversight.supervised(ctx, user, today(), limit=None)
    labelled = [{**r, "level": level(r["level"]), "status": hazard_status(r["status"])} for r in rows]
    header = ["ID", t("col_enterprise"), t("col_level"), t("exp_description"), t("col_found_on"), t("col_deadline"),
              t("col_status"), t("supervise_unit"), t("supervise_supervisor"), t("supervise_deadline")]
    st.caption(t("exp_supervised_count", count=total))
    st.download_button(t("exp_download_xlsx"), data=exports.supervised_xlsx(labelled, header, t("supervised_title")),
                       file_name=f"挂牌督办隐患-{stamp}.xlsx", on_click="ignore", key="exp_supervised_xlsx")


def _ledger(ctx, suffix: str, filters: dict) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"ledger{suffix}"
        exports.export_hazards(ctx, out, **{k: v for k, v in filters.items() if v})
        return out.read_bytes()
