"""Registry, accounts and exports pages (safety office) in AppTest."""
import io

import pytest
from openpyxl import load_workbook

from inspections.domain import credit_code
from tests.checksums import CHANGED_BY_ANY_REQUEST, changed, table_checksums
from tests.ui.conftest import PASSWORD, open_page, run, signed_in
from tests.conftest import SUITE_TODAY


def _q(sql, params=()):
    from inspections.ui.runtime import context
    return context().db.query(sql, list(params))


@pytest.fixture
def registry_page(app_env):
    return open_page(signed_in("office"), "registry")


@pytest.mark.parametrize("text", ["' OR 1=1 --", "%", "_", "\"; DROP TABLE enterprises; --", "\\"])
def test_search_treats_sql_metacharacters_as_text(registry_page, text):
    at = registry_page
    at.text_input(key="reg_text").input(text)
    run(at)
    assert any(c.value == "共 0 家" for c in at.caption)
    assert _q("SELECT count(*) FROM enterprises")[0][0] >= 60


def test_search_and_filters(registry_page):
    at = registry_page
    at.text_input(key="reg_text").input("加油站")
    at.selectbox(key="reg_tier").set_value(None)
    run(at)
    expected = _q("SELECT count(*) FROM enterprises WHERE contains(name, '加油站')")[0][0]
    assert expected > 0 and any(c.value == f"共 {expected} 家" for c in at.caption)


def test_add_refuses_a_wrong_check_character_then_adds(registry_page):
    at = registry_page
    at.expander[1].text_input[0].input("91350100M000100Y44")
    at.expander[1].text_input[1].input("（演示）新登记企业")
    at.expander[1].multiselect[0].set_value(["fire"])
    at.get("form_submit_button")[0].click()
    run(at)
    assert "校验位是“4”，按 GB 32100-2015 应为“3”" in at.error[0].value   # the cause in Chinese, what was typed as text
    code = credit_code.complete("91220100NEWC10001")
    at.expander[1].text_input[0].input(code)
    at.get("form_submit_button")[0].click()
    run(at)
    assert _q("SELECT name, sectors FROM enterprises WHERE code = ?", [code]) == [("（演示）新登记企业", ["fire"])]


def test_import_refused_shows_the_row_table_and_writes_nothing(registry_page, tmp_path):
    at = registry_page
    before = table_checksums(_q, CHANGED_BY_ANY_REQUEST)
    bad = "code,name,sectors\n91350100M000100Y43,甲,消防\n91350100M000100Y44,乙,消防\n".encode("gbk")
    at.get("file_uploader")[0].upload("registry.csv", bad, "text/csv")
    run(at)
    assert at.error[0].value == "文件 registry\\.csv 未导入（1 个问题），请按下表逐行修改："
    table = at.dataframe[-1].value
    assert table.iloc[0].tolist() == ["registry.csv", 3, "code", "91350100M000100Y44",
                                      "校验位是“4”，按 GB 32100-2015 应为“3”"]
    assert changed(before, table_checksums(_q, CHANGED_BY_ANY_REQUEST)) == []


def test_an_import_row_error_is_chinese_and_names_the_column_as_the_file_header_wrote_it(registry_page):
    """Issue 'One language': the row errors were English sentences naming `code` although the file's
    header said 统一社会信用代码. Each problem is a row of the table in the page's language: the file, the
    row, the column as the header wrote it, the value and why."""
    at = registry_page
    before = table_checksums(_q, CHANGED_BY_ANY_REQUEST)
    bad = ("统一社会信用代码,企业名称,行业领域,风险等级\n"
           "91350100M000100Y43,甲,消防,B\n"
           "91350100M000100Y44,乙,矿山,E\n"
           "91350100M000100Y43,丙,消防,A\n").encode("utf-8")
    at.get("file_uploader")[0].upload("名录.csv", bad, "text/csv")
    run(at)
    assert at.error[0].value == "文件 名录\\.csv 未导入（4 个问题），请按下表逐行修改："
    table = at.dataframe[-1].value
    assert list(table.columns) == ["文件", "行", "列", "内容", "原因"]
    assert [row[1:] for row in table.itertuples(index=False, name=None)] == [
        (3, "统一社会信用代码", "91350100M000100Y44", "校验位是“4”，按 GB 32100-2015 应为“3”"),
        (3, "行业领域", "矿山", "未知的行业领域"),
        (3, "风险等级", "E", "风险等级须为 A、B、C 或 D"),
        (4, "统一社会信用代码", "91350100M000100Y43", "重复：第 2 行的“统一社会信用代码”与此相同")]
    assert set(table["文件"]) == {"名录.csv"}
    assert changed(before, table_checksums(_q, CHANGED_BY_ANY_REQUEST)) == []


