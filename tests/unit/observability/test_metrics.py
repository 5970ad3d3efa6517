"""Prometheus metrics: `/metrics` on the HTTP processes, a metrics server for the others, the alarm gauge."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from runtime.metrics import configure_metrics, start_metrics_server
from runtime.server import create_service_app
from runtime.telemetry import alarm_raised, clear_alarm, raise_alarm
from services.ledgers.application import LedgersApplication
from tests.unit.observability.support import memory_spans, metric_names

STAFF = {"user_id": "zhang.wei", "name": "张伟", "org_id": "group-mee", "org_kind": "group",
         "roles": ["group_staff"], "group_id": "group-mee", "supervised_unit_ids": ["unit-mee"]}


@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    configure_metrics()
    return memory_spans()


@pytest.fixture
def metrics_server(spans: InMemorySpanExporter) -> Iterator[str]:
    server: Any = start_metrics_server(0, "127.0.0.1")
    try:
        yield f"http://127.0.0.1:{server.server_port}/metrics"
    finally:
        server.shutdown()
        server.server_close()


def alarm_lines(text: str, name: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("paizhu_alarm{") and f'alarm="{name}"' in line]


def test_a_raised_alarm_reads_1_until_it_is_cleared(metrics_server: str) -> None:
    raise_alarm("topic_offsets_backwards")
    assert alarm_raised("topic_offsets_backwards")
    raised = alarm_lines(httpx.get(metrics_server, timeout=10).text, "topic_offsets_backwards")
    assert len(raised) == 1 and raised[0].endswith(" 1.0")
    clear_alarm("topic_offsets_backwards")
    assert not alarm_raised("topic_offsets_backwards")
    cleared = alarm_lines(httpx.get(metrics_server, timeout=10).text, "topic_offsets_backwards")
    assert len(cleared) == 1 and cleared[0].endswith(" 0.0")


def test_no_metrics_server_without_a_port() -> None:
    assert start_metrics_server(None) is None


def test_a_service_server_serves_metrics_and_makes_one_server_span_per_request(spans: InMemorySpanExporter) -> None:
    client = TestClient(create_service_app(LedgersApplication(), "token"))
    headers = {"x-paizhu-service-token": "token", "x-paizhu-principal": json.dumps(STAFF),
               "x-paizhu-action": "ledgers.read_directive", "x-request-id": "from-gateway-1"}
    spans.clear()
    answer = client.post("/operations/GetDirective", json={"directive_id": "0b7c4a52-1f0e-4f43-9d5e-3a5c1b2d9e10"},
                         headers=headers)
    assert answer.status_code == 404, answer.text
    assert answer.headers["x-request-id"] == "from-gateway-1"
    finished = spans.get_finished_spans()
    server = [s for s in finished if s.kind == SpanKind.SERVER]
    assert [s.name for s in server] == ["POST /operations/{name}"]
    operation = [s for s in finished if s.name == "service ledgers.GetDirective"]
    parents = {s.context.span_id: s.parent.span_id for s in finished if s.parent is not None}
    ancestor = operation[0].context.span_id
    while ancestor in parents and ancestor != server[0].context.span_id:
        ancestor = parents[ancestor]
    assert ancestor == server[0].context.span_id  # nested in the server span, not a second root
    scraped = client.get("/metrics", headers={"x-paizhu-service-token": "token"})
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    assert 'http_route="/operations/{name}"' in scraped.text
    assert "http_server_request_duration_seconds_bucket" in metric_names(scraped.text)
