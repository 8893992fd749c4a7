"""The rectification notice's download buttons: the notice and/or 责令限期整改指令书 as issued at the visit's
finish (their bytes read from the store, through document_downloads), or, for a visit with none stored
(finished before notices were stored, or without hazards), the notice made when tapped, or why it cannot
be made on this server (no CJK font). The inspector's finished visit and the enterprise's hazard cards
use it."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from inspections.rendering.pdf_fonts import FontMissing, find_cjk_font
from inspections.services.shared import documents
from inspections.ui.i18n import t
from inspections.ui.widgets.document_downloads import document_buttons

LABELS = {documents.RECTIFICATION_NOTICE: "notice_download", documents.RECTIFICATION_DIRECTIVE: "directive_download"}


def notice_download(make_pdf: Callable[[], bytes], inspection_id: str, *, issued: list[dict], key: str,
                    **options) -> None:
    """A button per notice of `issued` (services.inspector.notices.issued); none issued: a button for the
    notice of `inspection_id`, whose bytes `make_pdf` makes on the tap (options: st.download_button's,
    e.g. type, width)."""
    if issued:       # labelled as the notice always was: the 指令书 has a label of its own
        document_buttons(issued, key=key, label=lambda document: t(LABELS[document["kind"]]), **options)
        return
    try:
        find_cjk_font()
    except FontMissing as missing:
        st.error(t("notice_font_missing", error=missing))
        return
    st.download_button(t("notice_download"), data=make_pdf, file_name=f"整改通知书-{inspection_id}.pdf",
                       mime="application/pdf", key=key, on_click="ignore", **options)
