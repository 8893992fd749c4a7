"""The 责令限期整改指令书 (安全生产行政执法文书) of a department that issues its own: the emergency
department's hazards of a visit, as an A4 PDF on document_layout's page furniture. The title and its
number, the enterprise, "经查，你单位存在下列问题：" and the numbered problems (the item, what was found,
the legal basis, the level), the deadline (one for all, or each problem's when they differ), what follows
if it is not met, the remedy (行政复议 and 行政诉讼), the officers' signatures with their enforcement ID
numbers, the enterprise's responsible person's signature, the department with the day of issue, and the
QR codes of the notice (inspection code, enterprise portal).

Pure rendering: DirectiveData in, PDF bytes out. Every fixed text comes in the data
(domain.rectification_forms.DirectiveTexts, from inspections/rules/rectification_forms.yaml);
services.inspector.notices assembles it at the visit's finish.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from pydantic import BaseModel, ConfigDict

from inspections.domain.rectification_forms import DirectiveTexts
from inspections.rendering.document_layout import (
    RED,
    SIGNATURE_H,
    Signer,
    clean,
    codes,
    field,
    fields,
    new_document,
    numbered,
    paragraph,
    seal,
    signature_line,
)
from inspections.rendering.pdf_text import BLACK, GREY, rule, style, zh_date


class DirectiveProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    hazard_id: str
    item_title: str
    description: str
    basis: str
    level: Literal["general", "major"]
    deadline: date


class DirectiveOfficer(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    enforcement_id: str | None = None        # None: printed as the texts' no_number
    signature: Path | bytes | None = None    # drawn: the officer who signed for the team


class DirectiveData(BaseModel):
    model_config = ConfigDict(frozen=True)

    texts: DirectiveTexts
    number: str
    department: str                          # the issuing department's name (应急管理局)
    enterprise_name: str
    enterprise_code: str
    enterprise_address: str
    inspection_id: str
    inspected_on: date
    problems: list[DirectiveProblem]
    officers: list[DirectiveOfficer]
    enterprise_signer: str = ""
    enterprise_signature: Path | bytes | None = None
    inspection_code_url: str
    enterprise_portal_url: str
    issued_on: date


def render_directive(data: DirectiveData) -> bytes:
    texts, labels = data.texts, data.texts.labels
    pdf = new_document(texts.title, data.number, data.enterprise_name)
    fields(pdf, labels.enterprise, [(labels.name, data.enterprise_name), (labels.code, data.enterprise_code),
                                    (labels.address, data.enterprise_address), (labels.inspection, data.inspection_id),
                                    (labels.inspected_on, zh_date(data.inspected_on))])
    pdf.ln(3)
    paragraph(pdf, f"{texts.addressee.format(enterprise=clean(data.enterprise_name))}\n{texts.intro}")
    for number, problem in enumerate(data.problems, 1):
        _problem(pdf, texts, number, problem)
    pdf.ln(2)
    paragraph(pdf, "\n".join(deadline_lines(texts, data.problems)))
    paragraph(pdf, texts.overdue)
    paragraph(pdf, texts.remedy.format(review_body=texts.review_body, court=texts.court))
    codes(pdf, [(data.inspection_code_url, texts.inspection_code), (data.enterprise_portal_url, texts.portal_code)])
    _signatures(pdf, data)
    return bytes(pdf.output())


def deadline_lines(texts: DirectiveTexts, problems: list[DirectiveProblem]) -> list[str]:
    """The order's sentence: one deadline for all the problems, or, when they differ, each one's."""
    span = texts.range_one if len(problems) == 1 else texts.range_many.format(count=len(problems))
    deadlines = {p.deadline for p in problems}
    if len(deadlines) == 1:
        return [texts.deadline_same.format(range=span, deadline=zh_date(deadlines.pop()))]
    return [texts.deadline_each.format(range=span)] + [
        texts.deadline_item.format(number=n, deadline=zh_date(p.deadline)) for n, p in enumerate(problems, 1)]


def _problem(pdf: FPDF, texts: DirectiveTexts, number: int, problem: DirectiveProblem) -> None:
    labels = texts.labels
    numbered(pdf, number, problem.item_title)
    major = problem.level == "major"
    field(pdf, labels.found, problem.description)
    field(pdf, labels.basis, problem.basis)
    field(pdf, labels.level, texts.levels[problem.level], color=RED if major else BLACK, bold=major)
    field(pdf, labels.deadline, zh_date(problem.deadline), bold=True)
    field(pdf, labels.hazard, problem.hazard_id, color=GREY)
    pdf.ln(1)
    rule(pdf, 1.5)


ROW_H = SIGNATURE_H + 10      # mm: one signature row, the name under its line included


def _signatures(pdf: FPDF, data: DirectiveData) -> None:
    """One row per officer (signature, name, enforcement ID number), the enterprise's responsible
    person's row, then the department and the day of issue."""
    texts = data.texts
    rows = len(data.officers) + 1
    if pdf.will_page_break(rows * ROW_H + 24):
        pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    split_at = pdf.l_margin + width * 0.62
    style(pdf, 11)
    y = pdf.get_y() + 4
    for officer in data.officers:
        line_y = y + SIGNATURE_H + 2
        signature_line(pdf, Signer(texts.officer_label, officer.signature, officer.name), pdf.l_margin,
                       split_at - 4, line_y)
        pdf.set_xy(split_at, line_y - 7)
        number = officer.enforcement_id or texts.no_number
        pdf.cell(pdf.w - pdf.r_margin - split_at, 8, texts.officer_number.format(number=number))
        y += ROW_H
    line_y = y + SIGNATURE_H + 2
    signature_line(pdf, Signer(texts.enterprise_label, data.enterprise_signature, data.enterprise_signer),
                   pdf.l_margin, split_at - 4, line_y)
    pdf.set_xy(pdf.l_margin, line_y + 10)
    seal(pdf, [texts.seal.format(department=data.department), zh_date(data.issued_on)])
