"""Feeding a service's policies with other services' integration events (embedded or Kafka)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from events.envelope import Envelope
from events.registry import UnknownEventError, decode
from events.topics import topic_for
from services.common.application import ServiceApplication

log = logging.getLogger(__name__)

Reader = Callable[[int, int], tuple[list[Envelope], int]]


def deliver(app: ServiceApplication, envelope: Envelope) -> bool:
    """Hand one event to the app's policy; False when not handled, a duplicate, or unknown."""
    if not app.handles(envelope.type):
        return False
    try:
        payload = decode(envelope)
    except (UnknownEventError, ValueError) as error:
        log.warning("policy %s parks %s: %s", app.name, envelope.event_id, error)
        return False
    return app.process_integration_event(envelope, payload)


class EmbeddedPolicyRunner:
    """Follows other services' notification logs in-process."""

    def __init__(self, app: ServiceApplication, readers: dict[str, Reader], batch: int = 500) -> None:
        self.app = app
        self.readers = readers
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
                    deliver(self.app, envelope)
                total += last - offset
                offset = last
            self._read[service] = offset
        return total


class KafkaPolicyRunner:
    """Consumes other services' topics in a consumer group; the service's tracking makes it exactly once."""

    def __init__(self, app: ServiceApplication, bootstrap: str, sources: list[str]) -> None:
        self.app = app
        self.bootstrap = bootstrap
        self.topics = [topic_for(s) for s in sources]

    def run(self, stop: threading.Event) -> None:
        from kafka import KafkaConsumer

        from events.kafka import ensure_topics

        ensure_topics(self.bootstrap, self.topics)
        consumer = KafkaConsumer(
            *self.topics, bootstrap_servers=self.bootstrap, group_id=f"paizhu.policy.{self.app.name}",
            enable_auto_commit=False, auto_offset_reset="earliest", max_poll_interval_ms=10000,
            session_timeout_ms=6000, heartbeat_interval_ms=1000, fetch_max_wait_ms=20,
        )
        try:
            while not stop.is_set():
                records = consumer.poll(timeout_ms=200, max_records=500)
                for messages in records.values():
                    for message in messages:
                        try:
                            envelope = Envelope.from_bytes(message.value)
                        except ValueError as error:
                            log.warning("policy %s skips undecodable message: %s", self.app.name, error)
                            continue
                        deliver(self.app, envelope)
                if records:
                    consumer.commit()
        finally:
            consumer.close()
