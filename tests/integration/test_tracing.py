"""One trace from the HTTP request through the command, the append, the relay and the projection update."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from events.catalog import load_all
from events.topics import topic_for
from gateway.accounts import DEMO_PASSWORD
from gateway.auth import Authenticator, demo_password_hashes
from gateway.clients import LocalClient, Services
from gateway.deps import GatewayRuntime, ReadModelsAccess
from gateway.main import create_app
from paizhu.keys import load_keys
from paizhu.services import build_app
from projections.common.db import SqliteDatabase
from projections.hq_dashboard.projection import HqDashboard
from runtime.projection_feeds import KafkaFeed
from runtime.projection_runner import ProjectionRunner
from runtime.relay import Relay, kafka_producer
from tests.conftest import settings_from
from tests.unit.observability.support import memory_spans

pytestmark = pytest.mark.integration

@pytest.fixture(scope="module")
def spans() -> InMemorySpanExporter:
    return memory_spans()  # attached to whichever SDK provider an earlier test may have installed


def test_a_trace_reaches_from_the_http_request_to_the_projection_update(
    distributed: dict[str, str], spans: InMemorySpanExporter
) -> None:
    load_all()
    settings = settings_from(distributed)
    keys = load_keys(settings)
    ledgers = build_app(settings, keys, "ledgers")
    runner = ProjectionRunner(HqDashboard(), SqliteDatabase(":memory:"))
    runner.setup()
    runtime = GatewayRuntime(
        services=Services({"ledgers": LocalClient(ledgers)}),
        authenticator=Authenticator(keys.token_signing, demo_password_hashes(None)),
        read_models=ReadModelsAccess(runner.db, {"hq_dashboard": runner}),
    )
    with TestClient(create_app(runtime)) as client:
        token = client.post("/api/session/login",
                            json={"user_id": "zhang.wei", "password": DEMO_PASSWORD}).json()["access_token"]
        spans.clear()
        response = client.post("/api/ledgers/directives", headers={"Authorization": f"Bearer {token}"}, json={
            "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "环发〔2025〕88号",
            "issuer": "生态环境部", "title": "关于加强入河排污口监督管理的通知", "issued_on": "2025-02-01",
            "received_on": "2025-02-02", "lead_department": "水生态环境司"})
        assert response.status_code == 201, response.text

    relay = Relay(ledgers, kafka_producer(settings.kafka_bootstrap))
    while relay.run_once():
        pass
    relay.close()
    KafkaFeed(runner, settings.kafka_bootstrap, [topic_for("ledgers")]).run(threading.Event(), max_events=1)

    finished: list[Any] = list(spans.get_finished_spans())
    by_name = {s.name: s for s in finished}
    names = ["POST /api/ledgers/directives", "command ledgers.register_directive", "append ledgers",
             "relay ledgers.DirectiveRegistered", "project hq_dashboard ledgers.DirectiveRegistered"]
    missing = [n for n in names if n not in by_name]
    assert not missing, f"missing spans {missing}; have {sorted(by_name)}"
    trace_ids = {by_name[n].context.trace_id for n in names}
    assert len(trace_ids) == 1
    parents = {s.context.span_id: s.parent.span_id for s in finished if s.parent is not None}

    def descends(child: str, ancestor: str) -> bool:
        span_id = by_name[child].context.span_id
        while span_id in parents:
            span_id = parents[span_id]
            if span_id == by_name[ancestor].context.span_id:
                return True
        return False

    for child, ancestor in zip(names[1:], names[:-1], strict=True):
        if ancestor == "append ledgers":
            ancestor = "command ledgers.register_directive"  # the relay continues the command's context
        assert descends(child, ancestor), f"{child} does not descend from {ancestor}"
    ledgers.close()
