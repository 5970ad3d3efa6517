"""Ledgers domain events -> published integration events."""

from __future__ import annotations

from typing import Any

from events import ledgers as contracts
from services.common.integration import IntegrationMapper, Published
from services.ledgers.domainmodel import Directive

mapper = IntegrationMapper("ledgers")


@mapper.maps(Directive.Registered)
def directive_registered(event: Any) -> Published:
    return Published(
        contracts.DirectiveRegistered(
            directive_id=str(event.originator_id),
            reference_number=event.reference_number,
            issuer=event.issuer,
            title=event.title,
            issued_on=event.issued_on,
            received_on=event.received_on,
            lead_department=event.lead_department,
            category=event.category,
            tied_to_duties=event.tied_to_duties,
        )
    )


@mapper.maps(Directive.StageRecorded)
def stage_recorded(event: Any) -> Published:
    return Published(
        contracts.DirectiveStageRecorded(
            directive_id=str(event.originator_id),
            stage=event.stage,
            done_on=event.done_on,
            skipped_with_reason=bool(event.skip_reason),
        )
    )
