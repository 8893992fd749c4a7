"""The ticket lifecycle (domain.tickets): every transition of the table, every refusal, and the import's
status and idempotence rules. Times are fixed moments in the district (the lifecycle reads no clock)."""
import datetime as dt

import pytest

from inspections.domain.tickets import (TRANSITIONS, Satisfaction, Source, Status, Ticket, TicketTransitionError,
                                        Urgency, apply, imported_differs, status_from_row)
from tests.conftest import district_time

RECEIVED = district_time(2026, 5, 7, 9, 30)
LATER = district_time(2026, 5, 8, 10, 0)


def new_ticket(**changes) -> Ticket:
    return Ticket(**{"id": "SQ20260507-00001", "source": Source.GRID, "requester": "grid1",
                     "content": "消防通道堵塞", "address": "幸福路 1 号", "received_at": RECEIVED, **changes})


def step(ticket, action, **details):
    return apply(ticket, action, actor="someone", at=LATER, **details)


def walked_to(status: Status) -> Ticket:
    """A ticket taken through the loop up to `status`."""
    ticket, _ = step(None, "raise", new=new_ticket())
    path = [("triage", dict(category="request", department="emergency", due_on=dt.date(2026, 5, 11))),
            ("assign", {}), ("sign", {}), ("answer", dict(note="已清理通道")),
            ("callback", dict(resolved=True, callback=Satisfaction.SATISFIED)), ("close", {})]
    for action, details in path:
        if ticket.status == status:
            break
        ticket, _ = step(ticket, action, **details)
    assert ticket.status == status
    return ticket


def test_the_loop_from_received_to_closed_records_each_step():
    ticket, event = step(None, "raise", new=new_ticket())
    assert (ticket.status, event.from_status, event.to_status, event.action) == (Status.RECEIVED, None, Status.RECEIVED, "raise")
    ticket, event = step(ticket, "triage", category="request", department="emergency", urgency=Urgency.URGENT,
                         due_on=dt.date(2026, 5, 11), resolve_by=dt.date(2026, 5, 28))
    assert (ticket.status, ticket.category, ticket.department, ticket.urgency, ticket.due_on, ticket.resolve_by) == \
        (Status.TRIAGED, "request", "emergency", Urgency.URGENT, dt.date(2026, 5, 11), dt.date(2026, 5, 28))
    ticket, _ = step(ticket, "assign")
    assert (ticket.status, ticket.department) == (Status.ASSIGNED, "emergency")
    ticket, _ = step(ticket, "sign")
    assert (ticket.status, ticket.signed_at) == (Status.SIGNED, LATER)
    ticket, event = step(ticket, "answer", note=" 已清理通道 ", evidence=["p1"])
    assert (ticket.status, ticket.replied_at, ticket.answer, event.note, event.evidence) == \
        (Status.ANSWERED, LATER, "已清理通道", "已清理通道", ["p1"])
    ticket, _ = step(ticket, "callback", resolved=True, callback=Satisfaction.BASICALLY_SATISFIED)
    assert (ticket.status, ticket.resolved, ticket.callback, ticket.called_back_at) == \
        (Status.CALLED_BACK, True, Satisfaction.BASICALLY_SATISFIED, LATER)
    ticket, event = step(ticket, "close")
    assert (ticket.status, ticket.closed_at, event.from_status, event.to_status) == \
        (Status.CLOSED, LATER, Status.CALLED_BACK, Status.CLOSED)


