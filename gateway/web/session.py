"""Sign-in, sign-out and the session of a browser: the signed token the API accepts, in a cookie that
scripts cannot read (HttpOnly), that no other site's page sends (SameSite=Strict), and that travels only over
https when the gateway is reached by https (Secure). Every form carries the CSRF token (forms.py)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import authz
from gateway.auth import SignInThrottled
from gateway.deps import SESSION_COOKIE, Runtime, current_principal
from gateway.errors import AuthError
from gateway.web import forms, i18n
from gateway.web.render import home_of, page

TOKEN_COOKIE = SESSION_COOKIE
"""The cookie `gateway.deps.current_principal` reads when a request carries no bearer token."""

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
    return response


def to_sign_in(request: Request, code: str) -> Response:
    """A page asked for by someone without a (valid) session: back to sign-in, saying why."""
    reason = "expired" if code == "token_expired" else "signin"
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return signed_out(f"/?reason={reason}&next={quote(back, safe='')}")


@router.get("/", response_class=HTMLResponse)
def sign_in_page(request: Request, principal: MaybePrincipal, reason: str | None = None,
                 next: str | None = None) -> Response:  # noqa: A002  (the query parameter's name)
    """The sign-in form, or the user's own portal when already signed in."""
    if principal is not None:
        return RedirectResponse(safe_next(next) or home_of(principal), status_code=303)
    messages = {"expired": "signin.expired", "signin": "signin.required", "signed_out": "signin.signed_out"}
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
