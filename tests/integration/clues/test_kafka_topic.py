"""The whole clues topic on a real Kafka-protocol broker holds no subject name and no allegation text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eventsourcing.cryptography import AESCipher

from events.sealed import generate_keypair
from events.topics import topic_for
from runtime.relay import Relay
from services.clues.application import CluesApplication
from services.common.clock import ManualClock
from tests.unit.clues.conftest import START
from tests.unit.clues.test_published_events import SECRETS, run_full_lifecycle

pytestmark = pytest.mark.integration


def consume_all(bootstrap: str, topic: str) -> list[bytes]:
    """Every message of every partition of the topic, from the beginning."""
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or {0})]
    consumer.assign(partitions)
    consumer.seek_to_beginning(*partitions)
    beginnings = consumer.beginning_offsets(partitions)
    ends = consumer.end_offsets(partitions)
    expected = sum(ends[p] - beginnings[p] for p in partitions)
    values: list[bytes] = []
    for _ in range(100):
        for records in consumer.poll(timeout_ms=200).values():
            values.extend(record.value for record in records)
        if len(values) >= expected:
            break
    consumer.close()
    return values


def test_clues_topic_carries_no_clue_content(kafka_bootstrap: str, tmp_path: Path) -> None:
    from kafka import KafkaProducer

    private, public = generate_keypair()
    clock = ManualClock(START)
    app = CluesApplication(env={
        "PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "clues.db"),
        "CIPHER_TOPIC": "eventsourcing.cryptography:AESCipher", "CIPHER_KEY": AESCipher.create_key(num_bytes=32),
        "CLUES_SEALING_PRIVATE_KEY": private,
    }, clock=clock)
    run_full_lifecycle(app, clock, public)
    producer = KafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    relay = Relay(app, producer)
    while relay.run_once():
        pass
    producer.close()

    published, _ = app.integration_events(0, 10_000)
    messages = consume_all(kafka_bootstrap, topic_for("clues"))
    assert len(messages) == len(published) > 15
    for raw in messages:
        text = raw.decode("utf-8")
        envelope = json.loads(text)
        drafted = envelope["type"] == "clues.RecommendationDrafted"  # a draft stays in the group
        assert envelope["distribution"] in (("group",) if drafted else ("hq", "unit"))
        for group in SECRETS.values():
            for secret in group:
                assert secret not in text, secret
