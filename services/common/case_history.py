"""A case's history inside one service: the events of its store that belong to a case, as a reviewer may see them.

The gateway assembles the history across the four services (gateway/forensics/history.py): it asks the service
that owns the record for the record's own stream (the owner decides who may see the case and records the use,
a refusal included, like a replay), then asks every service for the events that share a correlation id with the
record's events or were caused by an event of the case, until no new event is found.

Events the caller may not read (a clue outside their compartment in a directive's correlation, a record of
another group) are left out entirely: no placeholder, no count — a list never reveals how many rows it hides.
Their ids still let the case reach what they caused (`hidden_causes`, for the gateway only, never shown).
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from pydantic import BaseModel, Field

from services.common.case_index import CaseIndex, closure, stream_rows
from services.common.context import current
from services.common.errors import NotFoundError
from services.common.forensic_log import forensic_log_id
from services.common.forensics import describe, happened_at
from services.common.interface import Id, Query
from services.common.verification import RowDecoder, UnknownTranscoding, checkpoint_log_id

MAX_KEYS = 5000
"""At most this many correlation ids or causes in one request (a case's closure is far smaller)."""


class CaseEventView(BaseModel):
    service: str
    position: int = Field(description="position in the service's log (记录顺序)")
    stream_id: str
    version: int
    type: str
    event_id: str
    actor: dict[str, str]
    recorded_at: str = Field(description="记录时间 (when it was recorded)")
    happened_at: str = Field(description="发生时间 (when it happened, as stated; else when recorded)")
    correlation_id: str
    causation_id: str
    prev_hash: str
    hash: str
    why: str = Field(description="stream: 本记录 (the record's own); correlation: 同一业务关联 (same correlation); "
                                 "causation: 由本案事件引起 (caused by an event of the case)")
    description: dict[str, str] = Field(description="zh / en")


class CaseEvents(BaseModel):
    """The case's events found in one service's store that the caller may read."""

    service: str
    record_id: str | None = None
    kind: str | None = None
    events: list[CaseEventView]
    correlations: list[str] = Field(default_factory=list, description="the record's correlation ids (owner only)")
    hidden_causes: list[str] = Field(default_factory=list,
                                     description="ids of matched events the caller may not read: followed, "
                                                 "never shown")


class Purpose(StrEnum):
    history = "history"
    evidence_export = "evidence_export"


class ForensicHistoryQuery(Query[CaseEvents]):
    """The events of a case in this service's store (each service declares its own `ForensicHistory`).

    With `record_id` (the service owns the record): the record's stream and what it correlates with or caused
    here; the use is recorded with its reason, a refusal too (404 like a missing record). Without: the events
    here that share one of `correlation_ids` or were caused by one of `causes`, transitively."""

    record_id: Id | None = None
    reason: str | None = Field(default=None, max_length=500)
    purpose: Purpose = Field(default=Purpose.history, description="history: 查看案卷历史; evidence_export: "
                             "导出证据包，仅审计人员 (export the evidence bundle: the auditor only)")
    correlation_ids: list[str] = Field(default_factory=list, max_length=MAX_KEYS)
    causes: list[str] = Field(default_factory=list, max_length=MAX_KEYS)


def private_streams(service: str) -> set[str]:
    """A service's streams that belong to no case: its signed checkpoints and its forensic use log."""
    return {str(checkpoint_log_id(service)), str(forensic_log_id(service))}


def service_case_index(app: Any) -> CaseIndex:
    """The correlation index of a service's own store (the service may write it: `catch_up`)."""
    return CaseIndex(app.name, app.recorder, RowDecoder(app.mapper.cipher, app.mapper.compressor),
                     private_streams(app.name))


def _fields(app: Any, decoder: RowDecoder, row: Any, stream: str) -> dict[str, Any]:
    try:
        return decoder.fields(row, stream)
    except (UnknownTranscoding, ValueError):
        from events.plain import plain
        from services.common.aggregate import event_fields

        return plain(event_fields(app.mapper.to_domain_event(row)))


def case_events(app: Any, q: ForensicHistoryQuery, detail: bool = True) -> CaseEvents:
    """The handler every service's ForensicHistory query runs."""
    from authz.rules_forensics import can_export, can_replay
    from services.common.forensic_log import record_forensic_use

    context = current()
    principal = context.principal
    decoder = RowDecoder(app.mapper.cipher, app.mapper.compressor)
    scopes: dict[str, bool] = {}

    def readable(stream: str) -> bool:
        if stream not in scopes:
            try:
                scope = app.repository.get(uuid.UUID(stream)).access_scope()
            except (AggregateNotFoundError, ValueError):
                scopes[stream] = False
            else:
                scopes[stream] = principal is None or can_replay(principal, scope)
        return scopes[stream]

    kind: str | None = None
    record: str | None = None
    if q.record_id is not None:
        actor = principal.actor if principal is not None else dict(context.actor)
        try:
            aggregate = app.repository.get(uuid.UUID(q.record_id))
        except (AggregateNotFoundError, ValueError):
            record_forensic_use(app, actor, q.purpose.value, q.record_id, "", q.reason or "", "not_found")
            raise NotFoundError("记录不存在 (not found)") from None
        kind = type(aggregate).__name__
        record = str(aggregate.id)
        decide = can_export if q.purpose is Purpose.evidence_export else can_replay
        allowed = principal is None or decide(principal, aggregate.access_scope())
        record_forensic_use(app, actor, q.purpose.value, q.record_id, kind, q.reason or "",
                            "allowed" if allowed else "refused")
        if not allowed:
            raise NotFoundError("记录不存在 (not found)")
        scopes[record] = True
        if q.purpose is Purpose.evidence_export:  # the bundle is built from the stores; nothing more to show here
            return CaseEvents(service=app.name, record_id=record, kind=kind, events=[])

    index = service_case_index(app)
    index.catch_up()  # the rows stored since the last checkpoint, then indexed look-ups only
    why, entries = closure(index.lookup, record, q.correlation_ids, q.causes)
    rows: dict[int, Any] = {}
    for stream in sorted({entry.stream for entry in entries}):
        wanted = {entry.position for entry in entries if entry.stream == stream}
        rows.update((row.id, row) for row in stream_rows(app.recorder, stream) if row.id in wanted)
    shown: list[CaseEventView] = []
    hidden: list[str] = []
    for entry in entries:
        if not readable(entry.stream):
            hidden.append(entry.event_id)
            continue
        row = rows.get(entry.position)
        if row is None:  # gone since it was indexed: `paizhu verify` names it
            continue
        fields = _fields(app, decoder, row, entry.stream)
        shown.append(CaseEventView(
            service=app.name, position=entry.position, stream_id=entry.stream, version=entry.version,
            type=str(fields["type"]), event_id=entry.event_id, actor=dict(fields.get("actor") or {}),
            recorded_at=str(fields.get("timestamp", "")), happened_at=happened_at(fields),
            correlation_id=entry.correlation, causation_id=entry.causation,
            prev_hash=str(fields.get("prev_hash", "")), hash=str(fields.get("hash", "")),
            why=why[entry.key], description=describe(str(fields["type"]), fields, detail)))
    own_correlations = sorted({entry.correlation for entry in entries
                               if entry.stream == record and entry.correlation}) if record else []
    return CaseEvents(service=app.name, record_id=record, kind=kind, events=shown, correlations=own_correlations,
                      hidden_causes=hidden)


class CaseHistory(BaseModel):
    """A case's history across the services, ordered by the time each event was recorded."""

    record_id: str
    kind: str
    service: str = Field(description="the service that owns the record")
    events: list[CaseEventView] = Field(description="events of records the caller may not read are left out "
                                                    "(no placeholder, no count)")
