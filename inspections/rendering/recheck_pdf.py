"""The re-check opinion (整改复查意见书) issued when a hazard is re-checked, as an A4 PDF on the notice's
page furniture: the enterprise, the hazard and what was found, what the enterprise reported, what was
checked, the result (passed and closed, or returned with the reason), the officer with the enforcement ID
number and department, and the officer's name and time of the decision (re-checks carry no drawn
signatures).

Pure rendering: RecheckData in, PDF bytes out; services.shared.documents assembles and stores it.
"""
from __future__ import annotations

from datetime import date, datetime

from fpdf.enums import XPos, YPos
from pydantic import BaseModel, ConfigDict

from inspections.rendering.notice_pdf import _field, _heading, _paragraph
from inspections.rendering.pdf_fonts import new_pdf
from inspections.rendering.pdf_text import PagedPDF, Widths, describe, style, zh_date
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
    pdf = new_pdf(PagedPDF)
    pdf.running_head = f"整改复查意见书  {data.opinion_number}"
    pdf.widths = Widths(pdf)
    pdf.set_margins(18, 16, 18)
    describe(pdf, f"整改复查意见书 {data.opinion_number}", data.enterprise_name)
    pdf.add_page()
    style(pdf, 20, bold=True)
    pdf.cell(0, 12, "整改复查意见书", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    style(pdf, 11)
    pdf.cell(0, 7, data.opinion_number, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    _heading(pdf, "被检查单位")
    _field(pdf, "单位名称", data.enterprise_name)
    _field(pdf, "统一社会信用代码", data.enterprise_code)
    _field(pdf, "地址", data.place)
    _heading(pdf, "复查事项")
    _field(pdf, "隐患编号", data.hazard_id)
    _field(pdf, "原检查编号", data.inspection_id)
    _field(pdf, "检查项", data.item_title)
    _field(pdf, "存在问题", data.description)
    _field(pdf, "整改期限", zh_date(data.deadline))
    _field(pdf, "企业整改情况", data.reported)
    _heading(pdf, "复查意见")
    style(pdf, 12, bold=True)
    _paragraph(pdf, (ACCEPTED if data.accepted_only else PASSED) if data.passed else FAILED)
    if not data.passed or data.reason:
        _field(pdf, "说明" if data.passed else "不合格原因", data.reason)
    _heading(pdf, "复查人员")
    officer = data.officer
    _field(pdf, "复查人员", f"{officer.name}（{officer.department}）")
    _field(pdf, "执法证号", officer.enforcement_id or NO_ENFORCEMENT_ID)
    _field(pdf, "复查时间", f"{zh_date(data.decided_at.date())} {data.decided_at:%H:%M}")
    pdf.ln(8)
    style(pdf, 11)
    pdf.cell(0, 7, f"复查人员：{officer.name}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 7, zh_date(data.decided_at.date()), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
