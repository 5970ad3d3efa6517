"""A case's history across the four services' stores: its own stream, and every event that shares a
correlation id with it or was caused by one of its events (transitively), in recorded order.

Read straight from the stored logs (`paizhu.stored_logs`), not from the bus: facts that never reach the bus are
part of the history too. Every event keeps the plain fields its hash covers, so the same events can be put in an
evidence bundle and checked by a third party.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from events.envelope import event_id_for
from paizhu.stored_logs import StoredLog
from services.common.case_index import IndexEntry, closure, stream_rows
from services.common.forensics import describe, happened_at
from services.common.verification import stream_key


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


def collect_case(logs: dict[str, StoredLog], record_id: str, related: bool = True, use_index: bool = True) -> Case:
    """The case of one record (a directive, item, clue, inspection round …) across the stores.

    Which events belong to it is looked up in each store's correlation index (`services.common.case_index`; with
    `use_index=False`, or where a store has none, by reading every row: the same answer); the events themselves,
    with every other event of their streams, are read from the stores."""
    record_id = stream_key(record_id)
    indexes = {name: log.case_index(use_table=use_index) for name, log in logs.items()}

    def lookup(streams: set[str], correlations: set[str], causes: set[str]) -> list[IndexEntry]:
        return [entry for index in indexes.values() for entry in index.lookup(streams, correlations, causes)]

    if related:
        why, entries = closure(lookup, record_id)
    else:
        entries = [e for e in lookup({record_id}, set(), set()) if e.stream == record_id]
        why = {e.key: "stream" for e in entries}
    own = [e for e in entries if e.stream == record_id]
    if not own:
        raise CaseNotFoundError(record_id)
    service = own[0].service
    events: list[CaseEvent] = []
    for name, log in logs.items():
        wanted = sorted({e.stream for e in entries if e.service == name})
        rows = [row for stream in wanted for row in stream_rows(log.recorder, stream)]
        for row in sorted(rows, key=lambda r: r.id):
            stream = stream_key(row.originator_id)
            fields = log.decoder.fields(row, stream)
            reason = why.get((name, row.id))
            events.append(CaseEvent(name, row.id, stream, row.originator_version, fields,
                                    in_case=reason is not None, why=reason or "chain"))
    kind = next(e.type for e in events if e.stream_id == record_id).rpartition(".")[0]
    return Case(record_id, service, kind, events)
