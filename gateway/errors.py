"""Errors as JSON with a stable code and a readable message; never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.common.errors import DomainError

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_input", 429: "too_many_requests", 503: "unavailable",
}


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"code": code, "message": message, **extra}}


class AuthError(Exception):
    def __init__(self, message: str = "请先登录 (authentication required)", code: str = "unauthenticated") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    def domain_error(_: Request, error: DomainError) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message), status_code=error.status)

    @app.exception_handler(AuthError)
    def auth_error(_: Request, error: AuthError) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message), status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RequestValidationError)
    def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": e.get("msg", "")}
            for e in error.errors()
        ]
        return JSONResponse(
            error_body("invalid_input", "请求内容有误 (invalid request)", details=details), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(error.status_code, "error")
        message = error.detail if isinstance(error.detail, str) else code
        return JSONResponse(error_body(code, message), status_code=error.status_code,
                            headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    def unexpected(_: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return JSONResponse(
            error_body("internal_error", "服务器内部错误，已记录 (internal error, logged)"), status_code=500
        )
