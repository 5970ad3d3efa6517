"""Reactions to other services' integration events: what each one becomes in the units service."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.units.outbound import OutboundItem
from services.units.roster import PARTY_GROUP_ID, Unit
from services.units.routing import RoutingMatrix


def recommendation_item(unit: Unit, matrix: RoutingMatrix, payload: Any, today: date) -> OutboundItem:
    """A supervision recommendation (纪检监察建议, clues.RecommendationIssued) as an item sent to the unit.

    It is addressed to the responsible department when the roster knows it, else to the party group, and
    signed by whoever the routing matrix names for that counterpart. Its id derives from the recommendation,
    so a republished event finds the item already there. The deadline is the clues service's decision:
    it is taken as given, even when it has passed by the time the event arrives.
    """
    department = unit.department_by_name(payload.responsible_department)
    counterpart_id = department["department_id"] if department else PARTY_GROUP_ID
    level = unit.level_of(counterpart_id)
    route = matrix.route(counterpart_id, level)
    lines = [f"问题：{p}" for p in payload.problems] + [f"建议：{r}" for r in payload.recommendations]
    return OutboundItem(
        group_id=unit.group_id, unit_id=unit.unit_id, kind="recommendation", title=payload.title,
        body="\n".join(lines) or payload.title, reference_number=payload.reference_number,
        counterpart_id=counterpart_id, counterpart_name=unit.departments[counterpart_id]["name"], level=level,
        signed_by=route["member"] or route["member_role"], signer_role=route["member_role"],
        deadline=payload.deadline, issued_on=today, source_ref=payload.recommendation_id,
    )
