"""A policy fed from Kafka records its effect once, also when the event is delivered twice."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from kafka import KafkaAdminClient, KafkaProducer, TopicPartition

from events.catalog import load_all
from events.topics import topic_for
from events.units import DirectiveNotified
from paizhu.keys import load_keys
from paizhu.services import build_app
from runtime.policy_runners import KafkaPolicyRunner
from tests.conftest import settings_from
from tests.factories import make_envelope

pytestmark = pytest.mark.integration


def test_a_notification_delivered_twice_opens_one_directive(distributed: dict[str, str]) -> None:
    load_all()
    settings = settings_from(distributed)
    ledgers = build_app(settings, load_keys(settings), "ledgers")
    notified = make_envelope(
        DirectiveNotified(notification_id="n-1", reference_number="国办发〔2025〕12号", issuer="国务院办公厅",
                          title="关于加强生态环境分区管控的意见", issued_on=date(2025, 3, 1),
                          received_on=date(2025, 3, 3), lead_department="环境影响评价与排放管理司"),
        service="units", position=5, distribution="unit")
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    for _ in range(2):  # the units relay republished after a crash
        producer.send(topic_for("units"), key=notified.stream_id.encode(), value=notified.to_bytes())
    producer.flush()
    producer.close()

    stop = threading.Event()
    runner = threading.Thread(target=KafkaPolicyRunner(ledgers, settings.kafka_bootstrap, ["units"]).run,
                              args=(stop,))
    runner.start()
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
        deadline = time.monotonic() + 60
        while True:  # until the consumer group has committed past both copies
            group = f"paizhu.policy.{ledgers.name}"
            committed = admin.list_group_offsets(group).get(group, {}).get(TopicPartition(topic_for("units"), 0))
            if committed is not None and committed.offset >= 2:
                break
            assert time.monotonic() < deadline, "the policy did not consume both deliveries"
            time.sleep(0.1)
        admin.close()
        assert ledgers.process_recorder.max_tracking_id("units") == 5
    finally:
        stop.set()
        runner.join(30)
    envelopes, _ = ledgers.integration_events(0, 1000)
    registered = [e for e in envelopes if e.type == "ledgers.DirectiveRegistered"]
    assert [e.payload["reference_number"] for e in registered] == ["国办发〔2025〕12号"]
    assert registered[0].causation_id == notified.event_id  # the effect names its cause
    ledgers.close()