@pytest.mark.parametrize("resolved, verdict", [(False, Satisfaction.SATISFIED), (True, Satisfaction.DISSATISFIED)])
def test_unresolved_or_dissatisfied_goes_back_to_the_department_and_cannot_close(resolved, verdict):
    answered = walked_to(Status.ANSWERED)
    called, _ = step(answered, "callback", resolved=resolved, callback=verdict)
    with pytest.raises(TicketTransitionError) as refused:
        step(called, "close")
    assert refused.value.reason == "ticket_close_unsettled"
    with pytest.raises(TicketTransitionError) as refused:
        step(called, "send_back", note="  ")
    assert refused.value.reason == "ticket_reason_required"
    back, event = step(called, "send_back", note="仍未清理")
    assert (back.status, event.note) == (Status.SIGNED, "仍未清理")
    assert (back.replied_at, back.callback) == (answered.replied_at, verdict)   # kept until replaced
    again, _ = step(back, "answer", note="再次清理", )
    assert again.status == Status.ANSWERED


def test_a_settled_callback_is_not_sent_back():
    called = walked_to(Status.CALLED_BACK)
    with pytest.raises(TicketTransitionError) as refused:
        step(called, "send_back", note="x")
    assert refused.value.reason == "ticket_send_back_settled"


def test_supervision_and_link_keep_the_status():
    signed = walked_to(Status.SIGNED)
    supervised, event = step(signed, "supervise", note="超期未反馈，督办")
    assert (supervised.status, supervised.supervised, event.from_status, event.to_status) == \
        (Status.SIGNED, True, Status.SIGNED, Status.SIGNED)
    linked, _ = step(supervised, "link", inspection_id="JC20260508-0001")
    assert (linked.status, linked.inspection_id) == (Status.SIGNED, "JC20260508-0001")
    assert step(linked, "link", inspection_id="JC20260508-0001")[0].inspection_id == "JC20260508-0001"
    with pytest.raises(TicketTransitionError) as refused:
        step(linked, "link", inspection_id="JC20260509-0002")
    assert (refused.value.reason, refused.value.values) == ("ticket_already_linked", {"inspection_id": "JC20260508-0001"})
    with pytest.raises(TicketTransitionError) as refused:
        step(linked, "link")
    assert refused.value.reason == "ticket_inspection_required"
    with pytest.raises(TicketTransitionError) as refused:
        step(signed, "supervise")
    assert refused.value.reason == "ticket_reason_required"


def test_a_duplicate_is_merged_closed_with_its_pointer():
    received = walked_to(Status.RECEIVED)
    merged, event = step(received, "merge", into="SQ20260506-00009")
    assert (merged.status, merged.merged_into, merged.closed_at, event.to_status) == \
        (Status.CLOSED, "SQ20260506-00009", LATER, Status.CLOSED)
    for into in (None, received.id):
        with pytest.raises(TicketTransitionError) as refused:
            step(received, "merge", into=into)
        assert refused.value.reason == "ticket_merge_target"


# every (action, status) pair the table does not allow is refused, naming both
REFUSED = [(action, status) for action, (starts, _) in TRANSITIONS.items()
           for status in [None, *Status] if status not in starts]


@pytest.mark.parametrize("action, status", REFUSED, ids=lambda v: str(v))
def test_every_step_the_table_does_not_allow_is_refused(action, status):
    ticket = walked_to(status) if status is not None else None
    with pytest.raises(TicketTransitionError) as refused:
        step(ticket, action, note="n", new=new_ticket(), category="request", department="emergency",
             due_on=dt.date(2026, 5, 11), resolved=True, callback=Satisfaction.SATISFIED, into="X",
             inspection_id="JC1")
    assert refused.value.reason == "ticket_action_not_allowed"
    assert refused.value.values == {"ticket_action": action, "ticket_status": status.value if status else "new"}


