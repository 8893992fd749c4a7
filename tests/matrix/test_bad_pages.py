"""The bad-input matrix (tests/matrix/helpers.py), the pages (AppTest): uploads, the registry import, the
verify, sign-in and check-in boxes, the camera."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from tests.checksums import CHANGED_BY_ANY_REQUEST, table_checksums
from tests.conftest import jpeg
from tests.matrix.conftest import photo_files
from tests.ui.conftest import app, open_page, run, signed_in
from tests.matrix.helpers import PDF, REG_BAD, REG_GOOD, SIGN_IN_NAMES, bomb_png, message, shown


def page_state(page_db: Path) -> tuple[dict, list]:
    """"Nothing written" for the page tests, read through the app's own (cached) context on the file; a
    session's last_seen_at, which every signed-in run moves, is left out."""
    from inspections.ui.runtime import context
    return table_checksums(context().db.query, CHANGED_BY_ANY_REQUEST), photo_files(page_db)


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _run_tolerating_fragment_rerun(at):
    """AppTest runs whole scripts only: a card that answers an upload with st.rerun(scope="fragment") fails
    there with this one error (in a browser the upload itself reruns the fragment, where that is allowed)."""
    at.run()
    assert all("can only be specified from `@st.fragment`" in e.message for e in at.exception), at.exception


def test_page_inspector_photo_upload_names_the_refused_file(page_db, template):
    w = template[1]
    at = open_page(signed_in(w.walk_inspector.username), "inspection", inspection=w.walk_id)
    before = page_state(page_db)
    next(u for u in at.file_uploader if u.key.startswith(f"up-{w.walk_item}-")).set_value(
        [("report.jpg", PDF, "image/jpeg")])
    _run_tolerating_fragment_rerun(at)
    run(at)
    assert shown("photo_not_image", "zh", name="report.jpg") in _errors(at)
    assert page_state(page_db) == before


def test_page_self_check_photo_upload_names_the_refused_file(page_db, template):
    w = template[1]
    at = open_page(signed_in(w.self_user.username), "self-check", inspection=w.self_id)
    before = page_state(page_db)
    item = w.self_items["script-tag"]
    next(u for u in at.file_uploader if u.key.startswith(f"sup-{item}-")).set_value(
        ("notes.jpg", "现场情况说明".encode(), "image/jpeg"))
    try:
        _run_tolerating_fragment_rerun(at)
        at.run()
        assert not at.exception, at.exception
        assert shown("photo_not_image", "zh", name="notes.jpg") in _errors(at)
    finally:
        assert page_state(page_db) == before


def test_page_rectification_upload_names_the_refused_file(page_db, template):
    w = template[1]
    at = open_page(signed_in(w.enterprise_user.username), "our-hazards")
    before = page_state(page_db)
    at.text_area(key=f"what-{w.rect_hazard}").input("已更换灭火器")
    next(u for u in at.file_uploader if u.key == f"evidence-{w.rect_hazard}").set_value(
        [("after.jpg", jpeg(800, 600), "image/jpeg"), ("report.jpg", PDF, "image/jpeg")])
    next(b for b in at.button if (b.key or "").startswith(f"FormSubmitter:rectify-{w.rect_hazard}")).click()
    try:
        run(at)
        assert _errors(at) and all("不是图片" in e for e in _errors(at))  # the refusal is shown ...
        assert any(shown("photo_not_image", "zh", name="report.jpg") in e for e in _errors(at))  # naming it
        assert not any("after" in e for e in _errors(at))                     # and only the refused one
    finally:
        assert page_state(page_db) == before


# (file name, bytes, the row, column and value the page's table shows, the Chinese why)
REGISTRY_UPLOADS = [
    pytest.param("registry.csv", "code,name,sectors\n91220100034A4B261A,甲,消防\n".encode("utf-16"),
                 (None, None, None), "文件既不是 UTF-8 也不是 GBK 编码的文本", id="utf16-csv"),
    pytest.param("registry.csv", f"code,name,sectors\n{REG_BAD},甲,消防\n".encode("gbk"), (2, "code", REG_BAD),
                 f"校验位是“{REG_BAD[17]}”，按 GB 32100-2015 应为“{REG_GOOD[17]}”", id="gbk-csv-wrong-check-character"),
    pytest.param("registry.xlsx", b"code,name,sectors\n", (None, None, None), "无法读取的 .xlsx 工作簿（BadZipFile）",
                 id="xlsx-that-is-really-csv"),
    pytest.param("registry.csv", b"", (None, None, None), "文件是空的", id="empty-file"),
]


@pytest.fixture(scope="module")
def registry_page(page_db):
    return open_page(signed_in("office"), "registry")


