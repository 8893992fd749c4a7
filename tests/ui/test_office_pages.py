"""The safety office's pages in AppTest: every figure on the dashboard equals the CLI's `stats` on the
same database; overdue and major lists; supervision; extension decisions; and office-only reach."""
import datetime as dt
import json
import subprocess

import pytest

from inspections.domain.closure import COUNT_NAMES, FIGURE_NAMES, RATE_NAMES, format_rate
from tests.conftest import REPO, SUITE_TODAY, cli_command
from tests.ui.conftest import open_page, run, signed_in

TODAY = SUITE_TODAY


def _cli_stats(db, by):
    result = subprocess.run(cli_command("--db", str(db), "stats", "--by", by, "--as-of", TODAY.isoformat(), "--json"), capture_output=True, text=True, cwd=REPO, check=True)
    return json.loads(result.stdout)


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


@pytest.mark.parametrize("tab, by", [(0, "sector"), (1, "department"), (2, "level"), (3, "month")])
def test_dashboard_figures_equal_the_cli(app_env, tab, by):
    expected = _cli_stats(app_env, by)  # before the app holds the file
    at = signed_in("office")
    assert at.title[0].value == "隐患整改闭环统计"
    shown = at.tabs[tab].dataframe[0].value
    columns = list(shown.columns)[1:]
    assert len(columns) == len(FIGURE_NAMES)
    rows = expected["rows"]
    if by != "month":     # in the bars' order: closure rate, highest first, groups without a rate last
        rows = sorted(rows, key=lambda r: (r["closure_rate"] is None, -(r["closure_rate"] or 0)))
        rates = [r["closure_rate"] for r in rows if r["closure_rate"] is not None]
        assert rates == sorted(rates, reverse=True) and len(set(rates)) > 1, "the order is not trivial"
    shown_first = RATE_NAMES + COUNT_NAMES   # the rates first: never the columns cut off at 1280 px
    for position, row in enumerate(rows + [expected["total"]]):
        figures = row if "group" not in row else {k: v for k, v in row.items() if k != "group"}
        for column, name in zip(columns, shown_first):
            value = figures[name]
            want = format_rate(value) if name.endswith("_rate") else value
            assert shown.iloc[position][column] == want, (by, position, name)
    total = expected["total"]
    assert [m.value for m in at.metric][:5] == [str(total["found"]), format_rate(total["closure_rate"]),
                                              format_rate(total["on_time_rate"]), str(total["overdue_open"]),
                                              str(total["major_open"])]


def test_zero_denominators_show_a_dash(app_env):
    at = signed_in("office")
    at.date_input(key="dash_from").set_value(TODAY + dt.timedelta(days=1))
    run(at)
    assert [m.value for m in at.metric][:3] == ["0", "—", "—"]


def test_overdue_list_and_supervision(app_env):
    at = signed_in("office")
    overdue = _q("""SELECT count(*) FROM hazards WHERE found_on <= ? AND deadline < ?
                    AND (closed_on IS NULL OR closed_on > ?)""", [TODAY] * 3)[0][0]
    assert len(at.tabs[4].dataframe[0].value) == min(overdue, 500)
    majors = at.tabs[5].dataframe[0].value
    first = majors[majors["挂牌督办"] == ""].iloc[0]["ID"]     # one not supervised yet
    at.tabs[5].selectbox[0].set_value(first)
    at.tabs[5].button[0].click()        # without its unit, supervisor and deadline: refused, nothing written
    run(at)
    assert at.error and _q("SELECT supervised FROM hazards WHERE id = ?", [first]) == [(False,)]
    at.tabs[5].selectbox[0].set_value(first)
    at.tabs[5].text_input[0].input("区安委办（测试）")
    at.tabs[5].text_input[1].input("督办人（测试）")
    at.tabs[5].date_input[0].set_value(TODAY + dt.timedelta(days=15))
    at.tabs[5].text_input[2].input("挂牌督办（测试）")
    at.tabs[5].button[0].click()
    run(at)
    assert _q("SELECT supervised, supervising_unit, supervisor, supervision_deadline FROM hazards WHERE id = ?",
              [first]) == [(True, "区安委办（测试）", "督办人（测试）", TODAY + dt.timedelta(days=15))]
    assert _q("SELECT action, note FROM hazard_events WHERE hazard_id = ? ORDER BY occurred_at DESC LIMIT 1",
              [first]) == [("supervise", "挂牌督办（测试）")]
    supervised = at.tabs[5].dataframe[1].value       # the supervised hazards, with the new one's details
    assert "区安委办（测试）" in list(supervised[supervised["ID"] == first]["督办单位"])


