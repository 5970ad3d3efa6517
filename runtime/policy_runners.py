"""Feeding a service's policies with other services' integration events (embedded or Kafka).

An event a policy cannot handle (undecodable, unknown, or its handler raises) is parked in the dead letters
(the projections' `dead_letters` table embedded, the dead-letter topic distributed) with a reason that names
the error's class and the event's type, position and id, never payload text or an exception's message (both
may quote clue content); its position is then tracked, so it is parked once and the policy goes on. Only
an infrastructure fault (the store or the network down) stops the batch, to be retried.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import ConnectionUnavailableError, InterfaceError, OperationalError

from events.envelope import Envelope
from events.registry import decode
from events.topics import DEAD_LETTER_TOPIC, topic_for
from projections.common.db import Database
from runtime.projection_feeds import partition_names
from runtime.projection_runner import TRACKING_DDL, DeadLetterSink, Item
from runtime.retry import Backoff
from runtime.telemetry import dead_letters
from runtime.topic_guard import TopicMisconfigured, check_partitions, topic_ids
from runtime.watermarks import watermark_of
from services.common.application import ServiceApplication

log = logging.getLogger(__name__)

Reader = Callable[[int, int], tuple[list[Envelope], int]]

TRANSIENT: tuple[type[BaseException], ...] = (
    OperationalError, InterfaceError, ConnectionUnavailableError, OSError, TimeoutError,
)
"""Faults of the infrastructure, not of the event: retried later, never dead-lettered."""


POLICY_BATCH = 100
"""Events a Kafka policy consumer handles between two polls. Each may write several aggregates (tens of ms on a
loaded machine): a batch stays well within max_poll_interval_ms (60 s), else the member would be dropped from
the group mid-batch, its partitions moved, its offsets not committed, and the next owner would start the same
batch again (with several instances and a backlog, round after round: a group that never settles)."""


def consumer_name(app: ServiceApplication) -> str:
    return f"policy:{app.name}"


def reason_for(error: BaseException, envelope: Envelope | None) -> str:
    """What the dead letter and the log say: the error's class and where the event is, no content."""
    if envelope is None:
        return f"{type(error).__name__}: undecodable envelope"
    return (f"{type(error).__name__}: {envelope.type} v{envelope.schema_version} "
            f"{envelope.service}#{envelope.position} event {envelope.event_id}")


def deliver(app: ServiceApplication, envelope: Envelope, item: Item, sink: DeadLetterSink,
            by_stream: bool = False) -> bool:
    """Hand one event to the app's policy; False when not handled or a duplicate. `by_stream`: the events come
    from a partitioned topic (tracked by stream version, see ServiceApplication.tracking_for).

    An event the policy cannot handle goes to `sink` (once: its position is tracked afterwards)."""
    if not app.handles(envelope.type):
        return False
    try:
        return app.process_integration_event(envelope, decode(envelope), by_stream)
    except TRANSIENT:
        raise
    except Exception as error:  # a poison event must not halt the policy
        park(app, item, envelope, error, sink, by_stream)
        return False


def park(app: ServiceApplication, item: Item, envelope: Envelope | None, error: BaseException,
         sink: DeadLetterSink, by_stream: bool = False) -> None:
    name = consumer_name(app)
    reason = reason_for(error, envelope)
    if envelope is not None and app.already_processed(envelope, by_stream):
        return
    sink(name, item, reason)  # first the dead letter (idempotent by its key), then the tracking
    dead_letters.add(1, {"projection": name})
    log.warning("dead-lettered at %s/%s/%s for %s: %s", item.source, item.partition, item.offset, name, reason)
    if envelope is not None:
        app.skip_integration_event(envelope, by_stream)


