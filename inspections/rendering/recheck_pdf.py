"""The re-check opinion (整改复查意见书) issued when a hazard is re-checked, as an A4 PDF on the page
furniture of document_layout: the enterprise, the hazard and what was found, what the enterprise reported, what was
checked, the result (passed and closed, or returned with the reason), the officer with the enforcement ID
number and department, and the officer's name and time of the decision (re-checks carry no drawn
signatures).

Pure rendering: RecheckData in, PDF bytes out; services.shared.documents assembles and stores it.
"""
from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from inspections.rendering.document_layout import field, fields, heading, new_document, paragraph, seal, signed_time
from inspections.rendering.pdf_text import style, zh_date
from inspections.rendering.record_pdf import NO_ENFORCEMENT_ID, Officer

PASSED = "复查合格，予以销号。"
ACCEPTED = "现场验收合格，报请审批后销号（重大事故隐患）。"
FAILED = "复查不合格，退回继续整改。"


class RecheckData(BaseModel):
    model_config = ConfigDict(frozen=True)

    opinion_number: str
    enterprise_name: str
    enterprise_code: str
    place: str
    hazard_id: str
    inspection_id: str
    item_title: str
    description: str          # what was found at the visit
    deadline: date
    reported: str             # what the enterprise reported doing
    passed: bool
    accepted_only: bool       # a major hazard accepted on site (验收), closed only once a second person approves
    reason: str               # the decision's note: why it failed, or the closing words
    officer: Officer
    decided_at: datetime


def render_recheck(data: RecheckData) -> bytes:
    pdf = new_document("整改复查意见书", data.opinion_number, data.enterprise_name)
    fields(pdf, "被检查单位", [("单位名称", data.enterprise_name), ("统一社会信用代码", data.enterprise_code),
                          ("地址", data.place)])
    heading(pdf, "复查事项")
    field(pdf, "隐患编号", data.hazard_id)
    field(pdf, "原检查编号", data.inspection_id)
    field(pdf, "检查项", data.item_title)
    field(pdf, "存在问题", data.description)
    field(pdf, "整改期限", zh_date(data.deadline))
    field(pdf, "企业整改情况", data.reported)
    heading(pdf, "复查意见")
    style(pdf, 12, bold=True)
    paragraph(pdf, (ACCEPTED if data.accepted_only else PASSED) if data.passed else FAILED)
    if not data.passed or data.reason:
        field(pdf, "说明" if data.passed else "不合格原因", data.reason)
    heading(pdf, "复查人员")
    officer = data.officer
    field(pdf, "复查人员", f"{officer.name}（{officer.department}）")
    field(pdf, "执法证号", officer.enforcement_id or NO_ENFORCEMENT_ID)
    field(pdf, "复查时间", signed_time(data.decided_at))
    pdf.ln(8)
    style(pdf, 11)
    seal(pdf, [f"复查人员：{officer.name}", zh_date(data.decided_at.date())])
    return bytes(pdf.output())