def test_extension_decision_page(app_env):
    from inspections.domain.hazards import Level, Status
    from inspections.services.enterprise import rectification
    from inspections.services.shared.auth import User
    from inspections.store import hazards as hazard_store
    from inspections.ui.runtime import context
    at = signed_in("office")
    code = _q("SELECT enterprise_code FROM users WHERE username = 'ent03'")[0][0]
    base = hazard_store.for_enterprise(context().db, code)[0]
    major = base.model_copy(update={"id": "EXT-UI", "level": Level.MAJOR, "status": Status.OPEN, "closed_on": None,
                                    "rectified_on": None, "found_on": TODAY - dt.timedelta(days=70),
                                    "deadline": TODAY + dt.timedelta(days=5)})
    context().db.write(lambda c: hazard_store.insert_hazards(c, [major]))
    rectification.request_extension(context(), User("ent03", "e", "enterprise", enterprise_code=code), "EXT-UI",
                                     TODAY + dt.timedelta(days=40), "设备未到货")
    at = open_page(at, "extensions")
    assert any(r"EXT\-UI" in m.value for m in at.markdown)  # the id escaped for Markdown (labels.plain)
    at.get("form_submit_button")[0].click()  # approve: 110 days after the finding, no reason given
    run(at)
    assert at.error[0].value.startswith("新期限距发现已 110 天")
    at.text_input[0].input("专家论证需停产改造")
    at.get("form_submit_button")[0].click()
    run(at)
    assert _q("SELECT deadline FROM hazards WHERE id = 'EXT-UI'") == [(TODAY + dt.timedelta(days=40),)]
    assert _q("SELECT status FROM extension_requests WHERE hazard_id = 'EXT-UI'") == [("approved",)]


@pytest.mark.parametrize("username", ["market1", "ent01"])
def test_only_the_office_reaches_office_pages(app_env, username):
    for path in ("dashboard", "extensions"):
        at = open_page(signed_in(username), path)
        assert at.title[0].value not in ("隐患整改闭环统计", "重大隐患延期审批")
        assert not at.metric


def test_a_major_accepted_on_site_is_closed_by_the_offices_approval(app_env):
    from inspections.ui.labels import plain
    department, hazard_id = _q("""SELECT department, id FROM hazards WHERE status = 'submitted' AND level = 'major'
        ORDER BY deadline, id LIMIT 1""")[0]                   # a major of the demo waiting for its re-check
    inspector = open_page(signed_in(f"{department}1"), "rechecks")
    reported = _q("SELECT rectified_on FROM hazards WHERE id = ?", [hazard_id])[0][0]
    from inspections.services.shared.hazard_rules import major_hazard_rules
    due = reported + dt.timedelta(days=major_hazard_rules().acceptance_days)   # inspections/rules/hazards.yaml
    if due >= SUITE_TODAY:       # on time: when it is due; late: flagged, first (services.inspector.rechecks)
        assert f"重大隐患须于 {due} 前完成现场验收（16号令）" in [c.value for c in inspector.caption]
    else:
        assert any(w.value.startswith(f"现场验收已逾期：应于 {due} 前完成") for w in inspector.warning)
    inspector.button(key=f"pass-{hazard_id}").click()
    run(inspector)
    assert f"确认重大隐患 {plain(hazard_id)} 现场验收合格？销号须经安委办审批。" in [w.value for w in inspector.warning]
    inspector.button(key=f"confirm-pass-{hazard_id}").click()
    run(inspector)
    assert f"重大隐患 {plain(hazard_id)} 已验收合格，待安委办审批销号。" in [s.value for s in inspector.success]
    assert _q("SELECT status, accepted_by FROM hazards WHERE id = ?", [hazard_id]) == [("submitted", f"{department}1")]
    at = signed_in("office")
    form = [b for b in at.get("form_submit_button") if b.proto.form_id == "approve_closure"]
    picker = next(s for s in at.tabs[5].selectbox if s.label == "选择待审批的重大隐患")
    picker.set_value(hazard_id)
    form[1].click()                                            # keep it open: a reason is required
    run(at)
    assert at.error and _q("SELECT status FROM hazards WHERE id = ?", [hazard_id]) == [("submitted",)]
    next(s for s in at.tabs[5].selectbox if s.label == "选择待审批的重大隐患").set_value(hazard_id)
    next(b for b in at.get("form_submit_button") if b.proto.form_id == "approve_closure").click()   # approve
    run(at)
    assert _q("SELECT status, closed_on FROM hazards WHERE id = ?", [hazard_id]) == [("closed", TODAY)]
    assert _q("SELECT action, actor FROM hazard_events WHERE hazard_id = ? ORDER BY occurred_at DESC, rowid DESC LIMIT 2",
              [hazard_id]) == [("close", "office"), ("accept", f"{department}1")]


def test_the_exports_page_offers_the_supervised_hazards(app_env):
    at = open_page(signed_in("office"), "exports")
    total = _q("SELECT count(*) FROM hazards WHERE supervised AND found_on <= ? AND (closed_on IS NULL OR closed_on > ?)",
               [TODAY, TODAY])[0][0]
    assert f"共 {total} 条未销号的挂牌督办隐患" in [c.value for c in at.caption]
    assert "挂牌督办隐患" in [s.value for s in at.subheader]
    assert len(at.get("download_button")) >= 4     # the ledger twice, the statistics, the supervised hazards
