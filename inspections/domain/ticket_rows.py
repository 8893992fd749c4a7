"""Rules for a 12345 work order row (工单): columns in English or Chinese as the issue lists them, the
source, category and callback verdict by id or name (inspections/rules/tickets.yaml), credit codes and
departments checked, times in the district's time zone (a file's times are the district's), in order.
Pure: it turns rows into tickets or row problems (domain.rows), all rows checked at once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from inspections.domain import credit_code
from inspections.domain.catalogue import Catalogue
from inspections.domain.ledger import HAZARD_ID
from inspections.domain.rows import ImportProblem, RowProblem, cell_text, parse_date, unescape_formula
from inspections.domain.tickets import Ticket, TicketRules

COLUMNS: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket_id", "工单编号"),
    "received_at": ("received_at", "受理时间"),
    "source": ("source", "来源"),
    "category": ("category", "诉求类型"),
    "content": ("content", "诉求内容"),
    "address": ("address", "事发地址"),
    "enterprise_code": ("enterprise_code", "统一社会信用代码"),
    "department": ("department", "承办部门"),
    "signed_at": ("signed_at", "签收时间"),
    "due_on": ("due_on", "办理时限"),
    "replied_at": ("replied_at", "办结时间"),
    "resolved": ("resolved", "是否解决"),
    "callback": ("callback", "回访结果"),
}
REQUIRED = ("ticket_id", "received_at", "source", "category", "content")
TICKET_ID = HAZARD_ID          # letters, digits, '_', '.', '-': ids appear in pages, links and file names
DATE_TIME = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
YES, NO = {"是", "yes", "y", "true", "1"}, {"否", "no", "n", "false", "0"}
MAX_TEXT = 2000


@dataclass(frozen=True)
class WorkOrderRow:
    row: int
    ticket: Ticket


def parse_datetime(value: object, zone: tzinfo) -> tuple[datetime | None, ImportProblem | None]:
    """(an aware time in `zone`, None), (None, None) for an empty cell, or (None, why). A cell may hold a
    spreadsheet's date-time or date, or text 'YYYY-MM-DD HH:MM[:SS]' ('/' and 'T' accepted too); a
    date alone is the start of that day."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)), None
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time(), zone), None
    match = DATE_TIME.match(str(value).strip())
    if not match:
        return None, ImportProblem("not_date_time")
    parts = [int(p) if p else 0 for p in match.groups()]
    try:
        return datetime(*parts, tzinfo=zone), None
    except ValueError:
        return None, ImportProblem("no_such_date")


def parse_rows(rows: list[tuple[int, list[object]]], positions: dict[str, int], catalogue: Catalogue,
               rules: TicketRules, zone: tzinfo, imported_at: datetime) -> tuple[list[WorkOrderRow], list[RowProblem]]:
    """The good rows as tickets (a verdict's `called_back_at` is `imported_at`: the file gives no time
    for it) and one problem per bad field."""
    good: list[WorkOrderRow] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}

    for number, values in rows:
        before = len(problems)

        def raw(name: str) -> object:
            position = positions.get(name)
            return values[position] if position is not None and position < len(values) else None

        def text(name: str) -> str:
            return unescape_formula(cell_text(raw(name)))

        def bad(name: str, value: object, why: ImportProblem) -> None:
            problems.append(RowProblem(number, name, value, why))

        ticket_id = text("ticket_id")
        if not ticket_id:
            bad("ticket_id", "", ImportProblem("required"))
        elif not TICKET_ID.fullmatch(ticket_id):
            bad("ticket_id", ticket_id, ImportProblem("ticket_id_rule"))
        elif ticket_id in seen:
            bad("ticket_id", ticket_id, ImportProblem("duplicate", row=seen[ticket_id], column="ticket_id"))
        else:
            seen[ticket_id] = number
        times: dict[str, datetime | None] = {}
        for name in ("received_at", "signed_at", "replied_at"):
            value, why = parse_datetime(raw(name), zone)
            if why:
                bad(name, cell_text(raw(name)) if not isinstance(raw(name), datetime) else str(raw(name)), why)
            elif value is None and name == "received_at":
                bad(name, "", ImportProblem("required"))
            times[name] = value
        due_on, why = parse_date(raw("due_on") if not isinstance(raw("due_on"), str) else text("due_on"))
        if why:
            bad("due_on", text("due_on"), why)
        received = times["received_at"]
        if received:
            for name in ("signed_at", "replied_at"):
                if times[name] and times[name] < received:
                    bad(name, times[name].isoformat(" ", "minutes"),
                        ImportProblem("date_before", other="received_at", date=received.isoformat(" ", "minutes")))
            if due_on and due_on < received.date():
                bad("due_on", due_on.isoformat(),
                    ImportProblem("date_before", other="received_at", date=received.date().isoformat()))
        source_text, category_text, callback_text = text("source"), text("category"), text("callback")
        source = rules.source_of(source_text) if source_text else None
        if source is None:
            bad("source", source_text, ImportProblem("unknown_ticket_source" if source_text else "required"))
        category = rules.category_of(category_text) if category_text else None
        if category is None:
            bad("category", category_text, ImportProblem("unknown_ticket_category" if category_text else "required"))
        content = text("content")
        if not content:
            bad("content", "", ImportProblem("required"))
        for name in ("content", "address"):
            if len(text(name)) > MAX_TEXT:
                bad(name, text(name)[:20] + "…", ImportProblem("too_long", limit=MAX_TEXT))
        code = "".join(text("enterprise_code").split()).upper()
        refused = credit_code.refusal(code) if code else None
        if refused:
            bad("enterprise_code", code, ImportProblem("credit_code", why=refused))
        department_text = text("department")
        department = catalogue.resolve_department(department_text) if department_text else None
        if department_text and department is None:
            bad("department", department_text, ImportProblem("unknown_department"))
        resolved_text = text("resolved").lower()
        resolved = True if resolved_text in YES else False if resolved_text in NO else None
        if resolved_text and resolved is None:
            bad("resolved", text("resolved"), ImportProblem("not_yes_no"))
        verdict = rules.satisfaction_of(callback_text) if callback_text else None
        if callback_text and verdict is None:
            bad("callback", callback_text, ImportProblem("unknown_callback"))
        if (resolved is not None or verdict is not None) and times["replied_at"] is None and "replied_at" not in \
                {p.column for p in problems[before:]}:
            bad("replied_at", "", ImportProblem("callback_needs_reply"))
        if len(problems) == before:
            good.append(WorkOrderRow(number, Ticket(
                id=ticket_id, source=source, enterprise_code=code or None, address=text("address"),
                category=category, content=content, department=department, received_at=received,
                signed_at=times["signed_at"], due_on=due_on, replied_at=times["replied_at"], resolved=resolved,
                callback=verdict, called_back_at=imported_at if (resolved is not None or verdict is not None) else None)))
    return good, problems
