"""Integration-event contracts of the ledgers service."""

from __future__ import annotations

from datetime import date

from events.registry import Contract, contract


@contract("ledgers.DirectiveRegistered", 1)
class DirectiveRegistered(Contract):
    directive_id: str
    reference_number: str
    issuer: str
    title: str
    issued_on: date
    received_on: date
    lead_department: str
    category: str | None
    tied_to_duties: bool


@contract("ledgers.DirectiveStageRecorded", 1)
class DirectiveStageRecorded(Contract):
    directive_id: str
    stage: str
    done_on: date
    skipped_with_reason: bool
