"""Who may inspect, through the services on a copy of the demo world: the office records and renews
inspectors' enforcement IDs (one at a time, or a roster file all or nothing, rows named by file, row and
column); a team with an expired ID or too few officers is not planned; a helper (no ID) may be on a team
but checks in, answers and signs nothing; an ID expired yesterday stops check-in and answers, one valid
until today does not. Every refusal writes nothing (tests.checksums)."""
import datetime as dt

import openpyxl
import pytest

from inspections.domain.rows import ImportRefused
from inspections.services.data import imports
from inspections.services.inspector import inspecting, presence, rechecks
from inspections.services.office import accounts, planning, registry
from inspections.services.office.accounts import AccountError
from inspections.services.shared.access import NotFound
from inspections.services.shared.auth import User
from inspections.services.shared.enforcement import EnforcementRefused
from inspections.store import users as user_store
from tests.checksums import changed, table_checksums
from tests.conftest import SUITE_TODAY, office_user, png, today_at, write_csv

OFFICE = office_user()
HELPER_PASSWORD = "Wangge-Helper#2026"


def _sums(ctx):
    return table_checksums(ctx.db.query)


def _stored(ctx, username):
    return user_store.enforcement_ids(ctx.db.cursor(), [username])[username]


def _user(ctx, username) -> User:
    return User(username, username, "inspector", _stored(ctx, username)["department"])


def _expire(ctx, username, valid_until):
    row = _stored(ctx, username)
    registry.record_enforcement_id(ctx, OFFICE, username, row["enforcement_number"], row["enforcement_issuer"],
                                   valid_until)


def test_the_office_records_and_renews_an_id_in_the_audit_trail(todays_visit):
    ctx, username = todays_visit.ctx, todays_visit.inspector.username
    assert _stored(ctx, username)["enforcement_number"]             # the demo's inspectors hold IDs
    renewed = SUITE_TODAY + dt.timedelta(days=1000)
    registry.record_enforcement_id(ctx, OFFICE, username, " 吉2201-新 ", "长春市人民政府", renewed)
    row = _stored(ctx, username)
    assert (row["enforcement_number"], row["enforcement_issuer"], row["enforcement_valid_until"]) == \
        ("吉2201-新", "长春市人民政府", renewed)
    entry = registry.audit_trail(ctx, OFFICE)[0]
    assert (entry["action"], entry["subject"], entry["actor"]) == ("enforcement_id_recorded", username, "office")


def test_a_bad_id_or_a_non_inspector_is_refused_and_nothing_written(todays_visit):
    ctx, username = todays_visit.ctx, todays_visit.inspector.username
    before = _sums(ctx)
    with pytest.raises(AccountError) as blank:
        registry.record_enforcement_id(ctx, OFFICE, username, "  ", "长春市人民政府", SUITE_TODAY)
    assert blank.value.reason == "enforcement_number_invalid"
    with pytest.raises(AccountError) as no_date:
        registry.record_enforcement_id(ctx, OFFICE, username, "吉1", "长春市人民政府", None)
    assert no_date.value.reason == "enforcement_valid_until_invalid"
    with pytest.raises(NotFound):
        registry.record_enforcement_id(ctx, OFFICE, "office", "吉1", "长春市人民政府", SUITE_TODAY)
    with pytest.raises(NotFound):
        registry.record_enforcement_id(ctx, todays_visit.inspector, username, "吉1", "长春市人民政府", SUITE_TODAY)
    assert changed(before, _sums(ctx)) == []


def _complaint_visit(ctx, inspection, team):
    """Another visit today to the enterprise of today's visit, a complaint check (exempt from the cap)."""
    return planning.create(ctx, OFFICE, inspection["enterprise_code"], SUITE_TODAY, inspection["departments"][0],
                           inspection["departments"], team, "complaint", "群众投诉：消防通道堵塞",
                           confirm_nearby=True)


