"""The relay's check of its topic before each batch: did the broker lose what was published?

A broker that restarts without its data (Tansu's memory storage; a Kafka cluster restored from an old
snapshot; a topic deleted by hand) leaves the relay's saved position pointing past what the topic holds. Had
the relay simply gone on, consumers would see the new events and never the lost ones (a projector counts
itself caught up at the newest position). So before publishing, the relay compares the topic with what it
knows: its identity (the broker's topic id and its partitions) when last checked, and, when it knows nothing
yet (at start, after a new producer) or the identity changed, the position of the newest event the topic
still holds. (End offsets are not compared: Tansu reports the last record batch's base offset + 1.) A topic
that lost events (or that does not exist, or was made again, or whose partition count changed) makes the relay raise the `topic_lost_events`
alarm and republish from the newest position the topic still holds (0 when it is empty): the topic gets
every event again, in order, and consumers drop the ones they already applied by position.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from events.envelope import Envelope
from runtime.watermarks import watermark_of

log = logging.getLogger(__name__)


def topic_ids(consumer: Any, topics: list[str]) -> dict[str, str]:
    """Each topic's id in a kafka-python client's last metadata (refreshed by the client after a broker fault): a
    topic deleted and made again, or a broker that came back without its data, gives it a new one."""
    cluster = consumer._client.cluster  # kafka-python keeps the topic ids of its last metadata here
    ids = {topic: cluster.topic_id(topic) for topic in topics}
    return {topic: str(i) for topic, i in ids.items() if i is not None}


class TopicGuard:
    def __init__(self, bootstrap: str, topic: str, partitions: int = 1, timeout: float = 15.0) -> None:
        self.bootstrap = bootstrap
        self.topic = topic
        self.partitions = partitions
        self.timeout = timeout
        self.known: tuple[str | None, tuple[int, ...]] | None = None  # (topic id, partitions) when last checked
        self._consumer: Any = None
        self.reason = ""

    def _client(self) -> Any:
        if self._consumer is None:
            from kafka import KafkaConsumer

            self._consumer = KafkaConsumer(
                bootstrap_servers=self.bootstrap, group_id=None, enable_auto_commit=False,
                client_id="paizhu-relay-guard", allow_auto_create_topics=False,  # a lookup never creates it
                request_timeout_ms=int(self.timeout * 1000),
            )
        return self._consumer

    def forget(self) -> None:
        """Know nothing about the topic (after a fault): the next check looks at what it holds."""
        self.known = None
        if self._consumer is not None:
            try:
                self._consumer.close()
            finally:
                self._consumer = None

    def _identity(self, consumer: Any, parts: list[int]) -> tuple[str | None, tuple[int, ...]]:
        return (topic_ids(consumer, [self.topic]).get(self.topic), tuple(parts))

    def check(self, saved_position: int) -> int | None:
        """Before a batch: None when the topic holds what was published up to `saved_position`; otherwise the
        newest position it still holds (0: none), `reason` saying what changed."""
        from kafka import TopicPartition

        from events.kafka import ensure_topics

        consumer = self._client()
        reason = None
        if self.topic not in consumer.topics():  # a remote call: never the cached metadata
            ensure_topics(self.bootstrap, [self.topic], self.partitions)
            consumer.topics()
            reason = "the topic was missing"
        parts = sorted(consumer.partitions_for_topic(self.topic) or ())
        if not parts:
            raise RuntimeError(f"topic {self.topic} has no partitions yet")
        identity = self._identity(consumer, parts)
        if self.known is not None and reason is None:
            if identity == self.known:
                return None
            reason = ("it was made again (a new topic id)" if identity[0] != self.known[0]
                      else f"its partitions changed from {list(self.known[1])} to {parts}")
        tps = [TopicPartition(self.topic, p) for p in parts]
        ends = {tp.partition: int(o) for tp, o in consumer.end_offsets(tps, timeout_ms=int(self.timeout * 1000))
                .items()}
        held = self._newest_position(consumer, tps, ends)
        if len(parts) != self.partitions and (held < saved_position or not any(ends.values())):
            # made again by a broker that lost it, with the broker's default partition count (a client asked for
            # it before the relay could create it): it holds less than was published (or nothing, also when
            # nothing was ever published: its consumers would refuse it for good), so nothing is lost by
            # making it again as configured, and every event is published into it again, in order
            identity = self._recreate(consumer)
            held = 0
            reason = f"it was made again with {len(parts)} partitions instead of {self.partitions}"
        self.known = identity
        if reason is None and held >= saved_position:
            return None
        self.reason = reason or "it holds less than was published"
        return held

    def _recreate(self, consumer: Any, attempts: int = 10) -> tuple[str | None, tuple[int, ...]]:
        """Delete the topic and create it with the configured partitions (again while some client's metadata
        request has the broker create it first); the new topic's identity."""
        from kafka.admin import KafkaAdminClient
        from kafka.errors import UnknownTopicOrPartitionError

        from events.kafka import ensure_topics

        for _ in range(attempts):
            admin = KafkaAdminClient(bootstrap_servers=self.bootstrap, client_id="paizhu-relay-guard")
            try:
                admin.delete_topics([self.topic])
            except UnknownTopicOrPartitionError:
                pass
            finally:
                admin.close()
            ensure_topics(self.bootstrap, [self.topic], self.partitions)
            consumer.topics()
            parts = sorted(consumer.partitions_for_topic(self.topic) or ())
            if len(parts) == self.partitions:
                return self._identity(consumer, parts)
            time.sleep(0.2)
        raise RuntimeError(f"topic {self.topic} keeps being made with other than {self.partitions} partitions")

    def _newest_position(self, consumer: Any, tps: list[Any], ends: dict[int, int]) -> int:
        """The highest event position among the last message of each partition (0: the topic is empty)."""
        newest = 0
        for tp in tps:
            end = ends[tp.partition]
            if end <= 0:
                continue
            consumer.assign([tp])
            consumer.seek(tp, end - 1)
            deadline = time.monotonic() + self.timeout
            while True:
                records = consumer.poll(timeout_ms=200).get(tp, [])
                if records:
                    last = records[-1]
                    marked = watermark_of(last.headers)  # the relay's watermark: the partition passed it
                    newest = max(newest, marked if marked is not None else Envelope.from_bytes(last.value).position)
                    break
                if time.monotonic() > deadline:
                    raise TimeoutError(f"could not read the last message of {tp}")
        consumer.unsubscribe()
        return newest


