"""The on-site inspection record (现场检查记录) of a finished visit as an A4 PDF, on the page
furniture of document_layout: time from check-in to finish, place, the departments and officers with their enforcement ID
numbers (执法证号), the enterprise's representative, every item with its result, the findings, the
representative's statement (陈述、申辩, "无" when none), the notice of rights (陈述、申辩、回避), and both
signatures as drawn.

Pure rendering: RecordData in, PDF bytes out; services.shared.documents assembles the data and stores the
bytes as issued.
"""
from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from inspections.rendering.document_layout import (
    LINE,
    field,
    fields,
    heading,
    joint_signatures,
    new_document,
    paragraph,
    signed_time,
    wrap,
)
from inspections.rendering.pdf_text import GREY, rule, style

RESULT_ZH = {"pass": "符合", "fail": "不符合", "not_applicable": "不适用"}
NO_ENFORCEMENT_ID = "未登记"


class Officer(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    department: str = ""
    enforcement_id: str | None = None    # 行政执法证号; None until the account has one


class RecordItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    result: str                          # "pass", "fail" or "not_applicable"
    note: str = ""


class RecordData(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    record_number: str
    enterprise_name: str
    enterprise_code: str
    place: str                           # the enterprise's address
    inspection_id: str
    why: str = ""                        # why the visit happens: kind, reason, plan number (services.shared.codes.why)
    departments: list[str]
    officers: list[Officer]
    representative: str                  # who signed for the enterprise
    checked_in_at: datetime | None
    finished_at: datetime
    items: list[RecordItem]
    findings: list[str]                  # one line per hazard raised
    statement: str                       # the representative's statement, "无" when none
    rights_notice: list[str]             # paragraphs
    issued_on: date
    signed_at: datetime
    inspector_signer: str
    enterprise_signer: str
    inspector_signature: bytes | None = None
    enterprise_signature: bytes | None = None


def _time(moment: datetime | None) -> str:
    return signed_time(moment) if moment else "—"


def render_record(data: RecordData) -> bytes:
    pdf = new_document("现场检查记录", data.record_number, data.enterprise_name)
    fields(pdf, "被检查单位", [("单位名称", data.enterprise_name), ("统一社会信用代码", data.enterprise_code),
                          ("检查地点", data.place), ("企业现场负责人", data.representative)])
    heading(pdf, "检查情况")
    field(pdf, "检查编号", data.inspection_id)
    if data.why:
        style(pdf, 10.5)
        wrap(pdf, LINE, data.why)
    field(pdf, "检查时间", f"{_time(data.checked_in_at)} 至 {_time(data.finished_at)}")
    field(pdf, "联合检查部门", "、".join(data.departments))
    for number, officer in enumerate(data.officers, 1):
        field(pdf, f"检查人员{number}", f"{officer.name}（{officer.department}）  执法证号："
                                       f"{officer.enforcement_id or NO_ENFORCEMENT_ID}")

    heading(pdf, "检查事项及结果")
    for number, item in enumerate(data.items, 1):
        style(pdf, 10.5)
        wrap(pdf, LINE, f"{number}. [{item.id}] {item.title}：{RESULT_ZH.get(item.result, item.result)}"
                        + (f"（{item.note}）" if item.note else ""))
    heading(pdf, "检查发现")
    paragraph(pdf, "\n".join(data.findings) if data.findings else "本次检查未发现事故隐患。")
    heading(pdf, "被检查单位陈述、申辩")
    paragraph(pdf, data.statement)
    heading(pdf, "权利告知")
    style(pdf, 10, color=GREY)
    wrap(pdf, 5.8, "\n".join(data.rights_notice))
    pdf.ln(1)
    rule(pdf, 1.5)
    joint_signatures(pdf, inspector=(data.inspector_signature, data.inspector_signer),
                     enterprise=(data.enterprise_signature, data.enterprise_signer), signed_at=data.signed_at,
                     issued_on=data.issued_on)
    return bytes(pdf.output())
