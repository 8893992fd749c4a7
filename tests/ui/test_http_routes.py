"""The HTTP routes beside Streamlit's, called as the browser calls them (a request with its cookie and
body): the sign-in cookie's hand-over, the answer queue's deliveries (the visit's team only), and the
colleagues' poll."""
from __future__ import annotations

import asyncio
import concurrent.futures
import json

import pytest
from starlette.requests import Request

from inspections.services.inspector import inspecting
from inspections.services.shared import sessions
from inspections.services.shared.auth import User
from inspections.ui import http_routes
from tests.conftest import SUITE_TODAY


def _call(endpoint, *, path="/", method="POST", body=None, cookie=None, headers=(), path_params=None):
    raw = json.dumps(body).encode() if body is not None else b""
    head = [(b"content-type", b"application/json")] + [(k.encode(), v.encode()) for k, v in headers]
    if cookie:
        head.append((b"cookie", f"{sessions.COOKIE}={cookie}".encode()))
    scope = {"type": "http", "method": method, "path": path, "headers": head, "query_string": b"",
             "scheme": "http", "server": ("127.0.0.1", 8501), "path_params": path_params or {}}

    async def receive():
        return {"type": "http.request", "body": raw, "more_body": False}
    # a loop of its own, in a thread of its own: the browser tests' Playwright keeps one running here
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, endpoint(Request(scope, receive))).result()


@pytest.fixture
def visit(demo_ctx, monkeypatch):
    monkeypatch.setattr(http_routes, "_context", lambda: demo_ctx)
    row = demo_ctx.db.query_dicts("SELECT id, enterprise_code, team, departments FROM inspections "
                                  "WHERE scheduled_on = ? AND departments = ['traffic_police']", [SUITE_TODAY])[0]
    # both of the department's inspectors on the team, as planned before the visit starts: a colleague
    # answering the same visit must be on its team (issue 18 #6)
    demo_ctx.db.write(lambda c: c.execute("UPDATE inspections SET team = ['traffic_police1', 'traffic_police2'] "
                                          "WHERE id = ? AND status = 'scheduled'", [row["id"]]))
    inspector = User(row["team"][0], "交警", "inspector", "traffic_police")
    inspecting.check_in(demo_ctx, inspector, row["enterprise_code"], "typed")
    started = sessions.start(demo_ctx, inspector)
    cookie = sessions.adopt(demo_ctx, started.ticket)
    item = inspecting.walk(demo_ctx, inspector, row["id"]).merged.items[0].id
    return demo_ctx, row["id"], item, cookie


