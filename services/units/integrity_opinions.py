"""Integrity opinions (廉政意见): the group asks the unit about a cadre; the unit's reply feeds the cadre's file.

Seed 000 "将…廉政意见回函等体现在廉政档案中". The request travels to the unit as an outbound item of kind
`integrity_opinion_request` (delivered, signed for, answered or overdue like any other item); this record keeps
which person of the roster it concerns and why, under an id derived from the item's, so the reply finds it.
"""

from __future__ import annotations

import uuid
from datetime import date

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import InvalidInputError

REQUEST_PURPOSES = {
    "selection_appointment": "选拔任用 (selection and appointment)",
    "commendation": "评优评先 (commendation)",
    "term_end": "任期届满 (end of term)",
    "other": "其他 (other)",
}
REQUEST_NAMESPACE = uuid.UUID("3e9d7a20-51c4-4c1b-b6f2-6c69616e7a68")


class IntegrityOpinionRequest(ChainedAggregate):
    """Which cadre an integrity-opinion request concerns (the unit is asked, so it may read it)."""

    default_distribution = "unit"

    @staticmethod
    def create_id(item_id: str) -> uuid.UUID:
        return uuid.uuid5(REQUEST_NAMESPACE, item_id)

    @classmethod
    def request(cls, group_id: str, unit_id: str, item_id: str, person_id: str, person_name: str, purpose: str,
                deadline: date, requested_on: date) -> IntegrityOpinionRequest:
        if purpose not in REQUEST_PURPOSES:
            raise InvalidInputError(f"未知征求事由 (unknown purpose): {purpose}", code="unknown_purpose")
        return cls(group_id=group_id, unit_id=unit_id, item_id=item_id, person_id=person_id,
                   person_name=person_name, purpose=purpose, deadline=deadline, requested_on=requested_on)

    @event("Requested")
    def __init__(self, group_id: str, unit_id: str, item_id: str, person_id: str, person_name: str, purpose: str,
                 deadline: date, requested_on: date) -> None:
        self._keep(locals())