def test_an_expired_id_or_too_few_officers_are_not_planned(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    team = inspection["team"]
    _expire(ctx, team[-1], SUITE_TODAY - dt.timedelta(days=1))
    before = _sums(ctx)
    with pytest.raises(planning.PlanningError) as expired:
        _complaint_visit(ctx, inspection, team)
    assert {p.reason for p in expired.value.problems} >= {"expired_enforcement_id"}
    assert next(p for p in expired.value.problems if p.reason == "expired_enforcement_id").values["username"] == team[-1]
    with pytest.raises(planning.PlanningError) as alone:
        _complaint_visit(ctx, {**inspection, "departments": inspection["departments"][:1]}, team[:1])
    assert alone.value.reason == "too_few_officers" and alone.value.values["needed"] == 2
    assert changed(before, _sums(ctx)) == []
    _expire(ctx, team[-1], SUITE_TODAY)                                   # valid on its last day
    assert _complaint_visit(ctx, inspection, team)["team"] == team


def test_a_helper_joins_a_team_but_checks_in_answers_and_signs_nothing(todays_visit):
    ctx, inspection = todays_visit.ctx, todays_visit.inspection
    department = inspection["departments"][0]
    accounts.create_user(ctx, "grid1", HELPER_PASSWORD, "inspector", display_name="网格员", department=department)
    helper = _user(ctx, "grid1")
    planned = _complaint_visit(ctx, inspection, inspection["team"] + ["grid1"])
    assert planned["team"][-1] == "grid1"
    planning.cancel(ctx, OFFICE, inspection["id"], "与投诉检查合并进行")     # the team's one visit today
    before = _sums(ctx)
    with pytest.raises(EnforcementRefused) as refused:
        inspecting.check_in(ctx, helper, inspection["enterprise_code"], "typed", today_at(9))
    assert refused.value.reason == "enforcement_id_missing"
    assert changed(before, _sums(ctx)) == []
    inspecting.check_in(ctx, todays_visit.inspector, inspection["enterprise_code"], "typed", today_at(9))
    visit_id = inspecting.inspections_today(ctx, helper, inspection["enterprise_code"], SUITE_TODAY)[0]["id"]
    assert visit_id == planned["id"]
    item = inspecting.walk(ctx, helper, visit_id).merged.items[0]
    before = _sums(ctx)
    with pytest.raises(EnforcementRefused):
        inspecting.answer_item(ctx, helper, visit_id, item.id, "pass", now=today_at(10))
    with pytest.raises(EnforcementRefused):
        inspecting.finish(ctx, helper, visit_id, png_bytes(), png_bytes(), today_at(11))
    assert changed(before, _sums(ctx)) == []


def png_bytes() -> bytes:
    from PIL import Image
    return png(Image.new("RGB", (40, 20), "white"))


def test_an_id_expired_yesterday_stops_check_in_and_answers_and_one_valid_today_does_not(todays_visit):
    ctx, inspection, inspector = todays_visit.ctx, todays_visit.inspection, todays_visit.inspector
    _expire(ctx, inspector.username, SUITE_TODAY - dt.timedelta(days=1))
    before = _sums(ctx)
    with pytest.raises(EnforcementRefused) as expired:
        inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", today_at(9))
    assert expired.value.reason == "enforcement_id_expired"
    assert expired.value.values["valid_until"] == SUITE_TODAY - dt.timedelta(days=1)
    assert changed(before, _sums(ctx)) == []
    _expire(ctx, inspector.username, SUITE_TODAY)
    assert inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", today_at(9)) == inspection["id"]
    item = inspecting.walk(ctx, inspector, inspection["id"]).merged.items[0]
    inspecting.answer_item(ctx, inspector, inspection["id"], item.id, "pass", now=today_at(10))
    _expire(ctx, inspector.username, SUITE_TODAY - dt.timedelta(days=1))  # renewed wrongly, say: refused again
    before = _sums(ctx)
    with pytest.raises(EnforcementRefused):
        inspecting.answer_item(ctx, inspector, inspection["id"], item.id, "not_applicable", now=today_at(10, 5))
    assert changed(before, _sums(ctx)) == []


def test_an_expired_id_proves_no_presence_and_decides_no_recheck_and_a_renewed_one_does(todays_visit):
    """Proof of presence and the re-check's opinion are acts of the officer too: refused with the
    reason, nothing written, until the ID is renewed."""
    ctx, inspection, inspector = todays_visit.ctx, todays_visit.inspection, todays_visit.inspector
    inspecting.check_in(ctx, inspector, inspection["enterprise_code"], "typed", today_at(9))
    submitted = rechecks.pending(ctx, inspector)
    assert submitted, "the demo world has rectifications waiting for this department's re-check"
    hazard_id = submitted[0]["id"]
    code = presence.code_for_enterprise(ctx, todays_visit.enterprise).code
    _expire(ctx, inspector.username, SUITE_TODAY - dt.timedelta(days=1))
    before = _sums(ctx)
    with pytest.raises(EnforcementRefused) as proof:
        presence.confirm(ctx, inspector, inspection["id"], code)
    with pytest.raises(EnforcementRefused) as decision:
        rechecks.decide(ctx, inspector, hazard_id, passed=True, now=today_at(10))
    assert (proof.value.reason, decision.value.reason) == ("enforcement_id_expired", "enforcement_id_expired")
    assert changed(before, _sums(ctx)) == []
    _expire(ctx, inspector.username, SUITE_TODAY)
    presence.confirm(ctx, inspector, inspection["id"], code)
    assert presence.record(ctx, inspection["id"])["presence_confirmed_by"] == inspector.username
    rechecks.decide(ctx, inspector, hazard_id, passed=False, reason="照片未显示整改", now=today_at(10))
    assert hazard_id not in [row["id"] for row in rechecks.pending(ctx, inspector)]


ROSTER_HEADER = ["用户名", "执法证号", "发证机关", "有效期至"]


def test_a_good_roster_records_and_renews_every_row(todays_visit, tmp_path):
    ctx = todays_visit.ctx
    accounts.create_user(ctx, "grid1", HELPER_PASSWORD, "inspector", department="market")
    old = _stored(ctx, "market1")
    until = SUITE_TODAY + dt.timedelta(days=365)
    path = write_csv(tmp_path / "执法证.csv", ROSTER_HEADER, [
        ["grid1", "吉2201-0099", "长春市人民政府", until.isoformat()],
        ["market1", old["enforcement_number"], old["enforcement_issuer"], old["enforcement_valid_until"].isoformat()],
        ["market2", "吉2201-0100", "长春市人民政府", until.isoformat()]])
    report = registry.import_roster(ctx, OFFICE, path)
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 1, 1, 1)
    assert (_stored(ctx, "grid1")["enforcement_number"], _stored(ctx, "grid1")["enforcement_valid_until"]) == \
        ("吉2201-0099", until)
    assert _stored(ctx, "market2")["enforcement_number"] == "吉2201-0100"
    assert _stored(ctx, "market1") == old
    book = openpyxl.Workbook()
    book.active.append(["username", "number", "issuer", "valid_until"])
    book.active.append(["grid1", "吉2201-0101", "长春市人民政府", dt.datetime.combine(until, dt.time())])
    book.save(tmp_path / "roster.xlsx")
    assert imports.import_roster(ctx, tmp_path / "roster.xlsx").updated == 1
    assert _stored(ctx, "grid1")["enforcement_number"] == "吉2201-0101"