def test_the_uploaders_say_and_keep_their_own_limits(registry_page):
    """The registry import takes the importer's 50 MB (the served maxUploadSize); photos 10 MB each
    (tests/scripts/test_served_config.py checks the same figures against the config)."""
    from inspections.readers import tabular
    uploader = registry_page.get("file_uploader")[0]
    assert uploader.proto.max_upload_size_mb == tabular.MAX_BYTES // 1048576 == 50


def test_accounts_create_reset_deactivate(app_env):
    from inspections.services.shared import auth
    from inspections.ui.runtime import context
    at = open_page(signed_in("office"), "accounts")
    form = at.expander[0]
    form.selectbox[0].set_value("inspector")
    form.text_input[0].input("housing9")
    form.text_input[1].input("住建局·新同事")
    form.text_input[2].input("Start@2026x")
    form.selectbox[1].set_value("housing")
    at.get("form_submit_button")[0].click()
    run(at)
    assert any(s.value == "已创建账号 housing9" for s in at.success)
    assert auth.sign_in(context(), "housing9", "Start@2026x").department == "housing"
    manage = at.expander[1]
    manage.selectbox[0].set_value("housing9")
    manage.text_input[0].input("Zhujian-2026")
    at.get("form_submit_button")[1].click()
    run(at)
    assert auth.sign_in(context(), "housing9", "Zhujian-2026").username == "housing9"
    at.expander[1].selectbox[0].set_value("housing9")
    at.get("form_submit_button")[2].click()
    run(at)
    with pytest.raises(auth.SignInError) as inactive:
        auth.sign_in(context(), "housing9", "Zhujian-2026")
    assert inactive.value.reason == "inactive"
    assert "password_hash" not in str([d.value for d in at.dataframe])
    trail = at.dataframe[-1].value                                # the audit trail, newest first
    assert list(trail["操作"][:3]) == ["停用账号", "重置密码", "创建账号"]
    assert set(trail["对象"][:3]) == {"housing9"} and trail["操作人"][0].endswith("（office）")


def test_a_weak_password_is_refused_on_the_page_with_the_reason(app_env):
    at = open_page(signed_in("office"), "accounts")
    form = at.expander[0]
    form.selectbox[0].set_value("office")
    form.text_input[0].input("office9")
    form.text_input[2].input("Demo@2026")                      # the README's password
    at.get("form_submit_button")[0].click()
    run(at)
    shown = at.error[0].value                                  # translated, every reason (issue 16 #3)
    assert shown.startswith("密码不符合要求：") and "密码至少需要 10 个字符" in shown, shown
    assert not any("office9" in s.value for s in at.success)


def test_exports_are_office_only_and_formula_safe(app_env):
    from inspections.services.data import exports
    from inspections.services.office import oversight
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    at = open_page(signed_in("office"), "exports")
    assert [b.key for b in at.get("download_button")] == ["exp_xlsx", "exp_csv", "exp_stats_xlsx", "exp_supervised_xlsx"]
    hazard = _q("SELECT id FROM hazards LIMIT 1")[0][0]
    context().db.write(lambda c: c.execute("UPDATE hazards SET description = '=HYPERLINK(\"http://x\")' WHERE id = ?", [hazard]))
    report = oversight.stats(context(), User("office", "o", "office"), "sector", SUITE_TODAY)
    book = load_workbook(io.BytesIO(exports.stats_xlsx(report, {"roads": "=道路"})))
    values = [row[0].value for row in book.active.iter_rows(min_row=3)]
    assert "=道路" in values and all(row[0].data_type == "s" for row in book.active.iter_rows(min_row=3))
    for username in ("market1", "ent01"):
        other = open_page(signed_in(username), "exports")
        assert not [b for b in other.get("download_button") if b.key.startswith("exp_")]
        assert other.title[0].value != "数据导出"


