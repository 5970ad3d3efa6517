"""Errors as JSON with a stable code and a readable message; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from runtime.http_observability import request_id_of
from services.common.errors import DomainError

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
    422: "invalid_input", 429: "too_many_requests", 503: "unavailable",
}


class ErrorDetail(BaseModel):
    field: str = Field(description="出错的字段 (the field at fault)")
    problem: str = Field(description="问题 (what is wrong)")


class ErrorInfo(BaseModel):
    code: str = Field(description="稳定的错误代码 (stable error code)", examples=["not_found"])
    message: str = Field(description="中文（English）的说明 (a readable message, Chinese then English)")
    details: list[ErrorDetail] | None = Field(default=None, description="字段错误 (field errors, 422 only)")


class ErrorBody(BaseModel):
    """Every error the API answers: `{"error": {"code", "message", "details"?}}`."""

    error: ErrorInfo


_DESCRIPTIONS = {
    400: "请求无法解析 (malformed request)",
    401: "未登录或令牌无效 (authentication required or token invalid)",
    403: "无权执行此操作 (not allowed)",
    404: "记录不存在，或无权知悉 (not found, or its existence is not yours to know)",
    405: "不支持此方法 (method not allowed)",
    409: "状态不允许或并发修改 (the record's state does not allow it, or it changed meanwhile)",
    413: "请求体过大 (request body too large)",
    415: "不支持的内容类型 (unsupported media type)",
    422: "请求内容有误 (invalid input)",
    429: "请求过于频繁 (too many requests)",
    503: "所需服务暂不可用，请按 Retry-After 重试 (a service it needs is down; retry after Retry-After)",
}


def documented(*statuses: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of these error statuses, each with the error schema.

    A status's description may be made precise for one route: `documented(401, 422, s401="...")`.
    """
    return {
        status: {"model": ErrorBody, "description": descriptions.get(f"s{status}", _DESCRIPTIONS[status])}
        for status in statuses
    }


API_ERRORS = documented(400, 401, 403, 404, 409, 413, 422, 503)
"""What any authenticated API route can answer besides its success."""


_HTTP_MESSAGES = {
    "There was an error parsing the body": "请求体无法解析 (there was an error parsing the body)",
    "Not Found": "记录不存在 (not found)",
    "Method Not Allowed": "不支持此方法 (method not allowed)",
    "Content Too Large": "请求体过大 (request body too large)",
    "Request Entity Too Large": "请求体过大 (request body too large)",
}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def bilingual(status: int, message: str) -> str:
    """A framework's English message in both languages: a known one translated, any other prefixed with
    the Chinese words of its status (`请求无法解析 (malformed request): Did not find boundary character`)."""
    if _has_chinese(message):
        return message
    known = _HTTP_MESSAGES.get(message)
    if known is not None:
        return known
    chinese = _DESCRIPTIONS.get(status, "请求失败 (request failed)")
    return f"{chinese}: {message}" if message else chinese


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
        headers = {"Retry-After": str(getattr(error, "retry_after", 5))} if error.status == 503 else None
        field = getattr(error, "field", None)  # a refused reference names its field (gateway/references.py)
        extra = {"details": [{"field": field, "problem": error.message}]} if field else {}
        return JSONResponse(error_body(error.code, error.message, **extra), status_code=error.status,
                            headers=headers)

    @app.exception_handler(ValidationError)
    def operation_invalid(_: Request, error: ValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid_input", "请求内容有误 (invalid request)",
                                       details=_details(error.errors(include_url=False))), status_code=422)

    @app.exception_handler(AuthError)
    def auth_error(_: Request, error: AuthError) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message), status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(RequestValidationError)
    def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        details = _details(error.errors())
        return JSONResponse(
            error_body("invalid_input", "请求内容有误 (invalid request)", details=details), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(error.status_code, "error")
        message = bilingual(error.status_code, error.detail if isinstance(error.detail, str) else "")
        return JSONResponse(error_body(code, message), status_code=error.status_code,
                            headers=getattr(error, "headers", None))

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception) -> JSONResponse:
        # runs outside the request's middleware (Starlette's outermost layer): the id comes from the scope
        request_id = request_id_of(request.scope)
        # exc_info from the error itself: this handler runs in a worker thread, outside the `except`
        log.error("unhandled error (request %s)", request_id, exc_info=error, extra={"request_id": request_id})
        return JSONResponse(
            error_body("internal_error", f"服务器内部错误，请提供编号 {request_id} (internal error, logged; "
                       f"quote request id {request_id})", request_id=request_id),
            status_code=500, headers={"X-Request-ID": request_id},
        )


_PROBLEMS = {
    "json_invalid": "不是有效的 JSON (not valid JSON)",
    "missing": "必填 (required)",
    "extra_forbidden": "不允许的字段 (field not allowed)",
    "literal_error": "取值不在允许范围内 (not one of the allowed values)",
    "enum": "取值不在允许范围内 (not one of the allowed values)",
    "string_too_short": "太短 (too short)",
    "string_too_long": "太长 (too long)",
    "string_pattern_mismatch": "格式不符 (wrong format)",
    "date_from_datetime_parsing": "不是有效日期 (not a valid date)",
    "date_parsing": "不是有效日期 (not a valid date)",
    "date_type": "不是有效日期 (not a valid date)",
    "int_parsing": "不是整数 (not an integer)",
    "int_type": "不是整数 (not an integer)",
    "bool_parsing": "不是布尔值 (not a boolean)",
    "bool_type": "不是布尔值 (not a boolean)",
    "string_type": "不是文本 (not text)",
    "list_type": "不是列表 (not a list)",
    "dict_type": "不是对象 (not an object)",
    "model_type": "不是对象 (not an object)",
    "model_attributes_type": "不是对象 (not an object)",
    "float_parsing": "不是数字 (not a number)",
    "float_type": "不是数字 (not a number)",
    "int_from_float": "不是整数 (not an integer)",
    "datetime_parsing": "不是有效时间 (not a valid date and time)",
    "datetime_type": "不是有效时间 (not a valid date and time)",
    "uuid_type": "不是有效编号 (not a valid id)",
    "greater_than_equal": "太小 (too small)",
    "less_than_equal": "太大 (too large)",
    "too_short": "太少 (too few)",
    "too_long": "太多 (too many)",
    "value_error": "取值无效 (invalid value)",
    "uuid_parsing": "不是有效编号 (not a valid id)",
}


def field_problems(errors: Any) -> list[dict[str, str]]:
    """Pydantic's errors as `{"field", "problem"}` in both languages (the API's 422 details, the forms'
    messages next to each field)."""
    return _details(errors)


def _details(errors: Any) -> list[dict[str, str]]:
    """Field errors in both languages: a known kind gets its Chinese words, pydantic's English follows."""
    details = []
    for e in errors:
        english = str(e.get("msg", ""))
        chinese = _PROBLEMS.get(str(e.get("type", "")))
        # a body that is no JSON at all is located at a character position, not a field
        loc = () if e.get("type") == "json_invalid" else e.get("loc", ())
        details.append({
            "field": ".".join(str(p) for p in loc if p != "body"),
            "problem": f"{chinese}: {english}" if chinese else f"取值无效 (invalid): {english}",
        })
    return details
