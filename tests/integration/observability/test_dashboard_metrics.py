"""Every metric the sample Grafana dashboard uses is exported: a request through the gateway, the relay to
the broker, the projector's update, a dead letter and an alarm, scraped from the gateway's `/metrics` and
from a relay/projector metrics server."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

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
from runtime.metrics import configure_metrics, start_metrics_server
from runtime.projection_feeds import KafkaFeed
from runtime.projection_runner import Item, ProjectionRunner
from runtime.relay import Relay, kafka_producer
from runtime.telemetry import clear_alarm, raise_alarm
from tests.conftest import settings_from
from tests.unit.observability.support import memory_spans, metric_names

pytestmark = pytest.mark.integration

DASHBOARD = Path(__file__).resolve().parents[3] / "deploy" / "grafana" / "paizhu.json"
_FUNCTIONS_AND_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
                           "offset", "bool"}


def dashboard_metrics() -> set[str]:
    """The metric names the dashboard's PromQL expressions select."""
    names: set[str] = set()
    for panel in json.loads(DASHBOARD.read_text(encoding="utf-8"))["panels"]:
        for target in panel["targets"]:
            expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\b(?:by|without)\s*\([^)]*\)|\"[^\"]*\"", " ", target["expr"])
            for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr):
                is_function = expr[match.end():].lstrip().startswith("(")
                if not is_function and match.group(0) not in _FUNCTIONS_AND_KEYWORDS:
                    names.add(match.group(0))
    return names


def test_the_dashboard_reads_metrics_its_expressions_name() -> None:
    assert dashboard_metrics() >= {
        "http_server_request_duration_seconds_bucket", "paizhu_command_duration_milliseconds_bucket",
        "paizhu_relay_lag_milliseconds_bucket", "paizhu_projection_lag_milliseconds_bucket",
        "paizhu_projection_dead_letters_total", "paizhu_alarm",
    }


def test_every_metric_the_dashboard_uses_is_exported(distributed: dict[str, str]) -> None:
    configure_metrics()
    memory_spans()  # a configured tracer provider, as every process has one
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
    server: Any = start_metrics_server(0, "127.0.0.1")
    try:
        with TestClient(create_app(runtime)) as client:
            token = client.post("/api/session/login",
                                json={"user_id": "zhang.wei", "password": DEMO_PASSWORD}).json()["access_token"]
            created = client.post("/api/ledgers/directives", headers={"Authorization": f"Bearer {token}"}, json={
                "group_id": "group-mee", "unit_id": "unit-mee", "reference_number": "环发〔2025〕91号",
                "issuer": "生态环境部", "title": "关于加强监测数据质量管理的通知", "issued_on": "2025-02-01",
                "received_on": "2025-02-02", "lead_department": "生态环境监测司"})
            assert created.status_code == 201, created.text

            relay = Relay(ledgers, kafka_producer(settings.kafka_bootstrap))
            while relay.run_once():
                pass
            relay.producer.close()
            applied = KafkaFeed(runner, settings.kafka_bootstrap, [topic_for("ledgers")]).run(
                threading.Event(), max_events=1)
            assert applied == 1
            runner.dead_letter_sink = None  # the feed's producer is closed; the count is what matters here
            runner.process([Item("paizhu.ledgers.v1", 0, 10_000, raw=b"{not an envelope")])
            assert runner.dead_letter_count() == 1
            raise_alarm("dashboard_test")
            clear_alarm("dashboard_test")

            exported = metric_names(client.get("/metrics").text)
            exported |= metric_names(httpx.get(f"http://127.0.0.1:{server.server_port}/metrics", timeout=10).text)
    finally:
        server.shutdown()
        server.server_close()
        ledgers.close()
    missing = dashboard_metrics() - exported
    assert not missing, f"the dashboard uses metrics no process exports: {sorted(missing)}"
