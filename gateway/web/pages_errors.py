"""Errors on pages are pages: a missing session goes back to sign-in (saying whether it expired), a record
the user may not read shows exactly the page of a missing one, a refusal or a conflict shows its message.
API paths keep the JSON errors of gateway/errors.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gateway.errors import AuthError
from gateway.web.render import page
from gateway.web.session import optional_principal, to_sign_in
from services.common.errors import DomainError

PAGE_PREFIXES = ("/hq", "/group", "/unit", "/inspection", "/history", "/signin", "/signout", "/lang", "/ecology")
NOT_PAGES = ("/api/", "/openapi", "/healthz", "/readyz", "/metrics", "/static/", "/docs")


def is_page(request: Request) -> bool:
    path = request.url.path
    if path.startswith(NOT_PAGES):
        return False
    return path == "/" or path.startswith(PAGE_PREFIXES) or "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, message: str | None = None) -> Response:
    """The one error page: the same bytes for a record that is missing and one the user may not know."""
    keys = {404: "error.not_found", 403: "error.forbidden", 409: "error.conflict", 413: "error.too_large",
            422: "error.invalid", 503: "error.unavailable"}
    principal = optional_principal(request)
    return page(request, "error.html", principal=principal, status_code=status,
                title_key=keys.get(status, "error.unexpected"),
                message=None if status in (404, 500) else message)


def install(app: FastAPI) -> None:
    """Wrap the API's exception handlers: on a page, the page version of each error."""
    handlers: dict[Any, Callable[..., Any]] = dict(app.exception_handlers)

    def wrapped(kind: Any, for_page: Callable[[Request, Any], Response]) -> None:
        api = handlers[kind]

        def handle(request: Request, error: Any) -> Any:
            return for_page(request, error) if is_page(request) else api(request, error)

        app.exception_handlers[kind] = handle

    wrapped(AuthError, lambda request, error: to_sign_in(request, error.code))
    wrapped(DomainError, lambda request, error: error_page(request, error.status, error.message))
    wrapped(RequestValidationError, lambda request, error: error_page(request, 404 if any(
        e.get("loc", ("",))[0] == "path" for e in error.errors()) else 422))
    wrapped(StarletteHTTPException, lambda request, error: error_page(request, error.status_code))
    wrapped(Exception, lambda request, error: _unexpected(handlers[Exception], request, error))


def _unexpected(api: Callable[..., Any], request: Request, error: Exception) -> Response:
    logged = api(request, error)  # logs it with the request id
    response = error_page(request, 500)
    response.headers["x-request-id"] = logged.headers.get("x-request-id", "")
    return response
