"""The 12345 work orders' import (services.requests.work_orders): a GBK CSV with Chinese headers, an
.xlsx with English ones, bad rows named by row and column as the file wrote them (nothing written),
importing the same file twice changing nothing, and a changed row updating its ticket with an event."""
import datetime as dt

import pytest

from inspections.domain.rows import ImportRefused
from inspections.domain.tickets import Satisfaction, Source, Status
from inspections import messages
from inspections.services.requests.work_orders import import_work_orders
from inspections.store import tickets as ticket_store
from tests.conftest import code, district_time, write_csv

ZH = ["工单编号", "受理时间", "来源", "诉求类型", "诉求内容", "事发地址", "统一社会信用代码", "承办部门", "签收时间",
      "办理时限", "办结时间", "是否解决", "回访结果"]
EN = ["ticket_id", "received_at", "source", "category", "content", "address", "enterprise_code", "department",
      "signed_at", "due_on", "replied_at", "resolved", "callback"]


def rows(department: str) -> list[list[object]]:
    return [
        ["GD20260501001", "2026-05-06 09:15", "12345", "一般诉求", "小区门口堆放杂物堵塞消防通道", "幸福路 1 号", "",
         department, "2026-05-06 14:00", "2026-05-11", "2026-05-11 16:30", "是", "满意"],
        ["GD20260501002", "2026-05-07 10:00", "网格", "咨询", "询问动火作业审批", "", code(7), "", "", "", "", "", ""],
    ]


@pytest.fixture
def clock_in_may(ctx):
    ctx.clock.set(district_time(2026, 5, 20, 9, 0))
    return ctx


def test_a_gbk_file_with_chinese_headers_imports_and_twice_changes_nothing(clock_in_may, tmp_path):
    ctx = clock_in_may
    department = ctx.catalogue.department_ids[0]
    title = next(d.title.zh for d in ctx.catalogue.departments if d.id == department)   # named in Chinese
    path = write_csv(tmp_path / "工单.csv", ZH, rows(title), encoding="gbk")
    report = import_work_orders(ctx, path)
    assert (report.rows, report.created, report.updated, report.unchanged) == (2, 2, 0, 0)
    first = ticket_store.get(ctx.db, "GD20260501001")
    assert (first.source, first.category, first.department, first.status, first.resolved, first.callback) == \
        (Source.HOTLINE, "request", department, Status.CALLED_BACK, True, Satisfaction.SATISFIED)
    assert (first.received_at, first.replied_at, first.due_on) == \
        (district_time(2026, 5, 6, 9, 15), district_time(2026, 5, 11, 16, 30), dt.date(2026, 5, 11))
    assert first.called_back_at == ctx.clock.instant()      # the file gives no time: the import's moment
    second = ticket_store.get(ctx.db, "GD20260501002")
    assert (second.source, second.category, second.enterprise_code, second.status) == \
        (Source.GRID, "consultation", code(7), Status.RECEIVED)
    ctx.clock.advance(dt.timedelta(days=1))
    again = import_work_orders(ctx, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert ctx.db.scalar("SELECT count(*) FROM ticket_events") == 2
    assert ticket_store.get(ctx.db, "GD20260501001").called_back_at == district_time(2026, 5, 20, 9, 0)


def test_english_headers_in_a_workbook_and_a_changed_row_updates_with_an_event(clock_in_may, tmp_path):
    from openpyxl import Workbook
    ctx = clock_in_may
    department = ctx.catalogue.department_ids[0]
    book = Workbook()
    sheet = book.active
    sheet.append(EN)
    data = rows(department)
    data[1][1] = dt.datetime(2026, 5, 7, 10, 0)           # a workbook's own date-time cell
    for row in data:
        sheet.append(row)
    path = tmp_path / "orders.xlsx"
    book.save(path)
    assert import_work_orders(ctx, path).created == 2
    assert ticket_store.get(ctx.db, "GD20260501002").received_at == district_time(2026, 5, 7, 10, 0)
    sheet.cell(row=3, column=8, value=department)           # the second order assigned, signed, replied
    sheet.cell(row=3, column=9, value="2026-05-07 15:00")
    sheet.cell(row=3, column=11, value="2026-05-08 09:00")
    book.save(path)
    report = import_work_orders(ctx, path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    changed = ticket_store.get(ctx.db, "GD20260501002")
    assert (changed.department, changed.status, changed.replied_at) == \
        (department, Status.ANSWERED, district_time(2026, 5, 8, 9, 0))
    trail = ticket_store.events(ctx.db, "GD20260501002")
    assert [(e.action, e.from_status, e.to_status) for e in trail] == \
        [("import", None, Status.RECEIVED), ("import", Status.RECEIVED, Status.ANSWERED)]
    assert trail[-1].note == "imported from orders.xlsx"


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(clock_in_may, tmp_path):
    ctx = clock_in_may
    data = rows(ctx.catalogue.department_ids[0])
    data[0][1] = "2026-13-06 09:15"               # row 2: no such date
    data[0][10] = "2026-05-01 08:00"              # and replied before received (unreadable received: not compared)
    data[0][11] = "也许"                           # resolved: neither 是 nor 否
    data[1][2] = "微博"                            # row 3: unknown source
    data[1][3] = ""                               # category missing
    data[1][6] = "91220100000000000X"             # a bad credit code
    data[1][12] = "满意"                           # a callback without a reply
    data.append(list(data[0]))                    # row 4: the same number again
    data[2][1] = "2026-05-06 09:15"
    path = write_csv(tmp_path / "bad.csv", ZH, data)
    with pytest.raises(ImportRefused) as refused:
        import_work_orders(ctx, path)
    found = {(p.row, p.column, p.why.reason) for p in refused.value.problems}
    assert {(2, "受理时间", "no_such_date"), (2, "是否解决", "not_yes_no"), (3, "来源", "unknown_ticket_source"),
            (3, "诉求类型", "required"), (3, "统一社会信用代码", "credit_code"), (3, "办结时间", "callback_needs_reply"),
            (4, "工单编号", "duplicate"), (4, "办结时间", "date_before"), (4, "是否解决", "not_yes_no")} == found
    lines = messages.import_problems(refused.value, "en")
    assert "row 3, column 来源: '微博': the source should be 12345" in " ".join(lines)
    assert ctx.db.scalar("SELECT count(*) FROM tickets") == 0


def test_a_work_order_number_of_the_apps_own_ticket_is_refused(clock_in_may, tmp_path):
    from inspections.services.requests import tickets
    from inspections.services.shared.auth import User
    ctx = clock_in_may
    own = tickets.raise_ticket(ctx, User("grid1", "网格员", "grid"), "通道堵塞", address="幸福路").id
    data = rows(ctx.catalogue.department_ids[0])
    data[0][0] = own
    with pytest.raises(ImportRefused) as refused:
        import_work_orders(ctx, write_csv(tmp_path / "clash.csv", ZH, data))
    assert [(p.row, p.column, p.why.reason) for p in refused.value.problems] == [(2, "工单编号", "ticket_id_taken")]
    assert ctx.db.scalar("SELECT count(*) FROM tickets") == 1
