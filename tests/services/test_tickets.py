"""Tickets through the use cases on a real DuckDB file (services.requests.tickets): who may raise, who
sees what (a grid worker only their reports, an enterprise only its requests, a department only what was
assigned to it, a specialist their enterprises' requests), the loop with its trail, the due day in working
days, and the refusals. The clock is set to a day in 2026, the last year the holiday calendar covers."""
import datetime as dt

import pytest

from inspections.domain.enterprises import Enterprise
from inspections.domain.refusals import NotAllowed, NotFound
from inspections.domain.tickets import Satisfaction, Source, Status
from inspections.domain.working_days import CalendarYearNotCovered
from inspections.services.office import accounts
from inspections.services.requests import tickets
from inspections.services.requests.tickets import TicketRefused
from inspections.services.shared.auth import User
from inspections.store import enterprises as enterprise_store
from inspections.store import tickets as ticket_store
from tests.conftest import code, district_time, office_user

PASSWORD = "Loop-closed-2026!"


@pytest.fixture
def world(ctx):
    ctx.clock.set(district_time(2026, 5, 7, 9, 30))     # a Thursday; Saturday 9 May is a make-up working day
    sector = ctx.catalogue.sector_ids[0]
    ours, theirs = code(101), code(102)
    ctx.db.write(lambda c: enterprise_store.upsert(c, [Enterprise(code=ours, name="甲公司", sectors=[sector]),
                                                       Enterprise(code=theirs, name="乙公司", sectors=[sector])],
                                                   ctx.clock.instant()))
    accounts.create_user(ctx, "helper1", PASSWORD, "specialist", display_name="服务专员")
    accounts.create_user(ctx, "grid1", PASSWORD, "grid", display_name="网格员一")
    first, second = ctx.catalogue.department_ids[:2]
    people = {
        "office": office_user(),
        "enterprise": User("ent1", "甲", "enterprise", enterprise_code=ours),
        "other_enterprise": User("ent2", "乙", "enterprise", enterprise_code=theirs),
        "grid": User("grid1", "网格员一", "grid"),
        "other_grid": User("grid2", "网格员二", "grid"),
        "specialist": User("helper1", "服务专员", "specialist"),
        "inspector": User("insp1", "检查员", "inspector", first),
        "other_inspector": User("insp2", "检查员", "inspector", second),
    }
    assert tickets.assign_specialist(ctx, people["office"], "helper1", ours)
    assert not tickets.assign_specialist(ctx, people["office"], "helper1", ours)     # theirs already
    return ctx, people, ours, theirs, first, second


def test_the_loop_with_its_trail_and_the_due_day_in_working_days(world):
    ctx, people, ours, _, first, _ = world
    raised = tickets.raise_ticket(ctx, people["enterprise"], " 消防验收流程咨询 ")
    assert (raised.status, raised.source, raised.enterprise_code, raised.content, raised.requester) == \
        (Status.RECEIVED, Source.PORTAL, ours, "消防验收流程咨询", "ent1")
    assert raised.id.startswith("SQ20260507-")
    triaged = tickets.triage(ctx, people["office"], raised.id, category="request", department=first)
    # 3 working days from Thursday 7 May 2026: Fri 8, Sat 9 (make-up), Mon 11; 15: then 12-15, 18-22, 25-27
    assert (triaged.due_on, triaged.resolve_by) == (dt.date(2026, 5, 11), dt.date(2026, 5, 27))
    tickets.assign(ctx, people["office"], raised.id)
    ctx.clock.advance(dt.timedelta(hours=2))
    signed = tickets.sign(ctx, people["inspector"], raised.id)
    assert signed.signed_at == ctx.clock.instant()
    tickets.supervise(ctx, people["office"], raised.id, "请尽快答复")
    answered = tickets.answer(ctx, people["inspector"], raised.id, "已电话解答流程")
    assert answered.status == Status.ANSWERED
    tickets.callback(ctx, people["enterprise"], raised.id, resolved=True, verdict="基本满意")
    closed = tickets.close(ctx, people["office"], raised.id)
    assert (closed.status, closed.callback, closed.supervised) == (Status.CLOSED, Satisfaction.BASICALLY_SATISFIED, True)
    trail = tickets.trail(ctx, people["enterprise"], raised.id)
    assert [e.action for e in trail] == ["raise", "triage", "assign", "sign", "supervise", "answer", "callback", "close"]
    assert [e.actor for e in trail] == ["ent1", "office", "office", "insp1", "office", "insp1", "ent1", "office"]


