"""Per-request observability of an HTTP process (gateway, service servers), beside FastAPI's native
telemetry (which makes the one SERVER span, `METHOD /route/{template}`, continuing an incoming
`traceparent`, and records `http.server.request.duration` by route template): a request id (a valid
incoming `X-Request-ID` or a fresh one, echoed in the response), the log context of every line of the
request, and one access-log line with status and latency.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from runtime.logging import RequestContext, request_context
from runtime.telemetry import context_from_headers

access_log = logging.getLogger("paizhu.access")

REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID_SCOPE_KEY = "paizhu.request_id"
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")


def request_id_from(value: str | None) -> str:
    """The caller's request id when it is short and made of safe characters; otherwise a fresh one."""
    if value and _VALID_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def request_id_of(scope: Scope) -> str:
    """The request id the middleware gave this request (for the unexpected-error handler)."""
    return str(scope.get(REQUEST_ID_SCOPE_KEY, ""))


def _trace_id(headers: dict[str, str]) -> str:
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:  # tracing not configured: the caller's trace, or a fresh id for the logs
        span_context = trace.get_current_span(context_from_headers(headers)).get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else uuid.uuid4().hex


class ObservedRequests:
    """ASGI middleware: `app.add_middleware(ObservedRequests)`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        request_id = request_id_from(headers.get(REQUEST_ID_HEADER))
        scope[REQUEST_ID_SCOPE_KEY] = request_id
        span = trace.get_current_span()
        if span.is_recording():
            span.set_attribute("paizhu.request_id", request_id)
        context = RequestContext(request_id=request_id, trace_id=_trace_id(headers), method=scope["method"],
                                 scope=scope)
        token = request_context.set(context)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        failed = False
        try:
            await self.app(scope, receive, send_with_id)
        except BaseException:
            failed = True
            raise
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %s %.1fms", scope["method"], context.route or "-", status, elapsed_ms,
                            extra={"status": status, "duration_ms": round(elapsed_ms, 2)})
            if not failed:
                request_context.reset(token)
            # on an unhandled error the context stays set: the 500 handler runs after this middleware in
            # the same task, and its log line must carry the request's fields too
