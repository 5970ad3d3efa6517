"""A case's history across the four services' stores: its own stream, and every event that shares a
correlation id with it or was caused by one of its events (transitively), in recorded order.

Read straight from the stored logs (`paizhu.stored_logs`), not from the bus: facts that never reach the bus are
part of the history too. Every event keeps the plain fields its hash covers, so the same events can be put in an
evidence bundle and checked by a third party.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from events.envelope import event_id_for
from paizhu.stored_logs import StoredLog
from services.common.forensics import describe, happened_at
from services.common.verification import checkpoint_log_id, stream_key

_CORRELATION = re.compile(rb'"correlation_id":"([^"\\]*)"')
_CAUSATION = re.compile(rb'"causation_id":"([^"\\]*)"')

@dataclass
class CaseEvent:
    service: str
    position: int
    stream_id: str
    version: int
    fields: dict[str, Any]
    """the plain fields the event's hash covers, `hash` included"""
    in_case: bool = True
    """False: an earlier or later event of a related record, kept so that its chain can be checked"""
    why: str = "stream"
    """stream | correlation | causation | chain"""

    @property
    def type(self) -> str:
        return str(self.fields["type"])

    @property
    def event_id(self) -> str:
        return event_id_for(self.service, self.stream_id, self.version)

    def as_dict(self) -> dict[str, Any]:
        return {
            "service": self.service, "position": self.position, "stream_id": self.stream_id,
            "version": self.version, "type": self.type, "event_id": self.event_id,
            "actor": self.fields.get("actor"), "recorded_at": self.fields.get("timestamp"),
            "happened_at": happened_at(self.fields), "correlation_id": self.fields.get("correlation_id"),
            "causation_id": self.fields.get("causation_id"), "hash": self.fields.get("hash"),
            "prev_hash": self.fields.get("prev_hash"), "in_case": self.in_case, "why": self.why,
            "description": describe(self.type, self.fields, detail=self.service != "clues"),
        }


@dataclass
class Case:
    record_id: str
    service: str
    kind: str
    """the record's type (Directive, LedgerItem, Clue, InspectionRound, …)"""
    events: list[CaseEvent] = field(default_factory=list)
    """the case's events and the other events of their streams, in (service, position) order"""

    def history(self) -> list[CaseEvent]:
        """The case's events only, ordered by the time they were recorded."""
        return sorted((e for e in self.events if e.in_case), key=lambda e: (str(e.fields.get("timestamp")),
                                                                            e.service, e.position))

    def streams(self) -> dict[tuple[str, str], list[CaseEvent]]:
        found: dict[tuple[str, str], list[CaseEvent]] = {}
        for event in self.events:
            found.setdefault((event.service, event.stream_id), []).append(event)
        for events in found.values():
            events.sort(key=lambda e: e.version)
        return found


class CaseNotFoundError(LookupError):
    pass


@dataclass
class _Light:
    service: str
    position: int
    stream: str
    version: int
    correlation: str
    causation: str


def _scan(logs: dict[str, StoredLog]) -> Iterator[_Light]:
    checkpoint_streams = {str(checkpoint_log_id(s)) for s in logs}
    for service, log in logs.items():
        ids: dict[Any, str] = {}
        for row in log.rows():
            stream = ids.get(row.originator_id)
            if stream is None:
                stream = ids[row.originator_id] = stream_key(row.originator_id)
            if stream in checkpoint_streams:
                continue
            try:
                text = log.decoder.plaintext(row)
            except Exception:  # noqa: S112 (undecodable: `paizhu verify` names it; a history cannot use it)
                continue
            correlation = _CORRELATION.search(text)
            causation = _CAUSATION.search(text)
            yield _Light(service, row.id, stream, row.originator_version,
                         correlation.group(1).decode() if correlation else "",
                         causation.group(1).decode() if causation else "")


def collect_case(logs: dict[str, StoredLog], record_id: str, related: bool = True) -> Case:
    """The case of one record (a directive, item, clue, inspection round …) across the stores."""
    record_id = stream_key(record_id)
    index = list(_scan(logs))
    own = [e for e in index if e.stream == record_id]
    if not own:
        raise CaseNotFoundError(record_id)
    why: dict[tuple[str, int], str] = {(e.service, e.position): "stream" for e in own}
    if related:
        correlations = {e.correlation for e in own if e.correlation}
        causes = {event_id_for(e.service, e.stream, e.version) for e in own}
        changed = True
        while changed:  # caused by a case event, transitively
            changed = False
            for e in index:
                key = (e.service, e.position)
                if key in why:
                    continue
                if e.causation and e.causation in causes:
                    why[key] = "causation"
                elif e.correlation and e.correlation in correlations:
                    why[key] = "correlation"
                else:
                    continue
                causes.add(event_id_for(e.service, e.stream, e.version))
                changed = True
    streams = {(e.service, e.stream) for e in index if (e.service, e.position) in why}
    service = own[0].service
    events: list[CaseEvent] = []
    for name, log in logs.items():
        wanted = {stream for s, stream in streams if s == name}
        if not wanted:
            continue
        for row in log.rows():
            stream = stream_key(row.originator_id)
            if stream not in wanted:
                continue
            fields = log.decoder.fields(row, stream)
            reason = why.get((name, row.id))
            events.append(CaseEvent(name, row.id, stream, row.originator_version, fields,
                                    in_case=reason is not None, why=reason or "chain"))
    kind = next(e.type for e in events if e.stream_id == record_id).rpartition(".")[0]
    return Case(record_id, service, kind, events)
