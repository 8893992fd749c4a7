"""The HTTP routes served beside Streamlit's (st.App): the browser takes its sign-in cookie here, since a
Streamlit page, speaking over its websocket, cannot set an HttpOnly cookie. Each route calls the services.

- POST /auth/adopt {"ticket": …}: the one-time ticket a page got at sign-in becomes the session's
  cookie (HttpOnly, SameSite=Lax, Secure over https, 7 days); 204, or 403 for a spent or stale ticket.
- POST /auth/sign-out: ends the cookie's session and deletes the cookie; 204.
- POST /api/answers {"key", "inspection_id", "item_id", "result", "seen_version"}: a result tapped on
  the tablet, delivered by its queue (after a dead zone, perhaps twice: the key makes it count once);
  200 {"version"}, 409 {"theirs", "mine", "name", "time"} for a colleague's newer different answer, 401 without
  a live session, 404 for a visit or item the user may not see, 403 {"reason": "not_on_team"} for a visit
  the user may see but is not on the team of (another inspector of its department), 422 for an answer
  refused.
- GET /api/visits/{id}/colleagues: {"fingerprint": n}, which changes when a colleague's answer to the
  visit changes (the tablet polls it to show their answers); 401 without a live session, 404 for a visit
  the user may not see.
"""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from inspections.services.shared import access, sessions
from inspections.services.inspector import inspecting

ADOPT_PATH, SIGN_OUT_PATH = "/auth/adopt", "/auth/sign-out"


def _context():
    from inspections.ui.runtime import context
    return context()


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


async def adopt(request: Request) -> Response:
    try:
        ticket = str((await request.json()).get("ticket", ""))
    except (ValueError, AttributeError):
        return Response(status_code=400)
    token = await run_in_threadpool(sessions.adopt, _context(), ticket)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(sessions.COOKIE, token, max_age=int(sessions.ABSOLUTE_LIMIT.total_seconds()),
                        path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


async def sign_out(request: Request) -> Response:
    cookie = request.cookies.get(sessions.COOKIE)
    if cookie:
        await run_in_threadpool(lambda: sessions.end(_context(), cookie=cookie))
    response = Response(status_code=204)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


ANSWERS_PATH = "/api/answers"


async def _signed_in(request: Request, work) -> Response:
    """`work(ctx, user)` in a worker thread for the user of the request's session cookie; 401 without one."""
    def run() -> Response:
        ctx = _context()
        resumed = sessions.resume(ctx, cookie=request.cookies.get(sessions.COOKIE))
        if resumed is None or resumed.user is None:
            return Response(status_code=401)
        return work(ctx, resumed.user)
    return await run_in_threadpool(run)


async def deliver(request: Request) -> Response:
    try:
        body = await request.json()
        inspection_id, item_id, result = (str(body[k]) for k in ("inspection_id", "item_id", "result"))
        key, seen = str(body["key"]), int(body.get("seen_version") or 0)
    except (ValueError, KeyError, TypeError, AttributeError):
        return Response(status_code=400)

    def answer(ctx, user) -> Response:
        try:
            saved = inspecting.deliver_answer(ctx, user, inspection_id, item_id, result, seen_version=seen,
                                              client_key=key)
        except inspecting.AnswerConflict as conflict:
            theirs = {k: conflict.theirs[k] for k in ("result", "note", "level", "version")}
            return JSONResponse({"theirs": theirs, "mine": result, **conflict.values}, status_code=409)
        except access.NotFound:
            return Response(status_code=404)
        except access.Forbidden as refused:
            return JSONResponse({"reason": refused.reason}, status_code=403)
        except inspecting.InspectionError as refused:
            return JSONResponse({"reason": refused.reason}, status_code=422)
        return JSONResponse({"version": saved["version"]})
    return await _signed_in(request, answer)


def colleagues_path(inspection_id: str) -> str:
    return f"/api/visits/{inspection_id}/colleagues"


async def colleagues(request: Request) -> Response:
    def answer(ctx, user) -> Response:
        try:
            value = inspecting.answers_fingerprint(ctx, user, request.path_params["inspection_id"])
        except (access.NotFound, inspecting.InspectionError):
            return Response(status_code=404)
        return JSONResponse({"fingerprint": value}, headers={"Cache-Control": "no-store"})
    return await _signed_in(request, answer)


ROUTES = [Route(ADOPT_PATH, adopt, methods=["POST"]), Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
          Route(ANSWERS_PATH, deliver, methods=["POST"]),
          Route("/api/visits/{inspection_id}/colleagues", colleagues, methods=["GET"])]
