"""Relay: a service's notification log (its transactional outbox) -> its Kafka topic.

Position is the library's tracking record in the service's own store, written only after the
broker acknowledged every message of the batch; after a crash the relay republishes from there
(at least once; consumers deduplicate by the envelope's position).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import Tracking
from opentelemetry import trace

from events.envelope import Envelope
from events.topics import topic_for
from runtime.retry import Backoff
from runtime.telemetry import context_from_traceparent, current_traceparent, relay_lag, tracer
from services.common.application import ServiceApplication

log = logging.getLogger(__name__)

RELAY_TRACKING = "relay:kafka"


class Relay:
    def __init__(self, app: ServiceApplication, producer: Any, batch: int = 2000) -> None:
        self.app = app
        self.producer = producer
        self.batch = batch
        self.topic = topic_for(app.name)

    def position(self) -> int:
        return self.app.process_recorder.max_tracking_id(RELAY_TRACKING) or 0

    def save_position(self, position: int) -> None:
        """Record that the broker acknowledged everything up to `position` (called only after the acks)."""
        self.app.process_recorder.insert_tracking(Tracking(application_name=RELAY_TRACKING, notification_id=position))

    def _headers(self, envelope: Envelope) -> tuple[list[tuple[str, bytes]], Any]:
        parent = context_from_traceparent(envelope.traceparent)
        if parent is None or not trace.get_current_span(parent).get_span_context().trace_flags.sampled:
            return [("traceparent", envelope.traceparent.encode())], None
        span = tracer.start_span(f"relay {envelope.type}", context=parent)
        with trace.use_span(span):
            return [("traceparent", current_traceparent().encode())], span

    def run_once(self) -> int:
        """Publish one batch; return how many notifications it covered."""
        start = self.position()
        envelopes, last = self.app.integration_events(start, self.batch)
        if last <= start:
            return 0
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
        self.producer.flush()
        for future in futures:
            future.get(timeout=30)  # raises if the broker did not acknowledge
        for span in spans:
            span.end()
        self.save_position(last)
        now = datetime.now(UTC)
        for envelope in envelopes:
            relay_lag.record((now - envelope.occurred_at).total_seconds() * 1000, {"service": self.app.name})
        return last - start

    def run(self, stop: threading.Event, idle: float = 0.05) -> None:
        backoff = Backoff()
        while not stop.is_set():
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


def kafka_producer(bootstrap: str) -> Any:
    from kafka import KafkaProducer

    from events.kafka import PRODUCER_SETTINGS

    return KafkaProducer(bootstrap_servers=bootstrap, client_id="paizhu-relay", **PRODUCER_SETTINGS)
