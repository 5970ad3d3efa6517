"""Service application base: commands in a context, the integration feed, policies with tracking."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    ProcessRecorder,
    Tracking,
    Transcoding,
)

from events.envelope import SYSTEM_ACTOR, Envelope
from services.common.clock import Clock, SystemClock
from services.common.context import CommandContext, command_context, current
from services.common.errors import ConflictError, NotFoundError
from services.common.integration import IntegrationMapper
from services.common.telemetry import command_latency, current_traceparent, tracer

F = TypeVar("F", bound=Callable[..., Any])



class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def command(func: F) -> F:
    """Mark an application method as a command callable through the service interface."""

    @functools.wraps(func)
    def wrapper(self: ServiceApplication, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        name = f"{self.name}.{func.__name__}"
        with tracer.start_as_current_span(f"command {name}"):
            with command_context(replace(current(), traceparent=current_traceparent(), clock=self.clock)):
                try:
                    return func(self, *args, **kwargs)
                finally:
                    command_latency.record(
                        (time.perf_counter() - started) * 1000, {"command": name}
                    )

    wrapper.is_command = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def query(func: F) -> F:
    """Mark an application method as a query callable through the service interface."""
    func.is_query = True  # type: ignore[attr-defined]
    return func


def policy(event_type: str) -> Callable[[F], F]:
    """Mark a method as the reaction to an integration event of another service."""

    def mark(func: F) -> F:
        func.handles_event_type = event_type  # type: ignore[attr-defined]
        return func

    return mark


class ServiceApplication(Application[UUID]):
    """One bounded context. Its recorder also keeps tracking records, so policies run exactly once."""

    name = "service"
    integration: ClassVar[IntegrationMapper]
    consumes: ClassVar[tuple[str, ...]] = ()
    """Services whose integration events this service's policies react to."""
    scheduler_command: ClassVar[str | None] = None
    """The command that records Overdue/Due events for passed deadlines; the runtime runs it periodically."""

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self.on_recorded: list[Callable[[], None]] = []
        """Called after every write (embedded mode wakes its followers with it)."""
        super().__init__(env=env)
        self._policies: dict[str, Callable[..., None]] = {}
        for attr in dir(type(self)):
            handler = getattr(type(self), attr, None)
            event_type = getattr(handler, "handles_event_type", None)
            if event_type:
                self._policies[event_type] = getattr(self, attr)

    def construct_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    @property
    def process_recorder(self) -> ProcessRecorder:
        recorder = self.recorder
        assert isinstance(recorder, ProcessRecorder)
        return recorder

    # -- commands ---------------------------------------------------------------------------
    def commands(self) -> dict[str, Callable[..., Any]]:
        return {
            name: getattr(self, name)
            for name in dir(type(self))
            if getattr(getattr(type(self), name, None), "is_command", False)
        }

    def queries(self) -> dict[str, Callable[..., Any]]:
        return {
            name: getattr(self, name)
            for name in dir(type(self))
            if getattr(getattr(type(self), name, None), "is_query", False)
        }

    def record(self, *aggregates: Any) -> int:
        """Save aggregates; return the position of the last published event recorded (0 if none).

        Read models can be waited on for that position (read-your-writes)."""
        with tracer.start_as_current_span(f"append {self.name}"):
            try:
                recordings = self.save(*aggregates)
            except IntegrityError as error:
                raise ConflictError(
                    "该记录已被他人修改，请刷新后重试 (concurrent change, reload and retry)",
                    code="concurrent_write",
                ) from error
        self._recorded()
        published = [r.notification.id for r in recordings if self.integration.publishes(r.domain_event)]
        return max(published, default=0)

    def _recorded(self) -> None:
        for listener in self.on_recorded:
            listener()

    def load(self, aggregate_id: UUID | str, kind: type[Any] | None = None) -> Any:
        """Get an aggregate or raise NotFoundError (and check its type when given)."""
        try:
            aggregate: Any = self.repository.get(UUID(str(aggregate_id)))
        # one message for every kind of absence, the same as authz gives for a record one may not see
        except Exception as error:  # AggregateNotFoundError or a malformed id
            raise NotFoundError("记录不存在 (not found)") from error
        if kind is not None and not isinstance(aggregate, kind):
            raise NotFoundError("记录不存在 (not found)")
        return aggregate

    # -- the integration feed (relay, embedded projections and policies read it) ------------
    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def integration_events(self, after: int, limit: int) -> tuple[list[Envelope], int]:
        """Published events after `after`; and the last position read (private events skipped)."""
        notifications = self.recorder.select_notifications(start=after + 1, limit=limit)
        envelopes = []
        last = after
        for notification in notifications:
            last = notification.id
            envelope = self.integration.to_envelope(
                self.mapper.to_domain_event(notification), notification.id
            )
            if envelope is not None:
                envelopes.append(envelope)
        return envelopes, last

    # -- policies ---------------------------------------------------------------------------
    @property
    def has_policies(self) -> bool:
        return bool(self._policies)

    def handles(self, event_type: str) -> bool:
        return event_type in self._policies

    def process_integration_event(self, envelope: Envelope, payload: Any) -> bool:
        """Run the policy for one event and record its effect with the consumed position atomically.

        Returns False when the event was already processed (a duplicate delivery).
        """
        source = envelope.service
        last = self.process_recorder.max_tracking_id(source)
        if last is not None and envelope.position <= last:
            return False
        processing = ProcessingEvent[UUID](
            tracking=Tracking(application_name=source, notification_id=envelope.position)
        )
        handler = self._policies.get(envelope.type)
        if handler is not None:
            context = CommandContext(
                actor=SYSTEM_ACTOR.model_dump() | {"user": f"policy:{self.name}"},
                correlation_id=envelope.correlation_id,
                causation_id=envelope.event_id,
                traceparent=envelope.traceparent,
                clock=self.clock,
            )
            with tracer.start_as_current_span(f"policy {self.name} {envelope.type}"):
                with command_context(replace(context, traceparent=current_traceparent() or envelope.traceparent)):
                    handler(envelope, payload, processing)
        try:
            self._record(processing)
        except IntegrityError:
            return False
        self._recorded()
        return True

    def run_scheduled(self) -> Any:
        """Run the deadline scheduler (if the service has one) as the system."""
        if self.scheduler_command is None:
            return None
        context = CommandContext(actor={"user": f"scheduler:{self.name}", "org": "paizhu", "role": "system"})
        with self.acting(context):
            return getattr(self, self.scheduler_command)()

    @contextmanager
    def acting(self, context: CommandContext) -> Iterator[None]:
        with command_context(replace(context, clock=self.clock)):
            yield