def test_the_refusals_of_what_a_step_lacks():
    received, triaged = walked_to(Status.RECEIVED), walked_to(Status.TRIAGED)
    cases = [
        (None, "bogus", {}, "unknown_ticket_action"),
        (None, "raise", {}, "new_ticket_required"),
        (None, "import", {}, "new_ticket_required"),
        (received, "triage", dict(category="request", department="emergency"), "ticket_triage_incomplete"),
        (received, "triage", dict(category="", department="emergency", due_on=dt.date(2026, 5, 11)),
         "ticket_triage_incomplete"),
        (received, "triage", dict(category="request", department="emergency", due_on=dt.date(2026, 5, 6)),
         "ticket_due_before_received"),
        (walked_to(Status.SIGNED), "answer", dict(note=""), "ticket_reason_required"),
        (walked_to(Status.ANSWERED), "callback", dict(resolved=True), "ticket_callback_incomplete"),
        (walked_to(Status.ANSWERED), "callback", dict(callback=Satisfaction.SATISFIED), "ticket_callback_incomplete"),
    ]
    for ticket, action, details, reason in cases:
        with pytest.raises(TicketTransitionError) as refused:
            step(ticket, action, **details)
        assert refused.value.reason == reason, (action, details)
    untriaged_department = triaged.model_copy(update={"department": None})
    with pytest.raises(TicketTransitionError) as refused:
        step(untriaged_department, "assign")
    assert refused.value.reason == "ticket_department_required"
    assert step(untriaged_department, "assign", department="housing")[0].department == "housing"
    assert step(triaged, "assign", department="housing")[0].department == "housing"   # another department


def test_triage_may_be_done_again_before_assignment():
    triaged = walked_to(Status.TRIAGED)
    again, _ = step(triaged, "triage", category="consultation", department="housing", due_on=dt.date(2026, 5, 8))
    assert (again.status, again.category, again.department, again.due_on) == \
        (Status.TRIAGED, "consultation", "housing", dt.date(2026, 5, 8))


def test_an_imported_work_order_takes_the_status_its_row_implies():
    row = new_ticket(id="GD2026001", source=Source.HOTLINE, requester="")
    assert status_from_row(row) == Status.RECEIVED
    assert status_from_row(row.model_copy(update={"department": "emergency"})) == Status.ASSIGNED
    assert status_from_row(row.model_copy(update={"department": "emergency", "signed_at": LATER})) == Status.SIGNED
    assert status_from_row(row.model_copy(update={"replied_at": LATER})) == Status.ANSWERED
    assert status_from_row(row.model_copy(update={"replied_at": LATER, "resolved": False})) == Status.CALLED_BACK
    created, event = step(None, "import", new=row.model_copy(update={"replied_at": LATER}))
    assert (created.status, event.action, event.from_status, event.to_status) == \
        (Status.ANSWERED, "import", None, Status.ANSWERED)


def test_an_import_updates_the_rows_fields_keeps_the_apps_own_and_a_closed_ticket_stays_closed():
    row = new_ticket(id="GD2026001", source=Source.HOTLINE, requester="", department="emergency")
    stored, _ = step(None, "import", new=row)
    assert not imported_differs(stored, row)
    supervised, _ = step(stored, "supervise", note="督办")
    called_at = district_time(2026, 5, 20, 8, 0)
    changed_row = row.model_copy(update={"replied_at": LATER, "resolved": True, "callback": Satisfaction.SATISFIED,
                                         "called_back_at": called_at})
    assert imported_differs(supervised, changed_row)
    updated, event = step(supervised, "import", new=changed_row)
    assert (updated.status, updated.supervised, updated.called_back_at, event.from_status) == \
        (Status.CALLED_BACK, True, called_at, Status.ASSIGNED)
    same_verdict_later = changed_row.model_copy(update={"called_back_at": district_time(2026, 6, 1, 8, 0)})
    assert not imported_differs(updated, same_verdict_later)        # the import's moment is not the row's
    closed, _ = step(updated, "close")
    reopened_row = changed_row.model_copy(update={"resolved": False})
    assert step(closed, "import", new=reopened_row)[0].status == Status.CLOSED


def test_overdue_is_derived_from_the_reply_day():
    triaged = walked_to(Status.TRIAGED)
    assert not triaged.is_overdue(dt.date(2026, 5, 11))
    assert triaged.is_overdue(dt.date(2026, 5, 12))
    assert not walked_to(Status.ANSWERED).is_overdue(dt.date(2026, 5, 12))
