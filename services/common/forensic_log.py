"""Every forensic use of a service's records — a replay, a case history, an evidence export — recorded in that
service's own store: who, what, when, why (a required reason) and whether it was allowed.

One stream per service (like the checkpoints); private to the service, never published, hash-chained and
covered by the signed checkpoints like every other stream, so the record of who looked cannot be quietly
removed either.
"""

from __future__ import annotations

import uuid
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import event
from eventsourcing.persistence import IntegrityError

from services.common.aggregate import ChainedAggregate
from services.common.application import ServiceApplication
from services.common.context import CommandContext
from services.common.errors import InvalidInputError

FORENSIC_LOG_NAMESPACE = uuid.UUID("5d0f3c52-7f2e-4d8e-9a1b-666f72656e73")


def forensic_log_id(service: str) -> uuid.UUID:
    return uuid.uuid5(FORENSIC_LOG_NAMESPACE, service)


class ForensicUseLog(ChainedAggregate):
    """The forensic uses of one service's records."""

    default_distribution = "hq"

    @staticmethod
    def create_id(service: str) -> uuid.UUID:
        return forensic_log_id(service)

    @event("Started")
    def __init__(self, service: str) -> None:
        self.service = service
        self.uses = 0

    @event("Used")
    def record_use(self, action: str, record_id: str, kind: str, reason: str, outcome: str,
                   detail: dict[str, Any]) -> None:
        self.uses += 1

    def access_scope(self) -> None:
        return None


def record_forensic_use(app: ServiceApplication, actor: dict[str, str], action: str, record_id: str, kind: str,
                        reason: str, outcome: str, detail: dict[str, Any] | None = None) -> int:
    """Append one use to the service's forensic log; returns how many uses it now holds."""
    if not reason or not reason.strip():
        raise InvalidInputError("须说明事由 (a reason is required)", code="reason_required")
    for _ in range(5):  # concurrent uses append to one stream: retry on a version conflict
        with app.acting(CommandContext(actor=dict(actor))):
            try:
                log: ForensicUseLog = app.repository.get(forensic_log_id(app.name))
            except AggregateNotFoundError:
                log = ForensicUseLog(service=app.name)
            log.record_use(action=action, record_id=record_id, kind=kind, reason=reason.strip(), outcome=outcome,
                           detail=detail or {})
            try:
                app.save(log)
            except IntegrityError:
                continue
            return log.uses
    raise RuntimeError("forensic log busy")
