"""Reactions to other services' integration events (recorded exactly once with the consumed position)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import ProcessingEvent

from events import units
from events.envelope import Envelope
from services.common.application import policy
from services.inspections.base import InspectionsBase
from services.inspections.domainmodel import InspectionRound


class Policies(InspectionsBase):
    def round_of_item(self, item_id: str) -> InspectionRound | None:
        """The round that handed this rectification item over (None: not an item of a round)."""
        for inspection_round in self.scan(InspectionRound.FindingHandedOver, InspectionRound):
            if item_id in inspection_round.findings:
                return inspection_round
        return None

    @policy("units.RectificationReported")
    def on_rectification_reported(
        self, envelope: Envelope, payload: units.RectificationReported, processing: ProcessingEvent[UUID]
    ) -> None:
        """The unit reported on a rectification item handed over by a round: the team sees the progress."""
        inspection_round = self.round_of_item(payload.subject_ref)
        if inspection_round is None or not inspection_round.accepts_progress(payload.subject_ref):
            return
        if not payload.summary.strip():
            return
        inspection_round.record_progress(
            finding_id=payload.subject_ref, summary=payload.summary, completed=payload.completed,
            source="unit", source_ref=payload.report_id, reported_at=self.clock.now(),
        )
        processing.collect_events(inspection_round)

