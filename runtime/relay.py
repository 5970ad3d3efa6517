"""Relay: a service's notification log (its transactional outbox) -> its Kafka topic.

Position is the library's tracking record in the service's own store, written only after the
broker acknowledged every message of the batch; after a crash the relay republishes from there
(at least once; consumers deduplicate by the envelope's stream and version). Messages are keyed by stream, so
a partitioned topic keeps each stream's order; on such a topic every batch ends with a watermark on every
partition (runtime/watermarks.py), from which consumers learn which service positions they have fully read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import Tracking
from opentelemetry import trace

from events.envelope import Envelope
from events.topics import topic_for
from runtime.retry import Backoff
from runtime.singleton import SingletonLock
from runtime.telemetry import (
    clear_alarm,
    context_from_traceparent,
    current_traceparent,
    raise_alarm,
    relay_lag,
    tracer,
)
from runtime.topic_guard import TopicGuard
from runtime.watermarks import watermark_message
from services.common.application import ServiceApplication

log = logging.getLogger(__name__)

RELAY_TRACKING = "relay:kafka"


LOST_EVENTS_ALARM = "topic_lost_events"


class Relay:
    """Publishes batches of the service's log. Given `new_producer`, a producer that failed with a broker error
    (e.g. `UnknownProducerIdError` after a broker restart, which an idempotent producer never gets over) is
    closed and a new one made; given `guard`, the topic is checked before publishing (runtime/topic_guard.py)
    and events it lost are published again."""

    def __init__(self, app: ServiceApplication, producer: Any, batch: int = 2000,
                 new_producer: Callable[[], Any] | None = None, guard: TopicGuard | None = None,
                 check_interval: float = 5.0, lock: SingletonLock | None = None, partitions: int = 1) -> None:
        self.app = app
        self.partitions = partitions
        self.lock = lock
        self.producer = producer
        self.new_producer = new_producer
        self.guard = guard
        self.check_interval = check_interval
        self.batch = batch
        self.topic = topic_for(app.name)
        self._cursor: int | None = None  # republishing: where it is (below the saved position)
        self._checked = 0.0

    def close(self) -> None:
        """Close the Kafka clients it holds (the producer and the guard's consumer); each runs an IO thread that
        would otherwise go on reconnecting, and logging, after the broker is gone. The store is the caller's."""
        producer, self.producer = self.producer, None
        if producer is not None:
            producer.close()
        if self.guard is not None:
            self.guard.forget()

    def position(self) -> int:
        return self.app.process_recorder.max_tracking_id(RELAY_TRACKING) or 0

    def save_position(self, position: int) -> None:
        """Record that the broker acknowledged everything up to `position` (called only after the acks)."""
        self.app.process_recorder.insert_tracking(Tracking(application_name=RELAY_TRACKING, notification_id=position))

    def _rewind(self, saved: int, start: int, pending: bool) -> int | None:
        """Before a batch (and now and then when idle): where to republish from when the topic lost events."""
        if self.guard is None or not (pending or time.monotonic() - self._checked > self.check_interval):
            return None
        held = self.guard.check(saved)
        self._checked = time.monotonic()
        if held is None or held >= start:
            return None
        envelopes, _ = self.app.integration_events(held, 1)
        if not envelopes or envelopes[0].position > saved:
            return None  # what it lacks are events that are never published (private ones)
        raise_alarm(LOST_EVENTS_ALARM)
        log.error("topic %s lost events (%s); republishing %s from position %s (published up to %s)",
                  self.topic, self.guard.reason, self.app.name, held, saved)
        self._cursor = held
        return held

    def _headers(self, envelope: Envelope) -> tuple[list[tuple[str, bytes]], Any]:
        parent = context_from_traceparent(envelope.traceparent)
        if parent is None or not trace.get_current_span(parent).get_span_context().trace_flags.sampled:
            return [("traceparent", envelope.traceparent.encode())], None
        span = tracer.start_span(f"relay {envelope.type}", context=parent)
        with trace.use_span(span):
            return [("traceparent", current_traceparent().encode())], span

    def run_once(self) -> int:
        """Publish one batch; return how many notifications it covered."""
        saved = self.position()
        start = saved if self._cursor is None else self._cursor
        envelopes, last = self.app.integration_events(start, self.batch)
        rewound = self._rewind(saved, start, pending=last > start)
        if rewound is not None:
            start = rewound
            envelopes, last = self.app.integration_events(start, self.batch)
        if last <= start:
            self._cursor = None
            return 0
        if self.producer is None and self.new_producer is not None:
            self.producer = self.new_producer()
        try:
            self._publish(envelopes)
            if self.partitions > 1:
                self._mark(last)
        except Exception as error:
            self._drop_producer(error)
            raise
        if last > saved:
            self.save_position(last)
        if self._cursor is not None:
            self._cursor = last if last < saved else None
            if self._cursor is None:
                log.warning("topic %s holds every event of %s again", self.topic, self.app.name)
                clear_alarm(LOST_EVENTS_ALARM)
        now = datetime.now(UTC)
        for envelope in envelopes:
            relay_lag.record((now - envelope.occurred_at).total_seconds() * 1000, {"service": self.app.name})
        return last - start

    def _publish(self, envelopes: list[Envelope]) -> list[Any]:
        """Send a batch and wait for the broker's acknowledgement of every message (raises if one is missing)."""
        futures = []
        spans = []
        for envelope in envelopes:
            headers, span = self._headers(envelope)
            if span is not None:
                spans.append(span)
            futures.append(
                self.producer.send(self.topic, key=envelope.stream_id.encode(), value=envelope.to_bytes(),
                                   headers=headers)
            )
        self.producer.flush(timeout=30)
        acks = [future.get(timeout=30) for future in futures]
        for span in spans:
            span.end()
        return acks

    def _mark(self, position: int) -> None:
        """After the batch's acks: a watermark on every partition, acknowledged too (before the position is saved;
        after a crash the batch and its watermarks are published again: consumers keep the highest)."""
        value, headers = watermark_message(self.app.name, position)
        futures = [self.producer.send(self.topic, value=value, headers=headers, partition=part)
                   for part in range(self.partitions)]
        self.producer.flush(timeout=30)
        for future in futures:
            future.get(timeout=30)

    def _drop_producer(self, error: Exception) -> None:
        """After a broker error: close the producer (a new one is made for the next batch) and forget what was
        known of the topic (it is looked at again before the next batch)."""
        if self.new_producer is None or not _broker_error(error):
            return
        log.warning("relay %s: dropping the producer after %s; a new one publishes the next batch",
                    self.app.name, type(error).__name__)
        producer, self.producer = self.producer, None
        try:
            producer.close(timeout=5)
        except Exception:
            log.debug("closing the failed producer failed", exc_info=True)
        if self.guard is not None:
            self.guard.forget()

    def run(self, stop: threading.Event, idle: float = 0.05) -> None:
        backoff = Backoff()
        while not stop.is_set():
            if self.lock is not None and not self.lock.held:
                self._cursor = None  # another instance may have worked meanwhile: look at the topic afresh
                if self.guard is not None:
                    self.guard.forget()
                if not self.lock.ensure(stop):
                    break
            try:
                published = self.run_once()
                backoff.succeeded()
                if published == 0:
                    stop.wait(idle)
            except Exception as error:  # the store or the broker: retry from the saved position, never die
                delay = backoff.failed()
                log.warning("relay %s failed (%s, %d in a row); retrying from the saved position in %.1fs",
                            self.app.name, type(error).__name__, backoff.failures, delay)
                log.debug("relay failure", exc_info=True)
                stop.wait(delay)


def _broker_error(error: BaseException) -> bool:
    from kafka.errors import KafkaError

    return isinstance(error, (KafkaError, TimeoutError, ConnectionError))


def kafka_producer(bootstrap: str) -> Any:
    from kafka import KafkaProducer

    from events.kafka import PRODUCER_SETTINGS

    # never auto-create a topic (the broker would give it its default partition count): the relay creates it
    return KafkaProducer(bootstrap_servers=bootstrap, client_id="paizhu-relay", allow_auto_create_topics=False,
                         max_block_ms=15000, **PRODUCER_SETTINGS)