class TopicMisconfigured(RuntimeError):
    """A topic's partition count differs from PAIZHU_KAFKA_PARTITIONS: the process refuses to start."""


def check_partitions(bootstrap: str, topics: list[str], partitions: int, timeout: float = 15.0) -> None:
    """Refuse (TopicMisconfigured) when an existing topic has another partition count than configured: its
    streams would be spread otherwise than its consumers count on (a projector of a one-partition setting reads a
    partitioned topic's positions as if in order; consumers of a re-partitioned topic find streams moved). Topics
    not made yet are made by the relay with the configured count."""
    from kafka import KafkaConsumer
    from kafka.errors import KafkaError

    consumer = None
    try:
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                 client_id="paizhu-partition-check", allow_auto_create_topics=False,
                                 request_timeout_ms=int(timeout * 1000))
        existing = consumer.topics()
        counts = {topic: len(consumer.partitions_for_topic(topic) or ()) for topic in topics if topic in existing}
    except KafkaError as error:  # the process starts anyway and waits for the broker
        log.warning("Kafka at %s does not answer yet (%s): the topics' partitions are not checked now",
                    bootstrap, type(error).__name__)
        return
    finally:
        if consumer is not None:
            consumer.close()
    wrong = {topic: count for topic, count in counts.items() if count != partitions}
    if wrong:
        listed = ", ".join(f"{topic} has {count}" for topic, count in sorted(wrong.items()))
        raise TopicMisconfigured(
            f"主题分区数与配置不符，拒绝启动 (refusing to start: topic partitions differ from "
            f"PAIZHU_KAFKA_PARTITIONS={partitions}): {listed}. Set PAIZHU_KAFKA_PARTITIONS to the topics' count, or "
            f"make the topics again with {partitions} partitions and let the relays republish them")
