"""As-of state: a record rebuilt from its own events up to a moment, and the difference between two moments.

Two time axes. "recorded" (what did we know at T): the events recorded up to T, or up to a stream version or a
log position. "happened" (what was true at T, as the actors state it): the events whose stated date (`done_on`,
…; else their recording time) is up to T, whenever they were recorded — a late report changes this answer for
a past T, never the "recorded" one.

The record is rebuilt by the service's own domain model and shown through the service's own view (the one its
Get… query answers with), so an as-of state is what the service showed at that moment.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from events.plain import plain
from paizhu.forensics.history import Case, CaseEvent, happened_at


class Axis(StrEnum):
    recorded = "recorded"
    happened = "happened"


VIEWS = {
    "Directive": "services.ledgers.directives:directive_view",
    "LedgerItem": "services.ledgers.items:item_view",
    "InspectionRound": "services.inspections.views:round_view",
    "Clue": "services.clues.views:clue_facts",  # facts only: a clue's content is never shown here
    "Recommendation": "services.clues.views:recommendation_view",
    "QuarterlyReview": "services.ledgers.reviews:review_view",
    "OutboundItem": "services.units.queries:item_view",
    "InboundSubmission": "services.units.queries:submission_view",
}
"""Record kind → the service's view of it (a kind without one is shown as its plain state)."""


def view_of(kind: str) -> Callable[[Any], Any] | None:
    path = VIEWS.get(kind)
    if path is None:
        return None
    module, _, name = path.partition(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def plain_state(aggregate: Any) -> dict[str, Any]:
    return {k: plain(v) for k, v in vars(aggregate).items() if not k.startswith("_")} | {
        "id": str(aggregate.id), "version": aggregate.version}


def show(aggregate: Any, kind: str) -> dict[str, Any]:
    view = view_of(kind)
    if view is None:
        return plain_state(aggregate)
    shown = view(aggregate)
    return plain(shown.model_dump(mode="json") if hasattr(shown, "model_dump") else shown)


@dataclass
class Moment:
    """Which events of the record count: up to a version, a log position, or a time on one axis."""

    version: int | None = None
    position: int | None = None
    at: str | None = None
    """an ISO date or datetime"""
    axis: Axis = Axis.recorded

    def admits(self, event: CaseEvent) -> bool:
        if self.version is not None and event.version > self.version:
            return False
        if self.position is not None and event.position > self.position:
            return False
        if self.at is not None:
            when = happened_at(event.fields) if self.axis is Axis.happened else str(event.fields.get("timestamp"))
            if _before(self.at, when):
                return False
        return True


def _before(cut: str, when: str) -> bool:
    """True when `when` is after the cut. A date cut covers its whole day; dates and datetimes compare by text
    (ISO, UTC), the date part first."""
    if len(cut) == 10:
        return when[:10] > cut
    return when > cut if len(when) > 10 else when > cut[:10]


def rebuild(app: Any, case: Case, moment: Moment) -> tuple[dict[str, Any] | None, list[CaseEvent]]:
    """The record as of the moment (None: it did not exist yet), and the events that made it so."""
    own = [e for e in case.events if e.stream_id == case.record_id]
    chosen = [e for e in own if moment.admits(e)]
    if not chosen:
        return None, []
    import uuid

    if moment.axis is Axis.recorded:  # a prefix of the stream: the repository rebuilds it
        aggregate = app.repository.get(uuid.UUID(case.record_id), version=chosen[-1].version)
        return show(aggregate, case.kind), chosen
    versions = {e.version for e in chosen}
    aggregate = None
    for stored in app.repository.event_store.get(uuid.UUID(case.record_id)):
        if stored.originator_version not in versions:
            continue
        if aggregate is not None:  # an event left out: the next one follows what was kept
            aggregate.version = stored.originator_version - 1
        aggregate = stored.mutate(aggregate)
    return show(aggregate, case.kind), chosen


def diff(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """Field by field: every value that differs between two states (dotted paths; lists as a whole)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in sorted(set(before) | set(after), key=str):
            changes.extend(diff(before.get(key), after.get(key), f"{path}.{key}" if path else str(key)))
        return changes
    if before == after:
        return []
    return [{"field": path or "(record)", "before": before, "after": after}]
