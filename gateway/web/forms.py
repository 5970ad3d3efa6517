"""Forms of the portals: the CSRF check every form passes, and the server's validation of what was typed,
with each problem shown next to its field."""

from __future__ import annotations

import hmac
import secrets
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from gateway.errors import field_problems
from services.common.errors import DomainError

CSRF_COOKIE = "paizhu_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
Model = TypeVar("Model", bound=BaseModel)


class CsrfRefused(DomainError):
    status = 403
    code = "csrf_refused"

    def __init__(self) -> None:
        super().__init__("表单已失效，请刷新页面后重试 (the form has expired: reload the page and try again)",
                         code=self.code)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(request: Request) -> str:
    """The token of this browser (double-submit: the same value in the cookie and in every form)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf", None)
    if not token:
        token = new_token()
        request.state.csrf = token  # the response sets the cookie (render.page)
    return str(token)


def csrf_matches(request: Request, given: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and given and hmac.compare_digest(cookie.encode(), given.encode()))


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the browser's cookie (else 403)."""
    form = await request.form()
    given = form.get(CSRF_FIELD)
    if not csrf_matches(request, given if isinstance(given, str) else None):
        raise CsrfRefused()
    return form


def values(form: FormData, *lists: str) -> dict[str, Any]:
    """The typed fields of a form (empty fields left out, so that optional ones take their defaults); the
    `lists` fields keep every value given."""
    found: dict[str, Any] = {}
    for key in form.keys():
        if key == CSRF_FIELD:
            continue
        if key in lists:
            found[key] = [v for v in form.getlist(key) if isinstance(v, str) and v.strip()]
            continue
        value = form.get(key)
        if isinstance(value, str) and value.strip():
            found[key] = value.strip()
    return found


def validate(model: type[Model], data: dict[str, Any]) -> tuple[Model | None, dict[str, str]]:
    """The model of the posted fields, or the problems by field name (shown next to each field)."""
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        problems: dict[str, str] = {}
        found = error.errors(include_url=False)
        for raw, detail in zip(found, field_problems(found), strict=True):
            # the field's own name (a field called `body` too: field_problems drops an API request's `body`)
            problems.setdefault(str(raw["loc"][0]) if raw.get("loc") else "_form", detail["problem"])
        return None, problems
