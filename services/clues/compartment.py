"""Compartmented aggregates (distribution `compartment:<clue_id>`) and the disclosure stream beside a clue."""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import event

from authz import Scope
from services.common.aggregate import ChainedAggregate
from services.common.errors import InvalidInputError

CONTENT_PART_LABELS = {
    "subject": "被反映人 (the subject)",
    "allegations": "反映问题 (the allegations)",
    "notes": "研判与处置记录 (the group's notes)",
    "documents": "材料 (the documents)",
}
CONTENT_PARTS = tuple(CONTENT_PART_LABELS)
"""subject: name, unit, post, key-person flag; allegations: categories and summary; notes: assessment,
screening, inquiry and verification records and every reason; documents: references and hashes."""

DISCLOSURE_NAMESPACE = uuid5(NAMESPACE_URL, "https://paizhu.example/clues/disclosure")


class Compartmented:
    """Mixin for a ChainedAggregate: every event is distributed to the clue's compartment only.

    (A mixin, not an aggregate subclass, so that it defines no created-event class of its own.)
    """

    id: Any
    event_distribution: ClassVar[dict[str, str]]

    def compartment_key(self) -> str:
        return str(self.id)

    def distribution_of(self, event_name: str) -> str:
        return self.event_distribution.get(event_name, f"compartment:{self.compartment_key()}")


def disclosure_id(clue_id: str) -> UUID:
    return uuid5(DISCLOSURE_NAMESPACE, str(clue_id))


def check_parts(parts: list[str] | tuple[str, ...], allowed: tuple[str, ...] = CONTENT_PARTS) -> list[str]:
    chosen = list(dict.fromkeys(parts))
    unknown = [p for p in chosen if p not in allowed]
    if not chosen or unknown:
        raise InvalidInputError(
            f"查阅范围无效 (invalid parts): {unknown or chosen}; 可选 (allowed): {', '.join(allowed)}",
            code="invalid_parts",
        )
    return chosen


class Disclosure(Compartmented, ChainedAggregate):
    """Every read of one clue's content: who, when (the event time), which parts, why.

    A separate stream from the clue so that reads never conflict with the clue's writes.
    """

    @staticmethod
    def create_id(clue_id: str) -> UUID:
        return disclosure_id(clue_id)

    @event("Opened")
    def __init__(self, clue_id: str, group_id: str, unit_id: str) -> None:
        self.clue_id = clue_id
        self.group_id = group_id
        self.unit_id = unit_id
        self.reads: list[dict[str, Any]] = []

    def compartment_key(self) -> str:
        return self.clue_id

    def access_scope(self) -> Scope | None:
        """None: nobody acts on the disclosure stream itself; reading it is decided on its clue."""
        return None

    def record_read(self, reader: str, parts: list[str], reason: str, channel: str) -> None:
        if not reader.strip():
            raise InvalidInputError("查阅人不能为空 (reader is required)", code="reader_required")
        if not reason.strip():
            raise InvalidInputError("查阅线索须说明理由 (a reason for reading is required)", code="reason_required")
        self._read(reader=reader, parts=list(parts), reason=reason.strip(), channel=channel)

    @event("ContentRead")
    def _read(self, reader: str, parts: list[str], reason: str, channel: str) -> None:
        self.reads.append({"reader": reader, "parts": list(parts), "reason": reason, "channel": channel})
