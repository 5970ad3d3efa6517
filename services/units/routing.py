"""The routing matrix (沟通协调机制): who in the group speaks for which counterpart in the unit."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from eventsourcing.domain import event

from services.common.aggregate import ChainedAggregate
from services.common.errors import ConflictError, InvalidInputError
from services.units.outbound import OutboundItem
from services.units.roster import Unit

LEVEL_ROLE = {
    "party_group": "group_leader",  # 与党组的沟通协调由组长牵头负责
    "bureau": "group_deputy",  # 与司局的沟通协调由分管副组长牵头负责
    "division": "group_staff",  # 与处室的沟通协调由责任部门负责
    "subordinate": "group_staff",  # 与直属单位的沟通协调由责任部门负责
}
ROLE_LABEL = {
    "group_leader": "组长 (group leader)",
    "group_deputy": "分管副组长 (deputy leader in charge)",
    "group_staff": "责任部门 (responsible office)",
}
MATRIX_NAMESPACE = uuid.UUID("2d0f6f7e-4a6b-4b57-9c55-726f75746521")


class WrongCounterpartError(ConflictError):
    """An outbound item signed by someone who does not speak for that counterpart."""

    code = "wrong_counterpart"


def required_role(level: str) -> str:
    try:
        return LEVEL_ROLE[level]
    except KeyError as error:
        raise InvalidInputError(f"未知对口层级 (unknown counterpart level): {level}", code="unknown_level") from error


class RoutingMatrix(ChainedAggregate):
    """One per group and unit: the named member for a counterpart (分管), on top of the role rule per level."""

    default_distribution = "hq"

    @staticmethod
    def create_id(group_id: str, unit_id: str) -> uuid.UUID:
        return uuid.uuid5(MATRIX_NAMESPACE, f"routing:{group_id}:{unit_id}")

    @event("Established")
    def __init__(self, group_id: str, unit_id: str) -> None:
        self.group_id = group_id
        self.unit_id = unit_id
        self.assignments: dict[str, dict[str, Any]] = {}

    def assign(self, counterpart_id: str, level: str, member: str, member_role: str, since: date) -> None:
        """Name the member who speaks for a counterpart; the member's role must be the one the level requires."""
        self._check_assignment(level, member_role, member)
        self._assigned(counterpart_id=counterpart_id, level=level, member=member.strip(), member_role=member_role,
                       since=since)

    @staticmethod
    def _check_assignment(level: str, member_role: str, member: str) -> None:
        if not (member or "").strip():
            raise InvalidInputError("须指定组内负责人 (a group member is required)", code="member_required")
        expected = required_role(level)
        if member_role != expected:
            raise WrongCounterpartError(
                f"该层级须由{ROLE_LABEL[expected]}对口，不能指定{ROLE_LABEL.get(member_role, member_role)} "
                f"(this level is the {expected}'s counterpart, not the {member_role}'s)"
            )

    @event("CounterpartAssigned")
    def _assigned(self, counterpart_id: str, level: str, member: str, member_role: str, since: date) -> None:
        self.assignments[counterpart_id] = {
            "counterpart_id": counterpart_id,
            "level": level,
            "member": member,
            "member_role": member_role,
            "since": since,
        }

    def route(self, counterpart_id: str, level: str) -> dict[str, str]:
        """Who signs for this counterpart: the named member if one is assigned, else the role the level requires."""
        assigned = self.assignments.get(counterpart_id)
        if assigned is not None:
            return {"member": assigned["member"], "member_role": assigned["member_role"]}
        return {"member": "", "member_role": required_role(level)}

    def _check_signer(
        self, counterpart_id: str, counterpart_name: str, level: str, signer: str, signer_role: str
    ) -> None:
        """Refuse an item to a counterpart this signer does not speak for."""
        expected_role = required_role(level)
        if signer_role != expected_role:
            raise WrongCounterpartError(
                f"发往「{counterpart_name}」须由{ROLE_LABEL[expected_role]}签发，"
                f"{ROLE_LABEL.get(signer_role, signer_role)}不能对口 "
                f"(items to this counterpart are signed by the {expected_role}, not the {signer_role})"
            )
        assigned = self.assignments.get(counterpart_id)
        if assigned is not None and assigned["member"] != signer:
            raise WrongCounterpartError(
                f"「{counterpart_name}」由 {assigned['member']} 对口负责，{signer} 不能签发 "
                f"(this counterpart is assigned to {assigned['member']})"
            )

    def route_item(
        self, unit: Unit, kind: str, title: str, body: str, counterpart_id: str, deadline: date,
        reference_number: str, signer: str, signer_role: str, today: date,
    ) -> OutboundItem:
        """An item to one of the unit's counterparts, routed and signed: refused to a signer who does not
        speak for that counterpart."""
        level = unit.level_of(counterpart_id)
        counterpart = unit.department(counterpart_id)
        self._check_signer(counterpart_id, counterpart["name"], level, signer, signer_role)
        return OutboundItem.issue(
            group_id=unit.group_id, unit_id=unit.unit_id, kind=kind, title=title, body=body,
            reference_number=reference_number, counterpart_id=counterpart_id, counterpart_name=counterpart["name"],
            level=level, signed_by=signer, signer_role=signer_role, deadline=deadline, issued_on=today,
        )
