"""Sign-in, sign-out and the session of a browser: the signed token the API accepts, in a cookie that
scripts cannot read (HttpOnly), that no other site's page sends (SameSite=Strict), and that travels only over
https when the gateway is reached by https (Secure). Every form carries the CSRF token (forms.py).

A session idle for longer than `session_idle_minutes` (settings, default 30) is signed out: every request made
with the session cookie renews a second cookie, the time of the last activity signed together with the session
token (`IdleTimeout`); a request that comes later than that, or without it, goes back to sign-in saying why."""

from __future__ import annotations

import hashlib
import hmac
from http.cookies import SimpleCookie
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import authz
from gateway.deps import SESSION_COOKIE, GatewayRuntime, Runtime, current_principal
from gateway.errors import AuthError, error_body
from gateway.sign_in_limits import SignInThrottled
from gateway.web import forms, i18n
from gateway.web.render import home_of, page

TOKEN_COOKIE = SESSION_COOKIE
"""The cookie `gateway.deps.current_principal` reads when a request carries no bearer token."""
SEEN_COOKIE = "paizhu_seen"
"""The session's last activity: `<unix seconds>.<HMAC of those seconds and the session token>`."""
IDLE_EXEMPT = ("/static/", "/healthz", "/readyz", "/metrics", "/signin", "/lang/")
"""Requests that neither count as activity nor are refused for idleness (assets, probes, signing in)."""

router = APIRouter(include_in_schema=False)


def optional_principal(request: Request) -> authz.Principal | None:
    if not request.cookies.get(TOKEN_COOKIE):
        return None
    try:
        return current_principal(request, None)
    except AuthError:
        return None


MaybePrincipal = Annotated[authz.Principal | None, Depends(optional_principal)]


def safe_next(target: str | None) -> str | None:
    """Only a path of this site (never `//elsewhere` or a full URL)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def signed_out(target: str) -> RedirectResponse:
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path="/")
    response.delete_cookie(SEEN_COOKIE, path="/")
    return response


def to_sign_in(request: Request, code: str) -> Response:
    """A page asked for by someone without a (valid) session: back to sign-in, saying why."""
    reason = {"token_expired": "expired", "session_idle": "idle"}.get(code, "signin")
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return signed_out(f"/?reason={reason}&next={quote(back, safe='')}")


@router.get("/", response_class=HTMLResponse)
def sign_in_page(request: Request, principal: MaybePrincipal, reason: str | None = None,
                 next: str | None = None) -> Response:  # noqa: A002  (the query parameter's name)
    """The sign-in form, or the user's own portal when already signed in."""
    if principal is not None:
        return RedirectResponse(safe_next(next) or home_of(principal), status_code=303)
    messages = {"expired": "signin.expired", "signin": "signin.required", "signed_out": "signin.signed_out",
                "idle": "signin.idle"}
    return page(request, "signin.html", notice=messages.get(reason or ""), next=safe_next(next) or "",
                errors={}, user_id="")


@router.post("/signin", response_class=HTMLResponse)
async def sign_in(request: Request, rt: Runtime) -> Response:
    """Check the password with the same authenticator as `POST /api/session/login`, then set the session."""
    form = await forms.checked_form(request)
    user_id = str(form.get("user_id") or "").strip()[:100]
    password = str(form.get("password") or "")[:200]
    target = safe_next(str(form.get("next") or ""))
    errors: dict[str, str] = {}
    if not user_id:
        errors["user_id"] = "signin.user_missing"
    if not password:
        errors["password"] = "signin.password_missing"  # noqa: S105  (a message key)
    status = 422
    if not errors:
        try:
            token = rt.authenticator.login(user_id, password, request.client.host if request.client else "")
        except SignInThrottled:
            errors["password"], status = "signin.throttled", 429
        except AuthError as error:
            errors["password"] = ("signin.builtin_disabled" if error.code == "builtin_accounts_disabled"
                                  else "signin.bad_credentials")
            status = 401
        else:
            principal = rt.authenticator.authenticate(token)
            response = RedirectResponse(target or home_of(principal), status_code=303)
            response.set_cookie(TOKEN_COOKIE, token, max_age=rt.authenticator.ttl_minutes * 60, httponly=True,
                                samesite="strict", secure=request.url.scheme == "https", path="/")
            set_seen(response, rt, token, request.url.scheme == "https")
            return response
    return page(request, "signin.html", status_code=status, errors=errors, user_id=user_id, notice=None,
                next=target or "")


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    await forms.checked_form(request)
    return signed_out("/?reason=signed_out")


