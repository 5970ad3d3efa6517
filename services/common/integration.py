"""Domain event -> integration event mapping (and the redaction it implies), one mapper per service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from events.envelope import Envelope, event_id_for
from events.registry import Contract


@dataclass(frozen=True)
class Published:
    """What a service publishes for one domain event: the contract payload and its routing facts."""

    payload: Contract
    group_id: str | None = None
    unit_id: str | None = None
    distribution: str | None = None
    """publish the fact more narrowly than its recorded distribution (e.g. a group-internal fact of an item
    addressed to the unit goes to `hq`); None keeps the recorded one"""


MapFunc = Callable[[Any], Published | None]


class IntegrationMapper:
    """Maps domain events by their class name (e.g. `Directive.Registered`); unmapped events stay private."""

    def __init__(self, service: str, published_distribution: Callable[[str], str] | None = None) -> None:
        """`published_distribution` maps an event's recorded distribution to the one it is published
        with (e.g. a clue's compartment: its published facts go to `hq`)."""
        self.service = service
        self._maps: dict[str, MapFunc] = {}
        self._types: dict[str, str] = {}
        """Domain event class name -> the one integration event type it is published as, where declared."""
        self._published_distribution = published_distribution

    def maps(self, *event_classes: type[Any], publishes: type[Contract] | None = None) -> Callable[[MapFunc], MapFunc]:
        """Register a mapping; `publishes` declares the one contract it maps to (or nothing), so a reader that
        does not want that type passes such events over undecoded (`skips`)."""

        def register(func: MapFunc) -> MapFunc:
            for event_class in event_classes:
                self._maps[event_class.__qualname__] = func
                if publishes is not None:
                    self._types[event_class.__qualname__] = publishes.event_type  # type: ignore[attr-defined]
            return func

        return register

    def copies(self, event_class: type[Any], contract: type[Contract], *, id_field: str) -> None:
        """Publish `contract` with the stream's id as `id_field` and every other field from the event's
        field of the same name (a field the event lacks is a mapping bug: it raises, never defaults)."""
        names = [name for name in contract.model_fields if name != id_field]

        def publish(event: Any) -> Published:
            values = {name: getattr(event, name) for name in names}
            return Published(contract(**{id_field: str(event.originator_id)}, **values))

        self.maps(event_class, publishes=contract)(publish)

    def publishes(self, event: Any) -> bool:
        return type(event).__qualname__ in self._maps

    def skips(self, topic: str, wanted: frozenset[str] | None) -> bool:
        """Whether a stored event of this topic can be passed over without decoding it: it is private, or
        it is declared to publish a type the reader does not want."""
        qualname = topic.rpartition(":")[2]
        if qualname not in self._maps:
            return True
        declared = self._types.get(qualname)
        return wanted is not None and declared is not None and declared not in wanted

    def to_envelope(self, event: Any, position: int) -> Envelope | None:
        func = self._maps.get(type(event).__qualname__)
        if func is None:
            return None
        published = func(event)
        if published is None:
            return None
        payload = published.payload
        stream_id = str(event.originator_id)
        event_id = event_id_for(self.service, stream_id, event.originator_version)
        envelope = Envelope(
            event_id=event_id,
            type=payload.event_type,  # type: ignore[attr-defined]
            schema_version=payload.schema_version,  # type: ignore[attr-defined]
            service=self.service,
            stream_id=stream_id,
            stream_version=event.originator_version,
            position=position,
            occurred_at=event.timestamp,
            actor=event.actor,  # validated into an Actor with the rest (one call into pydantic's core)
            group_id=published.group_id or event.group_id,
            unit_id=published.unit_id or event.unit_id,
            distribution=published.distribution or (self._published_distribution or str)(event.distribution),
            correlation_id=event.correlation_id,
            causation_id=event.causation_id or event_id,
            traceparent=event.traceparent,
            prev_hash=event.prev_hash,
            hash=event.hash,
            payload=payload.model_dump(mode="json"),
        ).keep_contract(payload)
        return envelope
