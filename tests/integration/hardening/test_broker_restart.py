"""The broker restarts and loses its topics (Tansu's memory storage): the relay makes a new producer, sees that
its topic lost what it had published, publishes it again, and the read model gets every event once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bench.reliability import Broker
from bench.support import run_cli
from events.catalog import load_all
from events.envelope import Envelope
from events.topics import topic_for
from paizhu.keys import load_keys
from paizhu.services import build_app
from projections.common.db import connect
from projections.hq_dashboard.projection import HqDashboard
from projections.hq_dashboard.view import HqDashboardView
from runtime.projection_feeds import KafkaFeed, SourceReset
from runtime.projection_runner import SOURCE_RESET_ALARM, ProjectionRunner
from runtime.relay import LOST_EVENTS_ALARM, Relay, kafka_producer
from runtime.telemetry import alarm_raised
from runtime.topic_guard import TopicGuard
from tests.conftest import distributed_env, last_published, read_topic, settings_from
from tests.factories import acting_as

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def broker() -> Iterator[Broker]:
    broker = Broker()
    broker.start()
    broker.provision = lambda: None  # type: ignore[method-assign]  # after a restart, nobody provisions the topics
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="module")
def env(pg_database: str, broker: Broker, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return distributed_env(pg_database, broker.bootstrap, Path(tmp_path_factory.mktemp("data")))


def register(app, first: int, count: int) -> None:  # type: ignore[no-untyped-def]
    with app.acting(acting_as()):
        for n in range(first, first + count):
            directive_id = app.register_directive(
                group_id="group-mee", unit_id="unit-mee", reference_number=f"重启〔2025〕{n}号", issuer="生态环境部",
                title=f"重启{n}", issued_on=date(2025, 1, 2), received_on=date(2025, 1, 3),
                lead_department="办公厅")["directive_id"]
            app.record_stage(directive_id=directive_id, stage="relay_study", done_on=date(2025, 1, 4),
                             summary="传达", done_by="党组")


def test_after_a_broker_restart_the_relay_republishes_and_the_read_model_has_every_event_once(
    env: dict[str, str], broker: Broker
) -> None:
    load_all()
    settings = settings_from(env)
    ledgers = build_app(settings, load_keys(settings), "ledgers")
    runner = ProjectionRunner(HqDashboard(), connect(settings.read_models_url()))
    runner.setup()
    relay = run_cli(env, "relay", "ledgers")
    projector = run_cli(env, "project", "hq_dashboard")
    try:
        register(ledgers, 0, 10)
        assert runner.wait_for("ledgers", last_published(ledgers), timeout=60), "not caught up before the restart"

        broker.restart()  # empty: the topics and the producer ids are gone
        register(ledgers, 10, 10)
        started = time.monotonic()
        assert runner.wait_for("ledgers", last_published(ledgers), timeout=90), "not caught up after the restart"
        print(f"caught up {time.monotonic() - started:.1f}s after the broker restart")
        assert relay.poll() is None and projector.poll() is None, "a process died"

        rows = HqDashboardView(runner.db).directives(lambda row: row["title"].startswith("重启"))
        assert len(rows) == 20
        assert sum(row["stages_done"] for row in rows) == 20
        assert runner.dead_letter_count() == 0
        # the topic holds every event again (the first ten were published again), one partition as provisioned
        published = {Envelope.from_bytes(m.value).position for m in read_topic(broker.bootstrap, topic_for("ledgers"))}
        expected = {e.position for e in ledgers.integration_events(0, 10_000)[0]}
        assert expected <= published
    finally:
        for process in (relay, projector):
            process.terminate()
            process.wait(timeout=30)
        ledgers.close()


def test_a_projector_whose_topic_lost_events_raises_an_alarm_and_is_not_fresh_until_they_are_back(
    env: dict[str, str], broker: Broker
) -> None:
    """In-process: the broker comes back empty and nobody has published again yet."""
    load_all()
    settings = settings_from(env)
    ledgers = build_app(settings, load_keys(settings), "ledgers")
    runner = ProjectionRunner(HqDashboard(), connect(settings.read_models_url()))
    runner.reset()
    topic = topic_for("ledgers")
    feed = KafkaFeed(runner, broker.bootstrap, [topic])
    relay: Relay | None = None
    try:
        feed.run(threading.Event(), max_events=len(read_topic(broker.bootstrap, topic)))
        applied = runner.positions()["ledgers"]
        assert applied > 0
        assert runner.alarms() == {}

        broker.restart()
        with pytest.raises(SourceReset):
            feed.run(threading.Event())
        assert set(runner.alarms()) == {topic}  # the gateway's /readyz answers not ready while this is set
        assert alarm_raised(f"{SOURCE_RESET_ALARM}:hq_dashboard")
        assert runner.positions()["ledgers"] == applied  # nothing was applied, nothing is claimed

        relay = Relay(ledgers, None, new_producer=lambda: kafka_producer(broker.bootstrap),
                      guard=TopicGuard(broker.bootstrap, topic))
        while relay.run_once():
            pass
        assert alarm_raised(LOST_EVENTS_ALARM) is False  # raised while republishing, cleared once it was done
        feed.run(threading.Event(), max_events=len(read_topic(broker.bootstrap, topic)))
        assert runner.alarms() == {}
        assert not alarm_raised(f"{SOURCE_RESET_ALARM}:hq_dashboard")
        rows = HqDashboardView(runner.db).directives(lambda row: row["title"].startswith("重启"))
        assert len(rows) == 20
        assert sum(row["stages_done"] for row in rows) == 20
    finally:
        if relay is not None:
            relay.close()  # the producer and the guard's consumer
        ledgers.close()
