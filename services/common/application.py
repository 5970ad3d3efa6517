"""Service application base: commands in a context, the integration feed, policies with tracking."""

from __future__ import annotations

import functools
import inspect
import json
import time
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, JSONTranscoder, ProcessRecorder, Tracking, Transcoding
from pydantic import ValidationError

import authz
from events.envelope import SYSTEM_ACTOR, Envelope
from runtime.telemetry import command_latency, current_traceparent, span
from services.common import idempotency
from services.common.clock import Clock, SystemClock
from services.common.clock import today as beijing_today
from services.common.context import CommandContext, command_context, current
from services.common.creation_index import CreationIndex
from services.common.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from services.common.integration import IntegrationMapper
from services.common.interface import Operation, result_adapter

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")

_pending_key: ContextVar[idempotency.Pending | None] = ContextVar("paizhu_idempotency", default=None)

class ContractError(RuntimeError):
    """An operation's handler returned something its declared result type does not admit."""


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class SetAsList(Transcoding):
    """A set in an aggregate's state (a snapshot holds the state), as a sorted list when its items sort."""

    type = set
    name = "set"

    def encode(self, obj: set[Any]) -> list[Any]:
        try:
            return sorted(obj)
        except TypeError:
            return list(obj)

    def decode(self, data: list[Any]) -> set[Any]:
        return set(data)


@functools.cache
def operation_of(func: Callable[..., Any]) -> type[Operation[Any]] | None:
    """The operation model a handler takes as its one argument (None for a keyword-argument method)."""
    hints = typing.get_type_hints(func)
    parameters = [p for p in inspect.signature(func).parameters if p != "self"]
    candidate = hints.get(parameters[0]) if len(parameters) == 1 else None
    return candidate if isinstance(candidate, type) and issubclass(candidate, Operation) else None


def _as_operation(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Let a handler be called with its operation or with the operation's fields as keywords."""
    operation = operation_of(func)
    if operation is None or (len(args) == 1 and not kwargs and isinstance(args[0], operation)):
        return args
    try:
        return (operation(**dict(zip(operation.positional_order(), args, strict=False)), **kwargs),)
    except ValidationError as error:
        raise InvalidInputError(validation_message(error), code="invalid_input") from error


def validation_message(error: ValidationError) -> str:
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors(include_url=False)[:3]
    )
    return f"请求内容有误 (invalid input): {problems}"