def test_each_role_sees_only_its_own(world):
    ctx, people, ours, theirs, first, second = world
    request = tickets.raise_ticket(ctx, people["enterprise"], "办证咨询")
    collected = tickets.raise_ticket(ctx, people["specialist"], "用电扩容困难", enterprise_code=ours)
    report = tickets.raise_ticket(ctx, people["grid"], "消防通道堵塞", enterprise_code=ours)
    street = tickets.raise_ticket(ctx, people["other_grid"], "路边违规储存液化气", address="幸福路 8 号")
    theirs_request = tickets.raise_ticket(ctx, people["other_enterprise"], "乙公司的诉求")
    for ticket, department in ((request, first), (report, second)):
        tickets.triage(ctx, people["office"], ticket.id, category="request", department=department)
    tickets.assign(ctx, people["office"], request.id)
    tickets.triage(ctx, people["office"], collected.id, category="request", department=first)   # triaged, not assigned

    def ids(role):
        return {t.id for t in tickets.my_tickets(ctx, people[role])}
    everything = {request.id, collected.id, report.id, street.id, theirs_request.id}
    assert ids("office") == everything
    assert ids("grid") == {report.id}
    assert ids("other_grid") == {street.id}
    assert ids("enterprise") == {request.id, collected.id}      # not the grid worker's report about it
    assert ids("other_enterprise") == {theirs_request.id}
    assert ids("specialist") == {request.id, collected.id}
    assert ids("inspector") == {request.id}                      # assigned to it; the triaged one not yet
    assert ids("other_inspector") == set()                       # the report is triaged to it, not assigned
    for role in people:
        for ticket_id in everything:
            if ticket_id in ids(role):
                assert tickets.ticket(ctx, people[role], ticket_id).id == ticket_id
            else:
                with pytest.raises(NotFound):
                    tickets.ticket(ctx, people[role], ticket_id)
                with pytest.raises(NotFound):
                    tickets.trail(ctx, people[role], ticket_id)
    with pytest.raises(NotFound):
        tickets.my_tickets(ctx, None)


def test_who_may_raise_and_who_may_act(world):
    ctx, people, ours, theirs, first, _ = world
    for role in ("office", "inspector"):
        with pytest.raises(NotFound):
            tickets.raise_ticket(ctx, people[role], "x", enterprise_code=ours)
    with pytest.raises(NotFound):          # an enterprise not assigned to the specialist
        tickets.raise_ticket(ctx, people["specialist"], "x", enterprise_code=theirs)
    as_other = tickets.raise_ticket(ctx, people["enterprise"], "本企业诉求", enterprise_code=theirs)
    assert as_other.enterprise_code == ours                # an enterprise raises about itself only
    ticket = as_other.id
    for role in ("enterprise", "grid", "specialist", "inspector"):
        with pytest.raises(NotFound):
            tickets.triage(ctx, people[role], ticket, category="request", department=first)
    tickets.triage(ctx, people["office"], ticket, category="request", department=first)
    tickets.assign(ctx, people["office"], ticket)
    with pytest.raises(NotFound):
        tickets.sign(ctx, people["other_inspector"], ticket)   # another department's
    with pytest.raises(NotFound):
        tickets.sign(ctx, people["office"], ticket)            # signing is the department's
    tickets.sign(ctx, people["inspector"], ticket)
    tickets.answer(ctx, people["inspector"], ticket, "已办理")
    with pytest.raises(NotAllowed) as refused:
        tickets.callback(ctx, people["office"], ticket, resolved=True, verdict="满意")   # not a 12345 work order
    assert refused.value.reason == "ticket_not_requester"
    with pytest.raises(TicketRefused) as refused:
        tickets.callback(ctx, people["enterprise"], ticket, resolved=True, verdict="还行")
    assert refused.value.reason == "ticket_unknown_verdict"
    tickets.callback(ctx, people["enterprise"], ticket, resolved=False, verdict="dissatisfied")
    back = tickets.send_back(ctx, people["office"], ticket, "企业反映仍未解决")
    assert back.status == Status.SIGNED