class DeadLetterTable:
    """The projections' `dead_letters` table (embedded mode): one row per consumer and position."""

    def __init__(self, db: Database) -> None:
        self.db = db
        with db.transaction() as tx:
            tx.execute(next(s for s in TRACKING_DDL if "dead_letters" in s))

    def __call__(self, consumer: str, item: Item, reason: str) -> None:
        envelope = item.envelope
        body = envelope.model_dump_json() if envelope is not None else (item.raw or b"").decode("utf-8", "replace")
        with self.db.transaction() as tx:
            tx.execute(
                self.db.upsert(
                    "dead_letters", ("projection", "source", "part", "msg_offset"),
                    ("event_type", "schema_version", "reason", "body", "recorded_at"),
                ),
                (consumer, item.source, item.partition, item.offset,
                 envelope.type if envelope else None, envelope.schema_version if envelope else None,
                 reason, body, datetime.now(UTC).isoformat()),
            )

    def count(self, consumer: str) -> int:
        with self.db.transaction() as tx:
            row = tx.fetchone("SELECT COUNT(*) FROM dead_letters WHERE projection = %s", (consumer,))
        return int(row[0]) if row else 0


class DeadLetterTopic:
    """The dead-letter topic (distributed mode), the same headers as the projectors write; keyed by
    consumer and position, so a parking repeated after a crash is recognisably the same one."""

    def __init__(self, producer: Any) -> None:
        self.producer = producer

    def __call__(self, consumer: str, item: Item, reason: str) -> None:
        where = f"{item.source}/{item.partition}/{item.offset}"
        self.producer.send(
            DEAD_LETTER_TOPIC,
            key=f"{consumer}/{where}".encode(),
            value=item.raw or (item.envelope.to_bytes() if item.envelope else b""),
            headers=[("projection", consumer.encode()), ("reason", reason.encode()[:500]),
                     ("source", where.encode())],
        )
        self.producer.flush(timeout=30)


class EmbeddedPolicyRunner:
    """Follows other services' notification logs in-process."""

    def __init__(self, app: ServiceApplication, readers: dict[str, Reader], sink: DeadLetterSink,
                 batch: int = 500) -> None:
        self.app = app
        self.readers = readers
        self.sink = sink
        self.batch = batch
        self._read: dict[str, int] = {}

    def run_once(self) -> int:
        total = 0
        for service, reader in self.readers.items():
            offset = self._read.get(service)
            if offset is None:
                offset = self.app.process_recorder.max_tracking_id(service) or 0
            while True:
                envelopes, last = reader(offset, self.batch)
                if last <= offset:
                    break
                for envelope in envelopes:
                    deliver(self.app, envelope, Item(f"log:{service}", 0, envelope.position, envelope), self.sink)
                total += last - offset
                offset = last
                self._read[service] = offset
        return total


