"""Security headers on every gateway response, and the safe delivery of files people uploaded.

Every response, errors and 500s included: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
`Referrer-Policy: no-referrer`, `Cache-Control: no-store` (API answers carry personal and confidential data) and a
`Content-Security-Policy` of `default-src 'self'` that allows no inline script.

Pages (gateway/web) and the API documentation (`/docs`, Swagger UI from the gateway's own files) set their own
policy: scripts from the gateway only, never an inline script; styles may be set at run time by their libraries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
              "form-action 'self'")
DOWNLOAD_POLICY = "default-src 'none'; sandbox"
"""A file someone uploaded: nothing in it may run, even if a browser opens it."""

ALWAYS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
UNLESS_SET = {
    "content-security-policy": API_POLICY,
    "cache-control": "no-store",
}


class SecurityHeaders:
    """ASGI middleware: the security headers on every response (a response's own policy is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure(message)
            await send(message)

        await self.app(scope, receive, send_secured)


def secure(start: Message, policy: str | None = None) -> None:
    headers = MutableHeaders(scope=start)
    for name, value in ALWAYS.items():
        headers[name] = value
    if policy is not None:
        headers["content-security-policy"] = policy
    for name, value in UNLESS_SET.items():
        if name not in headers:
            headers[name] = value


def install(app: FastAPI) -> None:
    """Wrap the whole application, outermost, so that even a 500 from the server-error handler is covered."""
    build = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]


# -- files people uploaded --------------------------------------------------------------------------------
def _ascii_name(name: str) -> str:
    """The name as plain ASCII letters, digits and `._-` (for clients that ignore `filename*`)."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", folded).strip("._-")[:80] or "attachment"
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix)[:10]
    return f"{safe}.{suffix}" if suffix else safe


def safe_filename(name: str) -> str:
    """The name without path, control characters or quotes (what the UTF-8 `filename*` carries)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '"<>:|?*;')
    return name.strip().strip(".") or "attachment"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name as RFC 5987 `filename*`."""
    name = safe_filename(filename)
    return f"attachment; filename=\"{_ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment_response(content: bytes, media_type: str, filename: str, allowed: Collection[str]) -> Response:
    """A stored file as a download: never rendered in the page, never sniffed, nothing in it runs.

    Its media type is the one detected from its bytes when that is one of `allowed`, else
    `application/octet-stream`; text is served as UTF-8 plain text.
    """
    kind = media_type if media_type in allowed else "application/octet-stream"
    if kind == "text/plain":
        kind = "text/plain; charset=utf-8"
    return Response(content, headers={
        "content-type": kind,
        "content-disposition": content_disposition(filename),
        "x-content-type-options": "nosniff",
        "content-security-policy": DOWNLOAD_POLICY,
        "cache-control": "no-store",
    })