def test_the_office_backs_up_the_running_app_and_can_download_it(app_env):
    """The download is offered only after the office user's password again (issue 18 #10b): a wrong one is
    refused and counted; the .zip holds no signing secret (#10a)."""
    import zipfile

    at = open_page(signed_in("office"), "exports")
    assert [i.value for i in at.info] == ["还没有在系统内做过备份。"]
    next(b for b in at.button if b.key == "backup_now").click()
    run(at)
    done = [s.value for s in at.success]
    assert len(done) == 1 and "已备份到" in done[0] and str(app_env.parent / "backups") in done[0].replace("\\", "")
    folders = list((app_env.parent / "backups").iterdir())
    assert len(folders) == 1 and (folders[0] / "manifest.json").is_file()
    assert at.selectbox(key="backup_choice").value == folders[0].name
    exports_only = len(at.get("download_button"))              # the ledger (2), statistics, supervised: no backup yet
    assert not [b for b in at.get("download_button") if b.key.startswith("backup")]
    failures = _q("SELECT failed_attempts FROM users WHERE username = 'office'")[0][0]
    at.text_input(key="backup_password").input("wrong password")
    next(b for b in at.get("form_submit_button") if b.proto.form_id == "backup_unlock").click()
    run(at)
    assert [e.value for e in at.error] == ["密码错误，未提供下载（计为一次登录失败）。"]
    assert len(at.get("download_button")) == exports_only
    assert _q("SELECT failed_attempts FROM users WHERE username = 'office'")[0][0] == failures + 1
    at.text_input(key="backup_password").input(PASSWORD)
    next(b for b in at.get("form_submit_button") if b.proto.form_id == "backup_unlock").click()
    run(at)
    assert not at.error and len(at.get("download_button")) == exports_only + 1     # the backup too, now
    from inspections.services.office import backup
    from inspections.services.shared.auth import User
    from inspections.ui.runtime import context
    office = User("office", "o", "office")
    archive = backup.backup_zip(context(), office, folders[0].name,
                                backup.confirm_password(context(), office, PASSWORD))
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert f"{folders[0].name}/manifest.json" in names and f"{folders[0].name}/files/secret.key" not in names


def test_editing_an_enterprise_starts_from_every_stored_field_and_changes_only_the_edited_one(registry_page):
    at = registry_page
    code, name, address, contact, phone, tier, scenario = _q(
        "SELECT code, name, address, contact, phone, tier, scenario FROM enterprises "
        "WHERE address <> '' AND contact <> '' AND phone <> '' AND scenario IS NOT NULL ORDER BY name LIMIT 1")[0]
    at.selectbox(key="reg_pick").set_value(code)
    run(at)
    form = at.expander[1]
    assert [form.text_input(key=f"reg-{code}-{f}").value for f in ("code", "name", "address", "contact", "phone")] == \
        [code, name, address, contact, phone]
    assert form.text_input(key=f"reg-{code}-code").disabled
    assert (form.selectbox(key=f"reg-{code}-tier").value, form.selectbox(key=f"reg-{code}-scenario").value) == \
        (tier, scenario)
    form.text_input(key=f"reg-{code}-name").input(name + "（更名）")
    at.get("form_submit_button")[0].click()
    run(at)
    assert at.success and _q("SELECT name, address, contact, phone, tier, scenario FROM enterprises WHERE code = ?",
                             [code]) == [(name + "（更名）", address, contact, phone, tier, scenario)]
