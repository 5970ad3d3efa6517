"""The browser's session cookie also authenticates API calls (`gateway.deps.current_principal`): an API call
that changes something and is authenticated by that cookie alone must carry the CSRF token in the
`X-CSRF-Token` header (double-submit). A call with a bearer token is unaffected (no browser sends one by
itself)."""

from __future__ import annotations

import hmac
from http.cookies import SimpleCookie

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.errors import error_body
from gateway.web.forms import CSRF_COOKIE, CSRF_HEADER
from gateway.web.session import TOKEN_COOKIE

SAFE = {"GET", "HEAD", "OPTIONS"}


class ApiCsrf:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE and scope["path"].startswith("/api/"):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            cookies = SimpleCookie()
            cookies.load(headers.get("cookie", ""))
            if TOKEN_COOKIE in cookies and "authorization" not in headers:
                expected = cookies[CSRF_COOKIE].value if CSRF_COOKIE in cookies else ""
                given = headers.get(CSRF_HEADER, "")
                if not (expected and given and hmac.compare_digest(expected.encode(), given.encode())):
                    refused = JSONResponse(error_body(
                        "csrf_refused", "缺少或错误的 CSRF 令牌 (missing or wrong X-CSRF-Token with a session cookie)"),
                        status_code=403)
                    await refused(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_middleware(ApiCsrf)
