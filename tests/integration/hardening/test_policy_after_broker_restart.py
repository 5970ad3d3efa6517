"""A broker that restarts without its data (Tansu's memory storage) must not cost a policy any event.

Found by the fault suite (bench/reliability.py --soak): after `broker-restart`, notifications of later faults
never became directives, and read models differed from a from-zero rebuild even after every process was
restarted by hand. Two causes, each a test here:
- a consumer asking the new broker for a topic has it made with the broker's default partition count (4 on
  Tansu, whatever the client asks): the ledgers' policy then refused those topics for good (TopicMisconfigured),
  because the relay of a service that had never published anything (clues, inspections in the run) left them so;
- the policy consumer went on from its offsets into the old topic: the topic the relay publishes again holds no
  duplicates the old one held (republished after a crash), so the same offset is a later event, and every event
  in between was skipped for good.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer

from bench.reliability import Broker
from events.catalog import load_all
from events.envelope import Envelope
from events.kafka import ensure_topics
from events.topics import topic_for
from events.units import DirectiveNotified
from paizhu.keys import load_keys
from paizhu.services import build_app
from runtime.relay import Relay, kafka_producer
from runtime.topic_guard import TopicGuard
from tests.conftest import distributed_env, settings_from
from tests.factories import make_envelope

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


def notification(n: int) -> Envelope:
    return make_envelope(
        DirectiveNotified(notification_id=f"n-{n}", reference_number=f"重启〔2025〕{n}号", issuer="国务院办公厅",
                          title=f"关于加强生态环境分区管控的意见{n}", issued_on=date(2025, 3, 1),
                          received_on=date(2025, 3, 3), lead_department="环境影响评价与排放管理司"),
        service="units", position=n, distribution="unit")


def publish(bootstrap: str, envelopes: list[Envelope]) -> None:
    """As the units relay does (one partition, in position order)."""
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", allow_auto_create_topics=False)
    for envelope in envelopes:
        producer.send(topic_for("units"), key=envelope.stream_id.encode(), value=envelope.to_bytes())
    producer.flush()
    producer.close()


def partitions(bootstrap: str, topic: str) -> int | None:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, allow_auto_create_topics=False)
    try:
        return len(consumer.partitions_for_topic(topic) or ()) if topic in consumer.topics() else None
    finally:
        consumer.close()


def wait_until(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_relay_that_never_published_makes_its_topic_again_with_the_configured_partitions(
    env: dict[str, str], broker: Broker
) -> None:
    """A client the broker obliged (its default partition count) made the topic of a service that has published
    nothing yet: the relay makes it again as configured, or every consumer of it refuses it for good."""
    load_all()
    settings = settings_from(env)
    clues = build_app(settings, load_keys(settings), "clues")
    topic = topic_for("clues")
    broker.restart()
    ensure_topics(broker.bootstrap, [topic], 4)
    relay = Relay(clues, None, new_producer=lambda: kafka_producer(broker.bootstrap),
                  guard=TopicGuard(broker.bootstrap, topic), check_interval=0.0)
    try:
        assert relay.position() == 0
        relay.run_once()
        assert partitions(broker.bootstrap, topic) == 1
    finally:
        if relay.producer is not None:
            relay.producer.close()
        if relay.guard is not None:
            relay.guard.forget()
        clues.close()
