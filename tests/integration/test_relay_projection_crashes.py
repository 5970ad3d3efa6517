"""Crashes between the broker's acknowledgement and saving positions lose nothing and double nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from bench.support import run_cli
from events.catalog import load_all
from events.topics import topic_for
from paizhu.keys import load_keys
from paizhu.services import build_app
from projections.common.db import connect
from projections.hq_dashboard.projection import HqDashboard
from projections.hq_dashboard.view import HqDashboardView
from runtime.projection_feeds import KafkaFeed
from runtime.projection_runner import ProjectionRunner
from runtime.relay import RELAY_TRACKING
from tests.conftest import last_published, settings_from
from tests.factories import acting_as
from tests.integration.crashing import PROJECTOR_CRASHED, RELAY_CRASHED

pytestmark = pytest.mark.integration
DIRECTIVES = 40


@pytest.fixture(scope="module")
def ledgers(distributed: dict[str, str]):  # type: ignore[no-untyped-def]
    load_all()
    settings = settings_from(distributed)
    app = build_app(settings, load_keys(settings), "ledgers")
    with app.acting(acting_as()):
        for n in range(DIRECTIVES):
            directive_id = app.register_directive(
                group_id="group-mee", unit_id="unit-mee", reference_number=f"环发〔2025〕{n}号", issuer="生态环境部",
                title=f"批示件{n}", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
                lead_department="办公厅")["directive_id"]
            app.record_stage(directive_id=directive_id, stage="relay_study", done_on=date(2025, 1, 4),
                             summary="传达", done_by="党组")
    yield app
    app.close()


def run_crashing(env: dict[str, str], hook: str, *args: str) -> subprocess.Popen[bytes]:
    """Start `paizhu ARGS` with a crash hook of tests/integration/crashing.py."""
    return subprocess.Popen([sys.executable, "-m", "tests.integration.crashing", hook, *args],
                            env={**os.environ, **env}, cwd=Path(__file__).resolve().parents[2])


def topic_messages(bootstrap: str, topic: str) -> int:
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    tp = TopicPartition(topic, 0)
    consumer.assign([tp])
    consumer.seek_to_end(tp)
    end = consumer.position(tp)
    consumer.close()
    return int(end)


def read_model(distributed: dict[str, str]) -> ProjectionRunner:
    runner = ProjectionRunner(HqDashboard(), connect(settings_from(distributed).read_models_url()))
    runner.setup()
    return runner


def test_relay_killed_after_the_ack_republishes_and_the_read_model_counts_once(
    distributed: dict[str, str], ledgers  # type: ignore[no-untyped-def]
) -> None:
    crashed = run_crashing(distributed, "relay-after-ack", "relay", "ledgers")
    assert crashed.wait(timeout=120) == RELAY_CRASHED  # died after the broker acknowledged, before saving its position
    assert ledgers.process_recorder.max_tracking_id(RELAY_TRACKING) is None
    published_before_restart = topic_messages(distributed["PAIZHU_KAFKA_BOOTSTRAP"], topic_for("ledgers"))
    assert published_before_restart > 0

    relay = run_cli(distributed, "relay", "ledgers")
    try:
        import time

        deadline = time.monotonic() + 60
        while (ledgers.process_recorder.max_tracking_id(RELAY_TRACKING) or 0) < ledgers.max_position():
            assert time.monotonic() < deadline, "relay did not catch up"
            time.sleep(0.2)
    finally:
        relay.terminate()
        relay.wait(timeout=30)
    total = topic_messages(distributed["PAIZHU_KAFKA_BOOTSTRAP"], topic_for("ledgers"))
    assert total > published_before_restart  # the first batch went out twice

    runner = read_model(distributed)
    KafkaFeed(runner, distributed["PAIZHU_KAFKA_BOOTSTRAP"], [topic_for("ledgers")]).run(
        threading.Event(), max_events=total)
    rows = HqDashboardView(runner.db).directives(lambda row: True)
    assert len(rows) == DIRECTIVES
    assert all(row["stages_done"] == 1 for row in rows)


def test_projector_killed_mid_batch_resumes_without_loss_or_double_counting(
    distributed: dict[str, str], ledgers  # type: ignore[no-untyped-def]
) -> None:
    runner = read_model(distributed)
    runner.reset()
    crashed = run_crashing(distributed, "projector-after=25", "project", "hq_dashboard")
    assert crashed.wait(timeout=120) == PROJECTOR_CRASHED
    assert runner.positions().get("ledgers", 0) == 0  # the open transaction was rolled back with the crash
    projector = run_cli(distributed, "project", "hq_dashboard")
    try:
        assert runner.wait_for("ledgers", last_published(ledgers), timeout=60)
    finally:
        projector.terminate()
        projector.wait(timeout=30)
    rows = HqDashboardView(runner.db).directives(lambda row: True)
    assert len(rows) == DIRECTIVES
    assert sum(row["stages_done"] for row in rows) == DIRECTIVES
    assert runner.dead_letter_count() == 0