def test_a_roster_with_bad_rows_is_refused_whole_naming_file_row_and_column(todays_visit, tmp_path):
    ctx = todays_visit.ctx
    before = _sums(ctx)
    bad = write_csv(tmp_path / "执法证.csv", ROSTER_HEADER, [
        ["market1", "吉2201-0001", "长春市人民政府", "2030-02-30"],
        ["market2", "", "长春市人民政府", "2030-01-01"]])
    with pytest.raises(ImportRefused) as refused:
        registry.import_roster(ctx, OFFICE, bad)
    assert refused.value.source == "执法证.csv"
    assert [(p.row, p.column, p.why.reason) for p in refused.value.problems] == \
        [(2, "有效期至", "no_such_date"), (3, "执法证号", "required")]
    unknown = write_csv(tmp_path / "roster.csv", ["username", "number", "issuer", "valid_until"], [
        ["market1", "吉2201-0001", "长春市人民政府", "2030-01-01"], ["office", "吉2201-0002", "长春市人民政府", "2030-01-01"],
        ["nobody", "吉2201-0003", "长春市人民政府", "2030-01-01"]])
    with pytest.raises(ImportRefused) as strangers:
        registry.import_roster(ctx, OFFICE, unknown)
    assert [(p.row, p.column, p.value, p.why.reason) for p in strangers.value.problems] == \
        [(3, "username", "office", "not_an_inspector"), (4, "username", "nobody", "not_an_inspector")]
    assert changed(before, _sums(ctx)) == []
