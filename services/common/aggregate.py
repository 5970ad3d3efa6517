"""Aggregate base whose events carry who, when, why, their distribution and a per-stream hash chain."""

from __future__ import annotations

import functools
import inspect
from datetime import datetime
from typing import Any, ClassVar

from eventsourcing.domain import Aggregate

from authz import Scope
from events.envelope import GENESIS_HASH, chain_hash
from services.common.context import current

META_FIELDS = (
    "group_id",
    "unit_id",
    "actor",
    "correlation_id",
    "causation_id",
    "traceparent",
    "distribution",
    "prev_hash",
    "hash",
)
"""Reserved event fields every event carries; command parameters must not use these names."""


def event_fields(event: Any) -> dict[str, Any]:
    """The fields an event's hash covers, including its type name."""
    fields = dict(event.__dict__)
    fields["type"] = type(event).__qualname__
    return fields


@functools.cache
def _init_parameters(aggregate_class: type[Any]) -> tuple[str, ...]:
    parameters = inspect.signature(aggregate_class.__init__).parameters
    return tuple(name for name, p in parameters.items() if name != "self" and p.kind is p.POSITIONAL_OR_KEYWORD)


def compute_hash(event: Any) -> str:
    return chain_hash(event_fields(event))


class ChainedAggregate(Aggregate):
    """Every event records its group and unit, actor, correlation, trace, distribution and `prev_hash`/`hash`.

    `default_distribution` says who may see the aggregate's events; `event_distribution` overrides
    it per event name (e.g. an item addressed to the unit is `unit`); an aggregate whose distribution
    depends on its id or state (a round, a clue's compartment) overrides `distribution_of`.
    """

    default_distribution: ClassVar[str] = "hq"
    event_distribution: ClassVar[dict[str, str]] = {}

    class Event(Aggregate.Event):
        group_id: str | None
        unit_id: str | None
        actor: dict[str, str]
        correlation_id: str
        causation_id: str
        traceparent: str
        distribution: str
        prev_hash: str
        hash: str

        @staticmethod
        def create_timestamp() -> datetime:
            return current().clock.now()

        def mutate(self, aggregate: Any) -> Any:
            result = super().mutate(aggregate)
            if result is not None:
                result._chain_head = self.hash
            return result

    class Created(Event, Aggregate.Created):
        pass

    _chain_head: str = GENESIS_HASH

    @property
    def chain_head(self) -> str:
        return self._chain_head

    def _keep(self, values: dict[str, Any]) -> None:
        """Keep the creation fields as the aggregate's state: `self._keep(locals())` in `__init__` sets an
        attribute for each of its parameters (a parameter it stores otherwise is assigned after)."""
        for name in _init_parameters(type(self)):
            setattr(self, name, values[name])

    def access_scope(self) -> Scope | None:
        """The facts the authoriser needs about this record (None: an internal record nobody acts on).

        Records whose readers depend on their state (a round's team, a clue's compartment) override it.
        """
        return Scope(group_id=getattr(self, "group_id", None), unit_id=getattr(self, "unit_id", None),
                     distribution=self.default_distribution)

    def distribution_of(self, event_name: str) -> str:
        return self.event_distribution.get(event_name, self.default_distribution)

    @classmethod
    def _meta(cls, event_class: type[Any], distribution: str, prev_hash: str) -> dict[str, Any]:
        context = current()
        return {
            "actor": dict(context.actor),
            "correlation_id": context.correlation_id,
            "causation_id": context.causation_id,
            "traceparent": context.traceparent,
            "distribution": distribution,
            "prev_hash": prev_hash,
            "hash": "",
        }

    def _seal_last_event(self) -> None:
        event = self._pending_events[-1]
        digest = compute_hash(event)
        object.__setattr__(event, "hash", digest)
        self._chain_head = digest

    @classmethod
    def _create(cls, event_class: type[Any], *, id: Any = None, **kwargs: Any) -> Any:  # noqa: A002
        kwargs.update(cls._meta(event_class, "", GENESIS_HASH))
        kwargs.setdefault("group_id", None)
        kwargs.setdefault("unit_id", None)
        aggregate = super()._create(event_class, id=id, **kwargs)
        # only now are the id and the initial state known, which a distribution may depend on
        created = aggregate._pending_events[-1]
        object.__setattr__(created, "distribution", aggregate.distribution_of(event_class.__name__))
        aggregate._seal_last_event()
        return aggregate

    def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None:
        distribution = self.distribution_of(event_class.__name__)
        kwargs.update(self._meta(event_class, distribution, self._chain_head))
        kwargs.update(group_id=getattr(self, "group_id", None), unit_id=getattr(self, "unit_id", None))
        super().trigger_event(event_class, **kwargs)
        self._seal_last_event()