class KafkaPolicyRunner:
    """Consumes other services' topics in a consumer group; the service's tracking makes it exactly once.

    A fault of the broker or the store restarts the consumer after a backoff with jitter (it resumes
    from the committed offsets; tracking drops what was already processed). On partitioned topics
    (`partitions` > 1) several instances of a service share the partitions through the group, an event is
    tracked by its stream's version in the same transaction as the policy's effect (the service's positions
    come out of order across partitions), and the relays' watermarks are passed over.

    A topic made again (a new topic id: a broker that came back without its data, whose relay publishes every
    event again) is read again from its beginning: the consumer's offsets into the old topic mean nothing in the
    new one (it holds no duplicates the old one held, so the same offset is a later event), and going on from them
    would skip events that were never handled. What was handled already is dropped by the tracking.
    Topics are never created by this consumer (the broker would give them its default partition count, and the
    policy would then refuse them): the relays and `ensure_topics` make them with the configured count."""

    def __init__(self, app: ServiceApplication, bootstrap: str, sources: list[str],
                 max_backoff: float = 30.0, partitions: int = 1, check_interval: float = 5.0) -> None:
        self.app = app
        self.bootstrap = bootstrap
        self.topics = [topic_for(s) for s in sources]
        self.max_backoff = max_backoff
        self.partitions = partitions
        self.check_interval = check_interval

    def run(self, stop: threading.Event) -> None:
        backoff = Backoff(cap=self.max_backoff)
        while not stop.is_set():
            try:
                self._consume(stop)
                backoff.succeeded()
            except TopicMisconfigured as error:  # consumes nothing until the setting matches the topics
                # after a broker restart, often only until the relay has made the topic again as configured:
                # looked at again soon, then less and less often
                log.error("policy %s: %s", self.app.name, error)
                stop.wait(backoff.failed())
            except Exception as error:  # never die: the policy thread is the service's only consumer
                delay = backoff.failed()
                log.warning("policy %s consumer failed (%s); restarting in %.1fs",
                            self.app.name, type(error).__name__, delay)
                stop.wait(delay)

    def _consume(self, stop: threading.Event) -> None:
        from kafka import ConsumerRebalanceListener, KafkaConsumer, KafkaProducer

        from events.kafka import ensure_topics

        # tracking a partitioned topic by position would take events for duplicates: refuse instead
        check_partitions(self.bootstrap, self.topics, self.partitions)
        ensure_topics(self.bootstrap, [*self.topics, DEAD_LETTER_TOPIC], self.partitions)
        producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all", allow_auto_create_topics=False)
        sink = DeadLetterTopic(producer)
        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap, group_id=f"paizhu.policy.{self.app.name}",
            enable_auto_commit=False, auto_offset_reset="earliest", max_poll_interval_ms=60000,
            session_timeout_ms=6000, heartbeat_interval_ms=1000, fetch_max_wait_ms=20,
            allow_auto_create_topics=False,
        )
        service = self.app.name

        class AssignmentLog(ConsumerRebalanceListener):  # says which partitions this instance holds
            def on_partitions_revoked(self, revoked: Any) -> None:
                if revoked:
                    log.info("policy %s gave up %s", service, partition_names(sorted(revoked)))

            def on_partitions_assigned(self, assigned: Any) -> None:
                log.info("policy %s holds %s", service, partition_names(sorted(assigned)))

        consumer.subscribe(self.topics, listener=AssignmentLog())
        try:
            consumer.topics()  # a remote call: the topics' ids as they are now
            known = topic_ids(consumer, self.topics)
            checked = time.monotonic()
            again: set[str] = set()  # topics made again whose partitions are still to be read from the beginning
            while not stop.is_set():
                records = consumer.poll(timeout_ms=200, max_records=POLICY_BATCH)
                if time.monotonic() - checked > self.check_interval:
                    consumer.topics()  # now and then fresh metadata, even while nothing arrives
                    checked = time.monotonic()
                again |= self._made_again(consumer, known)
                for tp, messages in records.items():
                    if tp.topic in again:
                        continue  # read from an offset into the old topic: read again from the beginning
                    for message in messages:
                        if watermark_of(message.headers) is not None:
                            continue  # for projections' freshness; policies need no service position
                        item = Item(tp.topic, tp.partition, message.offset, raw=message.value)
                        try:
                            envelope = Envelope.from_bytes(message.value)
                        except ValueError as error:
                            park(self.app, item, None, error, sink)
                            continue
                        deliver(self.app, envelope, item, sink, self.partitions > 1)
                if again:
                    again = self._read_again(consumer, again)
                if records:
                    consumer.commit()
        finally:
            consumer.close()
            producer.close()

    def _made_again(self, consumer: Any, known: dict[str, str]) -> set[str]:
        """The topics whose id changed since `known` (which is brought up to date). Cheap: the client's metadata."""
        current = topic_ids(consumer, self.topics)
        changed = {topic for topic, i in current.items() if known.get(topic) not in (None, i)}
        known.update(current)
        return changed

    def _read_again(self, consumer: Any, topics: set[str]) -> set[str]:
        """Seek the consumer's partitions of `topics` to their beginning (the tracking drops what was handled);
        the topics of which it holds no partition yet (a rebalance under way), to be sought once it does."""
        partitions = [tp for tp in consumer.assignment() if tp.topic in topics]
        if partitions:
            log.warning("policy %s: %s made again (the broker lost it); reading it again from the beginning",
                        self.app.name, partition_names(sorted(partitions)))
            consumer.seek_to_beginning(*partitions)
        return topics - {tp.topic for tp in partitions}