@router.get("/lang/{language}")
def switch_language(language: str, next: str | None = None) -> Response:  # noqa: A002
    """Switch the portals' language (zh-CN or en) and go back to the page."""
    response = RedirectResponse(safe_next(next) or "/", status_code=303)
    response.set_cookie(i18n.COOKIE, i18n.language_of(language), max_age=365 * 86400, samesite="strict",
                        path="/")
    return response


# -- idle timeout --------------------------------------------------------------------------------------
def seen_stamp(token_key: str, token: str, seconds: int) -> str:
    """The value of the activity cookie: the time, signed together with the session token (it fits no other)."""
    mac = hmac.new(token_key.encode(), f"{seconds}.{token}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{seconds}.{mac}"


def seen_at(token_key: str, token: str, stamp: str | None) -> int | None:
    """When the session was last active, if the stamp is one this gateway signed for this token."""
    seconds, _, _ = (stamp or "").partition(".")
    if not seconds.isdigit() or not hmac.compare_digest(seen_stamp(token_key, token, int(seconds)), stamp or ""):
        return None
    return int(seconds)


def set_seen(response: Response, rt: GatewayRuntime, token: str, secure: bool) -> None:
    now = int(rt.clock.now().timestamp())
    response.set_cookie(SEEN_COOKIE, seen_stamp(rt.authenticator.token_key, token, now),
                        max_age=rt.authenticator.ttl_minutes * 60, httponly=True, samesite="strict", secure=secure,
                        path="/")


class IdleTimeout:
    """Sign out a browser session idle longer than the runtime's `session_idle_minutes`; renew it otherwise.

    Only requests authenticated by the session cookie are concerned (a bearer token is no browser session). A
    token that is itself no longer valid is left to the usual answer (sign-in saying it expired)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(IDLE_EXEMPT):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(TOKEN_COOKIE)
        if not token or "authorization" in request.headers:
            await self.app(scope, receive, send)
            return
        rt: GatewayRuntime = scope["app"].state.runtime
        now = int(rt.clock.now().timestamp())
        seen = seen_at(rt.authenticator.token_key, token, request.cookies.get(SEEN_COOKIE))
        if (seen is None or now - seen > rt.session_idle_minutes * 60) and _valid(rt, token):
            await _idle_answer(request)(scope, receive, send)
            return
        renewed = Response()
        set_seen(renewed, rt, token, request.url.scheme == "https")
        cookie = next(value for name, value in renewed.raw_headers if name == b"set-cookie")

        async def send_renewed(message: Message) -> None:
            if message["type"] == "http.response.start" and not _sets(message, TOKEN_COOKIE):
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)

        await self.app(scope, receive, send_renewed)


def _valid(rt: GatewayRuntime, token: str) -> bool:
    try:
        rt.authenticator.authenticate(token)
    except AuthError:
        return False
    return True


def _sets(message: Message, name: str) -> bool:
    """Whether the response already sets (or deletes) that cookie: signing out is not renewed."""
    for key, value in message.get("headers", []):
        if key.lower() == b"set-cookie":
            parsed = SimpleCookie()
            parsed.load(value.decode("latin-1"))
            if name in parsed:
                return True
    return False


def _idle_answer(request: Request) -> Response:
    if request.url.path.startswith("/api/"):
        refused = JSONResponse(error_body("session_idle", "长时间未操作，已退出登录 (signed out after a period of "
                                                          "inactivity)"), status_code=401)
        refused.delete_cookie(TOKEN_COOKIE, path="/")
        refused.delete_cookie(SEEN_COOKIE, path="/")
        return refused
    return to_sign_in(request, "session_idle")


def install(app: FastAPI) -> None:
    app.add_middleware(IdleTimeout)
