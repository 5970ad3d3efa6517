"""Security headers on every gateway response, and the safe delivery of files people uploaded.

Every response, errors and 500s included: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
`Referrer-Policy: no-referrer`, `Cache-Control: no-store` (API answers carry personal and confidential data) and a
`Content-Security-Policy` of `default-src 'self'` that allows no inline script.

The API documentation pages are the exception that still works: FastAPI's Swagger UI (`/docs`) loads its script
and style from the jsDelivr CDN and starts with one inline script, ReDoc (`/redoc`) loads from the CDN and Google
Fonts. Their policy allows those origins and, for the inline script, exactly its SHA-256 (computed from the page
served), never `'unsafe-inline'` for scripts.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Collection
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.responses import Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CDN = "https://cdn.jsdelivr.net"
FAVICON = "https://fastapi.tiangolo.com"
API_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
              "form-action 'self'")
DOCS_POLICY = (f"default-src 'self'; script-src 'self' {CDN} {{hashes}}; style-src 'self' {CDN} 'unsafe-inline'; "
               f"img-src 'self' data: {FAVICON} {CDN}; font-src 'self' data: {CDN}; connect-src 'self'; "
               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
REDOC_POLICY = (f"default-src 'self'; script-src 'self' {CDN}; "
                "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; "
                f"font-src 'self' data: https://fonts.gstatic.com; img-src 'self' data: {FAVICON} https:; "
                "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                "frame-ancestors 'none'; form-action 'self'")
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
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def script_hashes(html: bytes) -> str:
    """The CSP sources of the page's inline scripts: `'sha256-…'` of each, exactly as served."""
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
                    for body in _INLINE_SCRIPT.findall(html))


class SecurityHeaders:
    """ASGI middleware: the security headers on every response; the documentation pages get their own policy."""

    def __init__(self, app: ASGIApp, docs_path: str | None, redoc_path: str | None) -> None:
        self.app = app
        self.docs_path = docs_path
        self.redoc_path = redoc_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if self.docs_path and path == self.docs_path:
            await self._documentation(scope, receive, send)
            return
        policy = REDOC_POLICY if self.redoc_path and path == self.redoc_path else None

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure(message, policy)
            await send(message)

        await self.app(scope, receive, send_secured)

    async def _documentation(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Swagger UI: hold the page until it is whole, then allow exactly the inline script it carries."""
        start: Message | None = None
        body = bytearray()

        async def collect(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if message.get("more_body", False):
                    return
                assert start is not None
                secure(start, DOCS_POLICY.format(hashes=script_hashes(bytes(body))))
                await send(start)
                await send({"type": "http.response.body", "body": bytes(body)})
                return
            await send(message)

        await self.app(scope, receive, collect)


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
        return SecurityHeaders(build(), app.docs_url, app.redoc_url)

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
