"""Feeds for projection runners: the services' notification logs (embedded) or Kafka (distributed)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from events.envelope import Envelope
from events.topics import DEAD_LETTER_TOPIC, service_of
from runtime.projection_runner import Item, PartitionMoved, ProjectionRunner
from runtime.singleton import LockLost, SingletonLock
from runtime.topic_guard import topic_ids
from runtime.watermarks import watermark_of

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


GROUP_BATCH = 500
"""A consumer-group member's largest batch: applied well within max_poll_interval_ms even on a loaded machine
(a member that polls too late is dropped from the group, and its partitions move)."""


class SourceReset(Exception):
    """A topic went backwards or changed its partitions: the feed starts again (from the beginning of it)."""


class KafkaFeed:
    """Distributed mode: consume the services' topics from the positions stored with the read model.

    With `group` (a consumer-group id: topics with several partitions) the feed is a member of the read model's
    consumer group: the group coordinator spreads the partitions over the projectors, and on an assignment the
    feed seeks each partition to the offset stored with the read model (offsets are never committed to Kafka:
    the read model's transaction is the only record of what was applied). No single-instance lock then: every
    projector works on the partitions it holds, and the tracking row of each partition, locked and compared in
    the batch's transaction, fences a member that lost a partition without noticing yet (ProjectionRunner.claim).
    Without `group` it reads every partition itself (one projector per read model: the singleton `lock`).

    Now and then (and before applying records once the client's metadata shows a new topic id) it compares
    each topic with what it read: a topic made again (a new topic id: a broker restarted without its data, a
    topic deleted and made again), one whose partitions changed, or one that no longer holds the offset to
    read next (the broker says out of range) is a *source reset*:
    the runner raises an alarm, forgets the offsets of that topic and the feed reads it again from the start
    (events already applied are skipped by stream version)."""

    def __init__(self, runner: ProjectionRunner, bootstrap: str, topics: list[str], batch: int = 5000,
                 check_interval: float = 5.0, lock: SingletonLock | None = None, partitions: int = 1,
                 group: str | None = None) -> None:
        self.runner = runner
        self.lock = lock
        self.bootstrap = bootstrap
        self.topics = topics
        self.batch = batch
        self.check_interval = check_interval
        self.partitions = partitions
        self.group = group
        self.assigned: list[Any] = []
        self._producer: Any = None
        self._known: dict[str, str] = {}
        runner.partition_counts.update({topic: partitions for topic in topics})

    def _dead_letter(self, projection: str, item: Item, reason: str) -> None:
        if self._producer is None:
            return
        self._producer.send(
            DEAD_LETTER_TOPIC,
            value=item.raw or (item.envelope.to_bytes() if item.envelope else b""),
            headers=[("projection", projection.encode()), ("reason", reason.encode()[:500]),
                     ("source", f"{item.source}/{item.partition}/{item.offset}".encode())],
        )

    def _check_sources(self, consumer: Any, assigned: list[Any], out_of_range: dict[str, int] | None = None) -> None:
        """Raise SourceReset (after telling the runner) when a topic lost events, was made again or changed its
        partitions; remember the identity of the topics found intact."""
        consumer.topics()  # a remote call: fresh metadata, partition counts and topic ids included
        identities = topic_ids(consumer, self.topics)
        known = self.runner.source_identities()
        out_of_range = out_of_range or {}
        resets: dict[str, str] = {}
        for topic in self.topics:
            now = set(consumer.partitions_for_topic(topic) or ())
            # a group member holds some of the partitions: it compares their count with the configured one
            before = (set(range(self.partitions)) if self.group is not None
                      else {tp.partition for tp in assigned if tp.topic == topic})
            reason = None
            if topic in known and topic in identities and known[topic] != identities[topic]:
                reason = "was made again (a new topic id): the broker lost it or it was deleted"
            elif now != before:
                reason = f"changed its partitions from {sorted(before)} to {sorted(now)}"
            elif topic in out_of_range:
                reason = f"went backwards: it no longer holds offset {out_of_range[topic]} (out of range)"
            if reason is not None:
                resets[topic] = reason
        for topic, reason in resets.items():
            self.runner.source_reset(topic, service_of(topic), reason, identities.get(topic))
        if resets:
            raise SourceReset("; ".join(f"{topic} {reason}" for topic, reason in resets.items()))
        fresh = {topic: i for topic, i in identities.items() if known.get(topic) != i}
        if fresh:
            self.runner.record_source_identities(fresh)
        self._known = {**known, **identities}

    def _moved(self, consumer: Any) -> bool:
        """Cheap (no remote call): did the client's metadata see a topic id change since the last check?"""
        current = topic_ids(consumer, self.topics)
        return any(self._known.get(topic) not in (None, i) for topic, i in current.items())

    def _seek(self, consumer: Any, partitions: list[Any]) -> None:
        """Position each partition after the offset stored with the read model (its beginning: none stored)."""
        keys = [(tp.topic, tp.partition) for tp in partitions]
        stored = self.runner.claim(keys) if self.group is not None else self.runner.tracked_offsets()
        for tp in partitions:
            offset = stored.get((tp.topic, tp.partition))
            if offset is None:
                consumer.seek_to_beginning(tp)
            else:
                consumer.seek(tp, offset + 1)

    def _consumer(self) -> Any:
        from kafka import KafkaConsumer

        settings: dict[str, Any] = dict(
            bootstrap_servers=self.bootstrap, enable_auto_commit=False,
            max_partition_fetch_bytes=8 * 1024 * 1024, fetch_max_bytes=64 * 1024 * 1024,
            fetch_max_wait_ms=20,  # low latency: do not let an empty fetch sit at the broker
            allow_auto_create_topics=False,  # the broker would give a topic its default partition count
            auto_offset_reset="none",  # an offset out of range is a source reset, never a silent jump to the end
        )
        if self.group is None:
            return KafkaConsumer(group_id=None, **settings)
        # short timeouts: a member killed is noticed within seconds and its partitions handed to the others
        # (a batch must then be applied within max_poll_interval_ms: a member's batches hold GROUP_BATCH at most)
        return KafkaConsumer(group_id=self.group, session_timeout_ms=6000, heartbeat_interval_ms=1000,
                             max_poll_interval_ms=60000, client_id=f"paizhu-{self.group}", **settings)

    def _join(self, consumer: Any) -> None:
        """Consumer-group mode: subscribe; on each assignment seek to the stored offsets."""
        from kafka import ConsumerRebalanceListener

        feed = self

        class Listener(ConsumerRebalanceListener):
            def on_partitions_revoked(self, revoked: Any) -> None:
                feed.assigned = []
                feed.runner.claimed = {}
                if revoked:
                    log.info("projection %s gave up %s", feed.runner.projection.name, partition_names(revoked))

            def on_partitions_assigned(self, assigned: Any) -> None:
                feed.assigned = sorted(assigned)
                feed._seek(consumer, feed.assigned)
                log.info("projection %s holds %s", feed.runner.projection.name, partition_names(feed.assigned),
                         extra={"projection": feed.runner.projection.name})

        consumer.subscribe(self.topics, listener=Listener())

    def run(self, stop: threading.Event, max_events: int | None = None) -> int:
        from kafka import KafkaProducer, TopicPartition
        from kafka.errors import NoOffsetForPartitionError, OffsetOutOfRangeError

        from events.kafka import ensure_topics

        if self.lock is not None:
            if not self.lock.ensure(stop):
                return 0
            self.runner.reload()  # another instance may have worked meanwhile
        ensure_topics(self.bootstrap, [*self.topics, DEAD_LETTER_TOPIC], self.partitions)
        producer = self._producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all",
                                                  allow_auto_create_topics=False)
        self.runner.dead_letter_sink = self._dead_letter
        consumer = self._consumer()
        processed = 0
        checked = time.monotonic()
        try:
            consumer.topics()
            if self.group is None:
                self.assigned = [
                    TopicPartition(topic, p)
                    for topic in self.topics
                    for p in sorted(consumer.partitions_for_topic(topic) or {0})
                ]
                consumer.assign(self.assigned)
                self._seek(consumer, self.assigned)
                self._check_sources(consumer, self.assigned)
            else:
                self._join(consumer)
                self._check_sources(consumer, [])
            while not stop.is_set() and (max_events is None or processed < max_events):
                try:
                    limit = self.batch if self.group is None else min(self.batch, GROUP_BATCH)
                    records = consumer.poll(timeout_ms=200, max_records=limit)
                except (OffsetOutOfRangeError, NoOffsetForPartitionError) as error:
                    # the broker no longer holds the offset to read next (truncated, or a topic made again)
                    lost = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
                    self._check_sources(consumer, self.assigned,
                                        {tp.topic: offset for tp, offset in lost.items()}
                                        or {tp.topic: -1 for tp in self.assigned})
                    raise
                if self.lock is not None and not self.lock.held:
                    raise LockLost(self.lock.name)  # apply nothing: the next run waits for the lock
                if records and self._moved(consumer):
                    self._check_sources(consumer, self.assigned)  # before applying anything from a new topic
                items = []
                for tp, messages in records.items():
                    for m in messages:
                        headers = m.headers or []
                        items.append(Item(tp.topic, tp.partition, m.offset, raw=m.value,
                                          traceparent=(dict(headers).get("traceparent") or b"").decode(),
                                          watermark=watermark_of(headers)))
                if items:
                    try:
                        self.runner.process(items)
                    except PartitionMoved as moved:
                        # another member applied these partitions meanwhile: read from what is stored
                        log.warning("projection %s: %s; seeking to the stored offsets", self.runner.projection.name,
                                    moved)
                        self._seek(consumer, self.assigned)
                        continue
                    processed += len(items)
                    producer.flush()
                if time.monotonic() - checked > self.check_interval:
                    self._check_sources(consumer, self.assigned)
                    checked = time.monotonic()
        finally:
            consumer.close()
            producer.close()
        return processed


def partition_names(partitions: Any) -> str:
    return ", ".join(f"{tp.topic}/{tp.partition}" for tp in partitions) or "no partition"
