"""A hazard's original finding beside the rectification the enterprise reported, and the one way photos
are shown as thumbnails: the re-check desk (pages/rechecks.py), the item cards of a re-check visit
(widgets/item_card.py) and the enterprise's hazard cards (pages/my_hazards.py) all show them so."""
from __future__ import annotations

import streamlit as st

from inspections.ui.i18n import lang, t
from inspections.ui.labels import hazard_status, level, plain

THUMBNAIL = 160


def photo_row(paths, width: int = THUMBNAIL) -> None:
    """The photos (file paths) as thumbnails in a row; nothing when there are none."""
    if paths:
        st.image([str(path) for path in paths], width=width)


def finding(found, description: str, level_value: str, deadline, status: str | None = None) -> None:
    """What the inspectors found (`found`: services.shared.findings.Finding): the item, the note, the
    level and deadline (and the hazard's status, when given), the photos taken."""
    st.markdown(f"**{t('recheck_finding')}**")
    if found.item:
        st.markdown(t("recheck_finding_item", item=plain(found.item.title.get(lang()))))
    st.markdown(t("hazard_card_found", note=plain(description)))
    state = t("recheck_finding_level", level=level(level_value), deadline=deadline)
    st.markdown(state + (f" · {hazard_status(status)}" if status else ""))
    photo_row(found.photos)


def evidence(reported: str, photos) -> None:
    """What the enterprise reported it did ('—': nothing yet), and its photos."""
    st.markdown(f"**{t('recheck_evidence')}**")
    st.markdown(plain(reported) if reported else "—")
    photo_row(photos)


def finding_and_evidence(found, description: str, level_value: str, deadline, reported: str, photos,
                         status: str | None = None) -> None:
    """The finding and the enterprise's report side by side, each in its own border."""
    left, right = st.columns(2, border=True)
    with left:
        finding(found, description, level_value, deadline, status)
    with right:
        evidence(reported, photos)
