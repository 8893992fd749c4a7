"""The HTTP routes served beside Streamlit's (st.App): the browser takes its sign-in cookie here, since a
Streamlit page, speaking over its websocket, cannot set an HttpOnly cookie. Each route calls the services.

- POST /auth/adopt {"ticket": …}: the one-time ticket a page got at sign-in becomes the session's
  cookie (HttpOnly, SameSite=Lax, Secure over https, 7 days); 204, or 403 for a spent or stale ticket.
- POST /auth/sign-out: ends the cookie's session and deletes the cookie; 204.
"""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..services import sessions

ADOPT_PATH, SIGN_OUT_PATH = "/auth/adopt", "/auth/sign-out"


def _context():
    from .runtime import context
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


ROUTES = [Route(ADOPT_PATH, adopt, methods=["POST"]), Route(SIGN_OUT_PATH, sign_out, methods=["POST"])]
