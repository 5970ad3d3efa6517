"""Feeds for projection runners: the services' notification logs (embedded) or Kafka (distributed)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from events.envelope import Envelope
from events.topics import DEAD_LETTER_TOPIC
from runtime.projection_runner import Item, ProjectionRunner

log = logging.getLogger(__name__)

Reader = Callable[[int, int], tuple[list[Envelope], int]]
"""(after, limit) -> (published envelopes, last position read)"""


class LogFollower:
    """Embedded mode: follow each service's notification log in-process."""

    def __init__(self, runner: ProjectionRunner, readers: dict[str, Reader], batch: int = 1000) -> None:
        self.runner = runner
        self.readers = readers
        self.batch = batch

    def run_once(self) -> int:
        """Process everything new; return how many events were read."""
        total = 0
        tracked = self.runner.tracked_offsets()
        for service, reader in self.readers.items():
            source = f"log:{service}"
            offset = tracked.get((source, 0), 0)
            while True:
                envelopes, last = reader(offset, self.batch)
                if last <= offset:
                    break
                items = [Item(source, 0, e.position, e) for e in envelopes]
                self.runner.process(items, reached={(source, 0): last}, covered={service: last})
                total += last - offset
                offset = last
        return total

    def run(self, stop: threading.Event, wake: threading.Event, idle: float = 0.2) -> None:
        while not stop.is_set():
            try:
                if self.run_once() == 0:
                    wake.wait(idle)
                    wake.clear()
            except Exception:
                log.exception("projection %s follower failed; retrying", self.runner.projection.name)
                stop.wait(1.0)


class KafkaFeed:
    """Distributed mode: consume the services' topics from the positions stored with the read model."""

    def __init__(self, runner: ProjectionRunner, bootstrap: str, topics: list[str], batch: int = 5000) -> None:
        self.runner = runner
        self.bootstrap = bootstrap
        self.topics = topics
        self.batch = batch
        self._producer: Any = None

    def _dead_letter(self, projection: str, item: Item, reason: str) -> None:
        if self._producer is None:
            return
        self._producer.send(
            DEAD_LETTER_TOPIC,
            value=item.raw or (item.envelope.to_bytes() if item.envelope else b""),
            headers=[("projection", projection.encode()), ("reason", reason.encode()[:500]),
                     ("source", f"{item.source}/{item.partition}/{item.offset}".encode())],
        )

    def run(self, stop: threading.Event, max_events: int | None = None) -> int:
        from kafka import KafkaConsumer, KafkaProducer, TopicPartition

        from events.kafka import ensure_topics

        ensure_topics(self.bootstrap, [*self.topics, DEAD_LETTER_TOPIC])
        producer = self._producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all")
        self.runner.dead_letter_sink = self._dead_letter
        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap, enable_auto_commit=False, group_id=None,
            max_partition_fetch_bytes=8 * 1024 * 1024, fetch_max_bytes=64 * 1024 * 1024,
            fetch_max_wait_ms=20,  # low latency: do not let an empty fetch sit at the broker
        )
        partitions = [
            TopicPartition(topic, p)
            for topic in self.topics
            for p in sorted(consumer.partitions_for_topic(topic) or {0})
        ]
        consumer.assign(partitions)
        tracked = self.runner.tracked_offsets()
        for tp in partitions:
            offset = tracked.get((tp.topic, tp.partition))
            if offset is None:
                consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, offset + 1)
        processed = 0
        try:
            while not stop.is_set() and (max_events is None or processed < max_events):
                records = consumer.poll(timeout_ms=200, max_records=self.batch)
                items = []
                for tp, messages in records.items():
                    for m in messages:
                        headers = dict(m.headers or [])
                        items.append(Item(tp.topic, tp.partition, m.offset, raw=m.value,
                                          traceparent=(headers.get("traceparent") or b"").decode()))
                if items:
                    self.runner.process(items)
                    processed += len(items)
                    producer.flush()
        finally:
            consumer.close()
            producer.close()
        return processed
