"""Display names for ids (departments, sectors, statuses, levels) in the current language."""
from __future__ import annotations

from inspections import messages
from inspections.ui.i18n import lang, t, title
from inspections.ui.runtime import context


def department(department_id: str) -> str:
    return departments([department_id])


def departments(ids) -> str:
    """Names of the departments, joined with 、 (one context lookup for all: a checklist page shows a
    few hundred of these per rerun)."""
    catalogue = context().catalogue
    known = catalogue.department_ids
    return "、".join(title(catalogue.department(d)) if d in known else d for d in ids)


def sector(sector_id: str) -> str:
    catalogue = context().catalogue
    return title(catalogue.sector(sector_id)) if sector_id in catalogue.sector_ids else sector_id


def inspection_status(status: str) -> str:
    return t(f"status_{status}")


def hazard_status(status) -> str:
    return t(f"hazard_status_{getattr(status, 'value', status)}")


def level(value) -> str:
    return t(f"level_{getattr(value, 'value', value)}")


def plain(text: str | None) -> str:
    """User-typed text for a Markdown-rendering element, escaped so it shows exactly as typed."""
    import re
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text or "")


def refusal(refused, prefix: str = "error", **extra: object) -> str:
    """The message of a refused action (`{prefix}_{reason}`, inspections.messages.refusal) in the current
    language, its text values escaped: they often quote what the user typed or uploaded (a code, a file
    name, a name)."""
    return messages.refusal(refused, lang(), prefix, escape=plain, **extra)


def refused_files(refused: list[tuple[str, object]]) -> str:
    """One message for every refused upload, each file named with its own reason (`refused`: (file
    name, its PhotoRefused) pairs), a list item each when there are several."""
    lines = [refusal(why, "photo", name=name) for name, why in refused]
    return lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)
