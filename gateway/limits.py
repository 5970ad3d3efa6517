"""Request body limits: a body over its limit is refused with 413 before anything parses it.

A declared `Content-Length` over the limit is refused without reading the body; a streamed (chunked) body
is counted as it arrives and refused as soon as it passes the limit. Uploads (multipart) have their own,
larger limit, sized for the largest file a route accepts (attachments 20 MB, ledger imports 5 MB) plus the
multipart framing; each upload route still checks its own file limit.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MIB = 1024 * 1024


class RequestLimits(BaseSettings):
    """`PAIZHU_MAX_REQUEST_BYTES`, `PAIZHU_MAX_UPLOAD_REQUEST_BYTES` (read when the app is built)."""

    model_config = SettingsConfigDict(env_prefix="PAIZHU_", extra="ignore")

    max_request_bytes: int = Field(default=10 * MIB, ge=1024, description="any request body but an upload")
    max_upload_request_bytes: int = Field(default=21 * MIB, ge=1024,
                                          description="a multipart upload: the 20 MB attachment limit + framing")


def _too_large_body(limit: int) -> bytes:
    message = f"请求体过大，上限 {limit} 字节 (request body too large, at most {limit} bytes)"
    return json.dumps({"error": {"code": "too_large", "message": message}}, ensure_ascii=False).encode("utf-8")


class BodyTooLarge(Exception):
    """Raised into the app when a streamed body passes its limit (the 413 has been sent already)."""


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: RequestLimits | None = None) -> None:
        self.app = app
        self.limits = limits or RequestLimits()

    def limit_for(self, scope: Scope) -> int:
        content_type = dict(scope.get("headers", ())).get(b"content-type", b"")
        if content_type.lower().startswith(b"multipart/form-data"):
            return self.limits.max_upload_request_bytes
        return self.limits.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        received = 0
        refused = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await self._refuse(send, limit)
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 went out; what the interrupted app answers is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            return
        except Exception:
            if refused:
                return
            raise

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        body = _too_large_body(limit)
        headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                              (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def install(app: Any, limits: RequestLimits | None = None) -> None:
    """Refuse oversized bodies (413) in front of every route."""
    app.add_middleware(BodyLimitMiddleware, limits=limits or RequestLimits())