@pytest.mark.parametrize("name, data, where, why", REGISTRY_UPLOADS)
def test_page_registry_import_shows_the_problem_table(page_db, registry_page, name, data, where, why):
    """The refusal and its table in the page's language (Chinese): file, row, column, value and why."""
    at = registry_page
    before = page_state(page_db)
    at.get("file_uploader")[0].upload(name, data, "application/octet-stream")
    run(at)
    assert _errors(at) == [shown("reg_import_refused", "zh", name=name, count=1)]
    problems = at.dataframe[-1].value
    assert list(problems.columns) == ["文件", "行", "列", "内容", "原因"]
    (file, row, column, value, shown_why), = problems.itertuples(index=False)
    assert file == name and why in shown_why
    assert [None if v is None or v != v else v for v in (row, column, value)] == list(where)  # NaN: no row
    assert page_state(page_db) == before


@pytest.fixture(scope="module")
def verify_page(page_db):
    return open_page(run(app()), "verify")


VERIFY_CODES = [
    pytest.param("' OR 1=1 --", id="sql-or-1-equals-1"),
    pytest.param("'; DROP TABLE inspections; --", id="sql-drop-table"),
    pytest.param("IO1.x' OR '1'='1.91220100034A4B261A.20260101.abc", id="sql-in-code-part"),
    pytest.param("IO1." + "A" * 10_000, id="10000-characters"),
    pytest.param("IO1.JC20260101-0001.91220100034A4B261A.20260101.签名", id="non-ascii-signature",
                 marks=()),
]


@pytest.mark.parametrize("code", VERIFY_CODES)
def test_page_verify_says_invalid(page_db, verify_page, code):
    at = verify_page
    before = page_state(page_db)
    at.text_input(key="verify_token").input(code)
    run(at)
    assert _errors(at) == [message("verify_invalid", "zh")]
    assert not at.success and page_state(page_db) == before


@pytest.fixture(scope="module")
def sign_in_page(page_db):
    return run(app())


@pytest.mark.parametrize("username", SIGN_IN_NAMES)
def test_page_sign_in_with_sql_username_says_wrong_username_or_password(page_db, sign_in_page, username):
    at = sign_in_page
    before = page_state(page_db)
    at.text_input[0].input(username)
    at.text_input[1].input("Demo@2026")
    at.button[0].click()
    run(at)
    assert _errors(at) == [message("sign_in_invalid", "zh")]
    assert page_state(page_db) == before


@pytest.fixture(scope="module")
def check_in_page(page_db):
    return open_page(signed_in("traffic_police1"), "check-in")


@pytest.mark.parametrize("typed", [pytest.param("' OR 1=1 --", id="or-1-equals-1"),
                                   pytest.param("';DROP TABLE x;--", id="drop-table"),
                                   pytest.param("%_\\", id="like-wildcards")])
def test_page_check_in_typed_sql_says_bad_code(page_db, check_in_page, typed):
    at = check_in_page
    before = page_state(page_db)
    next(t for t in at.text_input if t.label == message("check_in_typed", "zh")).input(typed)
    next(b for b in at.button if b.label == message("check_in_button", "zh")).click()
    run(at)
    assert _errors(at) == [shown("error_bad_code", "zh", code=typed)]
    assert page_state(page_db) == before


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 110, 120)).save(out, format="GIF")
    return out.getvalue()


# A photo sent as the camera's (the browser says image/jpeg whatever it holds): (bytes, the message key)
CAMERA_PHOTOS = [
    pytest.param(lambda: bomb_png(10950), "check_in_image_pixels", id="png-10950x10950-120-megapixels"),
    pytest.param(lambda: bomb_png(30000), "check_in_image_pixels", id="png-30000x30000-900-megapixels"),
    pytest.param(_gif, "check_in_image_format", id="gif"),
    pytest.param(lambda: PDF, "check_in_no_qr", id="pdf"),
]


@pytest.mark.parametrize("data, key", CAMERA_PHOTOS)
def test_page_verify_camera_photo_is_refused_in_words(page_db, data, key):
    """The public /verify page, signed out: a refusal in Chinese, never a traceback."""
    at = open_page(run(app()), "verify")
    at.toggle(key="verify_scan").set_value(True)
    run(at)
    at.camera_input(key="verify_photo").set_value(("photo.jpg", data(), "image/jpeg"))
    run(at)
    assert [w.value for w in at.warning] == [message(key, "zh")]
    assert not at.exception and not at.error and not at.success


@pytest.mark.parametrize("data, key", CAMERA_PHOTOS)
def test_page_check_in_camera_photo_is_refused_in_words(page_db, data, key):
    at = open_page(signed_in("traffic_police1"), "check-in")
    before = page_state(page_db)
    at.camera_input(key="check_in_photo").set_value(("photo.jpg", data(), "image/jpeg"))
    run(at)
    assert [w.value for w in at.warning] == [message(key, "zh")]
    assert not at.exception and not at.error and page_state(page_db) == before
