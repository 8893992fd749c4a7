"""The tablet in a plant, in a real browser at 1024x768 with touch, against `streamlit run` as the README
starts it: a reload mid-visit keeps the sign-in, the page and the place (the first open item in view);
a cookie replayed after sign-out is refused; the finish panel is there the moment the last item is
answered, without touching a section tab."""
from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.e2e.helpers import PASS, goto, item_cards, screenshot, sign_in, wait_idle

COOKIE = "inspect_once_session"


def _session_cookie(page, timeout: float = 10) -> dict:
    """The HttpOnly session cookie, once the page has handed it to the browser."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("the browser never got the session cookie")


def _pass(page, card) -> None:
    card.get_by_role("radio", name=PASS).click()
    wait_idle(page)
    expect(card.get_by_text(re.compile("^已保存"))).to_be_visible(timeout=15000)


def test_a_reload_mid_visit_keeps_the_sign_in_the_page_and_the_place(app_server, tablet):
    page, visit = tablet, app_server.field_visits[0]
    goto(page, f"{app_server.url}/?enterprise={visit['code']}")
    sign_in(page, "traffic_police2")
    heading = page.get_by_role("heading", name=re.compile(visit["name"]))
    expect(heading).to_be_visible(timeout=20000)
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    taps = []
    for index in range(4):
        begun = time.monotonic()
        _pass(page, item_cards(page).nth(index))
        taps.append(time.monotonic() - begun)
    print(f"tap to saved: {', '.join(f'{t:.2f}' for t in taps)} s")
    address = page.url
    begun = time.monotonic()
    page.reload()
    wait_idle(page)
    expect(heading).to_be_visible(timeout=20000)
    assert page.url == address and not page.locator("input[autocomplete='current-password']").count()
    first_open = item_cards(page).nth(4)
    expect(first_open).to_be_in_viewport(timeout=5000)
    reload_to_first_open = time.monotonic() - begun
    box = first_open.bounding_box()
    assert 0 <= box["y"] < 768, box
    screenshot(page, "field_reload_first_open_item")
    print(f"reload to first open item in view: {reload_to_first_open:.2f} s")


def test_a_cookie_replayed_after_sign_out_is_refused(app_server, browser):
    first = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, locale="zh-CN")
    try:
        page = first.new_page()
        goto(page, app_server.url)
        sign_in(page, "market1")
        cookie = _session_cookie(page)
        page.get_by_role("button", name="退出登录").click()
        wait_idle(page)
        expect(page.locator("input[autocomplete='current-password']")).to_be_visible(timeout=15000)
    finally:
        first.close()
    replay = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, locale="zh-CN")
    try:
        replay.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path", "httpOnly", "sameSite")}])
        page = replay.new_page()
        goto(page, f"{app_server.url}/my-inspections")
        expect(page.locator("input[autocomplete='current-password']")).to_be_visible(timeout=15000)
    finally:
        replay.close()


def test_the_finish_panel_is_there_once_the_last_item_is_answered(app_server, tablet):
    """Answering card by card re-runs only the card; the first answer to each item also redraws the
    page: the count after every answer, the next section once one is complete, and, after the last
    item, no banner and the finish panel."""
    page, visit = tablet, app_server.field_visits[1]
    goto(page, f"{app_server.url}/?enterprise={visit['code']}")
    sign_in(page, "traffic_police2")
    expect(page.get_by_role("heading", name=re.compile(visit["name"]))).to_be_visible(timeout=20000)
    total = visit["items"]
    for n in range(1, total + 1):
        # the page moves on by itself: the section of the next open item is shown once one is complete
        open_card = item_cards(page).filter(has_not=page.get_by_text(re.compile("^已保存"))).first
        open_card.get_by_role("radio", name=PASS).click()
        wait_idle(page)
        expect(page.get_by_text(f"进度：已答 {n} / {total} 项")).to_be_visible(timeout=15000)
        if n < total:
            expect(page.get_by_text(re.compile("^下一个未答事项"))).to_have_count(1)
    expect(page.get_by_text(re.compile("^下一个未答事项"))).to_have_count(0)
    expect(page.get_by_role("button", name="确认完成并下达整改通知")).to_be_visible(timeout=15000)


def test_two_tablets_on_one_joint_visit_never_overwrite_each_other_silently(app_server, browser):
    """Two inspectors of the demo's joint visit answer the same item differently. The second tablet's
    screen is older (its polling is held back): its answer is refused with the colleague's name, time and
    answer; it replaces theirs deliberately; and the first tablet shows the new answer within about 5 s,
    while the text being typed in another card stays."""
    visit = next(v for v in app_server.today_visits if len(v["departments"]) >= 2)
    first_user, second_user = visit["team"][:2]
    tablets = [browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, locale="zh-CN")
               for _ in range(2)]
    try:
        a, b = (t.new_page() for t in tablets)
        for page, username in ((a, first_user), (b, second_user)):
            goto(page, f"{app_server.url}/?enterprise={visit['code']}")
            sign_in(page, username)
            expect(page.get_by_role("heading", name=re.compile(visit["name"]))).to_be_visible(timeout=20000)
        b.route("**/api/visits/**", lambda route: route.abort())       # B's screen stays old: it learns nothing
        card_a, card_b = item_cards(a).first, item_cards(b).first
        item = next(c for c in card_a.get_attribute("class").split() if c.startswith("st-key-card-"))
        assert item in card_b.get_attribute("class")
        card_a.get_by_role("radio", name=re.compile("不符合$")).click()
        wait_idle(a)
        card_a.get_by_label("发现的问题（必填）").fill("灭火器压力不足（A）")
        card_a.get_by_label("发现的问题（必填）").blur()
        wait_idle(a)
        expect(card_a.get_by_text(re.compile("^已保存"))).to_be_visible(timeout=15000)
        typing = item_cards(a).nth(1)
        typing.get_by_role("radio", name=re.compile("不符合$")).click()
        wait_idle(a)
        typing.get_by_label("发现的问题（必填）").fill("正在输入的发现")       # typed, not yet saved

        card_b.get_by_role("radio", name=PASS).click()
        wait_idle(b)
        expect(card_b.get_by_text(re.compile("修改了此项"))).to_be_visible(timeout=15000)
        expect(card_b.get_by_text(re.compile("不符合（灭火器压力不足（A））"))).to_be_visible()
        screenshot(b, "field_conflict_on_the_second_tablet")
        begun = time.monotonic()
        card_b.get_by_role("button", name="以我的答案替换").click()
        wait_idle(b)
        expect(card_b.get_by_text(re.compile("^已保存"))).to_be_visible(timeout=15000)

        pass_on_a = a.locator(f"[class~='{item}']").get_by_role("radio", name=PASS)
        expect(pass_on_a).to_be_checked(timeout=9000)
        seen_after = time.monotonic() - begun
        expect(item_cards(a).nth(1).get_by_label("发现的问题（必填）")).to_have_value("正在输入的发现")
        print(f"a colleague's answer appeared on the other tablet after {seen_after:.1f} s")
    finally:
        for t in tablets:
            t.close()
