"""Every request: one SERVER span named by its route template, a request id echoed back, log lines that
carry the request's ids, user and route, one access line, and an id to quote on a 500."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from gateway.deps import CurrentPrincipal
from gateway.main import create_app
from paizhu.platform import Platform
from paizhu.settings import Settings
from runtime.logging import configure_logging
from runtime.metrics import configure_metrics
from tests.api_helpers import Api
from tests.unit.observability.support import memory_spans

DIRECTIVE_ID = "0b7c4a52-1f0e-4f43-9d5e-3a5c1b2d9e10"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger("uvicorn.access").disabled)
    stream = io.StringIO()
    configure_logging("INFO", "gateway-test", stream=stream)  # not a terminal: JSON lines
    try:
        yield stream
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        logging.getLogger("uvicorn.access").disabled = saved[2]


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    configure_metrics()
    return memory_spans()


@pytest.fixture(scope="module")
def api(spans: InMemorySpanExporter) -> Iterator[Api]:
    platform = Platform(Settings(mode="embedded", demo=False), in_memory=True)
    app = create_app(platform.gateway_runtime())

    def explode(thing_id: str, _: CurrentPrincipal) -> dict[str, Any]:
        logging.getLogger("paizhu.test").info("about to fail on %s", thing_id)
        raise RuntimeError("a bug")

    app.add_api_route("/api/things/{thing_id}/explode", explode, methods=["POST"])
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Api(platform, client)
    finally:
        platform.stop()


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_request_makes_exactly_one_server_span_named_by_its_route_template(
    api: Api, spans: InMemorySpanExporter
) -> None:
    api.token("zhang.wei")
    spans.clear()
    response = api.get("zhang.wei", f"/api/ledgers/directives/{DIRECTIVE_ID}")
    assert response.status_code == 404
    server = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert [s.name for s in server] == ["GET /api/ledgers/directives/{directive_id}"]
    assert all(DIRECTIVE_ID not in s.name for s in spans.get_finished_spans())
    assert server[0].attributes and server[0].attributes["http.route"] == "/api/ledgers/directives/{directive_id}"
    assert server[0].parent is None  # no traceparent came: the request starts the trace


def test_an_incoming_traceparent_is_continued_by_the_one_server_span(api: Api, spans: InMemorySpanExporter) -> None:
    spans.clear()
    api.get("zhang.wei", "/api/hq/dashboard", headers={"traceparent": TRACEPARENT})
    server = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert len(server) == 1
    assert format(server[0].context.trace_id, "032x") == TRACE_ID
    assert server[0].parent is not None and server[0].parent.span_id == 0x00F067AA0BA902B7
    assert {format(s.context.trace_id, "032x") for s in spans.get_finished_spans()} == {TRACE_ID}


def test_every_line_of_a_request_carries_its_ids_user_and_route_as_json(
    api: Api, log_stream: io.StringIO
) -> None:
    response = api.get("zhang.wei", f"/api/ledgers/directives/{DIRECTIVE_ID}",
                       headers={"X-Request-ID": "client-42.a:b", "traceparent": TRACEPARENT})
    assert response.headers["X-Request-ID"] == "client-42.a:b"
    access = [line for line in lines(log_stream) if line["logger"] == "paizhu.access"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "client-42.a:b" and line["trace_id"] == TRACE_ID
    assert line["user"] == "zhang.wei" and line["method"] == "GET"
    assert line["route"] == "/api/ledgers/directives/{directive_id}" and line["status"] == 404
    assert line["duration_ms"] >= 0 and line["process"] == "gateway-test" and line["level"] == "info"
    assert DIRECTIVE_ID not in json.dumps(line)


@pytest.mark.parametrize("sent", ["x" * 129, "bad id", "<script>", "ä", "", "-leading-dash"])
def test_an_unsafe_or_oversized_request_id_is_replaced_by_a_fresh_one(api: Api, sent: str) -> None:
    response = api.client.get("/healthz", headers={"X-Request-ID": sent} if sent.isascii() else {})
    echoed = response.headers["X-Request-ID"]
    assert echoed != sent and len(echoed) == 32 and echoed.isalnum()


def test_a_request_without_an_id_gets_a_fresh_one_each_time(api: Api) -> None:
    first, second = (api.client.get("/healthz").headers["X-Request-ID"] for _ in range(2))
    assert first != second


def test_a_500_gives_the_user_an_id_to_quote_and_logs_it_with_the_request(
    api: Api, log_stream: io.StringIO
) -> None:
    response = api.post("zhang.wei", "/api/things/t-1234/explode", headers={"X-Request-ID": "quote-me-7"})
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error" and error["request_id"] == "quote-me-7"
    assert "quote-me-7" in error["message"] and "RuntimeError" not in response.text
    assert response.headers["X-Request-ID"] == "quote-me-7"
    logged = lines(log_stream)
    failure = [line for line in logged if line["message"].startswith("unhandled error")]
    assert len(failure) == 1 and failure[0]["request_id"] == "quote-me-7"
    assert failure[0]["route"] == "/api/things/{thing_id}/explode" and "RuntimeError: a bug" in failure[0]["exception"]
    inside = [line for line in logged if line["logger"] == "paizhu.test"]
    assert inside and inside[0]["request_id"] == "quote-me-7" and inside[0]["user"] == "zhang.wei"
    access = [line for line in logged if line["logger"] == "paizhu.access"]
    assert [a["status"] for a in access] == [500]


def test_on_a_terminal_the_lines_are_for_people_not_json() -> None:
    stream = Terminal()
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    try:
        configure_logging("INFO", "cli", stream=stream)
        logging.getLogger("paizhu.test").info("hello %s", "world")
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    text = stream.getvalue()
    assert "INFO" in text and "paizhu.test: hello world" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
