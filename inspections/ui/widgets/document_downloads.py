"""Download buttons for documents as issued (现场检查记录, 整改复查意见书): one per document, its bytes read
from the store when tapped (services.shared.documents checks who may have them). The inspector's
finished visit, the re-check page and the enterprise's finished visits use it."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from inspections.services.shared import documents
from inspections.ui.i18n import t
from inspections.ui.runtime import context
from inspections.ui.session import current_user


def document_buttons(listed: list[dict], *, key: str, label: Callable[[dict], str] | None = None,
                     **options) -> None:
    """A button per document of `listed` (services.shared.documents.of_inspection / of_hazard), labelled
    with its kind and time of issue, or by `label(document)`."""
    ctx, user = context(), current_user()
    for document in listed:
        document_id = document["id"]
        st.download_button(
            label(document) if label else t("document_download", kind=t(f"document_kind_{document['kind']}"),
                                             issued=f"{document['issued_at']:%Y-%m-%d %H:%M}"),
            data=lambda document_id=document_id: documents.pdf(ctx, user, document_id),
            file_name=document["file_name"], mime="application/pdf", key=f"{key}-{document_id}",
            on_click="ignore", **options)