def command(func: F) -> F:
    """Mark an application method as a command: it takes its operation model (or that model's fields)."""

    @functools.wraps(func)
    def wrapper(self: ServiceApplication, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        name = f"{self.name}.{func.__name__}"
        with span(f"command {name}"):
            with command_context(replace(current(), traceparent=current_traceparent(), clock=self.clock)):
                try:
                    return func(self, *_as_operation(func, args, kwargs), **({} if operation_of(func) else kwargs))
                finally:
                    command_latency.record(
                        (time.perf_counter() - started) * 1000, {"command": name}
                    )

    wrapper.is_command = True  # type: ignore[attr-defined]
    wrapper.handler = func  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def query(func: F) -> F:
    """Mark an application method as a query: it takes its operation model (or that model's fields)."""

    @functools.wraps(func)
    def wrapper(self: ServiceApplication, *args: Any, **kwargs: Any) -> Any:
        return func(self, *_as_operation(func, args, kwargs), **({} if operation_of(func) else kwargs))

    wrapper.is_query = True  # type: ignore[attr-defined]
    wrapper.handler = func  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def policy(event_type: str) -> Callable[[F], F]:
    """Mark a method as the reaction to an integration event of another service."""

    def mark(func: F) -> F:
        func.handles_event_type = event_type  # type: ignore[attr-defined]
        return func

    return mark


SNAPSHOT_EVERY = 50
"""Events between two snapshots of an aggregate that can grow without bound."""

POLICY_CONFLICT_RETRIES = 3
"""Times a policy runs on an event whose effect collides with what is stored (another instance's write)."""


def snapshot_every(*aggregate_classes: type[Any], interval: int = SNAPSHOT_EVERY) -> dict[type[Any], int]:
    """`snapshotting_intervals` of an application: a snapshot of each such aggregate every `interval` events,
    so loading one reads its latest snapshot and the events after it, however long its history."""
    return {aggregate_class: interval for aggregate_class in aggregate_classes}


class ServiceApplication(Application[UUID]):
    """One bounded context. Its recorder also keeps tracking records, so policies run exactly once."""

    name = "service"
    integration: ClassVar[IntegrationMapper]
    consumes: ClassVar[tuple[str, ...]] = ()
    """Services whose integration events this service's policies react to."""
    scheduler_command: ClassVar[str | None] = None
    """The command that records Overdue/Due events for passed deadlines; the runtime runs it periodically."""
    forensic_views: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    """Record kind → the view a forensic replay shows its state with (services.common.forensics)."""

    def __init__(self, env: dict[str, str] | None = None, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self.on_recorded: list[Callable[[], None]] = []
        """Called after every write (embedded mode wakes its followers with it)."""
        super().__init__(env=env)
        self._policies: dict[str, Callable[..., None]] = {}
        self._handlers: dict[type[Operation[Any]], Callable[..., Any]] = {}
        self._creation_index: CreationIndex | None = None
        for attr in dir(type(self)):
            method = getattr(type(self), attr, None)
            handler = getattr(method, "handler", None)
            operation = operation_of(handler) if handler is not None else None
            if operation is not None:
                self._handlers[operation] = getattr(self, attr)
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
        transcoder.register(SetAsList())

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

    def execute(self, operation: Operation[R]) -> R:
        """Run one operation of this service's interface and return its validated result.

        A command run with an idempotency key (`CommandContext.idempotency_key`) runs once per key: a
        repeat returns the first result and records nothing; the same key with another body is refused."""
        handler = self._handlers.get(type(operation))
        if handler is None:
            raise NotFoundError(
                f"服务没有此操作 (unknown operation): {type(operation).__name__}", code="unknown_operation"
            )
        key = current().idempotency_key
        if key is not None and operation.kind == "command":
            return self._execute_once(operation, handler, idempotency.check_key(key))
        return self._validated(operation, handler(operation))

    def _validated(self, operation: Operation[R], value: Any) -> R:
        try:
            result: R = result_adapter(type(operation)).validate_python(value, from_attributes=True)
        except ValidationError as error:  # the service broke its own contract: a fault, never the caller's
            raise ContractError(f"{self.name}.{type(operation).__name__} returned {error}") from None
        return result

    def _execute_once(self, operation: Operation[R], handler: Callable[..., Any], key: str) -> R:
        name = type(operation).__name__
        pending = idempotency.Pending(
            id=idempotency.record_id(self.name, current().actor.get("user", ""), name, key),
            operation=name, fingerprint=idempotency.fingerprint(operation.model_dump_json()),
        )
        existing = self._idempotency_record(pending.id)
        if existing is not None:
            return self._validated(operation, idempotency.repeat(existing, pending))
        token = _pending_key.set(pending)
        try:
            value = handler(operation)
        except idempotency.KeyTaken as taken:
            return self._validated(operation, idempotency.repeat(taken.record, pending))
        finally:
            _pending_key.reset(token)
        result = self._validated(operation, value)
        if pending.record is not None:  # the command recorded something: keep its answer for a retry
            pending.record.answer(
                json.dumps(result_adapter(type(operation)).dump_python(result, mode="json"), ensure_ascii=False)
            )
            self.save(pending.record)
        return result

    def _idempotency_record(self, record_id: UUID) -> idempotency.IdempotencyRecord | None:
        try:
            record: Any = self.repository.get(record_id)
        except AggregateNotFoundError:
            return None
        return record if isinstance(record, idempotency.IdempotencyRecord) else None

    def authorize(self, aggregate: Any, created: bool = False) -> None:
        """Check a record against the permission the caller acts under (no permission: system work).

        A record one may not know exists answers 404 like a missing one; creating a record outside one's
        scope answers 403.
        """
        context = current()
        scope_of = getattr(aggregate, "access_scope", None)
        if context.principal is None or context.action is None or scope_of is None:
            return
        scope = scope_of()
        if scope is None:
            return
        if created:
            if not authz.can(context.principal, context.action, scope):
                raise ForbiddenError(f"无权执行此操作 (not allowed: {context.action})", code="forbidden")
            return
        authz.authorize(context.principal, context.action, scope)

    def record(self, *aggregates: Any) -> int:
        """Save aggregates; return the position of the last published event recorded (0 if none).

        Read models can be waited on for that position (read-your-writes). A command that wrote only events
        that stay inside the service returns 0, "nothing to wait for": no read model ever reflects an
        unpublished event's position, so a wait on it would only run out."""
        for aggregate in aggregates:
            pending = getattr(aggregate, "_pending_events", None)
            if pending and pending[0].originator_version == 1:
                self.authorize(aggregate, created=True)
        pending = _pending_key.get()
        if pending is not None and pending.record is None:
            # the key goes with the command's first write, in the same transaction
            aggregates = (*aggregates, pending.new_record())
        with span(f"append {self.name}"):
            try:
                recordings = self.save(*aggregates)
            except IntegrityError as error:
                taken = self._idempotency_record(pending.id) if pending is not None else None
                if taken is not None:
                    raise idempotency.KeyTaken(taken) from error
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
        except (AggregateNotFoundError, ValueError) as error:
            raise NotFoundError("记录不存在 (not found)") from error
        if kind is not None and not isinstance(aggregate, kind):
            raise NotFoundError("记录不存在 (not found)")
        self.authorize(aggregate)
        return aggregate

    # -- the integration feed (relay, embedded projections and policies read it) ------------
    def max_position(self) -> int:
        return self.recorder.max_notification_id() or 0

    def integration_events(
        self, after: int, limit: int, wanted: frozenset[str] | None = None
    ) -> tuple[list[Envelope], int]:
        """Published events after `after`; and the last position read (private events skipped).

        With `wanted`, only events of those types are decoded and returned (a projection's rebuild reads
        the whole log but handles a few types); the last position read still covers the others."""
        notifications = self.recorder.select_notifications(start=after + 1, limit=limit)
        envelopes = []
        last = after
        skips = self.integration.skips
        for notification in notifications:
            last = notification.id
            if skips(notification.topic, wanted):
                continue
            envelope = self.integration.to_envelope(
                self.mapper.to_domain_event(notification), notification.id
            )
            if envelope is not None and (wanted is None or envelope.type in wanted):
                envelopes.append(envelope)
        return envelopes, last

    def reader_for(self, event_types: frozenset[str]) -> Callable[[int, int], tuple[list[Envelope], int]]:
        """The integration feed of only these event types (what a projection handles)."""
        return functools.partial(self.integration_events, wanted=frozenset(event_types))

    # -- policies ---------------------------------------------------------------------------
    @property
    def has_policies(self) -> bool:
        return bool(self._policies)

    def handles(self, event_type: str) -> bool:
        return event_type in self._policies

    @property
    def policy_event_types(self) -> frozenset[str]:
        """The integration event types its policies handle (a feed of other types can pass them undecoded)."""
        return frozenset(self._policies)

    @staticmethod
    def tracking_for(envelope: Envelope, by_stream: bool = False) -> Tracking:
        """What records an event as consumed: its service's position when the events come in the service's order
        (the embedded logs, a one-partition topic); its stream's version when they come from a partitioned topic,
        where only each stream's order holds (the tracking record keeps the highest id per name)."""
        if by_stream:
            return Tracking(application_name=f"{envelope.service}/{envelope.stream_id}",
                            notification_id=envelope.stream_version)
        return Tracking(application_name=envelope.service, notification_id=envelope.position)

    def already_processed(self, envelope: Envelope, by_stream: bool = False) -> bool:
        last = self.process_recorder.max_tracking_id(envelope.service)
        if last is not None and envelope.position <= last:
            return True
        if not by_stream:
            return False
        version = self.process_recorder.max_tracking_id(f"{envelope.service}/{envelope.stream_id}")
        return version is not None and envelope.stream_version <= version

    def skip_integration_event(self, envelope: Envelope, by_stream: bool = False) -> bool:
        """Track an event as consumed without its effect (it was dead-lettered), so it is never retried.

        Returns False when it was already tracked."""
        processing = ProcessingEvent[UUID](tracking=self.tracking_for(envelope, by_stream))
        try:
            self._record(processing)
        except IntegrityError:
            return False
        self._recorded()
        return True

    def process_integration_event(self, envelope: Envelope, payload: Any, by_stream: bool = False) -> bool:
        """Run the policy for one event and record its effect with the consumed position (or, `by_stream`,
        its stream's version: see `tracking_for`) atomically.

        Returns False when the event was already processed (a duplicate delivery).

        Several instances of a service consume a partitioned topic at once: an effect can collide with another
        instance's write to the same aggregate (two notifications of one reference number on two partitions
        both reserving it). The loser's transaction records nothing; unless its event was tracked meanwhile (a
        duplicate), the policy runs again on what is stored now (then, in that example, links the notification
        to the directive the winner opened). An effect that collides every time exists already (a policy whose
        aggregate's id is made from the event: a referral republished at another position) and counts as done,
        as a collision always did before several instances shared a topic.
        """
        for _ in range(POLICY_CONFLICT_RETRIES):
            if self.already_processed(envelope, by_stream):
                return False
            processing = ProcessingEvent[UUID](tracking=self.tracking_for(envelope, by_stream))
            handler = self._policies.get(envelope.type)
            if handler is not None:
                context = CommandContext(
                    actor=SYSTEM_ACTOR.model_dump() | {"user": f"policy:{self.name}"},
                    correlation_id=envelope.correlation_id,
                    causation_id=envelope.event_id,
                    traceparent=envelope.traceparent,
                    clock=self.clock,
                )
                with span(f"policy {self.name} {envelope.type}"):
                    with command_context(replace(context, traceparent=current_traceparent() or envelope.traceparent)):
                        handler(envelope, payload, processing)
            try:
                self._record(processing)
            except IntegrityError:
                continue  # a duplicate (seen at the top) or a concurrent write (the policy runs again)
            self._take_snapshots(processing)  # a policy's writes grow aggregates like a command's
            self._recorded()
            return True
        return False  # the same collision every time: its effect exists (an aggregate of an id made from the event)

    def ids_with(self, event_class: type[Any]) -> list[UUID]:
        """Ids of the aggregates that recorded an event of this class, oldest first, each once."""
        if self._creation_index is None:
            self._creation_index = CreationIndex(self)
        return list(dict.fromkeys(self._creation_index.ids(event_class)))

    def today(self) -> date:
        """Today in Beijing by this application's clock (the one rule for every service)."""
        return beijing_today(self.clock)

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