def test_the_refusals_of_bad_input(world):
    ctx, people, ours, _, first, _ = world
    cases = [
        (lambda: tickets.raise_ticket(ctx, people["grid"], "  "), "ticket_content_required"),
        (lambda: tickets.raise_ticket(ctx, people["grid"], "x" * 2001, address="a"), "ticket_content_too_long"),
        (lambda: tickets.raise_ticket(ctx, people["grid"], "无地址"), "ticket_address_required"),
        (lambda: tickets.raise_ticket(ctx, people["grid"], "x", enterprise_code=code(999)), "ticket_unknown_enterprise"),
        (lambda: tickets.raise_ticket(ctx, people["grid"], "x", address="a", category="nonsense"), "ticket_unknown_category"),
        (lambda: tickets.raise_ticket(ctx, people["grid"], "x", address="a", photos=["nope"]), "ticket_unknown_photo"),
    ]
    for act, reason in cases:
        with pytest.raises(TicketRefused) as refused:
            act()
        assert refused.value.reason == reason
    ticket = tickets.raise_ticket(ctx, people["grid"], "消防通道堵塞", enterprise_code=ours).id
    for details, reason in ((dict(category="", department=first), "ticket_category_required"),
                            (dict(category="request", department="nowhere"), "ticket_unknown_department"),
                            (dict(category="request", department=first, urgency="now"), "ticket_unknown_urgency")):
        with pytest.raises(TicketRefused) as refused:
            tickets.triage(ctx, people["office"], ticket, **details)
        assert refused.value.reason == reason
    assert ctx.db.scalar("SELECT count(*) FROM ticket_events WHERE ticket_id = ?", [ticket]) == 1   # the raise only


def test_a_due_day_in_a_year_the_calendar_does_not_cover_is_refused(world):
    ctx, people, ours, _, first, _ = world
    ctx.clock.set(district_time(2026, 12, 29, 9, 0))
    ticket = tickets.raise_ticket(ctx, people["enterprise"], "年底的诉求").id
    with pytest.raises(CalendarYearNotCovered) as refused:
        tickets.triage(ctx, people["office"], ticket, category="request", department=first)
    assert refused.value.values["year"] == 2027
    assert ticket_store.get(ctx.db, ticket).status == Status.RECEIVED


def test_merge_and_link(world):
    ctx, people, ours, theirs, first, _ = world
    original = tickets.raise_ticket(ctx, people["grid"], "消防通道堵塞", enterprise_code=ours)
    duplicate = tickets.raise_ticket(ctx, people["grid"], "消防通道又被堵", enterprise_code=ours)
    merged = tickets.merge(ctx, people["office"], duplicate.id, original.id)
    assert (merged.status, merged.merged_into) == (Status.CLOSED, original.id)
    with pytest.raises(TicketRefused) as refused:
        tickets.merge(ctx, people["office"], tickets.raise_ticket(ctx, people["grid"], "三", enterprise_code=ours).id,
                      duplicate.id)
    assert refused.value.reason == "ticket_merge_target_closed"
    with pytest.raises(NotFound):
        tickets.link_inspection(ctx, people["office"], original.id, "JC-none")


def test_a_change_decided_from_a_stale_read_writes_nothing(world):
    ctx, people, ours, _, first, _ = world
    ticket = tickets.raise_ticket(ctx, people["enterprise"], "并发").id
    stale = ticket_store.get(ctx.db, ticket)
    tickets.triage(ctx, people["office"], ticket, category="request", department=first)
    from inspections.domain.tickets import apply
    changed, event = apply(stale, "merge", actor="office", at=ctx.clock.instant(), into="X")
    assert ctx.db.write(lambda c: ticket_store.save(c, changed, event, stale)) == 0
    assert ticket_store.get(ctx.db, ticket).status == Status.TRIAGED
    assert [e.action for e in ticket_store.events(ctx.db, ticket)] == ["raise", "triage"]


def test_new_roles_are_accounts_without_department_or_enterprise(world):
    ctx, *_ = world
    with pytest.raises(accounts.AccountError) as refused:
        accounts.create_user(ctx, "grid9", PASSWORD, "grid", department=ctx.catalogue.department_ids[0])
    assert refused.value.reason == "inspector_department"
    assert ctx.db.scalar("SELECT role FROM users WHERE username = 'grid1'") == "grid"
    with pytest.raises(NotFound):
        tickets.assign_specialist(ctx, office_user(), "grid1", code(101))   # not a specialist