def test_adopt_hands_over_an_httponly_cookie_once(demo_ctx, monkeypatch):
    monkeypatch.setattr(http_routes, "_context", lambda: demo_ctx)
    started = sessions.start(demo_ctx, User("market1", "市场", "inspector", "market"))
    response = _call(http_routes.adopt, body={"ticket": started.ticket}, headers=[("x-forwarded-proto", "https")])
    cookie = response.headers["set-cookie"]
    assert response.status_code == 204 and cookie.startswith(f"{sessions.COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie and "Max-Age=604800" in cookie
    assert _call(http_routes.adopt, body={"ticket": started.ticket}).status_code == 403     # spent
    assert _call(http_routes.adopt, body=["not", "an", "object"]).status_code == 400


def test_deliveries_need_a_session_and_count_once(visit):
    ctx, inspection_id, item, cookie = visit
    body = {"key": "k-1", "inspection_id": inspection_id, "item_id": item, "result": "pass", "seen_version": 0}
    assert _call(http_routes.deliver, body=body).status_code == 401
    assert _call(http_routes.deliver, body={"key": "k"}, cookie=cookie).status_code == 400
    first = _call(http_routes.deliver, body=body, cookie=cookie)
    again = _call(http_routes.deliver, body=body, cookie=cookie)
    assert first.status_code == again.status_code == 200 and json.loads(again.body) == {"version": 1}
    assert ctx.db.scalar("SELECT count(*) FROM answer_history WHERE inspection_id = ?", [inspection_id]) == 1
    bad = _call(http_routes.deliver, body={**body, "key": "k-2", "result": "maybe"}, cookie=cookie)
    assert bad.status_code == 422 and json.loads(bad.body) == {"reason": "bad_result"}
    elsewhere = _call(http_routes.deliver, body={**body, "key": "k-3", "item_id": "NO-SUCH-ITEM"}, cookie=cookie)
    assert elsewhere.status_code == 404


def test_a_colleagues_newer_answer_comes_back_as_409_with_theirs(visit):
    ctx, inspection_id, item, cookie = visit
    colleague = User("traffic_police2", "交警二", "inspector", "traffic_police")
    inspecting.answer_item(ctx, colleague, inspection_id, item, "fail", note="护栏缺失", seen_version=0)
    response = _call(http_routes.deliver, cookie=cookie, body={"key": "k-9", "inspection_id": inspection_id,
                                                              "item_id": item, "result": "pass", "seen_version": 0})
    body = json.loads(response.body)
    assert response.status_code == 409 and body["mine"] == "pass"
    assert body["theirs"] == {"result": "fail", "note": "护栏缺失", "level": "general", "version": 1}
    assert set(body) == {"theirs", "mine", "name", "time"}


def test_the_colleagues_poll_is_for_the_visits_team_only(visit, demo_ctx):
    ctx, inspection_id, item, cookie = visit
    poll = lambda c: _call(http_routes.colleagues, method="GET", cookie=c,  # noqa: E731
                           path_params={"inspection_id": inspection_id})
    assert json.loads(poll(cookie).body) == {"fingerprint": 0}
    inspecting.answer_item(ctx, User("traffic_police2", "交警二", "inspector", "traffic_police"), inspection_id,
                           item, "pass")
    assert json.loads(poll(cookie).body)["fingerprint"] != 0
    outsider = sessions.start(ctx, User("market1", "市场", "inspector", "market"))
    assert poll(sessions.adopt(ctx, outsider.ticket)).status_code == 404 and poll(None).status_code == 401


def test_a_delivery_to_a_visit_one_is_not_on_the_team_of_is_refused(demo_ctx, monkeypatch):
    """issue 18 #6: an inspector of the visit's department who is not on its team got 200 and the answer
    was saved. Now 403 with the reason, and nothing of the visit changes (the session's last_seen_at, which
    every request moves, is the one thing left out)."""
    from tests.checksums import CHANGED_BY_ANY_REQUEST, changed, table_checksums
    monkeypatch.setattr(http_routes, "_context", lambda: demo_ctx)
    row = demo_ctx.db.query_dicts("SELECT id, enterprise_code, team FROM inspections WHERE scheduled_on = ? "
                                  "AND len(departments) >= 2 ORDER BY id LIMIT 1", [SUITE_TODAY])[0]
    lead = row["team"][0]
    department = demo_ctx.db.scalar("SELECT department FROM users WHERE username = ?", [lead])
    inspecting.check_in(demo_ctx, User(lead, "x", "inspector", department), row["enterprise_code"], "typed")
    outsider = User(f"{department}2", "x", "inspector", department)
    assert outsider.username not in row["team"]
    cookie = sessions.adopt(demo_ctx, sessions.start(demo_ctx, outsider).ticket)
    item = inspecting.walk(demo_ctx, outsider, row["id"]).merged.items[0].id   # may read it
    before = table_checksums(demo_ctx.db.query, CHANGED_BY_ANY_REQUEST)
    response = _call(http_routes.deliver, cookie=cookie, body={"key": "k-out", "inspection_id": row["id"],
                                                              "item_id": item, "result": "fail", "seen_version": 0})
    assert (response.status_code, json.loads(response.body)) == (403, {"reason": "not_on_team"})
    assert changed(before, table_checksums(demo_ctx.db.query, CHANGED_BY_ANY_REQUEST)) == []
