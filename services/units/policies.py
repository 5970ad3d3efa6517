"""Reactions to other services' integration events."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import ProcessingEvent

from events.envelope import Envelope
from services.common.application import policy
from services.units.app_outbound import OutboundCommands
from services.units.outbound import OutboundItem
from services.units.roster import PARTY_GROUP_ID


class UnitsPolicies(OutboundCommands):
    @policy("clues.RecommendationIssued")
    def on_recommendation_issued(self, envelope: Envelope, payload: Any, processing: ProcessingEvent[Any]) -> None:
        """A supervision recommendation (纪检监察建议) becomes an item sent to the unit, once.

        It is addressed to the responsible department when the roster knows it, else to the party group,
        and signed by whoever the routing matrix names for that counterpart.
        """
        if not envelope.unit_id:
            return
        item_id = OutboundItem.create_id("recommendation", payload.recommendation_id)
        if item_id in self.repository:
            return  # republished under another position: already an item
        unit = self.unit(envelope.unit_id)
        department = unit.department_by_name(payload.responsible_department)
        counterpart_id = department["department_id"] if department else PARTY_GROUP_ID
        level = unit.level_of(counterpart_id)
        route = self.matrix(unit).route(counterpart_id, level)
        lines = [f"问题：{p}" for p in payload.problems] + [f"建议：{r}" for r in payload.recommendations]
        item = OutboundItem(
            group_id=unit.group_id, unit_id=unit.unit_id, kind="recommendation", title=payload.title,
            body="\n".join(lines) or payload.title, reference_number=payload.reference_number,
            counterpart_id=counterpart_id, counterpart_name=unit.departments[counterpart_id]["name"], level=level,
            signed_by=route["member"] or route["member_role"], signer_role=route["member_role"],
            deadline=payload.deadline, issued_on=self.today(), source_ref=payload.recommendation_id,
        )
        processing.collect_events(item)
